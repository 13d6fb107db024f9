"""Bulk reads of data values, aggregated by the engine's rules (tiendo.lib.aggregate).

One SQL query per span groups the stored values by element, part, unit and period type; a
second one finds the last value of stocks. The rest (which period type wins, nearest
reported level, parts into totals, formulas) is done by the pure functions of tiendo.lib,
so the numbers here are the numbers everywhere.
"""

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction

from tiendo.analytics.aggregated import (
    among,
    figures_from_aggregates_of_spans,
    marks,
    union_chunks,
    units_with_below,
)
from tiendo.data.aggregates import AggregateOwnYear, whole_years
from tiendo.data.models import DataValue
from tiendo.indicators.models import DataElement, Indicator
from tiendo.lib.aggregate import (
    PeriodTypeGroup,
    TimeAggregation,
    UnitAggregation,
    over_time,
    over_units,
    parts_total,
)
from tiendo.lib.formulas import parse_formula
from tiendo.lib.periods import rank_of
from tiendo.org.models import OrgUnit, OrgUnitSuccessor

MICRO = Decimal("0.000001")


@dataclass(frozen=True, slots=True)
class Span:
    """A closed date range; any Period is one too (it has start and end)."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def of(cls, period) -> "Span":
        return cls(period.start, period.end)

    def shifted_years(self, years: int) -> "Span":
        return Span(_shift_date(self.start, years), _shift_date(self.end, years))


def _shift_date(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _decimal(raw) -> Decimal:
    # SQLite sums DECIMAL columns as floats; values carry at most 6 decimals, so rounding to
    # 6 places gives the exact sum back. PostgreSQL already returns Decimal.
    if isinstance(raw, Decimal):
        return raw
    return Decimal(repr(raw)).quantize(MICRO) if isinstance(raw, float) else Decimal(raw)


@dataclass(frozen=True, slots=True)
class ElementFigure:
    value: Decimal | None
    estimate: bool = False
    # The last day most of its units have data to ("số liệu đến hết tháng 10"): the latest
    # end reached by at least half of the units with values in it, so a few communes' early
    # November does not pass for the province's November.
    through: datetime.date | None = None
    # The last day of the latest value read into it, whoever sent it.
    latest: datetime.date | None = None


NO_FIGURE = ElementFigure(None)


def _latest(*days: datetime.date | None) -> datetime.date | None:
    known = [day for day in days if day is not None]
    return max(known) if known else None


def _most_reached(days: Sequence[datetime.date]) -> datetime.date | None:
    """The latest day that at least half of `days` are on or after."""
    if not days:
        return None
    return sorted(days, reverse=True)[(len(days) - 1) // 2]


def _unit_filter(roots: Sequence[OrgUnit]) -> tuple[str, list[str]]:
    """SQL selecting the ids of the roots and their descendants, as path ranges.

    A range ("/1/5/" <= path < "/1/50") uses the path index on both databases, where LIKE
    does not on SQLite, and lets the planner start from the units' values instead of
    scanning the whole country's rows for the span.
    """
    paths = sorted({root.path for root in roots})
    # Drop roots inside other roots: their rows are fetched with the ancestor's.
    kept: list[str] = []
    for path in paths:
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    unit_table = OrgUnit._meta.db_table
    ranges = " OR ".join(["(path >= %s AND path < %s)"] * len(kept))
    params = [bound for path in kept for bound in (path, path[:-1] + "0")]
    return f"SELECT id FROM {unit_table} WHERE {ranges}", params


def _unit_paths(units_sql: str, unit_params: list) -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(units_sql.replace("SELECT id ", "SELECT id, path ", 1), unit_params)
        return dict(cursor.fetchall())


def _work_mem(cursor, *, parallel: bool = True) -> None:
    """A group query over a province's or the country's values sorts or hashes a few
    hundred thousand rows: give that one statement room (PostgreSQL; SET LOCAL ends with
    the transaction it is run in). Without `parallel`, no parallel workers: for a read of
    yearly rows, a few thousand per span, starting them costs more than the scan (with ten
    years stored the planner's estimate grows and it chose two workers: 23 ms against
    8 ms)."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL work_mem = '64MB'")
        if not parallel:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")


# (element id, part, unit path) -> one group per period type stored inside a span
Groups = dict[tuple[int, str, str], list[PeriodTypeGroup]]


@dataclass(frozen=True, slots=True)
class Read:
    """One span to read for some units and elements (a branch of `_fetch_rows`)."""

    span: Span
    roots: Sequence[OrgUnit]
    elements: Sequence[DataElement]
    # The roots have no units below them: their own values are their figures, read by
    # unit id and turned into figures without the rules of units below (`_leaf_figures`).
    leaves: bool = False


def _fetch_rows(reads: Sequence[Read], own_years: bool = False) -> list[list[tuple]]:
    """For each read, its groups: a row (read, element id, part, unit id, period type, Σ,
    count, latest end, estimates, value at the latest end) per element, part, unit and
    period type stored inside its span.

    One statement for all the reads (a UNION ALL branch per read, each grouped by unit id,
    not the text path; more only past SQLite's limits, `union_chunks`), that also gives
    each stock group its value at the latest end: PostgreSQL takes it with an ordered
    array_agg, SQLite with a bare column beside the branch's only MAX() (documented SQLite
    behaviour: the bare column comes from the row holding the maximum). With `own_years`,
    a span of whole calendar years is read from the units' yearly sums of their own values
    (`AggregateOwnYear`: the same groups from a row per year instead of a value per month;
    for one year, the rows themselves)."""
    value_table = DataValue._meta.db_table
    year_table = AggregateOwnYear._meta.db_table
    branches: list[tuple[str, list]] = []
    all_yearly = True
    for index, read in enumerate(reads):
        if read.leaves:
            unit_ids = sorted({root.id for root in read.roots})
            units_sql, unit_params = among("v.org_unit_id", unit_ids)
        else:
            units_sql, unit_params = _unit_filter(read.roots)
            units_sql = f"v.org_unit_id IN ({units_sql})"
        element_ids = [element.id for element in read.elements]
        stock_ids = sorted(e.id for e in read.elements
                           if e.time_aggregation == TimeAggregation.LAST)
        stock_params: list = []
        yearly = own_years and whole_years(read.span.start, read.span.end)
        one_year = yearly and read.span.start.year == read.span.end.year
        all_yearly = all_yearly and yearly
        value, end = ("v.last_total", "v.last_end") if yearly else ("v.value", "v.period_end")
        if one_year:
            last_sql = value  # a row per group
        elif not stock_ids:
            # Typed: PostgreSQL resolves a UNION's branches pair by pair, and two untyped
            # NULLs first would make the column text against a later branch's numeric.
            last_sql = "CAST(NULL AS NUMERIC)"
        elif connection.vendor == "postgresql":
            last_sql = (f"(array_agg({value} ORDER BY {end} DESC) "
                        f"FILTER (WHERE v.data_element_id IN ({marks(stock_ids)})))[1]")
            stock_params = stock_ids
        else:
            last_sql = value
        grouped = " GROUP BY v.data_element_id, v.part, v.org_unit_id, v.period_type"
        if one_year:
            sums, source, grouped = ("v.total, v.stored, v.last_end, v.estimates",
                                     f"{year_table} v WHERE v.stored > 0 AND", "")
        elif yearly:
            sums = "SUM(v.total), SUM(v.stored), MAX(v.last_end), SUM(v.estimates)"
            source = f"{year_table} v WHERE v.stored > 0 AND"
        else:
            sums = ("SUM(v.value), COUNT(*), MAX(v.period_end),"
                    " SUM(CASE WHEN v.estimate THEN 1 ELSE 0 END)")
            source = f"{value_table} v WHERE"
        branches.append((
            f"SELECT {index}, v.data_element_id, v.part, v.org_unit_id, v.period_type,"
            f" {sums}, {last_sql}"
            f" FROM {source} {units_sql}"
            f" AND v.data_element_id IN ({marks(element_ids)})"
            f" AND v.period_start >= %s AND v.period_end <= %s{grouped}",
            [*stock_params, *unit_params, *element_ids, read.span.start, read.span.end]))
    found: list[list[tuple]] = [[] for _read in reads]
    if not reads:
        return found
    with transaction.atomic(), connection.cursor() as cursor:
        _work_mem(cursor, parallel=not all_yearly)
        # SQLite wants no parentheses around the branches of a compound SELECT.
        for chunk in union_chunks(branches):
            cursor.execute(" UNION ALL ".join(sql for sql, _params in chunk),
                           [param for _sql, params in chunk for param in params])
            for row in cursor.fetchall():
                found[row[0]].append(row)
    return found


def _groups_of_rows(reads: Sequence[Read], rows_of_reads: Sequence[list[tuple]],
                    ) -> list[tuple[Groups, set[tuple[int, str, str]]]]:
    """For each read (of roots with units below): (element id, part, unit path) -> one
    group per period type stored inside its span (each with its latest end), and the keys
    that include an estimate."""
    found: list[tuple[Groups, set]] = [(defaultdict(list), set()) for _read in reads]
    if not any(rows_of_reads):
        return found
    paths: dict[int, str] = {}
    for units_sql, unit_params in dict.fromkeys(
            (sql, tuple(unit_params)) for sql, unit_params in
            (_unit_filter(read.roots) for read, rows in zip(reads, rows_of_reads, strict=True)
             if rows)):
        paths.update(_unit_paths(units_sql, list(unit_params)))
    stocks = {e.id for read in reads for e in read.elements
              if e.time_aggregation == TimeAggregation.LAST}
    ranks: dict[str, int] = {}
    for (groups, estimates), rows in zip(found, rows_of_reads, strict=True):
        for _index, element_id, part, unit_id, period_type, total, count, last_end, \
                estimate, last in rows:
            key = (element_id, part, paths[unit_id])
            total = _decimal(total)
            rank = ranks.get(period_type)
            if rank is None:
                rank = ranks[period_type] = rank_of(period_type)
            groups[key].append(
                PeriodTypeGroup(
                    rank=rank,
                    total=total,
                    count=count,
                    last_end=last_end,
                    # Only stocks use it.
                    last_value=_decimal(last) if element_id in stocks else total,
                )
            )
            if estimate:
                estimates.add(key)
    return found


def _fetch_groups(reads: Sequence[Read], own_years: bool = False,
                  ) -> list[tuple[Groups, set[tuple[int, str, str]]]]:
    """`_groups_of_rows` of the reads' rows, read in one statement (`_fetch_rows`)."""
    return _groups_of_rows(reads, _fetch_rows(reads, own_years))


def element_figures(
    *,
    elements: Iterable[DataElement],
    span: Span,
    roots: Sequence[OrgUnit],
    with_parts: bool = False,
    with_predecessors: bool = False,
    with_through: bool = False,
) -> dict[tuple[int, str, int], ElementFigure]:
    """(element id, part, root unit id) -> the figure of each element over the span.

    Part '' is the total: the unit's own total where it stored one, else the sum of its
    parts. With `with_parts`, every part is given as well. With `with_predecessors`, what
    the units replaced in a reorganisation reported is rolled into their successors. With
    `with_through`, each figure says how far in time its data runs (`through`, `latest`).
    """
    return element_figures_of_spans(elements=elements, reads=[(span, roots)],
                                    with_parts=with_parts, with_predecessors=with_predecessors,
                                    with_through=with_through)[0]


def element_figures_of_spans(
    *,
    elements: Iterable[DataElement],
    reads: Sequence[tuple[Span, Sequence[OrgUnit]]],
    with_parts: bool = False,
    with_predecessors: bool = False,
    with_through: bool | Sequence[bool] = False,
) -> list[dict[tuple[int, str, int], ElementFigure]]:
    """`element_figures` for several (span, roots) at once, in the same order: the values
    for all of them are read in one statement. `with_through` may be given per read."""
    elements = list(elements)
    if not elements:
        return [{} for _read in reads]
    throughs = _per_read(with_through, len(reads))
    if with_predecessors:
        return [_with_predecessors(elements, span, roots, through) if roots else {}
                for (span, roots), through in zip(reads, throughs, strict=True)]
    if not settings.TIENDO_AGGREGATES:
        return direct_element_figures_of_spans(
            reads=[Read(span, roots, elements) for span, roots in reads],
            with_parts=with_parts, with_through=throughs)
    # The aggregates kept on write first; what they cannot answer from the values.
    with_below = units_with_below(root.id for _span, roots in reads for root in roots)
    answered = figures_from_aggregates_of_spans(
        elements, [(span, roots, through)
                   for (span, roots), through in zip(reads, throughs, strict=True)],
        with_parts=with_parts, with_below=with_below)
    results = [{key: ElementFigure(*figure) for key, figure in found.items()}
               for found, _rest in answered]
    rests = [rest for _found, rest in answered]
    # What is left, in one statement: the units with nothing below them (their own rows)
    # apart from the exceptions among units with units below.
    direct_reads: list[tuple[int, Read]] = []
    for index, rest in enumerate(rests):
        if not rest:
            continue
        span, roots = reads[index]
        leaves = [root for root in roots if root.id in rest and root.id not in with_below]
        if leaves:
            direct_reads.append((index, Read(span, leaves, elements, leaves=True)))
        others = [root for root in roots if root.id in rest and root.id in with_below]
        if others:
            asked = set().union(*(rest[root.id] for root in others))
            direct_reads.append((index, Read(span, others,
                                             [e for e in elements if e.id in asked])))
    direct = direct_element_figures_of_spans(
        reads=[read for _index, read in direct_reads], with_parts=with_parts,
        with_through=[throughs[index] for index, _read in direct_reads], own_years=True)
    for (index, _read), figures in zip(direct_reads, direct, strict=True):
        rest = rests[index]
        results[index].update({key: figure for key, figure in figures.items()
                               if key[0] in rest[key[2]]})
    return results


def direct_element_figures(
    *,
    elements: Sequence[DataElement],
    span: Span,
    roots: Sequence[OrgUnit],
    with_parts: bool = False,
    with_through: bool = False,
) -> dict[tuple[int, str, int], ElementFigure]:
    """`element_figures` computed from the stored values alone (no aggregates)."""
    if not elements or not roots:
        return {}
    return direct_element_figures_of_spans(reads=[Read(span, roots, elements)],
                                           with_parts=with_parts, with_through=with_through)[0]


def direct_element_figures_of_spans(
    *, reads: Sequence[Read], with_parts: bool = False,
    with_through: bool | Sequence[bool] = False, own_years: bool = False,
) -> list[dict[tuple[int, str, int], ElementFigure]]:
    """`direct_element_figures` for several reads, from one statement (`with_through` may
    be given per read). With `own_years`, spans of whole years are read from the units'
    yearly sums (kept on write) rather than from their values."""
    asked = [read for read in reads if read.elements and read.roots]
    rows = _fetch_rows(asked, own_years)
    general = [(read, read_rows) for read, read_rows in zip(asked, rows, strict=True)
               if not read.leaves]
    grouped = iter(_groups_of_rows([read for read, _rows in general],
                                   [read_rows for _read, read_rows in general]))
    fetched = iter(rows)
    results = []
    for read, through in zip(reads, _per_read(with_through, len(reads)), strict=True):
        if not (read.elements and read.roots):
            results.append({})
        elif read.leaves:
            results.append(_leaf_figures(read, next(fetched), with_parts, through))
        else:
            next(fetched)
            results.append(_figures_of_groups(read, *next(grouped), with_parts, through))
    return results


def _per_read(with_through: bool | Sequence[bool], count: int) -> list[bool]:
    if isinstance(with_through, bool):
        return [with_through] * count
    if len(with_through) != count:
        raise ValueError("with_through: one per read")
    return list(with_through)


def _figures_of_groups(
    read: Read, groups: Groups, estimates: set[tuple[int, str, str]], with_parts: bool,
    with_through: bool,
) -> dict[tuple[int, str, int], ElementFigure]:
    by_id = {element.id: element for element in read.elements}
    roots = read.roots
    # Per unit: value over time, then the total from parts where the total is missing.
    unit_values: dict[tuple[int, str], dict[str, Decimal]] = defaultdict(dict)
    unit_parts: dict[tuple[int, str], dict[str, Decimal]] = defaultdict(dict)
    methods = {element.id: TimeAggregation(element.time_aggregation)
               for element in read.elements}
    for (element_id, part, path), element_groups in groups.items():
        value = over_time(methods[element_id], element_groups)
        if part:
            unit_parts[(element_id, path)][part] = value
            if with_parts:
                unit_values[(element_id, part)][path] = value
        else:
            unit_values[(element_id, "")][path] = value
    for (element_id, path), parts in unit_parts.items():
        totals = unit_values[(element_id, "")]
        if path not in totals:
            totals[path] = parts_total(parts)
    estimate_paths: dict[int, list[str]] = defaultdict(list)
    for element_id, _part, path in estimates:
        estimate_paths[element_id].append(path)
    reached = _reached(groups, roots) if with_through else {}

    figures: dict[tuple[int, str, int], ElementFigure] = {}
    root_paths = [root.path for root in roots]
    for (element_id, part), values in unit_values.items():
        method = UnitAggregation(by_id[element_id].unit_aggregation)
        rolled = over_units(values, root_paths, method)
        flagged = estimate_paths.get(element_id, [])
        for root in roots:
            value = rolled[root.path]
            if value is None:
                continue
            # An estimate counts where its value does: the unit's own value when it stored
            # one (or for a rate not added up), else any unit below.
            if root.path in values or method == UnitAggregation.NONE:
                estimate = root.path in flagged
            else:
                estimate = any(path.startswith(root.path) for path in flagged)
            through, latest = reached.get((element_id, root.id), (None, None))
            figures[(element_id, part, root.id)] = ElementFigure(value, estimate, through,
                                                                 latest)
    return figures


def _leaf_figures(read: Read, rows: list[tuple], with_parts: bool, with_through: bool,
                  ) -> dict[tuple[int, str, int], ElementFigure]:
    """`_figures_of_groups` for roots with no units below them, straight from the rows:
    a root's figure is its own value (over time by the element's rule; its total, else
    the sum of its parts), an estimate when any of its values of the element is one, and
    its data runs to its own latest end."""
    methods = {element.id: TimeAggregation(element.time_aggregation)
               for element in read.elements}
    # (element id, unit id) -> the unit's rows of the element (a row per part and period
    # type; most often one)
    cells: dict[tuple[int, int], list[tuple]] = {}
    for row in rows:
        key = (row[1], row[3])
        found = cells.get(key)
        if found is None:
            cells[key] = [row]
        else:
            found.append(row)
    figures: dict[tuple[int, str, int], ElementFigure] = {}
    for (element_id, unit_id), cell in cells.items():
        method = methods[element_id]
        if len(cell) == 1:
            row = cell[0]
            part = row[2]
            values = {part: _over_time(method, [row[4:]])}
            estimate = bool(row[8])
            end = _day(row[7]) if with_through else None
        else:
            by_part: dict[str, list[tuple]] = defaultdict(list)
            for row in cell:
                by_part[row[2]].append(row[4:])
            values = {part: _over_time(method, groups) for part, groups in by_part.items()}
            estimate = any(row[8] for row in cell)
            end = max(_day(row[7]) for row in cell) if with_through else None
        total = values.get("")
        if total is None:
            total = parts_total(values)
        figures[(element_id, "", unit_id)] = ElementFigure(total, estimate, end, end)
        if with_parts:
            for part, value in values.items():
                if part:
                    figures[(element_id, part, unit_id)] = ElementFigure(value, estimate, end,
                                                                         end)
    return figures


def _day(raw) -> datetime.date:
    return raw if isinstance(raw, datetime.date) else datetime.date.fromisoformat(str(raw))


def _over_time(method: TimeAggregation, groups: list[tuple]) -> Decimal | None:
    """`over_time` of one unit's groups (period type, Σ, count, latest end, estimates,
    value at the end)."""
    if len(groups) == 1:
        _period_type, total, count, _end, _estimates, last = groups[0]
        if method == TimeAggregation.LAST:
            return _decimal(last)
        if method == TimeAggregation.SUM:
            return _decimal(total)
        return _decimal(total) / count
    return over_time(method, [
        PeriodTypeGroup(rank=rank_of(period_type), total=_decimal(total), count=count,
                        last_end=end,
                        last_value=_decimal(last) if method == TimeAggregation.LAST
                        else _decimal(total))
        for period_type, total, count, end, _estimates, last in groups])


def _reached(groups, roots: Sequence[OrgUnit]) -> dict[tuple[int, int], tuple]:
    """(element id, root id) -> (the last day at least half of the root's units with values
    have reached, the last day of any value), from the groups' latest ends."""
    latest_end: dict[tuple[int, str], datetime.date] = {}
    for (element_id, _part, path), element_groups in groups.items():
        end = max(datetime.date.fromisoformat(str(g.last_end)) for g in element_groups)
        latest_end[(element_id, path)] = _latest(latest_end.get((element_id, path)), end)
    ends_by_element: dict[int, list[tuple[str, datetime.date]]] = defaultdict(list)
    for (element_id, path), end in sorted(latest_end.items()):
        ends_by_element[element_id].append((path, end))
    result = {}
    for element_id, ends in ends_by_element.items():
        paths = [path for path, _end in ends]
        for root in roots:
            # The root's subtree is the sorted paths from "/1/5/" up to "/1/50".
            first = bisect.bisect_left(paths, root.path)
            last = bisect.bisect_left(paths, root.path[:-1] + "0")
            days = [end for _path, end in ends[first:last]]
            if days:
                result[(element_id, root.id)] = (_most_reached(days), _latest(*days))
    return result


def _with_predecessors(
    elements: list[DataElement], span: Span, roots: Sequence[OrgUnit], with_through: bool
) -> dict[tuple[int, str, int], ElementFigure]:
    """Figures of today's units with their predecessors' figures rolled in by share.

    A flow adds the part of the span reported under the old map to the part reported under
    the new one; a stock keeps the unit's own latest value when it has one; a rate that is
    not additive over units is not rolled up.
    """
    links = OrgUnitSuccessor.objects.filter(successor__in=roots).select_related("predecessor")
    shares: dict[int, list[tuple[OrgUnit, Decimal]]] = defaultdict(list)
    for link in links:
        shares[link.successor_id].append((link.predecessor, link.share))
    predecessors = {unit.id: unit for pairs in shares.values() for unit, _share in pairs}
    figures = element_figures(
        elements=elements, span=span, roots=[*roots, *predecessors.values()], with_parts=True,
        with_through=with_through,
    )
    by_id = {element.id: element for element in elements}
    result = {}
    parts = {(e, p) for e, p, _unit in figures}
    for element_id, part in parts:
        element = by_id[element_id]
        if element.unit_aggregation == UnitAggregation.NONE:
            continue
        for root in roots:
            own = figures.get((element_id, part, root.id))
            if own is not None and element.time_aggregation == TimeAggregation.LAST:
                result[(element_id, part, root.id)] = own
                continue
            total, estimate = (own.value, own.estimate) if own else (None, False)
            through, latest = (own.through, own.latest) if own else (None, None)
            for predecessor, share in shares.get(root.id, []):
                old = figures.get((element_id, part, predecessor.id))
                if old is None:
                    continue
                total = (total or Decimal(0)) + old.value * share
                estimate = estimate or old.estimate
                through, latest = _latest(through, old.through), _latest(latest, old.latest)
            if total is not None:
                result[(element_id, part, root.id)] = ElementFigure(total, estimate, through,
                                                                    latest)
    return result


def indicator_figures_from(
    indicators: Iterable[Indicator],
    elements: Iterable[DataElement],
    figures: dict[tuple[int, str, int], ElementFigure],
    roots: Sequence[OrgUnit],
) -> dict[tuple[int, int], ElementFigure]:
    id_of = {element.code: element.id for element in elements}
    root_ids = [root.id for root in roots]
    result = {}
    for indicator in indicators:
        formula = parse_formula(indicator.formula)
        indicator_id = indicator.id
        if formula.is_single_element:
            # The element's figure as it is (what the general path below gives for it:
            # its value, estimate flag and dates, or nothing known).
            element_id = id_of.get(formula.elements[0])
            for root_id in root_ids:
                result[(indicator_id, root_id)] = figures.get(
                    (element_id, "", root_id)) or NO_FIGURE
            continue
        inputs = [(code, id_of.get(code)) for code in formula.elements]
        for root_id in root_ids:
            values = {}
            estimate = False
            through = latest = None
            for code, element_id in inputs:
                found = figures.get((element_id, "", root_id))
                if found is None:
                    values[code] = None
                    continue
                values[code] = found.value
                if found.estimate:
                    estimate = True
                # The latest of the inputs' dates (`_latest`).
                if found.through is not None and (through is None or found.through > through):
                    through = found.through
                if found.latest is not None and (latest is None or found.latest > latest):
                    latest = found.latest
            result[(indicator_id, root_id)] = ElementFigure(
                formula.evaluate(values), estimate, through, latest)
    return result
