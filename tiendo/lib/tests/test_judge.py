from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiendo.lib.judge import Comparison, Status, TargetSpec, judge, summarise


def at_least(value):
    return TargetSpec(Comparison.AT_LEAST, D(value))


def test_it_judges_71_against_70_as_exceeded_at_101_43_pct():
    result = judge(at_least(70), D(71))
    assert result.status == Status.EXCEEDED
    assert round(result.achievement_pct, 2) == D("101.43")


def test_it_judges_equal_as_met():
    result = judge(at_least("75"), D("75.0"))
    assert result.status == Status.MET
    assert result.achievement_pct == 100


def test_it_judges_below_at_least_as_not_met():
    assert judge(at_least(1000), D(999)).status == Status.NOT_MET


def test_it_reports_no_data_when_actual_is_missing():
    assert judge(at_least(1), None).status == Status.NO_DATA


def test_it_gives_at_most_a_margin_not_a_ratio():
    result = judge(TargetSpec(Comparison.AT_MOST, D(4)), D("3.6"))
    assert result.status == Status.EXCEEDED
    assert result.achievement_pct is None
    assert result.margin == D("0.4")


def test_it_judges_at_most_equal_as_met_and_above_as_not_met():
    spec = TargetSpec(Comparison.AT_MOST, D(4))
    assert judge(spec, D(4)).status == Status.MET
    assert judge(spec, D("4.01")).status == Status.NOT_MET


@pytest.mark.parametrize(
    ("actual", "status"),
    [("29.9", Status.NOT_MET), ("30", Status.MET), ("35", Status.MET), ("35.1", Status.EXCEEDED)],
)
def test_it_judges_a_range(actual, status):
    spec = TargetSpec(Comparison.RANGE, D(30), D(35))
    assert judge(spec, D(actual)).status == status


def test_it_measures_range_achievement_against_the_lower_value():
    spec = TargetSpec(Comparison.RANGE, D(30), D(35))
    assert judge(spec, D(33)).achievement_pct == D(110)


def test_it_judges_23_pct_fewer_poor_households_against_15_pct_as_153_33():
    spec = TargetSpec(Comparison.DECREASE_PCT, D(15))
    result = judge(spec, actual=D(770), baseline=D(1000))
    assert result.status == Status.EXCEEDED
    assert result.change == D(23)
    assert round(result.achievement_pct, 2) == D("153.33")


def test_it_judges_an_absolute_decrease():
    spec = TargetSpec(Comparison.DECREASE_ABS, D(1110))
    result = judge(spec, actual=D(3716), baseline=D(4826))
    assert result.status == Status.MET
    assert result.change == D(1110)


def test_it_judges_a_decrease_band_of_1_to_1_2_points():
    spec = TargetSpec(Comparison.DECREASE_ABS, D(1), D("1.2"))
    assert judge(spec, actual=D("2.81"), baseline=D("3.81")).status == Status.MET
    assert judge(spec, actual=D("2.50"), baseline=D("3.81")).status == Status.EXCEEDED
    assert judge(spec, actual=D("2.90"), baseline=D("3.81")).status == Status.NOT_MET


def test_it_judges_increases_with_the_sign_turned():
    assert judge(
        TargetSpec(Comparison.INCREASE_PCT, D(5)), actual=D(1053), baseline=D(1000)
    ).achievement_pct == D("106")
    assert judge(
        TargetSpec(Comparison.INCREASE_ABS, D(50)), actual=D(1040), baseline=D(1000)
    ).status == Status.NOT_MET


def test_it_needs_a_baseline_for_a_change_target():
    assert judge(TargetSpec(Comparison.DECREASE_PCT, D(15)), D(10)).status == Status.NO_DATA


def test_it_cannot_judge_a_relative_change_from_a_zero_baseline():
    spec = TargetSpec(Comparison.INCREASE_PCT, D(5))
    assert judge(spec, actual=D(10), baseline=D(0)).status == Status.NO_DATA


def test_it_calls_a_not_met_target_near_inside_the_band():
    assert judge(at_least(35), D("34.6"), near_pct=D(95)).status == Status.NEAR
    assert judge(at_least(35), D("30"), near_pct=D(95)).status == Status.NOT_MET


def test_it_refuses_a_range_without_upper_value():
    with pytest.raises(ValueError):
        TargetSpec(Comparison.RANGE, D(30))


def test_it_summarises_with_no_data_apart():
    statuses = [Status.EXCEEDED] * 21 + [Status.MET, Status.NOT_MET, Status.NO_DATA]
    summary = summarise(statuses)
    assert (summary.total, summary.met, summary.not_met, summary.no_data) == (24, 22, 1, 1)
    assert summary.judged == 23
    assert round(summary.met_pct, 2) == D("95.65")


def test_it_counts_near_as_not_met_in_the_summary():
    summary = summarise([Status.NEAR, Status.MET])
    assert (summary.met, summary.not_met, summary.near) == (1, 1, 1)


def test_it_has_no_met_pct_when_nothing_has_data():
    assert summarise([Status.NO_DATA]).met_pct is None


decimals = st.decimals(min_value=D("0.01"), max_value=D("1e9"), places=4)


@given(target=decimals, actual=decimals)
def test_it_gives_met_at_least_targets_100_pct_or_more(target, actual):
    result = judge(at_least(target), actual)
    assert result.status.is_met == (result.achievement_pct >= 100)


@given(low=decimals, width=decimals, actual=decimals)
def test_it_gives_met_range_targets_100_pct_or_more(low, width, actual):
    result = judge(TargetSpec(Comparison.RANGE, low, low + width), actual)
    assert result.status.is_met == (result.achievement_pct >= 100)


@given(
    comparison=st.sampled_from(
        [Comparison.DECREASE_PCT, Comparison.DECREASE_ABS,
         Comparison.INCREASE_PCT, Comparison.INCREASE_ABS]
    ),
    target=decimals,
    baseline=decimals,
    actual=decimals,
)
def test_it_gives_met_change_targets_100_pct_or_more(comparison, target, baseline, actual):
    result = judge(TargetSpec(comparison, target), actual, baseline)
    assert result.status.is_met == (result.achievement_pct >= 100)


@given(st.lists(st.sampled_from(list(Status)), max_size=50))
def test_it_accounts_for_every_target_in_a_summary(statuses):
    summary = summarise(statuses)
    assert summary.judged + summary.no_data == summary.total == len(statuses)
    assert summary.met + summary.not_met + summary.in_progress == summary.judged
