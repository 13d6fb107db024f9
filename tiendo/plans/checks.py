"""Checking targets given by code, as every targets import gives them (a targets CSV whose
rows name their target set, the Excel template of one target set); the readers are in
`tiendo.exchange.readers`, storing is `targets_save_many`.

Every row is checked: indicator code, numbers, comparison (a code, or its label in
Vietnamese or English as the template's list shows it), periods, the unit on the map in
force at the end of the period, duplicates. So is the right to plan, for a user (None is
the command line, which may do everything): a target set is changed only by someone who
may plan it, only an administrator creates one by import, and each target's unit must be
inside the set's scope and inside what the user may plan.
"""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from tiendo.accounts.access import user_scope
from tiendo.data.fields import read_number, read_unit
from tiendo.data.services import ValueChange
from tiendo.errors import Forbidden, InvalidInput, Problem, text_problems
from tiendo.indicators.models import Indicator
from tiendo.language import current_lang
from tiendo.lib.describe import describe_target
from tiendo.lib.periods import Period, PeriodError, parse_period
from tiendo.org.models import OrgUnit
from tiendo.org.selectors import OrgUnitResolver
from tiendo.plans.models import Comparison, TargetSet
from tiendo.plans.selectors import may_plan_set, target_unit_problems, targetsets_for
from tiendo.plans.services import target_problems


@dataclass(frozen=True, slots=True)
class RawTarget:
    """One target as a file gives it, before any check: field name (target_set, indicator,
    org_unit, period, comparison, value, ...) → the cell or column as found."""

    line: int
    fields: Mapping[str, object]


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def comparison_labels(lang: str) -> list[tuple[str, str]]:
    """(code, label) of every comparison in `lang`: what the template's list offers."""
    with translation.override(lang):
        return [(code, str(label)) for code, label in Comparison.choices]


def comparison_codes() -> dict[str, str]:
    """Every way a cell may name a comparison (its code, its label in Vietnamese or English,
    folded) → the code."""
    codes = {code: code for code in Comparison.values}
    for lang in ("en", "vi"):
        codes.update({_folded(label): code for code, label in comparison_labels(lang)})
    return codes


def _text(row: Mapping[str, object], name: str) -> str:
    value = row.get(name)
    return "" if value is None else unicodedata.normalize("NFC", str(value)).strip()


@dataclass(frozen=True, slots=True)
class TargetFields:
    """What a target is, as typed on a form or a file's row, each field read once."""

    comparison: str
    value: Decimal | None
    value_max: Decimal | None
    period_code: str
    baseline_period: str
    period: Period | None  # None when the code does not parse (a problem says so)


def target_fields_read(row: Mapping[str, object], *, line: int | None = None,
                       comparisons: Mapping[str, str] | None = None, lang: str | None = None,
                       ) -> tuple[TargetFields, list[Problem]]:
    """The fields of a target from a form's or a file's row (numbers may come as numbers
    from a workbook), and every problem with them. `comparisons` maps the words a file may
    use ("ít nhất") to comparison codes."""
    found: list[Problem] = []

    def text(name: str) -> str:
        return _text(row, name)

    lang = lang or current_lang()  # typed by a person: their language reads the number
    value = read_number(row.get("value"), line, "value", found, lang=lang)
    value_max = read_number(row.get("value_max"), line, "value_max", found, lang=lang) if text(
        "value_max") else None
    comparison = text("comparison")
    if comparisons is not None:
        comparison = comparisons.get(_folded(comparison), comparison)
    period_code, baseline = text("period"), text("baseline_period")
    found.extend(target_problems(comparison=comparison, value=value, value_max=value_max,
                                 period=period_code, baseline_period=baseline, line=line))
    try:
        period = parse_period(period_code)
    except PeriodError:
        period = None  # reported by target_problems
    return TargetFields(comparison, value, value_max, period_code, baseline, period), found


def targets_check(
    *, records: list[RawTarget], user, target_set: TargetSet | None = None,
    names: Mapping[str, str] | None = None, sheet: str = "",
) -> list[dict]:
    """The rows ready for `targets_save_many`, or InvalidInput listing every problem. With
    `target_set`, every row goes to that set (the template of a set); otherwise each row
    names its set. `names` gives the column name to report for a field (a template's
    "H (Giá trị)"); `sheet` the sheet's name."""
    scope = None if user is None else user_scope(user)
    if target_set is not None and user is not None and not may_plan_set(user, target_set):
        raise Forbidden(_("your role does not allow changing this target set"))
    check = _RowCheck(records, scope=scope, user=user, target_set=target_set,
                      names=names or {})
    pending = [row for row in map(check.row, records) if row]
    if check.problems:
        raise InvalidInput([Problem(p.message, p.line, p.field, p.value, sheet or p.sheet)
                            for p in check.problems])
    units = OrgUnit.objects.in_bulk(
        {r["org_unit"] for r in pending} | {r["responsible_unit"] for r in pending} - {None}
    )
    for r in pending:
        r["org_unit"] = units[r["org_unit"]]
        r["responsible_unit"] = units.get(r["responsible_unit"])
    return pending


def target_changes(*, rows: list[dict],
                   outcomes: list[tuple[str, dict | None]]) -> list[ValueChange]:
    """What `targets_save_many` did (or, in a dry run, would do) to each row, described in
    the user's language; an unchanged target is left out."""
    lang = current_lang()
    found = []
    for row, (kind, old) in zip(rows, outcomes, strict=True):
        if kind == "unchanged":
            continue
        decimals = row["indicator"].decimals
        new = describe_target(row["comparison"], row["value"], row["value_max"], decimals, lang)
        before = None
        if old is not None:
            before = describe_target(old["comparison"], Decimal(old["value"]),
                                     None if old["value_max"] is None
                                     else Decimal(old["value_max"]), decimals, lang)
        key = f"{row['indicator'].name} · {row['org_unit'].name} · {row['period']}"
        found.append(ValueChange("new" if kind == "created" else "changed", key, before, new,
                                 row["line"]))
    return found


TEXT_FIELDS = ("target_set", "document", "follow_up_person", "note")


class _RowCheck:
    """The checks of one import's rows; problems gather in `problems`."""

    def __init__(self, records: list[RawTarget], *, scope, user, target_set: TargetSet | None,
                 names: Mapping[str, str]) -> None:
        self.scope, self.user, self.fixed, self.names = scope, user, target_set, names
        self.problems: list[Problem] = []
        codes = {_text(record.fields, "indicator") for record in records}
        self.indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        wanted = {_text(record.fields, "target_set") for record in records} if target_set is None \
            else set()
        # A set the user may not see is, to them, a set that does not exist.
        sets = TargetSet.objects if user is None else targetsets_for(user)
        self.sets = {s.name: s for s in sets.filter(name__in=wanted).select_related("scope")}
        self.resolver = OrgUnitResolver()
        self.comparisons = comparison_codes()
        self.set_kinds: dict[str, tuple[str, str, int]] = {}
        self.refused_sets: set[str] = set()
        self.seen: dict[tuple, int] = {}

    def _problem(self, message: str, line: int, field: str, value: object = "") -> None:
        self.problems.append(Problem(message, line, self.names.get(field, field), str(value)))

    def _target_set(self, row, line: int) -> tuple[str, str, str, TargetSet | None]:
        """The name, kind and document of the row's set, and the set if it exists."""
        if self.fixed is not None:
            return self.fixed.name, self.fixed.kind, "", self.fixed
        name = _text(row, "target_set")
        if not name:
            self._problem(_("a target set name is required"), line, "target_set")
        kind = _text(row, "kind") or TargetSet.Kind.ASSIGNED
        if kind not in TargetSet.Kind.values:
            self._problem(_("unknown kind; expected one of %(values)s")
                          % {"values": ", ".join(TargetSet.Kind.values)}, line, "kind", kind)
        document = _text(row, "document")
        first = self.set_kinds.setdefault(name, (kind, document, line))
        if (kind, document) != first[:2]:
            self._problem(_("kind and document differ from line %(line)s for the same target "
                            "set") % {"line": first[2]}, line, "target_set", name)
        existing = self.sets.get(name)
        if name and self.user is not None and name not in self.refused_sets:
            if existing is None and not self.scope.is_admin:
                self.refused_sets.add(name)
                self._problem(_("there is no target set with this name; create it on the "
                                "target sets page first"), line, "target_set", name)
            elif existing is not None and not may_plan_set(self.user, existing):
                self.refused_sets.add(name)
                self._problem(_("your role does not allow changing this target set"), line,
                              "target_set", name)
        return name, kind, document, existing

    def _unit_allowed(self, target_set: TargetSet | None, unit, line: int) -> None:
        if target_set is None:
            return  # a set the import creates has no scope; only an administrator gets here
        if self.user is not None:
            refusals = [p.message for p in target_unit_problems(self.user, target_set, unit)]
        elif target_set.scope is not None and not unit.path.startswith(target_set.scope.path):
            refusals = [_("this unit is outside the target set's scope")]
        else:
            refusals = []
        for message in refusals:
            self._problem(message, line, "org_unit", unit.code)

    def row(self, record: RawTarget) -> dict | None:
        """The row ready for `targets_save_many`, or None (its problems recorded)."""
        line, row = record.line, record.fields
        before = len(self.problems)
        name, kind, document, target_set = self._target_set(row, line)
        code = _text(row, "indicator")
        indicator = self.indicators.get(code)
        if indicator is None:
            self._problem(_("unknown indicator") if code else _("an indicator code is required"),
                          line, "indicator", code)
        fields, found = target_fields_read(row, line=line, comparisons=self.comparisons)
        for problem in found:
            self._problem(problem.message, line, problem.field, problem.value)
        unit_id = responsible_id = None
        period = fields.period
        if period is not None:
            unit_code = _text(row, "org_unit")
            unit = self._unit(unit_code, period, line, "org_unit")
            if unit is not None:
                unit_id = unit.id
                self._unit_allowed(target_set, unit, line)
            if _text(row, "responsible_unit"):
                responsible = self._unit(_text(row, "responsible_unit"), period, line,
                                         "responsible_unit")
                if responsible is not None and not self._may_read(responsible):
                    # the same words as for a code that does not exist: nothing told
                    self._problem(_("No unit has code %(code)s on %(date)s.")
                                  % {"code": responsible.code, "date": period.end.isoformat()},
                                  line, "responsible_unit", responsible.code)
                    responsible = None
                responsible_id = None if responsible is None else responsible.id
            baseline = fields.baseline_period or period.previous().code
            key = (name, code, unit_id, period.code)
            if unit_id is not None and key in self.seen:
                self._problem(_("the same target appears twice (also line %(line)s)")
                              % {"line": self.seen[key]}, line, "indicator", code)
            self.seen.setdefault(key, line)
        for problem in text_problems({name: _text(row, name) for name in TEXT_FIELDS},
                                     line=line):
            self._problem(problem.message, line, problem.field, problem.value)
        if len(self.problems) != before:
            return None
        return {
            "target_set": name, "kind": kind, "document": document, "indicator": indicator,
            "org_unit": unit_id, "period": period.code, "comparison": fields.comparison,
            "value": fields.value, "value_max": fields.value_max, "baseline_period": baseline,
            "responsible_unit": responsible_id,
            "follow_up_person": _text(row, "follow_up_person"), "note": _text(row, "note"),
            "line": line,
        }

    def _may_read(self, unit) -> bool:
        return self.user is None or self.scope.can_read(unit)

    def _unit(self, code: str, period, line: int, field: str):
        found: list[Problem] = []
        unit = read_unit(self.resolver, code, period, line, field, found)
        for problem in found:
            self._problem(problem.message, line, field, problem.value)
        return unit
