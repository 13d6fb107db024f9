"""Pages of the poverty review: import a household file, a unit's review (counts, the
transitions from the year before, deprivations by indicator, the communes' steps), a
commune's household list with the explanation of each household, recording a step, and a
province's own higher standards."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.audit.services import Actor
from tiendo.errors import Forbidden, InvalidInput, Problem
from tiendo.language import current_lang
from tiendo.lib.numbers import format_percent
from tiendo.poverty.files import national_standards
from tiendo.poverty.local import (
    local_standard_delete,
    local_standard_of,
    local_standard_save,
    local_standard_uses,
    local_standards,
    standards_province,
)
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
    province = view.province
    return render(request, "poverty/review.html", {
        "view": view, "chart": chart, "steps": ["meeting", "recognition"],
        "standards_of": province if province and user_scope(request.user).can_read(province)
        else None})


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


@page
def standards(request, unit_id: int):
    """The province's own standards beside the national ones."""
    province = standards_province(request.user, unit_id, Action.READ)
    own = [(s, local_standard_uses(s)) for s in local_standards(province)]
    return render(request, "poverty/standards.html", {
        "province": province, "own": own, "national": national_standards(),
        "can_edit": user_scope(request.user).can_plan(province)})


WHOLE_NUMBER_FIELDS = ("first_year", "last_year", "rural_line", "urban_line", "rural_middle",
                       "urban_middle")
OPTIONAL = ("rural_middle", "urban_middle")


def _whole_numbers(post, problems: list[Problem]) -> dict[str, int | None]:
    """The form's whole numbers; "1.600.000" and "1 600 000" are read as 1600000."""
    found = {}
    for name in WHOLE_NUMBER_FIELDS:
        text = "".join(post.get(name, "").replace(".", "").split())
        if not text and name in OPTIONAL:
            found[name] = None
        elif text.isdigit() and len(text) <= 12:
            found[name] = int(text)
        else:
            found[name] = None
            problems.append(Problem(
                _("a year, e.g. 2026") if name.endswith("year")
                else _("a whole number of đồng per person per month, e.g. 1.600.000"),
                field=name, value=post.get(name, "")[:40]))
    return found


def _by_field(problems: list[Problem]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.field or "", []).append(problem.message)
    return found


@page
@require_http_methods(["GET", "POST"])
def standard_edit(request, unit_id: int, standard_id: int | None = None):
    """Add a province's own standard, or change one; problems are shown beside their
    fields and nothing is saved while any remains."""
    province = standards_province(request.user, unit_id, Action.PLAN)
    standard = local_standard_of(province, standard_id) if standard_id is not None else None
    national = national_standards()
    if standard is not None:
        values = {f: getattr(standard, f)
                  for f in ("code", "name", "based_on", *WHOLE_NUMBER_FIELDS)}
    else:
        values = {"based_on": national[0].code}
    problems: list[Problem] = []
    if request.method == "POST":
        values = request.POST
        numbers = _whole_numbers(request.POST, problems)
        if not problems:
            try:
                local_standard_save(
                    province=province, code=request.POST.get("code", ""),
                    name=request.POST.get("name", ""),
                    based_on=request.POST.get("based_on", ""), **numbers,
                    actor=Actor.of(request.user, via="web"), standard=standard)
            except InvalidInput as exc:
                problems = exc.problems
            else:
                messages.success(request, _("Standard saved."))
                return redirect("poverty:standards", unit_id=province.pk)
    return render(request, "poverty/standard_form.html", {
        "province": province, "standard": standard, "values": values, "national": national,
        "errors": _by_field(problems),
        "uses": local_standard_uses(standard) if standard is not None else 0})


@page
@require_POST
def standard_delete(request, unit_id: int, standard_id: int):
    """Remove a province's own standard that no review was classified with."""
    province = standards_province(request.user, unit_id, Action.PLAN)
    standard = local_standard_of(province, standard_id)
    try:
        local_standard_delete(standard=standard, actor=Actor.of(request.user, via="web"))
    except InvalidInput as exc:
        messages.error(request, "; ".join(p.message for p in exc.problems))
        return redirect("poverty:standard_edit", unit_id=province.pk, standard_id=standard_id)
    messages.success(request, _("Standard %(code)s removed.") % {"code": standard.code})
    return redirect("poverty:standards", unit_id=province.pk)
