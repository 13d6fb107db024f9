"""Log-in protection around django-axes (configured in settings): whose address a request
comes from, and the count of wrong API tokens, which name no user.

django-axes counts the failures of every `authenticate` call (the log-in page, the admin)
in its database table, per user name and address together."""

import datetime

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.utils import timezone

# Wrong bearer tokens count against the address under this name, which no account can have
# (Django's user names have no spaces or brackets): an address that sends
# AXES_FAILURE_LIMIT wrong tokens has its tokens refused until the cool-off ends.
API_TOKEN_USERNAME = "(api token)"
_TOKEN_CREDENTIALS = {"username": API_TOKEN_USERNAME}


def client_address(request) -> str:
    """REMOTE_ADDR, or with TIENDO_TRUSTED_PROXIES = n reverse proxies of ours in front, the
    address the outermost of them saw: the n-th from the right in X-Forwarded-For (each
    proxy appends what it saw; anything further left the client may have written)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TIENDO_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [address.strip()
                 for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if address.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


def retry_after() -> datetime.datetime:
    """When a log-in locked out now may be tried again (local time). A failure during the
    lock-out counts too, so the lock-out always ends one cool-off after the last try."""
    return timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)


def token_allowed(request) -> bool:
    """Whether this request's address may still try bearer tokens."""
    return AxesProxyHandler.is_allowed(request, _TOKEN_CREDENTIALS)


def token_failed(request) -> bool:
    """Count a wrong (unknown, expired or revoked) token against the request's address;
    returns whether the address is now locked out."""
    user_login_failed.send(sender=__name__, credentials=_TOKEN_CREDENTIALS, request=request)
    locked = bool(getattr(request, "axes_locked_out", False))
    # The API answers this itself (429), not django-axes' middleware with the log-in page.
    request.axes_locked_out = False
    return locked
