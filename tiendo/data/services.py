"""Writes of data values: validated, in one transaction, with an audit record per change."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiendo.data.models import AuditRecord, DataValue
from tiendo.errors import Conflict, InvalidInput, Locked, NotFound, Problem
from tiendo.indicators.models import DataElement
from tiendo.lib.periods import Period
from tiendo.org.models import OrgUnit

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


def _plain(number: Decimal) -> str:
    """A number without exponent or trailing zeros: 90, not 9E+1 or 90.000000."""
    return format(number.normalize(), "f")


def _snapshot(value: DataValue) -> dict:
    return {
        "value": _plain(Decimal(value.value)),
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


def _value_problems(item: ValueInput, part_codes: dict[int, set[str]]) -> list[Problem]:
    element = item.element
    problems = []
    if item.part and item.part not in part_codes.get(element.id, set()):
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
    return problems


CHUNK = 20000  # values validated and written at a time: bounds memory on big imports
MAX_PROBLEMS = 1000  # a broken million-row file should not produce a million messages


@dataclass(frozen=True, slots=True)
class ValueChange:
    """What a save did (or, in a dry run, would do) to one cell; kind is new/changed."""

    kind: str
    key: str
    old: Decimal | None
    new: Decimal
    line: int | None


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
                    % {"parts": _plain(parts_sum), "total": _plain(total)},
                    cells[cell], "value", _plain(total),
                )
            )
    return problems


def _fetch_existing(items: list[ValueInput]) -> dict[tuple, DataValue]:
    by_unit: dict[int, set[str]] = defaultdict(set)
    elements = set()
    for item in items:
        by_unit[item.org_unit.id].add(item.period.code)
        elements.add(item.element.id)
    periods = set().union(*by_unit.values()) if by_unit else set()
    existing = {}
    unit_ids = list(by_unit)
    # Chunks keep the IN lists within what both databases accept comfortably.
    for start in range(0, len(unit_ids), 500):
        rows = DataValue.objects.select_related("data_element", "org_unit").filter(
            org_unit_id__in=unit_ids[start : start + 500],
            period__in=periods,
            data_element_id__in=elements,
        )
        for row in rows:
            existing[(row.data_element_id, row.part, row.org_unit_id, row.period)] = row
    return existing


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
        self.actor, self.user, self.source = actor, user, source
        self.changes = changes
        self.part_codes: dict[int, set[str]] = {}
        # Cell key -> line it was first seen on; the value itself is in the database by
        # then, which is where a later duplicate is compared with it.
        self.seen: dict[tuple, int | None] = {}
        self.disaggregated: dict[tuple[int, int, str], int | None] = {}
        self.problems: list[Problem] = []
        self.created = self.updated = self.unchanged = 0

    def _codes(self, element: DataElement) -> set[str]:
        codes = self.part_codes.get(element.id)
        if codes is None:
            codes = set(element.disaggregation.parts.values_list("code", flat=True))
            self.part_codes[element.id] = codes
        return codes

    def _note(self, kind: str, item: ValueInput, old: Decimal | None) -> None:
        if self.changes is not None and len(self.changes) < CHANGES_KEPT:
            self.changes.append(ValueChange(kind, _audit_key(item), old, item.value, item.line))

    def add(self, chunk: list[ValueInput]) -> None:
        unique: list[ValueInput] = []
        in_chunk: dict[tuple, ValueInput] = {}
        for item in chunk:
            codes = self._codes(item.element) if item.element.disaggregation_id else set()
            self.problems.extend(_value_problems(item, {item.element.id: codes}))
            key = item.key
            previous = in_chunk.get(key)
            if previous is not None:
                if previous.value != item.value:
                    self._twice(item, previous.line)
                continue
            in_chunk[key] = item
            unique.append(item)
        existing = _fetch_existing(unique)
        to_create, to_update, audits = [], [], []
        for item in unique:
            key = item.key
            if key in self.seen:  # met in an earlier chunk, and stored by now
                row = existing.get(key)
                if row is not None and row.value != item.value:
                    self._twice(item, self.seen[key])
                continue
            self.seen[key] = item.line
            if item.element.disaggregation_id:
                self.disaggregated.setdefault((key[0], key[2], key[3]), item.line)
            row = existing.get(key)
            if row is None:
                to_create.append(item)
                self._note("new", item, None)
                continue
            if (row.value, row.estimate, row.comment) == (item.value, item.estimate, item.comment):
                self.unchanged += 1
                continue
            if row.status == DataValue.Status.APPROVED:
                self.problems.append(
                    Problem(_("the value is approved and locked"), item.line, "value",
                            str(item.value))
                )
                continue
            self._note("changed", item, row.value)
            old = _snapshot(row)
            row.value, row.estimate, row.comment = item.value, item.estimate, item.comment
            row.version += 1
            row.updated_by, row.source = self.user, self.source or row.source
            to_update.append(row)
            audits.append((row, old))
        self.created += len(to_create)
        self.updated += len(to_update)
        if self.problems:
            return  # the whole save will be undone: no point writing this chunk
        self._write(to_create, audits)

    def _twice(self, item: ValueInput, line: int | None) -> None:
        self.problems.append(
            Problem(
                _("the same value appears twice with different numbers (also line %(line)s)")
                % {"line": line},
                item.line, "value", str(item.value),
            )
        )

    def _write(self, to_create: list[ValueInput], audits: list[tuple[DataValue, dict]]) -> None:
        DataValue.objects.bulk_update(
            [row for row, _old in audits],
            ["value", "estimate", "comment", "version", "updated_by", "source", "updated_at"],
            batch_size=1000,
        )
        # One audit record per changed value, not one per batch: "who set this number, and
        # what was it before" must be answerable for every value on its own.
        created = _insert_values(to_create, user=self.user, source=self.source)
        now = timezone.now()
        records = [
            (now, self.user, self.actor, "create", "datavalue", pk, _audit_key(item), None,
             _new_snapshot(item))
            for item, pk in created
        ]
        records += [
            (now, self.user, self.actor, "update", "datavalue", row.pk, _audit_key(row), old,
             _snapshot(row))
            for row, old in audits
        ]
        _insert_audits(records)


def _insert_sql(model, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    return (f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(model._meta.get_field(c).column) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})")


VALUE_COLUMNS = ["data_element", "part", "org_unit", "period", "period_type", "period_start",
                 "period_end", "value", "estimate", "comment", "status", "version",
                 "updated_at", "updated_by", "source"]
AUDIT_COLUMNS = ["at", "user", "actor", "action", "entity", "entity_id", "key", "old", "new",
                 "reason"]


def _new_snapshot(item: ValueInput) -> dict:
    return {"value": _plain(item.value), "estimate": item.estimate, "comment": item.comment,
            "status": DataValue.Status.DRAFT.value, "version": 1}


def _insert_values(
    items: list[ValueInput], *, user, source: str
) -> list[tuple[ValueInput, int]]:
    """Insert new values with one prepared statement (the ORM's bulk_create spends most of a
    large import building SQL), then read back their ids for the audit trail."""
    if not items:
        return []
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None else None
    dates: dict[str, tuple] = {}
    rows = []
    for item in items:
        period = item.period
        span = dates.get(period.code)
        if span is None:
            span = dates[period.code] = (ops.adapt_datefield_value(period.start),
                                         ops.adapt_datefield_value(period.end))
        rows.append((item.element.id, item.part, item.org_unit.id, period.code,
                     period.type.value, span[0], span[1],
                     ops.adapt_decimalfield_value(item.value, 24, 6), item.estimate,
                     item.comment, DataValue.Status.DRAFT.value, 1, now, user_id, source))
    _bulk_insert(DataValue, VALUE_COLUMNS, rows)
    ids = {}
    for unit_ids, periods, elements in _key_batches(items):
        ids.update({
            (element, part, unit, period): pk
            for pk, element, part, unit, period in DataValue.objects.filter(
                org_unit_id__in=unit_ids, period__in=periods, data_element_id__in=elements
            ).values_list("pk", "data_element_id", "part", "org_unit_id", "period")
        })
    return [(item, ids[item.key]) for item in items]


def _key_batches(items: list[ValueInput]):
    by_unit: dict[int, set[str]] = defaultdict(set)
    elements = set()
    for item in items:
        by_unit[item.org_unit.id].add(item.period.code)
        elements.add(item.element.id)
    periods = list(set().union(*by_unit.values()))
    unit_ids = list(by_unit)
    for start in range(0, len(unit_ids), 500):
        yield unit_ids[start : start + 500], periods, list(elements)


def _insert_audits(records: list[tuple]) -> None:
    if not records:
        return
    ops = connection.ops
    old_field = AuditRecord._meta.get_field("old")
    new_field = AuditRecord._meta.get_field("new")
    rows = [
        (ops.adapt_datetimefield_value(at), user.pk if user is not None else None, actor,
         action, entity, entity_id, key[:255],
         None if old is None else old_field.get_db_prep_save(old, connection),
         new_field.get_db_prep_save(new, connection), "")
        for at, user, actor, action, entity, entity_id, key, old, new in records
    ]
    _bulk_insert(AuditRecord, AUDIT_COLUMNS, rows)


def _bulk_insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Many rows into one table: COPY on PostgreSQL (several times faster than INSERTs
    there), one prepared INSERT run many times on SQLite. Both run in every test suite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
            with cursor.cursor.copy(
                f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(_insert_sql(model, columns), rows)


CHANGES_KEPT = 2000  # a dry run lists this many changes; the counts cover all of them


def datavalues_save(
    *,
    values: Iterable[ValueInput],
    actor: str,
    user=None,
    source: str = "",
    dry_run: bool = False,
    changes: list[ValueChange] | None = None,
    chunk_size: int = CHUNK,
) -> SaveResult:
    """Store many values at once: all of them, or none when any is wrong.

    `values` may be a generator: it is consumed in chunks, each validated and written inside
    one transaction, which is undone at the end if anything was wrong (or for a dry run).
    Approved values are locked; the same cell twice with different numbers is refused
    rather than guessed. `changes`, if given, receives what changed (or would change).
    """
    batch = _Batch(actor=actor, user=user, source=source, changes=changes)
    with transaction.atomic():
        for chunk in _chunks(values, chunk_size):
            batch.add(chunk)
        if not batch.problems:
            batch.problems.extend(_parts_problems(batch.disaggregated))
        if batch.problems:
            raise InvalidInput(_capped(batch.problems))
        if dry_run:
            # Written, then undone: the checks that need the stored state (parts adding
            # up across chunks) ran against exactly what a real save would leave.
            transaction.set_rollback(True)
    return SaveResult(batch.created, batch.updated, batch.unchanged)


def _capped(problems: list[Problem]) -> list[Problem]:
    """The first MAX_PROBLEMS: enough to fix a file by, without a million-line answer."""
    return problems[:MAX_PROBLEMS]


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
        AuditRecord.objects.create(
            user=user, actor=actor, action="status", entity="datavalue", entity_id=row.pk,
            key=_audit_key(row), old=old, new=_snapshot(row), reason=reason,
        )
        return row


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
                    % {"who": who or "?", "value": _plain(Decimal(row.value)) if row else "—"},
                    entry.line, "value", "" if entry.value is None else _plain(entry.value),
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
        return datavalues_save(values=values, actor=actor, user=user, source="web")
