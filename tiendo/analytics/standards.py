"""Counts of units reaching a standard ("thêm 8 xã đạt chuẩn nông thôn mới"), from the
status each unit holds with its decision date (tiendo.standards), and the list behind a
count. An indicator a `Standard` names is counted here instead of read from data values."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from tiendo.org.models import OrgUnit
from tiendo.standards.models import Standard, UnitStandard


@dataclass(frozen=True, slots=True)
class StandardCount:
    """How one indicator counts: units of `standard` reaching it in the span ("added") or by
    its end ("total")."""

    standard: Standard
    mode: str  # "added" | "total"

    def holds(self, reached_on: datetime.date, start: datetime.date, end: datetime.date) -> bool:
        if self.mode == "added":
            return start <= reached_on <= end
        return reached_on <= end


def standard_counts_for(indicator_ids: Iterable[int]) -> dict[int, StandardCount]:
    """indicator id -> how it is counted, for the indicators a standard names."""
    ids = set(indicator_ids)
    found: dict[int, StandardCount] = {}
    for standard in Standard.objects.filter(Q(indicator_added__in=ids)
                                            | Q(indicator_total__in=ids)):
        if standard.indicator_added_id in ids:
            found[standard.indicator_added_id] = StandardCount(standard, "added")
        if standard.indicator_total_id in ids:
            found[standard.indicator_total_id] = StandardCount(standard, "total")
    return found


def _reached(standard: Standard) -> list[UnitStandard]:
    return list(UnitStandard.objects.filter(standard=standard, org_unit__kind=standard.unit_kind)
                .select_related("org_unit").order_by("reached_on", "org_unit__code"))


def units_reaching(*, count: StandardCount, unit: OrgUnit, start: datetime.date,
                   end: datetime.date, rows: list[UnitStandard] | None = None
                   ) -> list[UnitStandard]:
    """The units below `unit` that the count counts over [start, end], by decision date."""
    rows = _reached(count.standard) if rows is None else rows
    return [row for row in rows
            if row.org_unit.path.startswith(unit.path) and row.org_unit_id != unit.pk
            and count.holds(row.reached_on, start, end)]


def standard_figures(wanted: Iterable[tuple[StandardCount, OrgUnit, datetime.date,
                                             datetime.date]]) -> dict[tuple, int]:
    """(indicator id of the count, unit id, start, end) -> how many units it counts; one
    query per standard."""
    by_standard: dict[int, list[UnitStandard]] = {}
    result = {}
    for count, unit, start, end in wanted:
        rows = by_standard.get(count.standard.pk)
        if rows is None:
            rows = by_standard[count.standard.pk] = _reached(count.standard)
        indicator_id = (count.standard.indicator_added_id if count.mode == "added"
                        else count.standard.indicator_total_id)
        result[(indicator_id, unit.pk, start, end)] = len(
            units_reaching(count=count, unit=unit, start=start, end=end, rows=rows))
    return result
