"""What a dashboard shows when the asker leaves something out: the unit, the period and the
target set. The page and the API's `/dashboard` both ask here, so the same question gets
the same answer."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.analytics.completeness import default_period
from tiendo.errors import NotFound
from tiendo.lib.periods import Period, PeriodError, PeriodType, parse_period, period_of_date
from tiendo.org.models import OrgUnit
from tiendo.org.periods import orgunit_resolve_during
from tiendo.org.selectors import orgunit_ancestors
from tiendo.plans.models import Target, TargetSet


@dataclass(frozen=True, slots=True)
class DashboardChoice:
    unit: OrgUnit
    period: Period
    target_set: TargetSet | None
    sets: list[TargetSet]  # every set with targets on the unit or above it, for the picker


def dashboard_choose(
    *, user, today: datetime.date, unit_id: int | str | None = None,
    period_code: str | None = None, set_id: int | str | None = None,
) -> DashboardChoice:
    """The unit, period and target set asked for, each defaulted as a leader expects.

    A unit outside the user's scope is "not found"; a period code that does not parse
    raises `PeriodError`; an unknown or foreign set id falls back to the default set.
    """
    scope = user_scope(user)
    unit = orgunit_for(user, unit_id, Action.READ) if unit_id else _default_unit(scope)
    if not scope.can_read(unit):
        raise NotFound(_("no such unit"))
    sets = _sets_for(unit)
    period = parse_period(period_code) if period_code else _default_period(unit, today)
    target_set = next((s for s in sets if str(s.pk) == str(set_id)), None) if set_id else None
    if target_set is None:
        target_set = _pick_set(sets, period, unit)
    return DashboardChoice(unit, period, target_set, sets)


def dashboard_units(*, user, unit: OrgUnit) -> list[OrgUnit]:
    """Where the user's pages start (their unit and the units it replaced), and this unit's
    line above it within the scope, for the unit picker."""
    scope = user_scope(user)
    if scope.is_admin:
        starts = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE).order_by("name",
                                                                                   "valid_from"))
    else:
        starts = list(OrgUnit.objects.filter(path__in=scope.paths).order_by("depth", "name"))
        kind = scope.unit.kind if scope.unit else None
        starts = [u for u in starts if u.kind == kind or u == scope.unit]
    line = [u for u in orgunit_ancestors(unit, include_self=True) if scope.can_read(u)]
    seen, result = set(), []
    for candidate in [*starts, *line]:
        if candidate.pk not in seen:
            seen.add(candidate.pk)
            result.append(candidate)
    return result


def dashboard_breadcrumb(*, user, unit: OrgUnit) -> list[OrgUnit]:
    """The units above this one that the user may open."""
    scope = user_scope(user)
    return [u for u in orgunit_ancestors(unit) if scope.can_read(u)]


def targets_choose(
    *, unit_code: str, period_code: str, target_set_name: str | None = None,
    on: datetime.date | None = None,
) -> tuple[OrgUnit, Period, TargetSet | None]:
    """The unit (its code resolved to the unit that existed during the period, or on `on`;
    tiendo.org.periods), the period and the target set as the command line names them."""
    try:
        period = parse_period(period_code)
    except PeriodError as exc:
        raise NotFound(str(exc)) from None
    unit = orgunit_resolve_during(code=unit_code, start=period.start, end=period.end, on=on)
    target_set = None
    if target_set_name:
        target_set = TargetSet.objects.filter(name=target_set_name).first()
        if target_set is None:
            raise NotFound(_("no target set named %(name)s") % {"name": target_set_name})
    return unit, period, target_set


def _last_complete_month(today: datetime.date) -> Period:
    return period_of_date(today.replace(day=1) - datetime.timedelta(days=1), PeriodType.MONTH)


def _lineage(unit: OrgUnit) -> list[int]:
    return [unit.pk, *orgunit_ancestors(unit).values_list("pk", flat=True)]


def _sets_for(unit: OrgUnit) -> list[TargetSet]:
    """Target sets with targets on the unit or on a unit above it."""
    return list(TargetSet.objects.filter(targets__org_unit__in=_lineage(unit)).distinct()
                .order_by("-period", "kind", "name"))


def _default_unit(scope) -> OrgUnit:
    """The user's unit; when it has no targets yet, the unit it replaced that has (today's
    Hồ Chí Minh City opens on the old city's 2022 targets); for an administrator, the unit
    of the latest target."""
    if scope.unit is not None:
        if Target.objects.filter(org_unit=scope.unit).exists():
            return scope.unit
        replaced = (Target.objects.filter(org_unit__path__in=scope.paths,
                                          org_unit__kind=scope.unit.kind)
                    .select_related("org_unit").order_by("-period", "-id").first())
        return replaced.org_unit if replaced else scope.unit
    latest = Target.objects.select_related("org_unit").order_by("-period", "-id").first()
    if latest is not None:
        return latest.org_unit
    roots = scope.roots
    if not roots:
        raise NotFound(_("no such unit"))
    return roots[0]


def _default_period(unit: OrgUnit, today: datetime.date) -> Period:
    """The latest period whose reporting deadline has passed (the last complete month when
    no schedule covers the unit) when the unit's targets cover it, else its latest target
    period: a leader opens the page and sees this year so far."""
    current = default_period(unit=unit, today=today) or _last_complete_month(today)
    periods = [parse_period(code) for code in
               Target.objects.filter(org_unit__in=_lineage(unit)).values_list("period",
                                                                              flat=True)]
    if any(p.contains(current) for p in periods) or not periods:
        return current
    return max(periods, key=lambda p: p.end)


def _pick_set(sets: list[TargetSet], period: Period, unit: OrgUnit) -> TargetSet | None:
    """The first set (assigned before aspirational) with a target whose period holds `period`."""
    holding = {
        set_id
        for set_id, code in Target.objects.filter(org_unit__in=_lineage(unit), target_set__in=sets)
        .values_list("target_set_id", "period")
        if parse_period(code).contains(period)
    }
    ordered = sorted(sets, key=lambda s: (s.kind != TargetSet.Kind.ASSIGNED, s.name))
    return next((s for s in ordered if s.pk in holding), None)
