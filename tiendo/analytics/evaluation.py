"""Judging targets: the one place where actual, baseline, same period last year, forecast,
achievement and status are assembled for any face (CLI, pages, API, reports)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from tiendo.analytics.values import ElementFigure, Span, element_figures, indicator_figures_from
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.forecast import forecast_flow
from tiendo.lib.formulas import parse_formula
from tiendo.lib.judge import Comparison, Status, Summary, TargetSpec, judge, summarise
from tiendo.lib.periods import Period, PeriodType, parse_period
from tiendo.org.models import OrgUnit
from tiendo.plans.models import Target, TargetSet


@dataclass(frozen=True, slots=True)
class TargetResult:
    target: Target
    target_period: Period
    actual_span: Span
    actual: Decimal | None
    estimate: bool
    baseline: Decimal | None
    status: Status
    achievement_pct: Decimal | None
    change: Decimal | None
    margin: Decimal | None
    last_year: Decimal | None
    forecast: Decimal | None = None
    forecast_method: str = ""
    at_risk: bool = False

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


def _default_near_pct() -> Decimal | None:
    return Decimal(settings.TIENDO_NEAR_PCT) if settings.TIENDO_NEAR_PCT else None


def actual_span(target_period: Period, through: Period) -> Span:
    """What of the target period has elapsed by the end of the asked period (lũy kế)."""
    return Span(target_period.start, min(target_period.end, through.end))


def _months_between(span: Span) -> int:
    return (span.end.year - span.start.year) * 12 + span.end.month - span.start.month + 1


def evaluate_targets(
    targets: Sequence[Target],
    through: Period,
    near_pct: Decimal | None = None,
    with_predecessors: bool = False,
) -> list[TargetResult]:
    """Judge each target on the data up to the end of `through`, all in a few bulk reads.

    With `with_predecessors`, data reported under the old map by the units a target's unit
    replaced is rolled into it (Long An's 2024 figures count for today's Tây Ninh).
    """
    if near_pct is None:
        near_pct = _default_near_pct()
    indicators = {t.indicator_id: t.indicator for t in targets}
    codes = {c for ind in indicators.values() for c in parse_formula(ind.formula).elements}
    elements = list(DataElement.objects.filter(code__in=codes))

    # Which spans each target needs, then one bulk read per span for all its units.
    plans = []
    wanted: dict[Span, dict[int, OrgUnit]] = defaultdict(dict)
    for target in targets:
        target_period = parse_period(target.period)
        span = actual_span(target_period, through)
        spec = TargetSpec(Comparison(target.comparison), target.value, target.value_max)
        spans = {"actual": span}
        if spec.comparison.needs_baseline:
            baseline_period = parse_period(target.baseline_period or target_period.previous().code)
            spans["baseline"] = Span.of(baseline_period)
        if target_period.type != PeriodType.MULTI_YEAR:
            spans["last_year"] = span.shifted_years(-1)
            if span.end < target_period.end:
                spans["last_year_whole"] = Span.of(target_period).shifted_years(-1)
        for s in spans.values():
            wanted[s][target.org_unit_id] = target.org_unit
        plans.append((target, target_period, spec, spans))

    by_span: dict[Span, dict[tuple[int, str, int], ElementFigure]] = {}
    indicator_by_span: dict[Span, dict[tuple[int, int], ElementFigure]] = {}
    for s, units in wanted.items():
        roots = list(units.values())
        by_span[s] = element_figures(
            elements=elements, span=s, roots=roots, with_predecessors=with_predecessors
        )
        indicator_by_span[s] = indicator_figures_from(
            indicators.values(), elements, by_span[s], roots
        )
    id_of = {e.code: e for e in elements}

    results = []
    for target, target_period, spec, spans in plans:
        key = (target.indicator_id, target.org_unit_id)

        def figure(name: str, key=key, spans=spans) -> ElementFigure | None:
            return indicator_by_span[spans[name]].get(key) if name in spans else None

        actual_fig = figure("actual")
        actual = actual_fig.value if actual_fig else None
        baseline_fig = figure("baseline")
        baseline = baseline_fig.value if baseline_fig else None
        last_year_fig = figure("last_year")
        judgement = judge(spec, actual, baseline, _near(target.target_set, near_pct))
        forecast = forecast_method = None
        at_risk = False
        if "last_year_whole" in spans and actual is not None:
            forecast, forecast_method = _forecast(
                target, spans, by_span, id_of, _months_between(spans["actual"]),
                _months_between(Span.of(target_period)),
            )
            if forecast is not None:
                outlook = judge(spec, forecast, baseline)
                at_risk = not outlook.status.is_met
        results.append(
            TargetResult(
                target=target, target_period=target_period, actual_span=spans["actual"],
                actual=actual, estimate=bool(actual_fig and actual_fig.estimate),
                baseline=baseline, status=judgement.status,
                achievement_pct=judgement.achievement_pct, change=judgement.change,
                margin=judgement.margin,
                last_year=last_year_fig.value if last_year_fig else None,
                forecast=forecast, forecast_method=forecast_method or "", at_risk=at_risk,
            )
        )
    return results


def _near(target_set: TargetSet, default: Decimal | None) -> Decimal | None:
    return target_set.near_pct if target_set.near_pct is not None else default


def _forecast(target, spans, by_span, id_of, months_elapsed, months_total):
    """Forecast a flow indicator element by element, then apply its formula."""
    formula = parse_formula(target.indicator.formula)
    inputs, methods = {}, set()
    for code in formula.elements:
        element = id_of.get(code)
        if element is None or element.time_aggregation != "sum":
            return None, None  # stocks and averages are not scaled up
        def value(name, element=element):
            fig = by_span[spans[name]].get((element.id, "", target.org_unit_id))
            return fig.value if fig else None
        to_date = value("actual")
        if to_date is None:
            return None, None
        result = forecast_flow(
            to_date=to_date, months_elapsed=months_elapsed, months_total=months_total,
            last_year_to_date=value("last_year"), last_year_total=value("last_year_whole"),
        )
        inputs[code] = result.value
        methods.add(result.method.value)
    method = methods.pop() if len(methods) == 1 else "linear"
    return formula.evaluate(inputs), method


def targets_for(
    *, unit: OrgUnit, period: Period, target_set: TargetSet | None = None
) -> list[Target]:
    """The targets of a unit whose period contains the asked period."""
    rows = Target.objects.filter(org_unit=unit).select_related(
        "indicator", "target_set", "org_unit"
    )
    if target_set is not None:
        rows = rows.filter(target_set=target_set)
    return [t for t in rows.order_by("target_set__name", "id")
            if parse_period(t.period).contains(period)]


def targets_evaluate(
    *, unit: OrgUnit, period: Period, target_set: TargetSet | None = None,
    near_pct: Decimal | None = None, with_predecessors: bool = False,
) -> Evaluation:
    results = evaluate_targets(
        targets_for(unit=unit, period=period, target_set=target_set), period, near_pct,
        with_predecessors,
    )
    return Evaluation(unit, period, results, summarise(r.status for r in results))


def indicators_table(
    *, indicators: Sequence[Indicator], units: Sequence[OrgUnit], period: Period
) -> dict[tuple[int, int], ElementFigure]:
    """Every indicator for every unit over one period, in one bulk read."""
    codes = {c for ind in indicators for c in parse_formula(ind.formula).elements}
    elements = list(DataElement.objects.filter(code__in=codes))
    figures = element_figures(elements=elements, span=Span.of(period), roots=units)
    return indicator_figures_from(indicators, elements, figures, units)
