from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from tiendo.accounts.selectors import demo_memberships
from tiendo.accounts.throttle import retry_after


class LoginView(auth_views.LoginView):
    """Django's log-in page, with the demo users outside production (their password is
    public); failures are counted by django-axes."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_users"] = [] if settings.PRODUCTION else demo_memberships()
        return context


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out log-in (AXES_LOCKOUT_CALLABLE), on the log-in page
    and the admin's alike: until when, in the user's language."""
    return render(request, "registration/locked_out.html",
                  {"retry_after": f"{retry_after():%H:%M}"}, status=429)
