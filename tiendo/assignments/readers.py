"""Task lists as files: a CSV or an .xlsx whose header holds the task columns
(`document_symbol, document_date, title, unit_in_charge, coordinating_units, deadline,
programme, done_on`, optionally `kind`), recognised by `tiendo.exchange.readers` from that
header like the targets CSV. Rows come out as `RawTask`s naming their sheet and line; the
checks are `tiendo.assignments.services.tasks_check`'s."""

import datetime

from tiendo.assignments.services import COLUMNS, REQUIRED, RawTask
from tiendo.exchange.files import cell_text, sheet_rows
from tiendo.exchange.readers.text import csv_records, missing_columns


def _cell(value) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return cell_text(value)


def tasks_csv_records(text: str) -> list[RawTask]:
    header, records = csv_records(text)
    missing_columns(header, REQUIRED)
    return [RawTask(line, {k: v for k, v in row.items() if k in COLUMNS})
            for line, row in records]


def tasks_sheet_records(book) -> tuple[str, list[RawTask]]:
    """The first sheet's rows under its header row; (sheet name, rows)."""
    sheet = book.worksheets[0]
    header: list[str] = []
    records = []
    for number, cells in sheet_rows(sheet, sheet_name=sheet.title):
        if not header:
            header = [_cell(c).lower() for c in cells]
            missing_columns(header, REQUIRED)
            continue
        values = {name: _cell(cells[i]) if i < len(cells) else ""
                  for i, name in enumerate(header) if name in COLUMNS}
        if any(values.values()):
            records.append(RawTask(number, values))
    return sheet.title, records
