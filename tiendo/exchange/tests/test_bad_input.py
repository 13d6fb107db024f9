"""Each bad file gets a clear message, and the stored data is the same afterwards."""

import io
import unicodedata
from datetime import date

import pytest
from openpyxl import Workbook

from tiendo.data.models import DataValue
from tiendo.errors import InvalidInput
from tiendo.exchange.services import upload_import
from tiendo.exchange.template import template_build
from tiendo.exchange.tests.conftest import save, snapshot, store, workbook
from tiendo.lib.periods import parse_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(area):
    store(area["can_duoc"], "jobs_created", 1500)
    return snapshot()


def _refused(data: bytes, **kwargs) -> list:
    with pytest.raises(InvalidInput) as caught:
        upload_import(stream=io.BytesIO(data), filename="f.xlsx", user=None, actor="test",
                      store=True, **kwargs)
    return caught.value.problems


def _form(area, lao_dong, **cells):
    book = workbook(template_build(data_set=lao_dong, unit=area["can_duoc"],
                                   period=parse_period("2024")))
    sheet = book["Data"]
    for row in sheet.iter_rows(min_row=7):
        if row[0].value in cells and not row[1].value:
            row[4].value = cells[row[0].value]
    return book


def test_it_refuses_an_empty_file(stored):
    assert "empty" in _refused(b"")[0].message
    assert snapshot() == stored


def test_it_refuses_a_file_that_is_not_excel(stored):
    problems = _refused(b"PK\x03\x04 this is no zip at all" + bytes(range(256)))
    assert "cannot be read as an Excel workbook" in problems[0].message
    assert "neither an Excel" in _refused(b"\x00\x01\xff\xfe" * 200)[0].message
    assert snapshot() == stored


def test_it_recognises_a_password_protected_workbook(stored):
    # Encrypted .xlsx files are OLE compound documents, not zips; the header is enough.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert "password" in _refused(ole)[0].message
    assert snapshot() == stored


def test_it_refuses_a_sheet_above_the_row_limit(stored, settings):
    settings.TIENDO_UPLOAD_MAX_ROWS = 50
    book = Workbook(write_only=True)
    sheet = book.create_sheet("values")
    sheet.append(["dataelement", "period", "orgunit", "value"])
    for number in range(60):
        sheet.append(["jobs_created", f"2024{number % 12 + 1:02d}", "805", number])
    problems = _refused(save(book))
    assert "above the limit of 50" in problems[0].message
    assert snapshot() == stored


def test_it_refuses_a_formula_in_a_value_cell(area, lao_dong, stored):
    problems = _refused(save(_form(area, lao_dong, new_jobs="=SUM(E7:E8)")))
    assert "formula" in problems[0].message
    assert (problems[0].sheet, problems[0].field[0], problems[0].value) == (
        "Data", "E", "=SUM(E7:E8)")
    assert snapshot() == stored


def test_it_refuses_a_date_where_a_number_belongs(area, lao_dong, stored):
    problems = _refused(save(_form(area, lao_dong, new_jobs=date(2024, 3, 15))))
    assert "date" in problems[0].message
    assert snapshot() == stored


def test_it_refuses_duplicate_rows_with_different_values(area, stored):
    book = Workbook()
    sheet = book.active
    sheet.append(["dataelement", "period", "orgunit", "value"])
    sheet.append(["new_jobs", "2024", "805", 10])
    sheet.append(["new_jobs", "2024", "805", 12])
    problems = _refused(save(book))
    assert "appears twice" in problems[0].message and problems[0].line == 3
    assert snapshot() == stored


def test_it_reads_decomposed_vietnamese_in_a_free_form_sheet(area, lao_dong, stored):
    book = Workbook()
    sheet = book.active
    sheet.append(["Chỉ tiêu", unicodedata.normalize("NFD", "Huyện Cần Đước")])
    sheet.append([unicodedata.normalize("NFD", "Số lao động được tạo việc làm mới"), 40])
    outcome = upload_import(stream=io.BytesIO(save(book)), filename="f.xlsx", user=None,
                            actor="t", store=True, expected=_expected_2024())
    proposal = outcome.proposal
    assert [label.code for label in proposal.columns] == ["805"]
    assert [label.code for label in proposal.rows] == ["new_jobs"]
    assert snapshot() == stored


def _expected_2024():
    from tiendo.exchange.template import Expected

    return Expected(period=parse_period("2024"))


def test_it_refuses_a_text_file_that_is_no_known_format(stored):
    assert "unknown file format" in _refused(b"a;b;c\n1;2;3\n")[0].message
    assert DataValue.objects.count() == 1
