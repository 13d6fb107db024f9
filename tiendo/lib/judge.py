"""How a target is judged: achievement % and status for every comparison (DESIGN §6).

Everything is computed with full Decimal precision; rounding happens only for display.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

HUNDRED = Decimal(100)


class Comparison(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    RANGE = "range"
    DECREASE_PCT = "decrease_pct"
    DECREASE_ABS = "decrease_abs"
    INCREASE_PCT = "increase_pct"
    INCREASE_ABS = "increase_abs"

    @property
    def needs_baseline(self) -> bool:
        return self in CHANGE_COMPARISONS


CHANGE_COMPARISONS = frozenset(
    {
        Comparison.DECREASE_PCT,
        Comparison.DECREASE_ABS,
        Comparison.INCREASE_PCT,
        Comparison.INCREASE_ABS,
    }
)


class Status(StrEnum):
    EXCEEDED = "exceeded"
    MET = "met"
    NEAR = "near"
    NOT_MET = "not_met"
    NO_DATA = "no_data"

    @property
    def is_met(self) -> bool:
        """"Đạt" counts met and exceeded."""
        return self in (Status.MET, Status.EXCEEDED)


@dataclass(frozen=True, slots=True)
class TargetSpec:
    comparison: Comparison
    value: Decimal
    value_max: Decimal | None = None

    def __post_init__(self) -> None:
        if self.comparison == Comparison.RANGE and self.value_max is None:
            raise ValueError("a range target needs an upper value")
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError("the upper value is below the lower value")


@dataclass(frozen=True, slots=True)
class Judgement:
    status: Status
    achievement_pct: Decimal | None = None
    # For change targets: the change against the baseline, in the comparison's terms.
    change: Decimal | None = None
    # For at-most targets: how far below the ceiling the actual is (T − A).
    margin: Decimal | None = None


def change_against_baseline(
    comparison: Comparison, actual: Decimal, baseline: Decimal
) -> Decimal | None:
    """A decrease is B − A, an increase A − B; relative ones are a % of B (None when B is 0)."""
    if comparison in (Comparison.DECREASE_ABS, Comparison.DECREASE_PCT):
        change = baseline - actual
    else:
        change = actual - baseline
    if comparison in (Comparison.DECREASE_PCT, Comparison.INCREASE_PCT):
        if baseline == 0:
            return None
        return change / baseline * HUNDRED
    return change


def _ratio_pct(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return numerator / denominator * HUNDRED


def _band_status(value: Decimal, low: Decimal, high: Decimal | None) -> Status:
    """Status of a higher-is-better value against a floor, or a [low, high] band."""
    if value < low:
        return Status.NOT_MET
    if high is None:
        return Status.EXCEEDED if value > low else Status.MET
    return Status.EXCEEDED if value > high else Status.MET


def judge(
    spec: TargetSpec,
    actual: Decimal | None,
    baseline: Decimal | None = None,
    near_pct: Decimal | None = None,
) -> Judgement:
    if actual is None:
        return Judgement(Status.NO_DATA)
    match spec.comparison:
        case Comparison.AT_LEAST:
            judgement = Judgement(
                _band_status(actual, spec.value, None), _ratio_pct(actual, spec.value)
            )
        case Comparison.AT_MOST:
            if actual > spec.value:
                status = Status.NOT_MET
            else:
                status = Status.EXCEEDED if actual < spec.value else Status.MET
            return Judgement(status, margin=spec.value - actual)
        case Comparison.RANGE:
            judgement = Judgement(
                _band_status(actual, spec.value, spec.value_max), _ratio_pct(actual, spec.value)
            )
        case _:
            if baseline is None:
                return Judgement(Status.NO_DATA)
            change = change_against_baseline(spec.comparison, actual, baseline)
            if change is None:
                return Judgement(Status.NO_DATA)
            judgement = Judgement(
                _band_status(change, spec.value, spec.value_max),
                _ratio_pct(change, spec.value),
                change=change,
            )
    if (
        judgement.status == Status.NOT_MET
        and near_pct is not None
        and judgement.achievement_pct is not None
        and judgement.achievement_pct >= near_pct
    ):
        return Judgement(Status.NEAR, judgement.achievement_pct, judgement.change)
    return judgement


@dataclass(frozen=True, slots=True)
class Summary:
    """"x/y chỉ tiêu đạt và vượt": y counts the targets that have data, no-data ones apart."""

    total: int
    met: int
    not_met: int
    near: int
    no_data: int

    @property
    def judged(self) -> int:
        return self.met + self.not_met

    @property
    def met_pct(self) -> Decimal | None:
        return _ratio_pct(Decimal(self.met), Decimal(self.judged)) if self.judged else None


def summarise(statuses: Iterable[Status]) -> Summary:
    counts = {status: 0 for status in Status}
    for status in statuses:
        counts[status] += 1
    return Summary(
        total=sum(counts.values()),
        met=counts[Status.MET] + counts[Status.EXCEEDED],
        not_met=counts[Status.NOT_MET] + counts[Status.NEAR],
        near=counts[Status.NEAR],
        no_data=counts[Status.NO_DATA],
    )
