import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tiendo.analytics.evaluation import targets_evaluate
from tiendo.data.models import DataValue
from tiendo.demo.loader import (
    AN_GIANG_SET,
    HCMC_SET,
    LONG_AN_2023_SET,
    LONG_AN_2024_ASPIRATIONAL,
    LONG_AN_2024_ASSIGNED,
)
from tiendo.lib.periods import parse_period
from tiendo.org.selectors import orgunit_resolve
from tiendo.plans.models import Target, TargetSet

LEGACY_DAY = datetime.date(2024, 12, 31)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_a_second_run_changes_nothing(demo):
    assert demo["first"]["values_created"] > 0
    assert demo["second"]["values_created"] == 0
    assert demo["second"]["values_updated"] == 0
    assert DataValue.objects.count() == demo["count"]
    assert Target.objects.count() == demo["targets"]


def test_an_giang_overseas_workers_parts_add_up_to_357(demo):
    unit = orgunit_resolve(code="89", on=LEGACY_DAY)
    rows = DataValue.objects.filter(
        data_element__code="overseas_workers", org_unit=unit, period="2023"
    )
    parts = {row.part: row.value for row in rows}
    assert parts.pop("") == 357
    assert sum(parts.values()) == 357
    assert parts["JP"] == 233 and parts["TW"] == 106


def test_every_target_set_is_there(demo):
    names = set(TargetSet.objects.values_list("name", flat=True))
    assert {
        LONG_AN_2023_SET,
        LONG_AN_2024_ASSIGNED,
        LONG_AN_2024_ASPIRATIONAL,
        HCMC_SET,
        AN_GIANG_SET,
    } <= names
    assert Target.objects.filter(target_set__name=HCMC_SET).count() == 23




def _pct(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _results(target_set_name: str, period: str):
    target_set = TargetSet.objects.get(name=target_set_name)
    units = {t.org_unit for t in target_set.targets.select_related("org_unit")}
    results = []
    for unit in sorted(units, key=lambda u: u.path):
        results += targets_evaluate(
            unit=unit, period=parse_period(period), target_set=target_set
        ).results
    return {(r.target.indicator.code, r.target.org_unit.code): r for r in results}


def test_hcmc_2022_meets_22_of_23_targets(demo):
    results = _results(HCMC_SET, "2022")
    assert len(results) == 23
    assert sum(r.status.is_met for r in results.values()) == 22
    assert _pct(results[("new_party_members", "79")].achievement_pct) == Decimal("101.43")
    assert _pct(results[("new_jobs", "79")].achievement_pct) == Decimal("100.90")
    assert _pct(results[("poor_households", "79")].achievement_pct) == Decimal("184.20")
    assert _pct(results[("near_poor_households", "79")].achievement_pct) == Decimal("188.07")
    hcmc = orgunit_resolve(code="79", on=LEGACY_DAY)
    summary = targets_evaluate(
        unit=hcmc,
        period=parse_period("2022"),
        target_set=TargetSet.objects.get(name=HCMC_SET),
    ).summary
    assert (summary.met, summary.judged, summary.no_data) == (22, 23, 0)
    assert _pct(summary.met_pct) == Decimal("95.65")


def test_long_an_2024_shows_every_status(demo):
    assigned = _results(LONG_AN_2024_ASSIGNED, "2024")
    own = _results(LONG_AN_2024_ASPIRATIONAL, "2024")
    assert assigned[("trained_labour_rate", "80")].status == "exceeded"
    assert assigned[("trained_certified_rate", "80")].status == "exceeded"
    assert own[("trained_certified_rate", "80")].status in ("not_met", "near")
    assert own[("disaster_relief_rate", "80")].status == "met"
    # A simulated total (the communes of Tân An city alone have a review): −12% of −15%.
    assert assigned[("poor_households", "80")].status in ("not_met", "near")
    assert assigned[("overseas_workers", "80")].status == "exceeded"
    through_q3 = _results(LONG_AN_2024_ASSIGNED, "2024Q3")
    assert through_q3[("overseas_workers", "80")].at_risk


def test_long_an_2023_and_an_giang(demo):
    long_an = _results(LONG_AN_2023_SET, "2023")
    poor = long_an[("poor_households", "80")]
    assert (poor.baseline - poor.actual, poor.status) == (Decimal("1110"), "exceeded")
    assert _pct(poor.change) == Decimal("23.00")  # fell 23 % against a plan of 15 %
    an_giang_2022 = _results(AN_GIANG_SET, "2022")
    assert an_giang_2022[("poverty_rate", "89")].status == "met"
    an_giang_2023 = _results(AN_GIANG_SET, "2023")
    assert _pct(an_giang_2023[("overseas_workers", "89")].achievement_pct) == Decimal("175.86")
    assert an_giang_2023[("urban_unemployment_rate", "89")].status.is_met
    assert an_giang_2023[("gratitude_fund", "89")].status == "exceeded"


def test_tay_ninh_in_december_2026_tells_the_truth_about_a_year_in_progress(demo):
    from tiendo.analytics.dashboard import dashboard_build
    from tiendo.demo.loader import TAY_NINH_2026_SET
    from tiendo.reports.content import report_content

    now = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
    province = orgunit_resolve(code="80", on=datetime.date(2026, 1, 1))
    target_set = TargetSet.objects.get(name=TAY_NINH_2026_SET)
    november = parse_period("202611")
    board = dashboard_build(unit=province, period=november, target_set=target_set, now=now)
    summary = board.summary
    assert (summary.met, summary.judged, summary.on_track, summary.at_risk,
            summary.no_data) == (1, 3, 1, 1, 1)
    assert board.data_through == datetime.date(2026, 10, 31)
    [sent] = board.completeness
    assert (sent.submitted, sent.expected, sent.period.code) == (0, 96, "202611")
    by_code = {c.result.target.indicator.code: c.result for c in board.cells}
    assert by_code["overseas_workers"].at_risk
    assert by_code["jobs_created"].last_year is not None
    assert by_code["jobs_created"].compared_span.end == datetime.date(2026, 10, 31)
    content = report_content(unit=province, period=november, target_set=target_set, now=now)
    behind = [row.unit.code for row in board.children if row.behind]
    assert [unit["code"] for unit in content["lagging"][:10]] == behind[:10]
    assert content["summary"]["text"].startswith("Có 1/3 chỉ tiêu đã đạt và vượt kế hoạch")


def test_every_element_is_entered_through_one_form_only(demo):
    from tiendo.data.datasets import elements_in_two_data_sets
    from tiendo.indicators.loaders import catalogue_load

    assert elements_in_two_data_sets() == []
    catalogue_load()  # `tiendo setup` again does not bring the second form back
    assert elements_in_two_data_sets() == []
