"""Aggregates of the stored values, kept in step with them on every write (docs/aggregates.md).

For every unit that has units below it, and every level below it, per data element, part,
period type and period: the sum of the values its descendants at that level stored, how
many there are and how many are estimates (`AggregateValue`). Beside them, how many values
each unit stores per element, part and period type (`AggregateCell`), and how many units
at each level below a unit store any (`AggregateReporters`): what the engine needs to know
that every unit of a stock reported its latest month. The same added up per calendar year,
with the latest end inside it and what is there (`AggregateYear`), and each unit's own
values per year (`AggregateOwnYear`, communes included): a span of whole years is read
from a row per group instead of a row per month or value.

They are written in the same transaction as the values (`Pending`, collected over a save
and applied once; `aggregates_deleted`), by adding the change to the stored sums;
`aggregates_rebuild` builds
them again from the values, and `aggregates_check` compares the two. The engine reads them
first (`tiendo.analytics.aggregated`) and falls back to the values for what they cannot
answer.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from tiendo.data.bulk import staged
from tiendo.indicators.models import DataElement
from tiendo.org.models import OrgUnit

MICRO = Decimal("0.000001")


class AggregateValue(models.Model):
    """Σ of the values stored by the units `level` deep below `org_unit`, for one element,
    part, period type and period."""

    # No index of its own: the unique key starts with the unit.
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.DO_NOTHING, db_constraint=False,
                                 db_index=False, related_name="+", verbose_name=_("unit"))
    # Depth (number of ids in the path) of the units that stored the values.
    level = models.PositiveSmallIntegerField(_("level"))
    data_element = models.ForeignKey(DataElement, on_delete=models.DO_NOTHING,
                                     db_constraint=False, related_name="+",
                                     verbose_name=_("data element"))
    part = models.CharField(_("disaggregation part"), max_length=32, blank=True, default="")
    period_type = models.CharField(_("period type"), max_length=10)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    total = models.DecimalField(_("total"), max_digits=30, decimal_places=6)
    stored = models.IntegerField(_("values"))
    estimates = models.IntegerField(_("estimates"))

    class Meta:
        app_label = "datavalues"
        verbose_name = _("aggregate of values")
        verbose_name_plural = _("aggregates of values")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period_start", "data_element", "part", "period_type",
                        "period_end", "level"],
                name="aggregatevalue_key",
            ),
        ]

    def __str__(self) -> str:
        return (f"{self.org_unit_id}/{self.level} {self.data_element_id}[{self.part}] "
                f"{self.period_start}…{self.period_end} = {self.total} ({self.stored})")


class AggregateCell(models.Model):
    """How many values one unit stores for one element, part and period type."""

    # No index of its own: the unique key starts with the unit.
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.DO_NOTHING, db_constraint=False,
                                 db_index=False, related_name="+", verbose_name=_("unit"))
    data_element = models.ForeignKey(DataElement, on_delete=models.DO_NOTHING,
                                     db_constraint=False, related_name="+",
                                     verbose_name=_("data element"))
    part = models.CharField(_("disaggregation part"), max_length=32, blank=True, default="")
    period_type = models.CharField(_("period type"), max_length=10)
    stored = models.IntegerField(_("values"))

    class Meta:
        app_label = "datavalues"
        verbose_name = _("values stored by a unit")
        verbose_name_plural = _("values stored by units")
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "data_element", "part", "period_type"],
                                    name="aggregatecell_key"),
        ]

    def __str__(self) -> str:
        return (f"{self.org_unit_id} {self.data_element_id}[{self.part}] {self.period_type}: "
                f"{self.stored}")


class AggregateReporters(models.Model):
    """How many units `level` deep below `org_unit` store values of one element, part and
    period type (at any period)."""

    # No index of its own: the unique key starts with the unit.
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.DO_NOTHING, db_constraint=False,
                                 db_index=False, related_name="+", verbose_name=_("unit"))
    level = models.PositiveSmallIntegerField(_("level"))
    data_element = models.ForeignKey(DataElement, on_delete=models.DO_NOTHING,
                                     db_constraint=False, related_name="+",
                                     verbose_name=_("data element"))
    part = models.CharField(_("disaggregation part"), max_length=32, blank=True, default="")
    period_type = models.CharField(_("period type"), max_length=10)
    units = models.IntegerField(_("units"))

    class Meta:
        app_label = "datavalues"
        verbose_name = _("units storing values")
        verbose_name_plural = _("units storing values")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "data_element", "part", "period_type", "level"],
                name="aggregatereporters_key",
            ),
        ]

    def __str__(self) -> str:
        return (f"{self.org_unit_id}/{self.level} {self.data_element_id}[{self.part}] "
                f"{self.period_type}: {self.units}")


class _YearRow(models.Model):
    """What a yearly row holds: its key but the level, the sums of its year (or multi-year
    period), and the latest end inside it with Σ and count there."""

    # No index of their own for the keys: the unique key starts with the unit.
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.DO_NOTHING, db_constraint=False,
                                 db_index=False, related_name="+", verbose_name=_("unit"))
    data_element = models.ForeignKey(DataElement, on_delete=models.DO_NOTHING,
                                     db_constraint=False, db_index=False, related_name="+",
                                     verbose_name=_("data element"))
    part = models.CharField(_("disaggregation part"), max_length=32, blank=True, default="")
    period_type = models.CharField(_("period type"), max_length=10)
    # The year's first and last day (or the multi-year period's).
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    total = models.DecimalField(_("total"), max_digits=30, decimal_places=6)
    stored = models.IntegerField(_("values"))
    estimates = models.IntegerField(_("estimates"))
    last_end = models.DateField(_("latest end"), null=True)
    last_total = models.DecimalField(_("total at the latest end"), max_digits=30,
                                     decimal_places=6)
    last_stored = models.IntegerField(_("values at the latest end"))

    class Meta:
        abstract = True


class AggregateYear(_YearRow):
    """The `AggregateValue` rows of one calendar year added up, and what they hold at the
    latest end inside it (a stock's last value, how far the data runs). A period that
    crosses years (multi-year) is a row of its own, its dates those of the period."""

    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        app_label = "datavalues"
        verbose_name = _("yearly aggregate of values")
        verbose_name_plural = _("yearly aggregates of values")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period_start", "data_element", "part", "period_type",
                        "period_end", "level"],
                name="aggregateyear_key",
            ),
        ]

    def __str__(self) -> str:
        return (f"{self.org_unit_id}/{self.level} {self.data_element_id}[{self.part}] "
                f"{self.period_start}…{self.period_end} = {self.total} ({self.stored})")


class AggregateOwnYear(_YearRow):
    """The values one unit stored itself for one element, part and period type in one
    calendar year (a multi-year period: a row of its own), added up, with the latest
    one's end and value."""

    last_total = models.DecimalField(_("value at the latest end"), max_digits=30,
                                     decimal_places=6)

    class Meta:
        app_label = "datavalues"
        verbose_name = _("yearly sum of a unit's own values")
        verbose_name_plural = _("yearly sums of units' own values")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period_start", "data_element", "part", "period_type",
                        "period_end"],
                name="aggregateownyear_key",
            ),
        ]

    def __str__(self) -> str:
        return (f"{self.org_unit_id} {self.data_element_id}[{self.part}] "
                f"{self.period_start}…{self.period_end} = {self.total} ({self.stored})")


@lru_cache(maxsize=4096)  # asked once per value written, of a few periods
def year_of(start: date, end: date) -> tuple[date, date]:
    """The yearly row a period's values add up in: its calendar year, or the period itself
    when it crosses years."""
    if start.year != end.year:
        return start, end
    return date(start.year, 1, 1), date(start.year, 12, 31)


def whole_years(start: date, end: date) -> bool:
    """Whether a span is made of whole calendar years (the yearly rows answer it)."""
    return (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31) \
        and start.year <= end.year


def path_ids(path: str) -> list[int]:
    return [int(piece) for piece in path.strip("/").split("/") if piece]


@lru_cache(maxsize=8192)
def _ancestry(path: str) -> tuple[int, int, tuple[int, ...]]:
    """(the unit, its level, the units above it) for a unit's path."""
    ids = path_ids(path)
    return ids[-1], len(ids), tuple(ids[:-1])


class Pending:
    """The differences a transaction's writes make to the aggregates, added up in memory and
    written at once by `apply`: one statement per table however many values were written,
    so that a large import pays its upkeep once, and every transaction locks the aggregate
    rows it changes in one order (table by table, each in key order) — two imports cannot
    deadlock on them."""

    __slots__ = ("sums", "own", "units")

    def __init__(self) -> None:
        # Per line of units above and level, element, part, period type and period: the
        # differences under it, added to each unit of the line by `apply` (a value adds to
        # one entry, not one per unit above it).
        self.sums: dict[tuple, list] = {}
        # The changes to the yearly rows of units' own values (`AggregateOwnYear` key ->
        # `_OwnChange`): a unit stores one value per period, so each end changes once. The
        # cells' counts are their sums over the years (`apply`).
        self.own: dict[tuple, list] = {}
        self.units: dict[int, tuple[int, tuple[int, ...]]] = {}  # unit -> level, units above

    def add(self, path: str, element_id: int, part: str, period_type: str, start: date,
            end: date, total: Decimal, stored: int, estimates: int) -> None:
        unit, level, above_ids = _ancestry(path)
        own_key = (unit, element_id, part, period_type, *year_of(start, end))
        change = self.own.get(own_key)
        if change is None:
            self.own[own_key] = [total, stored, estimates, 1, end if stored > 0 else None,
                                 total, stored, end]
            self.units[unit] = level, above_ids
        else:
            change[0] += total
            change[1] += stored
            change[2] += estimates
            change[3] += 1
            if stored > 0 and (change[4] is None or end > change[4]):
                change[4:7] = end, total, stored
            if end > change[7]:
                change[7] = end
        if above_ids:
            key = (above_ids, level, element_id, part, period_type, start, end)
            entry = self.sums.get(key)
            if entry is None:
                self.sums[key] = [total, stored, estimates]
            else:
                entry[0] += total
                entry[1] += stored
                entry[2] += estimates

    def saved(self, created: Iterable, updated: Iterable) -> None:
        """`created` the ValueInputs inserted, `updated` pairs of (ValueInput, what was
        stored before) written over."""
        add = self.add
        spans: dict[str, tuple] = {}  # period code → (type, start, end), once each
        for item in created:
            period = item.period
            span = spans.get(period.code)
            if span is None:
                span = spans[period.code] = (period.type.value, period.start, period.end)
            add(item.org_unit.path, item.element.id, item.part, *span, item.value, 1,
                1 if item.estimate else 0)
        for item, stored in updated:
            total = item.value - stored.value
            estimates = int(item.estimate) - int(stored.estimate)
            if total or estimates:
                period = item.period
                add(item.org_unit.path, item.element.id, item.part, period.type.value,
                    period.start, period.end, total, 0, estimates)

    def deleted(self, rows: Iterable) -> None:
        """Stored values deleted (DataValue rows with org_unit loaded)."""
        for row in rows:
            self.add(row.org_unit.path, row.data_element_id, row.part, row.period_type,
                     row.period_start, row.period_end, -Decimal(row.value), -1,
                     -int(row.estimate))

    def apply(self) -> None:
        """Write the differences; call it inside the transaction that wrote the values
        (`transaction.atomic`), so that both stand or fall together. Empties the list."""
        sums, own, units = self.sums, self.own, self.units
        self.sums, self.own, self.units = {}, {}, {}
        by_unit: dict[tuple, list] = {}
        for (above_ids, *key), values in sums.items():
            for above in above_ids:
                entry = by_unit.get((above, *key))
                if entry is None:
                    by_unit[(above, *key)] = list(values)
                else:
                    entry[0] += values[0]
                    entry[1] += values[1]
                    entry[2] += values[2]
        changed = [(*key, *values) for key, values in by_unit.items() if any(values)]
        cells: dict[tuple, int] = {}
        for (unit, element_id, part, period_type, _start, _end), change in own.items():
            if change[1]:
                key = (unit, element_id, part, period_type)
                cells[key] = cells.get(key, 0) + change[1]
        _upsert(AggregateValue, ["org_unit", "level", "data_element", "part", "period_type",
                                 "period_start", "period_end"], ["total", "stored", "estimates"],
                changed)
        # The cells' counts after the change come back from the upsert itself: a unit
        # starts (or stops) reporting an element where the count leaves (or reaches) 0.
        now_stored = _upsert(
            AggregateCell, ["org_unit", "data_element", "part", "period_type"], ["stored"],
            [(*key, added) for key, added in cells.items() if added], returning="stored")
        reporters: dict[tuple, int] = defaultdict(int)
        for key, now in now_stored.items():
            was = now - cells[key]
            if (was > 0) == (now > 0):
                continue
            level, above_ids = units[key[0]]
            for above in above_ids:
                reporters[(above, level, *key[1:])] += 1 if now > 0 else -1
        _upsert(AggregateReporters, ["org_unit", "level", "data_element", "part", "period_type"],
                ["units"], [(*key, added) for key, added in reporters.items() if added])
        # The yearly rows last, from the same differences (`_years_add`).
        years: dict[tuple, list] = {}
        for *key, start, end, total, stored, estimates in changed:
            year_key = (*key, *year_of(start, end))
            change = years.get(year_key)
            if change is None:
                years[year_key] = [total, stored, estimates, {end: [total, stored]}]
            else:
                change[0] += total
                change[1] += stored
                change[2] += estimates
                change[3][end] = [total, stored]  # one AggregateValue row per end
        _years_add(AggregateYear, [(*key, *_year_change(*change))
                                   for key, change in years.items()])
        _years_add(AggregateOwnYear, [(*key, *_own_change(*change))
                                      for key, change in own.items() if any(change[:3])])


def aggregates_deleted(rows: Iterable) -> None:
    """The aggregates after deleting stored values (DataValue rows with org_unit loaded)."""
    pending = Pending()
    pending.deleted(rows)
    pending.apply()


# Rows per statement on SQLite (10 columns each, under its 32,766 parameters).
SQLITE_ROWS = 2000


def _upsert(model, keys: list[str], added: list[str], rows: list[tuple],
            returning: str | None = None) -> dict[tuple, int]:
    """Insert the rows, or add their numbers to the row already there. With `returning`,
    that column's value after the statement, per key (the rows' first len(keys) items)."""
    if not rows:
        return {}
    # In key order, so that two transactions touching the same rows lock them in the same
    # order (PostgreSQL takes the rows' locks as the statement reaches them).
    rows.sort()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key_columns = [quote(model._meta.get_field(name).column) for name in keys]
    add_columns = [quote(name) for name in added]
    columns = ", ".join([*key_columns, *add_columns])
    updates = ", ".join(f"{column} = {table}.{column} + excluded.{column}"
                        for column in add_columns)
    conflict = f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {updates}"
    tail = f" RETURNING {', '.join(key_columns)}, {quote(returning)}" if returning else ""
    found: dict[tuple, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement for the whole batch.
            fields = [model._meta.get_field(name) for name in [*keys, *added]]
            source, params = _rows_source(cursor, model, fields, len(keys), rows)
            cursor.execute(f"INSERT INTO {table} ({columns}) {source} {conflict}{tail}",
                           params)
            if returning:
                found = {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}
            return found
        row_marks = "(" + ", ".join(["%s"] * (len(keys) + len(added))) + ")"
        for first in range(0, len(rows), SQLITE_ROWS):
            batch = rows[first:first + SQLITE_ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_marks] * len(batch))} "
                f"{conflict}{tail}",
                [cell for row in batch for cell in row],
            )
            if returning:
                found.update((tuple(row[:-1]), row[-1]) for row in cursor.fetchall())
    return found


# From this many rows a batch is COPYed into a temporary table rather than sent as arrays.
STAGED_ROWS = 5000


def _rows_source(cursor, model, fields: list, key_count: int, rows: list[tuple],
                 ) -> tuple[str, list]:
    """The SELECT an upsert of these rows (sorted by key) reads, and its parameters
    (PostgreSQL): the columns as arrays unnested for a few rows (a save), a temporary table
    for many (an import: 2.4 s against 5.9 s for 400,000 rows). The temporary table is read
    in key order, text compared by code point as Python sorted the rows, so that every
    transaction locks the rows it upserts in the same order."""
    if len(rows) < STAGED_ROWS:
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
        return (f"SELECT * FROM unnest({arrays})",
                [list(column) for column in zip(*rows, strict=True)])
    quote = connection.ops.quote_name
    table = staged(cursor, f"tiendo_stage_{model._meta.model_name}", fields, rows)
    order = ", ".join(
        quote(field.column) + (' COLLATE "C"' if field.get_internal_type() == "CharField"
                               else "")
        for field in fields[:key_count])
    names = ", ".join(quote(field.column) for field in fields)
    return f"SELECT {names} FROM {table} ORDER BY {order}", []


def _year_change(total, stored, estimates, ends: dict) -> tuple:
    """A yearly row's difference: Σ, count, estimates and the change at one end (the end,
    Σ and count there) that `_years_add` can place — the only end changed, or the latest
    end where values were added when no end after it changed; else no end (counted again)."""
    if len(ends) == 1:
        (end, (end_total, end_stored)), = ends.items()
        return total, stored, estimates, end, end_total, end_stored
    added = [end for end, (_total, end_stored) in ends.items() if end_stored > 0]
    latest = max(ends)
    if added and max(added) == latest:
        end_total, end_stored = ends[latest]
        return total, stored, estimates, latest, end_total, end_stored
    return total, stored, estimates, None, Decimal(0), 0


def _own_change(total, stored, estimates, changes, added_end, added_total, added_stored,
                latest) -> tuple:
    """`_year_change` of a unit's own yearly row (`Pending.add` keeps the change there)."""
    if changes == 1:
        return total, stored, estimates, latest, total, stored
    if added_end is not None and added_end == latest:
        return total, stored, estimates, added_end, added_total, added_stored
    return total, stored, estimates, None, Decimal(0), 0


YEAR_KEYS = {
    AggregateYear: ["org_unit", "level", "data_element", "part", "period_type",
                    "period_start", "period_end"],
    AggregateOwnYear: ["org_unit", "data_element", "part", "period_type", "period_start",
                       "period_end"],
}
# Per yearly table: the table its rows add up, and that table's value, count, estimate
# count and "values at the end" (SQL over its alias `s`).
_YEAR_SOURCES = {
    AggregateYear: ("aggregate", "s.total", "s.stored", "s.estimates", "s.stored"),
    AggregateOwnYear: ("values", "s.value", "1", "CASE WHEN s.estimate THEN 1 ELSE 0 END",
                       "1"),
}
_YEAR_NUMBERS = ["total", "stored", "estimates", "last_end", "last_total", "last_stored"]


def _years_add(model, rows: list[tuple]) -> None:
    """Add the differences to the yearly rows (key, Σ, count, estimates, end, Σ and count
    at that end), in key order. Where the change at an end shows the new latest end
    (values after the stored latest end, or a change at it that leaves values there) or
    leaves it as it is (a change before it), it is placed by the statement itself, from
    the row as it stands when locked, so that concurrent saves add up; otherwise (the
    values at the latest end all gone, or several ends changed) the row is marked (no
    latest end while it has values) and counted again from the rows it adds up, by the
    next statement, with the row locked (`_years_recount`)."""
    if not rows:
        return
    rows.sort(key=lambda row: row[:len(YEAR_KEYS[model])])
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = YEAR_KEYS[model]
    fields = [model._meta.get_field(name) for name in [*names, *_YEAR_NUMBERS]]
    key_columns = [quote(field.column) for field in fields[:len(names)]]
    columns = ", ".join([*key_columns, *(quote(name) for name in _YEAR_NUMBERS)])

    def mine(name):
        return f"{table}.{quote(name)}"

    def new(name):
        return f"excluded.{quote(name)}"

    empty = f"{mine('stored')} + {new('stored')} = 0"
    later = (f"{new('last_end')} IS NOT NULL AND ({mine('last_end')} IS NULL"
             f" OR {new('last_end')} > {mine('last_end')})")
    at_end = f"{new('last_end')} = {mine('last_end')}"
    before = f"{new('last_end')} < {mine('last_end')}"
    left = f"{mine('last_stored')} + {new('last_stored')}"
    updates = ", ".join([
        *(f"{quote(name)} = {mine(name)} + {new(name)}"
          for name in ("total", "stored", "estimates")),
        f"last_end = CASE WHEN {empty} THEN NULL WHEN {later} THEN {new('last_end')}"
        f" WHEN {at_end} AND {left} > 0 THEN {mine('last_end')}"
        f" WHEN {before} THEN {mine('last_end')} ELSE NULL END",
        f"last_total = CASE WHEN {empty} THEN 0 WHEN {later} THEN {new('last_total')}"
        f" WHEN {at_end} THEN {mine('last_total')} + {new('last_total')}"
        f" ELSE {mine('last_total')} END",
        f"last_stored = CASE WHEN {empty} THEN 0 WHEN {later} THEN {new('last_stored')}"
        f" WHEN {at_end} THEN {left} ELSE {mine('last_stored')} END",
    ])
    # The rows' ids, counts and latest ends: a large import changes a few hundred thousand
    # yearly rows, so no more comes back. (A CASE over the columns here gave, on SQLite
    # 3.40, the row proposed rather than the row updated: the mark is read in Python.)
    tail = (f" ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {updates}"
            f" RETURNING id, stored, last_end")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            source, params = _rows_source(cursor, model, fields, len(names), rows)
            cursor.execute(f"INSERT INTO {table} ({columns}) {source}{tail}", params)
            found = cursor.fetchall()
        else:
            marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
            found = []
            for first in range(0, len(rows), SQLITE_ROWS):
                batch = rows[first:first + SQLITE_ROWS]
                cursor.execute(f"INSERT INTO {table} ({columns}) VALUES"
                               f" {', '.join([marks] * len(batch))}{tail}",
                               [cell for row in batch for cell in row])
                found += cursor.fetchall()
        marked = [row_id for row_id, stored, last_end in found
                  if stored > 0 and last_end is None]
        recount = set()
        if marked:
            cursor.execute(f"SELECT {', '.join(key_columns)} FROM {table}"
                           f" WHERE id IN ({', '.join(['%s'] * len(marked))})", marked)
            recount = {tuple(_day(cell) if index >= len(names) - 2 else cell
                             for index, cell in enumerate(key)) for key in cursor.fetchall()}
    _years_recount(model, recount, locked=True)


def _day(raw):
    return raw if isinstance(raw, date) else date.fromisoformat(str(raw))


def _years_recount(model, keys: set[tuple], locked: bool = False) -> None:
    """Count the yearly rows of these keys again from the rows they add up, in the
    transaction that changed those. On PostgreSQL the rows are locked first (inserted when
    new; not when `locked`: this transaction holds them already), in key order, and
    counted by the next statement: its snapshot then holds every other transaction's
    committed change to the rows they add up (under READ COMMITTED a statement sees what
    was committed when it started), and a transaction changing them later waits for this
    one's commit before changing them in turn."""
    if not keys:
        return
    rows = sorted((*key, key[-2].year == key[-1].year) for key in keys)
    names = YEAR_KEYS[model]
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key_columns = [quote(field.column) for field in fields]
    aliases = [f"k{index}" for index in range(len(names))]
    numbers = _YEAR_NUMBERS
    source, value, count, estimate, count_at_end = _YEAR_SOURCES[model]
    if source == "aggregate":
        source_table = quote(AggregateValue._meta.db_table)
        only = " AND s.stored > 0"
    else:
        from tiendo.data.models import DataValue

        source_table = quote(DataValue._meta.db_table)
        only = ""
    joined = " AND ".join(
        f"s.{quote(field.column)} = k.{alias}" for field, alias in zip(fields, aliases, strict=True)
        if field.name not in ("period_start", "period_end"))
    start, end = aliases[-2], aliases[-1]
    on = (f"s.period_start >= k.{start} AND s.period_start <= k.{end} AND {joined}"
          f" AND s.period_end <= k.{end}{only}"
          # A row crossing years adds up only its own period.
          f" AND (k.calendar OR (s.period_start = k.{start} AND s.period_end = k.{end}))")
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        at_end = [f"COALESCE((array_agg({value} ORDER BY s.period_end DESC))[1], 0)",
                  f"COALESCE((array_agg(CASE WHEN s.period_end IS NULL THEN 0"
                  f" ELSE {count_at_end} END ORDER BY s.period_end DESC))[1], 0)"]
    else:  # a bare column beside the only MAX(): from the row holding the maximum
        at_end = [f"COALESCE({value}, 0)",
                  f"CASE WHEN s.period_end IS NULL THEN 0 ELSE {count_at_end} END"]
    counted = (f"SELECT {', '.join(f'k.{alias}' for alias in aliases)},"
               f" COALESCE(SUM({value}), 0), COALESCE(SUM(CASE WHEN s.period_end IS NULL"
               f" THEN 0 ELSE {count} END), 0), COALESCE(SUM({estimate}), 0),"
               f" MAX(s.period_end), {', '.join(at_end)}"
               f" FROM keys AS k LEFT JOIN {source_table} AS s ON {on} WHERE 1 = 1"
               f" GROUP BY {', '.join(f'k.{alias}' for alias in aliases)}")
    columns = ", ".join([*key_columns, *(quote(name) for name in numbers)])
    conflict = ", ".join(key_columns)
    replaced = ", ".join(f"{quote(name)} = excluded.{quote(name)}" for name in numbers)
    upsert = (f"INSERT INTO {table} ({columns}) {counted}"
              f" ON CONFLICT ({conflict}) DO UPDATE SET {replaced}")
    key_names = ", ".join([*aliases, "calendar"])
    with connection.cursor() as cursor:
        if postgresql:
            types = [f"%s::{field.db_type(connection)}[]" for field in fields] + ["%s::boolean[]"]
            arrays = [list(column) for column in zip(*rows, strict=True)]
            zeros = ", ".join(["0"] * (len(numbers) - 1))
            empty_numbers = ", ".join(quote(name) for name in numbers if name != "last_end")
            if not locked:
                # Lock (or create) the rows, changing nothing in those that exist.
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(key_columns)}, {empty_numbers})"
                    f" SELECT {', '.join(f'k.{alias}' for alias in aliases)}, {zeros}"
                    f" FROM unnest({', '.join(types)}) AS k({key_names})"
                    f" ON CONFLICT ({conflict}) DO UPDATE SET stored = {table}.stored"
                    f" WHERE false", arrays)
            cursor.execute(
                f"WITH keys AS (SELECT * FROM unnest({', '.join(types)}) AS k({key_names}))"
                f" {upsert}", arrays)
            return
        width = len(names) + 1
        marks = "(" + ", ".join(["%s"] * width) + ")"
        batch_rows = SQLITE_ROWS * 10 // width
        for first in range(0, len(rows), batch_rows):
            batch = rows[first:first + batch_rows]
            cursor.execute(
                f"WITH keys ({key_names}) AS (VALUES {', '.join([marks] * len(batch))})"
                f" {upsert}", [cell for row in batch for cell in row])


# --- built again from the values, and checked ---------------------------------------------

def _ancestry_table(cursor) -> str:
    """A temporary table (unit, the unit above it, the unit's level) for every unit."""
    name = "tiendo_ancestry"
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMP TABLE {name} (unit_id integer, above_id integer, "
                   f"level integer)")
    rows = []
    for path in OrgUnit.objects.values_list("path", flat=True).iterator():
        ids = path_ids(path)
        rows += [(ids[-1], above, len(ids)) for above in ids[:-1]]
    cursor.executemany(f"INSERT INTO {name} VALUES (%s, %s, %s)", rows)
    return name


def _year_sql(start: str, end: str) -> tuple[str, str]:
    """SQL of the first and last day of the yearly row (`year_of`) of a period."""
    if connection.vendor == "postgresql":
        same = f"date_part('year', {start}) = date_part('year', {end})"
        return (f"CASE WHEN {same} THEN date_trunc('year', {start})::date ELSE {start} END",
                f"CASE WHEN {same} THEN (date_trunc('year', {start}) + interval '1 year'"
                f" - interval '1 day')::date ELSE {end} END")
    same = f"substr({start}, 1, 4) = substr({end}, 1, 4)"
    return (f"CASE WHEN {same} THEN substr({start}, 1, 4) || '-01-01' ELSE {start} END",
            f"CASE WHEN {same} THEN substr({start}, 1, 4) || '-12-31' ELSE {end} END")


def _at_latest(column: str, end: str) -> str:
    """SQL of `column` in the row of a group with the latest `end`."""
    if connection.vendor == "postgresql":
        return f"(array_agg({column} ORDER BY {end} DESC))[1]"
    return column  # a bare column beside the group's only MAX(): from that row


def _expected_sql(ancestry: str) -> dict[type, str]:
    """The SELECT giving each table's rows from the values."""
    from tiendo.data.models import DataValue

    values = DataValue._meta.db_table
    cell = AggregateCell._meta.db_table
    own_start, own_end = _year_sql("v.period_start", "v.period_end")
    year_start, year_end = _year_sql("m.period_start", "m.period_end")
    return {
        AggregateValue: (
            f"SELECT a.above_id, a.level, v.data_element_id, v.part, v.period_type,"
            f" v.period_start, v.period_end, SUM(v.value), COUNT(*),"
            f" SUM(CASE WHEN v.estimate THEN 1 ELSE 0 END)"
            f" FROM {values} v JOIN {ancestry} a ON a.unit_id = v.org_unit_id"
            f" GROUP BY a.above_id, a.level, v.data_element_id, v.part, v.period_type,"
            f" v.period_start, v.period_end"),
        AggregateCell: (
            f"SELECT v.org_unit_id, v.data_element_id, v.part, v.period_type, COUNT(*)"
            f" FROM {values} v GROUP BY v.org_unit_id, v.data_element_id, v.part,"
            f" v.period_type"),
        AggregateReporters: (
            f"SELECT a.above_id, a.level, c.data_element_id, c.part, c.period_type, COUNT(*)"
            f" FROM {cell} c JOIN {ancestry} a ON a.unit_id = c.org_unit_id"
            f" WHERE c.stored > 0"
            f" GROUP BY a.above_id, a.level, c.data_element_id, c.part, c.period_type"),
        # The monthly aggregates (as above), added up per year.
        AggregateYear: (
            f"SELECT m.above_id, m.level, m.data_element_id, m.part, m.period_type,"
            f" {year_start} AS year_start, {year_end} AS year_end, SUM(m.total),"
            f" SUM(m.stored), SUM(m.estimates), MAX(m.period_end),"
            f" {_at_latest('m.total', 'm.period_end')},"
            f" {_at_latest('m.stored', 'm.period_end')}"
            f" FROM (SELECT a.above_id, a.level, v.data_element_id, v.part, v.period_type,"
            f" v.period_start, v.period_end, SUM(v.value) AS total, COUNT(*) AS stored,"
            f" SUM(CASE WHEN v.estimate THEN 1 ELSE 0 END) AS estimates"
            f" FROM {values} v JOIN {ancestry} a ON a.unit_id = v.org_unit_id"
            f" GROUP BY a.above_id, a.level, v.data_element_id, v.part, v.period_type,"
            f" v.period_start, v.period_end) m"
            f" GROUP BY m.above_id, m.level, m.data_element_id, m.part, m.period_type,"
            f" year_start, year_end"),
        AggregateOwnYear: (
            f"SELECT v.org_unit_id, v.data_element_id, v.part, v.period_type,"
            f" {own_start} AS year_start, {own_end} AS year_end, SUM(v.value), COUNT(*),"
            f" SUM(CASE WHEN v.estimate THEN 1 ELSE 0 END), MAX(v.period_end),"
            f" {_at_latest('v.value', 'v.period_end')}, 1"
            f" FROM {values} v GROUP BY v.org_unit_id, v.data_element_id, v.part,"
            f" v.period_type, year_start, year_end"),
    }


COLUMNS = {
    AggregateValue: ["org_unit_id", "level", "data_element_id", "part", "period_type",
                     "period_start", "period_end", "total", "stored", "estimates"],
    AggregateCell: ["org_unit_id", "data_element_id", "part", "period_type", "stored"],
    AggregateReporters: ["org_unit_id", "level", "data_element_id", "part", "period_type",
                         "units"],
    AggregateYear: ["org_unit_id", "level", "data_element_id", "part", "period_type",
                    "period_start", "period_end", "total", "stored", "estimates", "last_end",
                    "last_total", "last_stored"],
    AggregateOwnYear: ["org_unit_id", "data_element_id", "part", "period_type",
                       "period_start", "period_end", "total", "stored", "estimates",
                       "last_end", "last_total", "last_stored"],
}
# How many of a table's columns (first) are its key.
KEY_WIDTH = {AggregateValue: 7, AggregateCell: 4, AggregateReporters: 5, AggregateYear: 7,
             AggregateOwnYear: 6}


def aggregates_rebuild() -> dict[str, int]:
    """Build the tables again from the stored values: rows written per table."""
    quote = connection.ops.quote_name
    written = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for model in COLUMNS:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
        ancestry = _ancestry_table(cursor)
        sql = _expected_sql(ancestry)
        # Cells first: the reporters are counted from them.
        for model in (AggregateCell, AggregateValue, AggregateReporters, AggregateYear,
                      AggregateOwnYear):
            columns = ", ".join(quote(c) for c in COLUMNS[model])
            cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                           f"{sql[model]}")
            written[model._meta.model_name] = cursor.rowcount
        cursor.execute(f"DROP TABLE {ancestry}")
    return written


def _number(raw):
    if isinstance(raw, float):
        return Decimal(repr(raw)).quantize(MICRO)
    if isinstance(raw, Decimal):
        return raw.quantize(MICRO)
    return raw


def _normalised(row: tuple) -> tuple:
    # SQLite gives dates as text from some expressions and as dates from columns.
    return tuple(str(cell) if isinstance(cell, date) else _number(cell) for cell in row)


@dataclass(frozen=True, slots=True)
class Difference:
    table: str
    key: tuple
    stored: tuple | None  # what the table holds (None: missing)
    expected: tuple | None  # what the values give (None: should not be there)


def aggregates_check() -> tuple[int, list[Difference]]:
    """Compare the tables with what the values give: (rows expected, the differences).
    Rows whose numbers are all 0 count as absent."""
    quote = connection.ops.quote_name
    differences: list[Difference] = []
    checked = 0
    with transaction.atomic(), connection.cursor() as cursor:
        ancestry = _ancestry_table(cursor)
        sql = _expected_sql(ancestry)
        for model, columns in COLUMNS.items():
            width = KEY_WIDTH[model]
            cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} "
                           f"FROM {quote(model._meta.db_table)}")
            stored = {}
            for row in cursor.fetchall():
                row = _normalised(row)
                if any(row[width:]):
                    stored[row[:width]] = row[width:]
            cursor.execute(sql[model])
            expected = {}
            for row in cursor.fetchall():
                row = _normalised(row)
                expected[row[:width]] = row[width:]
            checked += len(expected)
            for key in sorted(stored.keys() | expected.keys(), key=str):
                if stored.get(key) != expected.get(key):
                    differences.append(Difference(model._meta.db_table, key, stored.get(key),
                                                  expected.get(key)))
        cursor.execute(f"DROP TABLE {ancestry}")
    return checked, differences


def aggregates_unit_moved(path: str) -> None:
    """After a unit (now at `path`) moved with its subtree: its values now add up to other
    units above, at other levels. Rebuilt from the values when any are stored below it."""
    if AggregateCell.objects.filter(org_unit__path__startswith=path, stored__gt=0).exists():
        aggregates_rebuild()
