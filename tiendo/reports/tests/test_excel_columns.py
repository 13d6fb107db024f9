"""The Excel report's plan columns are data: the plan in words in its own column, its figure
as a number beside it, and ratios rounded to the indicator's decimals."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.periods import parse_period
from tiendo.plans.models import Target, TargetSet
from tiendo.reports.content import report_content
from tiendo.reports.services import report_render

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 1, 5, 9, tzinfo=datetime.UTC)


def _store(unit, code, period, value):
    datavalues_save(values=[ValueInput(element=DataElement.objects.get(code=code),
                                       org_unit=unit, period=parse_period(period),
                                       value=Decimal(value))], actor="test")


def test_the_plan_is_words_beside_a_number_and_ratios_are_rounded(province):
    unit, plan = province["province"], TargetSet.objects.create(name="KH 2024")
    Target.objects.create(target_set=plan, indicator=Indicator.objects.get(
        code="poor_households"), org_unit=unit, period="2024", comparison="decrease_abs",
        value=Decimal(500), baseline_period="2023")
    Target.objects.create(target_set=plan, indicator=Indicator.objects.get(
        code="trained_labour_rate"), org_unit=unit, period="2024", comparison="at_least",
        value=Decimal(70))
    Target.objects.create(target_set=plan, indicator=Indicator.objects.get(
        code="urban_unemployment_rate"), org_unit=unit, period="2024", comparison="at_most",
        value=Decimal(4))
    _store(unit, "poor_households", "2023", 3000)
    _store(unit, "poor_households", "2024", 2400)
    _store(unit, "trained_workers", "2024", 2)
    _store(unit, "labour_force", "2024", 3)  # 66,666…%
    _store(unit, "urban_unemployment_rate", "2024", "3.5")
    content = report_content(unit=unit, period=parse_period("2024"), now=NOW)
    sheet = openpyxl.load_workbook(io.BytesIO(report_render(content, "xlsx"))).worksheets[0]
    assert [c.value for c in sheet[5]][3:5] == ["Kế hoạch", "Kế hoạch (số)"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=6) if row[2].value}
    poor = rows["Số hộ nghèo"]
    assert isinstance(poor[3].value, str) and "500" in poor[3].value and poor[4].value == 500
    unemployment = rows["Tỷ lệ thất nghiệp khu vực thành thị"]
    assert "4" in unemployment[3].value and unemployment[3].value != "4"
    assert unemployment[4].value == 4
    decimals = Indicator.objects.get(code="trained_labour_rate").decimals
    assert rows["Tỷ lệ lao động qua đào tạo"][6].value == round(200 / 3, decimals)


def test_it_prints_down_as_many_pages_as_it_takes_and_rows_fit_their_text(province):
    unit = province["province"]
    for name in ("Ủy ban nhân dân tỉnh – Kế hoạch phát triển kinh tế - xã hội năm 2024",
                 "Sở Lao động – Thương binh và Xã hội phấn đấu năm 2024"):
        Target.objects.create(target_set=TargetSet.objects.create(name=name), period="2024",
                              indicator=Indicator.objects.get(code="trained_labour_rate"),
                              org_unit=unit, comparison="at_least", value=Decimal(70))
    content = report_content(unit=unit, period=parse_period("2024"), now=NOW)
    sheet = openpyxl.load_workbook(io.BytesIO(report_render(content, "xlsx"))).active
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    labelled = [row for row in range(1, sheet.max_row + 1)
                if "(theo Ủy ban nhân dân tỉnh" in str(sheet.cell(row=row, column=2).value)]
    # "Tỷ lệ lao động qua đào tạo (theo …)", 102 characters: three lines of the 50-wide column.
    assert [sheet.row_dimensions[row].height for row in labelled] == [45]
