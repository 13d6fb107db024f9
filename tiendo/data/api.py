"""Reported data in the API: a unit's report read and written, submissions and their
approval, the history of a value. The same services and scope as the pages."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tiendo.accounts.access import Action, orgunit_for
from tiendo.analytics.serialize import unit_json
from tiendo.api.kit import UnitOut, data_set_in, period_in
from tiendo.data.models import Submission
from tiendo.data.selectors import (
    datavalue_for,
    datavalue_history,
    entry_form,
    submissions_visible,
)
from tiendo.data.services import EntryInput
from tiendo.data.submissions import (
    report_enter,
    submission_approve,
    submission_return,
    submission_unapprove,
)
from tiendo.errors import InvalidInput, Problem

router = Router(tags=["data"])


class ValueOut(Schema):
    id: int | None
    element: str
    part: str
    value: Decimal | None
    estimate: bool
    comment: str
    status: str | None
    version: int
    flagged: bool


class DataReportOut(Schema):
    unit: UnitOut
    data_set: str
    period: str
    status: str
    submission_id: int | None
    submission_version: int
    reason: str
    values: list[ValueOut]


def _report(form) -> dict:
    submission = form.submission
    return {
        "unit": unit_json(form.unit), "data_set": form.data_set.code, "period": form.period.code,
        "status": submission.status, "submission_id": submission.pk,
        "submission_version": submission.version if submission.pk else 0,
        "reason": submission.reason,
        "values": [{
            "id": c.stored.pk if c.stored else None, "element": c.element.code, "part": c.part,
            "value": c.stored.value if c.stored else None,
            "estimate": bool(c.stored and c.stored.estimate),
            "comment": c.stored.comment if c.stored else "",
            "status": c.stored.status if c.stored else None, "version": c.version,
            "flagged": c.flagged,
        } for c in form.cells],
    }


@router.get("/reports", response=DataReportOut)
def report(request, unit: int, data_set: str, period: str):
    """A unit's report for a data set and period: every cell, stored or not, with its
    version (send it back when writing) and whether it is far from the unit's history."""
    found = orgunit_for(request.auth, unit, Action.READ)
    return _report(entry_form(data_set=data_set_in(data_set), unit=found,
                              period=period_in(period)))


class ValueIn(Schema):
    element: str
    part: str = ""
    value: Decimal | None
    estimate: bool = False
    comment: str = ""
    version: int = 0


class DataReportIn(Schema):
    unit: int
    data_set: str
    period: str
    values: list[ValueIn]
    submit: bool = False


@router.post("/reports", response=DataReportOut)
def report_save(request, body: DataReportIn):
    """Store values of a report (all or nothing; a value someone else saved since the given
    version is refused with 422) and, with `submit`, send it for approval."""
    found = orgunit_for(request.auth, body.unit, Action.ENTER)
    data_set, period = data_set_in(body.data_set), period_in(body.period)
    elements = {e.code: e for e in data_set.elements.all()}
    problems, entries = [], []
    for line, item in enumerate(body.values):
        element = elements.get(item.element)
        if element is None:
            problems.append(Problem(_("not an element of this data set"), line, "element",
                                    item.element))
            continue
        entries.append(EntryInput(element, item.part, item.value, item.estimate, item.comment,
                                  item.version, line))
    if problems:
        raise InvalidInput(problems)
    actor = f"api:{request.auth.get_username()}"
    report_enter(data_set=data_set, org_unit=found, period=period, entries=entries,
                 submit=body.submit, actor=actor, user=request.auth)
    return _report(entry_form(data_set=data_set, unit=found, period=period))


class SubmissionOut(Schema):
    id: int
    unit: UnitOut
    data_set: str
    period: str
    status: str
    first_submitted_at: str | None
    submitted_at: str | None
    reason: str
    version: int


def _submission(s: Submission) -> dict:
    return {"id": s.pk, "unit": unit_json(s.org_unit), "data_set": s.data_set.code,
            "period": s.period, "status": s.status, "reason": s.reason, "version": s.version,
            "first_submitted_at": s.first_submitted_at.isoformat() if s.first_submitted_at
            else None,
            "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None}


@router.get("/submissions", response=list[SubmissionOut])
def submissions(request, status: str | None = None, period: str | None = None):
    """Reports in the caller's scope, by status and period."""
    rows = submissions_visible(request.auth, status=status or "", period=period or "")
    return [_submission(s) for s in rows.order_by("-period", "org_unit__name")[:1000]]


class DecisionIn(Schema):
    decision: str  # approve | return | unapprove
    reason: str = ""
    version: int | None = None


@router.post("/submissions/{submission_id}/decision", response=SubmissionOut)
def decide(request, submission_id: int, body: DecisionIn):
    """Approve, return (with a reason) or un-approve (with a reason) a unit's report."""
    submission = get_object_or_404(submissions_visible(request.auth), pk=submission_id)
    orgunit_for(request.auth, submission.org_unit_id, Action.APPROVE)
    services = {"approve": submission_approve, "return": submission_return,
                "unapprove": submission_unapprove}
    service = services.get(body.decision)
    if service is None:
        raise InvalidInput([Problem(_("unknown decision; expected approve, return or unapprove"),
                                    field="decision", value=body.decision)])
    arguments = {"data_set": submission.data_set, "org_unit": submission.org_unit,
                 "period": period_in(submission.period), "user": request.auth,
                 "actor": f"api:{request.auth.get_username()}",
                 "expected_version": body.version}
    if service is not submission_approve:
        arguments["reason"] = body.reason
    return _submission(service(**arguments))


@router.get("/values/{value_id}/history")
def value_history(request, value_id: int):
    """Every change of a stored value: who, when, old, new, why."""
    value = datavalue_for(request.auth, value_id)
    return [{"at": r.at.isoformat(), "user": r.user.get_username() if r.user else r.actor,
             "action": r.action, "old": r.old, "new": r.new, "reason": r.reason}
            for r in datavalue_history(value)]
