"""Figures read from the aggregates kept on write (tiendo.data.aggregates), where they give
exactly what the values would (docs/aggregates.md).

For a root unit and a data element, the aggregates answer when, inside the span:

- the root stored no value of the element itself, and the units below that did are all at
  one level (so none of them is inside another: no "nearest reported level" to choose);
- they are all of one period type (no coarsest type to choose);
- they stored the total or parts, not both;
- the element sums or takes the last value over time (an average is per unit); and, for a
  stock or when asked how far the data runs, every unit that ever stored the element at that
  level has a value at the span's latest end (so each unit's last value is the latest one).

Everything else is an exception, returned to be read from the values as before. An element
not added up over units has no figure for a root that stored none itself.
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db import connection

from tiendo.data.aggregates import AggregateReporters, AggregateValue
from tiendo.data.models import DataValue
from tiendo.indicators.models import DataElement
from tiendo.lib.aggregate import TimeAggregation, UnitAggregation
from tiendo.org.models import OrgUnit

MICRO = Decimal("0.000001")

# (element id, part, root id) -> (value, estimate, through, latest)
Figures = dict[tuple[int, str, int], tuple[Decimal, bool, datetime.date | None,
                                         datetime.date | None]]


def _decimal(raw) -> Decimal:
    if isinstance(raw, Decimal):
        return raw
    return Decimal(repr(raw)).quantize(MICRO) if isinstance(raw, float) else Decimal(raw)


def _day(raw) -> datetime.date:
    return raw if isinstance(raw, datetime.date) else datetime.date.fromisoformat(str(raw))


def marks(items) -> str:
    """The %s placeholders of an SQL list of these items."""
    return ", ".join(["%s"] * len(items))


def figures_from_aggregates(
    elements: Sequence[DataElement], span, roots: Sequence[OrgUnit], *, with_parts: bool,
    with_through: bool,
) -> tuple[Figures, dict[int, set[int]]]:
    """The figures the aggregates answer, and root id -> the element ids to read from the
    values instead."""
    by_id = {element.id: element for element in elements}
    rest: dict[int, set[int]] = defaultdict(set)
    with_below = set(OrgUnit.objects.filter(parent__in=[r.id for r in roots]).order_by()
                     .values_list("parent_id", flat=True).distinct())
    for root in roots:
        if root.id not in with_below:  # a unit with nothing below: its own values are all
            rest[root.id] = set(by_id)
    tops = sorted(with_below)
    if not tops:
        return {}, rest
    ids = sorted(by_id)
    value_table = DataValue._meta.db_table
    aggregate_table = AggregateValue._meta.db_table
    with connection.cursor() as cursor:
        # Which roots stored the elements themselves inside the span.
        cursor.execute(
            f"SELECT DISTINCT org_unit_id, data_element_id FROM {value_table}"
            f" WHERE org_unit_id IN ({marks(tops)}) AND data_element_id IN ({marks(ids)})"
            f" AND period_start >= %s AND period_end <= %s",
            [*tops, *ids, span.start, span.end],
        )
        own = set(cursor.fetchall())
        # Per root, element, part, period type and level: the sum over the span, and the sum
        # and count at its latest end (for stocks, and to know every unit reached it).
        if connection.vendor == "postgresql":
            at_last = ("(array_agg(total ORDER BY period_end DESC))[1],"
                       " (array_agg(stored ORDER BY period_end DESC))[1]")
        else:  # a bare column beside the only MAX(): from the row holding the maximum
            at_last = "total, stored"
        cursor.execute(
            f"SELECT org_unit_id, data_element_id, part, period_type, level, SUM(total),"
            f" SUM(estimates), MAX(period_end), {at_last}"
            f" FROM {aggregate_table}"
            f" WHERE org_unit_id IN ({marks(tops)}) AND data_element_id IN ({marks(ids)})"
            f" AND period_start >= %s AND period_end <= %s AND stored > 0"
            f" GROUP BY org_unit_id, data_element_id, part, period_type, level",
            [*tops, *ids, span.start, span.end],
        )
        groups: dict[tuple[int, int], list[tuple]] = defaultdict(list)
        for unit, element, part, period_type, level, total, estimates, end, last, stored \
                in cursor.fetchall():
            groups[(unit, element)].append(
                (part, period_type, level, _decimal(total), estimates, _day(end),
                 _decimal(last), stored))
    need_reporters = {
        key for key, rows in groups.items()
        if with_through or by_id[key[1]].time_aggregation == TimeAggregation.LAST
    }
    reporters = {}
    if need_reporters:
        rows = AggregateReporters.objects.filter(
            org_unit_id__in={unit for unit, _e in need_reporters},
            data_element_id__in={element for _u, element in need_reporters},
        ).values_list("org_unit_id", "data_element_id", "part", "period_type", "level", "units")
        reporters = {tuple(row[:5]): row[5] for row in rows}

    figures: Figures = {}
    for root_id in tops:
        for element_id, element in by_id.items():
            key = (root_id, element_id)
            if key in own:
                rest[root_id].add(element_id)
                continue
            if element.unit_aggregation == UnitAggregation.NONE:
                continue  # only a root's own value counts, and it stored none
            rows = groups.get(key)
            if not rows:
                continue
            answer = _answer(element, rows, root_id, reporters, with_parts, with_through)
            if answer is None:
                rest[root_id].add(element_id)
                continue
            for part, figure in answer.items():
                figures[(element_id, part, root_id)] = figure
    return figures, rest


def _answer(element, rows, root_id, reporters, with_parts, with_through):
    """part -> figure, or None when the aggregates cannot say (an exception)."""
    method = TimeAggregation(element.time_aggregation)
    if method == TimeAggregation.AVERAGE:
        return None
    if len({row[1] for row in rows}) > 1 or len({row[2] for row in rows}) > 1:
        return None  # several period types, or several levels
    parts = {row[0] for row in rows}
    if "" in parts and len(parts) > 1:
        return None  # a total and parts: which units gave which is in the values
    ends = {row[5] for row in rows}
    if with_through and len(ends) > 1:
        return None
    if method == TimeAggregation.LAST or with_through:
        for part, period_type, level, *_sums, stored in rows:
            if reporters.get((root_id, element.id, part, period_type, level)) != stored:
                return None  # some unit's last value is older than the latest end
    estimate = any(row[4] for row in rows)
    end = next(iter(ends))
    through = (end, end) if with_through else (None, None)
    values = {row[0]: (row[6] if method == TimeAggregation.LAST else row[3]) for row in rows}
    result = {}
    if "" in values:
        result[""] = (values[""], estimate, *through)
    else:
        result[""] = (sum(values.values(), Decimal(0)), estimate, *through)
        if with_parts:
            for part, value in values.items():
                result[part] = (value, estimate, *through)
    return result
