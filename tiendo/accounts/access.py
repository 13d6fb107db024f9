"""Who may read and change what: the one place that decides a user's scope.

A user works for an org unit with a role. Their scope is that unit, every unit below it, and
the units it replaced in the 2025 reorganisation with theirs below them (Tây Ninh's people
keep seeing what Long An reported). Within the scope:

| role       | read | enter and submit data | approve, return | targets, metadata |
|------------|------|-----------------------|-----------------|-------------------|
| admin      | all  | all                   | all             | all               |
| specialist | yes  | yes                   | yes             | yes               |
| officer    | yes  | yes                   | no              | no                |
| viewer     | yes  | no                    | no              | no                |

A user without a membership (and not a superuser) sees nothing. Faces fetch every unit
through `orgunit_for`, which answers "not found" for a unit outside the scope, so guessing
an id tells nothing.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from tiendo.accounts.actions import Action
from tiendo.accounts.models import Membership, Role
from tiendo.errors import Forbidden, NotFound
from tiendo.org.models import OrgUnit, OrgUnitSuccessor

ALLOWED: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.SPECIALIST: frozenset(Action),
    Role.OFFICER: frozenset({Action.READ, Action.ENTER}),
    Role.VIEWER: frozenset({Action.READ}),
}


@dataclass(frozen=True, slots=True)
class Scope:
    role: str | None
    unit: OrgUnit | None
    paths: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def allows(self, action: Action) -> bool:
        """Whether the role may do `action` at all, somewhere in its scope."""
        return self.role is not None and action in ALLOWED[self.role]

    def covers(self, unit: OrgUnit) -> bool:
        return self.is_admin or any(unit.path.startswith(path) for path in self.paths)

    def can(self, action: Action, unit: OrgUnit) -> bool:
        return self.allows(action) and self.covers(unit)

    def can_read(self, unit: OrgUnit) -> bool:
        return self.can(Action.READ, unit)

    def can_enter(self, unit: OrgUnit) -> bool:
        return self.can(Action.ENTER, unit)

    def can_approve(self, unit: OrgUnit) -> bool:
        return self.can(Action.APPROVE, unit)

    def can_plan(self, unit: OrgUnit) -> bool:
        return self.can(Action.PLAN, unit)

    def unit_filter(self, prefix: str = "") -> Q:
        """A filter for a queryset: `prefix` is the path to the OrgUnit ("org_unit__")."""
        if self.is_admin:
            return Q()
        if self.role is None or not self.paths:
            return Q(pk__in=[])
        condition = Q()
        for path in self.paths:
            condition |= Q(**{f"{prefix}path__startswith": path})
        return condition

    def units(self):
        """Every unit the user may read."""
        return OrgUnit.objects.filter(self.unit_filter())

    @property
    def roots(self) -> list[OrgUnit]:
        """The units at the top of the scope: where a user's pages start."""
        if self.unit is not None:
            return [self.unit]
        if self.is_admin:
            return list(OrgUnit.objects.filter(parent__isnull=True))
        return []


NO_SCOPE = Scope(role=None, unit=None)


def user_scope(user) -> Scope:
    """The user's scope, computed once per user object (one request)."""
    cached = getattr(user, "_tiendo_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    if user is not None and getattr(user, "pk", None):
        user._tiendo_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    membership = Membership.objects.select_related("org_unit").filter(user=user).first()
    if membership is None:
        return Scope(role=Role.ADMIN, unit=None) if user.is_superuser else NO_SCOPE
    if membership.role == Role.ADMIN:
        return Scope(role=Role.ADMIN, unit=None)
    unit = membership.org_unit
    predecessors = OrgUnit.objects.filter(
        pk__in=OrgUnitSuccessor.objects.filter(successor=unit).values("predecessor")
    ).values_list("path", flat=True)
    paths = tuple(sorted({unit.path, *predecessors}))
    return Scope(role=membership.role, unit=unit, paths=paths)


def orgunit_for(user, unit_id: int | str, action: Action = Action.READ) -> OrgUnit:
    """The unit with this id if the user may see it, else NotFound (the same answer as for
    an id that does not exist); Forbidden when they may see it but not do `action`."""
    scope = user_scope(user)
    try:
        unit = OrgUnit.objects.get(pk=int(unit_id))
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        unit = None
    if unit is None or not scope.can_read(unit):
        raise NotFound(_("no such unit"))
    if not scope.can(action, unit):
        raise Forbidden(_("your role does not allow this for %(unit)s") % {"unit": unit.name})
    return unit
