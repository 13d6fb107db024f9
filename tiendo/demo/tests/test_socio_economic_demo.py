"""The demo's socio-economic scorecards read as the sources say."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tiendo.analytics.choices import targets_choose
from tiendo.analytics.cli import evaluation_table
from tiendo.analytics.evaluation import targets_evaluate
from tiendo.analytics.side_by_side import side_by_side, side_by_side_text
from tiendo.data.models import DataValue
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.demo.poverty import TAN_AN_2024_SET as POVERTY_TAN_AN_2024_SET
from tiendo.demo.socio_economic import (
    AN_GIANG_TERM_SET,
    CONGRESS_SET,
    TAN_AN_2023_SET,
    TAN_AN_2024_SET,
    TINH_UY_2024_SET,
    UBND_2023_SET,
    UBND_2024_SET,
)
from tiendo.indicators.loaders import SOCIO_ECONOMIC_PACK
from tiendo.indicators.models import DataElement
from tiendo.lib.judge import Pace, Status
from tiendo.lib.periods import parse_period
from tiendo.org.selectors import orgunit_resolve
from tiendo.plans.models import TargetSet
from tiendo.reports.services import report_generate

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
LEGACY_DAY = datetime.date(2024, 12, 31)
TODAY = datetime.date(2026, 12, 1)


def _pct(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _evaluate(code: str, period: str, set_name: str | None = None):
    unit = orgunit_resolve(code=code, on=LEGACY_DAY)
    target_set = TargetSet.objects.get(name=set_name) if set_name else None
    return targets_evaluate(unit=unit, period=parse_period(period), target_set=target_set,
                            today=TODAY)


def _by_code(evaluation):
    return {r.target.indicator.code: r for r in evaluation.results}


def test_long_an_2023_meets_21_of_23_with_growth_and_revenue_not_met(demo):
    evaluation = _evaluate("80", "2023", UBND_2023_SET)
    assert (evaluation.summary.met, evaluation.summary.judged) == (21, 23)
    failed = {r.target.indicator.code for r in evaluation.results if not r.status.is_met}
    assert failed == {"grdp_growth", "budget_revenue"}
    assert _by_code(evaluation)["grdp_growth"].actual == Decimal("5.77")


def test_long_an_2024_growth_estimate_is_met_inside_the_range_and_revenue_exceeded(demo):
    results = _by_code(_evaluate("80", "2024", UBND_2024_SET))
    growth = results["grdp_growth"]
    assert (growth.actual, growth.status, growth.estimate) == (Decimal("8.3"), Status.MET, True)
    revenue = results["budget_revenue"]
    assert _pct(revenue.change) == Decimal("22.90") and revenue.status == Status.EXCEEDED
    assert results["new_rural_communes_added"].actual == 9  # counted from the decisions
    assert results["model_rural_communes_added"].status == Status.MET  # 4 of 4
    assert results["health_insurance_coverage"].status == Status.EXCEEDED


def test_the_three_bodies_side_by_side_on_2024_growth(demo):
    unit = orgunit_resolve(code="80", on=LEGACY_DAY)
    view = side_by_side(unit=unit, period=parse_period("2024"), indicator_code="grdp_growth",
                        today=TODAY)
    assert side_by_side_text(view, "vi") == (
        "Tỉnh ủy Long An: từ 8,00 đến 8,50 · HĐND tỉnh Long An: 8,00 · "
        "UBND tỉnh Long An: từ 8,00 đến 8,50 → 8,30 (ước)")
    party = next(s for s in view.sets if s.target_set.name == TINH_UY_2024_SET)
    assert party.summary.total == 18
    # The count of communes is one click away from the list of which communes.
    communes = side_by_side(unit=unit, period=parse_period("2024"), today=TODAY,
                            indicator_code="new_rural_communes_added")
    assert len(communes.reaching) == communes.result.actual == 9
    assert all(row.reached_on.year == 2024 and row.decision for row in communes.reaching)


def test_the_party_congress_term_judged_mid_term(demo):
    results = _by_code(_evaluate("80", "2024", CONGRESS_SET))
    growth = results["grdp_growth"]
    assert growth.status == Status.IN_PROGRESS and growth.pace == Pace.AT_RISK
    assert growth.average_years == (4, 5)
    assert _pct(growth.needed) == Decimal("24.14")
    assert results["grdp_per_capita"].status == Status.IN_PROGRESS


def test_tan_an_lists_its_18_targets_for_2023_and_2024(demo):
    unit, period, _set = targets_choose(unit_code="794", period_code="2024")
    every_set = targets_evaluate(unit=unit, period=period, today=TODAY)
    # The city's resolution, and beside it the poverty targets judged from its review.
    assert {r.target.target_set.name for r in every_set.results} == {
        TAN_AN_2024_SET, POVERTY_TAN_AN_2024_SET}
    evaluation = _evaluate("794", "2024", TAN_AN_2024_SET)
    assert len(evaluation.results) == 18
    assert (evaluation.summary.met, evaluation.summary.judged) == (16, 18)
    earlier = _evaluate("794", "2023", TAN_AN_2023_SET).summary
    assert (earlier.met, earlier.judged) == (18, 18)  # "đạt và vượt tất cả chỉ tiêu chủ yếu"


def test_an_giangs_term_answers_across_the_reorganisation(demo):
    unit, period, _set = targets_choose(unit_code="89", period_code="2021-2025")
    evaluation = targets_evaluate(unit=unit, period=period, today=TODAY)
    results = _by_code(evaluation)
    assert set(results) == {"gratitude_fund", "grdp_growth", "grdp_per_capita"}
    assert {r.target.target_set.name for r in evaluation.results} >= {AN_GIANG_TERM_SET}
    assert all(r.unit_ended == datetime.date(2025, 6, 30) and r.period_over
               for r in evaluation.results)
    assert results["gratitude_fund"].status == Status.EXCEEDED
    table = evaluation_table(evaluation)
    assert "30/06/2025" in table


def test_every_socio_economic_figure_cites_a_source_or_says_simulated(demo):
    from tiendo.indicators.loaders import _read  # noqa: PLC2701 - the pack's own codes

    codes = {row["code"] for row in _read(SOCIO_ECONOMIC_PACK / "kinh_te_xa_hoi.csv")}
    comments = DataValue.objects.filter(data_element__code__in=codes).values_list("comment",
                                                                                   flat=True)
    assert comments
    assert all(c.startswith("Nguồn:") or "Dữ liệu mô phỏng" in c for c in comments)


def test_an_archived_report_keeps_the_estimate_it_was_built_on(demo):
    unit = orgunit_resolve(code="80", on=LEGACY_DAY)
    archived = report_generate(unit=unit, period="2024", file_format="xlsx",
                               target_set=TargetSet.objects.get(name=UBND_2024_SET), lang="vi",
                               params={}, actor="test")
    datavalues_save(values=[ValueInput(
        element=DataElement.objects.get(code="grdp_growth"), org_unit=unit,
        period=parse_period("2024"), value=Decimal("8.32"), estimate=False,
        comment="Nguồn: số liệu chính thức (mô phỏng)")], actor="test")
    fresh = report_generate(unit=unit, period="2024", file_format="xlsx",
                            target_set=TargetSet.objects.get(name=UBND_2024_SET), lang="vi",
                            params={}, actor="test")
    archived.refresh_from_db()

    def growth_text(report):
        return next(s for s in _strings(report.content) if s.startswith("Tốc độ tăng trưởng")
                    and ":" in s)

    assert "8,30% (ước)" in growth_text(archived)
    assert "8,32%" in growth_text(fresh) and "(ước)" not in growth_text(fresh)


def _strings(content):
    if isinstance(content, str):
        yield content
    elif isinstance(content, dict):
        for value in content.values():
            yield from _strings(value)
    elif isinstance(content, list):
        for value in content:
            yield from _strings(value)
