"""Writes of standards and of units reaching them, each audited."""

import datetime

from tiendo.audit.services import Actor, audited_create, audited_update
from tiendo.indicators.models import Indicator
from tiendo.org.models import OrgUnit
from tiendo.standards.models import Standard, UnitStandard


def _actor(actor: Actor | str) -> Actor:
    return actor if isinstance(actor, Actor) else Actor.system(actor)


def standard_get_or_create(
    *, code: str, name_vi: str, name_en: str, unit_kind: str,
    indicator_added: Indicator | None = None, indicator_total: Indicator | None = None,
    actor: Actor | str,
) -> Standard:
    data = {"name_vi": name_vi, "name_en": name_en, "unit_kind": unit_kind,
            "indicator_added": indicator_added, "indicator_total": indicator_total}
    found = Standard.objects.filter(code=code).first()
    if found is None:
        return audited_create(model=Standard, data={"code": code, **data}, actor=_actor(actor),
                              key=code)
    audited_update(instance=found, fields=list(data), data=data, actor=_actor(actor), key=code)
    return found


def unit_standard_record(
    *, standard: Standard, org_unit: OrgUnit, reached_on: datetime.date, decision: str = "",
    comment: str = "", actor: Actor | str,
) -> UnitStandard:
    """Record (or correct) the day a unit reached a standard and the decision saying so."""
    data = {"reached_on": reached_on, "decision": decision, "comment": comment}
    key = f"{standard.code} {org_unit.code}"
    found = UnitStandard.objects.filter(standard=standard, org_unit=org_unit).first()
    if found is None:
        return audited_create(model=UnitStandard,
                              data={"standard": standard, "org_unit": org_unit, **data},
                              actor=_actor(actor), key=key)
    audited_update(instance=found, fields=list(data), data=data, actor=_actor(actor), key=key)
    return found
