"""Pages for target sets and targets: list, a set with its targets judged by the engine,
create a set from a document, add, edit and delete targets, and allocate a target to the
units below. Every object comes through the scoped selectors; numbers come from the engine."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.analytics.evaluation import evaluate_targets
from tiendo.data.fields import read_number
from tiendo.errors import Forbidden, InvalidInput, NotFound, Problem
from tiendo.exchange.tables import XLSX_TYPE
from tiendo.exchange.targets_template import targets_template_build, targets_template_filename
from tiendo.indicators.selectors import indicator_get, indicators_all
from tiendo.language import current_lang
from tiendo.lib.numbers import plain_number
from tiendo.lib.periods import PeriodError, parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_resolve
from tiendo.plans.checks import target_fields_read
from tiendo.plans.models import Comparison, Document, TargetSet
from tiendo.plans.selectors import (
    allocation_plan,
    document_get,
    documents_visible,
    may_plan_set,
    plannable_units,
    target_exists,
    target_for,
    target_unit_problems,
    targets_visible,
    targetset_for,
    targetsets_for,
    units_under_scope,
)
from tiendo.plans.services import (
    target_delete,
    target_save,
    target_set_create,
    targets_allocate,
)
from tiendo.web.http import page
from tiendo.web.responses import attachment


def _actor(request) -> str:
    return f"web:{request.user.get_username()}"


def _by_field(problems: list[Problem]) -> dict[str, list[str]]:
    found = defaultdict(list)
    for problem in problems:
        found[problem.field or ""].append(problem.message)
    return dict(found)


@page
def targetset_list(request):
    """The target sets in the user's scope, filtered by period, unit and kind."""
    scope = user_scope(request.user)
    period = request.GET.get("period", "").strip()
    kind = request.GET.get("kind", "")
    unit = None
    if request.GET.get("unit"):
        unit = orgunit_for(request.user, request.GET["unit"])
    problems = []
    if period:
        try:
            period = parse_period(period).code
        except PeriodError as error:
            problems.append(error.problem)
            period = ""
    sets = targetsets_for(request.user, period=period, unit=unit,
                          kind=kind if kind in TargetSet.Kind.values else "")
    filter_units = scope.units().exclude(kind=OrgUnit.Kind.COMMUNE).order_by("path")[:2000]
    return render(request, "plans/targetset_list.html", {
        "sets": sets, "period": period, "kind": kind, "unit": unit, "problems": problems,
        "kinds": TargetSet.Kind.choices, "filter_units": filter_units,
        "may_create": scope.allows(Action.PLAN),
    })


def _document_from_post(post, problems: list[Problem]) -> tuple[Document | None, dict | None]:
    """The chosen document, or the fields of a new one typed on the form."""
    if post.get("document"):
        document = document_get(post["document"])
        if document is None:
            problems.append(Problem(_("no such document"), field="document"))
        return document, None
    date = None
    if post.get("document_date"):
        try:
            date = datetime.date.fromisoformat(post["document_date"])
        except ValueError:
            problems.append(Problem(_("not a date (write e.g. 2025-12-10)"),
                                    field="document_date", value=post["document_date"]))
    return None, {"symbol": post.get("document_symbol", ""),
                  "kind": post.get("document_kind", "plan"), "date": date,
                  "issuer": post.get("document_issuer", "").strip(),
                  "title": post.get("document_title", "").strip()}


@page
@require_http_methods(["GET", "POST"])
def targetset_create(request):
    """A new target set from an existing document or one entered here."""
    units = plannable_units(request.user)
    if not units.exists():
        raise Forbidden(_("your role does not allow creating target sets"))
    problems: list[Problem] = []
    if request.method == "POST":
        post = request.POST
        scope_unit = None
        try:
            scope_unit = orgunit_for(request.user, post.get("scope", ""), Action.PLAN)
        except (NotFound, Forbidden):
            problems.append(Problem(_("choose a unit you may plan for"), field="scope"))
        document, new_document = _document_from_post(post, problems)
        try:
            if problems:
                raise InvalidInput(problems)
            target_set = target_set_create(
                name=post.get("name", ""), kind=post.get("kind", "assigned"),
                document=document, new_document=new_document, scope=scope_unit,
                period=post.get("period", "").strip(), actor=_actor(request), user=request.user,
            )
        except InvalidInput as error:
            problems = error.problems
        else:
            messages.success(request, _("Target set created."))
            return redirect("plans:targetset", target_set.pk)
    return render(request, "plans/targetset_form.html", {
        "units": units, "documents": documents_visible(request.user),
        "kinds": TargetSet.Kind.choices,
        "document_kinds": Document.Kind.choices, "errors": _by_field(problems),
        "post": request.POST,
    })


@page
def targetset_detail(request, set_id: int):
    """A set: its document and its targets in the user's scope, each judged by the engine."""
    target_set = targetset_for(request.user, set_id)
    targets = list(targets_visible(request.user, target_set))
    by_period = defaultdict(list)
    for target in targets:
        by_period[target.period].append(target)
    results = {}
    for code, members in by_period.items():
        for result in evaluate_targets(members, parse_period(code)):
            results[result.target.pk] = result
    scope = user_scope(request.user)
    may_plan = may_plan_set(request.user, target_set)
    rows = [{
        "target": target, "result": results[target.pk],
        "period": parse_period(target.period),
        "may_change": may_plan and scope.can_plan(target.org_unit),
    } for target in targets]
    return render(request, "plans/targetset_detail.html", {
        "target_set": target_set, "rows": rows, "may_plan": may_plan,
    })


@page
@require_GET
def targetset_template(request, set_id: int):
    """The set's Excel template with the targets the user may see: to fill in and upload."""
    target_set = targetset_for(request.user, set_id)
    content = targets_template_build(target_set=target_set, user=request.user)
    return attachment(HttpResponse(content, content_type=XLSX_TYPE),
                      targets_template_filename(target_set))


def _unit_by_code(user, code: str, period, field: str, problems: list[Problem]):
    """The unit with `code` on the map at the end of `period`, if the user may plan it."""
    try:
        unit = orgunit_resolve(code=code, on=period.end)
    except NotFound as error:
        problems.append(Problem(str(error), field=field, value=code))
        return None
    if not user_scope(user).can_read(unit):
        problems.append(Problem(_("no such unit"), field=field, value=code))
        return None
    return unit


def _target_from_post(request, target_set: TargetSet) -> tuple[dict, list[Problem]]:
    post = request.POST
    problems: list[Problem] = []
    indicator = indicator_get(pk=post.get("indicator"))
    if indicator is None:
        problems.append(Problem(_("choose an indicator"), field="indicator"))
    target, found = target_fields_read(post)
    problems.extend(found)
    unit = responsible = None
    period = target.period
    if period is not None:
        unit = _unit_by_code(request.user, post.get("org_unit", "").strip(), period,
                             "org_unit", problems)
        if unit is not None:
            problems.extend(target_unit_problems(request.user, target_set, unit))
        if post.get("responsible_unit", "").strip():
            responsible = _unit_by_code(request.user, post["responsible_unit"].strip(), period,
                                        "responsible_unit", problems)
    fields = {
        "indicator": indicator, "org_unit": unit, "period": target.period_code,
        "comparison": target.comparison, "value": target.value, "value_max": target.value_max,
        "baseline_period": target.baseline_period, "responsible_unit": responsible,
        "follow_up_person": post.get("follow_up_person", ""), "note": post.get("note", ""),
    }
    return fields, problems


def _target_initial(target) -> dict:
    if target is None:
        return {}
    return {
        "indicator": str(target.indicator_id), "org_unit": target.org_unit.code,
        "period": target.period, "comparison": target.comparison,
        "value": plain_number(target.value),
        "value_max": "" if target.value_max is None else plain_number(target.value_max),
        "baseline_period": target.baseline_period,
        "responsible_unit": target.responsible_unit.code if target.responsible_unit else "",
        "follow_up_person": target.follow_up_person, "note": target.note,
    }


def _set_and_target(request, set_id: int, target_id: int):
    """A set and one of its targets, both for planning; a target of another set is a 404."""
    target_set = targetset_for(request.user, set_id, Action.PLAN)
    target = target_for(request.user, target_id, Action.PLAN)
    if target.target_set_id != target_set.pk:
        raise NotFound(_("no such target"))
    return target_set, target


@page
@require_http_methods(["GET", "POST"])
def target_edit(request, set_id: int, target_id: int | None = None):
    """Add a target to a set, or change one; problems are shown beside their fields."""
    if target_id is None:
        target_set = targetset_for(request.user, set_id, Action.PLAN)
        target = None
    else:
        target_set, target = _set_and_target(request, set_id, target_id)
    problems: list[Problem] = []
    values = _target_initial(target) or {"period": target_set.period}
    if request.method == "POST":
        values = request.POST
        fields, problems = _target_from_post(request, target_set)
        if target is not None and not problems and (
            fields["indicator"] != target.indicator or fields["org_unit"] != target.org_unit
            or fields["period"] != target.period
        ):
            # What a target is about stays fixed; another indicator or unit is another target.
            problems.append(Problem(_("indicator, unit and period of a target cannot change; "
                                      "add a new target instead"), field="indicator"))
        if target is None and not problems and target_exists(
                target_set=target_set, indicator=fields["indicator"],
                org_unit=fields["org_unit"], period=parse_period(fields["period"]).code):
            problems.append(Problem(_("this set already has this target; edit it instead"),
                                    field="indicator"))
        if not problems:
            try:
                target_save(target_set=target_set, actor=_actor(request), user=request.user,
                            **fields)
            except InvalidInput as error:
                problems = error.problems
            else:
                messages.success(request, _("Target saved."))
                return redirect("plans:targetset", target_set.pk)
    scope_units = units_under_scope(request.user, target_set)
    return render(request, "plans/target_form.html", {
        "target_set": target_set, "target": target, "values": values,
        "errors": _by_field(problems), "indicators": indicators_all(),
        "comparisons": Comparison.choices, "scope_units": scope_units,
    })


@page
@require_http_methods(["GET", "POST"])
def target_remove(request, set_id: int, target_id: int):
    """Ask, then delete a target (audited)."""
    target_set, target = _set_and_target(request, set_id, target_id)
    if request.method == "POST":
        target_delete(target=target, actor=_actor(request), user=request.user)
        messages.success(request, _("Target deleted."))
        return redirect("plans:targetset", target_set.pk)
    return render(request, "plans/target_delete.html",
                  {"target_set": target_set, "target": target})


@page
@require_http_methods(["GET", "POST"])
def target_allocate(request, set_id: int, target_id: int):
    """Enter each lower unit's share of a target, with last year's actuals and a proposal."""
    target_set, target = _set_and_target(request, set_id, target_id)
    destinations = [s for s in targetsets_for(request.user) if may_plan_set(request.user, s)]
    destination = target_set
    if request.POST.get("destination") or request.GET.get("destination"):
        chosen = request.POST.get("destination") or request.GET.get("destination")
        destination = targetset_for(request.user, chosen, Action.PLAN)
    plan = allocation_plan(target, destination)
    problems: list[Problem] = []
    entered = {}
    if request.method == "POST":
        amounts: dict[int, Decimal | None] = {}
        for row in plan.rows:
            raw = request.POST.get(f"unit_{row.unit.pk}", "").strip()
            entered[row.unit.pk] = raw
            amounts[row.unit.pk] = (
                read_number(raw, None, f"unit_{row.unit.pk}", problems, lang=current_lang())
                if raw else None
            )
        if not problems:
            try:
                allocation = targets_allocate(target=target, amounts=amounts,
                                              target_set=destination, actor=_actor(request),
                                              user=request.user)
            except InvalidInput as error:
                problems = error.problems
            else:
                for warning in allocation.warnings:
                    messages.warning(request, warning)
                messages.success(request, _("Allocation saved: %(n)s targets.")
                                 % {"n": len(allocation.saved)})
                return redirect("plans:targetset", destination.pk)
    errors = _by_field(problems)
    rows = [{
        "row": row, "field": f"unit_{row.unit.pk}",
        "entered": entered.get(row.unit.pk),
        "errors": errors.get(f"unit_{row.unit.pk}", []),
    } for row in plan.rows]
    return render(request, "plans/target_allocate.html", {
        "target_set": target_set, "target": target, "plan": plan, "rows": rows,
        "errors": errors, "destination": destination, "destinations": destinations,
        "posted": request.method == "POST",
    })
