from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from tiendo.accounts.selectors import demo_memberships
from tiendo.accounts.throttle import login_blocked, login_failed, login_succeeded


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class LoginView(auth_views.LoginView):
    """Django's login, refusing for a while after repeated failures."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if login_blocked(username, _address(request)):
            messages.error(request, _("Too many failed logins. Wait 15 minutes and try again."))
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        login_failed(self.request.POST.get("username", ""), _address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        login_succeeded(form.get_user().get_username(), _address(self.request))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_users"] = demo_memberships()
        return context
