"""The two documents a province would sign, from the demo: Ho Chi Minh City's Department of
Labour's 2022 report and Tây Ninh People's Committee's report on nine months of 2026. Each
keeps ECMA-376's element order, converts in LibreOffice, and its pages are kept as images
in artifacts/documents/ for a person to look at."""

import datetime
import shutil
import subprocess

import pytest

from tiendo.demo.loader import HCMC_SET, TAY_NINH_2026_SET
from tiendo.org.selectors import orgunit_resolve
from tiendo.plans.models import TargetSet
from tiendo.reports.services import report_generate
from tiendo.reports.tests.docx_checks import docx_to_pdf, order_problems, pdf_pages_text

from .test_demo_reports import ARTIFACTS

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DOCUMENTS = {
    "hcmc-2022-department": ("79", datetime.date(2022, 12, 31), "2022", HCMC_SET,
                             {"date": "2022-12-20", "number": "5"}),
    "tay-ninh-2026-committee": ("80", datetime.date(2026, 1, 1), "2026YTD09",
                                TAY_NINH_2026_SET, {"date": "2026-10-05"}),
}


def _document(name: str):
    code, day, period, set_name, params = DOCUMENTS[name]
    return report_generate(unit=orgunit_resolve(code=code, on=day), period=period,
                           file_format="docx", target_set=TargetSet.objects.get(name=set_name),
                           params=params, actor="test")


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_demo_documents_convert_and_are_kept_as_page_images(demo, name, tmp_path):
    report = _document(name)
    data = bytes(report.file)
    assert order_problems(data) == []
    pdf = docx_to_pdf(data, tmp_path, name)
    pages = pdf_pages_text(pdf)
    assert pages[-1].strip() and "Nơi nhận" in pages[-1]  # no blank last page
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(tmp_path / name)], check=True)
    images = sorted(tmp_path.glob(f"{name}-*.png"))
    assert len(images) == len(pages)
    folder = ARTIFACTS / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{name}*"):
        old.unlink(missing_ok=True)
    for made in [tmp_path / f"{name}.docx", pdf, *images]:
        shutil.copyfile(made, folder / made.name)


def test_the_hcmc_report_is_the_departments(demo):
    content = _document("hcmc-2022-department").content
    params = content["params"]
    assert (params["parent_body"], params["issuing_body"], params["symbol"]) == (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Sở Lao động - Thương binh và Xã hội",
        "BC-SLĐTBXH")
    assert content["date_text"] == "Thành phố Hồ Chí Minh, ngày 20 tháng 12 năm 2022"
    assert (params["signer_authority"], params["signer_title"], params["signer_name"]) == (
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Minh Tâm")
    assert params["addressee"] == "Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert not content["issuer"]["before_reorganisation"]


def test_the_tay_ninh_report_is_the_committees(demo):
    content = _document("tay-ninh-2026-committee").content
    params = content["params"]
    assert (params["issuing_body"], params["symbol"], params["signer_authority"],
            params["signer_title"], params["signer_name"]) == (
        "ỦY BAN NHÂN DÂN TỈNH TÂY NINH", "BC-UBND", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
        "Nguyễn Thanh Bình")
    assert content["date_text"] == "Tây Ninh, ngày 05 tháng 10 năm 2026"
    assert params["addressee"] == "Bộ Nội vụ" and params["recipients"][0] == "Như trên"


def test_a_2026_report_on_dissolved_long_an_is_issued_by_tay_ninh(demo):
    long_an = orgunit_resolve(code="80", on=datetime.date(2023, 12, 31))
    report = report_generate(unit=long_an, period="2023", file_format="docx",
                             params={"date": "2026-01-05"}, actor="test")
    params = report.content["params"]
    assert params["issuing_body"] == "ỦY BAN NHÂN DÂN TỈNH TÂY NINH"
    assert params["subject"].endswith("của Tỉnh Long An (trước sắp xếp)")
    assert report.content["issuer"]["before_reorganisation"]
