"""One presentation of a judged target, used by every face: the dashboard page and its
downloads, the CLI table, the evaluation export and the report.

`present(result, lang)` turns the engine's `TargetResult` into a `Row`: the status in words
(with the pace of a running target), how the target reads, figures rounded for display
(half-up; the indicator's decimals, 2 for percentages), the change on the same months last
year (percentage points for a rate, % for an amount, with its sign) and which months those
are. Nothing here computes a figure: it only rounds and words what the engine judged.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiendo.analytics.evaluation import TargetResult
from tiendo.lib.describe import describe_change, describe_target
from tiendo.lib.numbers import format_money_vnd, format_number, format_percent, round_half_up
from tiendo.lib.periods import month, months_label

STATUS_LABELS = {
    "exceeded": gettext_lazy("exceeded"),
    "met": gettext_lazy("met"),
    "near": gettext_lazy("nearly met"),
    "not_met": gettext_lazy("not met"),
    "no_data": gettext_lazy("no data"),
    "in_progress": gettext_lazy("in progress"),
}
PACE_LABELS = {"on_track": gettext_lazy("on track"), "at_risk": gettext_lazy("at risk")}


def status_label(status) -> str:
    return str(STATUS_LABELS[str(status)])


def verdict_label(result: TargetResult) -> str:
    """"vượt", "đạt · đã về đích", "đang thực hiện · có nguy cơ không đạt"."""
    text = status_label(result.status)
    if result.in_progress and result.pace is not None:
        text += " · " + str(PACE_LABELS[result.pace.value])
    elif result.status.is_met and not result.period_over:
        text += " · " + _("reached early")
    return text


def _signed(value: Decimal | None, text: str) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def in_sentence(label: str, lang: str) -> str:
    """"Tháng 10/2026" inside a Vietnamese sentence is "tháng 10/2026"."""
    return label[:1].lower() + label[1:] if lang == "vi" else label


def data_through_text(day: datetime.date | None, lang: str) -> str:
    """"số liệu đến hết tháng 10/2026"."""
    if day is None:
        return ""
    with translation.override(lang):
        label = month(day.year, day.month).label(lang)
        return _("data up to the end of %(month)s") % {"month": in_sentence(label, lang)}


def figure_short_text(indicator, value: Decimal | None, lang: str) -> str:
    """A figure for a narrow column (a report's table): money in tỷ/triệu đồng ("64,5 tỷ
    đồng", not 64.500.000.000), anything else with the indicator's decimals."""
    if indicator.value_type == "money":
        return format_money_vnd(value, lang)
    return format_number(value, indicator.decimals, lang)


def unit_label(indicator) -> str:
    """The unit a table's column heads: "%" for a rate, "đồng" for money, else the catalogue's."""
    return {"percent": "%", "money": "đồng"}.get(indicator.value_type, indicator.unit_vi)


@dataclass(frozen=True, slots=True)
class Row:
    indicator: str
    indicator_code: str
    unit_of_measure: str
    unit_label: str  # "%", "đồng" or the unit of measure, for a column heading
    value_type: str
    decimals: int
    target_text: str
    target_short_text: str  # a plain amount of money in tỷ/triệu đồng, else target_text
    actual: Decimal | None  # rounded for display, like every figure below
    actual_text: str  # with "(ước)" when an estimate is in it
    actual_short_text: str  # the same, money in tỷ/triệu đồng
    change_text: str  # a change target's change on its baseline ("giảm 9.210")
    achievement_pct: Decimal | None
    achievement_text: str
    expected_pct: Decimal | None
    expected_text: str
    status: str
    pace: str | None
    status_text: str
    period_over: bool
    last_year: Decimal | None
    last_year_text: str
    vs_last_year_kind: str  # "points" for a rate, "pct" for an amount
    vs_last_year: Decimal | None
    vs_last_year_text: str
    compared_text: str  # which months are compared with last year, when not the asked ones
    forecast: Decimal | None
    forecast_text: str
    forecast_method: str
    data_through_text: str  # when the data stops before the asked period does
    # How the figure was taken when the rule says more than the columns: a compound average
    # and the rate still needed, a unit that ended, a target rolled into a successor.
    detail_text: str = ""


def present(result: TargetResult, lang: str) -> Row:
    target, indicator = result.target, result.target.indicator
    decimals = indicator.decimals
    percent = indicator.value_type == "percent"

    def shown(value: Decimal | None, places: int = decimals) -> Decimal | None:
        return None if value is None else round_half_up(value, places)

    def number(value: Decimal | None) -> str:
        return format_number(value, decimals, lang)

    with translation.override(lang):
        if percent:
            vs_kind, vs_value = "points", shown(result.change_vs_last_year)
            vs_text = _signed(vs_value, number(None if vs_value is None else abs(vs_value)))
        else:
            vs_kind, vs_value = "pct", shown(result.change_vs_last_year_pct, 2)
            vs_text = _signed(vs_value, format_percent(
                None if vs_value is None else abs(vs_value), 2, lang))
        estimated = " (" + _("est.") + ")" if result.estimate and result.actual is not None else ""
        target_text = describe_target(target.comparison, target.value, target.value_max,
                                      decimals, lang)
        plain_amount = target.comparison in ("at_least", "at_most") and target.value_max is None
        compared = result.compared_span
        return Row(
            indicator=indicator.name, indicator_code=indicator.code,
            unit_of_measure=indicator.unit_vi, unit_label=unit_label(indicator),
            value_type=indicator.value_type, decimals=decimals, target_text=target_text,
            target_short_text=figure_short_text(indicator, target.value, lang)
            if plain_amount and indicator.value_type == "money" else target_text,
            actual=shown(result.actual), actual_text=number(result.actual) + estimated,
            actual_short_text=figure_short_text(indicator, result.actual, lang) + estimated,
            change_text="" if result.change is None else describe_change(
                target.comparison, result.change, decimals, lang),
            achievement_pct=shown(result.achievement_pct, 2),
            achievement_text=format_percent(result.achievement_pct, 2, lang),
            expected_pct=shown(result.expected_pct, 2),
            expected_text=format_percent(result.expected_pct, 2, lang),
            status=result.status.value, pace=result.pace.value if result.pace else None,
            status_text=verdict_label(result), period_over=result.period_over,
            last_year=shown(result.last_year), last_year_text=number(result.last_year),
            vs_last_year_kind=vs_kind, vs_last_year=vs_value, vs_last_year_text=vs_text,
            compared_text=months_label(compared.start, compared.end, lang)
            if result.data_short and compared else "",
            forecast=shown(result.forecast), forecast_text=number(result.forecast),
            forecast_method=result.forecast_method,
            data_through_text=data_through_text(result.data_through, lang)
            if result.data_short else "",
            detail_text=detail_text(result, lang),
        )


def detail_text(result: TargetResult, lang: str) -> str:
    """"bình quân nhân 2021–2024: 5,12%/năm (4/5 năm); cần bình quân 29,33%/năm trong các năm
    còn lại", "đơn vị kết thúc ngày 30/06/2025: …", "cộng vào đơn vị kế thừa …"."""
    parts = []
    with translation.override(lang):
        if result.average_years and result.average_span and result.actual is not None:
            first, last = result.average_span
            years = str(first) if first == last else f"{first}–{last}"
            parts.append(_("compound average %(years)s: %(rate)s a year (%(counted)s of "
                           "%(total)s years)") % {
                "years": years, "rate": format_percent(result.actual, 2, lang),
                "counted": result.average_years[0], "total": result.average_years[1]})
        if result.needed is not None:
            parts.append(_("needs an average of %(rate)s a year in the remaining years")
                         % {"rate": format_percent(result.needed, 2, lang)})
        if result.unit_ended is not None:
            parts.append(_("the unit ended on %(day)s: judged on its data to that day")
                         % {"day": result.unit_ended.strftime("%d/%m/%Y")})
        if result.rolled_into is not None:
            parts.append(_("rolled into its successor %(unit)s")
                         % {"unit": result.rolled_into.name})
    return "; ".join(parts)


def completeness_text(found, lang: str) -> str:
    """"0/96 đơn vị đã gửi Báo cáo tháng lao động - việc làm tháng 11/2026 (hạn 18/11/2026)"."""
    with translation.override(lang):
        label = found.period.label(lang)
        words = {"sent": found.submitted, "expected": found.expected,
                 "report": found.schedule.data_set.name,
                 "period": in_sentence(label, lang), "deadline": found.deadline.strftime(
                     "%d/%m/%Y" if lang == "vi" else "%d %b %Y")}
        if found.due:
            return _("%(sent)s/%(expected)s units have sent %(report)s for %(period)s "
                     "(due %(deadline)s)") % words
        return _("%(sent)s/%(expected)s units have sent %(report)s for %(period)s; it is due "
                 "%(deadline)s") % words
