"""An office's own table (`tiendo.exchange.freeform`), once its rows and columns are
mapped: one value at each crossing of a mapped row and a mapped column."""

from collections.abc import Iterator

from tiendo.data.services import RawValue
from tiendo.errors import Problem
from tiendo.exchange.files import CellError, cell_number, column_letter, sheet_rows, text_number
from tiendo.exchange.freeform import PART_SEPARATOR
from tiendo.lib.periods import Period


def freeform_values(
    book, *, period: Period, rows: dict[int, str], columns: dict[int, str],
    heading_row: int, problems: list[Problem], warnings: list[Problem],
) -> Iterator[RawValue]:
    """The values at the crossings of mapped rows (row number → element code, optionally
    "code/part") and mapped columns (column number → unit code)."""
    sheet = book.worksheets[0]
    names_base = {"period": "period", "comment": "comment", "estimate": "estimate"}
    for number, cells in sheet_rows(sheet, sheet_name=sheet.title):
        code = rows.get(number)
        if number <= heading_row or not code:
            continue
        element, _sep, part = code.partition(PART_SEPARATOR)
        for column, unit in columns.items():
            raw = cells[column - 1] if column <= len(cells) else None
            letter = column_letter(column)
            names = {**names_base, "element": f"{letter}{number}", "unit": f"{letter}{number}",
                     "value": f"{letter}{number}"}
            try:
                value, was_text = cell_number(raw)
            except CellError as error:
                problems.append(Problem(str(error), number, letter, str(raw), sheet.title))
                continue
            if value is None or value == "-":
                continue
            if was_text:
                value = text_number(value, number, letter, sheet.title, warnings)
            yield RawValue(line=number, element=element.strip(), period=period.code,
                           unit=unit, part=part.strip(), value=value, comment="",
                           estimate=False, names=names, sheet=sheet.title)
