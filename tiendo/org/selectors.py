"""Reads of org units: resolve a code on a date, walk the hierarchy, follow successors.

Rule for codes in data (imports, API, Excel): a code is resolved against the map in force
at the END of the data's period. "80" for 2023 is Long An; for 2026 it is Tây Ninh; for the
year 2025 it is also Tây Ninh, since the new province reports the whole year. Callers pass
`on=period.end`.
"""

import datetime
from bisect import bisect_right
from collections import defaultdict
from typing import NamedTuple

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from tiendo.errors import NotFound
from tiendo.org.models import OrgUnit


def valid_on(on: datetime.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def _not_found(code: str, on: datetime.date, kinds: tuple[str, ...] | None) -> NotFound:
    if kinds:
        return NotFound(
            _("No unit of kind %(kinds)s has code %(code)s on %(date)s.")
            % {"kinds": ", ".join(kinds), "code": code, "date": on.isoformat()}
        )
    return NotFound(
        _("No unit has code %(code)s on %(date)s.") % {"code": code, "date": on.isoformat()}
    )


def _ambiguous(code: str, on: datetime.date, kinds: list[str]) -> NotFound:
    return NotFound(
        _(
            "Code %(code)s matches several units on %(date)s (%(kinds)s); "
            "say which kind of unit is meant."
        )
        % {"code": code, "date": on.isoformat(), "kinds": ", ".join(sorted(kinds))}
    )


def orgunit_resolve(
    *, code: str, on: datetime.date, kinds: tuple[str, ...] | None = None
) -> OrgUnit:
    """The unit with `code` valid on `on`, optionally restricted to some kinds.

    Codes are reused across maps (80 is Long An until 2025-06-30 and Tây Ninh from
    2025-07-01), so a code alone is not a unit. For areas (code, date) is unique, since a
    2-digit province code never equals a 3-digit district or 5-digit commune code as a
    string; agencies have codes of their own, and `kinds` separates them if ever needed.

    Rule for data: resolve a code against the map in force at the END of the data's
    period, i.e. call with `on=period.end`. "80" with period 2023 → Long An; with 2026 →
    Tây Ninh; with the year 2025 → Tây Ninh, because the new province reports the whole
    year.

    Raises `NotFound` when no unit (or more than one) matches.
    """
    code = code.strip()
    units = OrgUnit.objects.filter(valid_on(on), code=code)
    if kinds:
        units = units.filter(kind__in=kinds)
    found = list(units[:2])
    if not found:
        raise _not_found(code, on, kinds)
    if len(found) > 1:
        raise _ambiguous(code, on, [unit.kind for unit in found])
    return found[0]


class ResolvedUnit(NamedTuple):
    """What an import needs of a unit, without building a model instance per row."""

    id: int
    code: str
    kind: str
    path: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    name: str


class OrgUnitResolver:
    """Resolves many (code, date) pairs in memory after reading every unit once.

    Same rule and errors as `orgunit_resolve`; meant for imports of many rows, where one
    query per row would dominate. It reads a snapshot: units created afterwards are not
    seen, so build one per import.
    """

    def __init__(self, *, queryset: QuerySet[OrgUnit] | None = None) -> None:
        rows = (queryset if queryset is not None else OrgUnit.objects.all()).order_by()
        by_code: dict[str, list[ResolvedUnit]] = defaultdict(list)
        for pk, code, kind, path, valid_from, valid_to, name in rows.values_list(
            "id", "code", "kind", "path", "valid_from", "valid_to", "name"
        ).iterator(chunk_size=5000):
            by_code[code].append(
                ResolvedUnit(pk, code, kind, path, valid_from, valid_to, name))
        # Sorted by start so a lookup only scans units that have started by the date.
        self._by_code = {
            code: sorted(units, key=lambda u: u.valid_from or datetime.date.min)
            for code, units in by_code.items()
        }
        self._starts = {
            code: [u.valid_from or datetime.date.min for u in units]
            for code, units in self._by_code.items()
        }
        self._cache: dict[tuple[str, datetime.date, tuple[str, ...] | None], ResolvedUnit] = {}

    def _matches(
        self, code: str, on: datetime.date, kinds: tuple[str, ...] | None
    ) -> list[ResolvedUnit]:
        units = self._by_code.get(code)
        if not units:
            return []
        started = bisect_right(self._starts[code], on)
        return [
            unit
            for unit in units[:started]
            if (unit.valid_to is None or on <= unit.valid_to) and (not kinds or unit.kind in kinds)
        ]

    def get(
        self, *, code: str, on: datetime.date, kinds: tuple[str, ...] | None = None
    ) -> ResolvedUnit | None:
        """The unit, or None when no single unit matches."""
        try:
            return self.resolve(code=code, on=on, kinds=kinds)
        except NotFound:
            return None

    def resolve(
        self, *, code: str, on: datetime.date, kinds: tuple[str, ...] | None = None
    ) -> ResolvedUnit:
        """The unit with `code` valid on `on`; raises `NotFound` like `orgunit_resolve`."""
        key = (code, on, kinds)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        code = code.strip()
        found = self._matches(code, on, kinds)
        if not found:
            raise _not_found(code, on, kinds)
        if len(found) > 1:
            raise _ambiguous(code, on, [unit.kind for unit in found])
        self._cache[key] = found[0]
        return found[0]


def orgunit_resolver() -> OrgUnitResolver:
    """A resolver over every unit as it is now; see `OrgUnitResolver`."""
    return OrgUnitResolver()


def orgunit_descendants(
    unit: OrgUnit, *, on: datetime.date | None = None, include_self: bool = False
) -> QuerySet[OrgUnit]:
    """Units below `unit` at any depth, in path order; only those valid on `on` if given."""
    units = OrgUnit.objects.filter(path__startswith=unit.path)
    if not include_self:
        units = units.exclude(pk=unit.pk)
    if on is not None:
        units = units.filter(valid_on(on))
    return units.order_by("path")


def orgunit_children(unit: OrgUnit, *, on: datetime.date | None = None) -> QuerySet[OrgUnit]:
    """Units directly below `unit`, by code; only those valid on `on` if given."""
    units = OrgUnit.objects.filter(parent=unit)
    if on is not None:
        units = units.filter(valid_on(on))
    return units.order_by("code", "valid_from")


def orgunit_ancestors(unit: OrgUnit, *, include_self: bool = False) -> QuerySet[OrgUnit]:
    """Units above `unit`, root first, read from its path (one query, no recursion)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    if not include_self:
        ids = [pk for pk in ids if pk != unit.pk]
    return OrgUnit.objects.filter(pk__in=ids).order_by("depth")


def orgunit_successors(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """Units that took over `unit`'s area, each annotated with `share` and `effective`."""
    return (
        OrgUnit.objects.filter(predecessor_links__predecessor=unit)
        .annotate(share=F("predecessor_links__share"), effective=F("predecessor_links__effective"))
        .order_by("path")
    )


def orgunit_predecessors(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """Units whose area (or part of it, see `share`) went to `unit`, annotated like
    `orgunit_successors`."""
    return (
        OrgUnit.objects.filter(successor_links__successor=unit)
        .annotate(share=F("successor_links__share"), effective=F("successor_links__effective"))
        .order_by("path")
    )


def in_force_first(units):
    """Units in the order a picker offers them: the map in force first (by path), then the
    units that ended, the latest ended first."""
    return units.order_by(F("valid_to").desc(nulls_first=True), "path")


def in_force_key(unit: OrgUnit) -> tuple:
    """The same order for a list already fetched, by name within each map."""
    return (unit.valid_to is not None, -(unit.valid_to.toordinal()) if unit.valid_to else 0,
            unit.name)


def existed_during(unit: OrgUnit, start: datetime.date, end: datetime.date) -> bool:
    """Whether `unit` existed on some day from `start` to `end` (a period it may report)."""
    return ((unit.valid_from is None or unit.valid_from <= end)
            and (unit.valid_to is None or unit.valid_to >= start))
