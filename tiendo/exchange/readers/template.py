"""The Excel form of a data set for one unit and period (`tiendo.exchange.template`): the
rows below the heading, one data element (or one of its parts) a row."""

from collections.abc import Iterator

from tiendo.data.services import RawValue
from tiendo.errors import Problem
from tiendo.exchange.files import CellError, cell_number, cell_text, sheet_rows, text_number
from tiendo.exchange.template import COL, COLUMNS, FIRST_ROW, LETTER, TemplateKey, headings


def template_values(
    book, key: TemplateKey, *, problems: list[Problem], warnings: list[Problem]
) -> Iterator[RawValue]:
    """The filled-in values of a template as rows for the import. Cells only the sheet can
    judge (a date, a formula) go to `problems`; text that looks like a number is read the
    Vietnamese way and reported in `warnings`."""
    sheet_name = key.data_sheet
    titles = headings()
    names = {
        "element": f"{LETTER['element']} ({titles[COL['element']]})",
        "period": "period",
        "unit": "unit",
        "value": f"{LETTER['value']} ({titles[COL['value']]})",
        "comment": f"{LETTER['comment']} ({titles[COL['comment']]})",
        "estimate": f"{LETTER['estimate']} ({titles[COL['estimate']]})",
    }
    for number, cells in sheet_rows(book[sheet_name], sheet_name=sheet_name):
        if number < FIRST_ROW:
            continue
        cells = tuple(cells) + (None,) * (len(COLUMNS) - len(cells))
        code = cell_text(cells[COL["element"]])
        raw_value = cells[COL["value"]]
        if not code and raw_value is None:
            continue
        try:
            value, was_text = cell_number(raw_value)
        except CellError as error:
            problems.append(Problem(str(error), number, names["value"], str(raw_value),
                                    sheet_name))
            continue
        if value is None:
            continue
        if was_text:
            value = text_number(value, number, names["value"], sheet_name, warnings)
        yield RawValue(
            line=number, element=code, period=key.period.code, unit=key.unit.code,
            part=cell_text(cells[COL["part"]]), value=value,
            comment=cell_text(cells[COL["comment"]]),
            estimate=cell_text(cells[COL["estimate"]]).lower() or False,
            names=names, sheet=sheet_name,
        )
