"""Pages: my unit's tasks (held, coordinated), a document's tasks with quick entry of several
rows, one task (progress, done with evidence, confirm or return, extend, assess), and the
overdue board. Every count comes from `tiendo.assignments.selectors`."""

import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.accounts.access import orgunit_for, user_scope
from tiendo.accounts.actions import Action
from tiendo.assignments import services
from tiendo.assignments.present import deadline_text, status_text
from tiendo.assignments.selectors import (
    document_for,
    document_tasks,
    my_tasks,
    overdue_board,
    task_children,
    task_evidence,
    task_extensions,
    task_for,
    task_history,
    task_state_of,
)
from tiendo.audit.services import Actor
from tiendo.errors import InvalidInput, Problem
from tiendo.language import current_lang
from tiendo.lib.period_words import DeadlineError, parse_day
from tiendo.lib.periods import PeriodError, parse_period, year
from tiendo.web.http import page
from tiendo.web.responses import attachment, table_response

ROWS = 8  # empty rows on the quick-entry form


def _period(request):
    try:
        return parse_period(request.GET.get("period", ""))
    except PeriodError:
        return year(timezone.localdate().year)


def _as_of(request) -> datetime.date:
    try:
        return parse_day(request.GET.get("as_of", ""))
    except DeadlineError:
        return timezone.localdate()


def _export(task_rows, title: str, lang: str, fmt: str, filename: str):
    headers = [_("Task"), _("Document"), _("Unit in charge"), _("Deadline"), _("Done on"),
               _("Status"), _("Days overdue"), _("Programme")]
    rows = [[r.task.title, r.task.document.symbol, r.task.unit_in_charge.name,
             deadline_text(r.task, lang), r.task.done_on if r.state and r.state.status.is_done
             else None, status_text(r.status, lang), r.state.days_overdue if r.state else None,
             r.task.parent.title if r.task.parent_id else ""] for r in task_rows]
    return table_response(title=title, headers=headers, rows=rows, fmt=fmt, filename=filename)


@page
def mine(request):
    lang, period, as_of = current_lang(), _period(request), _as_of(request)
    held, coordinated = my_tasks(user=request.user, period=period, as_of=as_of)
    if request.GET.get("export") in ("xlsx", "csv"):
        return _export(held.rows, _("Tasks held, %(period)s") % {"period": period.label(lang)},
                       lang, request.GET["export"], f"tiendo-tasks-{period.code}")
    return render(request, "assignments/mine.html", {
        "period": period, "as_of": as_of, "held": held, "coordinated": coordinated,
        "lang": lang})


@page
def overdue(request):
    lang, period, as_of = current_lang(), _period(request), _as_of(request)
    unit = orgunit_for(request.user, request.GET["unit"]) if request.GET.get("unit") else None
    board = overdue_board(user=request.user, as_of=as_of, period=period, unit=unit)
    if request.GET.get("export") in ("xlsx", "csv"):
        return _export(board.rows, _("Overdue tasks, %(period)s") % {
            "period": period.label(lang)}, lang, request.GET["export"],
            f"tiendo-overdue-{period.code}")
    return render(request, "assignments/overdue.html", {
        "period": period, "as_of": as_of, "rows": board.rows, "total": board.total,
        "unit": unit, "lang": lang})


@page
def document(request, document_id: int):
    doc = document_for(document_id)
    problems: list[Problem] = []
    typed: list[dict] = []
    if request.method == "POST":
        fields = ("title", "unit_in_charge", "coordinating_units", "deadline", "programme",
                  "kind")
        count = int(request.POST.get("rows", ROWS) or ROWS)
        typed = [{name: request.POST.get(f"{name}-{i}", "") for name in fields}
                 for i in range(min(count, 200))]
        try:
            created = services.tasks_create(document=doc, rows=typed, user=request.user,
                                            actor=Actor.of(request.user))
        except InvalidInput as error:
            problems = error.problems
        else:
            messages.success(request, _("%(count)s tasks created.") % {"count": len(created)})
            return redirect("assignments:document", doc.pk)
    tasks = document_tasks(user=request.user, document=doc)
    today = timezone.localdate()
    rows = [(t, task_state_of(t, today)) for t in tasks]
    blank = typed or [{} for _i in range(ROWS)]
    return render(request, "assignments/document.html", {
        "document": doc, "rows": rows, "problems": problems, "blank": blank,
        "can_assign": user_scope(request.user).allows(Action.PLAN), "lang": current_lang()},
        status=422 if problems else 200)


def _date(text: str, field: str) -> datetime.date:
    try:
        return parse_day(text or "")
    except DeadlineError:
        raise InvalidInput([Problem(_("not a date: write 30/06/2022 or 2022-06-30"),
                                    field=field, value=text or "")]) from None


def _act(request, task) -> None:
    post, actor, user = request.POST, Actor.of(request.user), request.user
    action = post.get("action", "")
    if action == "progress":
        services.task_progress(task=task, percent=post.get("progress_pct", ""),
                               note=post.get("progress_note", ""), user=user, actor=actor)
    elif action == "done":
        upload = request.FILES.get("evidence_file")
        services.task_mark_done(
            task=task, done_on=_date(post.get("done_on"), "done_on"), user=user, actor=actor,
            evidence_document=post.get("evidence_document", ""),
            evidence_name=upload.name if upload else "",
            evidence_file=upload.read() if upload else None)
    elif action in ("confirm", "return"):
        services.task_decide(task=task, decision=action, reason=post.get("reason", ""),
                             user=user, actor=actor)
    elif action == "extend":
        services.task_extend(task=task, deadline=_date(post.get("deadline"), "deadline"),
                             reason=post.get("reason", ""), user=user, actor=actor)
    elif action == "assess":
        services.task_assess(task=task, period=post.get("period", ""),
                             done=post.get("done") == "1", note=post.get("note", ""),
                             user=user, actor=actor)
    else:
        raise InvalidInput([Problem(_("unknown action"), field="action", value=action)])


@page
def detail(request, task_id: int):
    task = task_for(request.user, task_id)
    problems: list[Problem] = []
    if request.method == "POST":
        try:
            _act(request, task)
        except InvalidInput as error:
            problems = error.problems
        else:
            messages.success(request, _("Saved."))
            return redirect("assignments:task", task.pk)
        task = task_for(request.user, task_id)
    if request.GET.get("evidence") and task.evidence_name:
        response = HttpResponse(task_evidence(task), content_type="application/octet-stream")
        return attachment(response, task.evidence_name)
    scope = user_scope(request.user)
    today = timezone.localdate()
    return render(request, "assignments/task.html", {
        "task": task, "state": task_state_of(task, today), "problems": problems,
        "children": [(c, task_state_of(c, today)) for c in task_children(task)],
        "extensions": task_extensions(task), "history": task_history(task),
        "can_enter": scope.can_enter(task.unit_in_charge),
        "can_decide": scope.can_approve(task.assigned_by) and scope.unit != task.unit_in_charge
        and task.done_by_id != request.user.pk,
        "can_plan": scope.can_plan(task.assigned_by), "lang": current_lang(),
        "deadline": deadline_text(task, current_lang())},
        status=422 if problems else 200)
