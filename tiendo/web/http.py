"""How pages meet the application's errors and the user's scope: one decorator, used by
every page, so no view checks permissions or turns errors into answers on its own."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tiendo.errors import Forbidden, NotFound


def page(view):
    """Log-in required; NotFound becomes 404 and Forbidden 403 (outside the user's scope a
    unit "does not exist", so guessing ids tells nothing)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc)) from None
        except Forbidden as exc:
            raise PermissionDenied(str(exc)) from None

    return wrapper
