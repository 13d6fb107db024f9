"""The report as a Word document in the layout of Decree 30/2020/NĐ-CP, Appendix I.

A4 portrait, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; header in
two columns (bodies and number on the left, national motto and date on the right); title
and subject centred; body 14 pt justified with a 1,27 cm first-line indent; recipients and
signature at the end; page numbers centred at the top from page 2.
"""

import datetime
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from tiendo.poverty.report import poverty_sentences
from tiendo.reports.blocks import fit_lines, number_text, signature_lines
from tiendo.reports.charts import chart_png
from tiendo.reports.ooxml import insert_in_order

FONT = "Times New Roman"
TEXT_WIDTH_MM = 210 - 30 - 15
HEADER_LEFT_MM = 62
CELL_MARGINS_MM = 4  # Word's default cell margins, 0,19 cm each side
__all__ = ["number_text", "render_docx"]


def _run(paragraph, text: str, size: float, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.name = FONT
    run.bold = bold
    run.italic = italic
    return run


def _para(container, text: str = "", size: float = 14, bold=False, italic=False,
          align=WD_ALIGN_PARAGRAPH.CENTER, after: float = 0, indent: bool = False):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        _run(paragraph, text, size, bold, italic)
    return paragraph


def _rule(paragraph, fraction: float, width_mm: float) -> None:
    """A solid line under the text: a top border on an empty paragraph indented on both
    sides so that the line is `fraction` of the column's width, a few points below the text
    above it and clear of the text below."""
    side = Mm(width_mm * (1 - fraction) / 2)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.space_before = Pt(3)
    paragraph.paragraph_format.space_after = Pt(4)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    insert_in_order(paragraph._p.get_or_add_pPr(), borders)
    for run in paragraph.runs:
        run.font.size = Pt(2)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    insert_in_order(table._tbl.tblPr, borders)


def _lines(paragraph, lines: list[str], size: float, bold=False, italic=False) -> None:
    """Lines set apart by line breaks in one paragraph (a body's name fitted to its column)."""
    for index, line in enumerate(lines):
        run = _run(paragraph, line, size, bold, italic)
        if index < len(lines) - 1:
            run.add_break()


def _page_number_header(section) -> None:
    section.different_first_page_header_footer = True  # no number on the first page
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _run(paragraph, "", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
        else:
            field = OxmlElement("w:instrText")
            field.set(qn("xml:space"), "preserve")
            field.text = text
        run._r.append(field)


def _set_widths(table, widths_mm: list[float]) -> None:
    """Widths on the grid and on every cell: Word reads the cells, LibreOffice the grid."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell(cell, text: str, size: float = 11, bold=False, italic=False,
          align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, size, bold, italic)


def _header_block(document, content: dict) -> None:
    params, labels = content["params"], content["labels"]
    left_mm, right_mm = HEADER_LEFT_MM, TEXT_WIDTH_MM - HEADER_LEFT_MM
    room = left_mm - CELL_MARGINS_MM
    table = document.add_table(rows=2, cols=2)
    _no_borders(table)
    _set_widths(table, [left_mm, right_mm])
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.paragraph_format.space_after = Pt(0)
    if params["parent_body"]:
        size, lines = fit_lines(params["parent_body"].upper(), room, bold=False)
        _lines(first, lines, size)
        body = _para(left, "", 13)
    else:
        body = first
    size, lines = fit_lines(params["issuing_body"].upper(), room)
    _lines(body, lines, size, bold=True)
    _rule(_para(left, " ", 2), 0.4, left_mm)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], labels["motto"], 12, bold=True)
    _para(right, labels["tagline"], 13, bold=True)
    _rule(_para(right, " ", 2), 0.62, right_mm)
    number_cell, date_cell = table.rows[1].cells
    _cell(number_cell, f"{labels['number']}: {number_text(params)}", 13,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    size, lines = fit_lines(content["date_text"], right_mm - CELL_MARGINS_MM, bold=False,
                            italic=True, sizes=(14, 13))
    date = date_cell.paragraphs[0]
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _lines(date, lines, size, italic=True)


def _table(document, section: dict, labels: dict) -> None:
    columns = labels["columns"]
    widths = [8, 33, 14, 17, 17, 17, 18, 17, 24]  # no figure, unit or verdict cut inside
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, columns, strict=True):
        _cell(cell, title, 10, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _row_flag(table.rows[0], "w:tblHeader")  # repeated on each page the table runs onto
    right = WD_ALIGN_PARAGRAPH.RIGHT
    for number, row in enumerate(section["rows"], start=1):
        cells = table.add_row().cells
        values = [
            (str(number), WD_ALIGN_PARAGRAPH.CENTER), (row["label"], None),
            (row["unit"], WD_ALIGN_PARAGRAPH.CENTER), (row["target_text"], right),
            (row["period_text"], right), (row["to_date_text"], right),
            (row["achievement_text"], right), (row["vs_last_year_text"], right),
            (row["status_text"], WD_ALIGN_PARAGRAPH.CENTER),
        ]
        for cell, (text, align) in zip(cells, values, strict=True):
            _cell(cell, text, 10, align=align or WD_ALIGN_PARAGRAPH.LEFT)
    for row in table.rows:
        _row_flag(row, "w:cantSplit")  # a row is never cut across two pages
    _set_widths(table, widths)


def _poverty(document, section: dict, body) -> None:
    """The poverty review's section (tiendo.poverty.report.poverty_section): its heading and
    sentences in the body's layout, its table laid out like the targets' table."""
    body(section["title"], bold=True)
    for text in poverty_sentences(section):
        body(text)
    widths = [37, 16, 16, 19, 17, 19, 19, 22]  # 165 mm, the text width
    table = document.add_table(rows=1, cols=len(section["columns"]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, section["columns"], strict=True):
        _cell(cell, title, 10, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _row_flag(table.rows[0], "w:tblHeader")
    lines = [*section["rows"], section["total"]]
    for number, values in enumerate(lines, start=1):
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, text, 10, bold=number == len(lines),
                  align=WD_ALIGN_PARAGRAPH.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.RIGHT)
    for row in table.rows:
        _row_flag(row, "w:cantSplit")
    _set_widths(table, widths)
    _para(document, "", 6)


def _tasks(document, tasks: dict, body) -> None:
    """The section on tasks (tiendo.assignments.present.tasks_section): its sentences and
    the table of overdue tasks."""
    body(tasks["title"], bold=True)
    for sentence in tasks["sentences"]:
        body(sentence)
    if not tasks["overdue"]:
        body(tasks["none_overdue"])
        return
    table = document.add_table(rows=1, cols=len(tasks["overdue_columns"]))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, tasks["overdue_columns"], strict=True):
        _cell(cell, title, 10, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for number, row in enumerate(tasks["overdue"], start=1):
        values = [str(number), row["title"], row["document"], row["unit"], row["deadline"],
                  str(row["days_overdue"])]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _cell(cell, text, 10, align=WD_ALIGN_PARAGRAPH.LEFT)


def _row_flag(row, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def render_docx(content: dict) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    # East-Asian and complex-script slots too, or Word may pick another font for "ệ".
    fonts = style.element.rPr.rFonts
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    generated = datetime.datetime.fromisoformat(content["generated_at"])
    props = document.core_properties
    props.title = content["params"]["subject"]
    props.author = content["params"]["issuing_body"]
    props.created = props.modified = generated.replace(tzinfo=None)
    props.last_modified_by = ""
    props.revision = 1
    _page_number_header(section)

    _header_block(document, content)
    params, labels = content["params"], content["labels"]
    _para(document, labels["title"], 14, bold=True).paragraph_format.space_before = Pt(12)
    _para(document, params["subject"], 14, bold=True)
    _rule(_para(document, " ", 2), 0.35, TEXT_WIDTH_MM)
    if params["addressee"]:
        _para(document, f"{labels['addressee']} {params['addressee']}", 14, after=6
              ).paragraph_format.space_before = Pt(6)

    def body(text: str, bold=False):
        paragraph = _para(document, text, 14, bold=bold, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                          after=6, indent=True)
        paragraph.paragraph_format.keep_with_next = bold  # a heading stays with its text
        return paragraph

    body(labels["results"], bold=True)
    body(content["summary"]["text"])
    for number, sector in enumerate(content["sections"], start=1):
        body(f"{number}. {sector['name']}", bold=True)
        for row in sector["rows"]:
            body(row["sentence"])
        _table(document, sector, labels)
        _para(document, "", 6)
    if any(row["estimate"] for s in content["sections"] for row in s["rows"]):
        _para(document, labels["estimate_note"], 11, italic=True,
              align=WD_ALIGN_PARAGRAPH.LEFT, after=6)
    if content["no_data"]:
        body(f"{labels['no_data']}: {', '.join(content['no_data'])}.")
    if content.get("poverty"):
        _poverty(document, content["poverty"], body)

    png = chart_png(content)
    if png:
        body(labels["chart"], bold=True)
        document.add_picture(io.BytesIO(png), width=Mm(TEXT_WIDTH_MM - 5))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    body(labels["at_risk"], bold=True)
    body(f"{labels['at_risk_targets']}:", bold=False)
    for sentence in content["at_risk"] or [labels["none_at_risk"]]:
        body(f"- {sentence}")
    body(f"{labels['lagging']}:")
    for unit in content["lagging"] or [{"text": labels["none_lagging"]}]:
        body(f"- {unit['text'].rstrip('.')}.")
    if content.get("tasks"):
        _tasks(document, content["tasks"], body)

    for part in content.get("narrative", []):
        body(part["title"], bold=True)
        for text in part["text"].splitlines():
            if text.strip():
                body(text.strip())

    _closing(document, content)
    _end(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _closing(document, content: dict) -> None:
    params, labels = content["params"], content["labels"]
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _set_widths(table, [80, TEXT_WIDTH_MM - 80])
    left, right = table.rows[0].cells
    left.paragraphs[0].paragraph_format.space_before = Pt(12)
    _run(left.paragraphs[0], labels["recipients"], 12, bold=True, italic=True)
    recipients = params["recipients"]
    for index, recipient in enumerate(recipients):
        end = "." if index == len(recipients) - 1 else ";"
        _para(left, f"- {recipient.rstrip(';.')}{end}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    first = right.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.paragraph_format.space_before = Pt(12)
    for index, line in enumerate(signature_lines(params)):
        _run(first if index == 0 else _para(right, "", 14), line, 14, bold=True)
    for _blank in range(4):  # the space for the signature and the seal
        _para(right, "", 14)
    _para(right, params["signer_name"], 14, bold=True)


def _end(document) -> None:
    """The paragraph a document must end with after a table, one point high, so that it
    never spills onto a blank last page."""
    paragraph = _para(document, "", 1)
    paragraph.paragraph_format.line_spacing = Pt(1)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    run_props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    run_props.append(size)
    insert_in_order(paragraph._p.get_or_add_pPr(), run_props)  # the mark is one point too
