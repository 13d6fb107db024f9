"""Deleting values an exchange file marks `deleted` (DHIS2's way of removing a value), each
deletion audited with the value it removed. Approved values are locked and are not deleted."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.audit.services import Actor, audit_record
from tiendo.data.models import DataValue
from tiendo.data.services import ValueChange, ValueInput
from tiendo.errors import InvalidInput, Problem
from tiendo.lib.numbers import plain_number


def _snapshot(row: DataValue) -> dict:
    """The value as the audit trail keeps it (the same fields as a change's record)."""
    return {"value": plain_number(row.value), "estimate": row.estimate,
            "comment": row.comment, "status": row.status, "version": row.version}


def _audit_key(row: DataValue) -> str:
    part = f"[{row.part}]" if row.part else ""
    return f"{row.data_element.code}{part} {row.org_unit.code} {row.period}"


def datavalues_delete(
    *, values: Iterable[ValueInput], actor: str, user=None,
    changes: list[ValueChange] | None = None,
) -> int:
    """Delete the stored values the inputs name (element, part, unit, period); a value that
    is not stored is nothing to delete. InvalidInput, deleting nothing, when one is approved.
    Returns how many were deleted."""
    items = list(values)
    problems: list[Problem] = []
    found: list[tuple[ValueInput, DataValue]] = []
    with transaction.atomic():
        for item in items:
            row = (DataValue.objects.select_for_update().select_related("data_element",
                                                                          "org_unit")
                   .filter(data_element=item.element, part=item.part, org_unit_id=item.org_unit.id,
                           period=item.period.code).first())
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
        for item, row in found:
            old = _snapshot(row)
            key = _audit_key(row)
            audit_record(actor=Actor(name=actor, user=user), action="delete",
                         entity="datavalue", entity_id=row.pk, key=key, old=old, new=None,
                         reason=_("deleted by an import"))
            if changes is not None:
                changes.append(ValueChange("deleted", key, row.value, None, item.line,
                                           str(row.data_element)))
            row.delete()
    return len(found)
