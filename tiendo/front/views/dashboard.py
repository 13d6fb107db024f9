"""The dashboard: a unit's targets for a period and a target set, the units below it lagging
first, and charts. Every number comes from `tiendo.analytics.dashboard`."""

import datetime
from decimal import Decimal

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.accounts.access import Action, orgunit_for, user_scope
from tiendo.analytics.completeness import default_period
from tiendo.analytics.dashboard import Basis, dashboard_build
from tiendo.analytics.present import completeness_text, data_through_text, present
from tiendo.errors import NotFound
from tiendo.exchange.tables import table_response
from tiendo.front import charts
from tiendo.front.http import page
from tiendo.language import current_lang
from tiendo.lib import numbers
from tiendo.lib.periods import (
    Period,
    PeriodError,
    PeriodType,
    month,
    months_label,
    parse_period,
    period_of_date,
    quarter,
    semester,
    year,
    year_to_date,
)
from tiendo.lib.sentences import summary_sentence
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_ancestors
from tiendo.plans.models import Target, TargetSet

CHART_UNITS = 20  # bars in the chart across units; the table below lists them all


def last_complete_month(today: datetime.date) -> Period:
    return period_of_date(today.replace(day=1) - datetime.timedelta(days=1), PeriodType.MONTH)


def period_options(year_number: int) -> list[Period]:
    """The periods a leader asks about in a year: the year, 9 and 6 months, quarters, months."""
    return [
        year(year_number), year_to_date(year_number, 9), semester(year_number, 1),
        *(quarter(year_number, q) for q in range(1, 5)),
        *(month(year_number, m) for m in range(1, 13)),
    ]


def _sets_for(unit: OrgUnit) -> list[TargetSet]:
    """Target sets with targets on the unit or on a unit above it."""
    lineage = [unit.pk, *orgunit_ancestors(unit).values_list("pk", flat=True)]
    return list(TargetSet.objects.filter(targets__org_unit__in=lineage).distinct()
                .order_by("-period", "kind", "name"))


def _default_unit(scope) -> OrgUnit:
    """The user's unit; when it has no targets yet, the unit it replaced that has (today's
    Hồ Chí Minh City opens on the old city's 2022 targets); for an administrator, the unit
    of the latest target."""
    if scope.unit is not None:
        if Target.objects.filter(org_unit=scope.unit).exists():
            return scope.unit
        replaced = (Target.objects.filter(org_unit__path__in=scope.paths,
                                          org_unit__kind=scope.unit.kind)
                    .select_related("org_unit").order_by("-period", "-id").first())
        return replaced.org_unit if replaced else scope.unit
    latest = Target.objects.select_related("org_unit").order_by("-period", "-id").first()
    if latest is not None:
        return latest.org_unit
    roots = scope.roots
    if not roots:
        raise NotFound(_("no such unit"))
    return roots[0]


def _default_period(unit: OrgUnit, sets: list[TargetSet], today: datetime.date) -> Period:
    """The latest period whose reporting deadline has passed (the last complete month when
    no schedule covers the unit) when the unit's targets cover it, else its latest target
    period: a leader opens the page and sees this year so far."""
    current = default_period(unit=unit, today=today) or last_complete_month(today)
    lineage = [unit.pk, *orgunit_ancestors(unit).values_list("pk", flat=True)]
    periods = [parse_period(code) for code in
               Target.objects.filter(org_unit__in=lineage).values_list("period", flat=True)]
    if any(p.contains(current) for p in periods) or not periods:
        return current
    return max(periods, key=lambda p: p.end)


def _pick_set(sets: list[TargetSet], period: Period, unit: OrgUnit) -> TargetSet | None:
    """The first set (assigned before aspirational) with a target whose period holds `period`."""
    lineage = [unit.pk, *orgunit_ancestors(unit).values_list("pk", flat=True)]
    holding = {
        set_id
        for set_id, code in Target.objects.filter(org_unit__in=lineage, target_set__in=sets)
        .values_list("target_set_id", "period")
        if parse_period(code).contains(period)
    }
    ordered = sorted(sets, key=lambda s: (s.kind != TargetSet.Kind.ASSIGNED, s.name))
    return next((s for s in ordered if s.pk in holding), None)


def _unit_choices(scope, unit: OrgUnit) -> list[OrgUnit]:
    """Where the user's pages start (their unit and the units it replaced), and this unit's
    line above it within the scope, for the unit picker."""
    if scope.is_admin:
        starts = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE).order_by("name",
                                                                                   "valid_from"))
    else:
        starts = list(OrgUnit.objects.filter(path__in=scope.paths).order_by("depth", "name"))
        kind = scope.unit.kind if scope.unit else None
        starts = [u for u in starts if u.kind == kind or u == scope.unit]
    line = [u for u in orgunit_ancestors(unit, include_self=True) if scope.can_read(u)]
    seen, result = set(), []
    for candidate in [*starts, *line]:
        if candidate.pk not in seen:
            seen.add(candidate.pk)
            result.append(candidate)
    return result


def _export(board, table: str, fmt: str, lang: str):
    """The targets table or the units-below table of the page, as .xlsx or .csv."""
    title = f"{board.unit.name} — {board.period.label(lang)}"
    if table == "units":
        cells = board.cells
        headers = [_("Unit"), _("Met"), *(c.result.target.indicator.name for c in cells)]
        rows = [[row.unit.name,
                 f"{row.summary.met}/{row.summary.judged}" if row.summary.judged else "",
                 *(present(c.result, lang).actual for c in row.cells)]
                for row in board.children]
    else:
        headers = [_("Indicator"), _("Target"), _("Actual (to date)"), _("% of target"),
                   _("Status"), _("Same period last year"), _("Expected by now")]
        rows = []
        for cell in board.cells:
            row = present(cell.result, lang)
            rows.append([
                row.indicator, row.target_text if cell.judged else _("not split"),
                row.actual, row.achievement_pct if cell.judged else None,
                row.status_text if cell.judged else "", row.last_year,
                row.expected_pct if cell.judged else None,
            ])
    return table_response(title=title, headers=headers, rows=rows, fmt=fmt,
                          filename=f"tiendo-{board.unit.code}-{board.period.code}-{table}")


def _fmt(decimals: int, lang: str):
    return lambda value: numbers.format_number(value, decimals, lang)


def _span_label(result, period: Period, lang: str) -> str:
    """The months each column of the trend covers: the target's period, the asked period, or
    the months with data when they stop before it."""
    if result.data_short:
        return months_label(result.compared_span.start, result.compared_span.end, lang)
    if result.actual_span.end == result.target_period.end:
        return result.target_period.label(lang)
    return period.label(lang)


def _bar_status(cell) -> str | None:
    """The colour of a unit's bar: its verdict, or its pace while the period runs."""
    if cell.status is None:
        return None
    if cell.result.in_progress:
        return "not_met" if cell.result.at_risk else "met" if cell.result.pace else None
    return cell.status.value


@page
def dashboard(request):
    scope = user_scope(request.user)
    lang = current_lang()
    unit_id = request.GET.get("unit")
    unit = orgunit_for(request.user, unit_id, Action.READ) if unit_id else _default_unit(scope)
    if not scope.can_read(unit):
        raise NotFound(_("no such unit"))
    sets = _sets_for(unit)
    today = timezone.localdate()
    try:
        period = (parse_period(request.GET["period"]) if request.GET.get("period")
                  else _default_period(unit, sets, today))
    except PeriodError:
        return redirect(f"{request.path}?unit={unit.pk}")
    set_id = request.GET.get("set")
    target_set = next((s for s in sets if str(s.pk) == set_id), None)
    if target_set is None:
        target_set = _pick_set(sets, period, unit)
    board = dashboard_build(unit=unit, period=period, target_set=target_set, now=timezone.now())
    if request.GET.get("export") in ("xlsx", "csv"):
        return _export(board, request.GET.get("table", "targets"), request.GET["export"], lang)

    chart_id = request.GET.get("chart")
    chosen = next((c for c in board.cells if str(c.result.target.indicator_id) == chart_id),
                  board.cells[0] if board.cells else None)
    over_time = across = None
    if chosen is not None:
        indicator = chosen.result.target.indicator
        fmt = _fmt(indicator.decimals, lang)
        points = board.trends[board.cells.index(chosen)]
        target = chosen.result.target
        line = target.value if target.comparison in ("at_least", "at_most", "range") else None
        target_label = _("Target: %(value)s") % {"value": fmt(target.value)} if line else ""
        over_time = charts.column_chart(
            labels=[str(p.year) for p in points], values=[p.value for p in points], fmt=fmt,
            target=line if chosen.judged else None, target_label=target_label,
            title=_("%(indicator)s, %(period)s, over the years")
            % {"indicator": indicator.name, "period": _span_label(chosen.result, period, lang)},
        )
        # The units ranked and drawn by the same measure: how far along each is against
        # where it should be by now (100% = on pace), lagging first.
        child_cells = [c for c in board.lagging(board.cells.index(chosen))
                       if c.pace_index is not None][:CHART_UNITS]
        if child_cells:
            percent = _fmt(1, lang)
            across = charts.bar_chart(
                labels=[c.unit.name for c in child_cells],
                values=[c.pace_index for c in child_cells],
                statuses=[_bar_status(c) for c in child_cells],
                fmt=lambda value: percent(value) + "%", target=Decimal(100),
                target_label=_("on pace"),
                title=(_("%(indicator)s: the %(count)s units furthest behind (%% of pace)")
                       if len(board.children) > CHART_UNITS
                       else _("%(indicator)s by unit (%% of pace)"))
                % {"indicator": indicator.name, "count": CHART_UNITS},
            )
    rows = [{
        "cell": cell,
        "r": cell.result,
        "p": present(cell.result, lang),
        "spark": charts.sparkline([p.value for p in trend], label=_("trend over 5 years")),
    } for cell, trend in zip(board.cells, board.trends, strict=True)]
    years = sorted({period.year, today.year, *(parse_period(s.period).year for s in sets
                                                if s.period)}, reverse=True)
    return render(request, "front/dashboard.html", {
        "board": board, "rows": rows, "unit": unit, "period": period,
        "target_set": target_set, "sets": sets, "chosen": chosen,
        "summary_text": summary_sentence(board.summary, lang),
        "data_through": data_through_text(board.data_through, lang),
        "completeness": [completeness_text(c, lang) for c in board.completeness],
        "paced": any(c.basis == Basis.PACE for row in board.children for c in row.cells),
        "over_time": over_time, "across": across,
        "units": _unit_choices(scope, unit),
        "breadcrumb": [u for u in orgunit_ancestors(unit) if scope.can_read(u)],
        "period_groups": [(y, period_options(y)) for y in years],
        "today_map_start": datetime.date(2025, 7, 1),
    })
