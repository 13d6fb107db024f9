from django.utils.translation import gettext as _
from ninja.security import HttpBearer, django_auth

from tiendo.accounts.services import apitoken_authenticate
from tiendo.accounts.throttle import retry_after, token_allowed, token_failed
from tiendo.errors import TooManyAttempts


class BearerToken(HttpBearer):
    """A bearer token; wrong ones are counted per address (tiendo/accounts/throttle.py), and
    an address locked out has every token refused, right or wrong, until the cool-off ends
    (otherwise the guesses would go on unlimited, only answered differently)."""

    def authenticate(self, request, token):
        user = apitoken_authenticate(token) if token_allowed(request) else None
        if user is None:
            if token_failed(request):
                raise TooManyAttempts(
                    _("Too many wrong tokens from this address. Try again after %(time)s.")
                    % {"time": f"{retry_after():%H:%M}"})
            return None
        request.user = user
        return user


# The browser session (django-ninja checks CSRF for it), or a bearer token.
AUTH = [BearerToken(), django_auth]
