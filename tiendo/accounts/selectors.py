"""Reads of users and memberships for the faces."""

from django.db.models import Q, QuerySet

from tiendo.accounts.models import ApiToken, Membership, Role
from tiendo.org.models import OrgUnit, OrgUnitSuccessor


def demo_memberships() -> QuerySet[Membership]:
    """The demo's accounts (user names starting "demo-"), listed on the log-in page so that a
    newcomer can try every role."""
    return (Membership.objects.filter(user__username__startswith="demo-")
            .select_related("user", "org_unit").order_by("user__username"))


def apitokens_list(*, username: str = "") -> QuerySet[ApiToken]:
    """API tokens (of `username`, if given) in the order they were made, with their users."""
    tokens = ApiToken.objects.select_related("user").order_by("pk")
    return tokens.filter(user__username=username) if username else tokens


def reviewers_of(unit: OrgUnit) -> QuerySet[Membership]:
    """The active specialists who may approve the unit's reports: those of the unit, of a
    unit above it or of a unit that replaced one of these (as `access.user_scope` reads a
    scope; an administrator is not counted: they stand outside the provincial levels)."""
    above = [int(part) for part in unit.path.strip("/").split("/") if part]
    successors = OrgUnitSuccessor.objects.filter(predecessor__in=above).values("successor")
    return Membership.objects.filter(
        Q(org_unit__in=above) | Q(org_unit__in=successors),
        role=Role.SPECIALIST, user__is_active=True,
    )


def people_visible(scope) -> QuerySet:
    """The users a manager sees on the users page: those working for a unit in their scope
    (an administrator: everyone), active first, by unit and name."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.select_related("membership__org_unit")
    if not scope.is_admin:
        users = users.filter(scope.unit_filter("membership__org_unit__"))
    return users.order_by("-is_active", "membership__org_unit__path", "first_name", "username")


def units_for_people(scope) -> QuerySet[OrgUnit]:
    """The units of today's map in the scope, for the unit picker of the users page."""
    return scope.units().filter(valid_to__isnull=True).order_by("path")
