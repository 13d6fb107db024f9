"""Writing tasks: every bad input refused with a clear message and nothing stored; every
change audited."""

import pytest

from tiendo.assignments.models import Task
from tiendo.assignments.selectors import tasks_count
from tiendo.assignments.services import (
    task_assess,
    task_decide,
    task_extend,
    task_mark_done,
    task_progress,
)
from tiendo.assignments.tests.helpers import D, create, document, row
from tiendo.audit.models import AuditRecord
from tiendo.audit.services import Actor
from tiendo.errors import Forbidden, InvalidInput
from tiendo.lib.periods import parse_period

pytestmark = pytest.mark.django_db


def _problems(call) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        call()
    return [f"{p.line}:{p.field}:{p.message}" for p in caught.value.problems]


def test_it_creates_several_tasks_with_coordinating_units_and_a_programme(world):
    doc = document()
    tasks = create(world, doc,
                   row("Chương trình việc làm", unit="80", deadline="năm 2026", kind="programme"),
                   row("Rà soát", coordinating_units="25480; 80", deadline="Quý II/2026",
                       programme="Chương trình việc làm"),
                   row("Theo dõi", deadline="thường xuyên"))
    assert len(tasks) == 3
    programme, review, duty = (Task.objects.get(title=t) for t in
                               ("Chương trình việc làm", "Rà soát", "Theo dõi"))
    assert review.parent == programme and review.deadline == D(2026, 6, 30)
    assert review.deadline_period == "2026Q2"
    assert {u.code for u in review.coordinating.all()} == {"25480", "80"}
    assert duty.ongoing and review.assigned_on == doc.date
    assert review.assigned_by == world.province
    assert AuditRecord.objects.filter(entity="task", action="create").count() == 3


@pytest.mark.parametrize(("bad", "expected"), [
    (row(deadline="31/12/2025"), "deadline:the deadline 31/12/2025 is before"),
    (row(deadline="Quý V/2026"), "deadline:the deadline is not a date"),
    (row(unit="79"), "unit_in_charge:this unit is outside"),
    (row(unit="99999"), "unit_in_charge:"),
    (row(programme="Không có"), "programme:no programme"),
    (row(title=""), "title:this column is required"),
])
def test_bad_rows_are_refused_and_nothing_is_stored(world, bad, expected):
    problems = _problems(lambda: create(world, document(), row("Một việc khác"), bad))
    assert any(p.startswith(f"2:{expected}") for p in problems), problems
    assert not Task.objects.exists()


def test_a_duplicate_row_is_refused(world):
    problems = _problems(lambda: create(world, document(), row(), row()))
    assert problems == ["2:title:the same task appears on line 1"]


def test_an_officer_may_not_assign_and_a_specialist_not_outside_their_scope(world):
    with pytest.raises(Forbidden):
        create(world, document(), row(), user=world.users["sibling"])
    problems = _problems(lambda: create(world, document("13/KH"), row(),
                                        user=world.users["stranger"]))
    assert "this unit is outside" in problems[0]


def _task(world, **more):
    return create(world, document(**more), row())[0]


def test_progress_is_a_percentage_from_0_to_100(world):
    task, officer = _task(world), world.users["officer"]
    for bad in ("101", "-1", "abc"):
        assert "progress is a whole percentage" in _problems(lambda b=bad: task_progress(
            task=task, percent=b, note="", user=officer, actor=Actor.of(officer)))[0]
    task_progress(task=task, percent="40", note="Đã rà soát 3 ấp", user=officer,
                  actor=Actor.of(officer))
    task.refresh_from_db()
    assert task.progress_pct == 40
    assert AuditRecord.objects.filter(entity="task", action="progress").get().new == {
        "progress_pct": 40, "progress_note": "Đã rà soát 3 ấp"}


def test_only_the_unit_in_charge_reports_progress(world):
    task = _task(world)
    with pytest.raises(Forbidden):
        task_progress(task=task, percent=10, note="", user=world.users["sibling"],
                      actor=Actor.system("x"))


def test_marking_done_needs_evidence_where_the_document_kind_requires_it(world):
    task, officer = _task(world, kind="resolution"), world.users["officer"]
    problems = _problems(lambda: task_mark_done(task=task, done_on=D(2026, 6, 1), user=officer,
                                                actor=Actor.of(officer), today=D(2026, 7, 1)))
    assert "need evidence" in problems[0]
    task_mark_done(task=task, done_on=D(2026, 6, 1), evidence_document="45/BC-UBND 01/06/2026",
                   user=officer, actor=Actor.of(officer), today=D(2026, 7, 1))
    assert Task.objects.get().state == Task.State.DONE


def test_nobody_confirms_their_own_task(world):
    task, officer = _task(world, kind="plan"), world.users["officer"]
    task_mark_done(task=task, done_on=D(2026, 6, 1), user=officer, actor=Actor.of(officer),
                   today=D(2026, 7, 1))
    with pytest.raises(Forbidden):
        task_decide(task=task, decision="confirm", user=officer, actor=Actor.of(officer))
    specialist = world.users["specialist"]
    task_decide(task=task, decision="confirm", user=specialist, actor=Actor.of(specialist),
                today=D(2026, 7, 2))
    task.refresh_from_db()
    assert task.state == Task.State.CONFIRMED and task.done_on == D(2026, 6, 1)


def test_a_task_returned_after_done_is_not_done(world):
    task, officer, specialist = _task(world), world.users["officer"], world.users["specialist"]
    task_mark_done(task=task, done_on=D(2026, 6, 1), user=officer, actor=Actor.of(officer),
                   today=D(2026, 7, 1))
    assert "say why" in _problems(lambda: task_decide(
        task=task, decision="return", user=specialist, actor=Actor.of(specialist)))[0]
    task_decide(task=task, decision="return", reason="Thiếu báo cáo", user=specialist,
                actor=Actor.of(specialist))
    count = tasks_count(unit=world.province, period=parse_period("2026"), as_of=D(2026, 7, 1))
    assert (count.tally.done, count.tally.overdue) == (0, 1)


def test_an_extension_keeps_the_first_deadline_and_is_audited(world):
    task, specialist = _task(world), world.users["specialist"]
    task_extend(task=task, deadline=D(2026, 9, 30), reason="Chờ số liệu", user=specialist,
                actor=Actor.of(specialist), today=D(2026, 6, 20))
    task.refresh_from_db()
    assert (task.deadline, task.current_deadline) == (D(2026, 6, 30), D(2026, 9, 30))
    count = tasks_count(unit=world.province, period=parse_period("2026"), as_of=D(2026, 8, 1))
    assert count.tally.in_progress == 1
    assert AuditRecord.objects.filter(entity="task", action="extend").exists()
    with pytest.raises(Forbidden):
        task_extend(task=task, deadline=D(2026, 12, 31), user=world.users["officer"],
                    actor=Actor.system("x"))


def test_an_ongoing_duty_is_assessed_per_period_and_counted_apart(world):
    duty = create(world, document(), row(deadline="thường xuyên"))[0]
    officer = world.users["officer"]
    task_assess(task=duty, period="2026Q1", done=True, user=officer, actor=Actor.of(officer))
    count = tasks_count(unit=world.province, period=parse_period("2026Q1"),
                        as_of=D(2026, 4, 1))
    assert count.tally.total == 0
    assert (count.ongoing.done, count.ongoing.total) == (1, 1)
    count = tasks_count(unit=world.province, period=parse_period("2026Q2"),
                        as_of=D(2026, 7, 1))
    assert (count.ongoing.not_assessed, count.ongoing.total) == (1, 1)
