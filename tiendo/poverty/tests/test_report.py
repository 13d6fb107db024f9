"""The review in the periodic report: the same table and sentences in Word, Excel and PDF,
and a unit whose communes were only partly reviewed says so ("2/3 xã đã rà soát")."""

import datetime
import io
import subprocess

import docx
import openpyxl
import pytest

from tiendo.audit.services import Actor
from tiendo.lib.periods import parse_period
from tiendo.org.services import orgunit_create
from tiendo.poverty.services import review_import
from tiendo.poverty.tests.helpers import household_file
from tiendo.reports.content import report_content
from tiendo.reports.services import report_render

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 1, 5, 9, tzinfo=datetime.UTC)
# Tân Ninh: 3 households, 2 poor (one at the line exactly); Bình Minh: 4, 1 near-poor.
POOR = ["health_insurance", "water", "sanitation"]
ROWS = [
    {"household_id": "T1", "commune": "25459", "income_per_capita": 1_400_000, "deprived": POOR},
    {"household_id": "T2", "commune": "25459", "income_per_capita": 1_500_000, "deprived": POOR},
    {"household_id": "T3", "commune": "25459", "income_per_capita": 1_500_001},
    {"household_id": "B1", "commune": "25480", "income_per_capita": 900_000},
    {"household_id": "B2", "commune": "25480", "income_per_capita": 2_000_000},
    {"household_id": "B3", "commune": "25480", "area": "urban", "income_per_capita": 2_500_000},
    {"household_id": "B4", "commune": "25480", "area": "urban", "income_per_capita": 3_000_001},
]


@pytest.fixture
def reviewed(world):
    # A third commune of the province that has not sent its review.
    orgunit_create(code="25481", name="Xã Chưa Rà", kind="commune", parent=world.province)
    review_import(data=household_file(ROWS), name="r.csv", actor=Actor.system("test"))
    return report_content(unit=world.province, period=parse_period("2024"), now=NOW)


def test_the_section_holds_the_table_and_says_how_complete_it_is(reviewed):
    section = reviewed["poverty"]
    assert section["rows"] == [
        ["Phường Tân Ninh", "3", "2", "66,67%", "0", "0,00%", "0", "1/1"],
        ["Phường Bình Minh", "4", "0", "0,00%", "1", "25,00%", "0", "1/1"],
    ]
    assert section["total"] == ["Tổng số", "7", "2", "28,57%", "1", "14,29%", "0", "2/3"]
    assert section["completeness"] == (
        "2/3 xã đã rà soát năm 2024: số liệu chỉ gồm các xã đã rà soát.")


def test_the_word_report_shows_the_section(reviewed):
    document = docx.Document(io.BytesIO(report_render(reviewed, "docx")))
    texts = [p.text for p in document.paragraphs]
    assert "Kết quả rà soát hộ nghèo năm 2024" in texts
    assert reviewed["poverty"]["completeness"] in texts
    grid = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["Tổng số", "7", "2", "28,57%", "1", "14,29%", "0", "2/3"] in grid


def test_the_excel_report_shows_the_section_with_numbers(reviewed):
    sheet = openpyxl.load_workbook(io.BytesIO(report_render(reviewed, "xlsx"))).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    title = next(i for i, row in enumerate(cells)
                 if row[0] == "Kết quả rà soát hộ nghèo năm 2024")
    below = cells[title + 1:]
    assert any(row[1] == reviewed["poverty"]["completeness"] for row in below)
    header = next(i for i, row in enumerate(below) if row[1] == "Đơn vị")
    assert below[header][1:9] == reviewed["poverty"]["columns"]
    assert below[header + 1][:9] == [1, "Phường Tân Ninh", 3, 2, 66.67, 0, 0, 0, "1/1"]
    assert below[header + 3][:9] == [None, "Tổng số", 7, 2, 28.57, 1, 14.29, 0, "2/3"]
    rate = sheet.cell(row=title + 1 + header + 1 + 1, column=5)
    assert rate.number_format == '0.00"%"'  # a number shown as a percentage


def test_the_pdf_report_shows_the_section(reviewed, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(report_render(reviewed, "pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Kết quả rà soát hộ nghèo năm 2024" in text
    assert "2/3 xã đã rà soát năm 2024" in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Phường Tân Ninh 3 2 66,67% 0 0,00% 0 1/1" in lines
    assert "Tổng số 7 2 28,57% 1 14,29% 0 2/3" in lines


def test_the_review_page_says_a_unit_is_partly_reviewed(reviewed, world, client):
    client.force_login(world.users["viewer"])
    page = client.get(f"/poverty/{world.province.pk}/2024/").content.decode()
    assert "2/3 xã đã rà soát năm 2024: số liệu chỉ gồm các xã đã rà soát." in page
    commune = client.get(f"/poverty/{world.commune.pk}/2024/").content.decode()
    assert "1/1 xã đã rà soát năm 2024." in commune
    answer = client.get("/api/v1/poverty/reviews/2024?unit=80").json()["total"]
    assert (answer["communes"], answer["communes_total"]) == (2, 3)
