"""Number formatting and parsing for Vietnamese (and English) display.

Vietnamese groups thousands with '.' and uses ',' as the decimal separator
(15.500 is fifteen thousand five hundred; 101,43 is a hundred and one point
four three). Formatting is Babel's (for vi and en written directly with the
locale's symbols, equal to Babel by a property test); parsing accepts both conventions
where the text is unambiguous and refuses to guess where it is not.

Pure Python; no Django import.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, getcontext, localcontext
from functools import cache
from typing import Literal

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol, parse_pattern

from tiendo.lib.language import language_of

__all__ = [
    "NumberParseError",
    "format_money_vnd",
    "format_number",
    "format_percent",
    "parse_number",
    "parse_typed",
    "round_half_up",
]

Number = Decimal | int | float
ParseErrorCode = Literal["empty", "invalid", "ambiguous"]

_ACCEPTED = (
    "accepted: digits with an optional leading + or -, '.' or ',' as thousands "
    "separator (groups of 3 digits) and the other one as decimal separator, "
    "e.g. 1.500.000,25 or 1,500,000.25, optionally followed by %"
)

_DIGITS = re.compile(r"[0-9]+")
_FIRST_GROUP = re.compile(r"[1-9][0-9]{0,2}")
_LATER_GROUP = re.compile(r"[0-9]{3}")

# U+2212 is the typographic minus some locales and spreadsheets emit.
_SIGNS = {"+": "", "-": "-", "\u2212": "-"}

_BILLION = 9
_MILLION = 6
_MONEY_UNITS = {
    "vi": {_BILLION: "tỷ đồng", _MILLION: "triệu đồng", 0: "đồng"},
    "en": {_BILLION: "billion VND", _MILLION: "million VND", 0: "VND"},
}


class NumberParseError(ValueError):
    """Text could not be read as a number; .code is "empty", "invalid" or "ambiguous"."""

    def __init__(self, text: str, code: ParseErrorCode, problem: str) -> None:
        super().__init__(f"Cannot read {text!r} as a number: {problem}; {_ACCEPTED}")
        self.text = text
        self.code: ParseErrorCode = code
        self.problem = problem


def round_half_up(value: Number, decimals: int) -> Decimal:
    """Round for display, halves away from zero (2.345 -> 2.35).

    Floats go through str() so that 2.345 rounds as written rather than as its
    binary approximation 2.34499999...
    """
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    number = _to_decimal(value)
    if not number.is_finite():
        raise ValueError(f"cannot round non-finite value {value!r}")
    # Enough precision that quantize never fails on large values: the digits before the
    # point, the decimals and one for a carry (9,995 -> 10,00). The current context has
    # that room for any ordinary figure (a page rounds thousands), so a context is made
    # only for the others; the result is the same either way.
    needed = number.adjusted() + decimals + 2
    if needed <= getcontext().prec:
        return number.quantize(_quantum(decimals), rounding=ROUND_HALF_UP)
    with localcontext() as context:
        context.prec = max(28, needed)
        return number.quantize(_quantum(decimals), rounding=ROUND_HALF_UP)


@cache
def _quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def plain_number(value: Decimal) -> str:
    """A number as a machine reads it back: digits, a dot, no exponent, no trailing zeros
    (90, not 9E+1 or 90.000000). For files, the API and the audit trail; people get
    `format_number`."""
    text = str(value)
    # Long numbers too: normalize() rounds to the context's 28 digits.
    if len(text) > 20 or "E" in text or ("." in text and text.endswith("0")):
        return format(value.normalize(), "f")
    return text  # already plain: the common case, without normalize()'s cost


def format_number(value: Number | None, decimals: int = 0, locale: str = "vi") -> str:
    """Format with exactly `decimals` decimals and locale grouping; None gives ""."""
    if value is None:
        return ""
    rounded = round_half_up(value, decimals)
    if rounded.is_zero():
        rounded = abs(rounded)  # never show "-0,00"
    symbols = _symbols(locale)
    if symbols is not None:
        # What Babel's "#,##0.00" gives with these symbols, without its per-call machinery
        # (a dashboard formats thousands of numbers); equal to `_babel_format` by test.
        text = format(rounded.copy_abs(), ",f")
        minus, group, point = symbols
        text = text.replace(",", "\0").replace(".", point).replace("\0", group)
        return minus + text if rounded.is_signed() else text
    return _babel_format(rounded, decimals, locale)


def _babel_format(rounded: Decimal, decimals: int, locale: str) -> str:
    # Already quantized, so Babel must not round again (it would use half-even).
    with localcontext() as context:
        context.prec = max(28, rounded.adjusted() + decimals + 2)
        return _pattern(decimals).apply(rounded, _locale(locale), decimal_quantization=False)


@cache
def _symbols(locale: str) -> tuple[str, str, str] | None:
    """(minus sign, group separator, decimal separator) of a locale that groups by three
    digits, as Babel formats it; None for any other (Babel formats those)."""
    parsed = _locale(locale)
    pattern = _pattern(0)
    if pattern.grouping != (3, 3):
        return None
    return (parsed.number_symbols["latn"]["minusSign"], get_group_symbol(parsed),
            get_decimal_symbol(parsed))


# What Babel's format_decimal parses on every call, parsed once (a dashboard formats
# thousands of numbers).
@cache
def _pattern(decimals: int):
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


@cache
def _locale(locale: str) -> Locale:
    return Locale.parse(locale)


def format_percent(value: Number | None, decimals: int = 2, locale: str = "vi") -> str:
    """Format a value that is already a percentage: 101.43 -> "101,43%"."""
    if value is None:
        return ""
    return format_number(value, decimals, locale) + "%"


def format_money_vnd(value: Number | None, locale: str = "vi") -> str:
    """Format an amount of đồng, scaled to tỷ/triệu from one million up.

    14_050_000_000 -> "14,05 tỷ đồng"; 500_000 -> "500.000 đồng".
    """
    if value is None:
        return ""
    units = _MONEY_UNITS[language_of(locale)]
    amount = _to_decimal(value)
    if abs(amount) < Decimal(10) ** _MILLION:
        return f"{format_number(amount, 0, locale)} {units[0]}"
    exponent = _BILLION if abs(amount) >= Decimal(10) ** _BILLION else _MILLION
    scaled = round_half_up(amount.scaleb(-exponent), 2)
    # 999.999.999 rounds to 1.000,00 triệu: show it as 1 tỷ instead.
    if exponent == _MILLION and abs(scaled) >= 1000:
        exponent = _BILLION
        scaled = round_half_up(amount.scaleb(-exponent), 2)
    return f"{format_number(scaled, _significant_decimals(scaled), locale)} {units[exponent]}"


def parse_number(text: str, locale: str | None = None) -> Decimal:
    """Read a number typed in Vietnamese or English style.

    With one separator followed by exactly three digits ("15.500", "1,500") the
    text is ambiguous; `locale` decides it, and without one NumberParseError
    with code "ambiguous" is raised. A trailing "%" is dropped (75% -> 75).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_number expects a string, got {type(text).__name__}")
    if text.isascii() and text.isdigit():  # the common case in big files: plain digits
        return Decimal(text)
    compact = "".join(char for char in text if not char.isspace())
    if not compact:
        raise NumberParseError(text, "empty", "the text is empty")
    sign, body = _split_sign(compact)
    if body.endswith("%"):
        body = body[:-1]
    if not body:
        raise NumberParseError(text, "invalid", "there are no digits")
    integer, fraction = _split_separators(text, body, locale)
    digits = integer + ("." + fraction if fraction else "")
    return Decimal(sign + digits)


def parse_typed(text: str, lang: str | None) -> Decimal:
    """A number a person typed, read the way their language writes numbers: the one reading
    of typed numbers for every form and people's own workbooks. In Vietnamese "54.000" is
    fifty-four thousand and "15,5" fifteen and a half; in English "54,000" and "15.5"."""
    return parse_number(text, language_of(lang))


def _to_decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, int):
        return Decimal(value)
    raise TypeError(f"expected a Decimal, int or float, got {type(value).__name__}")


def _significant_decimals(value: Decimal) -> int:
    """How many decimals remain once trailing zeros are trimmed (14.50 -> 1)."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite by construction
    return max(0, -exponent)


@cache
def _decimal_symbol(locale: str) -> str:
    return get_decimal_symbol(locale)


def _split_sign(compact: str) -> tuple[str, str]:
    if compact[0] in _SIGNS:
        return _SIGNS[compact[0]], compact[1:]
    return "", compact


def _split_separators(text: str, body: str, locale: str | None) -> tuple[str, str]:
    """Return (integer digits, fraction digits) for a sign-less body."""
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        # The later separator is the decimal one, the other groups.
        decimal_sep = "." if body.rfind(".") > body.rfind(",") else ","
        integer, fraction = body.rsplit(decimal_sep, 1)
        group_sep = "," if decimal_sep == "." else "."
        return _ungroup(text, integer, group_sep), _digits(text, fraction)
    separator = "." if dots else "," if commas else ""
    if not separator:
        return _digits(text, body), ""
    if body.count(separator) > 1:
        return _ungroup(text, body, separator), ""
    before, after = body.split(separator)
    if _FIRST_GROUP.fullmatch(before) and _LATER_GROUP.fullmatch(after):
        if _separator_groups(text, separator, locale):
            return _ungroup(text, body, separator), ""
    return _digits(text, before), _digits(text, after)


def _separator_groups(text: str, separator: str, locale: str | None) -> bool:
    """Decide whether a lone separator before 3 digits groups thousands."""
    if locale is None:
        problem = (
            f"{separator!r} could separate thousands or decimals; "
            "pass a locale or write it unambiguously (e.g. 15500 or 15,5)"
        )
        raise NumberParseError(text, "ambiguous", problem)
    return _decimal_symbol(locale) != separator


def _ungroup(text: str, integer: str, separator: str) -> str:
    groups = integer.split(separator)
    first_ok = _FIRST_GROUP.fullmatch(groups[0]) is not None
    if not first_ok or not all(_LATER_GROUP.fullmatch(group) for group in groups[1:]):
        problem = (
            f"digits grouped with {separator!r} must be 1-3 digits (not starting "
            "with 0) followed by groups of exactly 3"
        )
        raise NumberParseError(text, "invalid", problem)
    return "".join(groups)


def _digits(text: str, part: str) -> str:
    if not _DIGITS.fullmatch(part):
        raise NumberParseError(text, "invalid", f"{part!r} is not a run of digits 0-9")
    return part
