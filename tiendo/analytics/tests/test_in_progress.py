"""A year in progress, end to end on the database: verdicts at the boundaries with frozen
dates, like-for-like comparisons, completeness of reports and lagging units."""

import datetime
from decimal import Decimal as D
from unittest import mock

import pytest

from tiendo.analytics.completeness import completeness_for, default_period
from tiendo.analytics.dashboard import dashboard_build
from tiendo.analytics.evaluation import Span, targets_evaluate
from tiendo.analytics.present import present
from tiendo.analytics.serialize import evaluation_json
from tiendo.data.services import ValueInput, datavalues_save
from tiendo.data.submissions import submission_submit
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.judge import Pace, Status
from tiendo.lib.periods import parse_period
from tiendo.plans.models import Target, TargetSet
from tiendo.reports.content import report_content
from tiendo.reports.models import ReportingSchedule

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def _store(rows):
    elements = {e.code: e for e in DataElement.objects.all()}
    datavalues_save(values=[
        ValueInput(element=elements[code], org_unit=unit, period=parse_period(period),
                   value=D(value)) for code, unit, period, value in rows], actor="test")


def _months(code, unit, year, values):
    return [(code, unit, f"{year}{month:02d}", value)
            for month, value in enumerate(values, start=1)]


@pytest.fixture
def plan(world):
    return TargetSet.objects.create(name="KH", period="2026")


def _target(plan, unit, code, period, comparison, value):
    return Target.objects.create(target_set=plan, indicator=Indicator.objects.get(code=code),
                                 org_unit=unit, period=period, comparison=comparison,
                                 value=D(value))


def _evaluate(unit, period, today, plan):
    return targets_evaluate(unit=unit, period=parse_period(period), target_set=plan,
                            today=today)


@pytest.fixture
def jobs(world, plan):
    """1.000 jobs a month in 2025; 1.100 a month January–October 2026, November not sent."""
    _target(plan, world.province, "jobs_created", "2026", "at_least", 12_000)
    _store(_months("jobs_created", world.commune, 2025, [1000] * 12)
           + _months("jobs_created", world.commune, 2026, [1100] * 10))
    return world


def test_on_the_last_day_of_the_year_the_verdict_is_final(jobs, plan):
    [result] = _evaluate(jobs.province, "2026", datetime.date(2026, 12, 31), plan).results
    assert result.period_over and result.status == Status.NOT_MET and result.pace is None


def test_the_day_before_the_last_it_is_in_progress_on_like_for_like_months(jobs, plan):
    evaluation = _evaluate(jobs.province, "2026", datetime.date(2026, 12, 30), plan)
    [result] = evaluation.results
    assert result.status == Status.IN_PROGRESS and not result.period_over
    assert result.actual == 11_000
    # January–October against January–October 2025, not the whole of 2025.
    assert result.compared_span == Span(datetime.date(2026, 1, 1), datetime.date(2026, 10, 31))
    assert result.last_year == 10_000
    assert result.expected_pct == D(10_000) / D(12_000) * 100
    assert result.forecast == 13_200 and result.pace == Pace.ON_TRACK
    assert evaluation.data_through == datetime.date(2026, 10, 31)
    row = present(result, "vi")
    assert (row.compared_text, row.vs_last_year_text) == ("tháng 1–10/2026", "+10,00%")
    assert row.data_through_text == "số liệu đến hết tháng 10/2026"
    assert row.status_text == "đang thực hiện · đúng tiến độ"


def test_a_month_nobody_reported_is_said_so_not_shown_as_data(jobs, plan):
    [result] = _evaluate(jobs.province, "202611", datetime.date(2026, 12, 1), plan).results
    assert result.data_short and result.data_through == datetime.date(2026, 10, 31)
    payload = evaluation_json(_evaluate(jobs.province, "202611", datetime.date(2026, 12, 1),
                                        plan))
    assert payload["data_through"] == "2026-10-31"
    assert payload["targets"][0]["status"] == "in_progress"
    assert payload["summary"]["in_progress"] == 1 and payload["summary"]["at_risk"] == 0


def test_a_flow_that_reaches_its_target_in_september_is_met_early(world, plan):
    _target(plan, world.province, "jobs_created", "2026", "at_least", 9_000)
    _store(_months("jobs_created", world.commune, 2026, [1000] * 9))
    [result] = _evaluate(world.province, "2026Q3", datetime.date(2026, 10, 20), plan).results
    assert result.status == Status.MET and not result.period_over
    assert present(result, "vi").status_text == "đạt · đã về đích"


def test_a_rate_at_nine_months_is_in_progress_without_a_pace(world, plan):
    _target(plan, world.province, "urban_unemployment_rate", "2026", "at_most", 4)
    _store([("urban_unemployment_rate", world.province, "2026Q3", "3.5")])
    [result] = _evaluate(world.province, "2026YTD09", datetime.date(2027, 3, 1), plan).results
    assert (result.status, result.pace, result.expected_pct) == (Status.IN_PROGRESS, None, None)


def test_a_term_target_in_its_third_year_is_judged_mid_term(world, plan):
    _target(plan, world.province, "jobs_created", "2024-2028", "at_least", 50_000)
    _store([("jobs_created", world.commune, str(year), 9_000) for year in (2024, 2025, 2026)])
    [result] = _evaluate(world.province, "2026", datetime.date(2027, 1, 10), plan).results
    assert result.status == Status.IN_PROGRESS and result.actual == 27_000
    assert result.expected_pct == 60  # 36 of 60 months, no history for a term
    assert result.forecast == 45_000 and result.pace == Pace.AT_RISK


def test_the_whole_year_after_it_ended_answers_as_before(jobs, plan):
    _target(plan, jobs.province, "jobs_created", "2025", "at_least", 11_000)
    evaluation = _evaluate(jobs.province, "2025", datetime.date(2026, 2, 1), plan)
    [old] = [r for r in evaluation.results if r.target.period == "2025"]
    assert (old.status, old.achievement_pct, old.pace, old.period_over) == (
        Status.EXCEEDED, D(12_000) / D(11_000) * 100, None, True)
    assert old.compared_span == Span(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


@pytest.fixture
def schedule(world):
    return ReportingSchedule.objects.create(name="Tháng", data_set=world.data_set,
                                            root=world.province, unit_kind="commune",
                                            period_type="month")


def test_completeness_counts_the_communes_that_sent_the_month(jobs, schedule):
    now = datetime.datetime(2026, 12, 1, 9, tzinfo=UTC)
    november = parse_period("202611")
    [none_yet] = completeness_for(unit=jobs.province, period=november,
                                  element_codes=["jobs_created"], now=now)
    assert (none_yet.submitted, none_yet.expected, none_yet.due) == (0, 2, True)
    _store([("jobs_created", jobs.commune, "202611", 1100)])
    # Sent on 1 December: the clock is held there so the test does not depend on today.
    with mock.patch("django.utils.timezone.now", return_value=now):
        submission_submit(data_set=jobs.data_set, org_unit=jobs.commune, period=november,
                          actor="test")
    [some] = completeness_for(unit=jobs.province, period=parse_period("2026"),
                              element_codes=["jobs_created"], now=now + datetime.timedelta(1))
    assert some.period == november and (some.submitted, some.expected) == (1, 2)


def test_the_default_period_is_the_latest_whose_deadline_has_passed(jobs, schedule):
    # November's data is cut off on 14/11 and due two working days later.
    assert default_period(unit=jobs.province, today=datetime.date(2026, 11, 16)).code == "202610"
    assert default_period(unit=jobs.province, today=datetime.date(2026, 11, 18)).code == "202611"


def test_lagging_units_are_judged_by_their_pace_and_the_report_lists_the_same(world, plan):
    _target(plan, world.province, "jobs_created", "2026", "at_least", 2_400)
    _store(_months("jobs_created", world.commune, 2025, [100] * 12)
           + _months("jobs_created", world.sibling, 2025, [100] * 12)
           + _months("jobs_created", world.commune, 2026, [120] * 9)
           + _months("jobs_created", world.sibling, 2026, [60] * 9))
    now = datetime.datetime(2026, 10, 20, tzinfo=UTC)
    board = dashboard_build(unit=world.province, period=parse_period("2026YTD09"),
                            target_set=plan, now=now)
    assert [row.unit for row in board.children] == [world.sibling, world.commune]
    behind, ahead = (row.cells[0] for row in board.children)
    assert behind.basis == "pace" and behind.result.target.value == 1_200
    assert behind.result.at_risk and ahead.result.pace == Pace.ON_TRACK
    assert [c.unit for c in board.lagging(0)] == [world.sibling, world.commune]
    content = report_content(unit=world.province, period=parse_period("2026YTD09"),
                             target_set=plan, now=now)
    assert [unit["code"] for unit in content["lagging"]] == [world.sibling.code]
    assert content["lagging"][0]["text"].startswith("Phường Bình Minh: 0/1")
    assert "đang thực hiện" in content["sections"][0]["rows"][0]["status_text"]


def test_a_month_fewer_than_half_the_communes_sent_is_left_out_until_half_have(jobs, plan):
    from tiendo.org.services import orgunit_create

    third = orgunit_create(code="25481", name="Xã Thứ Ba", kind="commune",
                           parent=jobs.province)
    _store(_months("jobs_created", jobs.sibling, 2025, [1000] * 12)
           + _months("jobs_created", jobs.sibling, 2026, [1100] * 10)
           + _months("jobs_created", third, 2025, [1000] * 12)
           + _months("jobs_created", third, 2026, [1100] * 10)
           + [("jobs_created", jobs.commune, "202611", 1100)])
    evaluation = _evaluate(jobs.province, "202611", datetime.date(2026, 12, 1), plan)
    [result] = evaluation.results
    # One of three communes has sent November: the figure and last year stop at October.
    assert result.data_through == datetime.date(2026, 10, 31)
    assert (result.actual, result.last_year) == (33_000, 30_000)
    assert result.pace == Pace.ON_TRACK
    _store([("jobs_created", jobs.sibling, "202611", 1100)])
    [result] = _evaluate(jobs.province, "202611", datetime.date(2026, 12, 1), plan).results
    assert not result.data_short and (result.actual, result.last_year) == (35_200, 33_000)


def test_the_page_wide_data_line_only_when_every_figure_stops_early(jobs, plan):
    _target(plan, jobs.province, "overseas_workers", "2026", "at_least", 100)
    _store(_months("overseas_workers", jobs.commune, 2026, [10] * 9))
    evaluation = _evaluate(jobs.province, "202610", datetime.date(2026, 12, 1), plan)
    workers = next(r for r in evaluation.results if r.target.indicator.code == "overseas_workers")
    assert workers.data_short and workers.data_through == datetime.date(2026, 9, 30)
    assert evaluation.data_through is None  # jobs run to October: its own row says enough
    assert present(workers, "vi").compared_text == "tháng 1–9/2026"
