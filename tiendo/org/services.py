"""Writes of org units: create, move, link successors; each keeps `path` and `depth` right.

`path` is "/<root id>/.../<own id>/", so it can only be written once the row has an id;
every function here does that inside one transaction, so no reader ever sees a unit
without its path.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from tiendo.audit.services import Actor, audit_record, audited_update
from tiendo.errors import InvalidInput, NotFound, Problem
from tiendo.org.models import OrgUnit, OrgUnitSuccessor

ENTITY = "orgunit"


def _snapshot(unit: OrgUnit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "path": unit.path,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
    }


def _fresh_position(parent: OrgUnit | None) -> tuple[str, int]:
    """Path prefix and depth for a child of `parent`, read from the database.

    The caller's instance may be stale (the parent may have moved since it was read).
    """
    if parent is None:
        return "/", 0
    row = OrgUnit.objects.filter(pk=parent.pk).values_list("path", "depth").first()
    if row is None:
        raise NotFound(_("Parent unit %(unit)s does not exist.") % {"unit": parent})
    return row[0], row[1] + 1


def orgunit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    actor: str = "",
) -> OrgUnit:
    """Create a unit under `parent` (None for a root) with its path and depth."""
    problems = []
    code, name = code.strip(), name.strip()
    if not code:
        problems.append(Problem(_("A code is required."), field="code"))
    if not name:
        problems.append(Problem(_("A name is required."), field="name"))
    if kind not in OrgUnit.Kind.values:
        problems.append(
            Problem(
                _("Unknown kind; expected one of %(kinds)s.")
                % {"kinds": ", ".join(OrgUnit.Kind.values)},
                field="kind",
                value=kind,
            )
        )
    if valid_from and valid_to and valid_to < valid_from:
        problems.append(
            Problem(
                _("The unit cannot end (%(to)s) before it starts (%(from)s).")
                % {"to": valid_to.isoformat(), "from": valid_from.isoformat()},
                field="valid_to",
            )
        )
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        prefix, depth = _fresh_position(parent)
        unit = OrgUnit.objects.create(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            path="",
            depth=depth,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        unit.path = f"{prefix}{unit.pk}/"
        unit.save(update_fields=["path"])
        audit_record(actor=Actor(name=actor), action="create", entity=ENTITY,
                     entity_id=unit.pk, key=unit.code, new=_snapshot(unit))
    return unit


def orgunit_update(*, unit: OrgUnit, actor: str = "") -> OrgUnit:
    """Save `unit`'s code, name, kind and validity as set on the instance.

    The parent is left as stored; use `orgunit_move` to change it, which rewrites paths.
    """
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        raise InvalidInput(
            [
                Problem(
                    _("The unit cannot end (%(to)s) before it starts (%(from)s).")
                    % {"to": unit.valid_to.isoformat(), "from": unit.valid_from.isoformat()},
                    field="valid_to",
                )
            ]
        )
    fields = ["code", "name", "kind", "valid_from", "valid_to"]
    with transaction.atomic():
        old = OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()
        if old is None:
            raise NotFound(_("Unit %(unit)s does not exist.") % {"unit": unit})
        audited_update(instance=old, fields=fields,
                       data={field: getattr(unit, field) for field in fields},
                       actor=Actor(name=actor), entity=ENTITY, key=old.code)
    unit.refresh_from_db()
    return unit


def orgunit_move(*, unit: OrgUnit, parent: OrgUnit | None, actor: str = "") -> OrgUnit:
    """Put `unit` under `parent` and rewrite the path and depth of its whole subtree.

    One UPDATE rewrites the subtree's prefix, so moving a district with its communes costs
    the same as moving a leaf.
    """
    with transaction.atomic():
        old = OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()
        if old is None:
            raise NotFound(_("Unit %(unit)s does not exist.") % {"unit": unit})
        prefix, depth = _fresh_position(parent)
        if prefix.startswith(old.path):
            raise InvalidInput(
                [
                    Problem(
                        _("A unit cannot be moved under itself or its own descendant."),
                        field="parent",
                        value=str(parent),
                    )
                ]
            )
        old_path, new_path = old.path, f"{prefix}{old.pk}/"
        if old.parent_id != (parent.pk if parent else None) or old_path != new_path:
            OrgUnit.objects.filter(path__startswith=old_path).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + (depth - old.depth),
            )
            OrgUnit.objects.filter(pk=old.pk).update(parent=parent)
            from tiendo.data.aggregates import aggregates_unit_moved  # data sits above org

            aggregates_unit_moved(new_path)
            before = _snapshot(old)
            old.refresh_from_db()
            audit_record(actor=Actor(name=actor), action="move", entity=ENTITY,
                         entity_id=old.pk, key=old.code, old=before, new=_snapshot(old))
    unit.refresh_from_db()
    return unit


def orgunit_link_successor(
    *,
    predecessor: OrgUnit,
    successor: OrgUnit,
    share: Decimal,
    effective: datetime.date,
    actor: str = "",
) -> OrgUnitSuccessor:
    """Record that `share` of `predecessor` went to `successor` from `effective` on.

    Linking the same pair again updates share and date rather than failing, so a
    reorganisation can be re-entered after a correction.
    """
    share = Decimal(share)
    problems = []
    if predecessor.pk == successor.pk:
        problems.append(Problem(_("A unit cannot succeed itself."), field="successor"))
    if not (Decimal(0) < share <= Decimal(1)):
        problems.append(
            Problem(_("The share must be above 0 and at most 1."), field="share", value=str(share))
        )
    elif share != share.quantize(Decimal("0.000001")):
        problems.append(
            Problem(_("The share has at most 6 decimals."), field="share", value=str(share))
        )
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        link = (
            OrgUnitSuccessor.objects.select_for_update()
            .filter(predecessor=predecessor, successor=successor)
            .first()
        )
        key = f"{predecessor.code}>{successor.code}"
        new = {"share": str(share), "effective": effective.isoformat()}
        if link is None:
            link = OrgUnitSuccessor.objects.create(
                predecessor=predecessor, successor=successor, share=share, effective=effective
            )
            audit_record(actor=Actor(name=actor), action="link", entity=ENTITY,
                         entity_id=predecessor.pk, key=key, new=new)
        elif link.share != share or link.effective != effective:
            old = {"share": str(link.share), "effective": link.effective.isoformat()}
            link.share, link.effective = share, effective
            link.save(update_fields=["share", "effective"])
            audit_record(actor=Actor(name=actor), action="link", entity=ENTITY,
                         entity_id=predecessor.pk, key=key, old=old, new=new)
    return link
