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
