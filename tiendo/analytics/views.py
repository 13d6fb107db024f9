"""The dashboard: a unit's targets for a period and a target set, the units below it lagging
first, and charts. Every number comes from `tiendo.analytics.dashboard`."""

import datetime
from decimal import Decimal

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tiendo.analytics.choices import dashboard_breadcrumb, dashboard_choose, dashboard_units
from tiendo.analytics.dashboard import Basis, dashboard_build
from tiendo.analytics.present import completeness_text, data_through_text, present
from tiendo.analytics.side_by_side import body_label, side_by_side, side_by_side_text
from tiendo.assignments.present import tasks_block
from tiendo.language import current_lang
from tiendo.lib import numbers
from tiendo.lib.periods import Period, PeriodError, months_label, parse_period, period_options
from tiendo.lib.sentences import summary_sentence
from tiendo.web import charts
from tiendo.web.http import page
from tiendo.web.responses import table_response

CHART_UNITS = 20  # bars in the chart across units; the table below lists them all


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
                   pgettext("verdict on a target", "Status"), _("Same period last year"),
                   _("Expected by now")]
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
    lang = current_lang()
    today = timezone.localdate()
    try:
        choice = dashboard_choose(user=request.user, today=today,
                                  unit_id=request.GET.get("unit"),
                                  period_code=request.GET.get("period"),
                                  set_id=request.GET.get("set"))
    except PeriodError:
        unit_id = request.GET.get("unit")
        return redirect(f"{request.path}?unit={unit_id}" if unit_id else request.path)
    unit, period, target_set, sets = choice.unit, choice.period, choice.target_set, choice.sets
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
    return render(request, "analytics/dashboard.html", {
        "board": board, "rows": rows, "unit": unit, "period": period,
        "target_set": target_set, "sets": sets, "chosen": chosen,
        "summary_text": summary_sentence(board.summary, lang),
        "data_through": data_through_text(board.data_through, lang),
        "completeness": [completeness_text(c, lang) for c in board.completeness]
        + [c.text(lang) for c in board.coverage],
        "paced": any(c.basis == Basis.PACE for row in board.children for c in row.cells),
        "over_time": over_time, "across": across,
        "units": dashboard_units(user=request.user, unit=unit),
        "breadcrumb": dashboard_breadcrumb(user=request.user, unit=unit),
        "period_groups": [(y, period_options(y)) for y in years],
        "today_map_start": datetime.date(2025, 7, 1),
        "tasks": tasks_block(unit=unit, period=period, as_of=today, lang=lang),
    })


@page
def compare(request):
    """One indicator's targets from every body's set for the unit and period, the one
    result, and each set's summary (tiendo.analytics.side_by_side)."""
    lang = current_lang()
    today = timezone.localdate()
    try:
        choice = dashboard_choose(user=request.user, today=today,
                                  unit_id=request.GET.get("unit"),
                                  period_code=request.GET.get("period"))
    except PeriodError:
        return redirect(request.path)
    view = side_by_side(unit=choice.unit, period=choice.period,
                        indicator_code=request.GET.get("indicator"), today=today)
    return render(request, "analytics/compare.html", {
        "view": view, "unit": choice.unit, "period": choice.period,
        "line": side_by_side_text(view, lang),
        "rows": [{"r": r, "p": present(r, lang), "body": body_label(r.target.target_set)}
                 for r in view.results],
        "sets": [{"s": s.target_set, "body": body_label(s.target_set),
                  "text": summary_sentence(s.summary, lang)} for s in view.sets],
        "units": dashboard_units(user=request.user, unit=choice.unit),
    })
