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
