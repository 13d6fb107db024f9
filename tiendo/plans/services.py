"""Writes of target sets, targets and documents: validated, audited, in transactions."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.data.models import AuditRecord
from tiendo.errors import InvalidInput, Problem
from tiendo.indicators.models import Indicator
from tiendo.lib.periods import PeriodError, parse_period
from tiendo.org.models import OrgUnit
from tiendo.plans.models import Comparison, Document, Target, TargetSet

ENTITY = "target"
CHANGE_COMPARISONS = frozenset(
    {
        Comparison.DECREASE_PCT,
        Comparison.DECREASE_ABS,
        Comparison.INCREASE_PCT,
        Comparison.INCREASE_ABS,
    }
)


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).normalize():f}"


def _snapshot(target: Target) -> dict:
    return {
        "target_set": target.target_set_id,
        "indicator": target.indicator_id,
        "org_unit": target.org_unit_id,
        "period": target.period,
        "comparison": target.comparison,
        "value": _dec(target.value),
        "value_max": _dec(target.value_max),
        "baseline_period": target.baseline_period,
        "responsible_unit": target.responsible_unit_id,
        "follow_up_person": target.follow_up_person,
        "note": target.note,
    }


def target_problems(
    *,
    comparison: str,
    value: Decimal | None,
    value_max: Decimal | None,
    period: str,
    baseline_period: str = "",
    line: int | None = None,
) -> list[Problem]:
    """What is wrong with a target's comparison, values and periods (empty when fine)."""
    problems: list[Problem] = []
    if comparison not in Comparison.values:
        problems.append(
            Problem(
                _("unknown comparison; expected one of %(values)s")
                % {"values": ", ".join(Comparison.values)},
                line,
                "comparison",
                comparison,
            )
        )
    elif value is not None:
        if comparison == Comparison.RANGE and value_max is None:
            problems.append(
                Problem(_("a range needs an upper value (value_max)"), line, "value_max", "")
            )
        if value_max is not None:
            if comparison != Comparison.RANGE and comparison not in CHANGE_COMPARISONS:
                problems.append(
                    Problem(
                        _("an upper value only applies to a range or a change comparison"),
                        line,
                        "value_max",
                        str(value_max),
                    )
                )
            elif value_max < value:
                problems.append(
                    Problem(
                        _("the upper value must not be below the value (%(value)s)")
                        % {"value": value},
                        line,
                        "value_max",
                        str(value_max),
                    )
                )
    for field, code in (("period", period), ("baseline_period", baseline_period)):
        if field == "baseline_period" and not code:
            continue
        try:
            parse_period(code)
        except PeriodError as error:
            problems.append(
                Problem(
                    _("not a period code: %(problem)s") % {"problem": error.problem},
                    line,
                    field,
                    code,
                )
            )
    return problems


def document_get_or_create(
    *,
    symbol: str,
    kind: str = "plan",
    date: datetime.date | None = None,
    issuer: str = "",
    title: str = "",
) -> Document:
    """The document with `symbol`, created with the other fields if it does not exist."""
    symbol = symbol.strip()
    if not symbol:
        raise InvalidInput([Problem(_("a document symbol is required"), field="document")])
    if kind not in Document.Kind.values:
        raise InvalidInput([Problem(_("unknown document kind"), field="kind", value=kind)])
    document, _created = Document.objects.get_or_create(
        symbol=symbol, defaults={"kind": kind, "date": date, "issuer": issuer, "title": title}
    )
    return document


def target_set_get_or_create(
    *,
    name: str,
    kind: str = "assigned",
    document: Document | str | None = None,
    scope: OrgUnit | None = None,
    period: str = "",
    actor: str,
    user=None,
) -> TargetSet:
    """The target set called `name`; created (and audited) if it does not exist.

    `document` may be a Document or a symbol, which is created when unknown.
    """
    name = name.strip()
    problems = []
    if not name:
        problems.append(Problem(_("a target set name is required"), field="target_set"))
    if kind not in TargetSet.Kind.values:
        problems.append(
            Problem(
                _("unknown kind; expected one of %(values)s")
                % {"values": ", ".join(TargetSet.Kind.values)},
                field="kind",
                value=kind,
            )
        )
    if period:
        try:
            period = parse_period(period).code
        except PeriodError as error:
            problems.append(Problem(error.problem, field="period", value=period))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        existing = TargetSet.objects.filter(name=name).first()
        if existing is not None:
            return existing
        if isinstance(document, str):
            document = document_get_or_create(symbol=document) if document.strip() else None
        target_set = TargetSet.objects.create(
            name=name, kind=kind, document=document, scope=scope, period=period
        )
        AuditRecord.objects.create(
            user=user,
            actor=actor,
            action="create",
            entity="target_set",
            entity_id=target_set.pk,
            key=name,
            new={
                "name": name,
                "kind": kind,
                "document": target_set.document_id,
                "scope": target_set.scope_id,
                "period": period,
            },
        )
    return target_set


def _target_save(
    *,
    target_set: TargetSet,
    indicator: Indicator,
    org_unit: OrgUnit,
    period: str,
    comparison: str,
    value: Decimal,
    value_max: Decimal | None,
    baseline_period: str,
    responsible_unit: OrgUnit | None,
    follow_up_person: str,
    note: str,
    actor: str,
    user,
) -> tuple[Target, str]:
    """Create or update; returns the target and "created", "updated" or "unchanged"."""
    problems = target_problems(
        comparison=comparison,
        value=value,
        value_max=value_max,
        period=period,
        baseline_period=baseline_period,
    )
    if problems:
        raise InvalidInput(problems)
    parsed = parse_period(period)
    baseline = parse_period(baseline_period).code if baseline_period else parsed.previous().code
    fields = {
        "comparison": comparison,
        "value": Decimal(value),
        "value_max": None if value_max is None else Decimal(value_max),
        "baseline_period": baseline,
        "responsible_unit": responsible_unit,
        "follow_up_person": follow_up_person.strip(),
        "note": note.strip(),
    }
    key = f"{target_set.name} {indicator.code} {org_unit.code} {parsed.code}"
    with transaction.atomic():
        target = (
            Target.objects.select_for_update()
            .filter(
                target_set=target_set, indicator=indicator, org_unit=org_unit, period=parsed.code
            )
            .first()
        )
        if target is None:
            target = Target.objects.create(
                target_set=target_set,
                indicator=indicator,
                org_unit=org_unit,
                period=parsed.code,
                **fields,
            )
            AuditRecord.objects.create(
                user=user,
                actor=actor,
                action="create",
                entity=ENTITY,
                entity_id=target.pk,
                key=key,
                new=_snapshot(target),
            )
            return target, "created"
        old = _snapshot(target)
        for name, field_value in fields.items():
            setattr(target, name, field_value)
        new = _snapshot(target)
        if new == old:
            return target, "unchanged"
        target.save()
        AuditRecord.objects.create(
            user=user,
            actor=actor,
            action="update",
            entity=ENTITY,
            entity_id=target.pk,
            key=key,
            old=old,
            new=new,
        )
        return target, "updated"


def target_save(
    *,
    target_set: TargetSet,
    indicator: Indicator,
    org_unit: OrgUnit,
    period: str,
    comparison: str,
    value: Decimal,
    value_max: Decimal | None = None,
    baseline_period: str = "",
    responsible_unit: OrgUnit | None = None,
    follow_up_person: str = "",
    note: str = "",
    actor: str,
    user=None,
) -> Target:
    """Create or update the target for (set, indicator, unit, period), with an audit record.

    The baseline period defaults to the period before `period`.
    """
    target, _outcome = _target_save(
        target_set=target_set,
        indicator=indicator,
        org_unit=org_unit,
        period=period,
        comparison=comparison,
        value=value,
        value_max=value_max,
        baseline_period=baseline_period,
        responsible_unit=responsible_unit,
        follow_up_person=follow_up_person,
        note=note,
        actor=actor,
        user=user,
    )
    return target


def targets_save_many(*, rows: list[dict], actor: str, user=None) -> tuple[int, int]:
    """Save many targets in one transaction; returns (created, updated).

    Each row has `target_set` (a name; the set is created if missing, using the row's
    optional `kind` and `document` symbol), `indicator`, `org_unit`, `period`,
    `comparison`, `value` and optionally `value_max`, `baseline_period`,
    `responsible_unit`, `follow_up_person`, `note`.
    """
    created = updated = 0
    sets: dict[str, TargetSet] = {}
    with transaction.atomic():
        for row in rows:
            name = row["target_set"]
            target_set = sets.get(name)
            if target_set is None:
                target_set = target_set_get_or_create(
                    name=name,
                    kind=row.get("kind") or "assigned",
                    document=row.get("document") or None,
                    actor=actor,
                    user=user,
                )
                sets[name] = target_set
            _target, outcome = _target_save(
                target_set=target_set,
                indicator=row["indicator"],
                org_unit=row["org_unit"],
                period=row["period"],
                comparison=row["comparison"],
                value=row["value"],
                value_max=row.get("value_max"),
                baseline_period=row.get("baseline_period", ""),
                responsible_unit=row.get("responsible_unit"),
                follow_up_person=row.get("follow_up_person", ""),
                note=row.get("note", ""),
                actor=actor,
                user=user,
            )
            created += outcome == "created"
            updated += outcome == "updated"
    return created, updated
