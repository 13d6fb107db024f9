import datetime
from decimal import Decimal as D

import pytest

from tiendo.analytics.evaluation import targets_evaluate
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.indicators.loaders import catalogue_load
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.judge import Status
from tiendo.lib.periods import parse_period
from tiendo.org.services import orgunit_create
from tiendo.plans.models import Target, TargetSet

pytestmark = pytest.mark.django_db
OLD_MAP_END = datetime.date(2025, 6, 30)


@pytest.fixture
def units():
    catalogue_load()
    country = orgunit_create(code="VN", name="Việt Nam", kind="country")
    long_an = orgunit_create(code="80", name="Tỉnh Long An", kind="province", parent=country,
                             valid_to=OLD_MAP_END)
    tay_ninh = orgunit_create(code="80", name="Tỉnh Tây Ninh", kind="province", parent=country,
                              valid_from=OLD_MAP_END + datetime.timedelta(days=1))
    tan_an = orgunit_create(code="794", name="Thành phố Tân An", kind="district",
                            parent=long_an, valid_to=OLD_MAP_END)
    ben_luc = orgunit_create(code="803", name="Huyện Bến Lức", kind="district",
                             parent=long_an, valid_to=OLD_MAP_END)
    return {"long_an": long_an, "tay_ninh": tay_ninh, "tan_an": tan_an, "ben_luc": ben_luc}


def store(unit, element, period, value, part=""):
    datavalues_save(
        values=[ValueInput(element=DataElement.objects.get(code=element), org_unit=unit,
                           period=parse_period(period), value=D(value), part=part)],
        actor="test",
    )


def target(unit, indicator, period, comparison, value, value_max=None, set_name="KH"):
    target_set, _ = TargetSet.objects.get_or_create(name=set_name)
    return Target.objects.create(
        target_set=target_set, indicator=Indicator.objects.get(code=indicator), org_unit=unit,
        period=period, comparison=comparison, value=D(value),
        value_max=None if value_max is None else D(value_max),
    )


def only(evaluation):
    [result] = evaluation.results
    return result


def test_it_judges_71_against_70_as_exceeded(units):
    store(units["long_an"], "new_party_members", "2022", 71)
    target(units["long_an"], "new_party_members", "2022", "at_least", 70)
    result = only(targets_evaluate(unit=units["long_an"], period=parse_period("2022")))
    assert result.status == Status.EXCEEDED
    assert round(result.achievement_pct, 2) == D("101.43")


def test_it_computes_a_ratio_over_two_districts_as_sum_over_sum(units):
    store(units["tan_an"], "trained_workers", "2023", 30)
    store(units["tan_an"], "labour_force", "2023", 100)
    store(units["ben_luc"], "trained_workers", "2023", 90)
    store(units["ben_luc"], "labour_force", "2023", 100)
    target(units["long_an"], "trained_labour_rate", "2023", "at_least", 60)
    result = only(targets_evaluate(unit=units["long_an"], period=parse_period("2023")))
    assert result.actual == D(60)  # not the average of 30% and 90% weighted otherwise
    assert result.status == Status.MET


def test_it_judges_23_pct_fewer_poor_households_against_a_15_pct_plan(units):
    store(units["long_an"], "poor_households", "2022", 1000)
    store(units["long_an"], "poor_households", "2023", 770)
    target(units["long_an"], "poor_households", "2023", "decrease_pct", 15)
    result = only(targets_evaluate(unit=units["long_an"], period=parse_period("2023")))
    assert result.baseline == 1000
    assert result.change == 23
    assert round(result.achievement_pct, 2) == D("153.33")
    assert result.status == Status.EXCEEDED


def test_it_sums_monthly_flows_and_takes_the_last_stock(units):
    for month in range(1, 13):
        store(units["long_an"], "jobs_created", f"2023{month:02d}", 10)
        store(units["long_an"], "poor_households", f"2023{month:02d}", 1000 - month)
    target(units["long_an"], "jobs_created", "2023", "at_least", 120)
    target(units["long_an"], "poor_households", "2023", "at_most", 988)
    jobs, poor = targets_evaluate(unit=units["long_an"], period=parse_period("2023")).results
    assert jobs.actual == 120 and jobs.status == Status.MET
    assert poor.actual == 988 and poor.status == Status.MET


def test_it_reports_no_data_apart_from_failures(units):
    target(units["long_an"], "jobs_created", "2023", "at_least", 120)
    evaluation = targets_evaluate(unit=units["long_an"], period=parse_period("2023"))
    assert only(evaluation).status == Status.NO_DATA
    assert (evaluation.summary.no_data, evaluation.summary.not_met) == (1, 0)


def test_it_flags_a_target_at_risk_from_the_forecast(units):
    for month in range(1, 13):
        store(units["long_an"], "overseas_workers", f"2023{month:02d}", 80)
    for month in range(1, 10):
        store(units["long_an"], "overseas_workers", f"2024{month:02d}", 60)
    target(units["long_an"], "overseas_workers", "2024", "at_least", 1000)
    result = only(targets_evaluate(unit=units["long_an"], period=parse_period("2024Q3")))
    assert result.actual == 540
    assert result.forecast == 720  # 540 × 960 / 720: last year's share by September
    assert result.forecast_method == "last_year_share"
    assert result.at_risk
    assert result.last_year == 720


def test_it_uses_the_map_of_the_period_for_reused_codes(units):
    store(units["long_an"], "jobs_created", "2023", 500)
    store(units["tay_ninh"], "jobs_created", "2026", 900)
    target(units["long_an"], "jobs_created", "2023", "at_least", 400)
    target(units["tay_ninh"], "jobs_created", "2026", "at_least", 800)
    assert only(targets_evaluate(unit=units["long_an"], period=parse_period("2023"))).actual == 500
    assert only(targets_evaluate(unit=units["tay_ninh"], period=parse_period("2026"))).actual == 900


def test_it_counts_the_parts_when_no_total_was_stored(units):
    store(units["long_an"], "overseas_workers", "2023", 233, part="JP")
    store(units["long_an"], "overseas_workers", "2023", 124, part="TW")
    target(units["long_an"], "overseas_workers", "2023", "at_least", 203)
    assert only(targets_evaluate(unit=units["long_an"], period=parse_period("2023"))).actual == 357


def test_it_judges_a_band_of_change_in_points(units):
    store(units["long_an"], "poor_households", "2021", 381)
    store(units["long_an"], "households_total", "2021", 10000)
    store(units["long_an"], "poor_households", "2022", 281)
    store(units["long_an"], "households_total", "2022", 10000)
    target(units["long_an"], "poverty_rate", "2022", "decrease_abs", 1, "1.2")
    result = only(targets_evaluate(unit=units["long_an"], period=parse_period("2022")))
    assert result.change == 1
    assert result.status == Status.MET


def test_it_rolls_old_map_figures_into_the_successor_on_request(units):
    from tiendo.org.services import orgunit_link_successor

    orgunit_link_successor(predecessor=units["long_an"], successor=units["tay_ninh"],
                           share=D(1), effective=datetime.date(2025, 7, 1))
    for month in range(1, 7):
        store(units["long_an"], "jobs_created", f"2025{month:02d}", 100)
    for month in range(7, 13):
        store(units["tay_ninh"], "jobs_created", f"2025{month:02d}", 150)
    target(units["tay_ninh"], "jobs_created", "2025", "at_least", 1500)
    period = parse_period("2025")
    alone = only(targets_evaluate(unit=units["tay_ninh"], period=period))
    rolled = only(targets_evaluate(unit=units["tay_ninh"], period=period, with_predecessors=True))
    assert (alone.actual, rolled.actual) == (900, 1500)
    assert rolled.status == Status.MET


def test_it_keeps_the_successor_own_stock_when_rolling_up(units):
    from tiendo.org.services import orgunit_link_successor

    orgunit_link_successor(predecessor=units["long_an"], successor=units["tay_ninh"],
                           share=D(1), effective=datetime.date(2025, 7, 1))
    store(units["long_an"], "poor_households", "202506", 4000)
    store(units["tay_ninh"], "poor_households", "202512", 9000)
    target(units["tay_ninh"], "poor_households", "2025", "at_most", 9500)
    rolled = only(targets_evaluate(unit=units["tay_ninh"], period=parse_period("2025"),
                                   with_predecessors=True))
    assert rolled.actual == 9000
