"""One indicator's targets from every body's set, side by side, with the one result
("Tỉnh ủy 8–8,5% · HĐND 8% · UBND 8,0–8,5% → ước 8,3%"), and the summary of each set on
its own. Every verdict comes from `evaluate_targets`; this only gathers the sets."""

import datetime
from dataclasses import dataclass

from tiendo.analytics.evaluation import (
    TargetResult,
    evaluate_targets,
    targets_for,
)
from tiendo.analytics.standards import standard_counts_for, units_reaching
from tiendo.indicators.models import Indicator
from tiendo.lib.judge import Summary, summarise
from tiendo.lib.periods import Period
from tiendo.org.models import OrgUnit
from tiendo.plans.models import TargetSet


@dataclass(frozen=True, slots=True)
class SetSummary:
    target_set: TargetSet
    summary: Summary


@dataclass(frozen=True, slots=True)
class SideBySide:
    unit: OrgUnit
    period: Period
    indicator: Indicator | None
    indicators: list[Indicator]  # every indicator with a target here, for the picker
    results: list[TargetResult]  # the chosen indicator's target in each set
    sets: list[SetSummary]  # every set with a target on the unit for the period
    # A count of units reaching a standard: which units it counts.
    reaching: list = ()

    @property
    def result(self) -> TargetResult | None:
        """The one result the sets are judged on: the figure of the asked period."""
        return next((r for r in self.results if r.actual is not None),
                    self.results[0] if self.results else None)


def body_label(target_set: TargetSet) -> str:
    """Who set the target: the issuing body of its document, else the set's name."""
    document = target_set.document
    return document.issuer if document is not None and document.issuer else target_set.name


def _issued(target_set: TargetSet) -> datetime.date:
    document = target_set.document
    return document.date if document is not None and document.date else datetime.date.max


def side_by_side(
    *, unit: OrgUnit, period: Period, indicator_code: str | None = None,
    today: datetime.date | None = None,
) -> SideBySide:
    # The sets for this very period (a term's targets are compared when the term is asked).
    targets = [t for t in targets_for(unit=unit, period=period) if t.period == period.code]
    sets: dict[int, TargetSet] = {}
    counts: dict[int, int] = {}
    for target in targets:
        sets.setdefault(target.target_set_id, target.target_set)
        counts[target.indicator_id] = counts.get(target.indicator_id, 0) + 1
    indicators = sorted({t.indicator_id: t.indicator for t in targets}.values(),
                        key=lambda i: (-counts[i.pk], i.code))
    indicator = next((i for i in indicators if i.code == indicator_code),
                     indicators[0] if indicators else None)
    # In the order the documents were issued: the Party Committee's resolution, then the
    # People's Council's, then the People's Committee's plan.
    chosen = sorted(
        (t for t in targets if indicator is not None and t.indicator_id == indicator.pk),
        key=lambda t: (_issued(t.target_set), t.target_set.name))
    results = evaluate_targets(chosen, period, today=today)
    summaries = [
        SetSummary(target_set, summarise(evaluate_targets(
            [t for t in targets if t.target_set_id == target_set.pk], period, today=today)))
        for target_set in sorted(sets.values(), key=lambda s: (_issued(s), s.name))
    ]
    reaching = []
    counted = standard_counts_for([indicator.pk]) if indicator is not None else {}
    if indicator is not None and indicator.pk in counted and results:
        span = results[0].actual_span
        reaching = units_reaching(count=counted[indicator.pk], unit=unit, start=span.start,
                                  end=span.end)
    return SideBySide(unit, period, indicator, indicators, results, summaries, reaching)


def side_by_side_text(view: SideBySide, lang: str) -> str:
    """"Tỉnh ủy Long An: từ 8,00 đến 8,50 · HĐND tỉnh Long An: 8,50 · … → 8,30 (ước)"."""
    from tiendo.analytics.present import present

    parts = [f"{body_label(r.target.target_set)}: {present(r, lang).target_text}"
             for r in view.results]
    if not parts:
        return ""
    result = view.result
    actual = present(result, lang).actual_text if result and result.actual is not None else "—"
    return " · ".join(parts) + " → " + actual
