"""Reads of target sets and targets limited to what a user may see, and allocation figures.

A target set is visible to a user when its scope is inside theirs or when it holds a target
of a unit inside theirs; within it they see only the targets of their units. Writing to a
set needs the right to plan its scope (only an administrator plans a set without a scope);
writing a target needs that and the right to plan the target's unit.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.accounts.access import Action, user_scope
from tiendo.analytics.evaluation import indicators_table
from tiendo.errors import Forbidden, NotFound, Problem
from tiendo.lib.allocate import Rule, allocation_rule, proportional_split
from tiendo.lib.periods import Period, PeriodError, parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import in_force_first
from tiendo.plans.models import Document, Target, TargetSet
from tiendo.plans.services import allocation_units, indicator_is_additive


def targetsets_for(
    user, *, period: str = "", unit: OrgUnit | None = None, kind: str = ""
) -> QuerySet[TargetSet]:
    """The target sets the user may see, optionally those of a period, kind, or with
    targets of (or scoped at) a unit and the units below it."""
    scope = user_scope(user)
    sets = TargetSet.objects.select_related("document", "scope")
    if not scope.is_admin:
        sets = sets.filter(
            Q(scope__isnull=False) & scope.unit_filter("scope__")
            | Q(pk__in=Target.objects.filter(scope.unit_filter("org_unit__"))
                .values("target_set"))
        )
    if period:
        sets = sets.filter(Q(period=period) | Q(targets__period=period))
    if kind:
        sets = sets.filter(kind=kind)
    if unit is not None:
        sets = sets.filter(
            Q(scope__path__startswith=unit.path) | Q(targets__org_unit__path__startswith=unit.path)
        )
    return sets.distinct().order_by("name")


def may_plan_set(user, target_set: TargetSet) -> bool:
    scope = user_scope(user)
    if target_set.scope is None:
        return scope.is_admin
    return scope.can_plan(target_set.scope)


def targetset_for(user, set_id, action: Action = Action.READ) -> TargetSet:
    """The set if the user may see it, else NotFound (as for a missing id); Forbidden when
    they may see it but not plan it."""
    try:
        target_set = targetsets_for(user).get(pk=int(set_id))
    except (TargetSet.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such target set")) from None
    if action != Action.READ and not may_plan_set(user, target_set):
        raise Forbidden(_("your role does not allow changing this target set"))
    return target_set


def targets_visible(user, target_set: TargetSet) -> QuerySet[Target]:
    """The set's targets of units the user may see (every one for None: the command line)."""
    targets = target_set.targets.all()
    if user is not None:
        targets = targets.filter(user_scope(user).unit_filter("org_unit__"))
    return (
        targets
        .select_related("indicator", "org_unit", "responsible_unit", "target_set")
        .order_by("org_unit__path", "period", "indicator__code", "id")
    )


def target_for(user, target_id, action: Action = Action.READ) -> Target:
    """The target if the user may see it (NotFound otherwise); with PLAN, Forbidden unless
    they may plan both its set and its unit."""
    scope = user_scope(user)
    try:
        target = (
            Target.objects.select_related("target_set__scope", "indicator", "org_unit")
            .filter(scope.unit_filter("org_unit__"))
            .get(pk=int(target_id))
        )
    except (Target.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("no such target")) from None
    if action != Action.READ and not (
        may_plan_set(user, target.target_set) and scope.can_plan(target.org_unit)
    ):
        raise Forbidden(_("your role does not allow changing this target"))
    return target


@dataclass(frozen=True, slots=True)
class AllocationRow:
    unit: OrgUnit
    last_year: Decimal | None
    proposed: Decimal | None
    current: Decimal | None  # the unit's target in the destination set, if any


@dataclass(frozen=True, slots=True)
class AllocationPlan:
    rule: Rule | None
    last_year_period: object
    last_year_whole: Decimal | None
    rows: list[AllocationRow]


def allocation_basis(target_period: str, today: datetime.date) -> Period:
    """The year a proposal is based on: the one before the target's, or the last complete
    year if that one has not ended yet (a 2027 target planned in December 2026 is split
    as 2025 was, 2026 not being over)."""
    start = parse_period(target_period).start.year
    return parse_period(str(min(start - 1, today.year - 1)))


def allocation_plan(target: Target, target_set: TargetSet | None = None, *,
                    today: datetime.date | None = None) -> AllocationPlan:
    """The units below the target's unit with the basis year's actual (from the engine), a
    proposal, and their current targets. For a sum the proposal splits the whole in
    proportion to the basis year's actuals, rounded to the indicator's decimals; for a rate
    every unit is proposed the whole's value. The basis is the last complete year."""
    units = allocation_units(target)
    rule = allocation_rule(target.comparison, indicator_is_additive(target.indicator),
                           target.value_max is not None)
    last_period = allocation_basis(target.period, today or timezone.localdate())
    figures = indicators_table(
        indicators=[target.indicator], units=[target.org_unit, *units], period=last_period
    )

    def last_year(unit: OrgUnit) -> Decimal | None:
        figure = figures.get((target.indicator_id, unit.pk))
        return figure.value if figure else None

    if rule == Rule.SUM:
        proposal = proportional_split(
            target.value, {unit.pk: last_year(unit) for unit in units}, target.indicator.decimals
        ) or {}
    elif rule == Rule.EACH:
        proposal = {unit.pk: target.value for unit in units}
    else:
        proposal = {}
    current = dict(
        Target.objects.filter(
            target_set=target_set or target.target_set, indicator=target.indicator,
            period=target.period, org_unit__in=units,
        ).values_list("org_unit_id", "value")
    )
    rows = [AllocationRow(unit, last_year(unit), proposal.get(unit.pk), current.get(unit.pk))
            for unit in units]
    return AllocationPlan(rule, last_period, last_year(target.org_unit), rows)


def target_unit_problems(user, target_set: TargetSet, unit: OrgUnit) -> list[Problem]:
    """Why the user may not put a target of `unit` in `target_set` (empty when they may)."""
    if target_set.scope is not None and not unit.path.startswith(target_set.scope.path):
        return [Problem(_("this unit is outside the target set's scope"), field="org_unit",
                        value=unit.code)]
    if not user_scope(user).can_plan(unit):
        return [Problem(_("your role does not allow targets for this unit"), field="org_unit",
                        value=unit.code)]
    return []


def document_get(document_id) -> Document | None:
    """A document by id, or None (an id that is not a number included)."""
    try:
        return Document.objects.filter(pk=int(document_id)).first()
    except (TypeError, ValueError):
        return None


def documents_visible(user) -> QuerySet[Document]:
    """The documents of the target sets the user may see, for a picker."""
    return Document.objects.filter(target_sets__in=targetsets_for(user)).distinct().order_by(
        "symbol")


def targetset_named(name: str) -> TargetSet | None:
    """The target set with this name (names are unique), or None."""
    return TargetSet.objects.filter(name=name.strip()).first()


def plannable_units(user) -> QuerySet[OrgUnit]:
    """Units the user may plan, provinces and districts first: where sets are scoped."""
    scope = user_scope(user)
    if not scope.allows(Action.PLAN):
        return OrgUnit.objects.none()
    return in_force_first(scope.units().exclude(kind=OrgUnit.Kind.COMMUNE))


def units_under_scope(user, target_set: TargetSet, limit: int = 3000) -> list[OrgUnit]:
    """The units of the set's scope the user may see, for the target form's unit picker:
    the map in force first, and old units only if they existed in the set's period."""
    if target_set.scope is None:
        return []
    units = user_scope(user).units().filter(path__startswith=target_set.scope.path)
    if target_set.period:
        try:
            period = parse_period(target_set.period)
        except PeriodError:
            period = None
        if period is not None:
            units = units.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start),
                                 Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
    return list(in_force_first(units)[:limit])


def target_exists(*, target_set: TargetSet, indicator, org_unit: OrgUnit, period: str) -> bool:
    return target_set.targets.filter(indicator=indicator, org_unit=org_unit,
                                     period=period).exists()

