"""XML data value sets: ADX (ISO/IHE aggregate data exchange) and DHIS2's own DXF2
`<dataValueSet>`, read as a stream with the file line of every element.

ADX: groups of a unit and a period, each holding data values; a disaggregation part is an
attribute named after its disaggregation (`destination_country="JP"`) or DHIS2's
`categoryOptionCombo`. The attributes DHIS2 writes on a `dataValue` (`comment`,
`followup`, `storedBy`, `created`, `lastUpdated`, `deleted`) are understood, and an
`<annotation>` is read as the comment when there is no `comment` attribute. Other group
attributes than orgUnit, period, dataSet and completeDate name an attribute option combo,
which only the default may be.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _
from lxml import etree

from tiendo.data.services import RawValue
from tiendo.errors import Problem
from tiendo.exchange.formats import ESTIMATE_ATTR, period_from_adx
from tiendo.exchange.readers.dhis2 import scheme_refused
from tiendo.exchange.readers.machine import combo_refused, exchange_value, flag
from tiendo.lib.periods import PeriodError

DXF2_NS = "http://dhis2.org/schema/dxf/2.0"
ADX = "adx"
DXF2_XML = "dxf2_xml"
ADX_NAMES = {"element": "dataElement", "period": "period", "unit": "orgUnit",
             "part": "disaggregation", "value": "value", "comment": "comment",
             "estimate": "estimate"}
DXF2_NAMES = {**ADX_NAMES, "part": "categoryOptionCombo"}
# What a dataValue may carry besides its disaggregation.
VALUE_ATTRIBUTES = frozenset({"dataElement", "value", "comment", "followup", "followUp",
                              "storedBy", "created", "lastUpdated", "timestamp", "deleted",
                              "categoryOptionCombo", "attributeOptionCombo", "period",
                              "orgUnit", ESTIMATE_ATTR, "estimate"})
GROUP_ATTRIBUTES = frozenset({"orgUnit", "period", "dataSet", "completeDate",
                              "attributeOptionCombo", "comment", "exported", "idScheme",
                              "dataElementIdScheme", "orgUnitIdScheme", "dryRun"})


@dataclass
class Vocabulary:
    """What the reader checks names against: each element's disaggregation code ("" for
    none) and each data set's element codes. Unknown elements are left to the import."""

    disaggregations: dict[str, str] = field(default_factory=dict)
    data_sets: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class _Group:
    line: int
    unit: str = ""
    period: str = ""
    data_set: str = ""
    refused: bool = False


def xml_values(stream: BinaryIO, problems: list[Problem], kind: list[str],
               vocabulary: Vocabulary | None = None) -> Iterator[RawValue]:
    """Rows of an ADX or DXF2 XML file, one element at a time; `kind` receives "adx" or
    "dxf2_xml" once the root is read. Problems with the file go to `problems`; values are
    checked by the import like any other."""
    vocabulary = vocabulary or Vocabulary()
    group: _Group | None = None
    root = ""
    parser = etree.iterparse(stream, events=("start", "end"), resolve_entities=False,
                             no_network=True, huge_tree=False, remove_comments=True)
    try:
        for event, node in parser:
            if not isinstance(node.tag, str):
                continue
            tag = etree.QName(node).localname
            if event == "start" and not root:
                root = tag
                if tag == "adx":
                    kind.append(ADX)
                elif tag == "dataValueSet":
                    kind.append(DXF2_XML)
                    group = _dxf2_group(node, problems)
                else:
                    problems.append(Problem(
                        _("expected an ADX file (<adx>) or a DHIS2 data value set "
                          "(<dataValueSet>), found <%(tag)s>") % {"tag": tag}, node.sourceline))
                    return
            elif event == "start" and tag == "group" and root == "adx":
                group = _adx_group(node, problems, vocabulary)
            elif event == "end" and tag == "dataValue" and group is not None:
                row = (_adx_row(node, group, problems, vocabulary) if root == "adx"
                       else _dxf2_row(node, group, problems))
                if row is not None:
                    yield row
                node.clear()
            elif event == "end" and tag == "group":
                node.clear()
    except etree.XMLSyntaxError as error:
        problems.append(Problem(_("the XML cannot be read: %(error)s") % {"error": error.msg},
                                error.lineno))


def _adx_group(node, problems: list[Problem], vocabulary: Vocabulary) -> _Group:
    attributes = dict(node.attrib)
    group = _Group(line=node.sourceline, unit=attributes.get("orgUnit", "").strip(),
                   data_set=attributes.get("dataSet", "").strip())
    if attributes.get("period"):
        try:
            group.period = period_from_adx(attributes["period"]).code
        except PeriodError as error:
            problems.append(Problem(str(error), group.line, "period", attributes["period"]))
            group.refused = True
    if group.data_set and vocabulary.data_sets and group.data_set not in vocabulary.data_sets:
        problems.append(Problem(_("unknown data set"), group.line, "dataSet", group.data_set))
        group.refused = True
    others = [name for name in attributes if name not in GROUP_ATTRIBUTES]
    if combo_refused(attributes.get("attributeOptionCombo"), group.line,
                     "attributeOptionCombo", problems):
        group.refused = True
    elif others:
        combo = " ".join(f"{name}={attributes[name]}" for name in others)
        combo_refused(combo, group.line, others[0], problems)
        group.refused = True
    return group


def _adx_row(node, group: _Group, problems: list[Problem],
             vocabulary: Vocabulary) -> RawValue | None:
    if group.refused:
        return None
    line = node.sourceline
    attributes = dict(node.attrib)
    element = attributes.get("dataElement", "").strip()
    if combo_refused(attributes.get("attributeOptionCombo"), line, "attributeOptionCombo",
                     problems):
        return None
    categories = {name: text for name, text in attributes.items()
                  if name not in VALUE_ATTRIBUTES}
    part = attributes.get("categoryOptionCombo", "").strip()
    if len(categories) + bool(part) > 1:
        problems.append(Problem(_("more than one disaggregation on a value is not supported"),
                                line, "dataValue", " ".join(categories.values())))
        return None
    if categories:
        (name, text), = categories.items()
        part = text.strip()
        expected = vocabulary.disaggregations.get(element)
        if expected is not None and name != expected:
            message = (_("this data element has no disaggregation") if not expected
                       else _("this data element is disaggregated by %(expected)s, not by "
                              "this name") % {"expected": expected})
            problems.append(Problem(message, line, name, text))
            return None
    if group.data_set in vocabulary.data_sets and element in vocabulary.disaggregations and (
            element not in vocabulary.data_sets[group.data_set]):
        problems.append(Problem(_("this data element is not in the group's data set"), line,
                                "dataElement", element))
        return None
    return _row(node, attributes, group, line, element, part, problems, ADX_NAMES)


def _dxf2_group(node, problems: list[Problem]) -> _Group:
    attributes = dict(node.attrib)
    group = _Group(line=node.sourceline, unit=attributes.get("orgUnit", "").strip(),
                   period=attributes.get("period", "").strip(),
                   data_set=attributes.get("dataSet", "").strip())
    for key in ("idScheme", "dataElementIdScheme", "orgUnitIdScheme"):
        if scheme_refused(attributes.get(key), key, problems):
            group.refused = True
    if combo_refused(attributes.get("attributeOptionCombo"), group.line,
                     "attributeOptionCombo", problems):
        group.refused = True
    return group


def _dxf2_row(node, group: _Group, problems: list[Problem]) -> RawValue | None:
    if group.refused:
        return None
    line = node.sourceline
    attributes = dict(node.attrib)
    if combo_refused(attributes.get("attributeOptionCombo"), line, "attributeOptionCombo",
                     problems):
        return None
    element = attributes.get("dataElement", "").strip()
    return _row(node, attributes, group, line, element,
                attributes.get("categoryOptionCombo", "").strip(), problems, DXF2_NAMES)


def _row(node, attributes: dict[str, str], group: _Group, line: int, element: str, part: str,
         problems: list[Problem], names: dict[str, str]) -> RawValue | None:
    deleted = flag(attributes.get("deleted"))
    value: object = attributes.get("value", "")
    if not deleted:
        value = exchange_value(value, line, "value", problems)
        if value is None:
            return None
    comment = attributes.get("comment")
    if comment is None:
        annotation = next((child for child in node if isinstance(child.tag, str)
                           and etree.QName(child).localname == "annotation"), None)
        comment = annotation.text if annotation is not None else ""
    return RawValue(
        line=line, element=element, period=attributes.get("period", group.period).strip(),
        unit=attributes.get("orgUnit", group.unit).strip(), part=part, value=value,
        comment=(comment or "").strip(),
        estimate=attributes.get(ESTIMATE_ATTR, attributes.get("estimate", False)),
        names=names, deleted=deleted,
    )


def adx_values(stream: BinaryIO, problems: list[Problem],
               vocabulary: Vocabulary | None = None) -> Iterator[RawValue]:
    """`xml_values` when the kind of XML file does not matter to the caller."""
    return xml_values(stream, problems, [], vocabulary)
