"""Sentences in the style of provincial reports, from figures the engine already computed.

"Số lao động được giải quyết việc làm: 315.900 người, đạt 105,30% kế hoạch năm (300.000
người), tăng 8,60% so với cùng kỳ." Nothing is computed here beyond choosing words; every
number arrives judged and is only formatted (tiendo.lib.numbers).

Pure Python; no Django import.
"""

from dataclasses import dataclass
from decimal import Decimal

from tiendo.lib.describe import describe_change, describe_target
from tiendo.lib.judge import Summary
from tiendo.lib.language import language_of
from tiendo.lib.numbers import format_money_vnd, format_number, format_percent

_WORDS = {
    "vi": {
        "estimate": "ước", "no_data": "chưa có số liệu", "of_plan": "đạt {pct} kế hoạch {of}",
        "year": "năm", "term": "giai đoạn", "other": "", "up": "tăng", "down": "giảm",
        "flat": "bằng cùng kỳ", "vs_last_year": "so với cùng kỳ", "points": "điểm %",
        "ceiling_met": "đạt kế hoạch (không quá {target})",
        "ceiling_missed": "chưa đạt kế hoạch (không quá {target})",
        "vs_baseline": "so với đầu kỳ", "at_risk": "có nguy cơ không đạt kế hoạch",
        "forecast": "ước cả kỳ {value}", "forecast_year": "ước cả năm {value}",
        "summary": "Có {met}/{judged} chỉ tiêu đạt và vượt kế hoạch ({pct})",
        "summary_running": "Có {met}/{judged} chỉ tiêu đã đạt và vượt kế hoạch",
        "on_track_count": "{count} chỉ tiêu đang thực hiện đúng tiến độ",
        "at_risk_count": "{count} chỉ tiêu có nguy cơ không đạt",
        "running_count": "{count} chỉ tiêu đang thực hiện, chưa ước tính được tiến độ",
        "on_track": "đúng tiến độ", "reached_early": "đã hoàn thành kế hoạch {of}",
        "expected": "tiến độ cần đạt {pct}", "same_months": "({months})",
        "not_met": "{count} chỉ tiêu chưa đạt", "no_data_count": "{count} chỉ tiêu chưa có số liệu",
        "none": "Chưa có chỉ tiêu nào có số liệu để đánh giá",
    },
    "en": {
        "estimate": "estimate", "no_data": "no data yet", "of_plan": "{pct} of the {of}plan",
        "year": "annual ", "term": "multi-year ", "other": "", "up": "up", "down": "down",
        "flat": "the same as a year earlier", "vs_last_year": "on the same period last year",
        "points": "points", "ceiling_met": "within the plan (at most {target})",
        "ceiling_missed": "above the plan's ceiling ({target})",
        "vs_baseline": "against the baseline", "at_risk": "at risk of missing the plan",
        "forecast": "full-period forecast {value}",
        "forecast_year": "full-year forecast {value}",
        "summary": "{met}/{judged} targets met or exceeded ({pct})",
        "summary_running": "{met}/{judged} targets already met or exceeded",
        "on_track_count": "{count} in progress and on track",
        "at_risk_count": "{count} at risk of missing the plan",
        "running_count": "{count} in progress with no forecast of their pace",
        "on_track": "on track", "reached_early": "the {of}plan already reached",
        "expected": "{pct} expected by now", "same_months": "({months})",
        "not_met": "{count} not met", "no_data_count": "{count} without data yet",
        "none": "No target has data to judge yet",
    },
}


@dataclass(frozen=True, slots=True)
class ResultLine:
    """What a sentence needs: the indicator, its target and the engine's judgement."""

    name: str
    unit: str  # unit of measure ("người", "%"); money is written in đồng/tỷ đồng instead
    value_type: str  # integer | number | percent | money
    decimals: int
    comparison: str
    target: Decimal
    target_max: Decimal | None
    plan_kind: str  # "year", "term" or "other": which plan the percentage is of
    actual: Decimal | None
    estimate: bool
    status: str
    achievement_pct: Decimal | None
    change: Decimal | None
    last_year: Decimal | None
    vs_last_year: Decimal | None
    vs_last_year_pct: Decimal | None
    forecast: Decimal | None = None
    at_risk: bool = False
    # A target whose period still runs: its pace ("on_track", "at_risk" or None), the
    # progress expected by now, and the months compared with last year when the data stops
    # before the asked period ("tháng 1–10/2026").
    period_over: bool = True
    pace: str | None = None
    expected_pct: Decimal | None = None
    compared_text: str = ""
    # How the figure was taken, already worded by the engine's presentation: "bình quân nhân
    # 2021–2024: 5,75%/năm (4/5 năm); cần bình quân 24,14%/năm trong các năm còn lại".
    detail: str = ""


def format_value(value: Decimal | None, value_type: str, decimals: int, unit: str,
                 lang: str = "vi") -> str:
    """A figure with its unit: "315.900 người", "86,00%", "64,5 tỷ đồng"."""
    if value is None:
        return ""
    if value_type == "money":
        return format_money_vnd(value, lang)
    text = format_number(value, decimals, lang)
    if value_type == "percent" or unit == "%":
        return text + "%"
    return f"{text} {unit}" if unit and language_of(lang) == "vi" else text


def _last_year_clause(line: ResultLine, words: dict[str, str], lang: str) -> str:
    if line.vs_last_year is None:
        return ""
    if line.vs_last_year == 0:
        return words["flat"]
    direction = words["up"] if line.vs_last_year > 0 else words["down"]
    if line.value_type == "percent":
        amount = f"{format_number(abs(line.vs_last_year), line.decimals, lang)} {words['points']}"
    elif line.vs_last_year_pct is not None:
        amount = format_percent(abs(line.vs_last_year_pct), 2, lang)
    else:
        return ""
    clause = f"{direction} {amount} {words['vs_last_year']}"
    if line.compared_text:
        clause += " " + words["same_months"].format(months=line.compared_text)
    return clause


def result_sentence(line: ResultLine, lang: str = "vi") -> str:
    lang = language_of(lang)
    words = _WORDS[lang]
    if line.actual is None:
        return f"{line.name}: {words['no_data']}."
    value = format_value(line.actual, line.value_type, line.decimals, line.unit, lang)
    if line.estimate:
        value += f" ({words['estimate']})"
    clauses = [value]
    target_text = _target_text(line, lang)
    if line.comparison == "at_most":
        key = "ceiling_met" if line.status in ("met", "exceeded") else "ceiling_missed"
        clauses.append(words[key].format(target=target_text))
    else:
        if line.change is not None:
            clauses.append(
                f"{describe_change(line.comparison, line.change, line.decimals, lang)}"
                f"{_points(line, words)} {words['vs_baseline']}"
            )
        if line.achievement_pct is not None:
            expected = ""
            if not line.period_over and line.expected_pct is not None:
                expected = "; " + words["expected"].format(
                    pct=format_percent(line.expected_pct, 2, lang))
            clauses.append(
                words["of_plan"].format(
                    pct=format_percent(line.achievement_pct, 2, lang), of=words[line.plan_kind]
                ).replace("  ", " ").rstrip()
                + f" ({target_text}{expected})"
            )
    if line.detail:
        clauses.append(line.detail)
    last_year = _last_year_clause(line, words, lang)
    if last_year:
        clauses.append(last_year)
    if not line.period_over and line.status in ("met", "exceeded"):
        clauses.append(words["reached_early"].format(of=words[line.plan_kind])
                       .replace("  ", " ").rstrip())
    elif line.at_risk or line.pace == "on_track":
        outlook = words["at_risk"] if line.at_risk else words["on_track"]
        if line.forecast is not None:
            forecast = format_value(line.forecast, line.value_type, line.decimals, line.unit, lang)
            key = "forecast_year" if line.plan_kind == "year" else "forecast"
            outlook += f" ({words[key].format(value=forecast)})"
        clauses.append(outlook)
    return f"{line.name}: {', '.join(clauses)}."


def _target_text(line: ResultLine, lang: str) -> str:
    if line.comparison in ("at_least", "at_most") and line.target_max is None:
        return format_value(line.target, line.value_type, line.decimals, line.unit, lang)
    return (describe_target(line.comparison, line.target, line.target_max, line.decimals, lang)
            + _points(line, _WORDS[lang]))


def _points(line: ResultLine, words: dict[str, str]) -> str:
    """A rate that changes by an amount changes by percentage points."""
    absolute = line.comparison in ("decrease_abs", "increase_abs")
    return f" {words['points']}" if absolute and line.value_type == "percent" else ""


def summary_sentence(summary: Summary, lang: str = "vi") -> str:
    """"Có 22/23 chỉ tiêu đạt và vượt kế hoạch (95,65%); 1 chỉ tiêu chưa đạt." Targets
    without data are counted apart, never as failures. While some target's period runs:
    "Có 1/3 chỉ tiêu đã đạt và vượt kế hoạch; 1 chỉ tiêu đang thực hiện đúng tiến độ; 1 chỉ
    tiêu có nguy cơ không đạt; …"."""
    words = _WORDS[language_of(lang)]
    if not summary.judged:
        parts = [words["none"]]
    else:
        key = "summary_running" if summary.in_progress else "summary"
        parts = [words[key].format(
            met=summary.met, judged=summary.judged,
            pct=format_percent(summary.met_pct, 2, language_of(lang)),
        )]
        for count, key in ((summary.on_track, "on_track_count"),
                           (summary.at_risk, "at_risk_count"),
                           (summary.without_pace, "running_count"),
                           (summary.not_met, "not_met")):
            if count:
                parts.append(words[key].format(count=count))
    if summary.no_data:
        parts.append(words["no_data_count"].format(count=summary.no_data))
    return "; ".join(parts) + "."
