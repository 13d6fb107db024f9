"""Reads of users and memberships for the faces."""

from django.db.models import QuerySet

from tiendo.accounts.models import ApiToken, Membership


def demo_memberships() -> QuerySet[Membership]:
    """The demo's accounts (user names starting "demo-"), listed on the log-in page so that a
    newcomer can try every role."""
    return (Membership.objects.filter(user__username__startswith="demo-")
            .select_related("user", "org_unit").order_by("user__username"))


def apitokens_list(*, username: str = "") -> QuerySet[ApiToken]:
    """API tokens (of `username`, if given) in the order they were made, with their users."""
    tokens = ApiToken.objects.select_related("user").order_by("pk")
    return tokens.filter(user__username=username) if username else tokens
