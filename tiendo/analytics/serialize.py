"""Engine results as plain JSON-ready data, shared by the CLI and the API.

Numbers keep full precision (6 decimals) except the achievement and met percentages, which
are rounded half-up to 2 decimals like everywhere they are shown. Each judged target also
carries `shown`: its presentation row (`tiendo.analytics.present`), the figures and words
exactly as the page, the downloads and the report show them.
"""

import dataclasses
from decimal import Decimal

from django.utils import timezone

from tiendo.analytics.present import Row, completeness_text, present
from tiendo.assignments.present import tasks_summary_json
from tiendo.language import current_lang
from tiendo.lib.numbers import round_half_up
from tiendo.lib.sentences import summary_sentence


def json_number(value: Decimal | None, places: int = 6) -> int | float | None:
    """A number as JSON: an int when whole, else a float of at most `places` decimals."""
    if value is None:
        return None
    rounded = round_half_up(value, places)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def json_pct(value: Decimal | None) -> int | float | None:
    """A percentage as JSON: rounded half-up to 2 decimals, as it is shown."""
    return json_number(value, 2)


def row_json(row: Row) -> dict:
    """A presentation row as JSON: its texts as they are, its (display-rounded) numbers."""
    return {name: json_number(value) if isinstance(value, Decimal) else value
            for name, value in dataclasses.asdict(row).items()}


def unit_json(unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "kind": unit.kind,
            "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
            "valid_to": unit.valid_to.isoformat() if unit.valid_to else None}


def evaluation_json(evaluation, lang: str | None = None) -> dict:
    """An evaluation as plain JSON data, the same for the CLI and the API; `shown` in `lang`
    (the current language when not given)."""
    lang = lang or current_lang()
    summary = evaluation.summary
    through = evaluation.data_through
    return {
        "unit": evaluation.unit.code,
        "unit_name": evaluation.unit.name,
        "period": evaluation.period.code,
        "targets": [
            {
                "indicator": r.target.indicator.code,
                "unit": r.target.org_unit.code,
                "period": r.target.period,
                "target_set": r.target.target_set.name,
                "comparison": r.target.comparison,
                "target": json_number(r.target.value),
                "target_max": json_number(r.target.value_max),
                "baseline": json_number(r.baseline),
                "actual": json_number(r.actual),
                "estimate": r.estimate,
                "change": json_number(r.change),
                "margin": json_number(r.margin),
                "achievement_pct": json_pct(r.achievement_pct),
                "status": r.status.value,
                "pace": r.pace.value if r.pace else None,
                "expected_pct": json_pct(r.expected_pct),
                "same_period_last_year": json_number(r.last_year),
                "forecast": json_number(r.forecast),
                "forecast_method": r.forecast_method or None,
                "at_risk": r.at_risk,
                "needed_pct": json_pct(r.needed),
                "unit_ended": r.unit_ended.isoformat() if r.unit_ended else None,
                "shown": row_json(present(r, lang)),
            }
            for r in evaluation.results
        ],
        # The last day with data when it is before the end of the asked period.
        "data_through": through.isoformat() if through else None,
        "summary": {
            "total": summary.total,
            "met": summary.met,
            "not_met": summary.not_met,
            "near": summary.near,
            "no_data": summary.no_data,
            "in_progress": summary.in_progress,
            "at_risk": summary.at_risk,
            "met_pct": json_pct(summary.met_pct),
        },
        "tasks": tasks_summary_json(unit=evaluation.unit, period=evaluation.period,
                                    as_of=timezone.localdate()),
    }


def dashboard_json(board, lang: str) -> dict:
    """A dashboard (`dashboard_build`) as plain JSON data."""
    lang = current_lang()
    summary = board.summary
    return {
        "unit": unit_json(board.unit),
        "period": board.period.code,
        "inherited_from": unit_json(board.inherited_from) if board.inherited_from else None,
        "summary": {"judged": summary.judged, "met": summary.met, "no_data": summary.no_data,
                    "in_progress": summary.in_progress, "on_track": summary.on_track,
                    "at_risk": summary.at_risk, "met_pct": json_pct(summary.met_pct),
                    "text": summary_sentence(summary, lang)},
        "data_through": board.data_through.isoformat() if board.data_through else None,
        "completeness": [
            {"schedule": c.schedule.name, "data_set": c.schedule.data_set.code,
             "period": c.period.code, "submitted": c.submitted, "expected": c.expected,
             "deadline": c.deadline.isoformat(), "text": completeness_text(c, lang)}
            for c in board.completeness
        ],
        "coverage": [{"covered": c.covered, "expected": c.expected, "text": c.text(lang)}
                     for c in board.coverage],
        "targets": [
            {"indicator": c.result.target.indicator.code, "basis": c.basis,
             "status": c.result.status.value if c.judged else None,
             "pace": c.result.pace.value if c.judged and c.result.pace else None,
             "status_text": present(c.result, lang).status_text if c.judged else None,
             "shown": row_json(present(c.result, lang)) if c.judged else None,
             "actual": json_number(c.result.actual),
             "achievement_pct": json_pct(c.result.achievement_pct) if c.judged else None,
             "expected_pct": json_pct(c.result.expected_pct) if c.judged else None,
             "same_period_last_year": json_number(c.result.last_year),
             "at_risk": c.result.at_risk if c.judged else False,
             "trend": [{"year": p.year, "value": json_number(p.value)}
                       for p in trend]}
            for c, trend in zip(board.cells, board.trends, strict=True)
        ],
        "children": [
            {"unit": unit_json(row.unit), "met": row.summary.met, "judged": row.summary.judged,
             "on_track": row.summary.on_track, "at_risk": row.summary.at_risk,
             "behind": row.behind,
             "targets": [{"indicator": c.result.target.indicator.code, "basis": c.basis,
                          "target": json_number(c.result.target.value) if c.judged else None,
                          "actual": json_number(c.result.actual),
                          "status": c.status.value if c.status else None,
                          "pace": c.result.pace.value if c.judged and c.result.pace else None,
                          "pace_index": json_pct(c.pace_index)}
                         for c in row.cells]}
            for row in board.children
        ],
    }


def side_by_side_json(view, lang: str) -> dict:
    """One indicator's targets in every set (`side_by_side`) as plain JSON data."""
    from tiendo.analytics.side_by_side import body_label, side_by_side_text

    result = view.result
    return {
        "unit": unit_json(view.unit),
        "period": view.period.code,
        "indicator": view.indicator.code if view.indicator else None,
        "indicators": [{"code": i.code, "name": i.name} for i in view.indicators],
        "actual": json_number(result.actual) if result else None,
        "estimate": bool(result and result.estimate),
        "text": side_by_side_text(view, lang),
        "targets": [
            {"target_set": r.target.target_set.name, "body": body_label(r.target.target_set),
             "document": r.target.target_set.document.symbol
             if r.target.target_set.document else None,
             "period": r.target.period, "comparison": r.target.comparison,
             "target": json_number(r.target.value), "target_max": json_number(r.target.value_max),
             "status": r.status.value, "achievement_pct": json_pct(r.achievement_pct),
             "shown": row_json(present(r, lang))}
            for r in view.results
        ],
        "units_reaching": [
            {"unit": unit_json(row.org_unit), "reached_on": row.reached_on.isoformat(),
             "decision": row.decision} for row in view.reaching
        ],
        "sets": [
            {"target_set": s.target_set.name, "body": body_label(s.target_set),
             "judged": s.summary.judged, "met": s.summary.met, "no_data": s.summary.no_data,
             "met_pct": json_pct(s.summary.met_pct), "text": summary_sentence(s.summary, lang)}
            for s in view.sets
        ],
    }
