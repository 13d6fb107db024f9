"""The one way to write the audit trail.

Every service that changes a row leaves an `AuditRecord` through these helpers, saying who
acted with an `Actor`: `audit_record` for one change, `audit_records` for many of the same
kind, `audited_create` and `audited_update` to write a row and record exactly what was
written, and `audit_rows` for the bulk insert of a large import.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction

from tiendo.audit.models import AuditRecord
from tiendo.lib.numbers import plain_number


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """Who makes a change: the user (kept by id in the record) or None when Tiến Độ itself
    acts, and the name the trail shows ("anna", "api:anna", "upload:bieu01.xlsx", "loader")."""

    name: str
    user: Any = None  # a settings.AUTH_USER_MODEL instance

    @classmethod
    def of(cls, user, *, via: str = "") -> "Actor":
        """`user` acting, named by the user name; `via` says through what ("api:anna")."""
        name = user.get_username()
        return cls(name=f"{via}:{name}" if via else name, user=user)

    @classmethod
    def system(cls, name: str) -> "Actor":
        """A part of Tiến Độ acting on no user's behalf (the units loader, the demo)."""
        return cls(name=name)

    @property
    def user_id(self) -> int | None:
        return None if self.user is None else self.user.pk


@dataclass(frozen=True, slots=True)
class Change:
    """One change among many of the same kind, for `audit_records`."""

    entity_id: int
    key: str = ""
    old: dict | None = None
    new: dict | None = None


def audit_record(
    *, actor: Actor, action: str, entity: str, entity_id: int, key: str = "",
    old: dict | None = None, new: dict | None = None, reason: str = "",
) -> AuditRecord:
    """Record one change; call it inside the transaction that makes the change."""
    return AuditRecord.objects.create(
        user=actor.user, actor=actor.name, action=action, entity=entity, entity_id=entity_id,
        key=key[:255], old=old, new=new, reason=reason,
    )


def audit_records(
    *, actor: Actor, action: str, entity: str, changes: Iterable[Change], reason: str = "",
) -> None:
    """Record many changes of one kind with one insert (a report's values on approval)."""
    AuditRecord.objects.bulk_create([
        AuditRecord(user=actor.user, actor=actor.name, action=action, entity=entity,
                    entity_id=change.entity_id, key=change.key[:255], old=change.old,
                    new=change.new, reason=reason)
        for change in changes
    ])


def audited_create(
    *, model: type[models.Model], data: dict[str, Any], actor: Actor, entity: str = "",
    key: str = "",
) -> models.Model:
    """Create a `model` row from `data` and record it; a foreign key is recorded as its id
    and `entity` defaults to the model's name."""
    with transaction.atomic():
        instance = model.objects.create(**data)
        audit_record(actor=actor, action="create", entity=entity or model._meta.model_name,
                     entity_id=instance.pk, key=key,
                     new={name: _plain(value) for name, value in data.items()})
    return instance


def audited_bulk_create(
    *, model: type[models.Model], rows: list[tuple[dict[str, Any], str]], actor: Actor,
    entity: str = "",
) -> list[models.Model]:
    """`audited_create` for many rows at once: one insert for the rows, one for their
    records. `rows` holds each row's data and audit key; the new instances come back in
    order, with their ids."""
    if not rows:
        return []
    with transaction.atomic():
        created = model.objects.bulk_create([model(**data) for data, _key in rows])
        audit_records(actor=actor, action="create", entity=entity or model._meta.model_name,
                      changes=[Change(entity_id=instance.pk, key=key,
                                      new={name: _plain(value) for name, value in data.items()})
                               for instance, (data, key) in zip(created, rows, strict=True)])
    return created


def audited_update(
    *, instance: models.Model, fields: list[str], data: dict[str, Any], actor: Actor,
    action: str = "update", entity: str = "", key: str = "", reason: str = "",
) -> bool:
    """Set those of `fields` that `data` changes on `instance`, save only them, and record
    their old and new values; returns whether anything changed (nothing is written if not).

    HackSoft's `model_update` with the audit record in it. A foreign key may be given as an
    instance or an id and is recorded as the id; `entity` defaults to the model's name.
    Fields updated automatically (`auto_now`) are saved with the change.
    """
    meta = instance._meta
    old, new = {}, {}
    for name in fields:
        if name not in data:
            continue
        field = meta.get_field(name)
        value = data[name]
        if field.is_relation:
            current = getattr(instance, field.attname)
            wanted = value.pk if isinstance(value, models.Model) else value
        else:
            current, wanted = getattr(instance, name), value
        if current == wanted:
            continue
        old[name], new[name] = _plain(current), _plain(wanted)
        setattr(instance, name if isinstance(value, models.Model) else field.attname, value)
    if not new:
        return False
    stamped = [field.name for field in meta.concrete_fields if getattr(field, "auto_now", False)]
    with transaction.atomic():
        instance.save(update_fields=[*new, *stamped])
        audit_record(actor=actor, action=action, entity=entity or meta.model_name,
                     entity_id=instance.pk, key=key, old=old, new=new, reason=reason)
    return True


def _plain(value: Any) -> Any:
    """A field's value as the trail keeps it in JSON."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, datetime.date):  # a datetime too
        return value.isoformat()
    return value


# The columns `audit_rows` fills, in order, for an insert that bypasses the ORM.
AUDIT_COLUMNS = ["at", "user", "actor", "action", "entity", "entity_id", "key", "old", "new",
                 "reason"]


def audit_rows(
    *, actor: Actor, at: datetime.datetime, entity: str,
    records: Iterable[tuple[str, int, str, str | None, str | None]],
) -> list[tuple]:
    """Rows of `AUDIT_COLUMNS` for a bulk insert of many records at once (a large import
    writes one per value): (action, entity id, key, old JSON text, new JSON text) each."""
    at = connection.ops.adapt_datetimefield_value(at)
    return [
        (at, actor.user_id, actor.name, action, entity, entity_id, key[:255], old, new, "")
        for action, entity_id, key, old, new in records
    ]
