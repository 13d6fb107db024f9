"""Checks on an entered value that flag it for review without refusing it.

The rules: docs/engine.md, "Checks on entered values".

Pure Python; no Django import.
"""

from collections.abc import Sequence
from decimal import Decimal
from statistics import median

MIN_HISTORY = 3
# A value is far from the unit's history when it lies further from the median of the past
# values than half the median and than four median absolute deviations: a doubling or a
# halving of a steady series is flagged, the normal wobble of a noisy one is not.
RELATIVE_BAND = Decimal("0.5")
MAD_BAND = 4


def far_from_history(value: Decimal, history: Sequence[Decimal]) -> bool:
    """Whether `value` is far outside the unit's previous values of the same kind.

    With fewer than three past values nothing is flagged: there is no history to judge by.
    """
    past = [Decimal(v) for v in history if v is not None]
    if len(past) < MIN_HISTORY:
        return False
    middle = Decimal(median(past))
    spread = Decimal(median([abs(v - middle) for v in past]))
    distance = abs(Decimal(value) - middle)
    return distance > RELATIVE_BAND * abs(middle) and distance > MAD_BAND * spread
