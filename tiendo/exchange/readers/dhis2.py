"""DHIS2 dataValueSets, as JSON or as CSV: identifiers are codes (data element, official
unit code, categoryOptionCombo as our disaggregation part). Numbers are read the machine way
(`machine.exchange_value`), `deleted` deletes, and only the default attributeOptionCombo is
accepted."""

import csv
import json
from collections.abc import Iterable, Iterator
from operator import itemgetter

from django.utils.translation import gettext as _

from tiendo.data.services import RawValue
from tiendo.errors import Problem
from tiendo.exchange.readers.machine import combo_refused, exchange_value, flag
from tiendo.exchange.readers.text import missing_columns

ID_SCHEMES = frozenset({"", "code"})

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


def dhis2_json_values(text: str, problems: list[Problem] | None = None) -> list[RawValue]:
    """The values of {"dataValues": [...]}; the top level's period, orgUnit and
    attributeOptionCombo are the defaults of each value. `text` is known to be such an
    object (`detect_format`). Problems of the file itself go to `problems`."""
    problems = [] if problems is None else problems
    data = json.loads(text)
    default_period = str(data.get("period") or "")
    default_unit = str(data.get("orgUnit") or "")
    default_combo = data.get("attributeOptionCombo")
    for key in ("idScheme", "dataElementIdScheme", "orgUnitIdScheme"):
        scheme_refused(data.get(key), key, problems)
    rows = []
    for index, item in enumerate(data["dataValues"], start=1):
        if not isinstance(item, dict):
            item = {}
        if combo_refused(item.get("attributeOptionCombo", default_combo), index,
                         "attributeOptionCombo", problems):
            continue
        deleted = flag(item.get("deleted"))
        value = None if deleted else exchange_value(item.get("value"), index, "value", problems)
        if value is None and not deleted and item.get("value") is not None:
            continue  # not a machine number: the problem is listed
        rows.append(
            RawValue(
                line=index,
                element=str(item.get("dataElement") or "").strip(),
                period=str(item.get("period") or default_period).strip(),
                unit=str(item.get("orgUnit") or default_unit).strip(),
                part=str(item.get("categoryOptionCombo") or "").strip(),
                value=value,
                comment=str(item.get("comment") or "").strip(),
                estimate=item.get("estimate", False),
                names=JSON_NAMES,
                deleted=deleted,
            )
        )
    return rows


def scheme_refused(scheme: object, field: str, problems: list[Problem]) -> bool:
    """Identifiers here are codes: a file that says its are UIDs or names is refused."""
    if str(scheme or "").strip().lower() in ID_SCHEMES:
        return False
    problems.append(Problem(_("identifiers must be codes (idScheme CODE); export the file "
                              "from DHIS2 with idScheme=CODE"), None, field, str(scheme)))
    return True


def dhis2_csv_values(lines: Iterable[str],
                     problems: list[Problem] | None = None) -> Iterator[RawValue]:
    """The rows of a DHIS2 CSV, read lazily; columns are found by name in any case and
    order. A missing required column raises InvalidInput at once; problems of single cells
    (a number not written the machine way, an attribute option combo) go to `problems`."""
    reader = csv.reader(lines)
    header = [column.strip().lower() for column in next(reader, [])]
    missing_columns(header, ("dataelement", "period", "orgunit", "value"))
    return _values(reader, header, [] if problems is None else problems)


def _values(reader, header: list[str], problems: list[Problem]) -> Iterator[RawValue]:
    """Read by column position (a dict per row cost more than the checks in a file of a
    million rows). Blank lines are skipped."""
    position = {name: index for index, name in enumerate(header) if name}
    fields = ("dataelement", "period", "orgunit", "categoryoptioncombo", "value", "comment",
              "estimate", "deleted", "attributeoptioncombo")
    absent = len(header)  # points at the padding: an absent column reads as ""
    columns = [position.get(name, absent) for name in fields]
    pick = itemgetter(*columns)
    width = len(header) + 1
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        element, period, unit, part, value, comment, estimate, deleted, combo = map(
            str.strip, pick(cells)
        )
        if not element and not any(cell.strip() for cell in cells):
            continue
        if combo and combo_refused(combo, line, "attributeoptioncombo", problems):
            continue
        gone = deleted.lower() == "true"
        if not gone and not (value.isascii() and value.isdigit()):  # the common case: digits
            value = exchange_value(value, line, "value", problems)
            if value is None:
                continue
        yield RawValue(line, element, period, unit, part, value, comment, estimate, CSV_NAMES,
                       deleted=gone)
