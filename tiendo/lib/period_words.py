"""A deadline as people write it in a resolution's task table: a date ("30/06/2022",
"2022-06-30"), a period in words ("Quý III/2022", "6 tháng đầu năm 2022", "năm 2022",
"tháng 9/2022", "9 tháng năm 2022"), a period code ("2022Q3"), or "thường xuyên" (an ongoing
duty, no deadline). A period deadline ends on the period's last day. Pure; no Django."""

from __future__ import annotations

import contextlib
import datetime
import re
import unicodedata
from dataclasses import dataclass

from tiendo.lib.periods import (
    Period,
    PeriodError,
    month,
    parse_period,
    quarter,
    semester,
    year,
    year_to_date,
)

ONGOING_WORDS = frozenset({"thường xuyên", "thuong xuyen", "ongoing", "hằng năm", "hàng năm"})
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True, slots=True)
class DeadlineText:
    """What a deadline cell says: a day (its own or a period's last), the period if one was
    written, or neither for an ongoing duty."""

    day: datetime.date | None
    period: Period | None = None

    @property
    def ongoing(self) -> bool:
        return self.day is None


class DeadlineError(ValueError):
    """A deadline or period written in a way this module does not read."""


def parse_day(text: str) -> datetime.date:
    """"30/06/2022", "30-06-2022" or "2022-06-30"; DeadlineError otherwise."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            return datetime.date.fromisoformat(
                "-".join(part.zfill(2) for part in text.split("-")))
        found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if found:
            d, m, y = (int(group) for group in found.groups())
            return datetime.date(y, m, d)
    except ValueError as exc:  # the shape of a date but no such day: 31/02/2024
        raise DeadlineError(f"{text!r} is not a date") from exc
    raise DeadlineError(f"{text!r} is not a date")


def _words(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().lower()
    return re.sub(r"\s+", " ", text.removeprefix("trong ").removeprefix("trước "))


def period_from_words(text: str) -> Period:
    """A period written the way people write it; DeadlineError if it does not parse."""
    words = _words(text)
    with contextlib.suppress(PeriodError):  # a period code such as 2022Q3
        return parse_period(text.strip().upper())
    patterns = (
        (r"quý ([ivx]+|\d)\s*/\s*(\d{4})", "quarter"),
        (r"quý ([ivx]+|\d) năm (\d{4})", "quarter"),
        (r"6 tháng (đầu|cuối) năm (\d{4})", "semester"),
        (r"(\d{1,2}) tháng (?:đầu )?năm (\d{4})", "ytd"),
        (r"tháng (\d{1,2})\s*/\s*(\d{4})", "month"),
        (r"tháng (\d{1,2}) năm (\d{4})", "month"),
        (r"năm (\d{4})", "year"),
    )
    for pattern, kind in patterns:
        found = re.fullmatch(pattern, words)
        if not found:
            continue
        groups = found.groups()
        try:
            if kind == "quarter":
                q = int(groups[0]) if groups[0].isdigit() else _ROMAN.get(groups[0], 0)
                return quarter(int(groups[1]), q)
            if kind == "semester":
                return semester(int(groups[1]), 1 if groups[0] == "đầu" else 2)
            if kind == "ytd":
                return year_to_date(int(groups[1]), int(groups[0]))
            if kind == "month":
                return month(int(groups[1]), int(groups[0]))
            return year(int(groups[0]))
        except (PeriodError, ValueError):
            break
    raise DeadlineError(f"{text!r} is not a period")


def parse_deadline(text: str) -> DeadlineText:
    """A deadline cell: see the module docstring. DeadlineError for anything else."""
    words = _words(text or "")
    if not words:
        raise DeadlineError("the deadline is empty")
    if words in ONGOING_WORDS:
        return DeadlineText(None)
    with contextlib.suppress(DeadlineError):  # a day, else a period in words below
        return DeadlineText(parse_day(words))
    period = period_from_words(text)
    return DeadlineText(period.end, period)
