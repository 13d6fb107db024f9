"""Reporting periods identified by canonical codes.

Codes follow DHIS2 where DHIS2 has the period type, plus two of our own:

- year ``2024``; quarter ``2024Q3``; semester ``2024S1`` / ``2024S2``;
  month ``202409``;
- year-to-date ``2024YTD09`` (January to September 2024);
- multi-year ``2021-2025`` (a five-year plan or a term of office).

A period's date range determines it: a year-to-date range that coincides with
another type is canonicalised to that type (``2024YTD03`` is ``2024Q1``), so two
periods covering the same dates always compare equal.

Pure Python; no Django import.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, total_ordering

from tiendo.lib.language import language_of

__all__ = [
    "ACCEPTED_FORMS",
    "Period",
    "PeriodError",
    "PeriodType",
    "month",
    "multi_year",
    "parse_period",
    "period_of_date",
    "quarter",
    "rank_of",
    "semester",
    "year",
    "year_to_date",
]

MIN_YEAR = 1000
MAX_YEAR = 9999

ACCEPTED_FORMS = (
    "accepted forms: year '2024', quarter '2024Q3', half-year '2024S1' or "
    "'2024S2', month '202409', year-to-date '2024YTD09' (months 01-12), "
    "multi-year '2021-2025' (first year before last)"
)


class PeriodError(ValueError):
    """A period code or period arithmetic result is not valid."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem}; {ACCEPTED_FORMS}")
        self.problem = problem


class PeriodType(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    SEMESTER = "semester"
    YEAR_TO_DATE = "ytd"
    YEAR = "year"
    MULTI_YEAR = "multiyear"


# Semester and year-to-date share a rank: neither is always coarser.
_RANK: dict[PeriodType, int] = {
    PeriodType.MONTH: 1,
    PeriodType.QUARTER: 2,
    PeriodType.SEMESTER: 3,
    PeriodType.YEAR_TO_DATE: 3,
    PeriodType.YEAR: 4,
    PeriodType.MULTI_YEAR: 5,
}

_ROMAN = ("I", "II", "III", "IV")

# Hard-coded rather than calendar.month_name, which follows the process locale.
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_YEAR = r"([1-9]\d{3})"
_PATTERNS: tuple[tuple[PeriodType, re.Pattern[str]], ...] = (
    (PeriodType.YEAR, re.compile(rf"{_YEAR}")),
    (PeriodType.MONTH, re.compile(rf"{_YEAR}(\d{{2}})")),
    (PeriodType.QUARTER, re.compile(rf"{_YEAR}Q(\d)")),
    (PeriodType.SEMESTER, re.compile(rf"{_YEAR}S(\d)")),
    (PeriodType.YEAR_TO_DATE, re.compile(rf"{_YEAR}YTD(\d{{2}})")),
    (PeriodType.MULTI_YEAR, re.compile(rf"{_YEAR}-{_YEAR}")),
)


def rank_of(period_type: str) -> int:
    """Coarseness of a period type given by its value ("month", "year", ...)."""
    return _RANK[PeriodType(period_type)]


@total_ordering
@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period; build it with the module functions, not directly."""

    type: PeriodType
    code: str
    start: datetime.date
    end: datetime.date  # inclusive

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise PeriodError(f"period {self.code!r} ends before it starts")

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __str__(self) -> str:
        return self.code

    @property
    def sort_key(self) -> tuple[datetime.date, int]:
        """Chronological by start; a longer period sorts before those it contains."""
        return (self.start, -self.end.toordinal())

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def rank(self) -> int:
        """Coarseness: month 1, quarter 2, semester/ytd 3, year 4, multi-year 5."""
        return _RANK[self.type]

    def end_month(self) -> int:
        return self.end.month

    def label(self, lang: str = "vi") -> str:
        """Human label in Vietnamese (default) or English; other languages fall back to vi."""
        if language_of(lang) == "en":
            return _label_en(self)
        return _label_vi(self)

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def previous(self) -> Period:
        return self._shift(-1)

    def next(self) -> Period:
        return self._shift(1)

    def same_period_last_year(self) -> Period:
        """The comparison period a year earlier; a multi-year block has no such thing,
        so its predecessor block is used instead."""
        if self.type is PeriodType.MULTI_YEAR:
            return self.previous()
        return _with_year(self, self.year - 1)

    def months(self) -> list[Period]:
        """The month periods covered, in chronological order."""
        first = self.start.year * 12 + self.start.month - 1
        last = self.end.year * 12 + self.end.month - 1
        return [_month(index // 12, index % 12 + 1) for index in range(first, last + 1)]

    def _shift(self, steps: int) -> Period:
        y = self.year
        match self.type:
            case PeriodType.MONTH:
                index = y * 12 + self.start.month - 1 + steps
                return _month(index // 12, index % 12 + 1)
            case PeriodType.QUARTER:
                index = y * 4 + _quarter_of(self.start.month) - 1 + steps
                return _quarter(index // 4, index % 4 + 1)
            case PeriodType.SEMESTER:
                index = y * 2 + _semester_of(self.start.month) - 1 + steps
                return _semester(index // 2, index % 2 + 1)
            case PeriodType.MULTI_YEAR:
                length = self.end.year - y + 1
                return _multi_year(y + steps * length, self.end.year + steps * length)
            case _:  # year and year-to-date move by whole years
                return _with_year(self, y + steps)


def parse_period(code: str) -> Period:
    """Parse a canonical period code (surrounding whitespace ignored).

    Raises PeriodError for anything that is not one of the accepted forms.
    """
    if not isinstance(code, str):
        raise PeriodError(f"period code must be a string, got {type(code).__name__}")
    return _parse_stripped(code.strip())


# Cached on the stripped text so whitespace variants cannot grow the cache.
@cache
def _parse_stripped(code: str) -> Period:
    if not code:
        raise PeriodError("period code is empty")
    for period_type, pattern in _PATTERNS:
        found = pattern.fullmatch(code)
        if found:
            return _build(period_type, code, found.groups())
    raise PeriodError(f"{code!r} is not a period code")


def _build(period_type: PeriodType, code: str, groups: tuple[str, ...]) -> Period:
    y = int(groups[0])
    match period_type:
        case PeriodType.YEAR:
            return _year(y)
        case PeriodType.MONTH:
            m = int(groups[1])
            if not 1 <= m <= 12:
                raise PeriodError(f"{code!r}: month must be 01-12")
            return _month(y, m)
        case PeriodType.QUARTER:
            q = int(groups[1])
            if not 1 <= q <= 4:
                raise PeriodError(f"{code!r}: quarter must be 1-4")
            return _quarter(y, q)
        case PeriodType.SEMESTER:
            s = int(groups[1])
            if s not in (1, 2):
                raise PeriodError(f"{code!r}: half-year must be S1 or S2")
            return _semester(y, s)
        case PeriodType.YEAR_TO_DATE:
            m = int(groups[1])
            if not 1 <= m <= 12:
                raise PeriodError(f"{code!r}: year-to-date month must be 01-12")
            return _year_to_date(y, m)
        case _:
            last = int(groups[1])
            if last <= y:
                raise PeriodError(f"{code!r}: multi-year first year must be before last year")
            return _multi_year(y, last)


def month(year: int, month: int) -> Period:
    return _month(year, month)


def quarter(year: int, quarter: int) -> Period:
    return _quarter(year, quarter)


def semester(year: int, half: int) -> Period:
    return _semester(year, half)


def year(year: int) -> Period:
    return _year(year)


def year_to_date(year: int, month: int) -> Period:
    """January..month of year; ranges matching another type come back as that type."""
    return _year_to_date(year, month)


def multi_year(first: int, last: int) -> Period:
    return _multi_year(first, last)


def period_of_date(day: datetime.date, type: PeriodType) -> Period:
    """The month, quarter, semester or year containing day."""
    match type:
        case PeriodType.MONTH:
            return _month(day.year, day.month)
        case PeriodType.QUARTER:
            return _quarter(day.year, _quarter_of(day.month))
        case PeriodType.SEMESTER:
            return _semester(day.year, _semester_of(day.month))
        case PeriodType.YEAR:
            return _year(day.year)
    raise PeriodError(f"period_of_date does not support period type {type!s}")


# Private constructors: the public ones have parameters named like the
# functions (year, month), which would shadow them inside each other.


def _check_year(y: int) -> None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise PeriodError(f"year {y} is outside {MIN_YEAR}-{MAX_YEAR}")


def _check_range(value: int, low: int, high: int, what: str) -> None:
    if not low <= value <= high:
        raise PeriodError(f"{what} {value} is outside {low}-{high}")


def _month_end(y: int, m: int) -> datetime.date:
    if m == 12:
        return datetime.date(y, 12, 31)
    return datetime.date(y, m + 1, 1) - datetime.timedelta(days=1)


def _months_span(y: int, first: int, last: int, period_type: PeriodType, code: str) -> Period:
    _check_year(y)
    return Period(period_type, code, datetime.date(y, first, 1), _month_end(y, last))


def _month(y: int, m: int) -> Period:
    _check_range(m, 1, 12, "month")
    return _months_span(y, m, m, PeriodType.MONTH, f"{y:04d}{m:02d}")


def _quarter(y: int, q: int) -> Period:
    _check_range(q, 1, 4, "quarter")
    return _months_span(y, 3 * q - 2, 3 * q, PeriodType.QUARTER, f"{y:04d}Q{q}")


def _semester(y: int, s: int) -> Period:
    _check_range(s, 1, 2, "half-year")
    return _months_span(y, 6 * s - 5, 6 * s, PeriodType.SEMESTER, f"{y:04d}S{s}")


def _year(y: int) -> Period:
    return _months_span(y, 1, 12, PeriodType.YEAR, f"{y:04d}")


def _year_to_date(y: int, m: int) -> Period:
    _check_range(m, 1, 12, "year-to-date month")
    # Keep one identity per date range, so equality and dict keys behave.
    match m:
        case 1:
            return _month(y, 1)
        case 3:
            return _quarter(y, 1)
        case 6:
            return _semester(y, 1)
        case 12:
            return _year(y)
    return _months_span(y, 1, m, PeriodType.YEAR_TO_DATE, f"{y:04d}YTD{m:02d}")


def _multi_year(first: int, last: int) -> Period:
    _check_year(first)
    _check_year(last)
    if last <= first:
        raise PeriodError(f"multi-year {first}-{last}: first year must be before last year")
    return Period(
        PeriodType.MULTI_YEAR,
        f"{first:04d}-{last:04d}",
        datetime.date(first, 1, 1),
        datetime.date(last, 12, 31),
    )


def _with_year(period: Period, y: int) -> Period:
    """The same kind of period (same months) in another year; not for multi-year."""
    m = period.end.month
    match period.type:
        case PeriodType.MONTH:
            return _month(y, m)
        case PeriodType.QUARTER:
            return _quarter(y, _quarter_of(m))
        case PeriodType.SEMESTER:
            return _semester(y, _semester_of(m))
        case PeriodType.YEAR:
            return _year(y)
        case PeriodType.YEAR_TO_DATE:
            return _year_to_date(y, m)
    raise PeriodError(f"cannot move {period.code!r} to another year")


def _quarter_of(m: int) -> int:
    return (m - 1) // 3 + 1


def _semester_of(m: int) -> int:
    return 1 if m <= 6 else 2


def _label_vi(p: Period) -> str:
    y, m = p.year, p.end.month
    match p.type:
        case PeriodType.MONTH:
            return f"Tháng {m}/{y}"
        case PeriodType.QUARTER:
            return f"Quý {_ROMAN[_quarter_of(m) - 1]}/{y}"
        case PeriodType.SEMESTER:
            return f"6 tháng {'đầu' if m == 6 else 'cuối'} năm {y}"
        case PeriodType.YEAR_TO_DATE:
            return f"{m} tháng năm {y}"
        case PeriodType.YEAR:
            return f"Năm {y}"
    return f"Giai đoạn {y}-{p.end.year}"


def _label_en(p: Period) -> str:
    y, m = p.year, p.end.month
    match p.type:
        case PeriodType.MONTH:
            return f"{_EN_MONTHS[m - 1]} {y}"
        case PeriodType.QUARTER:
            return f"Q{_quarter_of(m)} {y}"
        case PeriodType.SEMESTER:
            return f"{'First' if m == 6 else 'Second'} half of {y}"
        case PeriodType.YEAR_TO_DATE:
            return f"January–{_EN_MONTHS[m - 1]} {y}"
        case PeriodType.YEAR:
            return str(y)
    return f"{y}–{p.end.year}"


def months_label(start: datetime.date, end: datetime.date, lang: str = "vi") -> str:
    """The months from `start` to `end` in a few words: "tháng 1–10/2026", "January–October
    2026", "tháng 10/2025–3/2026"; one month alone is that month's label."""
    first, last = (start.year, start.month), (end.year, end.month)
    english = language_of(lang) == "en"
    if first == last:
        return _label_en(_month(*first)) if english else f"tháng {start.month}/{start.year}"
    if english:
        head = _EN_MONTHS[start.month - 1] + ("" if start.year == end.year else f" {start.year}")
        return f"{head}–{_EN_MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"tháng {start.month}–{end.month}/{end.year}"
    return f"tháng {start.month}/{start.year}–{end.month}/{end.year}"


def period_options(year_number: int) -> list[Period]:
    """The periods a leader asks about in a year: the year, 9 and 6 months, quarters, months."""
    return [
        year(year_number), year_to_date(year_number, 9), semester(year_number, 1),
        *(quarter(year_number, q) for q in range(1, 5)),
        *(month(year_number, m) for m in range(1, 13)),
    ]
