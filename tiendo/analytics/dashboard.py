"""What the dashboard shows, assembled from the engine: the unit's targets judged, a trend of
each one over the past years, and the same targets for every unit below, lagging first.

Rule for the units below (docs/engine.md, "Lagging units"): a unit with a target of its own
for the indicator and period (from an allocation) is judged against it; an amount that adds
up over units (1.000 workers abroad) against its pace, its share of last year's total times
the parent's target; a rate or anything else that does not add up against the parent's
target (a province's 75% trained-labour rate applies to each commune). An amount with no
last year to share by is shown with its figure but no judgement. The dashboard, the API and
the report all rank the units with `dashboard_build`.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from tiendo.analytics.completeness import (
    Completeness,
    Coverage,
    completeness_for,
    coverage_for,
)
from tiendo.analytics.evaluation import (
    TargetResult,
    data_through,
    evaluate_targets,
    read_ahead,
    targets_applying,
)
from tiendo.analytics.values import (
    Span,
    element_figures,
    element_figures_of_spans,
    indicator_figures_from,
)
from tiendo.indicators.kinds import elements_of, is_additive
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.judge import Status, Summary, summarise
from tiendo.lib.periods import Period, PeriodType, parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_children
from tiendo.plans.models import Target, TargetSet

TREND_YEARS = 5


@dataclass(slots=True)
class UnitTarget:
    """A target carried over to a unit below (never stored): what `evaluate_targets` reads
    of a Target, without the cost of building hundreds of model instances per page (not
    frozen for the same reason as `TargetResult`)."""

    target_set: TargetSet
    indicator: Indicator
    org_unit: OrgUnit
    period: str
    comparison: str
    value: Decimal
    value_max: Decimal | None
    baseline_period: str
    # The ids, as a Target has them (read thousands of times per page: kept, not looked up).
    indicator_id: int = field(init=False)
    org_unit_id: int = field(init=False)
    target_set_id: int = field(init=False)

    def __post_init__(self) -> None:
        self.indicator_id = self.indicator.id
        self.org_unit_id = self.org_unit.id
        self.target_set_id = self.target_set.id


@dataclass(frozen=True, slots=True)
class TrendPoint:
    year: int
    value: Decimal | None


class Basis:
    """What a unit below is judged against."""

    OWN = "own"  # its own target (allocated)
    INHERITED = "inherited"  # the parent's target applies as it is (a rate)
    PACE = "pace"  # its share of last year's total × the parent's target (an amount)
    NONE = "none"  # an amount with nothing to share the parent's target by: not judged


HUNDRED = Decimal(100)


def pace_index(result: TargetResult) -> Decimal | None:
    """How far along a target is against where it should be by now, in % (100 = on
    schedule): achievement over expected progress while the period runs, achievement alone
    when it is over or no forecast applies. A ceiling (no ratio) counts 100 when met."""
    if result.achievement_pct is None:
        if result.status.is_met:
            return HUNDRED
        return Decimal(0) if result.status == Status.NOT_MET or result.at_risk else None
    if result.in_progress and result.expected_pct:
        return result.achievement_pct * HUNDRED / result.expected_pct
    return result.achievement_pct


@dataclass(slots=True)  # not frozen: see TargetResult
class ChildResult:
    unit: OrgUnit
    result: TargetResult
    basis: str  # a Basis value

    @property
    def judged(self) -> bool:
        return self.basis != Basis.NONE

    @property
    def status(self) -> Status | None:
        return self.result.status if self.judged else None

    @property
    def pace_index(self) -> Decimal | None:
        return pace_index(self.result) if self.judged else None

    @property
    def lag_key(self) -> tuple:
        """Lagging first on one target: the lowest pace index, units without one last."""
        index = self.pace_index
        return (index is None, index if index is not None else 0, self.unit.name)


@dataclass(slots=True)  # not frozen: see TargetResult
class ChildRow:
    unit: OrgUnit
    cells: list[ChildResult]  # in the order of the parent's targets
    summary: Summary  # over the judged cells only

    @property
    def doing_well_pct(self) -> Decimal | None:
        """Share of judged targets met or, still running, on track."""
        if not self.summary.judged:
            return None
        return Decimal(self.summary.met + self.summary.on_track) * HUNDRED / self.summary.judged

    @property
    def mean_pace_index(self) -> Decimal | None:
        known = [c.pace_index for c in self.cells if c.pace_index is not None]
        return sum(known) / len(known) if known else None

    @property
    def behind(self) -> bool:
        """A unit the report names as lagging: a target missed, or at risk."""
        return self.summary.not_met + self.summary.at_risk > 0

    @property
    def lag_key(self) -> tuple:
        """Lagging first: the smallest share of targets met or on track, then the lowest
        mean pace index, then by name; units with nothing judged last."""
        share, index = self.doing_well_pct, self.mean_pace_index
        return (share is None, share or 0, index is None, index or 0, self.unit.name)


@dataclass(frozen=True, slots=True)
class Dashboard:
    unit: OrgUnit
    period: Period
    cells: list[ChildResult]  # the unit's targets; basis "own" unless inherited
    summary: Summary  # over the judged cells
    # The unit whose targets these are when the unit has none of its own in the set.
    inherited_from: OrgUnit | None
    trends: list[list[TrendPoint]]  # one per cell, oldest year first
    children: list[ChildRow]  # lagging first
    # Who has sent the reports behind these figures, per reporting schedule.
    completeness: list[Completeness] = field(default_factory=list)
    # How many of the units a pack's figures rest on (a poverty review's communes).
    coverage: list[Coverage] = field(default_factory=list)

    @property
    def at_risk(self) -> list[ChildResult]:
        return [c for c in self.cells if c.judged and c.result.at_risk]

    @property
    def without_data(self) -> list[ChildResult]:
        return [c for c in self.cells if c.judged and c.result.status == Status.NO_DATA]

    @property
    def data_through(self) -> datetime.date | None:
        return data_through(c.result for c in self.cells)

    def lagging(self, index: int) -> list[ChildResult]:
        """The units below on the `index`-th target, lagging first (the chart's order)."""
        return sorted((row.cells[index] for row in self.children), key=lambda c: c.lag_key)


def indicator_trend(
    *, indicators: Sequence[Indicator], unit: OrgUnit, span: Span, years: int = TREND_YEARS
) -> dict[int, list[TrendPoint]]:
    """indicator id -> the indicator over the same span in each of the last `years` years."""
    elements = list(elements_of(indicators).values())
    trend: dict[int, list[TrendPoint]] = defaultdict(list)
    spans = [span.shifted_years(-back) for back in range(years - 1, -1, -1)]
    # All the years in one read of the values.
    all_figures = element_figures_of_spans(elements=elements,
                                           reads=[(shifted, [unit]) for shifted in spans])
    for shifted, figures in zip(spans, all_figures, strict=True):
        values = indicator_figures_from(indicators, elements, figures, [unit])
        for indicator in indicators:
            figure = values.get((indicator.id, unit.id))
            trend[indicator.id].append(
                TrendPoint(shifted.end.year, figure.value if figure else None)
            )
    return trend


# Comparisons whose value is an amount of the indicator, which a unit's share scales.
SCALED = frozenset({"at_least", "at_most", "range", "decrease_abs", "increase_abs"})


def _share_reads(
    targets: Sequence[Target], units: Sequence[OrgUnit], by_code: dict[str, DataElement],
) -> list[tuple[str, list[Target], Span, list[OrgUnit]]]:
    """Per target period whose units below are judged by their share of it: its targets,
    the span the shares are taken over (the whole period a year before) and the units read
    for it (the units below and the targets' own)."""
    by_period: dict[str, list[Target]] = defaultdict(list)
    for target in targets:
        if (target.comparison in SCALED and is_additive(target.indicator, by_code)
                and parse_period(target.period).type != PeriodType.MULTI_YEAR):
            by_period[target.period].append(target)
    return [(code, group, Span.of(parse_period(code)).shifted_years(-1),
             list({u.pk: u for u in [*units, *(t.org_unit for t in group)]}.values()))
            for code, group in by_period.items()]


def _last_year_shares(
    targets: Sequence[Target], units: Sequence[OrgUnit], by_code: dict[str, DataElement],
    read: dict | None = None,
) -> dict[tuple[int, str], dict[int, Decimal]]:
    """(indicator id, period) -> unit id -> the unit's share of the target's unit in the
    whole of the target period a year before, for additive amounts: one read per period.

    `read` (span -> (unit ids, figures of all the targets' indicators, with how far the
    data runs), as `read_ahead` gives it) holds spans read already; the others are read
    here and put into it: the same span a year before is the evaluation's last year and
    baseline, which need not read it again."""
    shares: dict[tuple[int, str], dict[int, Decimal]] = {}
    elements = list(by_code.values())
    indicators = list({t.indicator_id: t.indicator for t in targets}.values())
    for code, group, span, roots in _share_reads(targets, units, by_code):
        earlier = (read or {}).get(span)
        if earlier is not None and {root.id for root in roots} <= earlier[0]:
            figures = earlier[1]
        else:
            figures = indicator_figures_from(
                indicators, elements,
                element_figures(elements=elements, span=span, roots=roots), roots)
            if read is not None:
                read[span] = ({root.id for root in roots}, figures, False)
        for target in group:
            indicator_id = target.indicator_id
            whole = figures.get((indicator_id, target.org_unit_id))
            if whole is None or not whole.value:
                continue
            whole_value = whole.value
            of_units = shares.setdefault((indicator_id, code), {})
            for unit in units:
                part = figures.get((indicator_id, unit.id))
                if part is not None and part.value is not None:
                    of_units[unit.id] = part.value / whole_value
    return shares


def _own_targets(
    targets: Sequence[Target], children: Sequence[OrgUnit],
) -> dict[tuple[int, int, str], Target]:
    """(unit id, indicator id, period) -> the children's own targets for the same indicators
    and periods (allocations)."""
    own: dict[tuple[int, int, str], Target] = {}
    if not children or not targets:
        return own
    rows = Target.objects.filter(
        org_unit__in=children,
        indicator__in={t.indicator_id for t in targets},
        period__in={t.period for t in targets},
    ).select_related("indicator", "target_set", "org_unit")
    set_ids = {t.target_set_id for t in targets}
    # The parent's own set wins over other sets that allocate the same indicator.
    for row in sorted(rows, key=lambda r: (r.target_set_id not in set_ids, r.id)):
        own.setdefault((row.org_unit_id, row.indicator_id, row.period), row)
    return own


def _child_targets(
    targets: Sequence[Target], children: Sequence[OrgUnit], by_code: dict[str, DataElement],
    read: dict | None = None, own: dict[tuple[int, int, str], Target] | None = None,
) -> list[tuple[Target | UnitTarget, str]]:
    """For every child × parent target (child by child, in the order of the targets): the
    target to judge it by, and on what basis. Worked out a parent target at a time, for all
    the children."""
    if own is None:
        own = _own_targets(targets, children)
    shares = _last_year_shares(targets, children, by_code, read)
    columns = []
    for target in targets:
        target_set, indicator, period = target.target_set, target.indicator, target.period
        comparison, baseline = target.comparison, target.baseline_period
        value, value_max = target.value, target.value_max
        # Whether a unit's share scales the target, and the shares it is scaled by.
        by_share = is_additive(indicator, by_code) and comparison in SCALED
        share_of = shares.get((target.indicator_id, period), {}) if by_share else None
        column = []
        for child in children:
            found = own.get((child.id, target.indicator_id, period)) if own else None
            if found is not None:
                column.append((found, Basis.OWN))
            elif share_of is None:
                column.append((UnitTarget(target_set, indicator, child, period, comparison,
                                          value, value_max, baseline), Basis.INHERITED))
            else:
                share = share_of.get(child.id)
                if share is None:
                    column.append((UnitTarget(target_set, indicator, child, period, comparison,
                                              value, value_max, baseline), Basis.NONE))
                else:
                    column.append((UnitTarget(
                        target_set, indicator, child, period, comparison, value * share,
                        None if value_max is None else value_max * share, baseline),
                        Basis.PACE))
        columns.append(column)
    return [pair for row in zip(*columns, strict=True) for pair in row] if columns else []


def dashboard_build(
    *, unit: OrgUnit, period: Period, target_set: TargetSet | None = None,
    with_children: bool = True, with_trend: bool = True, now: datetime.datetime | None = None,
) -> Dashboard:
    """Everything the dashboard page shows for a unit, a period and a target set.

    The unit and the units below it are judged in one `evaluate_targets` call, so each span
    (to date, same period last year, baseline…) is read once for all of them; the spans it
    reads first and last year's whole period (for the units' shares) are read beforehand
    in one statement (`read_ahead`).
    """
    targets, source = targets_applying(unit=unit, period=period, target_set=target_set)
    by_code = elements_of([t.indicator for t in targets])
    own = [(t, Basis.OWN) for t in targets] if source == unit else _child_targets(
        targets, [unit], by_code)
    children = list(orgunit_children(unit, on=period.end)) if with_children and targets else []
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    allocated = _own_targets(targets, children)
    # Each child is judged by its own target or by the parent's with its unit: the same
    # period, comparison and baseline, so the same spans whatever the share.
    read = read_ahead(
        [(t, t.org_unit) for t, _basis in own]
        + [(allocated.get((child.id, t.indicator_id, t.period), t), child)
           for child in children for t in targets],
        period, today, also=[(span, roots) for _code, _group, span, roots
                              in _share_reads(targets, children, by_code)])
    below = _child_targets(targets, children, by_code, read, allocated)
    results = evaluate_targets([t for t, _basis in own + below], period, today=today,
                               read_before=read)
    cells = [ChildResult(unit, r, basis) for r, (_t, basis) in zip(results, own, strict=False)]
    summary = summarise(c.result for c in cells if c.judged)

    rows: list[ChildRow] = []
    per_child = len(targets)
    for index, child in enumerate(children):
        first = len(own) + index * per_child
        row_cells = [ChildResult(child, results[first + i], below[first - len(own) + i][1])
                     for i in range(per_child)]
        rows.append(ChildRow(child, row_cells, summarise(
            c.result for c in row_cells if c.judged)))
    rows.sort(key=lambda row: row.lag_key)
    trends = _trends(unit, cells) if with_trend else [[] for _cell in cells]
    return Dashboard(
        unit=unit, period=period, cells=cells, summary=summary,
        inherited_from=None if source == unit else source, trends=trends, children=rows,
        completeness=completeness_for(unit=unit, period=period, element_codes=list(by_code),
                                      now=now) if targets else [],
        coverage=coverage_for(unit=unit, period=period, element_codes=by_code)
        if targets else [],
    )


def _trends(unit: OrgUnit, cells: list[ChildResult]) -> list[list[TrendPoint]]:
    """Each cell's indicator over the same span in the last five years. The latest two years
    are the judged figure and its same period last year; only the older ones are read."""
    # (last span to read, how many years back from it) -> indicators
    by_span: dict[tuple[Span, int], dict[int, Indicator]] = defaultdict(dict)
    plan = []
    for cell in cells:
        result = cell.result
        indicator = result.target.indicator
        # The same months as the figure and its comparison with last year.
        span = result.compared_span or result.actual_span
        if result.target_period.type == PeriodType.MULTI_YEAR:
            # A term has no "same period last year": read all five spans.
            key, recent = (span, TREND_YEARS), []
        else:
            key = (span.shifted_years(-2), TREND_YEARS - 2)
            recent = [TrendPoint(span.end.year - 1, result.last_year),
                      TrendPoint(span.end.year, result.actual)]
        by_span[key][indicator.id] = indicator
        plan.append((key, indicator.id, recent))
    series = {
        key: indicator_trend(indicators=list(indicators.values()), unit=unit, span=key[0],
                             years=key[1])
        for key, indicators in by_span.items()
    }
    return [series[key][indicator_id] + recent for key, indicator_id, recent in plan]
