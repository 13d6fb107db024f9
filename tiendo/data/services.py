"""Writes of data values: validated, in one transaction, with an audit record per change."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
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


def _parts_problems(
    items: list[ValueInput], existing: dict[tuple, DataValue]
) -> list[Problem]:
    """Parts of a disaggregation must add up to the total reported for the same cell."""
    merged: dict[tuple, dict[str, tuple[Decimal, int | None]]] = defaultdict(dict)
    for key, row in existing.items():
        if row.data_element.disaggregation_id:
            merged[(key[0], key[2], key[3])][key[1]] = (row.value, None)
    for item in items:
        if item.element.disaggregation_id:
            merged[(item.key[0], item.key[2], item.key[3])][item.part] = (item.value, item.line)
    problems = []
    for cell in merged.values():
        if "" not in cell or len(cell) == 1:
            continue
        total, line = cell[""]
        parts_sum = sum((v for code, (v, _line) in cell.items() if code), Decimal(0))
        if parts_sum != total:
            lines = [ln for _v, ln in cell.values() if ln is not None]
            problems.append(
                Problem(
                    _("the parts add up to %(parts)s but the total is %(total)s")
                    % {"parts": _plain(parts_sum), "total": _plain(total)},
                    line if line is not None else (min(lines) if lines else None), "value",
                    str(total),
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


def datavalues_save(
    *,
    values: Iterable[ValueInput],
    actor: str,
    user=None,
    source: str = "",
    dry_run: bool = False,
) -> SaveResult:
    """Store many values at once: all of them, or none when any is wrong.

    Approved values are locked; the same cell twice in one batch with different numbers is
    refused rather than guessed.
    """
    items = list(values)
    part_codes: dict[int, set[str]] = defaultdict(set)
    for element in {item.element for item in items if item.element.disaggregation_id}:
        part_codes[element.id] = set(
            element.disaggregation.parts.values_list("code", flat=True)
        )
    problems: list[Problem] = []
    seen: dict[tuple, ValueInput] = {}
    unique_items: list[ValueInput] = []
    for item in items:
        problems.extend(_value_problems(item, part_codes))
        previous = seen.get(item.key)
        if previous is None:
            seen[item.key] = item
            unique_items.append(item)
        elif previous.value != item.value:
            problems.append(
                Problem(
                    _("the same value appears twice with different numbers (also line %(line)s)")
                    % {"line": previous.line},
                    item.line, "value", str(item.value),
                )
            )
    with transaction.atomic():
        existing = _fetch_existing(unique_items)
        problems.extend(_parts_problems(unique_items, existing))
        to_create, to_update, audits = [], [], []
        unchanged = 0
        for item in unique_items:
            row = existing.get(item.key)
            if row is None:
                to_create.append(
                    DataValue(
                        data_element=item.element, part=item.part, org_unit=item.org_unit,
                        period=item.period.code, period_type=item.period.type.value,
                        period_start=item.period.start, period_end=item.period.end,
                        value=item.value, estimate=item.estimate, comment=item.comment,
                        updated_by=user, source=source,
                    )
                )
                continue
            if (row.value, row.estimate, row.comment) == (item.value, item.estimate, item.comment):
                unchanged += 1
                continue
            if row.status == DataValue.Status.APPROVED:
                problems.append(
                    Problem(_("the value is approved and locked"), item.line, "value",
                            str(item.value))
                )
                continue
            old = _snapshot(row)
            row.value, row.estimate, row.comment = item.value, item.estimate, item.comment
            row.version += 1
            row.updated_by, row.source = user, source or row.source
            to_update.append(row)
            audits.append((row, old))
        if problems:
            raise InvalidInput(problems)
        if dry_run:
            return SaveResult(len(to_create), len(to_update), unchanged)
        DataValue.objects.bulk_create(to_create, batch_size=2000)
        DataValue.objects.bulk_update(
            to_update,
            ["value", "estimate", "comment", "version", "updated_by", "source", "updated_at"],
            batch_size=1000,
        )
        records = [
            AuditRecord(user=user, actor=actor, action="create", entity="datavalue",
                        entity_id=row.pk, key=_audit_key(row), new=_snapshot(row))
            for row in to_create
        ]
        records += [
            AuditRecord(user=user, actor=actor, action="update", entity="datavalue",
                        entity_id=row.pk, key=_audit_key(row), old=old, new=_snapshot(row))
            for row, old in audits
        ]
        AuditRecord.objects.bulk_create(records, batch_size=2000)
    return SaveResult(len(to_create), len(to_update), unchanged)


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
