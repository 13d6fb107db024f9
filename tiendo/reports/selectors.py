"""Reads of the reports app: who submitted what when, per schedule and period."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.data.models import Submission
from tiendo.errors import InvalidInput, NotFound, Problem
from tiendo.lib.periods import Period, PeriodError, PeriodType, parse_period, period_of_date
from tiendo.lib.schedule import (
    CutOffRule,
    SubmissionState,
    Window,
    reporting_window,
    submission_state,
)
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import in_force_key, orgunit_descendants
from tiendo.plans.models import Target, TargetSet
from tiendo.reports.models import GeneratedReport, Holiday, ReportingSchedule


@dataclass(frozen=True, slots=True)
class UnitState:
    unit: OrgUnit
    state: SubmissionState
    first_submitted_at: datetime.datetime | None
    status: str  # the submission's approval status, "" when none


@dataclass(frozen=True, slots=True)
class ScheduleStatus:
    schedule: ReportingSchedule
    period: Period
    window: Window
    units: list[UnitState]

    def count(self, state: SubmissionState) -> int:
        return sum(1 for row in self.units if row.state == state)


def schedule_rule(schedule: ReportingSchedule) -> CutOffRule:
    return CutOffRule(schedule.cutoff_start_day, schedule.cutoff_end_day,
                      schedule.deadline_working_days)


def schedule_window(schedule: ReportingSchedule, period: Period) -> Window:
    """Cut-off and deadline of a period, skipping the holidays recorded around it."""
    start = period.end + datetime.timedelta(days=-31)
    holidays = set(Holiday.objects.filter(day__gte=start, day__lte=period.end
                                          + datetime.timedelta(days=62))
                   .values_list("day", flat=True))
    return reporting_window(period, schedule_rule(schedule), holidays)


def schedule_period(schedule: ReportingSchedule, code: str | None,
                    now: datetime.datetime) -> Period:
    """The asked period, checked against the schedule's period type; by default the latest
    period whose cut-off has passed."""
    if code:
        try:
            period = parse_period(code)
        except PeriodError as exc:
            raise InvalidInput([Problem(str(exc), field="period", value=code)]) from None
        if period.type != PeriodType(schedule.period_type):
            raise InvalidInput([Problem(
                f"{schedule.name}: {schedule.get_period_type_display()}", field="period",
                value=code)])
        return period
    today = timezone.localtime(now).date()
    period = period_of_date(today, PeriodType(schedule.period_type))
    while reporting_window(period, schedule_rule(schedule)).data_to >= today:
        period = period.previous()
    return period


def schedule_units(schedule: ReportingSchedule, period: Period) -> list[OrgUnit]:
    """The units that report under the schedule, as the map stood at the period's end."""
    if not schedule.unit_kind:
        return [schedule.root]
    return list(orgunit_descendants(schedule.root, on=period.end)
                .filter(kind=schedule.unit_kind))


def schedule_status(*, schedule: ReportingSchedule, period: Period, now: datetime.datetime,
                    scope=None) -> ScheduleStatus:
    """Every reporting unit (those the scope reads, when given) on time, late, missing or
    not yet due, from the first submission of the schedule's data set for the period."""
    window = schedule_window(schedule, period)
    units = schedule_units(schedule, period)
    if scope is not None:
        units = [unit for unit in units if scope.can_read(unit)]
    submissions = {
        row.org_unit_id: row for row in Submission.objects.filter(
            data_set=schedule.data_set, period=period.code, org_unit__in=units)
    }
    local_now = timezone.localtime(now)
    rows = []
    for unit in units:
        found = submissions.get(unit.pk)
        first = found.first_submitted_at if found else None
        first = timezone.localtime(first) if first else None
        rows.append(UnitState(
            unit=unit,
            state=submission_state(first_submitted_at=first, deadline=window.deadline,
                                   now=local_now),
            first_submitted_at=first, status=found.status if found else "",
        ))
    return ScheduleStatus(schedule, period, window, rows)


def schedules_visible(scope):
    """Schedules whose root or some reporting unit the user may read."""
    schedules = ReportingSchedule.objects.select_related("data_set", "root")
    if scope.is_admin:
        return list(schedules)
    # A commune's officer sees the province's schedule too, with only their own row.
    return [s for s in schedules
            if scope.can_read(s.root) or any(p.startswith(s.root.path) for p in scope.paths)]


def schedule_visible(scope, schedule_id: int) -> ReportingSchedule:
    """One schedule the user may see, else NotFound (the same answer as a missing id)."""
    schedule = next((s for s in schedules_visible(scope) if s.pk == schedule_id), None)
    if schedule is None:
        raise NotFound(_("no such reporting schedule"))
    return schedule


def reports_visible(scope):
    return GeneratedReport.objects.filter(scope.unit_filter("org_unit__")).select_related(
        "org_unit", "target_set").defer("file", "content")


def report_visible(scope, report_id: int) -> GeneratedReport:
    """One archived report the user may see, else NotFound (the same answer as a missing id)."""
    report = reports_visible(scope).filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("no such report"))
    return report


def report_bytes(report: GeneratedReport) -> bytes:
    """The built file (read apart: the list of reports never loads files), else NotFound."""
    data = GeneratedReport.objects.filter(pk=report.pk).values_list("file", flat=True).get()
    if data is None:
        raise NotFound(_("the file is not built yet"))
    return bytes(data)


def report_state(report: GeneratedReport) -> dict:
    """Where the building of a report stands, read afresh (a page polls it)."""
    return GeneratedReport.objects.filter(pk=report.pk).values("status", "progress",
                                                               "error").get()


def report_choices(scope) -> tuple[list[OrgUnit], list[TargetSet]]:
    """The units with targets in the user's scope and their target sets, for the report form."""
    targets = Target.objects.filter(scope.unit_filter("org_unit__"))
    units = {t.org_unit for t in targets.select_related("org_unit")}
    target_sets = TargetSet.objects.filter(pk__in=targets.values("target_set")).order_by("name")
    return sorted(units, key=in_force_key), list(target_sets)
