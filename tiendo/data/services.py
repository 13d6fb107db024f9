"""Writes of data values: validated, in one transaction, with an audit record per change."""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.audit.models import AuditRecord
from tiendo.audit.services import AUDIT_COLUMNS, Actor, audit_record, audit_rows
from tiendo.data.aggregates import Pending, aggregates_deleted
from tiendo.data.bulk import copy_rows, staged
from tiendo.data.fields import read_flag, read_number, read_period, read_unit
from tiendo.data.models import DataValue
from tiendo.errors import Conflict, InvalidInput, Locked, NotFound, Problem, text_problems
from tiendo.indicators.models import DataElement
from tiendo.language import current_lang
from tiendo.lib.numbers import plain_number
from tiendo.lib.periods import Period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import OrgUnitResolver, ResolvedUnit

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class ValueInput:
    element: DataElement
    org_unit: OrgUnit
    period: Period
    value: Decimal
    part: str = ""
    estimate: bool = False
    comment: str = ""
    line: int | None = None  # where it came from, for messages

    @property
    def key(self) -> tuple[int, str, int, str]:
        return (self.element.id, self.part, self.org_unit.id, self.period.code)


@dataclass(frozen=True, slots=True)
class SaveResult:
    created: int
    updated: int
    unchanged: int


def _snapshot(value: DataValue) -> dict:
    return {
        "value": plain_number(Decimal(value.value)),
        "estimate": value.estimate,
        "comment": value.comment,
        "status": value.status,
        "version": value.version,
    }


def _audit_key(value: DataValue | ValueInput) -> str:
    if isinstance(value, ValueInput):
        element, part, unit, period = value.element.code, value.part, value.org_unit, value.period
        period = period.code
    else:
        element, part, unit, period = (
            value.data_element.code, value.part, value.org_unit, value.period,
        )
    part = f"[{part}]" if part else ""
    return f"{element}{part} {unit.code} {period}"


def _value_problems(item: ValueInput, part_codes: set[str]) -> list[Problem]:
    element = item.element
    problems = []
    if item.part and item.part not in part_codes:
        problems.append(
            Problem(
                _("%(element)s has no disaggregation part %(part)s")
                % {"element": element.code, "part": item.part},
                item.line, "categoryOptionCombo", item.part,
            )
        )
    if element.value_type == "integer" and item.value != item.value.to_integral_value():
        problems.append(
            Problem(_("a whole number is expected"), item.line, "value", str(item.value))
        )
    if element.value_type == "percent" and not (0 <= item.value <= HUNDRED):
        problems.append(
            Problem(_("a rate must lie between 0 and 100"), item.line, "value", str(item.value))
        )
    if element.value_type in ("integer", "money") and item.value < 0:
        problems.append(
            Problem(_("a negative number is not allowed here"), item.line, "value",
                    str(item.value))
        )
    problems.extend(text_problems({"comment": item.comment}, line=item.line))
    return problems


def value_problems(item: ValueInput) -> list[Problem]:
    """What is wrong with one value on its own (whole number, rate range, sign, comment)."""
    return _value_problems(item, {item.part})


CHUNK = 20000  # values validated and written at a time: bounds memory on big imports


@dataclass(frozen=True, slots=True)
class ValueChange:
    """What a save did (or, in a dry run, would do) to one cell; kind is new/changed."""

    kind: str
    key: str  # codes, as in the audit trail
    old: Decimal | None
    new: Decimal
    line: int | None
    label: str = ""  # names, in the user's language, for people


def _parts_problems(
    cells: dict[tuple[int, int, str], int | None]
) -> list[Problem]:
    """Parts of a disaggregation must add up to the total reported for the same cell.

    Checked once at the end, against what is stored by then (inside the transaction), so a
    file may give a total and its parts in any order and in different chunks.
    """
    problems = []
    elements = {element for element, _unit, _period in cells}
    periods = {period for _element, _unit, period in cells}
    units = sorted({unit for _element, unit, _period in cells})
    merged: dict[tuple, dict[str, Decimal]] = defaultdict(dict)
    # A superset by element, unit and period (plain IN lists, which both databases plan
    # well), narrowed to the cells in Python.
    for start in range(0, len(units), 500):
        rows = DataValue.objects.filter(
            data_element_id__in=elements, org_unit_id__in=units[start : start + 500],
            period__in=periods,
        ).values_list("data_element_id", "org_unit_id", "period", "part", "value")
        for element_id, unit_id, period, part, number in rows:
            if (element_id, unit_id, period) in cells:
                merged[(element_id, unit_id, period)][part] = number
    for cell, parts in merged.items():
        if "" not in parts or len(parts) == 1:
            continue
        total = parts[""]
        parts_sum = sum((v for code, v in parts.items() if code), Decimal(0))
        if parts_sum != total:
            problems.append(
                Problem(
                    _("the parts add up to %(parts)s but the total is %(total)s")
                    % {"parts": plain_number(parts_sum), "total": plain_number(total)},
                    cells[cell], "value", plain_number(total),
                )
            )
    return problems


class _Stored(NamedTuple):
    """What a save needs of a stored value."""

    pk: int
    value: Decimal
    estimate: bool
    comment: str
    status: str
    version: int
    source: str


# Up to this many cells in a chunk, their stored values are looked up by key directly.
FEW = 50


def _fetch_existing(
    keys: dict[tuple, tuple[int, date, date]], counts: dict[tuple[int, date, date], int],
    by_key: bool = False,
) -> dict[tuple, _Stored]:
    """The stored values of these cells (key -> its span). Grouped by data element, part
    and period: where the group's cells are at least half of what its span stores (a
    re-upload), the whole span is read along datavalue_range; otherwise each query walks
    the unique index for a list of units (always, with `by_key`)."""
    by_group: dict[tuple, list[int]] = defaultdict(list)
    for (_element, part, unit, period), span in keys.items():  # the span has the element
        by_group[(span, part, period)].append(unit)
    existing = {}
    for (span, part, period), units in by_group.items():
        element, start, end = span
        if not by_key and 2 * len(units) >= counts.get(span, 0):
            wanted = set(units)
            rows = DataValue.objects.filter(
                data_element_id=element, period_start=start, period_end=end, part=part,
                period=period,
            ).values_list("org_unit_id", *_Stored._fields)
            for unit, *stored in rows:
                if unit in wanted:
                    existing[(element, part, unit, period)] = _Stored(*stored)
            continue
        # 500 keeps the IN list within what both databases accept comfortably.
        for first in range(0, len(units), 500):
            rows = DataValue.objects.filter(
                data_element_id=element, part=part, period=period,
                org_unit_id__in=units[first : first + 500],
            ).values_list("org_unit_id", *_Stored._fields)
            for unit, *stored in rows:
                existing[(element, part, unit, period)] = _Stored(*stored)
    return existing


def _stored_counts(spans: set[tuple[int, date, date]]) -> dict[tuple[int, date, date], int]:
    """How many values are stored per (data element, period start, period end)."""
    elements = {element for element, _start, _end in spans}
    starts = {start for _element, start, _end in spans}
    ends = {end for _element, _start, end in spans}
    rows = (
        DataValue.objects.filter(data_element_id__in=elements, period_start__in=starts,
                                 period_end__in=ends)
        .order_by().values_list("data_element_id", "period_start", "period_end")
        .annotate(count=Count("pk"))
    )
    return {(element, start, end): count for element, start, end, count in rows}


def _span(item: ValueInput) -> tuple[int, date, date]:
    return (item.element.id, item.period.start, item.period.end)


def _chunks(values: Iterable[ValueInput], size: int) -> Iterator[list[ValueInput]]:
    chunk: list[ValueInput] = []
    for item in values:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Batch:
    """The running state of one save: what was seen, counted and found wrong."""

    def __init__(self, *, actor: str, user, source: str, changes: list | None) -> None:
        self.actor, self.user, self.source = Actor(name=actor, user=user), user, source
        self.changes = changes
        self.part_codes: dict[int, set[str]] = {}
        # Cell key -> line it was first seen on; the value itself is in the database by
        # then, which is where a later duplicate is compared with it.
        self.seen: dict[tuple, int | None] = {}
        self.disaggregated: dict[tuple[int, int, str], int | None] = {}
        self.problems: list[Problem] = []
        self.created = self.updated = self.unchanged = 0
        # Values this save inserted, per (data element, period start, period end).
        self.inserted: dict[tuple[int, date, date], int] = defaultdict(int)
        # The aggregates' differences, written once at the end of the save.
        self.aggregates = Pending()

    def _codes(self, element: DataElement) -> set[str]:
        codes = self.part_codes.get(element.id)
        if codes is None:
            codes = set(element.disaggregation.parts.values_list("code", flat=True))
            self.part_codes[element.id] = codes
        return codes

    def _note(self, kind: str, item: ValueInput, old: Decimal | None) -> None:
        if self.changes is not None and len(self.changes) < CHANGES_KEPT:
            part = f" ({item.part})" if item.part else ""
            label = (f"{item.element.name}{part} · {item.org_unit.name} · "
                     f"{item.period.label(current_lang())}")
            self.changes.append(
                ValueChange(kind, _audit_key(item), old, item.value, item.line, label))

    def add(self, chunk: list[ValueInput]) -> None:
        unique: dict[tuple, ValueInput] = {}
        no_parts: set[str] = set()
        for item in chunk:
            element = item.element
            codes = self._codes(element) if element.disaggregation_id else no_parts
            problems = _value_problems(item, codes)
            if problems:
                self.problems.extend(problems)
            key = item.key
            previous = unique.get(key)
            if previous is not None:
                if previous.value != item.value:
                    self._twice(item, previous.line)
                continue
            unique[key] = item
        existing = self._existing(unique)
        to_create: list[ValueInput] = []
        to_update: list[tuple[ValueInput, _Stored]] = []
        for key, item in unique.items():
            stored = existing.get(key)
            if key in self.seen:  # met in an earlier chunk, and stored by now
                if stored is not None and stored.value != item.value:
                    self._twice(item, self.seen[key])
                continue
            self.seen[key] = item.line
            if item.element.disaggregation_id:
                self.disaggregated.setdefault((key[0], key[2], key[3]), item.line)
            if stored is None:
                to_create.append(item)
                self._note("new", item, None)
                continue
            if (stored.value, stored.estimate, stored.comment) == (
                item.value, item.estimate, item.comment
            ):
                self.unchanged += 1
                continue
            if stored.status == DataValue.Status.APPROVED:
                self.problems.append(
                    Problem(_("the value is approved and locked"), item.line, "value",
                            str(item.value))
                )
                continue
            self._note("changed", item, stored.value)
            to_update.append((item, stored))
        self.created += len(to_create)
        self.updated += len(to_update)
        if self.problems:
            return  # the whole save will be undone: no point writing this chunk
        self._write(to_create, to_update)

    def _existing(self, unique: dict[tuple, ValueInput]) -> dict[tuple, _Stored]:
        """The stored values of the chunk's cells. A count per data element and period
        first: where all stored values are this save's own, a cell not met before cannot
        be stored, so a large upload of new values looks up almost nothing by key."""
        spans = {key: _span(item) for key, item in unique.items()}
        if len(spans) <= FEW:
            # A few cells (a form, one value): looked up by key on the unique index, cheaper
            # than counting the thousands of values of their spans.
            return _fetch_existing(spans, {}, by_key=True)
        counts = _stored_counts(set(spans.values()))
        return _fetch_existing({
            key: span for key, span in spans.items()
            if key in self.seen or counts.get(span, 0) > self.inserted[span]
        }, counts)

    def _twice(self, item: ValueInput, line: int | None) -> None:
        self.problems.append(
            Problem(
                _("the same value appears twice with different numbers (also line %(line)s)")
                % {"line": line},
                item.line, "value", str(item.value),
            )
        )

    def _write(
        self, to_create: list[ValueInput], to_update: list[tuple[ValueInput, _Stored]]
    ) -> None:
        now = timezone.now()
        _update_values(to_update, user=self.user, source=self.source, now=now)
        # One audit record per changed value, not one per batch: "who set this number, and
        # what was it before" must be answerable for every value on its own.
        ids = _insert_values(to_create, user=self.user, source=self.source, now=now)
        for item in to_create:
            self.inserted[_span(item)] += 1
        self.aggregates.saved(to_create, to_update)
        draft = DataValue.Status.DRAFT.value
        records = [
            ("create", pk, _audit_key(item), None,
             _snapshot_json(item.value, item.estimate, item.comment, draft, 1))
            for item, pk in zip(to_create, ids, strict=True)
        ]
        records += [
            ("update", stored.pk, _audit_key(item),
             _snapshot_json(stored.value, stored.estimate, stored.comment, stored.status,
                            stored.version),
             _snapshot_json(item.value, item.estimate, item.comment, stored.status,
                            stored.version + 1))
            for item, stored in to_update
        ]
        if records:
            _bulk_insert(AuditRecord, AUDIT_COLUMNS,
                         audit_rows(actor=self.actor, at=now, entity="datavalue", records=records))


def _insert_sql(model, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    return (f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(model._meta.get_field(c).column) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})")


VALUE_COLUMNS = ["data_element", "part", "org_unit", "period", "period_type", "period_start",
                 "period_end", "value", "estimate", "comment", "status", "version",
                 "updated_at", "updated_by", "source"]


def _snapshot_json(
    value: Decimal, estimate: bool, comment: str, status: str, version: int
) -> str:
    """`_snapshot` as JSON text, written directly: a dict through json.dumps for every
    value was a measurable share of a large import. Tests hold the two equal."""
    comment_json = json.dumps(comment) if comment else '""'
    return (f'{{"value": "{plain_number(value)}", "estimate": {"true" if estimate else "false"}, '
            f'"comment": {comment_json}, "status": "{status}", "version": {version}}}')


def _insert_values(items: list[ValueInput], *, user, source: str, now) -> list[int]:
    """Insert new values with one prepared statement (the ORM's bulk_create spends most of a
    large import building SQL) and return their ids, in order, for the audit trail."""
    if not items:
        return []
    ops = connection.ops
    now = ops.adapt_datetimefield_value(now)
    user_id = user.pk if user is not None else None
    dates: dict[str, tuple] = {}
    draft = DataValue.Status.DRAFT.value
    rows = []
    for item in items:
        period = item.period
        span = dates.get(period.code)
        if span is None:
            span = dates[period.code] = (period.type.value, ops.adapt_datefield_value(period.start),
                                         ops.adapt_datefield_value(period.end))
        rows.append((item.element.id, item.part, item.org_unit.id, period.code, *span,
                     ops.adapt_decimalfield_value(item.value, 24, 6), item.estimate,
                     item.comment, draft, 1, now, user_id, source))
    if len(rows) <= FEW:
        # A few values (a form, one value): one INSERT giving their ids back.
        return _insert_returning(items, rows)
    if connection.vendor != "postgresql":
        # SQLite: the ids taken first and written with the rows (no row read back).
        ids = _new_ids(DataValue, len(rows))
        _bulk_insert(DataValue, ["id", *VALUE_COLUMNS],
                     [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
        return ids
    # PostgreSQL: the rows read back by the range of the sequence's ids they got (taking a
    # million ids first, with nextval, took 2.2 s; reading them back 1.0 s).
    quote = connection.ops.quote_name
    table = DataValue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        below = cursor.fetchone()[0]
        _bulk_insert(DataValue, VALUE_COLUMNS, rows)
        cursor.execute("SELECT currval(pg_get_serial_sequence(%s, 'id'))", [table])
        last = cursor.fetchone()[0]  # apart: in the query below it would bound no index
        # Another transaction's rows in the range have other keys.
        columns = ", ".join(quote(DataValue._meta.get_field(name).column)
                            for name in ("id", "data_element", "part", "org_unit", "period"))
        cursor.execute(f"SELECT {columns} FROM {quote(table)} WHERE id > %s AND id <= %s",
                       [below, last])
        ids = {(element, part, unit, period): pk
               for pk, element, part, unit, period in cursor.fetchall()}
    return [ids[item.key] for item in items]


def _insert_returning(items: list[ValueInput], rows: list[tuple]) -> list[int]:
    quote = connection.ops.quote_name
    fields = [DataValue._meta.get_field(name) for name in VALUE_COLUMNS]
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(DataValue._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES {', '.join([marks] * len(rows))} "
            f"RETURNING id, data_element_id, part, org_unit_id, period",
            [cell for row in rows for cell in row],
        )
        ids = {tuple(key): pk for pk, *key in cursor.fetchall()}
    return [ids[item.key] for item in items]


def _new_ids(model, count: int) -> list[int]:
    """On SQLite, ids for `count` new rows of `model`, before they are written: above any it
    ever gave (its AUTOINCREMENT counter: the id of a deleted value is not given again, so
    its audit records stay its own). Its transactions hold the write lock from their start
    (`transaction_mode = IMMEDIATE`), so no other writer comes in between."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"coalesce((SELECT max(id) FROM {connection.ops.quote_name(table)}), 0))", [table])
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def _bulk_insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Many rows into one table: COPY on PostgreSQL (several times faster than INSERTs
    there), one prepared INSERT run many times on SQLite. Both run in every test suite.
    JSON columns take JSON text."""
    fields = [model._meta.get_field(column) for column in columns]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_rows(cursor, model._meta.db_table, fields, rows)
        else:
            cursor.executemany(_insert_sql(model, columns), rows)


CHANGED_COLUMNS = ["id", "value", "estimate", "comment", "version", "source"]


def _update_values(
    changes: list[tuple[ValueInput, _Stored]], *, user, source: str, now
) -> None:
    """Write changed values. On PostgreSQL their new contents are COPYed into a temporary
    table and joined in one UPDATE; on SQLite one prepared UPDATE runs per value. (The
    ORM's bulk_update builds a CASE per column and row: slow past a few thousand.)"""
    if not changes:
        return
    ops = connection.ops
    now = ops.adapt_datetimefield_value(now)
    user_id = user.pk if user is not None else None
    rows = [
        (stored.pk, ops.adapt_decimalfield_value(item.value, 24, 6), item.estimate,
         item.comment, stored.version + 1, source or stored.source)
        for item, stored in changes
    ]
    quote = ops.quote_name
    fields = [DataValue._meta.get_field(name) for name in CHANGED_COLUMNS]
    columns = [quote(field.column) for field in fields]
    table = quote(DataValue._meta.db_table)
    touched = ", ".join(f"{quote(DataValue._meta.get_field(name).column)} = %s"
                        for name in ("updated_by", "updated_at"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            changed = staged(cursor, "tiendo_changed", fields, rows)
            cursor.execute(f"ANALYZE {changed}")  # so that it is joined by the key
            assigned = ", ".join(f"{column} = c.{column}" for column in columns[1:])
            cursor.execute(
                f"UPDATE {table} AS v SET {assigned}, {touched}"
                f" FROM {changed} AS c WHERE v.id = c.id", [user_id, now],
            )
        else:
            assigned = ", ".join(f"{column} = %s" for column in columns[1:])
            cursor.executemany(
                f"UPDATE {table} SET {assigned}, {touched} WHERE {columns[0]} = %s",
                [(*row[1:], user_id, now, row[0]) for row in rows],
            )


CHANGES_KEPT = 2000  # a dry run lists this many changes; the counts cover all of them


def datavalues_save(
    *,
    values: Iterable[ValueInput],
    actor: str,
    user=None,
    source: str = "",
    changes: list[ValueChange] | None = None,
    chunk_size: int = CHUNK,
    check_parts: bool = True,
) -> SaveResult:
    """Store many values at once: all of them, or none when any is wrong.

    `values` may be a generator: it is consumed in chunks, each validated and written inside
    one transaction; anything wrong raises InvalidInput with every problem, which undoes it.
    Approved values are locked; the same cell twice with different numbers is refused
    rather than guessed. `changes`, if given, receives what changed (or would change).
    `check_parts=False` leaves parts that do not add up to their total (a draft's).
    """
    batch = _Batch(actor=actor, user=user, source=source, changes=changes)
    with transaction.atomic():
        for chunk in _chunks(values, chunk_size):
            batch.add(chunk)
        if not batch.problems and check_parts:
            batch.problems.extend(_parts_problems(batch.disaggregated))
        if batch.problems:
            raise InvalidInput(batch.problems)
        # Once for all the chunks: one statement per aggregate table, its rows locked in
        # key order after every value of the save is written.
        batch.aggregates.apply()
    return SaveResult(batch.created, batch.updated, batch.unchanged)


def datavalue_set(
    *,
    element: DataElement,
    org_unit: OrgUnit,
    period: Period,
    value: Decimal,
    actor: str,
    part: str = "",
    estimate: bool = False,
    comment: str = "",
    user=None,
    expected_version: int | None = None,
) -> DataValue:
    """Store one value. With `expected_version`, refuse if someone saved it in between."""
    with transaction.atomic():
        row = (
            DataValue.objects.select_for_update()
            .filter(data_element=element, part=part, org_unit=org_unit, period=period.code)
            .first()
        )
        current = row.version if row else 0
        if expected_version is not None and expected_version != current:
            raise Conflict(
                _("someone else saved this value meanwhile (version %(now)s, you had %(had)s)")
                % {"now": current, "had": expected_version}
            )
        datavalues_save(
            values=[ValueInput(element=element, org_unit=org_unit, period=period, value=value,
                               part=part, estimate=estimate, comment=comment)],
            actor=actor, user=user,
        )
        return DataValue.objects.get(
            data_element=element, part=part, org_unit=org_unit, period=period.code
        )


def datavalue_set_status(
    *, value_id: int, status: str, actor: str, user=None, reason: str = ""
) -> DataValue:
    with transaction.atomic():
        row = DataValue.objects.select_for_update().filter(pk=value_id).first()
        if row is None:
            raise NotFound(_("no such data value"))
        if row.status == status:
            return row
        if row.status == DataValue.Status.APPROVED and status != DataValue.Status.SUBMITTED:
            raise Locked(_("an approved value must be un-approved first"))
        old = _snapshot(row)
        row.status = status
        row.version += 1
        row.save(update_fields=["status", "version", "updated_at"])
        audit_record(
            actor=Actor(name=actor, user=user), action="status", entity="datavalue",
            entity_id=row.pk, key=_audit_key(row), old=old, new=_snapshot(row), reason=reason,
        )
        return row


def datavalues_delete(*, value_ids: Iterable[int], actor: str, user=None, reason: str = "") -> int:
    """Delete stored values, all or none: an approved one must be un-approved first.
    Each deletion is in the audit trail with the value it removed."""
    with transaction.atomic():
        rows = list(DataValue.objects.select_for_update(of=("self",))
                    .filter(pk__in=list(value_ids)).select_related("org_unit", "data_element"))
        if any(row.status == DataValue.Status.APPROVED for row in rows):
            raise Locked(_("an approved value must be un-approved first"))
        for row in rows:
            audit_record(actor=Actor(name=actor, user=user), action="delete",
                         entity="datavalue", entity_id=row.pk, key=_audit_key(row),
                         old=_snapshot(row), new=None, reason=reason)
        DataValue.objects.filter(pk__in=[row.pk for row in rows]).delete()
        aggregates_deleted(rows)
        return len(rows)


def datavalues_delete_named(
    *, values: Iterable[ValueInput], actor: str, user=None,
    changes: list[ValueChange] | None = None, reason: str = "",
) -> int:
    """Delete the stored values the inputs name (element, part, unit, period), as a DHIS2
    file's `deleted` asks; a value that is not stored is nothing to delete. InvalidInput,
    deleting nothing, when one is approved. Returns how many were deleted."""
    problems: list[Problem] = []
    found: list[tuple[ValueInput, DataValue]] = []
    with transaction.atomic():
        for item in values:
            row = (DataValue.objects.select_for_update(of=("self",))
                   .select_related("data_element", "org_unit")
                   .filter(data_element=item.element, part=item.part,
                           org_unit_id=item.org_unit.id, period=item.period.code).first())
            if row is None:
                continue
            if row.status == DataValue.Status.APPROVED:
                problems.append(Problem(
                    _("this value is approved and locked: it cannot be deleted (the report "
                      "must be returned first)"), item.line, "deleted", "true"))
                continue
            found.append((item, row))
        if problems:
            raise InvalidInput(problems)
        if changes is not None:
            changes.extend(ValueChange("deleted", _audit_key(row), row.value, None, item.line,
                                       str(row.data_element)) for item, row in found)
        return datavalues_delete(value_ids=[row.pk for _item, row in found], actor=actor,
                                 user=user, reason=reason)


@dataclass(frozen=True, slots=True)
class EntryInput:
    """One input of an entry form as posted: the value typed (None when left empty) and the
    version of the stored value the user saw (0 when there was none)."""

    element: DataElement
    part: str
    value: Decimal | None
    estimate: bool
    comment: str
    seen_version: int
    line: int


def datavalues_enter(
    *, org_unit: OrgUnit, period: Period, entries: list[EntryInput], actor: str, user=None,
    check_parts: bool = True,
) -> SaveResult:
    """Store what a user typed into a form, all or nothing.

    Optimistic locking: a value someone else saved after the form was opened is not
    overwritten; the user is told and nothing is written. An emptied value that is stored is
    refused rather than deleted silently.
    """
    with transaction.atomic():
        current = {
            (row.data_element_id, row.part): row
            # of=self: PostgreSQL cannot lock the nullable side of the join to the user.
            for row in DataValue.objects.select_for_update(of=("self",)).filter(
                data_element__in=[e.element for e in entries], org_unit=org_unit,
                period=period.code,
            ).select_related("updated_by")
        }
        problems: list[Problem] = []
        values: list[ValueInput] = []
        for entry in entries:
            row = current.get((entry.element.pk, entry.part))
            version = row.version if row else 0
            if version != entry.seen_version:
                who = (row.updated_by.get_username() if row and row.updated_by
                       else row.source if row else "")
                problems.append(Problem(
                    _("someone else (%(who)s) saved this value meanwhile: it is now %(value)s."
                      " Reload the form to see it; nothing was written.")
                    % {"who": who or "?",
                       "value": plain_number(Decimal(row.value)) if row else "—"},
                    entry.line, "value", "" if entry.value is None else plain_number(entry.value),
                ))
                continue
            if entry.value is None:
                if row is not None:
                    problems.append(Problem(
                        _("a stored value cannot be emptied; type 0 if that is the figure"),
                        entry.line, "value", "",
                    ))
                continue
            values.append(ValueInput(
                element=entry.element, org_unit=org_unit, period=period, value=entry.value,
                part=entry.part, estimate=entry.estimate, comment=entry.comment.strip(),
                line=entry.line,
            ))
        if problems:
            raise InvalidInput(problems)
        return datavalues_save(values=values, actor=actor, user=user, source="web",
                               check_parts=check_parts)


# --- values given by code (every import) -------------------------------------------------

UnitCheck = Callable[[ResolvedUnit], str | None]
# Ways to say "the total" in a categoryOptionCombo column (the last is DHIS2's default uid).
DEFAULT_COMBOS = frozenset({"", "default", "HllvX50cXC0"})


@dataclass(slots=True)
class RawValue:
    """One value as a file gives it, before any check; `names` maps our fields to the
    file's own names (column headers, JSON keys, cell columns) for messages."""

    line: int
    element: str
    period: str
    unit: str
    part: str
    value: object
    comment: str
    estimate: object
    names: dict[str, str]
    sheet: str = ""
    deleted: bool = False  # an exchange file's "deleted": the import deletes the value


def datavalues_check(
    *, rows: Iterable[RawValue], unit_check: UnitCheck | None, problems: list[Problem]
) -> Iterator[ValueInput]:
    """The rows that pass the checks a single row allows (codes known, the unit on the map
    of the period's end, a number), as ValueInputs for `datavalues_save`; problems of the
    others go to `problems`. `unit_check` may refuse a unit (the faces pass the user's
    scope): it returns the reason, or None. Identifiers are codes: data element codes,
    official unit codes and disaggregation part codes."""
    elements: dict[str, DataElement | None] = {}
    units: dict[int, OrgUnit] = {}
    resolver = OrgUnitResolver()
    for row in rows:
        names = row.names
        if "deleted" in names:
            problems.append(
                Problem(
                    _("deleting values by import is not supported"), row.line, "deleted", "true",
                    row.sheet,
                )
            )
            continue
        before = len(problems)
        if row.element not in elements:
            elements[row.element] = DataElement.objects.filter(code=row.element).first()
        element = elements[row.element]
        if element is None:
            message = _("unknown data element") if row.element else _("a data element is required")
            problems.append(Problem(message, row.line, names["element"], row.element, row.sheet))
        period = None
        if not row.period:
            problems.append(
                Problem(_("a period is required"), row.line, names["period"], sheet=row.sheet)
            )
        else:
            period = read_period(row.period, row.line, names["period"], problems)
        unit = None
        if period is not None:
            unit = read_unit(resolver, row.unit, period, row.line, names["unit"], problems)
        refusal = unit_check(unit) if unit is not None and unit_check is not None else None
        if refusal:
            problems.append(Problem(refusal, row.line, names["unit"], row.unit, row.sheet))
        value = (Decimal(0) if row.deleted
                 else read_number(row.value, row.line, names["value"], problems))
        estimate = read_flag(row.estimate, row.line, names["estimate"], problems)
        if row.sheet:
            for index in range(before, len(problems)):
                problems[index] = replace(problems[index], sheet=row.sheet)
        if len(problems) != before:
            continue
        if unit.id not in units:
            # What saving needs of a unit (id, code, path; the name for the list of
            # changes), without a query per unit.
            units[unit.id] = OrgUnit(id=unit.id, code=unit.code, kind=unit.kind,
                                     path=unit.path, valid_from=unit.valid_from,
                                     valid_to=unit.valid_to, name=unit.name)
        yield ValueInput(
            element=element,
            org_unit=units[unit.id],
            period=period,
            value=value,
            part="" if row.part in DEFAULT_COMBOS else row.part,
            estimate=estimate,
            comment=row.comment,
            line=row.line,
        )
