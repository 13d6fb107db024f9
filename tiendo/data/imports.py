"""Imports of text files: DHIS2 dataValueSets (JSON or CSV), and target CSVs (read by
`tiendo.plans.imports`).

Identifiers are codes: data element codes, official unit codes (resolved against the map
in force at the end of each value's period) and disaggregation part codes. Every problem
is collected with its line and field; nothing is written unless everything is right.
"""

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.data.fields import read_flag, read_number, read_period, read_unit
from tiendo.data.services import MAX_PROBLEMS, ValueChange, ValueInput, datavalues_save
from tiendo.errors import InvalidInput, Problem
from tiendo.indicators.models import DataElement
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import OrgUnitResolver, ResolvedUnit

UnitCheck = Callable[[ResolvedUnit], str | None]
DHIS2_JSON = "dhis2_json"
DHIS2_CSV = "dhis2_csv"
TARGETS_CSV = "targets_csv"
# Ways to say "the total" in a categoryOptionCombo column (the last is DHIS2's default uid).
DEFAULT_COMBOS = frozenset({"", "default", "HllvX50cXC0"})


@dataclass(frozen=True, slots=True)
class ImportResult:
    format: str
    created: int
    updated: int
    unchanged: int
    rows: int


def _clean(text: str) -> str:
    return text.lstrip("\ufeff").strip()


def _csv_header(text: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text)), [])
    return [column.strip().lower() for column in first]


def detect_format(text: str) -> str:
    """ "dhis2_json", "dhis2_csv" or "targets_csv", judged from the content."""
    text = _clean(text)
    if not text:
        raise InvalidInput([Problem(_("the file is empty"))])
    if text.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInput(
                [
                    Problem(
                        _("the JSON cannot be read: %(error)s") % {"error": error.msg}, error.lineno
                    )
                ]
            ) from None
        if isinstance(data, dict) and isinstance(data.get("dataValues"), list):
            return DHIS2_JSON
        raise InvalidInput([Problem(_('a JSON file must be an object with a "dataValues" list'))])
    header = _csv_header(text)
    if "dataelement" in header:
        return DHIS2_CSV
    if "target_set" in header:
        return TARGETS_CSV
    raise InvalidInput(
        [
            Problem(
                _(
                    'unknown file format: expected DHIS2 JSON (with "dataValues"), a DHIS2 '
                    'CSV (header with "dataelement") or a targets CSV (header with '
                    '"target_set")'
                ),
                1,
            )
        ]
    )


def import_text(
    *, text: str, actor: str, user=None, dry_run: bool = False, source: str = "",
    changes: list[ValueChange] | None = None, unit_check: UnitCheck | None = None,
) -> ImportResult:
    """Import `text` in whichever supported format it is; raises InvalidInput if anything
    is wrong, in which case nothing is written. With `dry_run`, only counts."""
    fmt = detect_format(text)
    text = _clean(text)
    if fmt == TARGETS_CSV:
        from tiendo.plans.imports import targets_import_csv  # plans builds on this module

        return targets_import_csv(text=text, actor=actor, user=user, dry_run=dry_run,
                                  changes=changes)
    raw = _dhis2_json_rows(text) if fmt == DHIS2_JSON else _dhis2_csv_rows(io.StringIO(text))
    return values_import(fmt=fmt, rows=raw, actor=actor, user=user, dry_run=dry_run,
                         source=source, changes=changes, unit_check=unit_check)


def import_stream(
    *, stream: TextIO, actor: str, user=None, dry_run: bool = False, source: str = "",
    changes: list[ValueChange] | None = None, unit_check: UnitCheck | None = None,
) -> ImportResult:
    """Like `import_text`, reading a text stream: a DHIS2 CSV is read row by row and never
    held whole in memory; JSON and targets CSVs are small and read at once."""
    head = stream.read(64 * 1024)
    head += stream.readline()  # end on a line boundary: the rest follows line by line
    first_line = head.lstrip("\ufeff").split("\n", 1)[0]
    if head.lstrip("\ufeff").strip() and not head.lstrip("\ufeff").lstrip().startswith(("{", "[")):
        if detect_format(first_line) == DHIS2_CSV:
            lines = itertools.chain(io.StringIO(head.lstrip("\ufeff")), stream)
            return values_import(fmt=DHIS2_CSV, rows=_dhis2_csv_rows(lines), actor=actor,
                                 user=user, dry_run=dry_run, source=source, changes=changes,
                                 unit_check=unit_check)
    return import_text(text=head + stream.read(), actor=actor, user=user, dry_run=dry_run,
                       source=source, changes=changes, unit_check=unit_check)


# --- shared helpers -------------------------------------------------------------------


def csv_records(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Lower-cased header and (file line, row) pairs; blank lines are skipped."""
    header, records = _csv_stream(io.StringIO(text))
    return header, list(records)


def _csv_stream(
    lines: Iterable[str],
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Lower-cased header and a lazy iterator of (file line, row) pairs."""
    reader = csv.reader(lines)
    header = [column.strip().lower() for column in next(reader, [])]

    def records() -> Iterator[tuple[int, dict[str, str]]]:
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            yield line, {
                name: (cells[i].strip() if i < len(cells) else "")
                for i, name in enumerate(header)
                if name
            }

    return header, records()


def missing_columns(header: list[str], required: tuple[str, ...]) -> None:
    missing = [name for name in required if name not in header]
    if missing:
        raise InvalidInput([Problem(_("required column missing"), 1, name) for name in missing])


# --- DHIS2 data values ----------------------------------------------------------------


@dataclass(slots=True)
class RawValue:
    """One value as a file gives it, before any check; `names` maps our fields to the
    file's own names (column headers, JSON keys, cell columns) for messages."""

    line: int
    element: str
    period: str
    unit: str
    part: str
    value: object
    comment: str
    estimate: object
    names: dict[str, str]
    sheet: str = ""


_RawValue = RawValue


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


def _dhis2_json_rows(text: str) -> list[_RawValue]:
    data = json.loads(text)
    default_period = str(data.get("period") or "")
    default_unit = str(data.get("orgUnit") or "")
    rows = []
    for index, item in enumerate(data["dataValues"], start=1):
        if not isinstance(item, dict):
            item = {}
        rows.append(
            _RawValue(
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


def _dhis2_csv_rows(lines: Iterable[str]) -> Iterator[RawValue]:
    reader = csv.reader(lines)
    header = [column.strip().lower() for column in next(reader, [])]
    missing_columns(header, ("dataelement", "period", "orgunit", "value"))
    return _dhis2_csv_values(reader, header)


def _dhis2_csv_values(reader, header: list[str]) -> Iterator[RawValue]:
    """The rows of a DHIS2 CSV, read by column position (a dict per row cost more than
    the checks in a file of a million rows). Blank lines are skipped."""
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


def values_import(
    *, fmt: str, rows: Iterable[RawValue], actor: str, user=None, dry_run: bool = False,
    source: str = "", changes: list[ValueChange] | None = None,
    problems: list[Problem] | None = None, unit_check: UnitCheck | None = None,
) -> ImportResult:
    """Check and store values given by code, all or nothing; `rows` may be a generator and
    is read once, a chunk at a time. `unit_check` may refuse a unit (the faces pass the
    user's scope): it returns the reason, or None.
    `problems` may be shared with the generator of `rows`, which can report there what only
    it can see (a formula in a cell); any problem undoes the whole import."""
    problems = [] if problems is None else problems
    counter = itertools.count(1)
    checked = _checked_values(rows, unit_check=unit_check, problems=problems, counter=counter)
    try:
        with transaction.atomic():
            try:
                result = datavalues_save(values=checked, actor=actor, user=user, source=source,
                                         dry_run=dry_run, changes=changes)
            except InvalidInput as error:
                problems.extend(error.problems)
            if problems:
                problems.sort(key=lambda p: (p.sheet, p.line if p.line is not None else 0))
                raise InvalidInput(problems[:MAX_PROBLEMS])
    finally:
        checked.close()
    return ImportResult(fmt, result.created, result.updated, result.unchanged,
                        next(counter) - 1)


def _checked_values(
    rows: Iterable[RawValue], *, unit_check: UnitCheck | None, problems: list[Problem], counter
) -> Iterator[ValueInput]:
    """The rows that pass the checks a single row allows, as ValueInputs; problems of the
    others go to `problems`."""
    elements: dict[str, DataElement | None] = {}
    units: dict[int, OrgUnit] = {}
    resolver = OrgUnitResolver()
    for row in rows:
        next(counter)
        names = row.names
        if "deleted" in names:
            problems.append(
                Problem(
                    _("deleting values by import is not supported"), row.line, "deleted", "true",
                    row.sheet,
                )
            )
            continue
        before = len(problems)
        if row.element not in elements:
            elements[row.element] = DataElement.objects.filter(code=row.element).first()
        element = elements[row.element]
        if element is None:
            message = _("unknown data element") if row.element else _("a data element is required")
            problems.append(Problem(message, row.line, names["element"], row.element, row.sheet))
        period = None
        if not row.period:
            problems.append(
                Problem(_("a period is required"), row.line, names["period"], sheet=row.sheet)
            )
        else:
            period = read_period(row.period, row.line, names["period"], problems)
        unit = None
        if period is not None:
            unit = read_unit(resolver, row.unit, period, row.line, names["unit"], problems)
        refusal = unit_check(unit) if unit is not None and unit_check is not None else None
        if refusal:
            problems.append(Problem(refusal, row.line, names["unit"], row.unit, row.sheet))
        value = read_number(row.value, row.line, names["value"], problems)
        estimate = read_flag(row.estimate, row.line, names["estimate"], problems)
        if row.sheet:
            for index in range(before, len(problems)):
                problems[index] = replace(problems[index], sheet=row.sheet)
        if len(problems) != before:
            continue
        if unit.id not in units:
            # What saving needs of a unit (id, code, path; the name for the list of
            # changes), without a query per unit.
            units[unit.id] = OrgUnit(id=unit.id, code=unit.code, kind=unit.kind,
                                     path=unit.path, valid_from=unit.valid_from,
                                     valid_to=unit.valid_to, name=unit.name)
        yield ValueInput(
            element=element,
            org_unit=units[unit.id],
            period=period,
            value=value,
            part="" if row.part in DEFAULT_COMBOS else row.part,
            estimate=estimate,
            comment=row.comment,
            line=row.line,
        )
