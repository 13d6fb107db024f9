"""Checks on an entered value that flag it for review without refusing it.

The rules: docs/engine.md, "Checks on entered values".

Pure Python; no Django import.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

MIN_HISTORY = 3
# A value is far from the unit's history when it lies further from the median of the past
# values than half the median and than four median absolute deviations: a doubling or a
# halving of a steady series is flagged, the normal wobble of a noisy one is not.
RELATIVE_BAND = Decimal("0.5")
MAD_BAND = 4
# ... and by at least this much in the value's own unit: 30 people after 28 is never worth
# a question however steady the series, nor a rate moving by less than 5 points.
MIN_CHANGE = {"integer": Decimal(10), "percent": Decimal(5)}


@dataclass(frozen=True, slots=True)
class Deviation:
    """Why a value is flagged: how far it lies from the median of the unit's past values."""

    value: Decimal
    median: Decimal
    change: Decimal  # value − median
    relative_pct: Decimal | None  # change / |median| × 100; None when the median is 0
    periods: int  # how many past values the median is of

    @property
    def higher(self) -> bool:
        return self.change > 0


def deviation(value: Decimal, history: Sequence[Decimal], *,
              min_change: Decimal = Decimal(0)) -> Deviation | None:
    """The deviation of `value` from the unit's previous values of the same kind when it is
    far outside them, else None.

    Far means all three: further from the median than half the median (relative), than
    four median absolute deviations (the series' own wobble), and than `min_change` (an
    absolute minimum in the value's unit). With fewer than three past values nothing is
    flagged: there is no history to judge by."""
    past = [Decimal(v) for v in history if v is not None]
    if len(past) < MIN_HISTORY:
        return None
    middle = Decimal(median(past))
    spread = Decimal(median([abs(v - middle) for v in past]))
    change = Decimal(value) - middle
    distance = abs(change)
    if distance < min_change or distance <= MAD_BAND * spread:
        return None
    if distance <= RELATIVE_BAND * abs(middle):
        return None
    relative = None if middle == 0 else change / abs(middle) * 100
    return Deviation(Decimal(value), middle, change, relative, len(past))


def far_from_history(value: Decimal, history: Sequence[Decimal]) -> bool:
    """Whether `value` is far outside the unit's previous values of the same kind.

    With fewer than three past values nothing is flagged: there is no history to judge by.
    """
    return deviation(value, history) is not None


def jump_pct(value: Decimal | None, earlier: Decimal | None, *,
             min_change: Decimal = Decimal(0)) -> Decimal | None:
    """The change from `earlier` to `value` in % when it is large enough to question (more
    than half of `earlier` and at least `min_change` in the value's own unit), else None
    (also from 0, where no relative change can be said). For a reviewer comparing a report
    with last period and with last year."""
    if value is None or earlier is None:
        return None
    change = Decimal(value) - Decimal(earlier)
    if abs(change) < min_change or abs(change) <= RELATIVE_BAND * abs(Decimal(earlier)):
        return None
    if earlier == 0:
        return None  # from nothing no relative change can be said
    return change / abs(Decimal(earlier)) * 100
