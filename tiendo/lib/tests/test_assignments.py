"""Task status around every boundary, with the as-of date passed in (no clock)."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiendo.lib.assignments import (
    Extension,
    TaskStatus,
    in_period,
    judging_deadline,
    tally,
    tally_sentence,
    task_state,
    task_status,
)
from tiendo.lib.period_words import DeadlineError, parse_day, parse_deadline

D = datetime.date
DEADLINE = D(2022, 12, 31)
DAY = datetime.timedelta(days=1)


def _state(done_on=None, today=DEADLINE, extensions=(), deadline=DEADLINE, soon=7):
    return task_state(deadline=deadline, done_on=done_on, today=today,
                      extensions=extensions, due_soon_days=soon)


def test_it_is_in_progress_on_the_deadline_day():
    state = _state(today=DEADLINE)
    assert state.status == TaskStatus.IN_PROGRESS and state.days_overdue == 0
    assert state.due_soon


def test_it_is_overdue_from_the_day_after_the_deadline():
    state = _state(today=DEADLINE + DAY)
    assert state.status == TaskStatus.OVERDUE and state.days_overdue == 1
    assert not state.due_soon


def test_it_is_in_progress_the_day_before():
    assert _state(today=DEADLINE - DAY).status == TaskStatus.IN_PROGRESS


def test_done_on_the_deadline_day_is_on_time():
    state = _state(done_on=DEADLINE, today=DEADLINE + 10 * DAY)
    assert state.status == TaskStatus.DONE_ON_TIME and state.days_overdue == 0


def test_done_a_day_late_is_late_by_one_day():
    state = _state(done_on=DEADLINE + DAY, today=DEADLINE + 30 * DAY)
    assert state.status == TaskStatus.DONE_LATE and state.days_overdue == 1


def test_days_overdue_counts_to_the_as_of_date():
    assert _state(today=D(2023, 1, 31)).days_overdue == 31


def test_due_soon_is_inclusive_at_both_ends():
    assert _state(today=DEADLINE - 7 * DAY).due_soon
    assert not _state(today=DEADLINE - 8 * DAY).due_soon
    assert _state(today=DEADLINE - 3 * DAY, soon=3).due_soon
    assert not _state(today=DEADLINE - 4 * DAY, soon=3).due_soon


def test_done_after_the_as_of_date_is_not_done_as_of_it():
    # A Q3 report written in October: done on 5 October, not done as of 30 September.
    deadline = D(2022, 9, 30)
    state = _state(done_on=D(2022, 10, 5), today=deadline, deadline=deadline)
    assert state.status == TaskStatus.IN_PROGRESS
    later = _state(done_on=D(2022, 10, 5), today=D(2022, 10, 20), deadline=deadline)
    assert later.status == TaskStatus.DONE_LATE and later.days_overdue == 5


def test_an_extension_granted_before_the_first_deadline_moves_it():
    extension = Extension(granted_on=DEADLINE - DAY, deadline=D(2023, 3, 31))
    state = _state(done_on=D(2023, 2, 1), today=D(2023, 4, 1), extensions=[extension])
    assert state.status == TaskStatus.DONE_ON_TIME and state.deadline == D(2023, 3, 31)


def test_an_extension_granted_on_the_deadline_day_moves_it():
    extension = Extension(granted_on=DEADLINE, deadline=D(2023, 3, 31))
    assert judging_deadline(DEADLINE, [extension]) == D(2023, 3, 31)


def test_an_extension_granted_after_the_first_deadline_still_counts_late():
    extension = Extension(granted_on=DEADLINE + DAY, deadline=D(2023, 3, 31))
    state = _state(done_on=D(2023, 2, 1), today=D(2023, 4, 1), extensions=[extension])
    assert state.status == TaskStatus.DONE_LATE and state.days_overdue == 32
    assert _state(today=D(2023, 1, 5), extensions=[extension]).status == TaskStatus.OVERDUE


def test_an_extension_not_yet_granted_as_of_a_date_does_not_count():
    extension = Extension(granted_on=D(2022, 12, 20), deadline=D(2023, 3, 31))
    assert _state(today=D(2022, 12, 19), extensions=[extension]).deadline == DEADLINE
    assert _state(today=D(2022, 12, 20), extensions=[extension]).deadline == D(2023, 3, 31)


def test_extensions_chain_while_each_is_granted_in_time():
    first = Extension(granted_on=D(2022, 12, 1), deadline=D(2023, 1, 31))
    second = Extension(granted_on=D(2023, 1, 31), deadline=D(2023, 2, 28))
    too_late = Extension(granted_on=D(2023, 3, 1), deadline=D(2023, 6, 30))
    assert judging_deadline(DEADLINE, [too_late, second, first]) == D(2023, 2, 28)


def test_task_status_keeps_its_old_shape():
    assert task_status(deadline=DEADLINE, completed_on=None,
                       today=DEADLINE + DAY) == TaskStatus.OVERDUE


def test_a_period_tasks_include_earlier_ones_not_done_before_it():
    q3 = dict(start=D(2022, 7, 1), end=D(2022, 9, 30), as_of=D(2022, 10, 15))
    assert in_period(assigned_on=D(2022, 8, 1), done_on=None, **q3)
    assert in_period(assigned_on=D(2022, 3, 1), done_on=None, **q3)
    assert in_period(assigned_on=D(2022, 3, 1), done_on=D(2022, 7, 1), **q3)
    assert not in_period(assigned_on=D(2022, 3, 1), done_on=D(2022, 6, 30), **q3)
    assert not in_period(assigned_on=D(2022, 10, 1), done_on=None, **q3)
    assert not in_period(assigned_on=D(2022, 9, 1), done_on=None,
                         start=q3["start"], end=q3["end"], as_of=D(2022, 8, 31))


def test_the_sentence_reads_like_the_government_office_report():
    states = ([_state(done_on=DEADLINE, today=D(2023, 2, 1))] * 14068
              + [_state(done_on=DEADLINE + DAY, today=D(2023, 2, 1))] * 1983
              + [_state(today=DEADLINE)] * 5640 + [_state(today=D(2023, 1, 2))] * 223)
    assert tally_sentence(tally(states)) == (
        "hoàn thành 16.051/21.914 nhiệm vụ (đúng hạn 14.068, quá hạn 1.983); chưa hoàn "
        "thành 5.863 (trong hạn 5.640, quá hạn 223)")
    assert tally_sentence(tally(states), "en").startswith("16,051/21,914 tasks completed")


@pytest.mark.parametrize(("text", "day", "period"), [
    ("30/06/2022", D(2022, 6, 30), None),
    ("2022-06-30", D(2022, 6, 30), None),
    ("Quý III/2022", D(2022, 9, 30), "2022Q3"),
    ("quý 2 năm 2024", D(2024, 6, 30), "2024Q2"),
    ("6 tháng đầu năm 2022", D(2022, 6, 30), "2022S1"),
    ("6 tháng cuối năm 2022", D(2022, 12, 31), "2022S2"),
    ("9 tháng năm 2022", D(2022, 9, 30), "2022YTD09"),
    ("năm 2022", D(2022, 12, 31), "2022"),
    ("Năm 2022", D(2022, 12, 31), "2022"),
    ("tháng 9/2022", D(2022, 9, 30), "202209"),
    ("Tháng 2/2024", D(2024, 2, 29), "202402"),
    ("2022Q3", D(2022, 9, 30), "2022Q3"),
    ("Trong năm 2023", D(2023, 12, 31), "2023"),
])
def test_it_reads_deadlines_the_way_people_write_them(text, day, period):
    parsed = parse_deadline(text)
    assert parsed.day == day
    assert (parsed.period.code if parsed.period else None) == period


def test_thuong_xuyen_is_an_ongoing_duty():
    assert parse_deadline("Thường xuyên").ongoing


@pytest.mark.parametrize("text", ["", "Quý V/2022", "tháng 13/2022", "31/02/2022", "sớm",
                                  "năm hai nghìn"])
def test_it_refuses_what_does_not_parse(text):
    with pytest.raises(DeadlineError):
        parse_deadline(text)


def test_parse_day_refuses_a_period():
    with pytest.raises(DeadlineError):
        parse_day("năm 2022")


days = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))
extensions = st.lists(st.builds(Extension, granted_on=days, deadline=days), max_size=3)
tasks = st.tuples(days, st.none() | days, days, extensions)


@settings(deadline=None)  # the machine is shared; a slow example is not a failure
@given(st.lists(tasks, max_size=40))
def test_the_four_classes_partition_every_task_and_counts_add_up(items):
    states = [task_state(deadline=d, done_on=done, today=today, extensions=ext)
              for d, done, today, ext in items]
    counts = tally(states)
    assert counts.total == len(items)
    assert counts.done + counts.not_done == counts.total
    assert counts.done_on_time + counts.done_late == counts.done
    assert counts.in_progress + counts.overdue == counts.not_done
    for state, (_d, done, today, _ext) in zip(states, items, strict=True):
        # exactly one class, and done only when reported done by the as-of date
        assert state.status.is_done == (done is not None and done <= today)
        assert state.days_overdue >= 0
        assert (state.days_overdue > 0) <= (state.status in (TaskStatus.OVERDUE,
                                                             TaskStatus.DONE_LATE))
        assert not state.due_soon or state.status == TaskStatus.IN_PROGRESS


@settings(deadline=None)  # the machine is shared; a slow example is not a failure
@given(st.lists(tasks, max_size=30), st.lists(tasks, max_size=30))
def test_tallies_of_parts_add_up_to_the_tally_of_the_whole(first, second):
    def states(items):
        return [task_state(deadline=d, done_on=done, today=t, extensions=e)
                for d, done, t, e in items]

    assert tally(states(first)) + tally(states(second)) == tally(states(first + second))


@settings(deadline=None)  # the machine is shared; a slow example is not a failure
@given(days, st.lists(st.builds(Extension, granted_on=days, deadline=days), max_size=4), days)
def test_a_late_extension_never_excuses_lateness(first, exts, as_of):
    """The judging deadline is the first one, or one set by an extension granted in time."""
    judged = judging_deadline(first, exts, as_of)
    assert judged == first or any(e.deadline == judged and e.granted_on <= as_of
                                  for e in exts)


@settings(deadline=None)  # the machine is shared; a slow example is not a failure
@given(st.lists(st.tuples(st.sampled_from("abc"), days, st.none() | days, days,
                          st.none() | days), max_size=40), days, days, days)
def test_tally_by_counts_as_the_one_task_rules(items, start, end, as_of):
    from tiendo.lib.assignments import tally_by

    rows = [(key, n, assigned, deadline, done)
            for n, (key, assigned, done, deadline, _x) in enumerate(items)]
    found = tally_by(rows, start=start, end=end, as_of=as_of)
    for key in "abc":
        expected = tally(task_state(deadline=deadline, done_on=done, today=as_of)
                         for k, _n, assigned, deadline, done in rows
                         if k == key and in_period(assigned_on=assigned, done_on=done,
                                                   start=start, end=end, as_of=as_of))
        assert found.get(key, tally([])) == expected
