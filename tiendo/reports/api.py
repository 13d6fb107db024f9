"""The reports API: generate and fetch reports, and the reporting schedule's status."""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from ninja import Router, Schema

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.errors import Forbidden, NotFound
from tiendo.plans.selectors import targetset_named
from tiendo.reports.models import GeneratedReport
from tiendo.reports.selectors import (
    report_bytes,
    report_visible,
    reports_visible,
    schedule_period,
    schedule_status,
    schedule_visible,
    schedules_visible,
)
from tiendo.reports.services import reminders_send, report_generate

router = Router(tags=["reports"])


class PeriodicReportIn(Schema):
    unit_id: int
    period: str
    format: str = "docx"
    target_set: str | None = None
    lang: str = "vi"
    params: dict = {}


class PeriodicReportOut(Schema):
    id: int
    unit_code: str
    period: str
    format: str
    status: str
    filename: str
    created_at: datetime.datetime
    summary: str | None
    file_url: str


def _out(report: GeneratedReport, summary: str | None = None) -> PeriodicReportOut:
    return PeriodicReportOut(
        id=report.pk, unit_code=report.org_unit.code, period=report.period,
        format=report.format, status=report.status, filename=report.filename,
        created_at=report.created_at, summary=summary,
        file_url=f"/api/v1/periodic-reports/{report.pk}/file",
    )


@router.post("/", response=PeriodicReportOut)
def report_create(request, body: PeriodicReportIn):
    """Generate a report now (a year report of a province takes a few seconds) and archive
    it with the figures it was built from."""
    unit = orgunit_for(request.auth, body.unit_id, Action.READ)
    target_set = None
    if body.target_set:
        target_set = targetset_named(body.target_set)
        if target_set is None:
            raise NotFound(f"target set {body.target_set}")
    report = report_generate(
        unit=unit, period=body.period, file_format=body.format, target_set=target_set,
        lang=body.lang, params=body.params, user=request.auth,
        actor=f"api:{request.auth.get_username()}",
    )
    return _out(report, report.content["summary"]["text"])


@router.get("/", response=list[PeriodicReportOut])
def report_list(request):
    """Archived reports of the units in the caller's scope, newest first."""
    return [_out(report) for report in reports_visible(user_scope(request.auth))[:200]]


@router.get("/{report_id}/file")
def report_file(request, report_id: int):
    report = report_visible(user_scope(request.auth), report_id)
    response = HttpResponse(report_bytes(report), content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


class ScheduleOut(Schema):
    id: int
    name: str
    data_set: str
    root_code: str
    unit_kind: str
    period_type: str
    cutoff_start_day: int
    cutoff_end_day: int
    deadline_working_days: int


@router.get("/schedules", response=list[ScheduleOut])
def schedule_list(request):
    return [
        ScheduleOut(id=s.pk, name=s.name, data_set=s.data_set.code, root_code=s.root.code,
                    unit_kind=s.unit_kind, period_type=s.period_type,
                    cutoff_start_day=s.cutoff_start_day, cutoff_end_day=s.cutoff_end_day,
                    deadline_working_days=s.deadline_working_days)
        for s in schedules_visible(user_scope(request.auth))
    ]


class UnitStateOut(Schema):
    unit_code: str
    unit_name: str
    state: str
    first_submitted_at: datetime.datetime | None
    submission_status: str


class ScheduleStatusOut(Schema):
    schedule_id: int
    period: str
    data_from: datetime.date
    data_to: datetime.date
    deadline: datetime.date
    units: list[UnitStateOut]


def _schedule(request, schedule_id: int):
    scope = user_scope(request.auth)
    return scope, schedule_visible(scope, schedule_id)


@router.get("/schedules/{schedule_id}/status", response=ScheduleStatusOut)
def schedule_status_get(request, schedule_id: int, period: str | None = None):
    """Per unit of the caller's scope: on_time, late, missing or not_due for the period
    (by default the latest period whose cut-off has passed)."""
    scope, schedule = _schedule(request, schedule_id)
    now = timezone.now()
    status = schedule_status(schedule=schedule, period=schedule_period(schedule, period, now),
                             now=now, scope=scope)
    return ScheduleStatusOut(
        schedule_id=schedule.pk, period=status.period.code, data_from=status.window.data_from,
        data_to=status.window.data_to, deadline=status.window.deadline,
        units=[UnitStateOut(unit_code=row.unit.code, unit_name=row.unit.name,
                            state=row.state.value, first_submitted_at=row.first_submitted_at,
                            submission_status=row.status) for row in status.units],
    )


class RemindersOut(Schema):
    sent: list[str]


@router.post("/schedules/{schedule_id}/remind", response=RemindersOut)
def schedule_remind(request, schedule_id: int, period: str | None = None):
    """E-mail the units whose report is missing (once per unit and period). Needs the right
    to approve at the schedule's root unit."""
    scope, schedule = _schedule(request, schedule_id)
    if not scope.can_approve(schedule.root):
        raise Forbidden("reminders are sent by the level that approves")
    sent = reminders_send(period_code=period, schedule_id=schedule.pk, user=request.auth,
                          actor=f"api:{request.auth.get_username()}")
    return RemindersOut(sent=[reminder.org_unit.code for reminder in sent])
