"""How a target is judged: achievement % and status for every comparison, and where the
target's period stands (final, or still running with a pace). The rules: docs/engine.md.

Everything is computed with full Decimal precision; rounding happens only for display.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
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
    # Average annual growth over a multi-year period, compound (see `compound_average`).
    AVERAGE_GROWTH = "average_growth"

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
    # The target's period is still running (đang thực hiện): progress so far, with a pace.
    IN_PROGRESS = "in_progress"

    @property
    def is_met(self) -> bool:
        """"Đạt" counts met and exceeded."""
        return self in (Status.MET, Status.EXCEEDED)


class Pace(StrEnum):
    """How a running target is doing, from the forecast for its whole period."""

    ON_TRACK = "on_track"  # đúng tiến độ
    AT_RISK = "at_risk"  # có nguy cơ không đạt


# A flow only grows through its period, so once one of these is reached it stays reached.
EARLY_FINAL = frozenset({Comparison.AT_LEAST, Comparison.INCREASE_ABS, Comparison.INCREASE_PCT})


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


# Judgement and Verdict are not frozen: a page judges thousands of targets, and a frozen
# dataclass sets each field through object.__setattr__, several times the cost.
@dataclass(slots=True)
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
        case Comparison.RANGE | Comparison.AVERAGE_GROWTH:
            # An average growth arrives already averaged (`compound_average`).
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


def period_over(*, target_end: datetime.date, report_end: datetime.date,
                today: datetime.date) -> bool:
    """A target's period is over when both the report's period and today have reached its
    last day; before that its verdict is provisional."""
    return report_end >= target_end and today >= target_end


@dataclass(slots=True)  # not frozen: see Judgement
class Verdict:
    """A target judged where its period stands: final, or running with progress and pace."""

    status: Status
    achievement_pct: Decimal | None = None
    change: Decimal | None = None
    margin: Decimal | None = None
    pace: Pace | None = None
    # Running flows: the share of the whole-period target expected by now, × 100.
    expected_pct: Decimal | None = None

    @property
    def final(self) -> bool:
        return self.status != Status.IN_PROGRESS


def judge_in_time(
    spec: TargetSpec,
    actual: Decimal | None,
    baseline: Decimal | None = None,
    *,
    over: bool,
    accumulates: bool = False,
    forecast: Decimal | None = None,
    expected_share: Decimal | None = None,
    near_pct: Decimal | None = None,
) -> Verdict:
    """The verdict of a target given whether its period is over.

    Over: `judge` as it is. Running: `in_progress`, achievement as progress so far, and for a
    flow (`accumulates`, with its `forecast` for the whole period) a pace; a flow that has
    already reached a higher-is-better target is met early. Stocks, rates and ceilings are
    never final before the period ends.
    """
    judgement = judge(spec, actual, baseline, near_pct if over else None)
    if over or judgement.status == Status.NO_DATA:
        return Verdict(judgement.status, judgement.achievement_pct, judgement.change,
                       judgement.margin)
    pace = expected_pct = None
    if accumulates and forecast is not None:
        pace = Pace.ON_TRACK if judge(spec, forecast, baseline).status.is_met else Pace.AT_RISK
        expected_pct = None if expected_share is None else expected_share * HUNDRED
    status = Status.IN_PROGRESS
    if accumulates and spec.comparison in EARLY_FINAL and judgement.status.is_met:
        status, pace = judgement.status, Pace.ON_TRACK
    return Verdict(status, judgement.achievement_pct, judgement.change, judgement.margin,
                   pace, expected_pct)


@dataclass(frozen=True, slots=True)
class Summary:
    """"x/y chỉ tiêu đạt và vượt": y counts the targets that have data (met, not met and
    still running), no-data ones apart. Running targets are split by their pace."""

    total: int
    met: int
    not_met: int
    near: int
    no_data: int
    in_progress: int = 0
    on_track: int = 0  # running and on track (met early ones count in `met`)
    at_risk: int = 0  # running and at risk

    @property
    def judged(self) -> int:
        return self.met + self.not_met + self.in_progress

    @property
    def without_pace(self) -> int:
        """Running targets with no forecast to judge the pace by (stocks, rates)."""
        return self.in_progress - self.on_track - self.at_risk

    @property
    def met_pct(self) -> Decimal | None:
        return _ratio_pct(Decimal(self.met), Decimal(self.judged)) if self.judged else None


def summarise(verdicts: Iterable[Status | Verdict]) -> Summary:
    """Counts of statuses, or of verdicts (which carry the pace of running targets)."""
    counts = {status: 0 for status in Status}
    paces = {pace: 0 for pace in Pace}
    for item in verdicts:
        status = item if isinstance(item, Status) else item.status
        counts[status] += 1
        pace = None if isinstance(item, Status) else item.pace
        if status == Status.IN_PROGRESS and pace is not None:
            paces[pace] += 1
    return Summary(
        total=sum(counts.values()),
        met=counts[Status.MET] + counts[Status.EXCEEDED],
        not_met=counts[Status.NOT_MET] + counts[Status.NEAR],
        near=counts[Status.NEAR],
        no_data=counts[Status.NO_DATA],
        in_progress=counts[Status.IN_PROGRESS],
        on_track=paces[Pace.ON_TRACK],
        at_risk=paces[Pace.AT_RISK],
    )


# -- Average annual growth over a term ("bình quân 9,2–10%/năm giai đoạn 2021–2025") ------

# Roots are taken with this many digits and rounded to ROOT_PLACES decimals, so growth of
# exactly 9,2% a year comes back as exactly 9,2 (not 9,1999…) and meets "at least 9,2".
_ROOT_DIGITS = 50
_ROOT_PLACES = Decimal("1e-18")


def _root(value: Decimal, n: int) -> Decimal:
    with localcontext() as context:
        context.prec = _ROOT_DIGITS
        root = value ** (Decimal(1) / Decimal(n))
    return root.quantize(_ROOT_PLACES)


def _growth_factor(growths: Sequence[Decimal]) -> Decimal:
    with localcontext() as context:
        context.prec = _ROOT_DIGITS
        factor = Decimal(1)
        for growth in growths:
            factor *= 1 + growth / HUNDRED
    return factor


def compound_average(growths: Sequence[Decimal]) -> Decimal | None:
    """The average annual growth (%) of yearly growth rates (%): the geometric mean of the
    factors (1 + g/100), less one, × 100. 5% then 10% averages 7,4709…%, not 7,5%."""
    if not growths:
        return None
    factor = _growth_factor(growths)
    if factor <= 0:
        return None
    return (_root(factor, len(growths)) - 1) * HUNDRED


def rate_still_needed(growths: Sequence[Decimal], target: Decimal, years: int) -> Decimal | None:
    """The growth (%) needed in each remaining year for the average over `years` years to
    reach `target` (%), given the growth of the years so far ("cần bình quân x%/năm trong các
    năm còn lại"); None when no year remains."""
    remaining = years - len(growths)
    if remaining <= 0:
        return None
    so_far = _growth_factor(growths)
    if so_far <= 0:
        return None
    with localcontext() as context:
        context.prec = _ROOT_DIGITS
        needed = (1 + target / HUNDRED) ** years / so_far
    return (_root(needed, remaining) - 1) * HUNDRED


@dataclass(frozen=True, slots=True)
class AverageVerdict:
    """An average-growth target judged on the years so far."""

    verdict: "Verdict"
    average: Decimal | None  # compound average of the years counted
    years_counted: int
    years_total: int
    needed: Decimal | None  # per remaining year, to reach the lower value; None when over


def judge_average_growth(
    spec: TargetSpec, growths: Sequence[Decimal], *, years_total: int, over: bool,
    near_pct: Decimal | None = None,
) -> AverageVerdict:
    """Over (or every year in): the compound average judged like a range or a floor. Running:
    `in_progress` with the average so far as progress, on track when it already reaches the
    lower value, and the rate still needed per remaining year."""
    average = compound_average(growths)
    counted = len(growths)
    if over or counted >= years_total or average is None:
        judgement = judge(spec, average, near_pct=near_pct)
        verdict = Verdict(judgement.status, judgement.achievement_pct)
        return AverageVerdict(verdict, average, counted, years_total, None)
    judgement = judge(spec, average)
    pace = Pace.ON_TRACK if judgement.status.is_met else Pace.AT_RISK
    verdict = Verdict(Status.IN_PROGRESS, judgement.achievement_pct, pace=pace)
    return AverageVerdict(verdict, average, counted, years_total,
                          rate_still_needed(growths, spec.value, years_total))
