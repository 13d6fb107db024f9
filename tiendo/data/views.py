"""The pages of reported data: a unit's report (a data set for a period) entered, saved as a
draft or submitted; the history of any value; approval, where the level above approves a
submitted report or returns it with a reason, and un-approves one (with a reason)."""


from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.analytics.completeness import default_period
from tiendo.data.drafts import Typed, drafts_of, report_check, report_save
from tiendo.data.models import Submission
from tiendo.data.review import (
    review_figures,
    submission_for_review,
    submissions_approve_many,
)
from tiendo.data.selectors import (
    datavalue_for,
    datavalue_history,
    entry_data_sets,
    entry_form,
    entry_units,
    submissions_visible,
)
from tiendo.data.submissions import (
    submission_approve,
    submission_return,
    submission_unapprove,
)
from tiendo.errors import InvalidInput, NotFound, Problem, TiendoError
from tiendo.language import current_lang
from tiendo.lib.periods import PeriodError, parse_period, period_options
from tiendo.org.selectors import existed_during
from tiendo.web.http import page


def _typed(request, form) -> dict[str, Typed]:
    """Each open cell as posted."""
    typed = {}
    for cell in form.cells:
        if cell.locked:
            continue
        try:
            seen = int(request.POST.get(f"version-{cell.key}", "0"))
        except ValueError:
            seen = -1
        typed[cell.key] = Typed(
            text=request.POST.get(f"value-{cell.key}", ""),
            estimate=request.POST.get(f"estimate-{cell.key}") == "on",
            comment=request.POST.get(f"comment-{cell.key}", ""),
            seen_version=seen)
    return typed


@page
def entry(request):
    scope = user_scope(request.user)
    lang = current_lang()
    today = timezone.localdate()
    units = entry_units(request.user, today)
    unit_id = request.GET.get("unit") or (units[0].pk if units else None)
    if unit_id is None:
        raise NotFound(_("no such unit"))
    unit = orgunit_for(request.user, unit_id, Action.ENTER)
    data_sets = entry_data_sets()
    data_set = next((d for d in data_sets if d.code == request.GET.get("set")), None)
    data_set = data_set or next((d for d in data_sets if d.code == "bc_thang_lao_dong"),
                                data_sets[0] if data_sets else None)
    if data_set is None:
        raise NotFound(_("no data set is defined; load the catalogue first"))
    try:
        # By default the latest period whose reporting deadline has passed, not the month
        # still running.
        period = (parse_period(request.GET["period"]) if request.GET.get("period")
                  else default_period(unit=unit, today=today, data_set=data_set)
                  or parse_period(f"{today:%Y%m}"))
    except PeriodError as exc:
        messages.error(request, exc.problem)
        return redirect("entry")
    form = entry_form(data_set=data_set, unit=unit, period=period)
    general: list[str] = []
    posted = {}
    drafts = drafts_of(form)
    if request.method == "POST":
        posted = request.POST
        submit = request.POST.get("action") == "submit"
        typed = _typed(request, form)
        try:
            result, checked = report_save(form=form, typed=typed, submit=submit, lang=lang,
                                          actor=request.user.get_username(),
                                          user=request.user)
        except InvalidInput as exc:
            checked = report_check(form=form, texts={k: t.text for k, t in typed.items()},
                                   lang=lang)
            general = [p.message for p in exc.problems if p.line is None]
            if not checked.problems and not general:  # found by the services (a conflict)
                general = [p.message for p in exc.problems]
            messages.error(request, _(
                "Not submitted: %(count)s problems to correct, each marked beside its value. "
                "You can save a draft meanwhile.") % {"count": len(exc.problems)}
                if submit else _("Nothing was saved: correct the marked values."))
        except TiendoError as exc:
            checked = report_check(form=form, texts={}, lang=lang)
            general.append(str(exc))
            messages.error(request, _("Nothing was saved: correct the marked values."))
        else:
            if submit:
                messages.success(request, _("Saved and submitted for approval."))
            elif checked.problems:
                messages.warning(request, _(
                    "Saved as a draft, with what you typed kept as it is. %(count)s problems "
                    "remain to correct before you can submit.") % {
                    "count": len(checked.all)})
            else:
                messages.success(
                    request,
                    _("Saved as a draft: %(created)s new, %(updated)s changed.")
                    % {"created": result.created, "updated": result.updated},
                )
            form = entry_form(data_set=data_set, unit=unit, period=period)
            flagged = [cell for cell in form.cells if cell.flagged]
            if flagged:
                messages.warning(request, _(
                    "Far from this unit's earlier figures, please check: %(names)s"
                ) % {"names": ", ".join(c.element.name + (f" ({c.part_name})" if c.part else "")
                                        for c in flagged)})
            return redirect(request.get_full_path())
    else:
        checked = report_check(form=form, texts=drafts, lang=lang)
    problems = {key: [p.message for p in found] for key, found in checked.problems.items()}
    rows = []
    for cell in form.cells:
        rows.append({
            "cell": cell,
            "problems": problems.get(cell.key, []),
            "value": posted.get(f"value-{cell.key}") if posted else drafts.get(cell.key),
            "estimate": (posted.get(f"estimate-{cell.key}") == "on") if posted else
            bool(cell.stored and cell.stored.estimate),
            "comment": posted.get(f"comment-{cell.key}") if posted else
            (cell.stored.comment if cell.stored else ""),
        })
    first = next((row for row in rows if row["problems"]), None) or next(
        (row for row in rows if not row["cell"].locked), None)
    # Periods the unit existed in only: no 2026 month for a commune that ended in 2025.
    years = [y for y in (today.year, today.year - 1, today.year - 2)
             if existed_during(unit, parse_period(str(y)).start, parse_period(str(y)).end)][:2]
    return render(request, "data/entry.html", {
        "form": form, "rows": rows, "general": general, "units": units, "unit": unit,
        "data_sets": data_sets, "data_set": data_set, "period": period,
        "period_groups": [(y, [p for p in period_options(y)
                               if existed_during(unit, p.start, p.end)]) for y in years],
        "read_only": form.submission.status in ("submitted", "approved"),
        "focus": first["cell"].key if first else "",
        "can_approve": scope.can_approve(unit),
        "parts_ok": _("The parts add up to the total."),
        "parts_bad": _("The parts add up to %s but the total is %t."),
    })


@page
def history(request, value_id: int):
    value = datavalue_for(request.user, value_id)
    return render(request, "data/history.html", {
        "value": value, "records": datavalue_history(value), "period": parse_period(value.period),
    })


DECISIONS = {
    "approve": submission_approve,
    "return": submission_return,
    "unapprove": submission_unapprove,
}


@page
def queue(request):
    scope = user_scope(request.user)
    status = request.GET.get("status") or Submission.Status.SUBMITTED
    period_code = request.GET.get("period", "")
    rows = submissions_visible(request.user, status="" if status == "all" else status,
                               period=period_code)
    rows = rows.order_by("-period", "submitted_at", "org_unit__name")
    paginated = Paginator(rows, 50).get_page(request.GET.get("page"))
    listed = list(paginated)
    figures = review_figures(listed)
    items = [{
        "s": s, "period": parse_period(s.period), "figures": figures.get(s.pk, []),
        "can_decide": scope.can_approve(s.org_unit),
    } for s in listed]
    return render(request, "data/approval.html", {
        "items": items, "page": paginated, "status": status,
        "statuses": [("all", _("All")), *Submission.Status.choices],
        "period_filter": period_code,
        "period_choices": _period_choices(period_code),
        "bulk": any(i["can_decide"] and i["s"].status == "submitted" for i in items),
    })


def _period_choices(chosen: str) -> list:
    """The periods of this year and the last two by year, each by its label (a filter
    chooses a period in words, never by typing its code)."""
    year, lang = timezone.localdate().year, current_lang()
    return [(y, [(p.code, p.label(lang), p.code == chosen) for p in period_options(y)])
            for y in (year, year - 1, year - 2)]


@page
def review(request, submission_id: int):
    """A report as the approver reviews it: read-only, with last period and last year
    beside each figure, and Approve / Return (or Un-approve)."""
    submission = submission_for_review(request.user, submission_id)
    period = parse_period(submission.period)
    form = entry_form(data_set=submission.data_set, unit=submission.org_unit, period=period)
    return render(request, "data/review.html", {
        "s": submission, "period": period, "form": form,
        "figures": review_figures([submission]).get(submission.pk, []),
        "can_decide": user_scope(request.user).can_approve(submission.org_unit),
        "previous": period.previous(), "last_year": period.same_period_last_year(),
    })


@require_POST
@page
def approve_many(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    # Each ticked report carries the version the specialist saw: without it the report
    # could have changed since, so it is refused rather than approved unchecked.
    versions = {key: request.POST.get(f"version-{key}", "").strip() for key in ids}
    try:
        unread = [key for key, text in versions.items() if not text.isdigit()]
        if unread:
            raise InvalidInput([Problem(
                _("the list was not sent whole: open the approval list again"), None,
                "version", str(key)) for key in unread])
        approved = submissions_approve_many(
            user=request.user, ids=ids, versions={k: int(v) for k, v in versions.items()})
    except InvalidInput as exc:
        messages.error(request, _("Nothing was approved: %(problems)s") % {
            "problems": "; ".join(f"{p.field}: {p.message}" if p.field else p.message
                                  for p in exc.problems)})
    else:
        messages.success(request, _("Approved %(count)s reports.") % {"count": len(approved)})
    return redirect(_back(request))


def _back(request) -> str:
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None,
                                           require_https=request.is_secure()):
        back = ""  # only one of our own paths: never send the reviewer to another site
    return back or "approval"


@require_POST
@page
def decide(request):
    try:
        submission = submissions_visible(request.user).get(pk=int(request.POST.get("id", "")))
    except (Submission.DoesNotExist, ValueError):
        raise NotFound(_("no such report")) from None
    orgunit_for(request.user, submission.org_unit_id, Action.APPROVE)
    decision = DECISIONS.get(request.POST.get("decision", ""))
    if decision is None:
        raise NotFound(_("no such decision"))
    arguments = {
        "data_set": submission.data_set, "org_unit": submission.org_unit,
        "period": parse_period(submission.period), "actor": request.user.get_username(),
        "user": request.user,
    }
    if decision is not submission_approve:
        arguments["reason"] = request.POST.get("reason", "")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        decision(**arguments, expected_version=version)
    except InvalidInput as exc:
        messages.error(request, "; ".join(p.message for p in exc.problems))
    except TiendoError as exc:
        messages.error(request, str(exc))
    else:
        done = {submission_approve: _("Approved: %(what)s"),
                submission_return: _("Returned to the unit: %(what)s"),
                submission_unapprove: _("Un-approved: %(what)s")}[decision]
        messages.success(request, done % {
            "what": f"{submission.data_set.name} — {submission.org_unit.name}, "
                    f"{parse_period(submission.period).label()}"})
    return redirect(_back(request))
