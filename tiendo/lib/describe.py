"""How a target and a change read in a table: "giảm 15%", "từ 30 đến 35", "≤ 4"."""

from decimal import Decimal

from tiendo.lib.language import language_of
from tiendo.lib.numbers import format_number, format_percent

_WORDS = {
    "vi": {"decrease": "giảm", "increase": "tăng", "from": "từ", "to": "đến",
           "average": "bình quân {rate}/năm"},
    "en": {"decrease": "decrease", "increase": "increase", "from": "from", "to": "to",
           "average": "average {rate} a year"},
}


def _words(lang: str) -> dict[str, str]:
    return _WORDS[language_of(lang)]


def _amount(value: Decimal, decimals: int, relative: bool, lang: str) -> str:
    return format_percent(value, 2, lang) if relative else format_number(value, decimals, lang)


def describe_target(
    comparison: str, value: Decimal, value_max: Decimal | None, decimals: int, lang: str = "vi"
) -> str:
    words = _words(lang)
    if comparison == "at_most":
        return "≤ " + format_number(value, decimals, lang)
    if comparison == "range":
        return (f"{words['from']} {format_number(value, decimals, lang)} {words['to']} "
                f"{format_number(value_max, decimals, lang)}")
    if comparison == "at_least":
        return format_number(value, decimals, lang)
    if comparison == "average_growth":  # compound, over the target's years
        rate = format_number(value, decimals, lang)
        if value_max is not None:
            rate += "–" + format_number(value_max, decimals, lang)
        return words["average"].format(rate=rate + "%")
    direction, relative = comparison.split("_")
    relative = relative == "pct"
    text = _amount(value, decimals, relative, lang)
    if value_max is not None:
        text = f"{text}–{_amount(value_max, decimals, relative, lang)}"
    return f"{words[direction]} {text}"


def describe_change(comparison: str, change: Decimal, decimals: int, lang: str = "vi") -> str:
    """The change achieved, in the target's own terms ("giảm 9.210", "giảm 23,00%")."""
    direction, relative = comparison.split("_")
    words = _words(lang)
    if change < 0:  # it went the wrong way
        direction = "increase" if direction == "decrease" else "decrease"
        change = -change
    return f"{words[direction]} {_amount(change, decimals, relative == 'pct', lang)}"
