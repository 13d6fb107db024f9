"""Core reads and writes: who am I, units, the dashboard and targets judged, data values,
submissions and approval. The same scope, services and engine as the pages."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.analytics.dashboard import dashboard_build
from tiendo.analytics.present import completeness_text, present
from tiendo.analytics.serialize import evaluation_json, json_pct, plain_number
from tiendo.data.models import DataValue, Submission
from tiendo.data.selectors import datavalue_history, entry_form
from tiendo.data.services import EntryInput, datavalues_enter
from tiendo.data.submissions import (
    submission_approve,
    submission_return,
    submission_submit,
    submission_unapprove,
)
from tiendo.errors import InvalidInput, NotFound, Problem
from tiendo.indicators.models import DataElement, DataSet
from tiendo.language import current_lang
from tiendo.lib.periods import Period, PeriodError, parse_period
from tiendo.lib.sentences import summary_sentence
from tiendo.org.selectors import orgunit_children
from tiendo.plans.models import TargetSet

router = Router(tags=["core"])


def _period(code: str) -> Period:
    try:
        return parse_period(code)
    except PeriodError as exc:
        raise InvalidInput([Problem(exc.problem, field="period", value=code)]) from None


def _target_set(target_set_id: int | None) -> TargetSet | None:
    if target_set_id is None:
        return None
    found = TargetSet.objects.filter(pk=target_set_id).first()
    if found is None:
        raise NotFound(_("no such target set"))
    return found


def _data_set(code: str) -> DataSet:
    found = DataSet.objects.filter(code=code).first()
    if found is None:
        raise NotFound(_("no such data set"))
    return found


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    valid_from: str | None
    valid_to: str | None


def _unit(unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "kind": unit.kind,
            "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
            "valid_to": unit.valid_to.isoformat() if unit.valid_to else None}


class MeOut(Schema):
    username: str
    role: str | None
    unit: UnitOut | None


@router.get("/me", response=MeOut)
def me(request):
    """The caller, their role and the unit their scope starts from."""
    scope = user_scope(request.auth)
    return {"username": request.auth.get_username(), "role": scope.role,
            "unit": _unit(scope.unit) if scope.unit else None}


class UnitDetailOut(UnitOut):
    children: list[UnitOut]


@router.get("/units/{unit_id}", response=UnitDetailOut)
def unit_detail(request, unit_id: int, on: str | None = None):
    """A unit in the caller's scope and the units directly below it (valid on the date
    `on`, YYYY-MM-DD, when given)."""
    unit = orgunit_for(request.auth, unit_id, Action.READ)
    try:
        day = datetime.date.fromisoformat(on) if on else None
    except ValueError:
        raise InvalidInput([Problem(_("a date is written YYYY-MM-DD"), field="on",
                                    value=on)]) from None
    return {**_unit(unit), "children": [_unit(c) for c in orgunit_children(unit, on=day)]}


@router.get("/evaluation")
def evaluation(request, unit: int, period: str, target_set: int | None = None):
    """The unit's targets judged for the period (as `tiendo evaluate --format json`)."""
    from tiendo.analytics.evaluation import targets_evaluate

    found = orgunit_for(request.auth, unit, Action.READ)
    result = targets_evaluate(unit=found, period=_period(period),
                              target_set=_target_set(target_set))
    return evaluation_json(result)


@router.get("/dashboard")
def dashboard(request, unit: int, period: str, target_set: int | None = None):
    """What the dashboard page shows: the unit's targets (own or from the unit above), the
    units below in lagging order with their figures, and each target's five-year trend."""
    found = orgunit_for(request.auth, unit, Action.READ)
    board = dashboard_build(unit=found, period=_period(period),
                            target_set=_target_set(target_set))
    lang = current_lang()
    summary = board.summary
    return {
        "unit": _unit(board.unit),
        "period": board.period.code,
        "inherited_from": _unit(board.inherited_from) if board.inherited_from else None,
        "summary": {"judged": summary.judged, "met": summary.met, "no_data": summary.no_data,
                    "in_progress": summary.in_progress, "on_track": summary.on_track,
                    "at_risk": summary.at_risk, "met_pct": json_pct(summary.met_pct),
                    "text": summary_sentence(summary, lang)},
        "data_through": board.data_through.isoformat() if board.data_through else None,
        "completeness": [
            {"schedule": c.schedule.name, "data_set": c.schedule.data_set.code,
             "period": c.period.code, "submitted": c.submitted, "expected": c.expected,
             "deadline": c.deadline.isoformat(), "text": completeness_text(c, lang)}
            for c in board.completeness
        ],
        "targets": [
            {"indicator": c.result.target.indicator.code, "basis": c.basis,
             "status": c.result.status.value if c.judged else None,
             "pace": c.result.pace.value if c.judged and c.result.pace else None,
             "status_text": present(c.result, lang).status_text if c.judged else None,
             "actual": plain_number(c.result.actual),
             "achievement_pct": json_pct(c.result.achievement_pct) if c.judged else None,
             "expected_pct": json_pct(c.result.expected_pct) if c.judged else None,
             "same_period_last_year": plain_number(c.result.last_year),
             "at_risk": c.result.at_risk if c.judged else False,
             "trend": [{"year": p.year, "value": plain_number(p.value)}
                       for p in trend]}
            for c, trend in zip(board.cells, board.trends, strict=True)
        ],
        "children": [
            {"unit": _unit(row.unit), "met": row.summary.met, "judged": row.summary.judged,
             "on_track": row.summary.on_track, "at_risk": row.summary.at_risk,
             "behind": row.behind,
             "targets": [{"indicator": c.result.target.indicator.code, "basis": c.basis,
                          "target": plain_number(c.result.target.value) if c.judged else None,
                          "actual": plain_number(c.result.actual),
                          "status": c.status.value if c.status else None,
                          "pace": c.result.pace.value if c.judged and c.result.pace else None,
                          "pace_index": json_pct(c.pace_index)}
                         for c in row.cells]}
            for row in board.children
        ],
    }


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


class ReportOut(Schema):
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
        "unit": _unit(form.unit), "data_set": form.data_set.code, "period": form.period.code,
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


@router.get("/reports", response=ReportOut)
def report(request, unit: int, data_set: str, period: str):
    """A unit's report for a data set and period: every cell, stored or not, with its
    version (send it back when writing) and whether it is far from the unit's history."""
    found = orgunit_for(request.auth, unit, Action.READ)
    return _report(entry_form(data_set=_data_set(data_set), unit=found,
                              period=_period(period)))


class ValueIn(Schema):
    element: str
    part: str = ""
    value: Decimal | None
    estimate: bool = False
    comment: str = ""
    version: int = 0


class ReportIn(Schema):
    unit: int
    data_set: str
    period: str
    values: list[ValueIn]
    submit: bool = False


@router.post("/reports", response=ReportOut)
def report_save(request, body: ReportIn):
    """Store values of a report (all or nothing; a value someone else saved since the given
    version is refused with 422) and, with `submit`, send it for approval."""
    from django.db import transaction

    found = orgunit_for(request.auth, body.unit, Action.ENTER)
    data_set, period = _data_set(body.data_set), _period(body.period)
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
    with transaction.atomic():
        datavalues_enter(org_unit=found, period=period, entries=entries, actor=actor,
                         user=request.auth)
        if body.submit:
            submission_submit(data_set=data_set, org_unit=found, period=period, actor=actor,
                              user=request.auth)
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
    return {"id": s.pk, "unit": _unit(s.org_unit), "data_set": s.data_set.code,
            "period": s.period, "status": s.status, "reason": s.reason, "version": s.version,
            "first_submitted_at": s.first_submitted_at.isoformat() if s.first_submitted_at
            else None,
            "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None}


def _submissions(user):
    return Submission.objects.filter(user_scope(user).unit_filter("org_unit__")).select_related(
        "org_unit", "data_set")


@router.get("/submissions", response=list[SubmissionOut])
def submissions(request, status: str | None = None, period: str | None = None):
    """Reports in the caller's scope, by status and period."""
    rows = _submissions(request.auth)
    if status:
        rows = rows.filter(status=status)
    if period:
        rows = rows.filter(period=period)
    return [_submission(s) for s in rows.order_by("-period", "org_unit__name")[:1000]]


class DecisionIn(Schema):
    decision: str  # approve | return | unapprove
    reason: str = ""
    version: int | None = None


@router.post("/submissions/{submission_id}/decision", response=SubmissionOut)
def decide(request, submission_id: int, body: DecisionIn):
    """Approve, return (with a reason) or un-approve (with a reason) a unit's report."""
    submission = get_object_or_404(_submissions(request.auth), pk=submission_id)
    orgunit_for(request.auth, submission.org_unit_id, Action.APPROVE)
    services = {"approve": submission_approve, "return": submission_return,
                "unapprove": submission_unapprove}
    service = services.get(body.decision)
    if service is None:
        raise InvalidInput([Problem(_("unknown decision; expected approve, return or unapprove"),
                                    field="decision", value=body.decision)])
    arguments = {"data_set": submission.data_set, "org_unit": submission.org_unit,
                 "period": _period(submission.period), "user": request.auth,
                 "actor": f"api:{request.auth.get_username()}",
                 "expected_version": body.version}
    if service is not submission_approve:
        arguments["reason"] = body.reason
    return _submission(service(**arguments))


@router.get("/values/{value_id}/history")
def value_history(request, value_id: int):
    """Every change of a stored value: who, when, old, new, why."""
    value = get_object_or_404(DataValue.objects.select_related("org_unit"), pk=value_id)
    orgunit_for(request.auth, value.org_unit_id, Action.READ)
    return [{"at": r.at.isoformat(), "user": r.user.get_username() if r.user else r.actor,
             "action": r.action, "old": r.old, "new": r.new, "reason": r.reason}
            for r in datavalue_history(value)]


@router.get("/data-sets")
def data_sets(request):
    """The reports (groups of data elements) units fill in."""
    return [{"code": d.code, "name": d.name,
             "elements": list(d.elements.order_by("code").values_list("code", flat=True))}
            for d in DataSet.objects.prefetch_related("elements").order_by("code")]


@router.get("/elements")
def elements(request):
    return [{"code": e.code, "name": e.name, "value_type": e.value_type,
             "disaggregation": e.disaggregation.code if e.disaggregation else None}
            for e in DataElement.objects.select_related("disaggregation").order_by("code")]
