"""Reads of users and memberships for the faces."""

from django.db.models import QuerySet

from tiendo.accounts.models import Membership


def demo_memberships() -> QuerySet[Membership]:
    """The demo's accounts (user names starting "demo-"), listed on the log-in page so that a
    newcomer can try every role."""
    return (Membership.objects.filter(user__username__startswith="demo-")
            .select_related("user", "org_unit").order_by("user__username"))
