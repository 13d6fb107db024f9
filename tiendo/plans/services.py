"""Writes of target sets, targets and documents: validated, audited, in transactions."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.audit.services import Actor, audit_record, audited_update
from tiendo.errors import InvalidInput, Problem, text_problems
from tiendo.indicators.kinds import elements_of, is_additive
from tiendo.indicators.models import Indicator
from tiendo.language import current_lang
from tiendo.lib.allocate import AllocationCheck, Finding, check_allocation
from tiendo.lib.describe import describe_target
from tiendo.lib.numbers import format_number, plain_number
from tiendo.lib.periods import PeriodError, parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import orgunit_children
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
    return None if value is None else plain_number(Decimal(value))


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


def _years(code: str) -> int:
    """How many calendar years a period code spans (0 when it does not parse)."""
    try:
        found = parse_period(code)
    except PeriodError:
        return 0
    return found.end.year - found.start.year + 1


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
                % {"values": ", ".join(f"{label} ({code})"
                                       for code, label in Comparison.choices)},
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
            if (comparison not in (Comparison.RANGE, Comparison.AVERAGE_GROWTH)
                    and comparison not in CHANGE_COMPARISONS):
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
    if comparison == Comparison.AVERAGE_GROWTH and _years(period) < 2:
        problems.append(Problem(_("an average annual growth needs a period of several years "
                                  "(e.g. 2021-2025)"), line, "period", period))
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
    actor: str = "",
    user=None,
) -> Document:
    """The document with `symbol`, created (and audited) with the other fields if it does
    not exist."""
    symbol = symbol.strip()
    if not symbol:
        raise InvalidInput([Problem(_("a document symbol is required"), field="symbol")])
    problems = text_problems({"symbol": symbol, "issuer": issuer, "title": title})
    if problems:
        raise InvalidInput(problems)
    if kind not in Document.Kind.values:
        raise InvalidInput([Problem(_("unknown document kind"), field="kind", value=kind)])
    with transaction.atomic():
        document, created = Document.objects.get_or_create(
            symbol=symbol, defaults={"kind": kind, "date": date, "issuer": issuer, "title": title}
        )
        if created:
            audit_record(
                actor=Actor(name=actor, user=user), action="create", entity="document",
                entity_id=document.pk, key=symbol,
                new={"kind": kind, "date": date.isoformat() if date else None, "issuer": issuer,
                     "title": title},
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
    problems = text_problems({"target_set": name})
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
            document = (document_get_or_create(symbol=document, actor=actor, user=user)
                        if document.strip() else None)
        target_set = TargetSet.objects.create(
            name=name, kind=kind, document=document, scope=scope, period=period
        )
        audit_record(
            actor=Actor(name=actor, user=user),
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
) -> tuple[Target, str, dict | None]:
    """Create or update; returns the target, "created", "updated" or "unchanged", and the
    target's snapshot before (None when created)."""
    problems = target_problems(
        comparison=comparison,
        value=value,
        value_max=value_max,
        period=period,
        baseline_period=baseline_period,
    ) + text_problems({"follow_up_person": follow_up_person, "note": note})
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
            audit_record(actor=Actor(name=actor, user=user), action="create", entity=ENTITY,
                         entity_id=target.pk, key=key, new=_snapshot(target))
            return target, "created", None
        old = _snapshot(target)
        if not audited_update(instance=target, fields=list(fields), data=fields,
                              actor=Actor(name=actor, user=user), entity=ENTITY, key=key):
            return target, "unchanged", old
        return target, "updated", old


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
    target, _outcome, _old = _target_save(
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


def targets_save_many(*, rows: list[dict], actor: str, user=None,
                      outcomes: list | None = None) -> tuple[int, int]:
    """Save many targets in one transaction; returns (created, updated).

    Each row has `target_set` (a name; the set is created if missing, using the row's
    optional `kind` and `document` symbol), `indicator`, `org_unit`, `period`,
    `comparison`, `value` and optionally `value_max`, `baseline_period`,
    `responsible_unit`, `follow_up_person`, `note`. `outcomes`, if given, receives for
    each row "created", "updated" or "unchanged" and the target as it was before.
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
            _target, outcome, old = _target_save(
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
            if outcomes is not None:
                outcomes.append((outcome, old))
    return created, updated


def target_set_create(
    *,
    name: str,
    kind: str = "assigned",
    document: Document | None = None,
    new_document: dict | None = None,
    scope: OrgUnit | None = None,
    period: str = "",
    actor: str,
    user=None,
) -> TargetSet:
    """A new target set; refuses a name already taken (a page must not silently reuse one).

    With `new_document` (the fields of `document_get_or_create`) the document is made in
    the same transaction, so a refused set leaves no new document; its problems are named
    `document_<field>`.
    """
    with transaction.atomic():
        if new_document is not None:
            try:
                document = document_get_or_create(**new_document, actor=actor, user=user)
            except InvalidInput as error:
                raise InvalidInput([replace(p, field=f"document_{p.field}")
                                    for p in error.problems]) from None
        if TargetSet.objects.filter(name=name.strip()).exists():
            raise InvalidInput([Problem(_("a target set with this name already exists"),
                                        field="name", value=name)])
        return target_set_get_or_create(
            name=name, kind=kind, document=document, scope=scope, period=period, actor=actor,
            user=user,
        )


def target_delete(*, target: Target, actor: str, user=None) -> None:
    """Delete a target, keeping what it was in the audit trail."""
    key = f"{target.target_set.name} {target.indicator.code} {target.org_unit.code} {target.period}"
    with transaction.atomic():
        audit_record(actor=Actor(name=actor, user=user), action="delete", entity=ENTITY,
                     entity_id=target.pk, key=key, old=_snapshot(target))
        target.delete()


def indicator_is_additive(indicator: Indicator) -> bool:
    """Whether the indicator over a unit is the sum of it over the units below (the rule of
    tiendo.indicators.kinds)."""
    return is_additive(indicator, elements_of([indicator]))


def allocation_units(target: Target) -> list[OrgUnit]:
    """The areas directly below the target's unit that exist at the end of its period."""
    on = parse_period(target.period).end
    return list(
        orgunit_children(target.org_unit, on=on).filter(
            kind__in=[OrgUnit.Kind.DISTRICT, OrgUnit.Kind.COMMUNE]
        )
    )


@dataclass(frozen=True, slots=True)
class Allocation:
    check: AllocationCheck
    saved: list[Target]
    deleted: int
    warnings: list[str]


def _allocation_problems(
    check: AllocationCheck, target: Target, units: dict[int, OrgUnit]
) -> tuple[list[Problem], list[str]]:
    lang = current_lang()
    decimals = target.indicator.decimals
    whole = describe_target(target.comparison, target.value, None, decimals, lang)
    total = "" if check.total is None else format_number(check.total, decimals, lang)
    at_most = target.comparison == Comparison.AT_MOST
    texts = {
        Finding.NOT_ALLOCATABLE: _(
            "a range or a target with an upper value cannot be split; enter each unit's "
            "target on its own"
        ),
        Finding.NO_PARTS: _("enter a target for at least one unit"),
        Finding.SUM_SHORT: (
            _("the units' targets add up to %(total)s, above the whole's ceiling (%(whole)s)")
            if at_most
            else _("the units' targets add up to %(total)s, short of the whole's (%(whole)s)")
        ),
        Finding.SUM_OVER: (
            _("the units' targets add up to %(total)s, below the whole's ceiling "
              "(%(whole)s): saved as a margin")
            if at_most
            else _("the units' targets add up to %(total)s, more than the whole's "
                   "(%(whole)s): saved as a margin")
        ),
        Finding.MISSING_PART: _(
            "a rate or a relative change cannot be summed over units, so every unit needs a "
            "target at least as demanding as the whole's (%(whole)s)"
        ),
        Finding.PART_WEAKER: _(
            "less demanding than the whole's %(whole)s: the whole's figure is an average of "
            "the units' figures, so every unit must reach it"
        ),
    }
    def text(finding: Finding) -> str:
        return texts[finding] % {"total": total, "whole": whole}

    problems = [
        Problem(text(finding), field=f"unit_{key}" if key else "amounts",
                value=units[key].name if key else "")
        for finding, key in check.errors
    ]
    return problems, [text(finding) for finding, _key in check.warnings]


def targets_allocate(
    *,
    target: Target,
    amounts: Mapping[int, Decimal | None],
    target_set: TargetSet | None = None,
    actor: str,
    user=None,
) -> Allocation:
    """Split `target` into targets of the units directly below its unit, all or nothing.

    `amounts` maps each unit id (see `allocation_units`) to its target value, None for no
    target; a unit left out or None that already has a target in `target_set` (by default
    the target's own set) loses it, so the saved allocation is exactly what was entered.
    The parts must cover the whole (see `tiendo.lib.allocate` for the rule and why).
    Child targets count for their own units only, so the whole's "x/y" does not change.
    """
    destination = target_set or target.target_set
    units = {unit.pk: unit for unit in allocation_units(target)}
    strangers = [key for key in amounts if key not in units]
    if strangers:
        raise InvalidInput(
            [Problem(_("not a unit directly below %(unit)s in this period")
                     % {"unit": target.org_unit.name}, field="amounts", value=str(key))
             for key in strangers]
        )
    negative = [key for key, value in amounts.items() if value is not None and value < 0]
    if negative:
        raise InvalidInput(
            [Problem(_("a target cannot be negative"), field=f"unit_{key}",
                     value=units[key].name) for key in negative]
        )
    scope = destination.scope
    if scope is not None and not target.org_unit.path.startswith(scope.path):
        raise InvalidInput([Problem(
            _("the units below %(unit)s are outside the scope of %(set)s")
            % {"unit": target.org_unit.name, "set": destination.name},
            field="target_set", value=destination.name,
        )])
    parts = {key: amounts.get(key) for key in units}
    check = check_allocation(
        comparison=target.comparison, whole=target.value,
        has_upper=target.value_max is not None,
        additive=indicator_is_additive(target.indicator), parts=parts,
    )
    problems, warnings = _allocation_problems(check, target, units)
    if problems:
        raise InvalidInput(problems)
    existing = {
        t.org_unit_id: t
        for t in Target.objects.select_related("target_set", "indicator", "org_unit").filter(
            target_set=destination, indicator=target.indicator, period=target.period,
            org_unit__in=units.values(),
        )
    }
    saved, deleted = [], 0
    with transaction.atomic():
        for key, value in parts.items():
            if value is None:
                if key in existing:
                    target_delete(target=existing[key], actor=actor, user=user)
                    deleted += 1
                continue
            saved.append(target_save(
                target_set=destination, indicator=target.indicator, org_unit=units[key],
                period=target.period, comparison=target.comparison, value=value,
                baseline_period=target.baseline_period, actor=actor, user=user,
            ))
        audit_record(
            actor=Actor(name=actor, user=user), action="allocate", entity=ENTITY,
            entity_id=target.pk,
            key=f"{target.indicator.code} {target.org_unit.code} {target.period}",
            new={"target_set": destination.pk,
                 "parts": {units[key].code: _dec(value) for key, value in parts.items()}},
        )
    return Allocation(check, saved, deleted, warnings)
