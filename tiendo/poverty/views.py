"""Pages of the poverty review: import a household file, a unit's review (counts, the
transitions from the year before, deprivations by indicator, the communes' steps), a
commune's household list with the explanation of each household, recording a step."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.audit.services import Actor
from tiendo.errors import Forbidden, InvalidInput, Problem
from tiendo.language import current_lang
from tiendo.lib.numbers import format_percent
from tiendo.poverty.selectors import households_list, review_view, review_years
from tiendo.poverty.services import review_import, review_step_record
from tiendo.web import charts
from tiendo.web.http import page


@page
def home(request):
    scope = user_scope(request.user)
    problems = []
    if request.method == "POST":
        if not scope.allows(Action.ENTER):
            raise Forbidden(_("your role does not allow entering data"))
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput([Problem(_("choose a file"), field="file")])
            outcome = review_import(data=upload.read(), name=upload.name,
                                    actor=Actor.of(request.user, via="web"),
                                    year=int(request.POST["year"]) if request.POST.get(
                                        "year", "").isdigit() else None)
            messages.success(request, _(
                "Review %(year)s stored: %(households)s households in %(communes)s communes "
                "(%(replaced)s replaced).") % {
                "year": outcome.year, "households": outcome.households,
                "communes": outcome.communes, "replaced": outcome.replaced})
            return redirect("poverty:home")
        except InvalidInput as exc:
            problems = exc.problems
    return render(request, "poverty/home.html", {
        "roots": scope.roots, "years": review_years(request.user), "problems": problems,
        "can_import": scope.allows(Action.ENTER),
    })


@page
def review(request, unit_id: int, year: int):
    unit = orgunit_for(request.user, unit_id, Action.READ)
    lang = current_lang()
    view = review_view(user=request.user, unit=unit, year=year, lang=lang)
    chart = charts.bar_chart(
        labels=[p.label for p in view.prevalence], values=[p.rate for p in view.prevalence],
        statuses=[None] * len(view.prevalence),
        fmt=lambda v: format_percent(v, 2, lang),
        title=_("Households deprived, by indicator (%)")) if view.prevalence else ""
    return render(request, "poverty/review.html", {"view": view, "chart": chart,
                                                   "steps": ["meeting", "recognition"]})


@page
def households(request, unit_id: int, year: int):
    unit = orgunit_for(request.user, unit_id, Action.READ)
    offset = int(request.GET.get("offset", "0") or 0) if request.GET.get(
        "offset", "0").isdigit() else 0
    total, rows = households_list(user=request.user, unit=unit, year=year,
                                  lang=current_lang(), offset=offset)
    return render(request, "poverty/households.html", {
        "unit": unit, "year": year, "total": total, "rows": rows, "offset": offset,
        "next": offset + len(rows) if offset + len(rows) < total else None})


@page
@require_POST
def step(request, unit_id: int, year: int):
    unit = orgunit_for(request.user, unit_id, Action.ENTER)
    try:
        done_on = datetime.date.fromisoformat(request.POST.get("done_on", ""))
    except ValueError:
        messages.error(request, _("a date is required"))
        return redirect("poverty:review", unit_id=unit.pk, year=year)
    try:
        review_step_record(commune=unit, year=year, step=request.POST.get("step", ""),
                           done_on=done_on, result=request.POST.get("result", "")[:255],
                           actor=Actor.of(request.user, via="web"))
        messages.success(request, _("Step recorded."))
    except InvalidInput as exc:
        for problem in exc.problems:
            messages.error(request, str(problem))
    return redirect("poverty:review", unit_id=unit.pk, year=year)
