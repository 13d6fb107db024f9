"""Targets: a targets CSV (each row names its target set) and the Excel template of one
target set (`tiendo.exchange.targets_template`), both read into RawTargets."""

from collections.abc import Iterator

from tiendo.errors import Problem
from tiendo.exchange.files import CellError, cell_number, cell_text, sheet_rows, text_number
from tiendo.exchange.readers.text import csv_records, missing_columns
from tiendo.exchange.targets_template import (
    COL,
    COLUMNS,
    FIRST_ROW,
    SHOWN_ONLY,
    TargetsKey,
    field_names,
)
from tiendo.plans.checks import RawTarget

TARGET_REQUIRED = ("target_set", "indicator", "org_unit", "period", "comparison", "value")


def targets_csv_records(text: str) -> list[RawTarget]:
    """The rows of a targets CSV: header with target_set, indicator, org_unit, period,
    comparison, value, and optionally value_max, baseline_period, responsible_unit,
    follow_up_person, note, kind and document (for a set the import creates)."""
    header, records = csv_records(text)
    missing_columns(header, TARGET_REQUIRED)
    return [RawTarget(line, row) for line, row in records]


def targets_template_records(
    book, key: TargetsKey, *, problems: list[Problem], warnings: list[Problem]
) -> Iterator[RawTarget]:
    """The filled rows of a target set's template. A cell only the sheet can judge (a date or a
    formula where a number belongs) goes to `problems`; a number typed as text is read the
    Vietnamese way and reported in `warnings`."""
    names = field_names()
    for number, cells in sheet_rows(book[key.data_sheet], sheet_name=key.data_sheet):
        if number < FIRST_ROW:
            continue
        cells = tuple(cells) + (None,) * (len(COLUMNS) - len(cells))
        fields = {name: cells[COL[name]] for name in COLUMNS if name not in SHOWN_ONLY}
        if all(cell_text(value) == "" for value in fields.values()):
            continue
        bad = False
        for name in ("value", "value_max"):
            try:
                value, was_text = cell_number(fields[name])
            except CellError as error:
                problems.append(Problem(str(error), number, names[name], str(fields[name]),
                                        key.data_sheet))
                bad = True
                continue
            if was_text:
                value = text_number(value, number, names[name], key.data_sheet, warnings)
            fields[name] = value
        if not bad:
            yield RawTarget(number, {
                name: (value if name in ("value", "value_max") else cell_text(value))
                for name, value in fields.items()})
