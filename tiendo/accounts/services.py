"""Writes of users, memberships and API tokens."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tiendo.accounts.models import ApiToken, Membership
from tiendo.audit.services import Actor, audit_record
from tiendo.org.models import OrgUnit


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def apitoken_create(*, user, name: str = "", actor: Actor | None = None) -> str:
    """A new API token for `user`, made by `actor` (by default the user); returns the token
    itself, which is stored nowhere, not even in the audit record."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        api_token = ApiToken.objects.create(user=user, name=name, digest=token_digest(token))
        audit_record(
            actor=actor or Actor.of(user), action="create", entity="apitoken",
            entity_id=api_token.pk, key=user.get_username(), new={"user": user.pk, "name": name},
        )
    return token


def user_with_membership(
    *, username: str, password: str, role: str, org_unit: OrgUnit | None, actor: str,
    full_name: str = "", email: str = "",
):
    """Create or update a user bound to a unit with a role (audited)."""
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        user.first_name = full_name
        user.email = email
        user.is_staff = role == "admin"
        user.is_superuser = role == "admin"
        user.set_password(password)
        user.save()
        membership, _created = Membership.objects.update_or_create(
            user=user, defaults={"role": role, "org_unit": org_unit}
        )
        audit_record(
            actor=Actor(name=actor), action="create" if created else "update", entity="user",
            entity_id=user.pk, key=username,
            new={"role": role, "org_unit": org_unit.code if org_unit else None},
        )
    return user


def apitoken_authenticate(token: str):
    """The active user a bearer token belongs to, or None; notes when the token was used."""
    found = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
    if found is None or not found.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user
