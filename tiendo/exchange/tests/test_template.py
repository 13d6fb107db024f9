import io
from decimal import Decimal

import pytest

from tiendo.data.models import DataValue
from tiendo.data.services import datavalue_set_status
from tiendo.errors import InvalidInput
from tiendo.exchange.services import upload_import
from tiendo.exchange.template import KEY_SHEET, Expected, template_build
from tiendo.exchange.tests.conftest import save, snapshot, store, workbook
from tiendo.lib.periods import parse_period

pytestmark = pytest.mark.django_db
P2024 = parse_period("2024")


def _row(sheet, code, part=None) -> int:
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if row[0] == code and (row[1] or None) == part:
            return number
    raise AssertionError(f"no row for {code} {part}")


def _form(area, lao_dong, unit="can_duoc", period=P2024):
    return workbook(template_build(data_set=lao_dong, unit=area[unit], period=period))


def _upload(book, *, store=True, user=None, **kwargs):
    return upload_import(stream=io.BytesIO(save(book)), filename="form.xlsx", user=user,
                         actor="test", store=store, **kwargs)


def test_it_fills_the_form_with_the_unit_period_and_stored_values(area, lao_dong):
    store(area["can_duoc"], "jobs_created", 1500)
    book = _form(area, lao_dong)
    sheet = book["Data"]
    assert "Huyện Cần Đước (code 805)" in sheet["A2"].value
    assert "(code 2024)" in sheet["A3"].value
    assert sheet.cell(row=_row(sheet, "jobs_created"), column=5).value == 1500
    assert _row(sheet, "overseas_workers", "JP") == _row(sheet, "overseas_workers") + 1
    assert book.sheetnames[1] == "Instructions"
    assert book[KEY_SHEET].sheet_state == "veryHidden"


def test_it_validates_value_cells_in_excel(area, lao_dong):
    sheet = _form(area, lao_dong)["Data"]
    rate = sheet.cell(row=_row(sheet, "urban_unemployment_rate"), column=5).coordinate
    rules = {rule.type + ":" + (rule.formula1 or "") + "-" + (rule.formula2 or ""): rule
             for rule in sheet.data_validations.dataValidation}
    assert rate in rules["decimal:0-100"].sqref
    assert "whole:0-" in rules


def test_it_changes_exactly_the_edited_values_on_a_round_trip(area, lao_dong):
    store(area["can_duoc"], "jobs_created", 1500)
    store(area["can_duoc"], "new_jobs", 300)
    before = {(v.data_element.code, v.part): (v.value, v.version)
              for v in DataValue.objects.select_related("data_element")}
    book = _form(area, lao_dong)
    sheet = book["Data"]
    sheet.cell(row=_row(sheet, "new_jobs"), column=5).value = 320
    outcome = _upload(book)
    after = {(v.data_element.code, v.part): (v.value, v.version)
             for v in DataValue.objects.select_related("data_element")}
    assert (outcome.result.created, outcome.result.updated, outcome.result.unchanged) == (0, 1, 1)
    assert after == {**before, ("new_jobs", ""): (Decimal(320), 2)}


def test_it_refuses_a_form_of_another_unit_unless_meant(area, lao_dong):
    book = _form(area, lao_dong, unit="duc_hoa")
    sheet = book["Data"]
    sheet.cell(row=_row(sheet, "jobs_created"), column=5).value = 7
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        _upload(book, expected=Expected(unit=area["can_duoc"]))
    assert "Huyện Đức Hòa" in caught.value.problems[0].message
    assert snapshot() == before
    _upload(book, expected=Expected(unit=area["can_duoc"], accept_other=True))
    assert DataValue.objects.get().org_unit == area["duc_hoa"]


def test_it_refuses_a_form_of_another_period(area, lao_dong):
    book = _form(area, lao_dong, period=parse_period("2023"))
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        _upload(book, expected=Expected(period=P2024))
    assert caught.value.problems[0].field == "period"
    assert snapshot() == before


def test_it_keeps_text_numbers_until_the_warning_is_accepted(area, lao_dong):
    book = _form(area, lao_dong)
    sheet = book["Data"]
    sheet.cell(row=_row(sheet, "jobs_created"), column=5).value = "15.500"
    sheet.cell(row=_row(sheet, "urban_unemployment_rate"), column=5).value = "1,5"
    before = snapshot()
    outcome = _upload(book)
    assert outcome.needs_acceptance and not outcome.stored
    assert [(w.line, w.field[0], w.value) for w in outcome.warnings] == [
        (_row(sheet, "jobs_created"), "E", "15.500"),
        (_row(sheet, "urban_unemployment_rate"), "E", "1,5")]
    assert snapshot() == before
    _upload(book, accept_warnings=True)
    assert sorted(DataValue.objects.values_list("value", flat=True)) == [Decimal("1.5"),
                                                                         Decimal(15500)]


def test_it_does_not_write_approved_values(area, lao_dong):
    store(area["can_duoc"], "jobs_created", 10)
    datavalue_set_status(value_id=DataValue.objects.get().pk, status="approved", actor="t")
    book = _form(area, lao_dong)
    sheet = book["Data"]
    sheet.cell(row=_row(sheet, "jobs_created"), column=5).value = 11
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        _upload(book)
    assert "approved" in caught.value.problems[0].message
    assert snapshot() == before


def test_it_refuses_an_element_outside_the_data_set(area, lao_dong):
    book = _form(area, lao_dong)
    sheet = book["Data"]
    sheet.protection.sheet = False
    sheet.append(["poor_households", None, None, None, 5])
    with pytest.raises(InvalidInput) as caught:
        _upload(book)
    assert "not part of the data set" in caught.value.problems[0].message


def test_it_refuses_units_outside_the_users_scope(area, lao_dong, people):
    book = _form(area, lao_dong, unit="duc_hoa")
    sheet = book["Data"]
    sheet.cell(row=_row(sheet, "jobs_created"), column=5).value = 7
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        _upload(book, user=people["officer"])
    assert "outside" in caught.value.problems[0].message
    assert snapshot() == before
