"""Approval: the level above approves a unit's submitted report or returns it with a reason;
an approved report can be un-approved (with a reason) by someone allowed to approve."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.data.models import Submission
from tiendo.data.submissions import submission_approve, submission_return, submission_unapprove
from tiendo.errors import InvalidInput, NotFound, TiendoError
from tiendo.front.http import page
from tiendo.lib.periods import parse_period

DECISIONS = {
    "approve": submission_approve,
    "return": submission_return,
    "unapprove": submission_unapprove,
}


def submissions_in_scope(user):
    scope = user_scope(user)
    return Submission.objects.filter(scope.unit_filter("org_unit__")).select_related(
        "data_set", "org_unit", "submitted_by", "decided_by"
    )


@page
def queue(request):
    scope = user_scope(request.user)
    status = request.GET.get("status") or Submission.Status.SUBMITTED
    rows = submissions_in_scope(request.user)
    if status != "all":
        rows = rows.filter(status=status)
    if request.GET.get("period"):
        rows = rows.filter(period=request.GET["period"].strip())
    rows = rows.order_by("-period", "submitted_at", "org_unit__name")
    paginated = Paginator(rows, 50).get_page(request.GET.get("page"))
    items = [{
        "s": s, "period": parse_period(s.period),
        "can_decide": scope.can_approve(s.org_unit),
    } for s in paginated]
    return render(request, "front/approval.html", {
        "items": items, "page": paginated, "status": status,
        "statuses": [("all", _("All")), *Submission.Status.choices],
        "period_filter": request.GET.get("period", ""),
    })


@require_POST
@page
def decide(request):
    try:
        submission = submissions_in_scope(request.user).get(pk=int(request.POST.get("id", "")))
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
    return redirect(request.POST.get("next") or "approval")
