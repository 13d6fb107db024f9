"""Pages: generate a report and download it (progress shown while it builds), the archive,
and the reporting schedule with who submitted on time, late or not at all."""

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.errors import Forbidden, InvalidInput
from tiendo.language import current_lang
from tiendo.lib.language import language_of
from tiendo.lib.schedule import SubmissionState
from tiendo.reports.content import narrative_drafted
from tiendo.reports.models import GeneratedReport
from tiendo.reports.selectors import (
    report_bytes,
    report_choices,
    report_state,
    report_visible,
    reports_visible,
    schedule_period,
    schedule_status,
    schedule_visible,
    schedules_visible,
)
from tiendo.reports.services import PARAM_KEYS, reminders_send, report_queue, report_start
from tiendo.web.http import page

STATE_LABELS = {
    SubmissionState.ON_TIME: _("on time"),
    SubmissionState.LATE: _("late"),
    SubmissionState.MISSING: _("missing"),
    SubmissionState.NOT_DUE: _("not yet due"),
}


@page
def index(request):
    scope = user_scope(request.user)
    units, target_sets = report_choices(scope)
    problems, form = [], {}
    if request.method == "POST":
        form = request.POST
        try:
            unit = orgunit_for(request.user, form.get("unit"), Action.READ)
            target_set = next((s for s in target_sets if str(s.pk) == form.get("target_set")),
                              None)
            params = {key: form.get(key, "") for key in PARAM_KEYS if form.get(key)}
            if form.get("action") == "draft":  # the written parts, to edit before generating
                form = form.copy()
                form.update(narrative_drafted(
                    unit=unit, period=form.get("period", "").strip(), target_set=target_set,
                    lang=language_of(form.get("lang") or current_lang()), params=params))
                return render(request, "reports/index.html", {
                    "units": units, "target_sets": target_sets,
                    "reports": reports_visible(scope)[:50], "problems": [], "form": form,
                    "formats": GeneratedReport.Format.choices, "drafted": True})
            report = report_queue(
                unit=unit, period=form.get("period", "").strip(),
                file_format=form.get("format", "docx"), target_set=target_set,
                lang=language_of(form.get("lang") or current_lang()), params=params,
                user=request.user, actor=f"web:{request.user.get_username()}",
            )
            return redirect("reports:detail", report_id=report.pk)
        except InvalidInput as exc:
            problems = exc.problems
    return render(request, "reports/index.html", {
        "units": units,
        "target_sets": target_sets,
        "reports": reports_visible(scope)[:50],
        "problems": problems,
        "form": form,
        "formats": GeneratedReport.Format.choices,
    })


@page
def detail(request, report_id: int):
    report = report_visible(user_scope(request.user), report_id)
    return render(request, "reports/detail.html", {"report": report})


@page
@require_POST
def build(request, report_id: int):
    """Put the build in the job queue (the page calls it and polls `status` meanwhile); a
    reloaded page asks again while the first is queued or building: that one goes on."""
    report = report_visible(user_scope(request.user), report_id)
    report_start(report=report)
    if request.headers.get("Accept") == "application/json":
        return status(request, report_id)
    return redirect("reports:detail", report_id=report.pk)


@page
def status(request, report_id: int):
    report = report_state(report_visible(user_scope(request.user), report_id))
    done = report["status"] == GeneratedReport.Status.DONE
    return JsonResponse({
        **report,
        "download": reverse("reports:download", args=[report_id]) if done else None,
    })


@page
def download(request, report_id: int):
    report = report_visible(user_scope(request.user), report_id)
    response = HttpResponse(report_bytes(report), content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


@page
def schedules(request):
    scope = user_scope(request.user)
    return render(request, "reports/schedules.html", {"schedules": schedules_visible(scope)})


@page
def schedule_status_page(request, schedule_id: int):
    scope = user_scope(request.user)
    schedule = schedule_visible(scope, schedule_id)
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


@page
@require_POST
def schedule_remind(request, schedule_id: int):
    """E-mail the units whose report is missing; for who approves at the schedule's root."""
    scope = user_scope(request.user)
    schedule = schedule_visible(scope, schedule_id)
    if not scope.can_approve(schedule.root):
        raise Forbidden(_("only who approves at the schedule's root sends reminders"))
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
