"""Status of an assigned task (nhiệm vụ), so "hoàn thành 21/21" is counted, never typed.

The four classes are the Government Office's: done on time, done late, not done within the
deadline (in progress) and overdue. Everything here takes the as-of date explicitly.

Rules (docs/tasks.md):

- A task is `in_progress` up to and including its deadline day and `overdue` from the day
  after. A period deadline ("Quý III/2022") ends on the period's last day.
- "Done" counts from the day the unit in charge reported it done; confirmation does not
  move it, and a task returned after being marked done is not done. A task done after the
  as-of date is not done as of it.
- Extensions: the deadline that judges the task starts as the first deadline; an extension
  moves it only when granted on or before the deadline it replaces (before that deadline
  passed). An extension granted later is kept as the working deadline but the task is
  judged on the earlier one (done within it counts as late). Extensions granted after the
  as-of date are not known as of it.
- `days_overdue`: whole days from the judging deadline to the as-of date (overdue) or to
  the day it was done (done late); 0 otherwise.
- `due_soon`: not done, and the judging deadline lies from the as-of date to N days after
  it, inclusive (N = `DUE_SOON_DAYS` unless given).
- Ongoing duties (thường xuyên) have no deadline: they are assessed per reporting period
  and counted apart (`OngoingTally`), never in the four classes.
- A period's tasks: those assigned by documents dated within the period, plus those
  assigned earlier and not done before the period began (`in_period`); a task assigned
  after the as-of date is not counted yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from tiendo.lib.language import language_of
from tiendo.lib.numbers import format_number

DUE_SOON_DAYS = 7


class TaskStatus(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"

    @property
    def is_done(self) -> bool:
        return self in (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE)


@dataclass(frozen=True, slots=True)
class Extension:
    granted_on: datetime.date
    deadline: datetime.date  # the new deadline


@dataclass(frozen=True, slots=True)
class TaskState:
    status: TaskStatus
    deadline: datetime.date  # the deadline the task is judged on
    days_overdue: int
    due_soon: bool


def judging_deadline(first: datetime.date, extensions: Iterable[Extension] = (),
                     as_of: datetime.date | None = None) -> datetime.date:
    """The deadline a task is judged on: the first one, moved by each extension granted on
    or before the deadline it replaces (and, with `as_of`, no later than it)."""
    judged = first
    for extension in sorted(extensions, key=lambda e: e.granted_on):
        if as_of is not None and extension.granted_on > as_of:
            break
        if extension.granted_on <= judged:
            judged = extension.deadline
    return judged


def task_state(*, deadline: datetime.date, done_on: datetime.date | None,
               today: datetime.date, extensions: Sequence[Extension] = (),
               due_soon_days: int = DUE_SOON_DAYS) -> TaskState:
    """The state of a task with a deadline (its first one) as of `today`."""
    judged = judging_deadline(deadline, extensions, today)
    if done_on is not None and done_on <= today:
        if done_on <= judged:
            return TaskState(TaskStatus.DONE_ON_TIME, judged, 0, False)
        return TaskState(TaskStatus.DONE_LATE, judged, (done_on - judged).days, False)
    if today <= judged:
        soon = (judged - today).days <= due_soon_days
        return TaskState(TaskStatus.IN_PROGRESS, judged, 0, soon)
    return TaskState(TaskStatus.OVERDUE, judged, (today - judged).days, False)


def task_status(*, deadline: datetime.date, completed_on: datetime.date | None,
                today: datetime.date) -> TaskStatus:
    """The class alone, for a task without extensions."""
    return task_state(deadline=deadline, done_on=completed_on, today=today).status


def in_period(*, assigned_on: datetime.date, done_on: datetime.date | None,
              start: datetime.date, end: datetime.date, as_of: datetime.date) -> bool:
    """Whether a task belongs to the period from `start` to `end` as of `as_of`: assigned
    within it, or earlier and not done before it began; never one assigned after `as_of`."""
    if assigned_on > end or assigned_on > as_of:
        return False
    if assigned_on >= start:
        return True
    return done_on is None or done_on > as_of or done_on >= start


@dataclass(frozen=True, slots=True)
class TaskTally:
    """The Government Office's counts: done (on time, late), not done (in time, overdue)."""

    done_on_time: int = 0
    done_late: int = 0
    in_progress: int = 0
    overdue: int = 0
    due_soon: int = 0

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def not_done(self) -> int:
        return self.in_progress + self.overdue

    @property
    def total(self) -> int:
        return self.done + self.not_done

    def __add__(self, other: TaskTally) -> TaskTally:
        return TaskTally(self.done_on_time + other.done_on_time,
                         self.done_late + other.done_late,
                         self.in_progress + other.in_progress,
                         self.overdue + other.overdue, self.due_soon + other.due_soon)

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, "done": self.done, "done_on_time": self.done_on_time,
                "done_late": self.done_late, "not_done": self.not_done,
                "in_progress": self.in_progress, "overdue": self.overdue,
                "due_soon": self.due_soon}


def tally(states: Iterable[TaskState]) -> TaskTally:
    counts = dict.fromkeys(TaskStatus, 0)
    soon = 0
    for state in states:
        counts[state.status] += 1
        soon += state.due_soon
    return TaskTally(counts[TaskStatus.DONE_ON_TIME], counts[TaskStatus.DONE_LATE],
                     counts[TaskStatus.IN_PROGRESS], counts[TaskStatus.OVERDUE], soon)


@dataclass(frozen=True, slots=True)
class OngoingTally:
    """Ongoing duties (thường xuyên) assessed for one period."""

    done: int = 0
    not_done: int = 0
    not_assessed: int = 0

    @property
    def total(self) -> int:
        return self.done + self.not_done + self.not_assessed


# The nouns of the counted kinds, singular = plural in Vietnamese.
KIND_NOUNS = {
    "task": ("nhiệm vụ", "tasks"),
    "programme": ("chương trình", "programmes"),
    "project": ("dự án", "projects"),
    "scheme": ("đề án", "schemes"),
    "submission": ("nội dung trình", "submissions"),
    "draft": ("dự thảo văn bản", "drafts"),
}


def tally_sentence(counts: TaskTally, lang: str = "vi", kind: str = "task") -> str:
    """"hoàn thành 16.051/21.914 nhiệm vụ (đúng hạn 14.068, quá hạn 1.983); chưa hoàn thành
    5.863 (trong hạn 5.640, quá hạn 223)", in the reports' number style."""
    lang = language_of(lang)
    n = lambda value: format_number(value, 0, lang)  # noqa: E731
    noun = KIND_NOUNS.get(kind, KIND_NOUNS["task"])[1 if lang == "en" else 0]
    if lang == "en":
        return (f"{n(counts.done)}/{n(counts.total)} {noun} completed (on time "
                f"{n(counts.done_on_time)}, late {n(counts.done_late)}); not completed "
                f"{n(counts.not_done)} (within the deadline {n(counts.in_progress)}, overdue "
                f"{n(counts.overdue)})")
    return (f"hoàn thành {n(counts.done)}/{n(counts.total)} {noun} (đúng hạn "
            f"{n(counts.done_on_time)}, quá hạn {n(counts.done_late)}); chưa hoàn thành "
            f"{n(counts.not_done)} (trong hạn {n(counts.in_progress)}, quá hạn "
            f"{n(counts.overdue)})")


def tally_by(rows: Iterable[tuple], *, start: datetime.date, end: datetime.date,
             as_of: datetime.date, extensions: dict | None = None,
             due_soon_days: int = DUE_SOON_DAYS) -> dict:
    """Tallies by key for many tasks at once: `rows` holds (key, task id, assigned on,
    first deadline, done on). The same rules as `in_period` and `task_state`, written as
    one loop for bulk counts; `extensions` maps a task id to its extensions."""
    extensions = extensions or {}
    counts: dict = {}
    soon = datetime.timedelta(days=due_soon_days)
    for key, task_id, assigned_on, deadline, done_on in rows:
        if assigned_on > end or assigned_on > as_of:
            continue
        done = done_on is not None and done_on <= as_of
        if assigned_on < start and done and done_on < start:
            continue
        if task_id in extensions:
            deadline = judging_deadline(deadline, extensions[task_id], as_of)
        bucket = counts.get(key)
        if bucket is None:
            bucket = counts[key] = [0, 0, 0, 0, 0]
        if done:
            bucket[0 if done_on <= deadline else 1] += 1
        elif as_of <= deadline:
            bucket[2] += 1
            if deadline - as_of <= soon:
                bucket[4] += 1
        else:
            bucket[3] += 1
    return {key: TaskTally(*values) for key, values in counts.items()}
