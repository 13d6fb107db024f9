"""The Excel template of a target set: download, edit, upload; and the planning checks the
targets import applies to every user (per set and per unit)."""

import datetime
import io
import unicodedata
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tiendo.audit.models import AuditRecord
from tiendo.errors import Forbidden, InvalidInput
from tiendo.exchange.imports import import_text
from tiendo.exchange.services import upload_import
from tiendo.exchange.targets_template import (
    COL,
    FIRST_ROW,
    KEY_SHEET,
    targets_template_build,
)
from tiendo.exchange.template import Expected
from tiendo.plans.models import Target, TargetSet
from tiendo.plans.services import target_set_get_or_create

VALUE = COL["value"] + 1


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _book(world, user=None):
    data = targets_template_build(target_set=world.target_set, user=user)
    return load_workbook(io.BytesIO(data))


def _bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row_of(sheet, unit_code: str) -> int:
    for row in range(FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row=row, column=COL["org_unit"] + 1).value == unit_code:
            return row
    raise AssertionError(unit_code)


def _fill(sheet, row: int, **cells) -> None:
    for name, value in cells.items():
        sheet.cell(row=row, column=COL[name] + 1, value=value)


def _upload(data: bytes, user, *, store=True, accept_warnings=False, expected=None):
    return upload_import(stream=io.BytesIO(data), filename="chi-tieu.xlsx", user=user,
                         actor="test", store=store, accept_warnings=accept_warnings,
                         expected=expected)


def _targets() -> list[tuple]:
    return list(Target.objects.order_by("pk").values_list(
        "target_set_id", "indicator__code", "org_unit__code", "period", "comparison", "value",
        "value_max", "baseline_period", "responsible_unit_id", "follow_up_person", "note"))


def test_the_template_lists_the_targets_the_user_may_see_in_vietnamese(world):
    book = _book(world, world.users["officer_below"])
    sheet = book.worksheets[0]
    assert sheet.title == "Chỉ tiêu"
    assert sheet["A1"].value == "Chỉ tiêu: KH 2026 tỉnh"
    headings = [cell.value for cell in sheet[FIRST_ROW - 1]]
    assert headings[:8] == ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Mã đơn vị", "Đơn vị",
                            "Kỳ báo cáo", "Cách so sánh", "Giá trị"]
    row = [cell.value for cell in sheet[FIRST_ROW]]
    assert row[:8] == ["jobs_created", "Số lao động được giải quyết việc làm", "người", "760",
                       "Huyện Một", "2026", "Tối thiểu", 600]
    assert sheet.cell(row=FIRST_ROW + 1, column=1).value is None  # the province is not his
    assert book[KEY_SHEET].sheet_state == "veryHidden"
    assert book.sheetnames[1:3] == ["Danh mục", "Hướng dẫn"]
    units = [row[7] for row in book["Danh mục"].iter_rows(min_row=2, values_only=True)
             if row[7]]
    assert units == ["760", "26734"]  # his district and its commune, as text
    kinds = {rule.type for rule in sheet.data_validations.dataValidation}
    assert kinds == {"list", "decimal"}


def test_a_round_trip_changes_exactly_the_edited_targets(world):
    specialist = world.users["specialist"]
    book = _book(world, specialist)
    sheet = book.worksheets[0]
    sheet.cell(row=_row_of(sheet, "760"), column=VALUE, value=650)
    _fill(sheet, FIRST_ROW + 5, indicator="jobs_created", org_unit="761", period="2026",
          comparison=unicodedata.normalize("NFD", "Tối thiểu"), value="1.200",
          note="Giao bổ sung")
    data = _bytes(book)
    before, audits = _targets(), AuditRecord.objects.count()

    check = _upload(data, specialist, store=False)
    assert check.kind == "targets_template"
    assert (check.result.created, check.result.updated, check.result.unchanged) == (1, 1, 1)
    assert [(c.kind, c.key, c.old, c.new) for c in check.changes] == [
        ("changed", "Số lao động được giải quyết việc làm · Huyện Một · 2026", "600", "650"),
        ("new", "Số lao động được giải quyết việc làm · Huyện Hai · 2026", None, "1.200"),
    ]
    assert check.needs_acceptance  # "1.200" typed as text: read as 1200, with a warning
    assert [w.field for w in check.warnings] == ["H (Giá trị)"]
    assert _targets() == before

    stored = _upload(data, specialist, accept_warnings=True)
    assert stored.stored
    after = {row[2]: row for row in _targets()}
    assert after["760"][5] == Decimal(650)
    assert after["761"][5] == Decimal(1200) and after["761"][10] == "Giao bổ sung"
    assert after["79"] == next(row for row in before if row[2] == "79")
    assert AuditRecord.objects.count() == audits + 2

    again = _upload(_bytes(_book(world, specialist)), specialist)
    assert (again.result.created, again.result.updated, again.result.unchanged) == (0, 0, 3)


def test_units_outside_what_the_user_may_plan_are_refused_and_nothing_is_stored(world):
    specialist = world.users["specialist"]
    target_set = target_set_get_or_create(name="KH huyện", scope=world.district,
                                          period="2026", actor="test")
    book = load_workbook(io.BytesIO(targets_template_build(target_set=target_set,
                                                          user=specialist)))
    sheet = book.worksheets[0]
    _fill(sheet, FIRST_ROW, indicator="jobs_created", org_unit="760", period="2026",
          comparison="at_least", value=10)
    _fill(sheet, FIRST_ROW + 1, indicator="jobs_created", org_unit="761", period="2026",
          comparison="at_least", value=10)  # another district: outside the set's scope
    _fill(sheet, FIRST_ROW + 2, indicator="jobs_created", org_unit="01", period="2026",
          comparison="at_least", value=10)  # another province
    before = _targets()
    with pytest.raises(InvalidInput) as error:
        _upload(_bytes(book), specialist)
    found = [(p.line, p.field, p.value, p.sheet) for p in error.value.problems]
    assert found == [(FIRST_ROW + 1, "D (Mã đơn vị)", "761", "Chỉ tiêu"),
                     (FIRST_ROW + 2, "D (Mã đơn vị)", "01", "Chỉ tiêu")]
    assert "phạm vi" in error.value.problems[0].message
    assert _targets() == before


def test_only_who_may_plan_the_set_can_upload_its_template(world):
    data = _bytes(_book(world, world.users["officer_below"]))
    before = _targets()
    with pytest.raises(Forbidden):
        _upload(data, world.users["officer_below"])
    with pytest.raises(InvalidInput) as error:  # the set is outside his scope altogether
        _upload(data, world.users["officer_sibling"])
    assert "KH 2026 tỉnh" in error.value.problems[0].message
    assert _targets() == before


def test_bad_cells_are_named_by_row_and_column(world):
    specialist = world.users["specialist"]
    book = _book(world, specialist)
    sheet = book.worksheets[0]
    row = _row_of(sheet, "760")
    sheet.cell(row=row, column=VALUE, value="=B2*2")
    _fill(sheet, FIRST_ROW + 4, indicator="jobs_created", org_unit="761", period="2026",
          comparison="nhiều hơn", value=datetime.date(2026, 1, 5))
    _fill(sheet, FIRST_ROW + 5, indicator="khong_co", org_unit="761", period="2026",
          comparison="Tối thiểu", value=5)
    _fill(sheet, FIRST_ROW + 6, indicator="jobs_created", org_unit="761", period="2026",
          comparison="Trong khoảng", value=5)
    _fill(sheet, FIRST_ROW + 7, indicator="jobs_created", org_unit="79", period="2026",
          comparison="Tối thiểu", value=999)  # the province's target a second time
    before = _targets()
    with pytest.raises(InvalidInput) as error:
        _upload(_bytes(book), specialist)
    found = [(p.line, p.field) for p in error.value.problems]
    assert found == [
        (row, "H (Giá trị)"),  # a formula
        (FIRST_ROW + 4, "H (Giá trị)"),  # a date
        (FIRST_ROW + 5, "A (Mã chỉ tiêu)"),
        (FIRST_ROW + 6, "I (Giá trị cận trên)"),  # a range needs its upper value
        (FIRST_ROW + 7, "A (Mã chỉ tiêu)"),  # twice
    ]
    assert _targets() == before


def test_a_template_of_another_set_is_refused_unless_meant(world):
    specialist = world.users["specialist"]
    other = target_set_get_or_create(name="KH khác", scope=world.province, actor="test")
    data = _bytes(_book(world, specialist))
    with pytest.raises(InvalidInput) as error:
        _upload(data, specialist, expected=Expected(target_set=other))
    assert error.value.problems[0].field == "target_set"
    outcome = _upload(data, specialist, expected=Expected(target_set=other, accept_other=True))
    assert outcome.stored and outcome.result.unchanged == 2


def test_a_template_whose_set_was_deleted_says_so(world):
    data = _bytes(_book(world))
    TargetSet.objects.filter(pk=world.target_set.pk).delete()
    with pytest.raises(InvalidInput) as error:
        _upload(data, world.users["admin"])
    assert "KH 2026 tỉnh" in error.value.problems[0].message


CSV_HEADER = "target_set,indicator,org_unit,period,comparison,value"


def test_a_specialist_imports_a_targets_csv_into_a_set_they_plan_only(world):
    specialist = world.users["specialist"]
    result = import_text(text=f"{CSV_HEADER}\nKH 2026 tỉnh,jobs_created,761,2026,Tối thiểu,700\n",
                         actor="test", user=specialist)
    assert result.created == 1
    before = _targets()
    with pytest.raises(InvalidInput) as error:
        import_text(text=f"{CSV_HEADER}\n"
                         "KH mới,jobs_created,761,2026,at_least,1\n"
                         "KH 2026 tỉnh,jobs_created,01,2026,at_least,1\n",
                    actor="test", user=specialist)
    assert [(p.line, p.field) for p in error.value.problems] == [(2, "target_set"),
                                                                 (3, "org_unit")]
    assert not TargetSet.objects.filter(name="KH mới").exists()
    assert _targets() == before
