"""Any table a page shows, as .xlsx or .csv bytes (`tiendo.web.responses` sends them).

Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, or a tab or
carriage return before one) are neutralised with a leading apostrophe, in both formats:
a commune name typed as "=HYPERLINK(...)" must stay text in the official's Excel. Numbers stay
numbers in the .xlsx, shown the Vietnamese way (15.500; 101,43) by Excel's own formatting.
"""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tiendo.lib.numbers import plain_number
from tiendo.lib.text import FORMULA_STARTS, neutralise

__all__ = ["FORMULA_STARTS", "neutralise", "workbook_neutralise"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_neutralise(book) -> None:
    """Every text cell of a workbook built in memory neutralised, just before it is saved:
    the templates and reports write user text (comments, notes, names) in many places, and
    none of it may reach the user's Excel as a formula. Our workbooks hold no formulas."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = neutralise(cell.value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def number_format(value: int | float | Decimal) -> str:
    """Excel's format for the number: grouped thousands, its own decimals (at most 6).

    Excel shows the separators of the reader's locale; a Vietnamese Excel shows 15.500 and
    101,43 from these codes, an English one 15,500 and 101.43.
    """
    if isinstance(value, int):
        return "#,##0"
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    decimals = min(6, max(0, -exponent)) if isinstance(exponent, int) else 0
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def print_across(sheet) -> None:
    """Print the sheet on A4 landscape, all its columns across one page, as many pages down
    as it takes."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def xlsx_bytes(*, title: str, headers: list[str], rows: list[list]) -> bytes:
    """A one-sheet workbook: the title, the headings in bold, then the rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    widths = [len(str(h)) for h in headers]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], min(60, len(str(value)) if value is not None
                                                   else 0))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(8, width + 2)
    heading = WriteOnlyCell(sheet, value=neutralise(title))
    heading.font = Font(bold=True, size=13)
    sheet.append([heading])
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=neutralise(str(text)))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            if _is_number(value):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format(value)
            else:
                cell = WriteOnlyCell(sheet, value=neutralise("" if value is None else str(value)))
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(*, headers: list[str], rows: list[list]) -> str:
    """CSV with a byte-order mark, so Excel reads the Vietnamese as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([neutralise(str(h)) for h in headers])
    for row in rows:
        writer.writerow([
            _plain(value) if _is_number(value) else neutralise("" if value is None else str(value))
            for value in row
        ])
    return out.getvalue()


def _plain(value: int | float | Decimal) -> str:
    if isinstance(value, Decimal):
        return plain_number(value) if value == value else str(value)
    return str(value)


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return (cleaned or _("Table"))[:31]
