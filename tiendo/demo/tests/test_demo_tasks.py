"""The demo's tasks: HCMC's 21/21 work programmes and 18/18 submissions computed from tasks;
Long An and Tây Ninh tasks in every class."""

import datetime

from tiendo.assignments.present import tasks_summary_json
from tiendo.assignments.selectors import tasks_count
from tiendo.lib.assignments import TaskStatus, tally_sentence
from tiendo.lib.periods import parse_period
from tiendo.org.selectors import orgunit_resolve

AS_OF = datetime.date(2026, 12, 2)


def _hcmc_count():
    hcmc = orgunit_resolve(code="79", on=datetime.date(2022, 12, 31))
    return tasks_count(unit=hcmc, period=parse_period("2022"), as_of=AS_OF)


def test_hcmc_2022_completes_21_of_21_programmes_computed(demo):
    count = _hcmc_count()
    programmes = count.by_kind["programme"]
    assert (programmes.done, programmes.total) == (21, 21)
    assert (count.by_kind["submission"].done, count.by_kind["submission"].total) == (18, 18)
    assert (count.by_kind["draft"].done, count.by_kind["draft"].total) == (3, 3)
    assert tally_sentence(programmes, kind="programme").startswith(
        "hoàn thành 21/21 chương trình")


def test_the_typed_counts_left_the_demo(demo):
    from tiendo.plans.models import Target

    assert not Target.objects.filter(indicator__code__in=[
        "work_programmes_completed", "submissions_completed"]).exists()


def test_long_an_and_tay_ninh_show_every_class(demo):
    statuses = set()
    soon = False
    for code, period, day in (("80", "2024", datetime.date(2024, 12, 31)),
                              ("80", "2026", datetime.date(2026, 12, 31))):
        unit = orgunit_resolve(code=code, on=day)
        count = tasks_count(unit=unit, period=parse_period(period), as_of=AS_OF)
        statuses |= {row.state.status for row in count.rows}
        soon = soon or count.tally.due_soon > 0
        assert count.ongoing.total >= 1
    assert statuses == set(TaskStatus)
    assert soon


def test_the_evaluate_summary_carries_the_task_count(demo):
    hcmc = orgunit_resolve(code="79", on=datetime.date(2022, 12, 31))
    summary = tasks_summary_json(unit=hcmc, period=parse_period("2022"), as_of=AS_OF)
    assert summary["by_kind"]["programme"]["done"] == 21
    assert summary["total"] == summary["done"] + summary["not_done"] == 42


def test_the_hcmc_report_has_its_own_task_section(demo):
    from tiendo.reports.content import report_content

    hcmc = orgunit_resolve(code="79", on=datetime.date(2022, 12, 31))
    content = report_content(unit=hcmc, period=parse_period("2022"),
                             now=datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC))
    section = content["tasks"]
    assert section["summary"]["done"] == section["summary"]["total"] == 42
    assert any(line.startswith("Chương trình: hoàn thành 21/21") for line in
               section["sentences"])
    assert section["overdue"] == []
