import datetime
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from tiendo.lib.aggregate import (
    PeriodTypeGroup,
    TimeAggregation,
    UnitAggregation,
    descendants_slice,
    over_time,
    over_units,
    parts_total,
)

JAN = datetime.date(2024, 1, 31)
SEP = datetime.date(2024, 9, 30)
DEC = datetime.date(2024, 12, 31)


def group(rank, total, count, last_end, last_value):
    return PeriodTypeGroup(rank, D(total), count, last_end, D(last_value))


def test_it_sums_flows_over_time():
    assert over_time(TimeAggregation.SUM, [group(1, 120, 12, DEC, 10)]) == 120


def test_it_takes_the_last_value_of_stocks():
    assert over_time(TimeAggregation.LAST, [group(1, 900, 9, SEP, 105)]) == 105


def test_it_averages():
    assert over_time(TimeAggregation.AVERAGE, [group(1, 30, 3, SEP, 11)]) == 10


def test_it_prefers_the_coarsest_reported_type_for_flows():
    monthly = group(1, 110, 12, DEC, 9)
    yearly = group(4, 120, 1, DEC, 120)
    assert over_time(TimeAggregation.SUM, [monthly, yearly]) == 120


def test_it_prefers_the_latest_value_for_stocks():
    quarterly = group(2, 0, 4, DEC, 50)
    monthly = group(1, 0, 9, SEP, 40)
    assert over_time(TimeAggregation.LAST, [monthly, quarterly]) == 50


def test_it_has_no_value_over_time_without_groups():
    assert over_time(TimeAggregation.SUM, []) is None


def test_it_finds_descendants_by_path():
    paths = sorted(["/1/", "/1/5/", "/1/5/7/", "/1/50/", "/1/6/"])
    lo, hi = descendants_slice(paths, "/1/5/")
    assert paths[lo:hi] == ["/1/5/", "/1/5/7/"]


def test_it_uses_a_unit_own_value_before_its_children():
    values = {"/1/": D(100), "/1/2/": D(30), "/1/3/": D(40)}
    assert over_units(values, ["/1/"]) == {"/1/": D(100)}


def test_it_sums_children_when_the_unit_has_no_value():
    values = {"/1/2/": D(30), "/1/3/": D(40)}
    assert over_units(values, ["/1/"]) == {"/1/": D(70)}


def test_it_takes_the_nearest_reported_level_in_each_branch():
    values = {
        "/1/2/": D(30),  # district reported its total
        "/1/2/8/": D(10),  # one of its communes too: not counted again
        "/1/3/9/": D(5),  # district 3 reported only through communes
        "/1/3/10/": D(6),
    }
    assert over_units(values, ["/1/", "/1/3/"]) == {"/1/": D(41), "/1/3/": D(11)}


def test_it_has_no_value_for_a_unit_without_data():
    assert over_units({"/1/2/": D(1)}, ["/1/3/"]) == {"/1/3/": None}


def test_it_does_not_add_up_a_non_additive_element():
    values = {"/1/2/": D("3.5"), "/1/3/": D("4.1")}
    assert over_units(values, ["/1/"], UnitAggregation.NONE) == {"/1/": None}


def test_it_adds_parts_into_a_total():
    assert parts_total({"JP": D(233), "TW": D(106)}) == 339
    assert parts_total({}) is None


amounts = st.decimals(min_value=0, max_value=D("1e7"), places=2)


@st.composite
def trees(draw):
    """Values at random units of a small tree: province /1/, districts, communes."""
    values = {}
    for district in range(2, draw(st.integers(2, 5))):
        if draw(st.booleans()):
            values[f"/1/{district}/"] = draw(amounts)
        for commune in range(10, draw(st.integers(10, 14))):
            if draw(st.booleans()):
                values[f"/1/{district}/{commune}/"] = draw(amounts)
    return values


@given(trees())
def test_it_gives_a_parent_the_sum_of_its_children_figures(values):
    children = sorted({p[: p.index("/", 3) + 1] for p in values})
    whole = over_units(values, ["/1/"])["/1/"]
    per_child = over_units(values, children)
    expected = sum((v for v in per_child.values() if v is not None), D(0)) if values else None
    assert whole == expected


@given(st.dictionaries(st.sampled_from(["JP", "TW", "KR", "OTHER"]), amounts), st.integers(1, 4))
def test_it_gives_the_same_total_whether_parts_are_added_before_or_after_units(parts, units):
    # each unit reports the same parts; adding parts per unit then units equals the reverse
    per_unit_totals = {f"/1/{u}/": parts_total(parts) for u in range(2, 2 + units) if parts}
    by_unit_first = over_units(per_unit_totals, ["/1/"])["/1/"]
    by_part_first = parts_total(
        {code: value * units for code, value in parts.items()}
    )
    assert by_unit_first == by_part_first
