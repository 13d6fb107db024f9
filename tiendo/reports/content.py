"""The periodic report as plain data: one structure, rendered to .docx, .xlsx and .pdf.

`report_content` asks the engine (tiendo.analytics.evaluation) for every figure, formats
them (tiendo.lib.numbers, tiendo.lib.sentences) and returns a JSON-ready dict: the title
block, the summary, a table and sentences per sector, the targets at risk, the lagging
units and the chart data. The renderers only lay it out, and the archive keeps this dict,
so a report can be produced again from it identically after the data changed.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiendo.analytics.completeness import completeness_for, coverage_for
from tiendo.analytics.dashboard import dashboard_build
from tiendo.analytics.evaluation import TargetResult, indicators_table, targets_evaluate
from tiendo.analytics.present import (
    Row,
    completeness_text,
    data_through_text,
    figure_short_text,
    in_sentence,
    present,
)
from tiendo.assignments.present import tasks_section
from tiendo.indicators.kinds import element_codes
from tiendo.indicators.loaders import SECTOR_NAMES
from tiendo.lib.language import language_of
from tiendo.lib.numbers import format_percent
from tiendo.lib.periods import Period, PeriodType
from tiendo.lib.sentences import ResultLine, result_sentence, summary_sentence
from tiendo.org.models import OrgUnit
from tiendo.plans.models import TargetSet
from tiendo.reports.issuer import area_name, issuer_params, place_of
from tiendo.reports.narrative import PARTS, narrative_draft, narrative_parts

__all__ = ["default_params", "narrative_drafted", "place_of", "report_content"]
from tiendo.poverty.report import poverty_section

CONTENT_VERSION = 1
LAGGING_LISTED = 10  # a report names the worst units and counts the rest

def _plain(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def default_params(*, unit: OrgUnit, period: Period, lang: str,
                   today: datetime.date) -> dict:
    """Title-block parameters a user has not set, drafted from who issues the unit's reports
    on `today` (`tiendo.reports.issuer`); the number is left blank for the clerk (văn thư)
    to fill when the report is registered."""
    with translation.override(lang):
        issuer = issuer_params(unit=unit, day=today)
        subject = _("Results of the targets, %(period)s") % {"period": in_sentence(
            period.label(lang), lang)}
        if issuer["issuer"]["before_reorganisation"]:
            subject = _("%(subject)s, %(unit)s (before the reorganisation)") % {
                "subject": subject, "unit": area_name(unit)}
        params = {
            "number": "",
            "date": today.isoformat(),
            "subject": subject,
            **issuer,
        }
        params.update({key: "" for key in PARTS})
        return params


def _plan_kind(target_period: Period) -> str:
    if target_period.type == PeriodType.YEAR:
        return "year"
    if target_period.type == PeriodType.MULTI_YEAR:
        return "term"
    return "other"


def _line(result: TargetResult, row: Row, label: str) -> ResultLine:
    target, indicator = result.target, result.target.indicator
    return ResultLine(
        name=label, unit=indicator.unit_vi, value_type=indicator.value_type,
        decimals=indicator.decimals, comparison=target.comparison, target=target.value,
        target_max=target.value_max, plan_kind=_plan_kind(result.target_period),
        actual=result.actual, estimate=result.estimate, status=result.status.value,
        achievement_pct=result.achievement_pct, change=result.change,
        last_year=result.last_year, vs_last_year=result.change_vs_last_year,
        vs_last_year_pct=None if row.vs_last_year_kind == "points"
        else result.change_vs_last_year_pct,
        forecast=result.forecast, at_risk=result.at_risk, period_over=result.period_over,
        pace=row.pace, expected_pct=result.expected_pct, compared_text=row.compared_text,
        detail=row.detail_text,
    )


def _row(result: TargetResult, period_figure, lang: str, named: bool) -> dict:
    """A target's line; `named`: the report holds several sets' targets, so the line says
    whose target it is (an indicator may be in several sets with different targets)."""
    target, indicator = result.target, result.target.indicator
    period_value = period_figure.value if period_figure else None
    row = present(result, lang)
    label = (_("%(indicator)s (set: %(set)s)") % {"indicator": row.indicator,
                                                  "set": target.target_set.name}
             if named else row.indicator)
    numeric_target = target.comparison in ("at_least", "at_most") and target.value_max is None
    return {
        "indicator": row.indicator,
        "label": label,  # the indicator, and its set when the report holds several
        "indicator_code": row.indicator_code,
        "unit": row.unit_label,
        "value_type": row.value_type,
        "decimals": row.decimals,
        "target_value": _plain(target.value) if numeric_target else None,
        "target_text": row.target_short_text,
        "target_number": _plain(target.value),  # the figure of any comparison, for Excel
        "period_value": _plain(period_value),
        "period_text": figure_short_text(indicator, period_value, lang),
        "to_date": _plain(result.actual),
        "to_date_text": row.actual_short_text,
        "estimate": result.estimate,
        "achievement_pct": _plain(result.achievement_pct),
        "achievement_text": row.achievement_text,
        "expected_pct": _plain(result.expected_pct),
        "vs_last_year_kind": row.vs_last_year_kind,
        "vs_last_year": _plain(row.vs_last_year),
        "vs_last_year_text": row.vs_last_year_text,
        "compared_text": row.compared_text,
        "status": result.status.value,
        "pace": row.pace,
        "period_over": result.period_over,
        "at_risk": result.at_risk,
        "status_text": row.status_text,
        "sentence": result_sentence(_line(result, row, label), lang),
        "target_set": target.target_set.name,
    }


def _lagging_units(unit: OrgUnit, period: Period, target_set: TargetSet | None, lang: str,
                   now: datetime.datetime):
    """The units directly below that are behind (a target missed or at risk), lagging
    first, exactly as the dashboard ranks them: one function, the same answer."""
    dashboard = dashboard_build(unit=unit, period=period, target_set=target_set,
                                with_trend=False, now=now)
    judged = [row for row in dashboard.children if row.summary.judged]
    listed = []
    for row in judged:
        if not row.behind:
            continue
        missed = [cell.result.target.indicator.name for cell in row.cells
                  if cell.judged and (cell.result.status.value in ("not_met", "near")
                                      or cell.result.at_risk)]
        summary = row.summary
        words = {"unit": row.unit.name, "met": summary.met, "judged": summary.judged,
                 "pct": format_percent(summary.met_pct, 2, lang),
                 "missed": ", ".join(missed)}
        text = (_("%(unit)s: %(met)s/%(judged)s targets met (%(pct)s); not met: %(missed)s")
                if not summary.in_progress else
                _("%(unit)s: %(met)s/%(judged)s targets already met; behind: %(missed)s"))
        listed.append({
            "code": row.unit.code, "name": row.unit.name, "met": summary.met,
            "judged": summary.judged, "met_pct": _plain(summary.met_pct),
            "text": text % words,
        })
    return listed, len(judged)


def _labels() -> dict:
    return {
        "motto": _("SOCIALIST REPUBLIC OF VIETNAM"),
        "tagline": _("Independence - Freedom - Happiness"),
        "number": _("No."),
        "date_line": _("%(place)s, %(date)s"),
        "title": _("REPORT"),
        "addressee": _("To:"),
        "recipients": _("Recipients:"),
        "columns": [
            _("No."), _("Indicator"), _("Unit of measure"), _("Plan"),
            _("Reporting period"), _("Year to date"), _("% of plan"),
            _("Vs same period last year"), _("Assessment"),
        ],
        "results": _("I. RESULTS OF THE TARGETS"),
        "at_risk": _("II. TARGETS AT RISK AND UNITS LAGGING BEHIND"),
        "at_risk_targets": _("Targets at risk of missing the plan"),
        "none_at_risk": _("No target is at risk of missing the plan."),
        "lagging": _("Units lagging behind"),
        "none_lagging": _("No unit below has targets missed in this period."),
        "no_data": _("Targets without data yet"),
        "chart": _("Chart of the main indicators"),
        "chart_title": _("Achievement of the plan (%)"),
        "estimate_note": _("(est.): estimate (ước), not yet final."),
        "sheet_summary": _("Summary"),
        "plan_value": _("Plan (figure)"),
        "sheet_chart": _("Chart"),
    }


def _date_text(day: datetime.date, lang: str) -> str:
    if lang == "en":
        return day.strftime("%d %B %Y")
    # Decree 30/2020: leading zero for days under 10 and for January and February.
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def report_content(
    *, unit: OrgUnit, period: Period, target_set: TargetSet | None = None,
    params: dict | None = None, lang: str = "vi", now: datetime.datetime | None = None,
    progress=None,
) -> dict:
    """The whole report as plain data, every figure from the engine."""
    now = now or timezone.now()
    lang = language_of(lang)
    with translation.override(lang):
        today = timezone.localtime(now).date()
        given = params or {}
        try:
            issued = datetime.date.fromisoformat(given.get("date") or "")
        except ValueError:
            issued = today
        merged = default_params(unit=unit, period=period, lang=lang, today=issued)
        issuer = merged.pop("issuer")
        merged.update({key: value for key, value in given.items()
                       if value not in (None, "") and key in merged})
        evaluation = targets_evaluate(unit=unit, period=period, target_set=target_set,
                                      today=today)
        if progress:
            progress(30)
        indicators = {r.target.indicator_id: r.target.indicator for r in evaluation.results}
        period_figures = indicators_table(
            indicators=list(indicators.values()), units=[unit], period=period
        )
        by_sector: dict[str, list[dict]] = defaultdict(list)
        named = len({r.target.target_set_id for r in evaluation.results}) > 1
        for result in evaluation.results:
            figure = period_figures.get((result.target.indicator_id, unit.id))
            by_sector[result.target.indicator.sector].append(
                _row(result, figure, lang, named))
        sections = []
        for code in [*SECTOR_NAMES, *sorted(set(by_sector) - set(SECTOR_NAMES))]:
            if code not in by_sector:
                continue
            names = SECTOR_NAMES.get(code, (code or _("Other"), code or _("Other")))
            sections.append({"code": code, "name": names[1 if lang == "en" else 0],
                             "rows": by_sector[code]})
        if progress:
            progress(50)
        lagging, units_with_targets = _lagging_units(unit, period, target_set, lang, now)
        lagging_more = max(0, len(lagging) - LAGGING_LISTED)
        lagging = lagging[:LAGGING_LISTED]
        if lagging_more:
            lagging.append({"code": "", "name": "", "met": None, "judged": None,
                            "met_pct": None,
                            "text": _("and %(count)s more units") % {"count": lagging_more}})
        if progress:
            progress(60)
        all_rows = [row for section in sections for row in section["rows"]]
        # What the figures rest on, said beside the summary in every format.
        codes = element_codes(r.target.indicator for r in evaluation.results)
        notes = [data_through_text(evaluation.data_through, lang),
                 *(completeness_text(c, lang) for c in completeness_for(
                     unit=unit, period=period, element_codes=codes, now=now)),
                 *(c.text(lang) for c in coverage_for(unit=unit, period=period,
                                                      element_codes=codes))]
        notes = [note for note in notes if note]
        data_note = "; ".join(notes)[:1].upper() + "; ".join(notes)[1:] + "." if notes else ""
        date = datetime.date.fromisoformat(merged["date"])
        summary = evaluation.summary
        summary_text = " ".join(filter(None, [summary_sentence(summary, lang), data_note]))
        narrative = narrative_parts(params=merged, draft=narrative_draft(
            summary_text=summary_text, rows=all_rows, lagging=lagging))
        return {
            "version": CONTENT_VERSION,
            "lang": lang,
            "generated_at": now.isoformat(),
            "unit": {"code": unit.code, "name": unit.name},
            "issuer": issuer,
            "period": {"code": period.code, "label": period.label(lang)},
            "target_set": target_set.name if target_set else None,
            "params": merged,
            "labels": _labels(),
            "date_text": _labels()["date_line"] % {
                "place": merged["place"], "date": _date_text(date, lang)},
            "summary": {
                "total": summary.total, "met": summary.met, "judged": summary.judged,
                "not_met": summary.not_met, "no_data": summary.no_data,
                "in_progress": summary.in_progress, "on_track": summary.on_track,
                "at_risk": summary.at_risk,
                "met_pct": _plain(summary.met_pct),
                "text": summary_text,
            },
            "data_through": data_through_text(evaluation.data_through, lang),
            "sections": sections,
            "at_risk": [row["sentence"] for row in all_rows if row["at_risk"]],
            "no_data": [row["label"] for row in all_rows if row["status"] == "no_data"],
            "lagging": lagging,
            "narrative": narrative,
            "units_with_targets": units_with_targets,
            "tasks": tasks_section(unit=unit, period=period, as_of=today, lang=lang),
            "poverty": poverty_section(unit=unit, period=period, lang=lang),
            "chart": [
                {"label": row["label"], "value": row["achievement_pct"],
                 "status": row["status"]}
                for row in all_rows if row["achievement_pct"] is not None
            ],
        }



def narrative_drafted(*, unit: OrgUnit, period: str, target_set: TargetSet | None,
                      lang: str, params: dict | None = None) -> dict[str, str]:
    """The written parts as the report would draft them now, for the specialist to edit on
    the report page before generating (their own text, where given, is kept)."""
    from tiendo.errors import InvalidInput, Problem
    from tiendo.lib.periods import PeriodError, parse_period

    try:
        parsed = parse_period(period)
    except PeriodError as error:
        raise InvalidInput([Problem(str(error), field="period", value=period)]) from None
    content = report_content(unit=unit, period=parsed, target_set=target_set, lang=lang,
                             params=params)
    return {part["code"]: part["text"] for part in content["narrative"]}
