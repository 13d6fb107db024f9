from decimal import Decimal as D

import pytest

from tiendo.lib.judge import (
    Comparison,
    Pace,
    Status,
    TargetSpec,
    compound_average,
    judge,
    judge_average_growth,
    rate_still_needed,
)

TERM = TargetSpec(Comparison.AVERAGE_GROWTH, D("9.2"), D("10"))
RANGE = TargetSpec(Comparison.RANGE, D("8.0"), D("8.5"))


def test_the_average_is_compound_not_the_mean_of_the_rates():
    # 5% then 10%: 1,05 × 1,10 = 1,155, whose square root is 1,074709…; the mean would be 7,5.
    assert compound_average([D(5), D(10)]).quantize(D("0.0001")) == D("7.4709")


def test_an_average_exactly_at_the_lower_bound_is_met():
    verdict = judge_average_growth(TERM, [D("9.2")] * 5, years_total=5, over=True).verdict
    assert verdict.status == Status.MET
    assert verdict.achievement_pct == 100


def test_an_average_just_under_the_lower_bound_is_not_met():
    growths = [D("9.2")] * 4 + [D("9.19")]
    assert judge_average_growth(TERM, growths, years_total=5, over=True).verdict.status == (
        Status.NOT_MET)


def test_an_average_above_the_upper_bound_is_exceeded_and_at_it_met():
    assert judge_average_growth(TERM, [D(10)] * 5, years_total=5,
                                over=True).verdict.status == Status.MET
    assert judge_average_growth(TERM, [D("10.01")] * 5, years_total=5,
                                over=True).verdict.status == Status.EXCEEDED


def test_mid_term_gives_the_rate_still_needed_per_remaining_year():
    # 8% and 10% in the first two years: 1,08 × 1,10 = 1,188; reaching 1,092^5 = 1,55407…
    # needs (1,55407 / 1,188)^(1/3) = 1,093366… → 9,34% a year in the three years left.
    result = judge_average_growth(TERM, [D(8), D(10)], years_total=5, over=False)
    assert result.verdict.status == Status.IN_PROGRESS
    # 8,99% so far is below 9,2%: at risk until the years left make it up.
    assert result.verdict.pace == Pace.AT_RISK
    assert result.needed.quantize(D("0.01")) == D("9.34")
    # Growing at that rate the remaining years brings the average exactly to 9,2%.
    assert compound_average([D(8), D(10)] + [result.needed] * 3) == D("9.2")


def test_mid_term_at_the_lower_value_so_far_is_on_track():
    result = judge_average_growth(TERM, [D("9.2")] * 3, years_total=5, over=False)
    assert result.verdict.pace == Pace.ON_TRACK
    assert result.needed == D("9.2")


def test_mid_term_below_the_lower_value_is_at_risk():
    result = judge_average_growth(TERM, [D("-2.5"), D("7.5"), D("5.77"), D("8.3")],
                                  years_total=5, over=False)
    assert result.verdict.pace == Pace.AT_RISK
    assert result.years_counted == 4
    assert result.needed.quantize(D("0.01")) == D("29.33")


def test_no_year_left_needs_nothing():
    assert rate_still_needed([D(9)] * 5, D("9.2"), 5) is None


@pytest.mark.parametrize(("actual", "status"), [
    ("7.99", Status.NOT_MET), ("8.0", Status.MET), ("8.3", Status.MET), ("8.5", Status.MET),
    ("8.51", Status.EXCEEDED),
])
def test_the_ends_of_a_range(actual, status):
    assert judge(RANGE, D(actual)).status == status
