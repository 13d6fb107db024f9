"""Adding values up over time and over units.

Over time, per unit: flows sum, stocks take the last value, averages average. When a unit
reported the same element at several period types inside the asked period (a yearly figure
and monthly ones), the coarsest type wins for flows and averages, because it is the figure
the unit itself reported for the longer span; for stocks the latest value wins (coarsest on a
tie).

Over units: a unit's figure is its own value when it has one, else the sum over its children,
recursively ("nearest reported level"). So a province total typed in by the department is not
added to the commune figures that make it up, and data entered only at commune level still
rolls up to the province.
"""

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class TimeAggregation(StrEnum):
    SUM = "sum"
    LAST = "last"
    AVERAGE = "average"


class UnitAggregation(StrEnum):
    SUM = "sum"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class PeriodTypeGroup:
    """The values one unit stored for one element at one period type within the asked span."""

    rank: int  # coarseness of the period type: month 1 … multi-year 5
    total: Decimal
    count: int
    last_end: object  # date of the end of the latest period in the group
    last_value: Decimal


def over_time(method: TimeAggregation, groups: Iterable[PeriodTypeGroup]) -> Decimal | None:
    groups = list(groups)
    if not groups:
        return None
    if method == TimeAggregation.LAST:
        latest = max(groups, key=lambda g: (g.last_end, g.rank))
        return latest.last_value
    coarsest = max(groups, key=lambda g: g.rank)
    if method == TimeAggregation.SUM:
        return coarsest.total
    return coarsest.total / coarsest.count


def descendants_slice(paths: list[str], root: str) -> tuple[int, int]:
    """Index range of `root` and its descendants in a sorted list of materialised paths.

    Paths look like "/1/5/"; '/' sorts before every digit, so all of "/1/5/…" lie between
    "/1/5/" and "/1/50".
    """
    return bisect_left(paths, root), bisect_left(paths, root[:-1] + "0")


def over_units(
    values: Mapping[str, Decimal],
    roots: Iterable[str],
    method: UnitAggregation = UnitAggregation.SUM,
    sorted_paths: list[str] | None = None,
) -> dict[str, Decimal | None]:
    """The figure of each root unit (by path) from values keyed by unit path."""
    if sorted_paths is None:
        sorted_paths = sorted(values)
    result: dict[str, Decimal | None] = {}
    for root in roots:
        if root in values or method == UnitAggregation.NONE:
            result[root] = values.get(root)
            continue
        lo, hi = descendants_slice(sorted_paths, root)
        total: Decimal | None = None
        covered = ""  # path of the last unit counted: its descendants are already in it
        for path in sorted_paths[lo:hi]:
            if covered and path.startswith(covered):
                continue
            covered = path
            total = values[path] if total is None else total + values[path]
        result[root] = total
    return result


def parts_total(parts: Mapping[str, Decimal]) -> Decimal | None:
    """A unit's total from its disaggregation parts, when it did not store the total itself."""
    return sum(parts.values(), Decimal(0)) if parts else None
