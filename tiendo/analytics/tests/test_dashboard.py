import datetime
from decimal import Decimal as D

import pytest

from tiendo.analytics.dashboard import dashboard_build
from tiendo.data.aggregates import AggregateOwnYear
from tiendo.data.models import DataValue
from tiendo.data.services import ValueInput, datavalues_delete, datavalues_save
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.judge import Status
from tiendo.lib.periods import parse_period
from tiendo.plans.models import Target, TargetSet

pytestmark = pytest.mark.django_db
YEAR = parse_period("2026")
AFTER = datetime.datetime(2027, 1, 15, tzinfo=datetime.UTC)  # the year is over: final


def _values(world, rows):
    elements = {e.code: e for e in DataElement.objects.all()}
    datavalues_save(values=[
        ValueInput(element=elements[code], org_unit=unit, period=parse_period(period),
                   value=D(value))
        for code, unit, period, value in rows
    ], actor="test")


@pytest.fixture
def plan(world):
    target_set = TargetSet.objects.create(name="KH 2026", period="2026")

    def target(code, unit, comparison, value):
        return Target.objects.create(
            target_set=target_set, indicator=Indicator.objects.get(code=code), org_unit=unit,
            period="2026", comparison=comparison, value=D(value))

    target("jobs_created", world.province, "at_least", 100)
    target("urban_unemployment_rate", world.province, "at_most", 4)
    _values(world, [
        ("jobs_created", world.commune, "2026", 70), ("jobs_created", world.sibling, "2026", 40),
        ("jobs_created", world.commune, "2025", 50), ("jobs_created", world.sibling, "2025", 60),
        ("urban_unemployment_rate", world.province, "2026", "3.5"),
        ("urban_unemployment_rate", world.commune, "2026", "3.2"),
        ("urban_unemployment_rate", world.sibling, "2026", "4.5"),
    ])
    return target_set


def test_the_province_is_judged_on_the_sum_of_its_communes(world, plan):
    board = dashboard_build(unit=world.province, period=YEAR, target_set=plan, now=AFTER)
    jobs = board.cells[0].result
    assert jobs.actual == 110 and jobs.status == Status.EXCEEDED
    assert board.summary.met == 2 and board.summary.judged == 2


def test_a_rate_target_applies_to_each_unit_below_and_an_amount_by_last_years_share(
        world, plan):
    board = dashboard_build(unit=world.province, period=YEAR, target_set=plan, now=AFTER)
    by_unit = {row.unit.code: row for row in board.children}
    jobs, rate = by_unit["25480"].cells
    # 60 of the province's 110 in 2025: 100 × 60/110 = 54,55 to reach, 40 reached.
    assert jobs.basis == "pace" and jobs.status == Status.NOT_MET and jobs.result.actual == 40
    assert round(jobs.result.target.value, 2) == D("54.55")
    assert rate.basis == "inherited" and rate.status == Status.NOT_MET


def test_an_amount_with_no_last_year_to_share_by_is_not_judged(world, plan):
    datavalues_delete(value_ids=DataValue.objects.filter(period="2025").values_list(
        "id", flat=True), actor="test")
    board = dashboard_build(unit=world.province, period=YEAR, target_set=plan, now=AFTER)
    jobs = next(row for row in board.children if row.unit.code == "25480").cells[0]
    assert jobs.basis == "none" and jobs.status is None and jobs.result.actual == 40


def test_the_lagging_unit_comes_first(world, plan):
    board = dashboard_build(unit=world.province, period=YEAR, target_set=plan, now=AFTER)
    assert [row.unit.code for row in board.children] == ["25480", "25459"]


def test_a_unit_below_with_its_own_allocated_target_is_judged_against_it(world, plan):
    Target.objects.create(target_set=plan, indicator=Indicator.objects.get(code="jobs_created"),
                          org_unit=world.sibling, period="2026", comparison="at_least",
                          value=D(50))
    board = dashboard_build(unit=world.province, period=YEAR, target_set=plan, now=AFTER)
    sibling = next(row for row in board.children if row.unit == world.sibling)
    assert sibling.cells[0].basis == "own"
    assert sibling.cells[0].status == Status.NOT_MET


def test_a_unit_without_targets_is_shown_against_the_targets_above_it(world, plan):
    board = dashboard_build(unit=world.commune, period=YEAR, target_set=plan, now=AFTER)
    assert board.inherited_from == world.province
    # 50 of 110 last year: 45,45 to reach, 70 reached; 3,2% under the 4% ceiling.
    assert [c.basis for c in board.cells] == ["pace", "inherited"]
    assert board.summary.judged == 2 and board.summary.met == 2


def test_the_trend_gives_the_same_span_in_earlier_years(world, plan):
    board = dashboard_build(unit=world.province, period=YEAR, target_set=plan, now=AFTER)
    assert [(p.year, p.value) for p in board.trends[0]] == [
        (2022, None), (2023, None), (2024, None), (2025, 110), (2026, 110)]


def test_it_gives_the_same_numbers_as_the_evaluation_of_the_unit(world, plan):
    from tiendo.analytics.evaluation import targets_evaluate

    board = dashboard_build(unit=world.province, period=YEAR, target_set=plan, now=AFTER)
    alone = targets_evaluate(unit=world.province, period=YEAR, target_set=plan,
                             today=AFTER.date())
    assert [(c.result.actual, c.result.status, c.result.achievement_pct) for c in board.cells] \
        == [(r.actual, r.status, r.achievement_pct) for r in alone.results]
    assert board.summary == alone.summary


def test_a_term_target_reads_every_year_of_its_trend(world, plan):
    Target.objects.create(target_set=plan, indicator=Indicator.objects.get(code="jobs_created"),
                          org_unit=world.province, period="2026-2030", comparison="at_least",
                          value=D(500))
    board = dashboard_build(unit=world.province, period=YEAR, target_set=plan, now=AFTER)
    index = next(i for i, c in enumerate(board.cells) if c.result.target.period == "2026-2030")
    assert [(p.year, p.value) for p in board.trends[index]][-2:] == [(2025, 110), (2026, 110)]


def _value_reads(queries) -> list[str]:
    """The statements that read the units' own values (the engine's direct reads: the
    values grouped, or their yearly sums kept on write)."""
    tables = (DataValue._meta.db_table, AggregateOwnYear._meta.db_table)
    return [q["sql"] for q in queries
            if any(f"FROM {table} v WHERE" in q["sql"] for table in tables)
            and "v.org_unit_id " in q["sql"]]


def test_the_communes_year_and_last_year_are_read_in_one_statement(world, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        board = dashboard_build(unit=world.province, period=YEAR, target_set=plan, now=AFTER,
                                with_trend=False)
    reads = _value_reads(queries.captured_queries)
    assert len(reads) == 1
    # 2026 and 2025 for the communes (the province's own 2026 figure beside them)
    assert "'2026-01-01'" in reads[0] and "'2025-01-01'" in reads[0]
    assert {row.unit for row in board.children} == {world.commune, world.sibling}


def test_read_ahead_gives_the_evaluation_the_same_results(world, plan):
    """While the year runs (figures cut at the last month with data, last year's same
    months, the forecast), judging with the spans read ahead equals judging alone."""
    from tiendo.analytics.dashboard import Basis, _child_targets
    from tiendo.analytics.evaluation import evaluate_targets, read_ahead, targets_for
    from tiendo.indicators.kinds import elements_of

    _values(world, [("jobs_created", world.commune, "202601", 9),
                    ("jobs_created", world.commune, "202501", 4),
                    ("jobs_created", world.sibling, "202602", 3)])
    other = TargetSet.objects.create(name="NQ 2026", period="2026")
    Target.objects.create(target_set=other, indicator=Indicator.objects.get(code="jobs_created"),
                          org_unit=world.province, period="2026", comparison="increase_pct",
                          value=D(10), baseline_period="2025")
    through = parse_period("2026Q1")
    today = datetime.date(2026, 4, 10)
    targets = targets_for(unit=world.province, period=through)
    assert len(targets) == 3
    children = [world.commune, world.sibling]
    by_code = elements_of([t.indicator for t in targets])
    pairs = [(t, Basis.OWN) for t in targets] + _child_targets(targets, children, by_code)
    judged = [t for t, _basis in pairs]
    read = read_ahead([(t, t.org_unit) for t in judged], through, today)
    assert read and any(flag for _units, _figures, flag in read.values())
    ahead = evaluate_targets(judged, through, today=today, read_before=read)
    alone = evaluate_targets(judged, through, today=today)
    assert ahead == alone
    assert any(r.data_through for r in alone) and any(r.forecast for r in alone)
