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

from tiendo.data.aggregates import (
    AggregateOwnYear,
    AggregateReporters,
    AggregateValue,
    AggregateYear,
    whole_years,
)
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


def among(column: str, items: Sequence) -> tuple[str, list]:
    """SQL and parameters for "`column` is one of these": one array parameter on
    PostgreSQL (a short statement, quick to send and parse), a list of marks on SQLite."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(items)]
    return f"{column} IN ({marks(items)})", list(items)


def units_with_below(unit_ids) -> set[int]:
    """The ones among these units that have units below them."""
    ids = sorted(set(unit_ids))
    if not ids:
        return set()
    parents, params = among("parent_id", ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT parent_id FROM {OrgUnit._meta.db_table}"
                       f" WHERE {parents}", params)
        return {row[0] for row in cursor.fetchall()}


def _span_kind(span) -> str:
    """"year" for one calendar year, "years" for several whole ones, "" otherwise."""
    if not whole_years(span.start, span.end):
        return ""
    return "year" if span.start.year == span.end.year else "years"


def figures_from_aggregates(
    elements: Sequence[DataElement], span, roots: Sequence[OrgUnit], *, with_parts: bool,
    with_through: bool, with_below: set[int] | None = None,
) -> tuple[Figures, dict[int, set[int]]]:
    """The figures the aggregates answer, and root id -> the element ids to read from the
    values instead. `with_below`: the roots that have units below them, when known."""
    return figures_from_aggregates_of_spans(elements, [(span, roots, with_through)],
                                            with_parts=with_parts, with_below=with_below)[0]


def figures_from_aggregates_of_spans(
    elements: Sequence[DataElement], reads: Sequence[tuple[object, Sequence[OrgUnit], bool]],
    *, with_parts: bool, with_below: set[int] | None = None,
) -> list[tuple[Figures, dict[int, set[int]]]]:
    """`figures_from_aggregates` for several (span, roots, with_through) at once, in the
    same order, read in one statement."""
    by_id = {element.id: element for element in elements}
    if with_below is None:
        with_below = units_with_below(root.id for _span, roots, _t in reads for root in roots)
    ids = sorted(by_id)
    rests: list[dict[int, set[int]]] = []
    tops_of: list[list[int]] = []
    statements: list[tuple[str, list]] = []
    for index, (span, roots, _through) in enumerate(reads):
        rest: dict[int, set[int]] = defaultdict(set)
        for root in roots:
            if root.id not in with_below:  # a unit with nothing below: its own values are all
                rest[root.id] = set(by_id)
        tops = sorted({root.id for root in roots} & with_below)
        rests.append(rest)
        tops_of.append(tops)
        if tops:
            statements.append(_statement(index, span, tops, ids))
    own: list[set[tuple[int, int]]] = [set() for _read in reads]
    grouped: list[dict[tuple[int, int], list[tuple]]] = [defaultdict(list) for _read in reads]
    with connection.cursor() as cursor:
        for chunk in union_chunks(statements):
            cursor.execute(" UNION ALL ".join(sql for sql, _params in chunk),
                           [param for _sql, params in chunk for param in params])
            for tag, unit, element, part, period_type, level, total, estimates, end, last, \
                    stored, units in cursor.fetchall():
                index, mine = divmod(tag, 2)
                if mine:
                    own[index].add((unit, element))
                    continue
                grouped[index][(unit, element)].append(
                    (part, period_type, level, _decimal(total), estimates, _day(end),
                     _decimal(last), stored, units))
    return [_figures(by_id, tops, own[index], grouped[index], rests[index], with_parts,
                     through)
            for index, ((_span, _roots, through), tops) in enumerate(zip(reads, tops_of,
                                                                          strict=True))]


def union_chunks(statements: list[tuple[str, list]]):
    """(SQL, parameters) pieces of a `UNION ALL`, in groups that each stay within SQLite's
    limits (32,766 parameters; 500 compound terms, a piece having one or two)."""
    chunk: list[tuple[str, list]] = []
    count = 0
    for statement in statements:
        if chunk and (count + len(statement[1]) > 30_000 or len(chunk) == 200):
            yield chunk
            chunk, count = [], 0
        chunk.append(statement)
        count += len(statement[1])
    if chunk:
        yield chunk


def _statement(index: int, span, tops: list[int], ids: list[int]) -> tuple[str, list]:
    """The SQL of one span's read: its groups tagged 2 × `index`, and which roots stored
    the elements themselves inside the span tagged 2 × `index` + 1."""
    units, unit_params = among("org_unit_id", tops)
    wanted, element_params = among("data_element_id", ids)
    where = f" WHERE {units} AND {wanted} AND period_start >= %s AND period_end <= %s"
    params = [*unit_params, *element_params, span.start, span.end]
    kind = _span_kind(span)
    named = ("org_unit_id AS unit, data_element_id AS element, part, period_type AS ptype,"
             " level AS lvl")
    if kind == "year":
        # One calendar year: one yearly row per group, with its latest end and what is there.
        groups = (f"SELECT {named}, total, estimates, last_end, last_total, last_stored"
                  f" FROM {AggregateYear._meta.db_table}{where} AND stored > 0")
    else:
        # Per root, element, part, period type and level: the sum over the span, and the
        # sum and count at its latest end (for stocks, and to know every unit reached it).
        table, end, total, stored = (
            (AggregateYear._meta.db_table, "last_end", "last_total", "last_stored")
            if kind else (AggregateValue._meta.db_table, "period_end", "total", "stored"))
        if connection.vendor == "postgresql":
            at_last = (f"(array_agg({total} ORDER BY {end} DESC))[1],"
                       f" (array_agg({stored} ORDER BY {end} DESC))[1]")
        else:  # a bare column beside the only MAX(): from the row holding the maximum
            at_last = f"{total}, {stored}"
        groups = (f"SELECT {named}, SUM(total) AS total, SUM(estimates) AS estimates,"
                  f" MAX({end}) AS last_end, {at_last} FROM {table}{where} AND stored > 0"
                  f" GROUP BY org_unit_id, data_element_id, part, period_type, level")
    # Beside them, how many units at that level ever stored the group (stocks, and how
    # far the data runs), and which roots stored the elements themselves inside the span.
    own_table, own_only = ((AggregateOwnYear._meta.db_table, " AND stored > 0") if kind
                           else (DataValue._meta.db_table, ""))
    reporters = AggregateReporters._meta.db_table
    statement = (
        f"SELECT {2 * index}, g.*, r.units FROM ({groups}) g LEFT JOIN {reporters} r"
        f" ON r.org_unit_id = g.unit AND r.data_element_id = g.element AND r.part = g.part"
        f" AND r.period_type = g.ptype AND r.level = g.lvl"
        f" UNION ALL SELECT {2 * index + 1}, o.*, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        f" NULL, NULL FROM (SELECT DISTINCT org_unit_id, data_element_id"
        f" FROM {own_table}{where}{own_only}) o")
    return statement, params * 2


def _figures(by_id, tops: list[int], own: set, grouped: dict, rest: dict[int, set[int]],
             with_parts: bool, with_through: bool) -> tuple[Figures, dict[int, set[int]]]:
    """One span's figures from its rows, and what is left for the values (into `rest`)."""
    figures: Figures = {}
    for element_id, element in by_id.items():
        if element.unit_aggregation == UnitAggregation.NONE:
            # Only a root's own value counts: there where it stored one, else no figure.
            for root_id in tops:
                if (root_id, element_id) in own:
                    rest[root_id].add(element_id)
            continue
        method = TimeAggregation(element.time_aggregation)
        for root_id in tops:
            key = (root_id, element_id)
            if key in own:
                rest[root_id].add(element_id)
                continue
            rows = grouped.get(key)
            if not rows:
                continue
            answer = _answer(method, rows, with_parts, with_through)
            if answer is None:
                rest[root_id].add(element_id)
                continue
            for part, figure in answer.items():
                figures[(element_id, part, root_id)] = figure
    return figures, rest


def _answer(method: TimeAggregation, rows, with_parts: bool, with_through: bool):
    """part -> figure, or None when the aggregates cannot say (an exception). Each row:
    (part, period type, level, Σ, estimates, latest end, Σ and count there, reporters)."""
    if method == TimeAggregation.AVERAGE:
        return None
    first = rows[0]
    if len(rows) > 1:
        period_type, level, end = first[1], first[2], first[5]
        for row in rows:
            if row[1] != period_type or row[2] != level:
                return None  # several period types, or several levels
            if with_through and row[5] != end:
                return None
        # One period type and level: a row per part.
        if any(row[0] == "" for row in rows):
            return None  # a total and parts: which units gave which is in the values
    last = method == TimeAggregation.LAST
    if last or with_through:
        for row in rows:
            if row[8] != row[7]:
                return None  # some unit's last value is older than the latest end
    estimate = any(row[4] for row in rows)
    end = first[5]
    through = (end, end) if with_through else (None, None)
    if len(rows) == 1 and first[0] == "":
        return {"": (first[6] if last else first[3], estimate, *through)}
    values = {row[0]: (row[6] if last else row[3]) for row in rows}
    result = {"": (sum(values.values(), Decimal(0)), estimate, *through)}
    if with_parts:
        for part, value in values.items():
            result[part] = (value, estimate, *through)
    return result
