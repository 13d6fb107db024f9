"""Writes of users, memberships and API tokens."""

import contextlib
import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from tiendo.accounts.models import ApiToken, Membership
from tiendo.audit.services import Actor, audit_record, audited_update
from tiendo.org.models import OrgUnit


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def apitoken_create(
    *, user, name: str = "", actor: Actor | None = None, days: int | None = None,
) -> str:
    """A new API token for `user`, made by `actor` (by default the user), working for `days`
    (by default `TIENDO_API_TOKEN_DAYS`); returns the token itself, which is stored nowhere,
    not even in the audit record."""
    token = secrets.token_urlsafe(32)
    lifetime = datetime.timedelta(days=settings.TIENDO_API_TOKEN_DAYS if days is None else days)
    with transaction.atomic():
        api_token = ApiToken.objects.create(user=user, name=name, digest=token_digest(token),
                                            expires_at=timezone.now() + lifetime)
        audit_record(
            actor=actor or Actor.of(user), action="create", entity="apitoken",
            entity_id=api_token.pk, key=user.get_username(), new={"user": user.pk, "name": name},
        )
    return token


def apitoken_revoke(*, api_token: ApiToken, actor: Actor) -> bool:
    """Stop `api_token` working from now on (audited); False if it was already revoked."""
    if api_token.revoked_at is not None:
        return False
    return audited_update(instance=api_token, fields=["revoked_at"],
                          data={"revoked_at": timezone.now()}, actor=actor, action="revoke",
                          key=api_token.user.get_username())


def user_with_membership(
    *, username: str, password: str, role: str, org_unit: OrgUnit | None, actor: str,
    full_name: str = "", email: str = "",
):
    """Create or update a user bound to a unit with a role (audited).

    The password is set as given, without `AUTH_PASSWORD_VALIDATORS`: its callers are the
    demo loader and the tests, not a person choosing one. Passwords people choose go
    through Django's own forms and commands (the admin, `changepassword`,
    `createsuperuser`), which apply the validators."""
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
    """The active user a bearer token belongs to, or None if it is unknown, expired or
    revoked; notes when the token was used, at most once in TIENDO_API_TOKEN_TOUCH_MINUTES.

    Not audited bookkeeping, written outside any request transaction. The conditional
    UPDATE means that of many requests at once only the first writes, and a read-only
    request mostly writes nothing (so it does not wait for SQLite's write lock)."""
    now = timezone.now()
    found = (ApiToken.objects.select_related("user")
             .filter(digest=token_digest(token), revoked_at__isnull=True, expires_at__gt=now)
             .first())
    if found is None or not found.user.is_active:
        return None
    threshold = now - datetime.timedelta(minutes=settings.TIENDO_API_TOKEN_TOUCH_MINUTES)
    if found.last_used_at is None or found.last_used_at < threshold:
        # SQLite busy with a long import: the note waits for a later request; the reader
        # is answered all the same.
        with contextlib.suppress(OperationalError):
            (ApiToken.objects
             .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=threshold), pk=found.pk)
             .update(last_used_at=now))
    return found.user
