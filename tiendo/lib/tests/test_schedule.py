import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiendo.lib.periods import parse_period
from tiendo.lib.schedule import (
    CutOffRule,
    SubmissionState,
    add_working_days,
    reporting_window,
    submission_state,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=VN)


@pytest.mark.parametrize(("period", "data_from", "data_to"), [
    ("202409", D(2024, 8, 15), D(2024, 9, 14)),
    ("202401", D(2023, 12, 15), D(2024, 1, 14)),
    ("2024Q3", D(2024, 6, 15), D(2024, 9, 14)),
    ("2024S1", D(2023, 12, 15), D(2024, 6, 14)),
    ("2024YTD09", D(2023, 12, 15), D(2024, 9, 14)),
    ("2024", D(2023, 12, 15), D(2024, 12, 14)),
])
def test_it_cuts_the_data_off_as_decree_09_2019_restates_it(period, data_from, data_to):
    window = reporting_window(parse_period(period))
    assert (window.data_from, window.data_to) == (data_from, data_to)


def test_it_counts_the_deadline_in_working_days():
    # 14/09/2024 is a Saturday: Monday 16 and Tuesday 17 are the two working days.
    assert reporting_window(parse_period("202409")).deadline == D(2024, 9, 17)
    # 14/08/2024 is a Wednesday; with 02/09 style holidays on the Thursday it moves on.
    assert add_working_days(D(2024, 8, 14), 2, holidays={D(2024, 8, 15)}) == D(2024, 8, 19)
    assert reporting_window(parse_period("202408"), CutOffRule(working_days=0)).deadline == (
        D(2024, 8, 14))


def test_it_refuses_a_cutoff_day_that_some_months_lack():
    with pytest.raises(ValueError):
        CutOffRule(end_day=31)


def test_it_tells_on_time_late_missing_and_not_yet_due_around_the_deadline():
    deadline = D(2024, 9, 17)
    assert submission_state(first_submitted_at=at(deadline, 23), deadline=deadline,
                            now=at(D(2024, 10, 1))) == SubmissionState.ON_TIME
    assert submission_state(first_submitted_at=at(D(2024, 9, 18), 0), deadline=deadline,
                            now=at(D(2024, 10, 1))) == SubmissionState.LATE
    assert submission_state(first_submitted_at=None, deadline=deadline,
                            now=at(deadline, 23)) == SubmissionState.NOT_DUE
    assert submission_state(first_submitted_at=None, deadline=deadline,
                            now=at(D(2024, 9, 18), 0)) == SubmissionState.MISSING


days = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


@given(deadline=days, submitted=st.one_of(st.none(), days), now=days)
def test_it_is_on_time_exactly_when_submitted_by_the_deadline(deadline, submitted, now):
    state = submission_state(first_submitted_at=at(submitted) if submitted else None,
                             deadline=deadline, now=at(now))
    if submitted is None or submitted > now:
        expected = SubmissionState.MISSING if now > deadline else SubmissionState.NOT_DUE
    else:
        expected = SubmissionState.ON_TIME if submitted <= deadline else SubmissionState.LATE
    assert state == expected


def test_it_does_not_count_a_submission_after_now():
    assert submission_state(first_submitted_at=at(D(2024, 9, 18)), deadline=D(2024, 9, 17),
                            now=at(D(2024, 9, 16))) == SubmissionState.NOT_DUE


@given(day=days, count=st.integers(min_value=0, max_value=30))
def test_the_deadline_is_a_working_day_after_the_cutoff(day, count):
    deadline = add_working_days(day, count)
    assert deadline >= day
    if count:
        assert deadline.weekday() < 5
        weekdays = sum(1 for n in range(1, (deadline - day).days + 1)
                       if (day + datetime.timedelta(days=n)).weekday() < 5)
        assert weekdays == count
