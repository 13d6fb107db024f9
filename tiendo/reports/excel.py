"""The report's tables as an Excel workbook: figures are numbers (not text) with number
formats, so they can be summed and charted; Excel shows their separators the way the
user's system does (15.500 and 101,43 on a Vietnamese one)."""

import datetime
import io
import math
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from tiendo.exchange.tables import workbook_neutralise
from tiendo.lib.numbers import round_half_up
from tiendo.poverty.report import poverty_sentences

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# The plan in words ("giảm 5.000", "≤ 4%") and, beside it, its figure as a number.
LINE_POINTS = 15  # the height of a line of 11 pt text
WIDTHS = [6, 50, 12, 22, 14, 18, 18, 12, 14, 36]  # the assessment: "đang thực hiện · …"


def _number_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _number(text: str | None, decimals: int | None = None):
    """A cell's number from the content's plain text, rounded half up to `decimals` (an
    indicator's own) when given, so a ratio shows as it is reported, not as computed."""
    if text is None:
        return None
    value = Decimal(text)
    if decimals is not None:
        value = round_half_up(value, decimals)
    return int(value) if value == value.to_integral_value() else float(value)


def _lines(value, width: float) -> int:
    """How many lines a text takes in a column of this width (a character of 11 pt Times
    New Roman is narrower than the width's unit: two are kept spare)."""
    per_line = max(int(width) - 2, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(value).split("\n"))


def _write_row(sheet, row: int, values, bold=False, wrap=True) -> None:
    lines = 1
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.font = Font(name=FONT, size=11, bold=bold)
        cell.border = GRID
        cell.alignment = Alignment(wrap_text=wrap, vertical="center")
        if wrap and isinstance(value, str) and column <= len(WIDTHS):
            lines = max(lines, _lines(value, WIDTHS[column - 1]))
    if lines > 1:  # not every program fits a row to its wrapped text on opening
        sheet.row_dimensions[row].height = LINE_POINTS * lines


def render_xlsx(content: dict) -> bytes:
    labels = content["labels"]
    workbook = Workbook()
    generated = datetime.datetime.fromisoformat(content["generated_at"]).replace(tzinfo=None)
    workbook.properties.created = workbook.properties.modified = generated
    workbook.properties.title = content["params"]["subject"]
    sheet = workbook.active
    sheet.title = labels["sheet_summary"][:31]
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes (1 squeezed it all)
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    heading = Font(name=FONT, size=13, bold=True)
    sheet["A1"] = content["params"]["issuing_body"]
    sheet["A2"] = f"{labels['title']}: {content['params']['subject']}"
    sheet["A3"] = content["summary"]["text"]
    for cell in ("A1", "A2", "A3"):
        sheet[cell].font = heading if cell != "A3" else Font(name=FONT, size=12)
    row = 5
    columns = labels["columns"]
    _write_row(sheet, row, [*columns[:4], labels.get("plan_value", columns[3]), *columns[4:]],
               bold=True)
    sheet.freeze_panes = "C6"
    chart_rows = []
    for sector in content["sections"]:
        row += 1
        sheet.cell(row=row, column=2, value=sector["name"]).font = Font(name=FONT, bold=True)
        for number, line in enumerate(sector["rows"], start=1):
            row += 1
            decimals = line["decimals"]
            change_decimals = 2 if line["vs_last_year_kind"] == "pct" else decimals
            _write_row(sheet, row, [
                number, line["label"], line["unit"], line["target_text"],
                _number(line.get("target_number", line["target_value"])),
                _number(line["period_value"], decimals), _number(line["to_date"], decimals),
                _number(line["achievement_pct"], 2),
                _number(line["vs_last_year"], change_decimals), line["status_text"],
            ])
            value_format = _number_format(decimals)
            for column in (5, 6, 7):
                sheet.cell(row=row, column=column).number_format = value_format
            sheet.cell(row=row, column=8).number_format = '0.00"%"'
            sheet.cell(row=row, column=9).number_format = (
                '+0.00"%";-0.00"%";0.00"%"' if line["vs_last_year_kind"] == "pct"
                else "+" + value_format + ";-" + value_format
            )
            if line["achievement_pct"] is not None:
                chart_rows.append(row)
    if content.get("poverty"):
        row = _poverty(sheet, row + 2, content["poverty"], heading, columns[0])
    if content["at_risk"] or content["lagging"]:
        row += 2
        sheet.cell(row=row, column=1, value=labels["at_risk"]).font = heading
        for sentence in content["at_risk"]:
            row += 1
            sheet.cell(row=row, column=2, value=sentence).font = Font(name=FONT, size=11)
        for unit in content["lagging"]:
            row += 1
            sheet.cell(row=row, column=2, value=unit["text"]).font = Font(name=FONT, size=11)
    if chart_rows:
        _chart(workbook, sheet, chart_rows, labels)
    buffer = io.BytesIO()
    workbook_neutralise(workbook)
    workbook.save(buffer)
    return buffer.getvalue()


def _poverty(sheet, row: int, section: dict, heading: Font, number_title: str) -> int:
    """The poverty review's section below the targets, in the sheet's columns: its heading
    and sentences in column B, then its table (numbers as numbers, rates with two
    decimals, "x/y" communes reviewed as text). Returns the last row written."""
    sheet.cell(row=row, column=1, value=section["title"]).font = heading
    for sentence in poverty_sentences(section):
        row += 1
        sheet.cell(row=row, column=2, value=sentence).font = Font(name=FONT, size=11)
    row += 1
    _write_row(sheet, row, [number_title, *section["columns"]], bold=True)
    lines = [*section["numbers"], section["total_numbers"]]
    for number, line in enumerate(lines, start=1):
        row += 1
        last = number == len(lines)
        name, households, poor, rate, near_poor, near_rate, left, reviewed = line
        _write_row(sheet, row, ["" if last else number, name, households, poor,
                                _number(rate), near_poor, _number(near_rate), left, reviewed],
                   bold=last)
        for column in (3, 4, 6, 8):
            sheet.cell(row=row, column=column).number_format = _number_format(0)
        for column in (5, 7):
            sheet.cell(row=row, column=column).number_format = '0.00"%"'
    return row


def _chart(workbook, sheet, rows: list[int], labels: dict) -> None:
    """A native bar chart over a copy of the % column (its own sheet, contiguous rows)."""
    data = workbook.create_sheet(labels["sheet_chart"][:31])
    data.column_dimensions["A"].width = 50
    data.append([labels["columns"][1], labels["columns"][6]])
    for source in rows:
        data.append([sheet.cell(row=source, column=2).value,
                     sheet.cell(row=source, column=8).value])
        data.cell(row=data.max_row, column=2).number_format = '0.00"%"'
    chart = BarChart()
    chart.type = "bar"
    chart.title = labels["chart_title"]
    chart.legend = None
    chart.height = max(7.5, 0.7 * len(rows))
    chart.width = 18
    chart.add_data(Reference(data, min_col=2, min_row=1, max_row=len(rows) + 1),
                   titles_from_data=True)
    chart.set_categories(Reference(data, min_col=1, min_row=2, max_row=len(rows) + 1))
    chart.y_axis.title = "%"
    chart.x_axis.scaling.orientation = "maxMin"
    data.add_chart(chart, "D2")
