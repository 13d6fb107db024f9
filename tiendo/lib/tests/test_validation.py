from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from tiendo.lib.validation import far_from_history

STEADY = [D(100), D(104), D(97), D(101), D(99)]


def test_it_flags_a_value_ten_times_the_usual():
    assert far_from_history(D(1000), STEADY)


def test_it_flags_a_value_far_below_the_usual():
    assert far_from_history(D(10), STEADY)


def test_it_accepts_a_value_within_the_usual_range():
    assert not far_from_history(D(108), STEADY)


def test_it_judges_nothing_without_three_past_values():
    assert not far_from_history(D(1_000_000), [D(1), D(2)])


def test_it_accepts_the_normal_swings_of_a_noisy_series():
    noisy = [D(10), D(40), D(15), D(35), D(25)]
    assert not far_from_history(D(45), noisy)


@given(st.lists(st.decimals(min_value=1, max_value=10**6, places=2), min_size=3, max_size=12))
def test_the_median_of_the_history_is_never_flagged(history):
    from statistics import median

    assert not far_from_history(D(median(history)), history)


def test_a_small_absolute_change_is_never_flagged_however_steady_the_series():
    from tiendo.lib.validation import deviation

    steady = [D(28)] * 6
    assert deviation(D(30), steady, min_change=D(10)) is None
    assert deviation(D(50), [D(10), D(12), D(14)], min_change=D(10)) is not None


def test_a_flag_says_how_far_from_which_median_and_over_how_many_periods():
    from tiendo.lib.validation import deviation

    found = deviation(D(300), [D(100), D(110), D(90), D(100)], min_change=D(10))
    assert (found.median, found.change, found.relative_pct, found.periods) == (
        D(100), D(200), D(200), 4)
    assert found.higher
    assert deviation(D(100), [D(0), D(0), D(0)], min_change=D(10)).relative_pct is None


def test_a_jump_from_last_period_is_questioned_only_when_large_in_both_senses():
    from tiendo.lib.validation import jump_pct

    assert jump_pct(D(30), D(28), min_change=D(10)) is None
    assert jump_pct(D(60), D(28), min_change=D(10)) == (D(32) / D(28) * 100)
    assert jump_pct(D(6), D(2), min_change=D(10)) is None  # +200% but 4 people
    assert jump_pct(D(5), None) is None
