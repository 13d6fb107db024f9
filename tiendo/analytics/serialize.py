"""Engine results as plain JSON-ready data, shared by the CLI and the API.

Numbers keep full precision (6 decimals) except the achievement and met percentages, which
are rounded half-up to 2 decimals like everywhere they are shown.
"""

from decimal import Decimal

from tiendo.lib.numbers import round_half_up


def plain_number(value: Decimal | None, places: int = 6):
    if value is None:
        return None
    rounded = value.quantize(Decimal(1).scaleb(-places))
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def json_pct(value: Decimal | None):
    """A percentage as JSON: rounded half-up to 2 decimals, as it is shown."""
    return plain_number(None if value is None else round_half_up(value, 2), 2)


def evaluation_json(evaluation) -> dict:
    """An evaluation as plain JSON data, the same for the CLI and the API."""
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
                "target": plain_number(r.target.value),
                "target_max": plain_number(r.target.value_max),
                "baseline": plain_number(r.baseline),
                "actual": plain_number(r.actual),
                "estimate": r.estimate,
                "change": plain_number(r.change),
                "margin": plain_number(r.margin),
                "achievement_pct": json_pct(r.achievement_pct),
                "status": r.status.value,
                "pace": r.pace.value if r.pace else None,
                "expected_pct": json_pct(r.expected_pct),
                "same_period_last_year": plain_number(r.last_year),
                "forecast": plain_number(r.forecast),
                "forecast_method": r.forecast_method or None,
                "at_risk": r.at_risk,
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
    }
