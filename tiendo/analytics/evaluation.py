"""Judging targets: the one place where actual, baseline, same period last year, forecast,
achievement and status are assembled for any face (CLI, pages, API, reports)."""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from tiendo.analytics.standards import standard_counts_for, standard_figures
from tiendo.analytics.values import (
    ElementFigure,
    Span,
    element_figures,
    element_figures_of_spans,
    indicator_figures_from,
)
from tiendo.indicators.kinds import accumulates, elements_of
from tiendo.indicators.models import Indicator
from tiendo.lib.forecast import forecast_flow
from tiendo.lib.judge import (
    Comparison,
    Pace,
    Status,
    Summary,
    TargetSpec,
    judge_average_growth,
    judge_in_time,
    period_over,
    summarise,
)
from tiendo.lib.periods import Period, PeriodType, parse_period, year
from tiendo.org.models import OrgUnit, OrgUnitSuccessor
from tiendo.org.selectors import orgunit_ancestors
from tiendo.plans.models import Target, TargetSet


# Not frozen, like the other results a page builds by the thousand: a frozen dataclass sets
# each field through object.__setattr__, ~10 times the cost of building this one. Nothing
# changes a result once it is made.
@dataclass(slots=True)
class TargetResult:
    target: Target
    target_period: Period
    # The target period up to the end of the asked period (lũy kế).
    actual_span: Span
    actual: Decimal | None
    estimate: bool
    baseline: Decimal | None
    status: Status
    achievement_pct: Decimal | None
    change: Decimal | None
    margin: Decimal | None
    # The same months a year before (cùng kỳ): those of `compared_span`.
    last_year: Decimal | None
    forecast: Decimal | None = None
    forecast_method: str = ""
    pace: Pace | None = None
    expected_pct: Decimal | None = None
    # False while the target's period is still running (the verdict is provisional).
    period_over: bool = True
    # The last day of the latest value in the figure so far.
    data_through: datetime.date | None = None
    # The months the figure so far covers and last year's are taken over: the actual span,
    # cut at the last month with data while the period runs.
    compared_span: Span | None = None
    # An average-growth target: the years counted and in the period, the first and last
    # year counted, and the growth still needed per remaining year while it runs.
    average_years: tuple[int, int] | None = None
    average_span: tuple[int, int] | None = None
    needed: Decimal | None = None
    # The target's unit ended before the target's period did (a province merged on
    # 30/06/2025): judged on its data to that day.
    unit_ended: datetime.date | None = None
    # With the old map: the successor the ended unit's target was judged on.
    rolled_into: OrgUnit | None = None
    # A count of units reaching a standard: the standard's code (the list is one call away).
    standard_code: str = ""

    @property
    def at_risk(self) -> bool:
        return self.pace == Pace.AT_RISK

    @property
    def in_progress(self) -> bool:
        return self.status == Status.IN_PROGRESS

    @property
    def data_short(self) -> bool:
        """The latest data ends before the asked period does (say which months are in)."""
        return self.compared_span is not None and self.compared_span != self.actual_span

    @property
    def change_vs_last_year(self) -> Decimal | None:
        if self.actual is None or self.last_year is None:
            return None
        return self.actual - self.last_year

    @property
    def change_vs_last_year_pct(self) -> Decimal | None:
        if self.change_vs_last_year is None or not self.last_year:
            return None
        return self.change_vs_last_year / self.last_year * 100


@dataclass(frozen=True, slots=True)
class Evaluation:
    unit: OrgUnit
    period: Period
    results: list[TargetResult]
    summary: Summary

    @property
    def at_risk(self) -> list[TargetResult]:
        return [r for r in self.results if r.at_risk]

    @property
    def data_through(self) -> datetime.date | None:
        return data_through(self.results)


def data_through(results) -> datetime.date | None:
    """The last day with data, when every figure that has data stops before the asked
    period does (the page then says "số liệu đến hết tháng 10/2026"); a figure that stops
    earlier than the others says so in its own row."""
    with_data = [r for r in results if r.data_through is not None]
    if not with_data or not all(r.data_short for r in with_data):
        return None
    return max(r.data_through for r in with_data)


def _default_near_pct() -> Decimal | None:
    return Decimal(settings.TIENDO_NEAR_PCT) if settings.TIENDO_NEAR_PCT else None


def actual_span(target_period: Period, through: Period) -> Span:
    """What of the target period has elapsed by the end of the asked period (lũy kế)."""
    return Span(target_period.start, min(target_period.end, through.end))


def months_in(span: Span) -> int:
    return (span.end.year - span.start.year) * 12 + span.end.month - span.start.month + 1


@dataclass(slots=True)
class _Plan:
    """Targets judged alike, each for its own unit: the same indicator, set, period,
    comparison and baseline for units that last the whole period (the units below a target
    share their parent's), or a single target whose unit ended or was rolled into its
    successor. What depends only on those is worked out once; what differs per unit (its
    figures, the months compared) is kept in lists beside `targets`."""

    indicator_id: int
    target_period: Period
    comparison: Comparison
    over: bool
    accumulates: bool
    # The spans read for every unit of the plan: the figure so far, the baseline, an
    # average growth's years, last year's whole period.
    spans: dict[str, Span]
    near_pct: Decimal | None
    unit_ended: datetime.date | None = None
    rolled_into: OrgUnit | None = None
    years: list[int] | None = None  # an average-growth target's years
    targets: list = field(default_factory=list)
    # The units whose figures are read: the targets', or a successor with the old map.
    units: list[OrgUnit] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # of the targets in the input

    def wanted(self, names: Sequence[str]):
        """(span, unit) for each of the shared spans among `names`, for every unit."""
        for name in names:
            span = self.spans.get(name)
            if span is not None:
                for unit in self.units:
                    yield span, unit


def _read(wanted, indicators, elements, with_predecessors, done: dict | None = None,
          with_through: bool = False):
    """One bulk read per distinct span among the (span, unit) pairs `wanted`, for all their
    units: span -> (indicator id, unit id) -> figure. A span in `done` already read for the
    same units (by an earlier pass) is not read again."""
    by_span: dict[Span, dict[int, OrgUnit]] = defaultdict(dict)
    for span, unit in wanted:
        by_span[span][unit.id] = unit
    read = {}
    todo = []
    for span, units in by_span.items():
        earlier = (done or {}).get(span)
        if earlier is not None and units.keys() <= earlier[0] and (
                earlier[2] or not with_through):
            read[span] = earlier[1]
            continue
        todo.append((span, units))
    # All the spans still to read, in one read of the values.
    all_figures = element_figures_of_spans(
        elements=elements, reads=[(span, list(units.values())) for span, units in todo],
        with_predecessors=with_predecessors, with_through=with_through)
    for (span, units), figures in zip(todo, all_figures, strict=True):
        read[span] = indicator_figures_from(indicators, elements, figures,
                                            list(units.values()))
        if done is not None:
            done[span] = (units.keys(), read[span], with_through)
    return read


@dataclass(frozen=True, slots=True)
class _FirstSpans:
    """What the first pass of `evaluate_targets` reads for one target and unit."""

    spans: dict[str, Span]
    over: bool
    read_unit: OrgUnit
    ended: datetime.date | None
    rolled: OrgUnit | None
    years: list[int] | None


def _first_spans(target, org_unit: OrgUnit, target_period: Period, through: Period,
                 today: datetime.date, successors: dict[int, OrgUnit]) -> _FirstSpans:
    """The spans read first for a target judged for `org_unit` (the figure so far, the
    baseline, an average growth's years), and whether its period is over."""
    comparison = Comparison(target.comparison)
    read_unit, judged_end, ended, rolled = org_unit, target_period.end, None, None
    valid_to = org_unit.valid_to
    if valid_to is not None and valid_to < target_period.end:
        if org_unit.pk in successors:
            # Rolled into the one unit that took it over: the whole period on its data.
            read_unit = rolled = successors[org_unit.pk]
        else:
            judged_end = valid_to
    spans = {"actual": Span(target_period.start,
                            min(actual_span(target_period, through).end, judged_end))}
    if judged_end != target_period.end and spans["actual"].end == judged_end:
        ended = judged_end  # the figure runs to the unit's last day: say so
    if comparison.needs_baseline:
        baseline_period = parse_period(target.baseline_period or target_period.previous().code)
        spans["baseline"] = Span.of(baseline_period)
    years = None
    if comparison == Comparison.AVERAGE_GROWTH:
        years = list(range(target_period.start.year, target_period.end.year + 1))
        for number in years:
            if year(number).end <= spans["actual"].end:
                spans[f"y{number}"] = Span.of(year(number))
    over = period_over(target_end=judged_end, report_end=through.end, today=today)
    if over and target_period.type != PeriodType.MULTI_YEAR:
        # Once the period is over the months compared with last year are the whole actual
        # span (`_compared`): read them with the rest instead of in a second pass.
        spans["last_year"] = spans["actual"].shifted_years(-1)
    return _FirstSpans(spans, over, read_unit, ended, rolled, years)


def _first_names(plans) -> tuple[str, ...]:
    year_names = sorted({name for plan in plans for name in plan.spans if name[0] == "y"})
    return ("actual", "baseline", "last_year", *year_names)


def _first_with_through(plans) -> bool:
    # How far the data runs matters only while a period runs (to cut it there).
    return not all(plan.over for plan in plans)


def read_ahead(
    pairs: Sequence[tuple[Target, OrgUnit]], through: Period, today: datetime.date,
    also: Sequence[tuple[Span, Sequence[OrgUnit]]] = (),
) -> dict:
    """Read, in one statement, what the first pass of `evaluate_targets(through=through,
    today=today)` will read for the targets judged for these units (each pair: a target
    whose period, comparison and baseline count, and the unit it is judged for), and the
    caller's own spans `also` (for all the pairs' indicators). Returns the `read_before`
    to give it: span -> (unit ids, (indicator id, unit id) -> figure, with how far the data
    runs). Not for `with_predecessors`."""
    indicators = list({t.indicator_id: t.indicator for t, _unit in pairs}.values())
    elements = list(elements_of(indicators).values())
    periods: dict[str, Period] = {}
    planned: dict[tuple, _FirstSpans] = {}
    plans = []
    for target, unit in pairs:
        key = (target.period, target.comparison, target.baseline_period, unit.valid_to)
        found = planned.get(key)
        if found is None:
            # The spans depend on the unit only through its end (no successors here).
            if target.period not in periods:
                periods[target.period] = parse_period(target.period)
            found = _first_spans(target, unit, periods[target.period], through, today, {})
            planned[key] = found
        plans.append((found, unit))
    first = [plan for plan, _unit in plans]
    names = _first_names(first)
    with_through = _first_with_through(first) if plans else False
    wanted: dict[Span, tuple[dict[int, OrgUnit], bool]] = {}
    for plan, unit in plans:
        for name in names:
            if name in plan.spans:
                units, _through = wanted.setdefault(plan.spans[name], ({}, with_through))
                units[unit.pk] = unit
    for span, roots in also:
        units, _through = wanted.setdefault(span, ({}, False))
        units.update((root.pk, root) for root in roots)
    todo = list(wanted.items())
    all_figures = element_figures_of_spans(
        elements=elements, reads=[(span, list(units.values())) for span, (units, _t) in todo],
        with_through=[span_through for _span, (_units, span_through) in todo])
    done = {}
    for (span, (units, span_through)), figures in zip(todo, all_figures, strict=True):
        done[span] = (units.keys(), indicator_figures_from(indicators, elements, figures,
                                                           list(units.values())),
                      span_through)
    return done


def evaluate_targets(
    targets: Sequence[Target],
    through: Period,
    near_pct: Decimal | None = None,
    with_predecessors: bool = False,
    today: datetime.date | None = None,
    read_before: dict | None = None,
) -> list[TargetResult]:
    """Judge each target on the data up to the end of `through`, as things stand `today`,
    all in a few bulk reads.

    While a target's period runs (docs/engine.md, "A year in progress") it is judged on
    progress and pace, and compared with the same months a year before: the figure so far
    is read first, to learn the last month with data, then last year's months.

    With `with_predecessors`, data reported under the old map by the units a target's unit
    replaced is rolled into it (Long An's 2024 figures count for today's Tây Ninh).

    `read_before` (span -> (unit ids, (indicator id, unit id) -> figure, with how far the
    data runs)) holds figures the caller already read for the same targets' indicators
    (the dashboard's last-year shares): a span among them is not read again.
    """
    if near_pct is None:
        near_pct = _default_near_pct()
    today = today or timezone.localdate()
    indicators = list({t.indicator_id: t.indicator for t in targets}.values())
    by_code = elements_of(indicators)
    elements = list(by_code.values())
    plans = _plans(targets, through, today, near_pct, by_code,
                   _successors(targets) if with_predecessors else {})

    done: dict = dict(read_before or {}) if not with_predecessors else {}
    names = _first_names(plans)
    first = _read((pair for plan in plans for pair in plan.wanted(names)),
                  indicators, elements, with_predecessors, done,
                  with_through=_first_with_through(plans))
    counted = standard_counts_for(i.pk for i in indicators)
    counts = standard_figures(
        (counted[plan.indicator_id], unit, plan.spans["actual"].start,
         plan.spans["actual"].end)
        for plan in plans if plan.indicator_id in counted for unit in plan.units)

    # The figure so far of each unit, and the months compared with last year: those with
    # data while the period runs.
    actuals = [_actuals(plan, first, counted, counts) for plan in plans]
    year_before: dict[Span, Span] = {}

    def shifted(span: Span) -> Span:
        found = year_before.get(span)
        if found is None:
            found = year_before[span] = span.shifted_years(-1)
        return found

    compared = [_compared(plan, found) for plan, found in zip(plans, actuals, strict=True)]
    wanted = []
    for plan, spans in zip(plans, compared, strict=True):
        if plan.target_period.type != PeriodType.MULTI_YEAR:
            if not plan.over and plan.accumulates:
                plan.spans["last_year_whole"] = shifted(Span.of(plan.target_period))
            whole = plan.spans.get("last_year_whole")
            for unit, (span, _cut) in zip(plan.units, spans, strict=True):
                wanted.append((shifted(span), unit))
                if whole is not None:
                    wanted.append((whole, unit))
        wanted.extend((span, unit) for unit, (span, cut) in zip(plan.units, spans, strict=True)
                      if cut)
    second = _read(wanted, indicators, elements, with_predecessors, done,
                   with_through=any(cut for spans in compared for _span, cut in spans))

    results: list[TargetResult | None] = [None] * len(targets)
    for plan, found, spans in zip(plans, actuals, compared, strict=True):
        _judge(plan, found, spans, first, second, shifted, counted, results)
    return results


def _plans(targets: Sequence[Target], through: Period, today: datetime.date,
           near_pct: Decimal | None, by_code, successors: dict[int, OrgUnit]) -> list[_Plan]:
    """The targets gathered into plans (`_Plan`), in the order of their first target."""
    plans: dict[tuple, _Plan] = {}
    periods: dict[str, Period] = {}
    flows: dict[int, bool] = {}
    nears: dict[int, Decimal | None] = {}
    for position, target in enumerate(targets):
        target_period = periods.get(target.period)
        if target_period is None:
            target_period = periods[target.period] = parse_period(target.period)
        unit = target.org_unit
        lasts = unit.valid_to is None or unit.valid_to >= target_period.end
        # A unit that lasts the whole period reads the same spans as any other.
        key = (target.indicator_id, target.target_set_id, target.period, target.comparison,
               target.baseline_period) if lasts else (position,)
        plan = plans.get(key)
        if plan is None:
            first_spans = _first_spans(target, unit, target_period, through, today, successors)
            if target.indicator_id not in flows:
                flows[target.indicator_id] = accumulates(target.indicator, by_code)
            if target.target_set_id not in nears:
                nears[target.target_set_id] = _near(target.target_set, near_pct)
            plan = plans[key] = _Plan(
                target.indicator_id, target_period, Comparison(target.comparison),
                first_spans.over, flows[target.indicator_id], dict(first_spans.spans),
                nears[target.target_set_id], first_spans.ended, first_spans.rolled,
                first_spans.years)
            read_unit = first_spans.read_unit
        else:
            read_unit = unit
        plan.targets.append(target)
        plan.units.append(read_unit)
        plan.positions.append(position)
    return list(plans.values())


def _actuals(plan: _Plan, first: dict, counted: dict, counts: dict) -> list:
    """The figure so far of each unit of the plan (a count of units reaching a standard is
    counted, not read)."""
    span = plan.spans["actual"]
    if plan.indicator_id in counted:
        return [ElementFigure(Decimal(counts[(plan.indicator_id, unit.id, span.start,
                                              span.end)])) for unit in plan.units]
    found = first[span]
    return [found.get((plan.indicator_id, unit.id)) for unit in plan.units]


def _compared(plan: _Plan, actuals: list) -> list[tuple[Span, bool]]:
    """Per unit: the months its figure so far is compared with last year over, and whether
    the figure is to be cut there. While the period runs and the data stops before the
    actual span does, those are the months with data; a month only some units have sent is
    left out of the figure so far too."""
    span = plan.spans["actual"]
    if plan.over:
        return [(span, False)] * len(actuals)
    spans = []
    for found in actuals:
        if found and found.through and found.through < span.end:
            spans.append((Span(span.start, found.through),
                          bool(found.latest and found.latest > found.through)))
        else:
            spans.append((span, False))
    return spans


def _judge(plan: _Plan, actuals: list, compared: list[tuple[Span, bool]], first: dict,
           second: dict, shifted, counted: dict, results: list) -> None:
    """Judge every target of the plan on its unit's figures, into `results` (by position).
    A single target is a plan of one: there is no other path."""
    key_of = plan.indicator_id
    spans = plan.spans
    baselines = first[spans["baseline"]] if "baseline" in spans else None
    whole_read = second[spans["last_year_whole"]] if "last_year_whole" in spans else None
    multi_year = plan.target_period.type == PeriodType.MULTI_YEAR
    months_total = months_in(Span.of(plan.target_period))
    year_reads = None if plan.years is None else [
        (number, first[spans[f"y{number}"]]) for number in plan.years
        if f"y{number}" in spans]
    count = counted.get(plan.indicator_id)
    standard_code = count.standard.code if count is not None else ""
    actual_span = spans["actual"]
    spec = None
    for target, unit, position, actual_fig, (span, cut) in zip(
            plan.targets, plan.units, plan.positions, actuals, compared, strict=True):
        key = (key_of, unit.id)
        if cut and count is None:
            actual_fig = second[span].get(key)
        actual = actual_fig.value if actual_fig else None
        baseline_fig = baselines.get(key) if baselines is not None else None
        baseline = baseline_fig.value if baseline_fig else None
        last_year_fig = None if multi_year else second[shifted(span)].get(key)
        last_year = last_year_fig.value if last_year_fig else None
        # The units below judged by their parent's rate share its very values.
        if spec is None or spec.value is not target.value or (
                spec.value_max is not target.value_max):
            spec = TargetSpec(plan.comparison, target.value, target.value_max)
        outlook = None
        if not plan.over and plan.accumulates and actual is not None:
            whole_fig = whole_read.get(key) if whole_read is not None else None
            outlook = forecast_flow(
                to_date=actual, months_elapsed=months_in(span), months_total=months_total,
                last_year_to_date=last_year,
                last_year_total=whole_fig.value if whole_fig else None,
            )
        verdict = judge_in_time(
            spec, actual, baseline, over=plan.over, accumulates=plan.accumulates,
            forecast=outlook.value if outlook else None,
            expected_share=outlook.share if outlook else None,
            near_pct=plan.near_pct,
        )
        average = found_years = None
        if year_reads is not None:
            found_years = [(number, read.get(key)) for number, read in year_reads]
            found_years = [(n, fig) for n, fig in found_years if fig and fig.value is not None]
            average = judge_average_growth(
                spec, [fig.value for _n, fig in found_years], years_total=len(plan.years),
                over=plan.over, near_pct=plan.near_pct)
            verdict = average.verdict
            actual = average.average
            actual_fig = ElementFigure(actual, any(fig.estimate for _n, fig in found_years))
        results[position] = TargetResult(
            target=target, target_period=plan.target_period, actual_span=actual_span,
            actual=actual, estimate=bool(actual_fig and actual_fig.estimate),
            baseline=baseline, status=verdict.status, achievement_pct=verdict.achievement_pct,
            change=verdict.change, margin=verdict.margin, last_year=last_year,
            forecast=outlook.value if outlook else None,
            forecast_method=outlook.method.value if outlook else "",
            pace=verdict.pace, expected_pct=verdict.expected_pct, period_over=plan.over,
            data_through=actual_fig.through if actual_fig else None,
            compared_span=span,
            average_years=(average.years_counted, average.years_total) if average else None,
            average_span=(found_years[0][0], found_years[-1][0])
            if average and found_years else None,
            needed=average.needed if average else None,
            unit_ended=plan.unit_ended, rolled_into=plan.rolled_into,
            standard_code=standard_code,
        )


def _successors(targets: Sequence[Target]) -> dict[int, OrgUnit]:
    """unit id -> the one unit that took the whole of it over, for the targets' units that
    ended (a unit split among several is judged on its own data to its last day)."""
    ended = {t.org_unit_id for t in targets if t.org_unit.valid_to is not None}
    links: dict[int, list[OrgUnitSuccessor]] = defaultdict(list)
    for link in OrgUnitSuccessor.objects.filter(predecessor__in=ended).select_related(
            "successor"):
        links[link.predecessor_id].append(link)
    return {unit_id: found[0].successor for unit_id, found in links.items()
            if len(found) == 1 and found[0].share == 1}


def _near(target_set: TargetSet, default: Decimal | None) -> Decimal | None:
    return target_set.near_pct if target_set.near_pct is not None else default


def targets_for(
    *, unit: OrgUnit, period: Period, target_set: TargetSet | None = None
) -> list[Target]:
    """The targets of a unit whose period contains the asked period."""
    rows = Target.objects.filter(org_unit=unit).select_related("indicator", "target_set")
    if target_set is not None:
        rows = rows.filter(target_set=target_set)
    found = [t for t in rows.order_by("target_set__name", "id")
             if parse_period(t.period).contains(period)]
    for target in found:
        target.org_unit = unit  # the unit asked for: no join, no instance per target
    return found


def targets_applying(
    *, unit: OrgUnit, period: Period, target_set: TargetSet | None
) -> tuple[list[Target], OrgUnit]:
    """The targets that apply to a unit: its own; when it has none in the set, those of the
    nearest unit above that has (the unit the targets belong to is returned beside them)."""
    targets = targets_for(unit=unit, period=period, target_set=target_set)
    if targets or target_set is None:
        return targets, unit
    for ancestor in reversed(list(orgunit_ancestors(unit))):
        found = targets_for(unit=ancestor, period=period, target_set=target_set)
        if found:
            return found, ancestor
    return [], unit


def targets_evaluate(
    *, unit: OrgUnit, period: Period, target_set: TargetSet | None = None,
    near_pct: Decimal | None = None, with_predecessors: bool = False,
    today: datetime.date | None = None,
) -> Evaluation:
    results = evaluate_targets(
        targets_for(unit=unit, period=period, target_set=target_set), period, near_pct,
        with_predecessors, today,
    )
    return Evaluation(unit, period, results, summarise(results))


def indicators_table(
    *, indicators: Sequence[Indicator], units: Sequence[OrgUnit], period: Period
) -> dict[tuple[int, int], ElementFigure]:
    """Every indicator for every unit over one period, in one bulk read."""
    elements = list(elements_of(indicators).values())
    figures = element_figures(elements=elements, span=Span.of(period), roots=units)
    return indicator_figures_from(indicators, elements, figures, units)
