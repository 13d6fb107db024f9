"""What kind of quantity an indicator is, from its formula and its data elements: the one
rule for "additive over units" (a count or an amount, which a province can split among its
communes) and "accumulates over time" (a flow, which a forecast can scale up)."""

from collections.abc import Mapping

from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.formulas import parse_formula


def single_element(indicator: Indicator, elements: Mapping[str, DataElement]) -> DataElement | None:
    """The data element an indicator is, when its formula is one element and nothing else."""
    formula = parse_formula(indicator.formula)
    if not formula.is_single_element:
        return None
    return elements.get(formula.elements[0])


def is_additive(indicator: Indicator, elements: Mapping[str, DataElement]) -> bool:
    """The indicator over a unit is the sum of it over the units below."""
    element = single_element(indicator, elements)
    return element is not None and element.unit_aggregation == DataElement.UnitAggregation.SUM


def accumulates(indicator: Indicator, elements: Mapping[str, DataElement]) -> bool:
    """The indicator over a period is the sum of it over the months: a flow."""
    element = single_element(indicator, elements)
    return element is not None and element.time_aggregation == DataElement.TimeAggregation.SUM


def element_codes(indicators) -> set[str]:
    """The codes of every data element the indicators' formulas name."""
    return {code for indicator in indicators
            for code in parse_formula(indicator.formula).elements}


def elements_of(indicators) -> dict[str, DataElement]:
    """code -> data element, for every element the indicators' formulas name."""
    return {element.code: element
            for element in DataElement.objects.filter(code__in=element_codes(indicators))}
