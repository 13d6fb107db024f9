"""DHIS2 dataValueSets, as JSON or as CSV: identifiers are codes (data element, official
unit code, categoryOptionCombo as our disaggregation part)."""

import csv
import json
from collections.abc import Iterable, Iterator
from operator import itemgetter

from tiendo.data.services import RawValue
from tiendo.exchange.readers.text import missing_columns

JSON_NAMES = {
    "element": "dataElement",
    "period": "period",
    "unit": "orgUnit",
    "part": "categoryOptionCombo",
    "value": "value",
    "comment": "comment",
    "estimate": "estimate",
}
CSV_NAMES = {
    "element": "dataelement",
    "period": "period",
    "unit": "orgunit",
    "part": "categoryoptioncombo",
    "value": "value",
    "comment": "comment",
    "estimate": "estimate",
}


def dhis2_json_values(text: str) -> list[RawValue]:
    """The values of {"dataValues": [...]}; the top level's period and orgUnit are the
    defaults of each value. `text` is known to be such an object (`detect_format`)."""
    data = json.loads(text)
    default_period = str(data.get("period") or "")
    default_unit = str(data.get("orgUnit") or "")
    rows = []
    for index, item in enumerate(data["dataValues"], start=1):
        if not isinstance(item, dict):
            item = {}
        rows.append(
            RawValue(
                line=index,
                element=str(item.get("dataElement") or "").strip(),
                period=str(item.get("period") or default_period).strip(),
                unit=str(item.get("orgUnit") or default_unit).strip(),
                part=str(item.get("categoryOptionCombo") or "").strip(),
                value=item.get("value"),
                comment=str(item.get("comment") or "").strip(),
                estimate=item.get("estimate", False),
                names=JSON_NAMES,
            )
        )
    return rows


def dhis2_csv_values(lines: Iterable[str]) -> Iterator[RawValue]:
    """The rows of a DHIS2 CSV, read lazily; columns are found by name in any case and
    order. A missing required column raises InvalidInput at once."""
    reader = csv.reader(lines)
    header = [column.strip().lower() for column in next(reader, [])]
    missing_columns(header, ("dataelement", "period", "orgunit", "value"))
    return _values(reader, header)


def _values(reader, header: list[str]) -> Iterator[RawValue]:
    """Read by column position (a dict per row cost more than the checks in a file of a
    million rows). Blank lines are skipped; a deleted row is kept to be refused."""
    position = {name: index for index, name in enumerate(header) if name}
    fields = ("dataelement", "period", "orgunit", "categoryoptioncombo", "value", "comment",
              "estimate", "deleted")
    absent = len(header)  # points at the padding: an absent column reads as ""
    columns = [position.get(name, absent) for name in fields]
    pick = itemgetter(*columns)
    width = len(header) + 1
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        element, period, unit, part, value, comment, estimate, deleted = map(
            str.strip, pick(cells)
        )
        if not element and not any(cell.strip() for cell in cells):
            continue
        if deleted.lower() == "true":
            yield RawValue(line, "", "", "", "", None, "", False, {"deleted": "deleted"})
            continue
        yield RawValue(line, element, period, unit, part, value, comment, estimate, CSV_NAMES)
