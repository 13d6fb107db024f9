"""The report structure: lagging units, estimates and the date line, from the engine."""

import datetime
from decimal import Decimal

import pytest

from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.periods import parse_period
from tiendo.plans.models import Target, TargetSet
from tiendo.reports.blocks import number_text
from tiendo.reports.content import report_content

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 1, 5, 9, tzinfo=datetime.UTC)


def _jobs(unit, target, actual, target_set, estimate=False):
    Target.objects.create(target_set=target_set, indicator=Indicator.objects.get(
        code="jobs_created"), org_unit=unit, period="2024", comparison="at_least",
        value=Decimal(target))
    datavalues_save(values=[ValueInput(
        element=DataElement.objects.get(code="jobs_created"), org_unit=unit,
        period=parse_period("2024"), value=Decimal(actual), estimate=estimate)], actor="test")


def test_it_names_the_units_below_that_missed_targets_worst_first(province):
    plan = TargetSet.objects.create(name="KH 2024")
    ben_luc, duc_hoa, can_giuoc = province["districts"]
    _jobs(province["province"], 3000, 3100, plan)
    _jobs(ben_luc, 1000, 1200, plan)
    _jobs(duc_hoa, 1000, 900, plan)
    _jobs(can_giuoc, 1000, 950, plan)
    content = report_content(unit=province["province"], period=parse_period("2024"), now=NOW)
    # Đức Hòa reached 90% of its target, Cần Giuộc 95%: the furthest behind comes first.
    assert [unit["name"] for unit in content["lagging"]] == ["Huyện Đức Hòa", "Huyện Cần Giuộc"]
    assert content["lagging"][0]["text"].startswith("Huyện Đức Hòa: 0/1")
    assert content["units_with_targets"] == 3


def test_it_marks_estimates_in_the_table_and_the_sentence(province):
    _jobs(province["province"], 3000, 3100, TargetSet.objects.create(name="KH"), estimate=True)
    content = report_content(unit=province["province"], period=parse_period("2024"), now=NOW)
    row = content["sections"][0]["rows"][0]
    assert row["estimate"] and row["to_date_text"] == "3.100 (ước)"
    assert "3.100 người (ước)" in row["sentence"]


def test_it_dates_the_report_the_decree_30_way(province):
    content = report_content(unit=province["province"], period=parse_period("2024"),
                             lang="vi", now=NOW)
    assert content["date_text"] == "Long An, ngày 05 tháng 01 năm 2025"
    assert number_text({"number": "5", "symbol": "BC-UBND"}) == "05/BC-UBND"
    assert content["params"]["issuing_body"] == "ỦY BAN NHÂN DÂN TỈNH LONG AN"


def test_a_report_of_several_sets_says_whose_target_each_line_is(province):
    unit = province["province"]
    _jobs(unit, 3000, 2900, TargetSet.objects.create(name="UBND giao 2024"))
    _jobs(unit, 3500, 2900, TargetSet.objects.create(name="Sở phấn đấu 2024"))
    content = report_content(unit=unit, period=parse_period("2024"), now=NOW)
    rows = content["sections"][0]["rows"]
    assert sorted(row["label"] for row in rows) == [
        "Số lao động được giải quyết việc làm (theo Sở phấn đấu 2024)",
        "Số lao động được giải quyết việc làm (theo UBND giao 2024)"]
    assert all(row["sentence"].startswith(row["label"] + ":") for row in rows)
    shortcomings = next(p["text"] for p in content["narrative"]
                        if p["code"] == "narrative_shortcomings")
    assert ("Số lao động được giải quyết việc làm (theo UBND giao 2024): đạt 96,67% kế hoạch"
            in shortcomings)
    one_set = report_content(unit=unit, period=parse_period("2024"), now=NOW,
                             target_set=TargetSet.objects.get(name="UBND giao 2024"))
    assert one_set["sections"][0]["rows"][0]["label"] == "Số lao động được giải quyết việc làm"
