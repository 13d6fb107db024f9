"""Pages: generate a report and download it (progress shown while it builds), the archive,
and the reporting schedule with who submitted on time, late or not at all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.errors import Forbidden, InvalidInput, NotFound
from tiendo.lib.schedule import SubmissionState
from tiendo.plans.models import Target, TargetSet
from tiendo.reports.models import GeneratedReport
from tiendo.reports.selectors import (
    reports_visible,
    schedule_period,
    schedule_status,
    schedule_visible,
    schedules_visible,
)
from tiendo.reports.services import PARAM_KEYS, reminders_send, report_build, report_queue

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

STATE_LABELS = {
    SubmissionState.ON_TIME: _("on time"),
    SubmissionState.LATE: _("late"),
    SubmissionState.MISSING: _("missing"),
    SubmissionState.NOT_DUE: _("not yet due"),
}


def _unit(user, unit_id, action=Action.READ):
    try:
        return orgunit_for(user, unit_id, action)
    except NotFound:
        raise Http404 from None
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None


def _schedule(scope, schedule_id: int):
    try:
        return schedule_visible(scope, schedule_id)
    except NotFound:
        raise Http404 from None


def _report(request, report_id: int) -> GeneratedReport:
    report = reports_visible(user_scope(request.user)).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


@login_required
def index(request):
    scope = user_scope(request.user)
    problems, form = [], {}
    if request.method == "POST":
        form = request.POST
        try:
            unit = _unit(request.user, form.get("unit"))
            target_set = None
            if form.get("target_set"):
                target_set = TargetSet.objects.filter(pk=form["target_set"]).first()
            params = {key: form.get(key, "") for key in PARAM_KEYS if form.get(key)}
            report = report_queue(
                unit=unit, period=form.get("period", "").strip(),
                file_format=form.get("format", "docx"), target_set=target_set,
                lang=form.get("lang") or get_language() or "vi", params=params,
                user=request.user, actor=f"web:{request.user.get_username()}",
            )
            return redirect("reports:detail", report_id=report.pk)
        except InvalidInput as exc:
            problems = exc.problems
    targets = Target.objects.filter(scope.unit_filter("org_unit__"))
    units = {t.org_unit for t in targets.select_related("org_unit")}
    target_sets = TargetSet.objects.filter(
        pk__in=targets.values("target_set")).order_by("name")
    return render(request, "reports/index.html", {
        "units": sorted(units, key=lambda unit: unit.name),
        "target_sets": target_sets,
        "reports": reports_visible(scope)[:50],
        "problems": problems,
        "form": form,
        "formats": GeneratedReport.Format.choices,
    })


@login_required
def detail(request, report_id: int):
    report = _report(request, report_id)
    return render(request, "reports/detail.html", {"report": report})


@login_required
@require_POST
def build(request, report_id: int):
    """Build the file (the page calls it and polls `status` meanwhile)."""
    report = _report(request, report_id)
    # A reloaded page asks again while the first request still builds: let that one finish.
    if report.status in (GeneratedReport.Status.QUEUED, GeneratedReport.Status.FAILED):
        try:
            report_build(report=report)
        except Exception:  # the failure is stored on the report and shown on its page
            report.refresh_from_db()
    if request.headers.get("Accept") == "application/json":
        return status(request, report_id)
    return redirect("reports:detail", report_id=report.pk)


@login_required
def status(request, report_id: int):
    report = GeneratedReport.objects.filter(pk=_report(request, report_id).pk).values(
        "status", "progress", "error").get()
    done = report["status"] == GeneratedReport.Status.DONE
    return JsonResponse({
        **report,
        "download": reverse("reports:download", args=[report_id]) if done else None,
    })


@login_required
def download(request, report_id: int):
    report = _report(request, report_id)
    data = GeneratedReport.objects.filter(pk=report.pk).values_list("file", flat=True).get()
    if data is None:
        raise Http404
    response = HttpResponse(bytes(data), content_type=CONTENT_TYPES[report.format])
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


@login_required
def schedules(request):
    scope = user_scope(request.user)
    return render(request, "reports/schedules.html", {"schedules": schedules_visible(scope)})


@login_required
def schedule_status_page(request, schedule_id: int):
    scope = user_scope(request.user)
    schedule = _schedule(scope, schedule_id)
    now = timezone.now()
    problems, status = [], None
    try:
        period = schedule_period(schedule, request.GET.get("period"), now)
        status = schedule_status(schedule=schedule, period=period, now=now, scope=scope)
    except InvalidInput as exc:
        problems = exc.problems
    return render(request, "reports/schedule.html", {
        "schedule": schedule, "status": status, "problems": problems,
        "can_remind": scope.can_approve(schedule.root),
        "counts": [(STATE_LABELS[state], status.count(state)) for state in SubmissionState]
        if status else [],
        "rows": [(row, STATE_LABELS[row.state]) for row in status.units] if status else [],
        "period_code": request.GET.get("period", status.period.code if status else ""),
    })


@login_required
@require_POST
def schedule_remind(request, schedule_id: int):
    """E-mail the units whose report is missing; for who approves at the schedule's root."""
    scope = user_scope(request.user)
    schedule = _schedule(scope, schedule_id)
    if not scope.can_approve(schedule.root):
        raise PermissionDenied
    period = request.POST.get("period", "")
    try:
        sent = reminders_send(period_code=period or None, schedule_id=schedule.pk,
                              user=request.user, actor=f"web:{request.user.get_username()}")
    except InvalidInput as exc:
        for problem in exc.problems:
            messages.error(request, str(problem))
    else:
        messages.success(request, _("%(count)s reminders sent") % {"count": len(sent)})
    return redirect(f"{reverse('reports:schedule', args=[schedule.pk])}?period={period}")
