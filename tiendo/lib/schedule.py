"""The reporting regime: data cut-off, submission deadline and whether a report was on time.

Decree 09/2019/NĐ-CP as restated in sector circulars: the data of a report runs from the
15th of the month before the period to the 14th of its last month (monthly 15/previous →
14/this month; quarterly 15/month before the quarter → 14/its last month; half-year and
year from 15/12 of the previous year). The deadline is a number of working days after the
cut-off. Days and counts are parameters because each province sets its own regime.

Pure Python with an explicit `now`; no Django import.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from tiendo.lib.periods import Period


class SubmissionState(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"  # the deadline has passed and nothing was submitted
    NOT_DUE = "not_due"  # nothing submitted yet, but the deadline has not passed


@dataclass(frozen=True, slots=True)
class CutOffRule:
    """Data from `start_day` of the month before the period to `end_day` of its last month;
    the report is due `working_days` after the cut-off (Saturdays, Sundays and the given
    holidays do not count)."""

    start_day: int = 15
    end_day: int = 14
    working_days: int = 2

    def __post_init__(self) -> None:
        for day in (self.start_day, self.end_day):
            if not 1 <= day <= 28:
                raise ValueError(f"a cut-off day must be between 1 and 28, not {day}")
        if self.working_days < 0:
            raise ValueError("the number of working days cannot be negative")


@dataclass(frozen=True, slots=True)
class Window:
    data_from: datetime.date
    data_to: datetime.date  # the cut-off
    deadline: datetime.date  # last day a report counts as on time


def _month_before(day: datetime.date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def add_working_days(
    day: datetime.date, count: int, holidays: Collection[datetime.date] = ()
) -> datetime.date:
    """The `count`-th working day after `day` (the day itself when count is 0)."""
    current = day
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def reporting_window(
    period: Period, rule: CutOffRule = CutOffRule(), holidays: Collection[datetime.date] = ()
) -> Window:
    year, month = _month_before(period.start)
    data_from = datetime.date(year, month, rule.start_day)
    data_to = datetime.date(period.end.year, period.end.month, rule.end_day)
    return Window(data_from, data_to, add_working_days(data_to, rule.working_days, holidays))


def submission_state(
    *, first_submitted_at: datetime.datetime | None, deadline: datetime.date,
    now: datetime.datetime,
) -> SubmissionState:
    """On time when first submitted on or before the deadline day (in the datetimes' own
    zone, which the caller sets to the province's), late after it, missing when nothing was
    submitted and the deadline day is over. A submission after `now` is not counted, so
    the state can be asked as it stood on any day."""
    if first_submitted_at is not None and first_submitted_at <= now:
        if first_submitted_at.date() <= deadline:
            return SubmissionState.ON_TIME
        return SubmissionState.LATE
    return SubmissionState.MISSING if now.date() > deadline else SubmissionState.NOT_DUE
