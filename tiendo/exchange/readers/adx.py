"""ADX (ISO/IHE aggregate data exchange, XML): groups of a unit and a period, each holding
data values; a disaggregation part is an attribute named after its disaggregation."""

from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import iterparse

from django.utils.translation import gettext as _

from tiendo.data.services import RawValue
from tiendo.errors import Problem
from tiendo.exchange.formats import ADX_NS, period_from_adx
from tiendo.lib.periods import PeriodError


def adx_values(stream: BinaryIO, problems: list[Problem]) -> Iterator[RawValue]:
    """Rows of an ADX file, read as a stream (one group at a time). Problems with the file's
    structure go to `problems`; values are checked by the import like any other."""
    names = {"element": "dataElement", "period": "period", "unit": "orgUnit",
             "part": "disaggregation", "value": "value", "comment": "annotation",
             "estimate": "estimate"}
    group: dict[str, str] = {}
    count = 0
    try:
        for event, node in iterparse(stream, events=("start", "end")):
            tag = node.tag.rsplit("}", 1)[-1]
            if event == "start" and tag == "group":
                group = dict(node.attrib)
            elif event == "end" and tag == "dataValue":
                count += 1
                yield _adx_row(node, group, count, names, problems)
                node.clear()
            elif event == "end" and tag == "group":
                node.clear()
    except SyntaxError as error:  # ParseError
        problems.append(Problem(_("the XML cannot be read: %(error)s") % {"error": error},
                                getattr(error, "position", (None,))[0]))


def _adx_row(node, group: dict[str, str], count: int, names, problems) -> RawValue:
    attributes = dict(node.attrib)
    element = attributes.pop("dataElement", "").strip()
    value = attributes.pop("value", "").strip()
    period_code = ""
    if group.get("period"):
        try:
            period_code = period_from_adx(group["period"]).code
        except PeriodError as error:
            problems.append(Problem(str(error), count, "period", group["period"]))
            period_code = "?"
    parts = [v for k, v in attributes.items() if k not in ("estimate",)]
    if len(parts) > 1:
        problems.append(Problem(_("more than one disaggregation on a value is not supported"),
                                count, "dataValue", " ".join(parts)))
    annotation = node.find(f"{{{ADX_NS}}}annotation")
    if annotation is None:
        annotation = node.find("annotation")
    return RawValue(
        line=count, element=element, period=period_code, unit=group.get("orgUnit", "").strip(),
        part=parts[0].strip() if parts else "", value=value,
        comment=(annotation.text or "").strip() if annotation is not None else "",
        estimate=attributes.get("estimate", False), names=names,
    )
