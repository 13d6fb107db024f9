from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from tiendo.accounts.models import ApiToken
from tiendo.accounts.services import token_digest


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


# The browser session (django-ninja checks CSRF for it), or a bearer token.
AUTH = [BearerToken(), django_auth]
