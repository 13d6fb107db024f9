"""Allocating a target of a unit to the units below it: the check and the proportional split.

The rule behind the check: if every part meets its own target, the whole must meet its
target. How that is ensured depends on what the indicator is.

- Additive (one data element summed over units; a level or an absolute change): the whole
  is the sum of the parts, so the parts' targets must add up to at least the whole's for
  "at least" and absolute increases/decreases, and to at most the whole's for "at most".
  Parts that ask for more than the whole (less, for "at most") are accepted with a warning:
  provinces often assign their districts a margin above their own target.
- Rates (a formula, a ratio, an element not summed over units) and relative changes: the
  whole's figure is a weighted average of the parts' figures, with weights (next year's
  denominators, e.g. the labour force) nobody knows when targets are set. A sum means
  nothing and any weighting by last year's figures is a guess, so the only honest rule is
  that every part gets a target at least as demanding as the whole's. For levels that
  guarantees the whole; for changes of a rate it does while the parts' weights stay as
  they were.

Ranges and targets with an upper value are not allocated here: each part needs its own
pair of values, entered target by target.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from tiendo.lib.judge import Comparison

ALLOCATABLE = frozenset(
    {
        Comparison.AT_LEAST,
        Comparison.AT_MOST,
        Comparison.INCREASE_ABS,
        Comparison.DECREASE_ABS,
        Comparison.INCREASE_PCT,
        Comparison.DECREASE_PCT,
    }
)
SUMMABLE = frozenset(
    {Comparison.AT_LEAST, Comparison.AT_MOST, Comparison.INCREASE_ABS, Comparison.DECREASE_ABS}
)


class Rule(StrEnum):
    SUM = "sum"  # the parts add up to the whole
    EACH = "each"  # every part at least as demanding as the whole


class Finding(StrEnum):
    NOT_ALLOCATABLE = "not_allocatable"  # a range or an upper value
    MISSING_PART = "missing_part"  # a rate needs every part
    SUM_SHORT = "sum_short"  # the parts do not cover the whole
    SUM_OVER = "sum_over"  # the parts ask more than the whole (warning)
    PART_WEAKER = "part_weaker"  # a rate part less demanding than the whole
    NO_PARTS = "no_parts"


@dataclass(frozen=True, slots=True)
class AllocationCheck:
    rule: Rule | None
    total: Decimal | None  # the sum of the parts, when the rule is SUM
    errors: list[tuple[Finding, Hashable | None]] = field(default_factory=list)
    warnings: list[tuple[Finding, Hashable | None]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def allocation_rule(comparison: str, additive: bool, has_upper: bool) -> Rule | None:
    """How parts must cover a whole with this comparison, or None when it cannot be split."""
    comparison = Comparison(comparison)
    if comparison not in ALLOCATABLE or has_upper:
        return None
    return Rule.SUM if additive and comparison in SUMMABLE else Rule.EACH


def _lower_is_stricter(comparison: Comparison) -> bool:
    return comparison == Comparison.AT_MOST


def check_allocation(
    *,
    comparison: str,
    whole: Decimal,
    has_upper: bool,
    additive: bool,
    parts: Mapping[Hashable, Decimal | None],
) -> AllocationCheck:
    """Whether `parts` (every unit below, None where no target is given) cover `whole`."""
    rule = allocation_rule(comparison, additive, has_upper)
    if rule is None:
        return AllocationCheck(None, None, [(Finding.NOT_ALLOCATABLE, None)])
    given = {key: value for key, value in parts.items() if value is not None}
    if not given:
        return AllocationCheck(rule, None, [(Finding.NO_PARTS, None)])
    lower_stricter = _lower_is_stricter(Comparison(comparison))
    errors: list[tuple[Finding, Hashable | None]] = []
    warnings: list[tuple[Finding, Hashable | None]] = []
    if rule == Rule.SUM:
        total = sum(given.values(), Decimal(0))
        short = total > whole if lower_stricter else total < whole
        over = total < whole if lower_stricter else total > whole
        if short:
            errors.append((Finding.SUM_SHORT, None))
        elif over:
            warnings.append((Finding.SUM_OVER, None))
        return AllocationCheck(rule, total, errors, warnings)
    for key, value in parts.items():
        if value is None:
            errors.append((Finding.MISSING_PART, key))
        elif (value > whole) if lower_stricter else (value < whole):
            errors.append((Finding.PART_WEAKER, key))
    return AllocationCheck(rule, None, errors, warnings)


def proportional_split(
    total: Decimal, weights: Mapping[Hashable, Decimal | None], decimals: int
) -> dict[Hashable, Decimal] | None:
    """`total` split in proportion to `weights`, rounded to `decimals` places (or to the
    total's own places if finer) so that the parts add up to exactly the total.

    Largest remainder: every part is rounded down, then the units still missing go to the
    parts that lost most in rounding (ties to the first key). Units without a positive
    weight get zero; None when no unit has one.
    """
    positive = {key: w for key, w in weights.items() if w is not None and w > 0}
    if not positive:
        return None
    # The total's own places count only where they are significant: a target stored as
    # 1000.000000 splits into whole people, not into 288.044807 of them.
    exponent = total.normalize().as_tuple().exponent
    places = max(decimals, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    quantum = Decimal(1).scaleb(-places)
    weight_sum = sum(positive.values(), Decimal(0))
    exact = {key: total * w / weight_sum for key, w in positive.items()}
    floored = {key: value.quantize(quantum, rounding=ROUND_FLOOR) for key, value in exact.items()}
    missing = int((total - sum(floored.values(), Decimal(0))) / quantum)
    order = sorted(positive, key=lambda key: floored[key] - exact[key])
    for key in order[:missing]:
        floored[key] += quantum
    return {key: floored.get(key, Decimal(0).quantize(quantum)) for key in weights}
