"""What the text readers share: a CSV read into (line, row) pairs by its header."""

import csv
import io

from django.utils.translation import gettext as _

from tiendo.errors import InvalidInput, Problem


def clean(text: str) -> str:
    return text.lstrip("\ufeff").strip()


def csv_header(text: str) -> list[str]:
    """The first line's column names, lower-cased."""
    first = next(csv.reader(io.StringIO(text)), [])
    return [column.strip().lower() for column in first]


def csv_records(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Lower-cased header and (file line, row) pairs; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text))
    header = [column.strip().lower() for column in next(reader, [])]
    records = []
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        records.append((line, {
            name: (cells[i].strip() if i < len(cells) else "")
            for i, name in enumerate(header)
            if name
        }))
    return header, records


def missing_columns(header: list[str], required: tuple[str, ...]) -> None:
    """InvalidInput naming every required column the header lacks."""
    missing = [name for name in required if name not in header]
    if missing:
        raise InvalidInput([Problem(_("required column missing"), 1, name) for name in missing])
