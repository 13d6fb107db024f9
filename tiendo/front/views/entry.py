"""Data entry: a unit's report (a data set for a period), saved as a draft or submitted, and
the history of any value."""

import datetime

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.analytics.completeness import default_period
from tiendo.data.models import DataValue
from tiendo.data.selectors import datavalue_history, entry_form
from tiendo.data.services import EntryInput, datavalues_enter
from tiendo.data.submissions import submission_submit
from tiendo.errors import InvalidInput, NotFound, Problem, TiendoError
from tiendo.front.http import page
from tiendo.front.views.dashboard import period_options
from tiendo.indicators.models import DataSet
from tiendo.language import current_lang
from tiendo.lib.numbers import NumberParseError, parse_number
from tiendo.lib.periods import PeriodError, parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_children


def _entry_units(scope, today: datetime.date) -> list[OrgUnit]:
    """Units the user enters for: their own and those directly below it."""
    if scope.unit is None:
        if not scope.is_admin:
            return []
        return list(OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE, valid_to__isnull=True)
                    .order_by("name"))
    return [scope.unit, *orgunit_children(scope.unit, on=today)]


def _read_entries(request, form, lang: str) -> tuple[list[EntryInput], list[Problem]]:
    entries, problems = [], []
    for line, cell in enumerate(form.cells):
        if cell.locked:
            continue
        text = request.POST.get(f"value-{cell.key}", "").strip()
        value = None
        if text:
            try:
                value = parse_number(text, lang)
            except NumberParseError:
                problems.append(Problem(_("not a number"), line, "value", text))
                continue
        try:
            seen = int(request.POST.get(f"version-{cell.key}", "0"))
        except ValueError:
            seen = -1
        estimate = request.POST.get(f"estimate-{cell.key}") == "on"
        comment = request.POST.get(f"comment-{cell.key}", "")
        if value is None and not cell.stored:
            continue
        stored = cell.stored
        if (stored and value == stored.value and estimate == stored.estimate
                and comment.strip() == stored.comment and seen == stored.version):
            continue  # untouched: leaves the value (and its version) alone
        entries.append(EntryInput(cell.element, cell.part, value, estimate, comment, seen, line))
    return entries, problems


@page
def entry(request):
    scope = user_scope(request.user)
    lang = current_lang()
    today = timezone.localdate()
    units = _entry_units(scope, today)
    unit_id = request.GET.get("unit") or (units[0].pk if units else None)
    if unit_id is None:
        raise NotFound(_("no such unit"))
    unit = orgunit_for(request.user, unit_id, Action.ENTER)
    data_sets = list(DataSet.objects.order_by("code"))
    data_set = next((d for d in data_sets if d.code == request.GET.get("set")), None)
    data_set = data_set or next((d for d in data_sets if d.code == "bc_thang_lao_dong"),
                                data_sets[0] if data_sets else None)
    if data_set is None:
        raise NotFound(_("no data set is defined; load the catalogue first"))
    try:
        # By default the latest period whose reporting deadline has passed, not the month
        # still running.
        period = (parse_period(request.GET["period"]) if request.GET.get("period")
                  else default_period(unit=unit, today=today, data_set=data_set)
                  or parse_period(f"{today:%Y%m}"))
    except PeriodError as exc:
        messages.error(request, exc.problem)
        return redirect("entry")
    form = entry_form(data_set=data_set, unit=unit, period=period)
    problems: dict[int, list[str]] = {}
    general: list[str] = []
    posted = {}
    if request.method == "POST":
        entries, parse_problems = _read_entries(request, form, lang)
        posted = request.POST
        try:
            if parse_problems:
                raise InvalidInput(parse_problems)
            with transaction.atomic():
                result = datavalues_enter(org_unit=unit, period=period, entries=entries,
                                          actor=request.user.get_username(), user=request.user)
                if request.POST.get("action") == "submit":
                    submission_submit(data_set=data_set, org_unit=unit, period=period,
                                      actor=request.user.get_username(), user=request.user)
        except InvalidInput as exc:
            for problem in exc.problems:
                if problem.line is None:
                    general.append(problem.message)
                else:
                    problems.setdefault(problem.line, []).append(problem.message)
            messages.error(request, _("Nothing was saved: correct the marked values."))
        except TiendoError as exc:
            general.append(str(exc))
            messages.error(request, _("Nothing was saved: correct the marked values."))
        else:
            if request.POST.get("action") == "submit":
                messages.success(request, _("Saved and submitted for approval."))
            else:
                messages.success(
                    request,
                    _("Saved as a draft: %(created)s new, %(updated)s changed.")
                    % {"created": result.created, "updated": result.updated},
                )
            form = entry_form(data_set=data_set, unit=unit, period=period)
            flagged = [cell for cell in form.cells if cell.flagged]
            if flagged:
                messages.warning(request, _(
                    "Far from this unit's earlier figures, please check: %(names)s"
                ) % {"names": ", ".join(c.element.name + (f" ({c.part_name})" if c.part else "")
                                        for c in flagged)})
            return redirect(request.get_full_path())
    rows = []
    for line, cell in enumerate(form.cells):
        rows.append({
            "cell": cell,
            "problems": problems.get(line, []),
            "value": posted.get(f"value-{cell.key}") if posted else None,
            "estimate": (posted.get(f"estimate-{cell.key}") == "on") if posted else
            bool(cell.stored and cell.stored.estimate),
            "comment": posted.get(f"comment-{cell.key}") if posted else
            (cell.stored.comment if cell.stored else ""),
        })
    years = [today.year, today.year - 1]
    return render(request, "front/entry.html", {
        "form": form, "rows": rows, "general": general, "units": units, "unit": unit,
        "data_sets": data_sets, "data_set": data_set, "period": period,
        "period_groups": [(y, period_options(y)) for y in years],
        "read_only": form.submission.status == "approved",
        "can_approve": scope.can_approve(unit),
        "parts_ok": _("The parts add up to the total."),
        "parts_bad": _("The parts add up to %s but the total is %t."),
    })


@page
def history(request, value_id: int):
    value = get_object_or_404(DataValue.objects.select_related("data_element", "org_unit"),
                              pk=value_id)
    orgunit_for(request.user, value.org_unit_id, Action.READ)
    return render(request, "front/history.html", {
        "value": value, "records": datavalue_history(value), "period": parse_period(value.period),
    })
