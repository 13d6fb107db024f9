from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.accounts.access import Action, user_scope
from tiendo.accounts.models import Role
from tiendo.accounts.people import RANK, people_import, person_add, person_change, person_for
from tiendo.accounts.selectors import demo_memberships, people_visible, units_for_people
from tiendo.accounts.throttle import retry_after
from tiendo.errors import Forbidden, InvalidInput, Problem
from tiendo.web.http import page


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


# The people of the units in one's scope: added one by one or from a workbook, re-assigned,
# deactivated (tiendo.accounts.people decides who may do what to whom).

def _people_context(request, **extra) -> dict:
    scope = user_scope(request.user)
    if not scope.allows(Action.USERS):
        raise Forbidden(_("your role does not allow managing users"))
    grantable = [role for role in Role if RANK[role] <= RANK[scope.role]]
    return {"people": people_visible(scope), "units": units_for_people(scope),
            "roles": grantable, "scope": scope, **extra}


@page
def people(request):
    return render(request, "accounts/people.html", _people_context(request, form={}))


@page
@require_POST
def people_add_view(request):
    form = {key: request.POST.get(key, "").strip() for key in ("name", "email", "role", "unit")}
    try:
        user = person_add(actor_user=request.user, full_name=form["name"], email=form["email"],
                          role=form["role"], unit_code=form["unit"],
                          base_url=request.build_absolute_uri("/"))
    except InvalidInput as exc:
        errors = {problem.field or "form": problem.message for problem in exc.problems}
        return render(request, "accounts/people.html",
                      _people_context(request, form=form, errors=errors), status=422)
    messages.success(request, _("%(name)s was added; an e-mail with a link to choose a "
                                "password went to %(email)s.") % {
        "name": user.get_full_name(), "email": user.email})
    return redirect("people")


@page
@require_POST
def people_import_view(request):
    upload = request.FILES.get("file")
    if upload is None:
        problems = [Problem(_("choose a workbook to import"))]
    else:
        try:
            added = people_import(actor_user=request.user, content=upload.read(),
                                  base_url=request.build_absolute_uri("/"))
        except InvalidInput as exc:
            problems = exc.problems
        else:
            messages.success(request, _("%(count)s people were added; each got an e-mail to "
                                        "choose a password.") % {"count": len(added)})
            return redirect("people")
    return render(request, "accounts/people.html",
                  _people_context(request, form={}, import_problems=problems), status=422)


@page
def person(request, user_id: int):
    person = person_for(actor_user=request.user, user_id=user_id)
    errors = []
    if request.method == "POST":
        try:
            changed = person_change(
                actor_user=request.user, user=person, role=request.POST.get("role", ""),
                unit_code=request.POST.get("unit", ""),
                active=request.POST.get("active") == "on",
                reason=request.POST.get("reason", "").strip())
        except InvalidInput as exc:
            errors = exc.problems
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
            return redirect("people")
    membership = getattr(person, "membership", None)
    return render(request, "accounts/person.html", _people_context(
        request, person=person, membership=membership, errors=errors),
        status=422 if errors else 200)
