from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from tiendo.lib.allocate import Finding, Rule, check_allocation, proportional_split


def _check(comparison="at_least", whole=D(100), additive=True, has_upper=False, **parts):
    return check_allocation(comparison=comparison, whole=whole, has_upper=has_upper,
                            additive=additive, parts=parts)


def test_it_accepts_additive_parts_that_add_up_to_the_whole():
    check = _check(a=D(60), b=D(40))
    assert (check.ok, check.rule, check.total, check.warnings) == (True, Rule.SUM, D(100), [])


def test_it_refuses_additive_parts_short_of_the_whole():
    check = _check(a=D(60), b=D(39))
    assert check.errors == [(Finding.SUM_SHORT, None)]


def test_it_warns_when_additive_parts_ask_more_than_the_whole():
    check = _check(a=D(60), b=D(41))
    assert check.ok and check.warnings == [(Finding.SUM_OVER, None)]


def test_it_lets_an_additive_part_go_without_a_target():
    assert _check(a=D(100), b=None).ok


def test_it_turns_the_sum_rule_around_for_at_most():
    assert _check("at_most", a=D(60), b=D(41)).errors == [(Finding.SUM_SHORT, None)]
    assert _check("at_most", a=D(50), b=D(40)).warnings == [(Finding.SUM_OVER, None)]


def test_it_sums_absolute_changes_of_an_additive_indicator():
    assert _check("decrease_abs", whole=D(1110), a=D(600), b=D(500)).errors == [
        (Finding.SUM_SHORT, None)
    ]


def test_it_requires_every_part_of_a_rate():
    check = _check(whole=D(75), additive=False, a=D(80), b=None)
    assert (check.rule, check.errors) == (Rule.EACH, [(Finding.MISSING_PART, "b")])


def test_it_refuses_a_rate_part_less_demanding_than_the_whole():
    check = _check(whole=D(75), additive=False, a=D(80), b=D("74.9"))
    assert check.errors == [(Finding.PART_WEAKER, "b")]


def test_it_treats_a_relative_change_of_an_additive_indicator_as_a_rate():
    check = _check("decrease_pct", whole=D(15), a=D(20), b=D(10))
    assert (check.rule, check.errors) == (Rule.EACH, [(Finding.PART_WEAKER, "b")])


def test_it_wants_rate_parts_of_at_most_no_higher_than_the_whole():
    assert _check("at_most", whole=D(4), additive=False, a=D(3), b=D(5)).errors == [
        (Finding.PART_WEAKER, "b")
    ]


def test_it_does_not_allocate_ranges_or_upper_values():
    assert _check("range").errors == [(Finding.NOT_ALLOCATABLE, None)]
    assert _check("decrease_abs", has_upper=True, a=D(1)).rule is None


def test_it_needs_at_least_one_part():
    assert _check(a=None).errors == [(Finding.NO_PARTS, None)]


def test_it_splits_in_proportion_and_gives_rounding_units_to_the_largest_remainders():
    assert proportional_split(D(100), {"a": D(1), "b": D(1), "c": D(1)}, 0) == {
        "a": D(34), "b": D(33), "c": D(33)
    }


def test_it_gives_zero_to_units_without_last_year_figures():
    assert proportional_split(D(10), {"a": D(3), "b": None}, 0) == {"a": D(10), "b": D(0)}


def test_it_cannot_split_without_any_weight():
    assert proportional_split(D(10), {"a": None, "b": D(0)}, 0) is None


@given(
    total=st.decimals(min_value=0, max_value=10**9, places=2),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12),
    decimals=st.integers(min_value=0, max_value=3),
)
def test_it_always_splits_into_parts_that_add_up_to_the_total(total, weights, decimals):
    split = proportional_split(total, dict(enumerate(D(w) for w in weights)), decimals)
    if any(weights):
        assert sum(split.values()) == total
        assert all(part >= 0 for part in split.values())
    else:
        assert split is None
