from ninja.security import HttpBearer, django_auth

from tiendo.accounts.services import apitoken_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = apitoken_authenticate(token)
        if user is not None:
            request.user = user
        return user


# The browser session (django-ninja checks CSRF for it), or a bearer token.
AUTH = [BearerToken(), django_auth]
