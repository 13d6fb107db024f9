"""Target sets and targets over the API: the same reads, writes and scope as the pages.

Values come in as numbers or decimal strings ("1500000", "12.5") and go out as plain JSON
numbers like the rest of the API (at most six places, as stored). Each target read carries
how it reads ("giảm 15,00%") and its judgement from the engine.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from tiendo.accounts.access import Action, orgunit_for
from tiendo.analytics.evaluation import TargetResult, evaluate_targets
from tiendo.analytics.serialize import json_pct, plain_number
from tiendo.errors import InvalidInput, Problem
from tiendo.exchange.tables import XLSX_TYPE, attachment
from tiendo.exchange.targets_template import targets_template_build, targets_template_filename
from tiendo.indicators.models import Indicator
from tiendo.language import current_lang
from tiendo.lib.describe import describe_target
from tiendo.lib.periods import PeriodError, parse_period
from tiendo.plans.models import Document, Target, TargetSet
from tiendo.plans.selectors import (
    allocation_plan,
    target_for,
    target_unit_problems,
    targets_visible,
    targetset_for,
    targetsets_for,
)
from tiendo.plans.services import (
    document_get_or_create,
    target_delete,
    target_save,
    target_set_create,
    targets_allocate,
)

router = Router(tags=["targets"])



class DocumentIn(Schema):
    symbol: str
    kind: str = "plan"
    date: datetime.date | None = None
    issuer: str = ""
    title: str = ""


class DocumentOut(DocumentIn):
    id: int


class TargetSetIn(Schema):
    name: str
    kind: str = "assigned"
    scope_id: int
    period: str = ""
    document_id: int | None = None
    document: DocumentIn | None = None


class TargetSetOut(Schema):
    id: int
    name: str
    kind: str
    period: str
    scope_id: int | None
    scope_code: str | None
    document: DocumentOut | None


class TargetChange(Schema):
    comparison: str
    value: Decimal
    value_max: Decimal | None = None
    baseline_period: str = ""
    responsible_unit_id: int | None = None
    follow_up_person: str = ""
    note: str = ""


class TargetIn(TargetChange):
    indicator: str
    org_unit_id: int
    period: str


Number = int | float  # plain JSON numbers, as in the rest of the API (6 places at most)


class TargetOut(Schema):
    id: int
    target_set_id: int
    indicator: str
    org_unit_id: int
    org_unit_code: str
    period: str
    comparison: str
    value: Number
    value_max: Number | None
    baseline_period: str
    responsible_unit_id: int | None
    follow_up_person: str
    note: str
    reads: str  # how the target reads: "giảm 15,00%", "từ 30 đến 35"


class JudgedTargetOut(TargetOut):
    actual: Number | None
    estimate: bool
    achievement_pct: Number | None
    status: str  # exceeded | met | near | not_met | no_data | in_progress
    pace: str | None  # on_track | at_risk while the period runs, for a flow
    expected_pct: Number | None
    at_risk: bool


class TargetSetDetailOut(TargetSetOut):
    targets: list[JudgedTargetOut]


class AllocationRowOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    last_year: Number | None
    proposed: Number | None
    current: Number | None


class AllocationPlanOut(Schema):
    rule: str | None  # "sum": parts add up to the whole; "each": each as demanding
    last_year_period: str
    last_year_whole: Number | None
    units: list[AllocationRowOut]


class AmountIn(Schema):
    unit_id: int
    value: Decimal | None


class AllocationIn(Schema):
    target_set_id: int | None = None
    amounts: list[AmountIn]


class AllocationOut(Schema):
    targets: list[TargetOut]
    deleted: int
    warnings: list[str]


def _document(document: Document | None) -> DocumentOut | None:
    if document is None:
        return None
    return DocumentOut(id=document.pk, symbol=document.symbol, kind=document.kind,
                       date=document.date, issuer=document.issuer, title=document.title)


def _set_out(target_set: TargetSet) -> dict:
    return {
        "id": target_set.pk, "name": target_set.name, "kind": target_set.kind,
        "period": target_set.period, "scope_id": target_set.scope_id,
        "scope_code": target_set.scope.code if target_set.scope else None,
        "document": _document(target_set.document),
    }


def _target_out(target: Target) -> dict:
    return {
        "id": target.pk, "target_set_id": target.target_set_id,
        "indicator": target.indicator.code, "org_unit_id": target.org_unit_id,
        "org_unit_code": target.org_unit.code, "period": target.period,
        "comparison": target.comparison, "value": plain_number(target.value),
        "value_max": plain_number(target.value_max),
        "baseline_period": target.baseline_period,
        "responsible_unit_id": target.responsible_unit_id,
        "follow_up_person": target.follow_up_person, "note": target.note,
        "reads": describe_target(target.comparison, target.value, target.value_max,
                                 target.indicator.decimals, current_lang()),
    }


def _judged_out(result: TargetResult) -> JudgedTargetOut:
    return JudgedTargetOut(
        **_target_out(result.target), actual=plain_number(result.actual),
        estimate=result.estimate, achievement_pct=json_pct(result.achievement_pct),
        status=str(result.status), pace=result.pace.value if result.pace else None,
        expected_pct=json_pct(result.expected_pct), at_risk=result.at_risk,
    )


@router.get("/sets", response=list[TargetSetOut])
def list_sets(request, period: str = "", unit_id: int | None = None, kind: str = ""):
    """Target sets in the caller's scope, optionally of a period, unit (and below) or kind."""
    unit = orgunit_for(request.auth, unit_id) if unit_id is not None else None
    if period:
        try:
            period = parse_period(period).code
        except PeriodError as error:
            raise InvalidInput([Problem(error.problem, field="period", value=period)]) from None
    sets = targetsets_for(request.auth, period=period, unit=unit, kind=kind)
    return [_set_out(s) for s in sets]


@router.post("/sets", response={201: TargetSetOut})
def create_set(request, payload: TargetSetIn):
    """A new target set scoped at a unit the caller may plan, from an existing document
    (`document_id`) or a new one (`document`)."""
    scope_unit = orgunit_for(request.auth, payload.scope_id, Action.PLAN)
    with transaction.atomic():
        document = None
        if payload.document_id is not None:
            document = Document.objects.filter(pk=payload.document_id).first()
            if document is None:
                raise InvalidInput([Problem(_("no such document"), field="document_id",
                                            value=str(payload.document_id))])
        elif payload.document is not None:
            document = document_get_or_create(
                **payload.document.model_dump(), actor=f"api:{request.auth.get_username()}",
                user=request.auth)
        target_set = target_set_create(
            name=payload.name, kind=payload.kind, document=document, scope=scope_unit,
            period=payload.period, actor=f"api:{request.auth.get_username()}", user=request.auth,
        )
    return Status(201, _set_out(target_set))


@router.get("/sets/{set_id}", response=TargetSetDetailOut)
def get_set(request, set_id: int):
    """A set with its targets in the caller's scope, each judged on its own period."""
    target_set = targetset_for(request.auth, set_id)
    by_period: dict[str, list[Target]] = {}
    for target in targets_visible(request.auth, target_set):
        by_period.setdefault(target.period, []).append(target)
    judged = [
        _judged_out(result)
        for code, members in by_period.items()
        for result in evaluate_targets(members, parse_period(code))
    ]
    return TargetSetDetailOut(**_set_out(target_set), targets=judged)


@router.get("/sets/{set_id}/template", response={200: None})
def get_set_template(request, set_id: int):
    """The set's Excel template with the targets in the caller's scope. Fill it in and send
    it to POST /exchange/uploads (with `target_set`) to add or change targets."""
    target_set = targetset_for(request.auth, set_id)
    content = targets_template_build(target_set=target_set, user=request.auth)
    return attachment(HttpResponse(content, content_type=XLSX_TYPE),
                      targets_template_filename(target_set))


def _responsible(request, unit_id: int | None):
    return orgunit_for(request.auth, unit_id) if unit_id is not None else None


@router.post("/sets/{set_id}/targets", response={201: TargetOut})
def add_target(request, set_id: int, payload: TargetIn):
    """Add (or, for the same indicator, unit and period, replace) a target in a set."""
    target_set = targetset_for(request.auth, set_id, Action.PLAN)
    unit = orgunit_for(request.auth, payload.org_unit_id, Action.PLAN)
    problems = target_unit_problems(request.auth, target_set, unit)
    indicator = Indicator.objects.filter(code=payload.indicator).first()
    if indicator is None:
        problems.append(Problem(_("unknown indicator"), field="indicator",
                                value=payload.indicator))
    if problems:
        raise InvalidInput(problems)
    target = target_save(
        target_set=target_set, indicator=indicator, org_unit=unit, period=payload.period,
        comparison=payload.comparison, value=payload.value, value_max=payload.value_max,
        baseline_period=payload.baseline_period,
        responsible_unit=_responsible(request, payload.responsible_unit_id),
        follow_up_person=payload.follow_up_person, note=payload.note,
        actor=f"api:{request.auth.get_username()}", user=request.auth,
    )
    return Status(201, _target_out(target))


@router.get("/targets/{target_id}", response=TargetOut)
def get_target(request, target_id: int):
    return _target_out(target_for(request.auth, target_id))


@router.put("/targets/{target_id}", response=TargetOut)
def change_target(request, target_id: int, payload: TargetChange):
    """Change what counts as reaching a target; its indicator, unit and period stay."""
    target = target_for(request.auth, target_id, Action.PLAN)
    target = target_save(
        target_set=target.target_set, indicator=target.indicator, org_unit=target.org_unit,
        period=target.period, comparison=payload.comparison, value=payload.value,
        value_max=payload.value_max, baseline_period=payload.baseline_period,
        responsible_unit=_responsible(request, payload.responsible_unit_id),
        follow_up_person=payload.follow_up_person, note=payload.note,
        actor=f"api:{request.auth.get_username()}", user=request.auth,
    )
    return _target_out(target)


@router.delete("/targets/{target_id}", response={204: None})
def delete_target(request, target_id: int):
    target = target_for(request.auth, target_id, Action.PLAN)
    target_delete(target=target, actor=f"api:{request.auth.get_username()}", user=request.auth)
    return Status(204, None)


def _destination(request, target: Target, set_id: int | None) -> TargetSet:
    if set_id is None:
        return target.target_set
    return targetset_for(request.auth, set_id, Action.PLAN)


@router.get("/targets/{target_id}/allocation", response=AllocationPlanOut)
def get_allocation(request, target_id: int, target_set_id: int | None = None):
    """The units directly below the target's unit, last year's actuals, a proposal and the
    current targets in the destination set (the target's own by default)."""
    target = target_for(request.auth, target_id, Action.PLAN)
    plan = allocation_plan(target, _destination(request, target, target_set_id))
    return AllocationPlanOut(
        rule=plan.rule, last_year_period=plan.last_year_period.code,
        last_year_whole=plain_number(plan.last_year_whole),
        units=[AllocationRowOut(unit_id=row.unit.pk, unit_code=row.unit.code,
                                unit_name=row.unit.name, last_year=plain_number(row.last_year),
                                proposed=plain_number(row.proposed),
                                current=plain_number(row.current))
               for row in plan.rows],
    )


@router.post("/targets/{target_id}/allocation", response=AllocationOut)
def allocate(request, target_id: int, payload: AllocationIn):
    """Replace the allocation of a target to the units below, all or nothing; a unit left
    out gets no target. Refused (422) when the parts do not cover the whole."""
    target = target_for(request.auth, target_id, Action.PLAN)
    destination = _destination(request, target, payload.target_set_id)
    result = targets_allocate(
        target=target, amounts={row.unit_id: row.value for row in payload.amounts},
        target_set=destination, actor=f"api:{request.auth.get_username()}", user=request.auth,
    )
    return AllocationOut(targets=[_target_out(t) for t in result.saved],
                         deleted=result.deleted, warnings=result.warnings)

