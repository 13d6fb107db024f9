"""Every kind of Word file the reports produce keeps ECMA-376's element order, opens in
LibreOffice and converts to PDF, has no blank last page, and lays out its title block and
signature as Decree 30/2020 asks."""

import datetime
import io
from decimal import Decimal

import docx
import pytest

from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.periods import parse_period
from tiendo.plans.models import Target, TargetSet
from tiendo.reports.blocks import NBSP, fit_lines, number_text, text_width_mm
from tiendo.reports.content import report_content
from tiendo.reports.models import ReportIssuer
from tiendo.reports.services import report_generate, report_render
from tiendo.reports.tests.docx_checks import docx_to_pdf, order_problems, pdf_pages_text

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 1, 5, 9, tzinfo=datetime.UTC)


def _figures(province, *, behind: bool):
    plan = TargetSet.objects.create(name="KH 2024")
    for code, target, actual in (("jobs_created", 1000, 800 if behind else 1200),
                                 ("new_jobs", 500, 600)):
        Target.objects.create(target_set=plan, indicator=Indicator.objects.get(code=code),
                              org_unit=province["province"], period="2024",
                              comparison="at_least", value=Decimal(target))
        datavalues_save(values=[ValueInput(
            element=DataElement.objects.get(code=code), org_unit=province["province"],
            period=parse_period("2024"), value=Decimal(actual))], actor="test")


def _department(province):
    return ReportIssuer.objects.create(
        org_unit=province["province"], layout=ReportIssuer.Layout.DEPARTMENT,
        department_name="Sở Lao động - Thương binh và Xã hội", department_symbol="SLĐTBXH",
        signer_name="Lê Minh Tâm", signer_is_deputy=True, archive_office="VP")


@pytest.mark.parametrize("layout", ["committee", "department"])
def test_every_word_file_keeps_the_element_order_and_converts_in_libreoffice(
        province, layout, tmp_path):
    _figures(province, behind=True)
    if layout == "department":
        _department(province)
    content = report_content(unit=province["province"], period=parse_period("2024"), now=NOW)
    data = report_render(content, "docx")
    assert order_problems(data) == []
    pages = pdf_pages_text(docx_to_pdf(data, tmp_path, f"report-{layout}"))
    assert pages and pages[-1].strip(), "the last page is blank"
    assert "Nơi nhận" in pages[-1]


def test_the_pdf_sizes_its_title_block_in_css_numbers_in_vietnamese_too(province):
    """A Vietnamese page writes 13,0 for 13.0; CSS would ignore such a font size."""
    import re

    from django.utils import translation

    from tiendo.reports.pdf import report_html

    _department(province)
    with translation.override("vi"):
        content = report_content(unit=province["province"], period=parse_period("2024"),
                                 now=NOW, lang="vi")
        html = report_html(content)
    sizes = re.findall(r"font-size: ([^;\"]*)", html)
    assert sizes and all(re.fullmatch(r"\d+(\.\d+)?pt", size) for size in sizes), sizes


def test_the_order_check_finds_what_word_would_call_unreadable():
    document = docx.Document()
    paragraph = document.add_paragraph("x")
    paragraph.alignment = 1
    from docx.oxml import OxmlElement
    paragraph._p.get_or_add_pPr().append(OxmlElement("w:pBdr"))  # after w:jc: wrong
    buffer = io.BytesIO()
    document.save(buffer)
    assert order_problems(buffer.getvalue()) == [
        "word/document.xml: w:pBdr after w:jc inside w:pPr",
        "word/document.xml: the body must end with a paragraph and sectPr, not "
        "['w:p', 'w:sectPr']"][:1]


def test_a_department_report_has_the_departments_blocks(province):
    _figures(province, behind=True)
    _department(province)
    content = report_content(unit=province["province"], period=parse_period("2024"), now=NOW)
    params = content["params"]
    assert (params["parent_body"], params["issuing_body"], params["symbol"]) == (
        "ỦY BAN NHÂN DÂN TỈNH LONG AN", "Sở Lao động - Thương binh và Xã hội", "BC-SLĐTBXH")
    assert (params["signer_authority"], params["signer_title"], params["signer_name"]) == (
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Minh Tâm")
    assert params["addressee"] == "Ủy ban nhân dân Tỉnh Long An"
    assert params["recipients"] == ["Như trên", "Lưu: VT, VP"]
    document = docx.Document(io.BytesIO(report_render(content, "docx")))
    texts = [p.text for p in document.paragraphs]
    assert "Kính gửi: Ủy ban nhân dân Tỉnh Long An" in texts
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" in cells and "Lê Minh Tâm" in cells
    assert f"Số: {NBSP * 8}/BC-SLĐTBXH" in cells  # the number left for the clerk


def test_a_committee_report_is_signed_on_behalf_of_the_committee(province):
    _figures(province, behind=False)
    content = report_content(unit=province["province"], period=parse_period("2024"), now=NOW)
    params = content["params"]
    assert (params["issuing_body"], params["symbol"], params["signer_authority"],
            params["signer_title"]) == ("ỦY BAN NHÂN DÂN TỈNH LONG AN", "BC-UBND",
                                        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert params["addressee"] == "" and params["recipients"] == ["Lưu: VT"]


def test_the_narrative_is_drafted_from_the_lagging_targets_and_kept_as_edited(province):
    _figures(province, behind=True)
    content = report_content(unit=province["province"], period=parse_period("2024"), now=NOW)
    parts = {part["code"]: part for part in content["narrative"]}
    assert [part["title"] for part in content["narrative"]] == [
        "III. ĐÁNH GIÁ CHUNG", "IV. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "V. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"]
    assert "Số lao động được giải quyết việc làm: đạt 80,00% kế hoạch" in parts[
        "narrative_shortcomings"]["text"]
    assert "Số lao động được giải quyết việc làm" in parts["narrative_directions"]["text"]
    edited = "Nguyên nhân: doanh nghiệp tuyển dụng ít hơn dự kiến.\nCần rà soát lại."
    report = report_generate(unit=province["province"], period="2024", file_format="docx",
                             params={"narrative_shortcomings": edited}, actor="test")
    parts = {part["code"]: part for part in report.content["narrative"]}
    assert parts["narrative_shortcomings"]["text"] == edited
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(bytes(report.file))).paragraphs)
    assert "Nguyên nhân: doanh nghiệp tuyển dụng ít hơn dự kiến." in text
    assert report_render(report.content, "docx") == bytes(report.file)  # archived as it was


def test_a_long_body_name_is_broken_between_words_and_fits_its_column():
    for name in ("ỦY BAN NHÂN DÂN TỈNH TÂY NINH", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
                 "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"):
        size, lines = fit_lines(name, 64)
        assert 12 <= size <= 13
        assert [word for line in lines for word in line.split(NBSP)] == name.split()
        assert all(text_width_mm(line.replace(NBSP, " "), size) <= 64 for line in lines)
    size, lines = fit_lines("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", 64)
    assert lines[-1].startswith("THÀNH")  # the place's name kept whole on its line
    assert number_text({"number": "7", "symbol": "BC-UBND"}) == "07/BC-UBND"
