"""What the dashboard shows, assembled from the engine: the unit's targets judged, a trend of
each one over the past years, and the same targets for every unit below, lagging first.

Rule for the units below: a unit with a target of its own for the indicator and period (from
an allocation) is judged against it; a rate or any indicator that does not add up over units
is judged against the parent's target (a province's 75% trained-labour rate applies to each
district); an amount that adds up (1.000 workers abroad) is not split by guessing, so such a
unit is shown with its figure and its change on last year but no judgement.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tiendo.analytics.evaluation import (
    TargetResult,
    evaluate_targets,
    targets_for,
)
from tiendo.analytics.values import Span, element_figures, indicator_figures_from
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.formulas import parse_formula
from tiendo.lib.judge import Status, Summary, summarise
from tiendo.lib.periods import Period, PeriodType
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_ancestors, orgunit_children
from tiendo.plans.models import Target, TargetSet

TREND_YEARS = 5


@dataclass(frozen=True, slots=True)
class UnitTarget:
    """A target carried over to a unit below (never stored): what `evaluate_targets` reads
    of a Target, without the cost of building hundreds of model instances per page."""

    target_set: TargetSet
    indicator: Indicator
    org_unit: OrgUnit
    period: str
    comparison: str
    value: Decimal
    value_max: Decimal | None
    baseline_period: str

    @property
    def indicator_id(self) -> int:
        return self.indicator.pk

    @property
    def org_unit_id(self) -> int:
        return self.org_unit.pk

    @property
    def target_set_id(self) -> int:
        return self.target_set.pk


@dataclass(frozen=True, slots=True)
class TrendPoint:
    year: int
    value: Decimal | None


@dataclass(frozen=True, slots=True)
class ChildResult:
    unit: OrgUnit
    result: TargetResult
    # "own": the unit's own target; "inherited": the parent's target applies (a rate);
    # "none": an amount that adds up, shown without a judgement.
    basis: str

    @property
    def judged(self) -> bool:
        return self.basis != "none"

    @property
    def status(self) -> Status | None:
        return self.result.status if self.judged else None


@dataclass(frozen=True, slots=True)
class ChildRow:
    unit: OrgUnit
    cells: list[ChildResult]  # in the order of the parent's targets
    summary: Summary  # over the judged cells only

    @property
    def lag_key(self) -> tuple:
        """Lagging first: the smallest share of judged targets met, then the weakest change
        on the same period last year, then by name."""
        share = self.summary.met_pct if self.summary.judged else Decimal(101)
        changes = [c.result.change_vs_last_year_pct for c in self.cells]
        known = [c for c in changes if c is not None]
        change = sum(known) / len(known) if known else Decimal(10**9)
        return (share, change, self.unit.name)


@dataclass(frozen=True, slots=True)
class Dashboard:
    unit: OrgUnit
    period: Period
    cells: list[ChildResult]  # the unit's targets; basis "own" unless inherited
    summary: Summary  # over the judged cells
    # The unit whose targets these are when the unit has none of its own in the set.
    inherited_from: OrgUnit | None
    trends: list[list[TrendPoint]]  # one per cell, oldest year first
    children: list[ChildRow]  # lagging first

    @property
    def at_risk(self) -> list[ChildResult]:
        return [c for c in self.cells if c.judged and c.result.at_risk]

    @property
    def without_data(self) -> list[ChildResult]:
        return [c for c in self.cells if c.judged and c.result.status == Status.NO_DATA]


def is_additive(indicator: Indicator, elements: dict[str, DataElement]) -> bool:
    """An indicator that is one element summed over units (an amount, not a rate)."""
    codes = parse_formula(indicator.formula).elements
    if len(codes) != 1 or indicator.formula.strip() != next(iter(codes)):
        return False
    element = elements.get(next(iter(codes)))
    return element is not None and element.unit_aggregation == "sum"


def indicator_trend(
    *, indicators: Sequence[Indicator], unit: OrgUnit, span: Span, years: int = TREND_YEARS
) -> dict[int, list[TrendPoint]]:
    """indicator id -> the indicator over the same span in each of the last `years` years."""
    codes = {c for ind in indicators for c in parse_formula(ind.formula).elements}
    elements = list(DataElement.objects.filter(code__in=codes))
    trend: dict[int, list[TrendPoint]] = defaultdict(list)
    for back in range(years - 1, -1, -1):
        shifted = span.shifted_years(-back)
        figures = element_figures(elements=elements, span=shifted, roots=[unit])
        values = indicator_figures_from(indicators, elements, figures, [unit])
        for indicator in indicators:
            figure = values.get((indicator.id, unit.id))
            trend[indicator.id].append(
                TrendPoint(shifted.end.year, figure.value if figure else None)
            )
    return trend


def _child_targets(
    targets: Sequence[Target], children: Sequence[OrgUnit], elements: dict[str, DataElement]
) -> list[tuple[Target | UnitTarget, str]]:
    """For every child × parent target: the target to judge it by, and on what basis."""
    own: dict[tuple[int, int, str], Target] = {}
    rows = Target.objects.filter(
        org_unit__in=children,
        indicator__in={t.indicator_id for t in targets},
        period__in={t.period for t in targets},
    ).select_related("indicator", "target_set", "org_unit")
    set_ids = {t.target_set_id for t in targets}
    # The parent's own set wins over other sets that allocate the same indicator.
    for row in sorted(rows, key=lambda r: (r.target_set_id not in set_ids, r.id)):
        own.setdefault((row.org_unit_id, row.indicator_id, row.period), row)
    pairs = []
    for child in children:
        for target in targets:
            found = own.get((child.id, target.indicator_id, target.period))
            if found is not None:
                pairs.append((found, "own"))
                continue
            basis = "none" if is_additive(target.indicator, elements) else "inherited"
            pairs.append((
                UnitTarget(
                    target_set=target.target_set, indicator=target.indicator, org_unit=child,
                    period=target.period, comparison=target.comparison, value=target.value,
                    value_max=target.value_max, baseline_period=target.baseline_period,
                ),
                basis,
            ))
    return pairs


def _targets_here_or_above(
    unit: OrgUnit, period: Period, target_set: TargetSet | None
) -> tuple[list[Target], OrgUnit]:
    """The unit's targets; when it has none in the set, the nearest unit above that has."""
    targets = targets_for(unit=unit, period=period, target_set=target_set)
    if targets or target_set is None:
        return targets, unit
    for ancestor in reversed(list(orgunit_ancestors(unit))):
        found = targets_for(unit=ancestor, period=period, target_set=target_set)
        if found:
            return found, ancestor
    return [], unit


def dashboard_build(
    *, unit: OrgUnit, period: Period, target_set: TargetSet | None = None,
    with_children: bool = True, with_trend: bool = True,
) -> Dashboard:
    """Everything the dashboard page shows for a unit, a period and a target set.

    The unit and the units below it are judged in one `evaluate_targets` call, so each span
    (to date, same period last year, baseline…) is read once for all of them.
    """
    targets, source = _targets_here_or_above(unit, period, target_set)
    codes = {c for t in targets for c in parse_formula(t.indicator.formula).elements}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
    own = [(t, "own") for t in targets] if source == unit else _child_targets(
        targets, [unit], elements)
    children = list(orgunit_children(unit, on=period.end)) if with_children and targets else []
    below = _child_targets(targets, children, elements)
    results = evaluate_targets([t for t, _basis in own + below], period)
    cells = [ChildResult(unit, r, basis) for r, (_t, basis) in zip(results, own, strict=False)]
    summary = summarise(c.result.status for c in cells if c.judged)

    rows: list[ChildRow] = []
    per_child = len(targets)
    for index, child in enumerate(children):
        first = len(own) + index * per_child
        row_cells = [ChildResult(child, results[first + i], below[first - len(own) + i][1])
                     for i in range(per_child)]
        rows.append(ChildRow(child, row_cells, summarise(
            c.result.status for c in row_cells if c.judged)))
    rows.sort(key=lambda row: row.lag_key)
    trends = _trends(unit, cells) if with_trend else [[] for _cell in cells]
    return Dashboard(
        unit=unit, period=period, cells=cells, summary=summary,
        inherited_from=None if source == unit else source, trends=trends, children=rows,
    )


def _trends(unit: OrgUnit, cells: list[ChildResult]) -> list[list[TrendPoint]]:
    """Each cell's indicator over the same span in the last five years. The latest two years
    are the judged figure and its same period last year; only the older ones are read."""
    # (last span to read, how many years back from it) -> indicators
    by_span: dict[tuple[Span, int], dict[int, Indicator]] = defaultdict(dict)
    plan = []
    for cell in cells:
        result = cell.result
        indicator = result.target.indicator
        span = result.actual_span
        if result.target_period.type == PeriodType.MULTI_YEAR:
            # A term has no "same period last year": read all five spans.
            key, recent = (span, TREND_YEARS), []
        else:
            key = (span.shifted_years(-2), TREND_YEARS - 2)
            recent = [TrendPoint(span.end.year - 1, result.last_year),
                      TrendPoint(span.end.year, result.actual)]
        by_span[key][indicator.id] = indicator
        plan.append((key, indicator.id, recent))
    series = {
        key: indicator_trend(indicators=list(indicators.values()), unit=unit, span=key[0],
                             years=key[1])
        for key, indicators in by_span.items()
    }
    return [series[key][indicator_id] + recent for key, indicator_id, recent in plan]
