"""Offices' own tables: indicators as rows, units as columns, Vietnamese names, merged
headings. An upload proposes which row label is which data element and which column label
is which unit; the user confirms or corrects it; confirmed labels are remembered.

The heading row is the one (among the first rows) whose cells name the most units, the
label column the one (left of the units) whose cells name the most data elements; merged
heading cells read as their top-left value, so "Chia ra" spread over the districts does not
disturb either choice. Unit names are those valid at the end of the chosen period, within
the user's scope (see `tiendo.org.selectors`).
"""

import csv
import io
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.accounts.access import user_scope
from tiendo.audit.services import Actor, audit_record, audited_update
from tiendo.errors import InvalidInput, Problem
from tiendo.exchange.files import (
    cell_text,
    column_letter,
    sheet_rows,
)
from tiendo.exchange.labels import Candidate, LabelIndex, fold, nfc
from tiendo.exchange.models import LabelMapping
from tiendo.indicators.models import DataElement
from tiendo.lib.periods import Period
from tiendo.lib.text import neutralise
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import valid_on

HEADING_SEARCH = 30  # rows looked at for the heading row
PART_SEPARATOR = "/"  # "overseas_workers/JP": an element's part


@dataclass(slots=True)
class Label:
    """A row or column label and what it is proposed to mean."""

    index: int  # row number or column number (1-based)
    text: str
    code: str = ""  # proposed (or confirmed) code; "" = skip
    name: str = ""
    how: str = ""  # "remembered", "exact", "without diacritics", "ambiguous", ""
    candidates: list[dict] = field(default_factory=list)

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(slots=True)
class Proposal:
    sheet: str
    heading_row: int
    label_column: int
    rows: list[Label]
    columns: list[Label]

    def as_dict(self) -> dict:
        return asdict(self)


def _scope_unit(user) -> OrgUnit | None:
    if user is None:  # the command line: the whole system
        return None
    scope = user_scope(user)
    return None if scope.is_admin else scope.unit


def _remembered(user, kind: str) -> dict[str, str]:
    """Folded label → code: the user's scope first, then the global mappings."""
    scope_unit = _scope_unit(user)
    rows = LabelMapping.objects.filter(kind=kind, scope_unit__isnull=True)
    found = dict(rows.values_list("label", "code"))
    if scope_unit is not None:
        found.update(LabelMapping.objects.filter(kind=kind, scope_unit=scope_unit)
                     .values_list("label", "code"))
    return found


def _unit_index(user, period: Period) -> tuple[LabelIndex, dict[str, OrgUnit]]:
    units = OrgUnit.objects.all() if user is None else user_scope(user).units()
    units = units.filter(valid_on(period.end)).only("code", "name")
    by_code = {unit.code: unit for unit in units}
    return LabelIndex((u.code, u.name, ()) for u in by_code.values()), by_code


def _element_index() -> tuple[LabelIndex, dict[str, DataElement]]:
    elements = {e.code: e for e in DataElement.objects.all()}
    return (LabelIndex((e.code, e.name_vi, (e.name_en,)) for e in elements.values()),
            elements)


def _propose(label: Label, index: LabelIndex, remembered: dict[str, str], names: dict) -> None:
    key = fold(label.text)
    if key in remembered:
        label.code, label.how = remembered[key], "remembered"
        label.name = names.get(label.code.split(PART_SEPARATOR)[0], "")
        return
    found: list[Candidate] = index.find(label.text)
    label.candidates = [{"code": c.code, "name": c.name} for c in found]
    if len(found) == 1:
        label.code, label.name = found[0].code, found[0].name
        label.how = "exact" if found[0].exact else "without diacritics"
    elif found:
        label.how = "ambiguous"


def freeform_propose(book, *, period: Period, user) -> Proposal:
    """What the first sheet's labels probably mean; nothing is stored."""
    sheet = book.worksheets[0]
    grid = [cells for _number, cells in sheet_rows(sheet, sheet_name=sheet.title)]
    if not grid:
        raise InvalidInput([Problem(_("the sheet is empty"), sheet=sheet.title)])
    units, unit_by_code = _unit_index(user, period)
    elements, element_by_code = _element_index()
    best_row, best_count = 0, 0
    for number, cells in enumerate(grid[:HEADING_SEARCH], start=1):
        count = sum(1 for cell in cells if cell_text(cell) and units.find(cell_text(cell)))
        if count > best_count:
            best_row, best_count = number, count
    if not best_row:
        raise InvalidInput([Problem(
            _("no row of the first %(rows)s names units of your area on %(date)s; is this "
              "the right period, and are the units the columns?")
            % {"rows": HEADING_SEARCH, "date": period.end.isoformat()},
            sheet=sheet.title)])
    heading = grid[best_row - 1]
    first_unit = next(i for i, cell in enumerate(heading, start=1)
                      if cell_text(cell) and units.find(cell_text(cell)))
    below = grid[best_row:]
    scores = {}
    for column in range(1, first_unit):
        scores[column] = sum(
            1 for cells in below
            if column <= len(cells) and cell_text(cells[column - 1])
            and elements.find(cell_text(cells[column - 1]))
        )
    label_column = max(scores, key=lambda c: (scores[c], -c)) if scores else 1
    remembered_units = _remembered(user, LabelMapping.Kind.UNIT)
    remembered_elements = _remembered(user, LabelMapping.Kind.ELEMENT)
    unit_names = {code: unit.name for code, unit in unit_by_code.items()}
    element_names = {code: element.name for code, element in element_by_code.items()}
    columns = []
    for index in range(label_column + 1, max(len(cells) for cells in grid) + 1):
        text = _heading_text(grid, best_row, index)
        if not text or not _has_numbers(below, index):
            continue
        label = Label(index, text)
        _propose(label, units, remembered_units, unit_names)
        columns.append(label)
    rows = []
    for number, cells in enumerate(below, start=best_row + 1):
        text = cell_text(cells[label_column - 1]) if label_column <= len(cells) else ""
        if not text:
            continue
        label = Label(number, text)
        _propose(label, elements, remembered_elements, element_names)
        rows.append(label)
    return Proposal(sheet.title, best_row, label_column, rows, columns)


def _heading_text(grid: list[tuple], heading_row: int, column: int) -> str:
    """The column's heading: its cell in the heading row or, when that is empty (a heading
    merged down over two rows, like "Toàn tỉnh"), the nearest text above it."""
    for number in range(heading_row, 0, -1):
        cells = grid[number - 1]
        text = cell_text(cells[column - 1]) if column <= len(cells) else ""
        if text:
            return text
    return ""


def _has_numbers(rows: list[tuple], column: int) -> bool:
    """Whether a column holds figures (and is not, say, the unit of measure)."""
    for cells in rows:
        value = cells[column - 1] if column <= len(cells) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return True
        if isinstance(value, str) and value.strip()[:1].isdigit():
            return True
    return False


# --- the mapping as a file (command line and API) -------------------------------------

MAPPING_COLUMNS = ("kind", "index", "label", "code", "how")
ROW, COLUMN = "row", "column"


def mapping_csv(proposal: Proposal) -> str:
    """The proposal as a CSV to check and correct: one line per row label and per column
    label, with the proposed code (empty: skipped) and how it was found."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MAPPING_COLUMNS)
    for kind, labels in ((ROW, proposal.rows), (COLUMN, proposal.columns)):
        for label in labels:
            writer.writerow([kind, label.index, neutralise(label.text), label.code, label.how])
    return out.getvalue()


def mapping_read(text: str) -> tuple[dict[int, str], dict[int, str]]:
    """Row and column codes (by row and column number) from a corrected mapping CSV."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in ("kind", "index", "code") if name not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput([Problem(_("required column missing"), 1, name) for name in missing])
    found: dict[str, dict[int, str]] = {ROW: {}, COLUMN: {}}
    problems = []
    for line, record in enumerate(reader, start=2):
        kind = (record.get("kind") or "").strip()
        if kind not in found:
            problems.append(Problem(_("expected row or column"), line, "kind", kind))
            continue
        try:
            index = int(record.get("index") or "")
        except ValueError:
            problems.append(Problem(_("expected a row or column number"), line, "index",
                                    str(record.get("index") or "")))
            continue
        found[kind][index] = nfc(record.get("code") or "").strip()
    if problems:
        raise InvalidInput(problems)
    return found[ROW], found[COLUMN]


def mapping_labels(proposal: Proposal, rows: dict[int, str],
                   columns: dict[int, str]) -> dict[str, dict[str, str]]:
    """The confirmed codes by label, for `labelmappings_remember`."""
    return {
        LabelMapping.Kind.ELEMENT: {label.text: rows.get(label.index, "")
                                    for label in proposal.rows},
        LabelMapping.Kind.UNIT: {label.text: columns.get(label.index, "")
                                 for label in proposal.columns},
    }


def labelmappings_remember(*, user, labels: dict[str, dict[str, str]]) -> int:
    """Remember confirmed labels ({"element": {label: code}, "unit": {...}}) for the user's
    scope (global for an admin); returns how many labels were remembered."""
    scope_unit = _scope_unit(user)
    actor = Actor.of(user) if user is not None else Actor.system("cli")
    changed = 0
    with transaction.atomic():
        for kind, mapping in labels.items():
            for text, code in mapping.items():
                if not code:
                    continue
                label = fold(text)[:255]
                key = f"{kind} {label}"
                remembered = LabelMapping.objects.select_for_update().filter(
                    kind=kind, label=label, scope_unit=scope_unit).first()
                if remembered is None:
                    remembered = LabelMapping.objects.create(
                        kind=kind, label=label, scope_unit=scope_unit, code=code,
                        confirmed_by=user)
                    audit_record(actor=actor, action="create", entity="labelmapping",
                                 entity_id=remembered.pk, key=key,
                                 new={"code": code,
                                      "scope_unit": scope_unit.pk if scope_unit else None})
                else:
                    audited_update(instance=remembered, fields=["code", "confirmed_by"],
                                   data={"code": code, "confirmed_by": user}, actor=actor,
                                   entity="labelmapping", key=key)
                changed += 1
    return changed
