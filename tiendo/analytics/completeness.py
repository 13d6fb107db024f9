"""How complete the data behind a figure is: of the units that must report a data set for a
period (a reporting schedule says which), how many have sent it ("68/96 xã đã gửi báo cáo
tháng 11/2026"). The dashboard, the API and the report show the same line."""

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.utils import timezone

from tiendo.lib.periods import Period, PeriodType, period_of_date, rank_of
from tiendo.lib.schedule import SubmissionState
from tiendo.org.models import OrgUnit
from tiendo.reports.models import ReportingSchedule
from tiendo.reports.selectors import schedule_status, schedule_window


@dataclass(frozen=True, slots=True)
class Completeness:
    schedule: ReportingSchedule
    period: Period  # the schedule's period the count is for
    submitted: int
    expected: int
    deadline: datetime.date
    due: bool  # the deadline has passed


@dataclass(frozen=True, slots=True)
class Coverage:
    """A pack's own count of the units a figure rests on, where a reporting schedule does
    not say it: "13/186 xã đã rà soát năm 2024" when a poverty review has reached only some
    communes. Shown beside the schedules' lines wherever they are."""
    covered: int
    expected: int
    words: Callable[[str], str]  # the line, in a language

    def text(self, lang: str) -> str:
        return self.words(lang)


# Packs add a function (unit, period, element codes) -> [Coverage] from their AppConfig's
# ready(); the engine knows none of them.
COVERAGE_SOURCES: list[Callable[[OrgUnit, Period, Collection[str]], list[Coverage]]] = []


def coverage_for(*, unit: OrgUnit, period: Period, element_codes) -> list[Coverage]:
    codes = set(element_codes)
    return [found for source in COVERAGE_SOURCES for found in source(unit, period, codes)]


def _covering(schedules, unit: OrgUnit) -> list[ReportingSchedule]:
    """The schedules whose reporting units meet the unit's subtree (rooted at the unit,
    above it or below it)."""
    return [s for s in schedules
            if unit.path.startswith(s.root.path) or s.root.path.startswith(unit.path)]


def schedules_for(unit: OrgUnit, element_codes) -> list[ReportingSchedule]:
    """Schedules covering the unit whose data sets hold any of the elements."""
    rows = (ReportingSchedule.objects.filter(data_set__elements__code__in=element_codes)
            .select_related("data_set", "root").distinct().order_by("name"))
    return _covering(rows, unit)


def _last_due(schedule: ReportingSchedule, period: Period, today: datetime.date,
              within: Period | None = None) -> Period:
    """Back from `period` to the latest whose deadline has passed, not leaving `within`."""
    while schedule_window(schedule, period).deadline >= today:
        earlier = period.previous()
        if within is not None and not within.contains(earlier):
            break
        period = earlier
    return period


def latest_due(schedule: ReportingSchedule, within: Period, today: datetime.date) -> Period:
    """The schedule's latest period inside `within` whose deadline has passed; the first one
    when none has yet; the one holding `within` when it is shorter than the schedule's."""
    kind = PeriodType(schedule.period_type)
    period = period_of_date(min(within.end, max(today, within.start)), kind)
    if not within.contains(period):
        return period_of_date(within.end, kind)
    return _last_due(schedule, period, today, within)


def completeness_for(*, unit: OrgUnit, period: Period, element_codes,
                     now: datetime.datetime | None = None) -> list[Completeness]:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    found = []
    for schedule in schedules_for(unit, element_codes):
        asked = latest_due(schedule, period, today)
        status = schedule_status(schedule=schedule, period=asked, now=now)
        rows = [row for row in status.units if row.unit.path.startswith(unit.path)]
        sent = sum(1 for row in rows if row.state in (SubmissionState.ON_TIME,
                                                      SubmissionState.LATE))
        found.append(Completeness(schedule, asked, sent, len(rows), status.window.deadline,
                                  status.window.deadline < today))
    return found


def default_period(*, unit: OrgUnit, today: datetime.date, data_set=None) -> Period | None:
    """The latest period whose reporting deadline has passed, by the schedules covering the
    unit (of the data set, when given; the shortest period type among them); None when no
    schedule covers it."""
    rows = ReportingSchedule.objects.select_related("root")
    if data_set is not None:
        rows = rows.filter(data_set=data_set)
    schedules = _covering(rows, unit)
    if not schedules:
        return None
    schedule = min(schedules, key=lambda s: (rank_of(s.period_type), s.pk))
    return _last_due(schedule, period_of_date(today, PeriodType(schedule.period_type)), today)
