"""The counts equal a direct tally, for the province and every unit below, and the scope of
who sees a task."""

import datetime
import random

import pytest

from tiendo.assignments.models import Task, TaskExtension
from tiendo.assignments.selectors import (
    overdue_board,
    tasks_count,
    tasks_count_by_unit,
    tasks_visible,
)
from tiendo.assignments.tests.helpers import D, create, document, row
from tiendo.lib.assignments import Extension, TaskStatus, in_period, task_state
from tiendo.lib.periods import parse_period

pytestmark = pytest.mark.django_db


def _random_tasks(world, count=120, seed=7):
    rng = random.Random(seed)
    units = [world.province, world.commune, world.sibling]
    doc = document(date=D(2025, 1, 1))
    for n in range(count):
        assigned = D(2025, 1, 1) + datetime.timedelta(days=rng.randrange(700))
        deadline = assigned + datetime.timedelta(days=rng.randrange(1, 200))
        done = (assigned + datetime.timedelta(days=rng.randrange(0, 300))
                if rng.random() < 0.6 else None)
        task = Task.objects.create(
            document=doc, title=f"T{n}", assigned_by=world.province,
            unit_in_charge=rng.choice(units), assigned_on=assigned, deadline=deadline,
            current_deadline=deadline, done_on=done,
            state=Task.State.DONE if done else Task.State.OPEN)
        if rng.random() < 0.2:
            granted = deadline + datetime.timedelta(days=rng.randrange(-20, 20))
            new = deadline + datetime.timedelta(days=30)
            TaskExtension.objects.create(task=task, granted_on=granted, old_deadline=deadline,
                                         new_deadline=new)
            task.current_deadline = new
            task.save()


def _direct(units, period, as_of):
    counts = dict.fromkeys(TaskStatus, 0)
    for task in Task.objects.filter(unit_in_charge__in=units):
        if not in_period(assigned_on=task.assigned_on, done_on=task.done_on,
                         start=period.start, end=period.end, as_of=as_of):
            continue
        extensions = [Extension(e.granted_on, e.new_deadline) for e in task.extensions.all()]
        counts[task_state(deadline=task.deadline, done_on=task.done_on, today=as_of,
                          extensions=extensions).status] += 1
    return counts


@pytest.mark.parametrize(("period", "as_of"), [("2025", D(2025, 12, 31)),
                                               ("2026Q1", D(2026, 4, 15)),
                                               ("2026", D(2026, 6, 30))])
def test_counts_equal_a_direct_tally_for_every_unit(world, period, as_of):
    _random_tasks(world)
    period = parse_period(period)
    by_unit = tasks_count_by_unit(root=world.province, period=period, as_of=as_of)
    for unit, below in ((world.province, [world.province, world.commune, world.sibling]),
                        (world.commune, [world.commune]), (world.sibling, [world.sibling])):
        direct = _direct(below, period, as_of)
        count = tasks_count(unit=unit, period=period, as_of=as_of).tally
        for tally in (count, by_unit[unit.pk]):
            assert (tally.done_on_time, tally.done_late, tally.in_progress, tally.overdue) == (
                direct[TaskStatus.DONE_ON_TIME], direct[TaskStatus.DONE_LATE],
                direct[TaskStatus.IN_PROGRESS], direct[TaskStatus.OVERDUE])


def test_the_overdue_list_comes_first_most_days_overdue_first(world):
    _random_tasks(world)
    rows = tasks_count(unit=world.province, period=parse_period("2026"),
                       as_of=D(2026, 6, 30)).rows
    overdue = [r for r in rows if r.state.status == TaskStatus.OVERDUE]
    assert rows[:len(overdue)] == overdue
    assert [r.state.days_overdue for r in overdue] == sorted(
        (r.state.days_overdue for r in overdue), reverse=True)


@pytest.mark.parametrize(("period", "as_of", "limit"), [("2025", D(2025, 12, 31), 200),
                                                        ("2026", D(2026, 6, 30), 5)])
def test_the_overdue_board_equals_the_direct_tally_extensions_included(world, period, as_of,
                                                                        limit):
    _random_tasks(world)
    period = parse_period(period)
    below = [world.province, world.commune, world.sibling]
    board = overdue_board(user=None, as_of=as_of, period=period, unit=world.province,
                          limit=limit)
    assert board.total == _direct(below, period, as_of)[TaskStatus.OVERDUE]
    overdue = [r for r in tasks_count(unit=world.province, period=period, as_of=as_of).rows
               if r.state.status == TaskStatus.OVERDUE]
    assert [(r.task.pk, r.state) for r in board.rows] == [
        (r.task.pk, r.state) for r in overdue[:limit]]
    assert any(r.task.extensions.exists() for r in overdue)  # both paths are exercised


def test_a_unit_sees_its_tasks_below_and_those_it_coordinates_and_nobody_else(world):
    doc = document()
    create(world, doc, row("Của xã", unit="25459"),
           row("Xã bên phối hợp", unit="25459", coordinating_units="25480"),
           row("Của tỉnh", unit="80"))
    seen = {name: set(tasks_visible(user).values_list("title", flat=True))
            for name, user in world.users.items()}
    assert seen["specialist"] == seen["viewer"] == seen["admin"] == {
        "Của xã", "Xã bên phối hợp", "Của tỉnh"}
    assert seen["officer"] == {"Của xã", "Xã bên phối hợp"}
    assert seen["sibling"] == {"Xã bên phối hợp"}
    assert seen["stranger"] == set()


def test_the_overdue_board_is_the_counts_overdue_list(world):
    from tiendo.assignments.selectors import overdue_board

    _random_tasks(world)
    period, as_of = parse_period("2026"), D(2026, 6, 30)
    board = overdue_board(user=world.users["specialist"], period=period, as_of=as_of, limit=5)
    overdue = tasks_count(unit=world.province, period=period, as_of=as_of).overdue
    assert board.total == len(overdue)
    assert [r.task.pk for r in board.rows] == [r.task.pk for r in overdue[:5]]
    assert overdue_board(user=world.users["stranger"], period=period, as_of=as_of).total == 0
