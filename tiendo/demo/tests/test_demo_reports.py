"""The demo's Long An 2023 and Ho Chi Minh City 2022 reports, read back from the files."""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from tiendo.data.models import DataValue
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.demo.loader import HCMC_SET, LONG_AN_2023_SET
from tiendo.indicators.models import DataElement
from tiendo.lib.periods import parse_period
from tiendo.org.selectors import orgunit_resolve
from tiendo.plans.models import TargetSet
from tiendo.reports.pdf import report_html
from tiendo.reports.services import report_generate, report_render

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts"
LEGACY_DAY = datetime.date(2024, 12, 31)


_BUILT: dict[tuple, object] = {}


def _report(file_format: str, code: str, period: str, set_name: str, lang: str = "vi"):
    """Each report is built once per run and read back by several tests (the rows are
    rolled back after each test; the object keeps the file and its content)."""
    key = (file_format, code, period, set_name, lang)
    if key not in _BUILT:
        _BUILT[key] = _generate(file_format, code, period, set_name, lang)
    return _BUILT[key]


def _generate(file_format: str, code: str, period: str, set_name: str, lang: str = "vi"):
    unit = orgunit_resolve(code=code, on=LEGACY_DAY)
    return report_generate(
        unit=unit, period=period, file_format=file_format,
        target_set=TargetSet.objects.get(name=set_name), lang=lang,
        params={"number": "5", "symbol": "BC-SLĐTBXH", "signer_name": "Nguyễn Văn A"},
        actor="test",
    )


def _docx_text(data: bytes) -> tuple[docx.document.Document, str]:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return document, "\n".join(parts)


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_it_writes_the_hcmc_word_report_in_the_decree_layout(demo):
    report = _report("docx", "79", "2022", HCMC_SET)
    document, text = _docx_text(bytes(report.file))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 05/BC-SLĐTBXH" in text
    assert "BÁO CÁO" in [p.text for p in document.paragraphs]
    assert "Có 22/23 chỉ tiêu đạt và vượt kế hoạch (95,65%)" in text
    assert "Nơi nhận:" in text and "Nguyễn Văn A" in text
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert document.styles["Normal"].font.name == "Times New Roman"
    # Page numbers at the top from page 2 on: a PAGE field in the header, none on page 1.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_it_puts_one_table_per_sector_with_the_engine_figures(demo):
    report = _report("docx", "79", "2022", HCMC_SET)
    document, _text = _docx_text(bytes(report.file))
    data_tables = [t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu"]
    # 7 sectors: the typed work-programme counts (their own sector) became task counts.
    assert len(data_tables) == len(report.content["sections"]) == 7
    rows = {row.cells[1].text: [c.text for c in row.cells]
            for table in data_tables for row in table.rows[1:]}
    assert len(rows) == 23
    assert rows["Số đảng viên mới kết nạp"][3:7] == ["70", "71", "71", "101,43%"]
    assert rows["Số lao động được giải quyết việc làm"][5] == "315.900"
    assert rows["Số phiên giao dịch việc làm"][8] == "không đạt"


def test_it_writes_sentences_in_the_style_of_provincial_reports(demo):
    report = _report("docx", "79", "2022", HCMC_SET)
    _document, text = _docx_text(bytes(report.file))
    assert ("Số lao động được giải quyết việc làm: 315.900 người, đạt 105,30% kế hoạch năm "
            "(300.000 người).") in text
    assert "Số hộ nghèo: 20.790 hộ, giảm 9.210 so với đầu kỳ, đạt 184,20% kế hoạch năm" in text


def test_it_writes_the_long_an_report_with_same_period_last_year(demo):
    report = _report("docx", "80", "2023", LONG_AN_2023_SET)
    _document, text = _docx_text(bytes(report.file))
    assert "Có 7/7 chỉ tiêu đạt và vượt kế hoạch (100,00%)" in text
    # Long An was dissolved on 1 July 2025: a report on it made today is Tây Ninh's.
    assert "Tây Ninh, ngày" in text.replace("\xa0", " ")
    assert "của Tỉnh Long An (trước sắp xếp)" in text
    assert "Tỷ lệ hộ nghèo: 0,77%, giảm 0,24 điểm % so với đầu kỳ" in text


def test_it_writes_numbers_as_numbers_in_excel(demo):
    report = _report("xlsx", "79", "2022", HCMC_SET)
    sheet = openpyxl.load_workbook(io.BytesIO(bytes(report.file))).worksheets[0]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=6) if row[1].value}
    jobs = rows["Số lao động được giải quyết việc làm"]
    assert jobs[4].value == 300000 and jobs[6].value == 315900  # the plan's figure beside it
    assert jobs[6].number_format == "#,##0"
    members = rows["Số đảng viên mới kết nạp"]
    assert members[7].value == 101.43  # rounded as reported
    assert members[7].number_format == '0.00"%"'
    assert "22/23" in sheet["A3"].value
    assert sum(1 for row in rows.values() if isinstance(row[6].value, int | float)) == 23
    assert sum(1 for row in rows.values() if isinstance(row[4].value, int | float)) == 23


def test_it_writes_the_pdf_with_the_same_content(demo, tmp_path):
    report = _report("pdf", "80", "2023", LONG_AN_2023_SET)
    text = _pdf_text(bytes(report.file), tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Có 7/7 chỉ tiêu đạt và vượt kế hoạch (100,00%)" in text
    assert "950" in text and "105,56%" in text


def test_it_writes_an_english_report_when_asked(demo, tmp_path):
    report = _report("pdf", "79", "2022", HCMC_SET, lang="en")
    text = _pdf_text(bytes(report.file), tmp_path)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in text
    assert "22/23 targets met or exceeded (95.65%)" in text


@pytest.mark.parametrize(("code", "period", "set_name"),
                         [("79", "2022", HCMC_SET), ("80", "2023", LONG_AN_2023_SET)])
def test_it_keeps_every_pdf_box_inside_the_page(demo, code, period, set_name, tmp_path):
    """Page images go to artifacts/ for a person to look at; the layout says nothing
    sticks out of the page's content box."""
    from weasyprint import HTML

    report = _report("pdf", code, period, set_name)
    document = HTML(string=report_html(report.content)).render()
    for page in document.pages:
        box = page._page_box
        right = box.content_box_x() + box.width
        for child in box.descendants():
            if hasattr(child, "margin_width") and child.width is not None:
                assert child.content_box_x() + child.width <= right + 0.5, child
    # Rendered in this test's own folder (both database legs run at once), then copied.
    pdf = tmp_path / f"report-{code}-{period}.pdf"
    pdf.write_bytes(bytes(report.file))
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(pdf.with_suffix(""))],
                   check=True)
    images = sorted(tmp_path.glob(f"report-{code}-{period}-*.png"))
    assert len(images) == len(document.pages)
    folder = ARTIFACTS / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"report-{code}-{period}-*.png"):
        old.unlink(missing_ok=True)
    for made in [pdf, *images]:
        shutil.copyfile(made, folder / made.name)


def test_it_produces_an_archived_report_again_after_the_data_changed(demo, tmp_path):
    archived = {f: _report(f, "79", "2022", HCMC_SET) for f in ("docx", "xlsx", "pdf")}
    unit = orgunit_resolve(code="79", on=LEGACY_DAY)
    datavalues_save(values=[ValueInput(
        element=DataElement.objects.get(code="new_party_members"), org_unit=unit,
        period=parse_period("2022"), value=Decimal(50))], actor="test")
    assert DataValue.objects.get(data_element__code="new_party_members", org_unit=unit,
                                 period="2022").value == 50
    for file_format, report in archived.items():
        assert report_render(report.content, file_format) == bytes(report.file), file_format
    assert "101,43%" in _pdf_text(bytes(archived["pdf"].file), tmp_path)
    fresh = _generate("pdf", "79", "2022", HCMC_SET)
    assert "Có 21/23" in _pdf_text(bytes(fresh.file), tmp_path)
