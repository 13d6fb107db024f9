"""Verdicts by where the target's period stands (docs/engine.md, "A year in progress")."""

import datetime
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from tiendo.lib.judge import (
    Comparison,
    Pace,
    Status,
    TargetSpec,
    judge,
    judge_in_time,
    period_over,
    summarise,
)
from tiendo.lib.periods import months_label
from tiendo.lib.sentences import summary_sentence

YEAR_END = datetime.date(2026, 12, 31)
AT_LEAST_52000 = TargetSpec(Comparison.AT_LEAST, D(52000))


def test_the_period_is_over_on_its_last_day_and_not_the_day_before():
    assert period_over(target_end=YEAR_END, report_end=YEAR_END, today=YEAR_END)
    assert not period_over(target_end=YEAR_END, report_end=YEAR_END,
                           today=datetime.date(2026, 12, 30))


def test_a_part_year_report_is_never_final_even_long_after():
    assert not period_over(target_end=YEAR_END, report_end=datetime.date(2026, 9, 30),
                           today=datetime.date(2030, 1, 1))


def test_a_running_flow_below_its_target_is_in_progress_with_its_pace():
    verdict = judge_in_time(AT_LEAST_52000, D(46800), over=False, accumulates=True,
                            forecast=D(56386), expected_share=D("0.83"))
    assert verdict.status == Status.IN_PROGRESS and not verdict.final
    assert verdict.pace == Pace.ON_TRACK
    assert verdict.achievement_pct == 90 and verdict.expected_pct == 83


def test_a_running_flow_whose_forecast_misses_is_at_risk():
    verdict = judge_in_time(TargetSpec(Comparison.AT_LEAST, D(2600)), D(1823), over=False,
                            accumulates=True, forecast=D(2179))
    assert (verdict.status, verdict.pace) == (Status.IN_PROGRESS, Pace.AT_RISK)


def test_a_flow_that_reached_its_target_in_september_is_met_early():
    verdict = judge_in_time(TargetSpec(Comparison.AT_LEAST, D(90)), D(120), over=False,
                            accumulates=True, forecast=D(144))
    assert verdict.status == Status.EXCEEDED and verdict.final
    assert verdict.pace == Pace.ON_TRACK


def test_a_rate_above_its_target_at_nine_months_is_not_final():
    verdict = judge_in_time(TargetSpec(Comparison.AT_LEAST, D(76)), D(77), over=False)
    assert (verdict.status, verdict.pace, verdict.expected_pct) == (
        Status.IN_PROGRESS, None, None)


def test_a_ceiling_is_never_final_early_even_for_a_flow():
    verdict = judge_in_time(TargetSpec(Comparison.AT_MOST, D(100)), D(40), over=False,
                            accumulates=True, forecast=D(60))
    assert verdict.status == Status.IN_PROGRESS


def test_no_data_stays_no_data_while_running():
    verdict = judge_in_time(AT_LEAST_52000, None, over=False, accumulates=True)
    assert (verdict.status, verdict.pace) == (Status.NO_DATA, None)


amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)


@given(comparison=st.sampled_from(list(Comparison)), value=amounts, actual=amounts,
       baseline=amounts, forecast=amounts)
def test_a_finished_period_is_judged_exactly_as_before(comparison, value, actual, baseline,
                                                       forecast):
    spec = TargetSpec(comparison, value, value + 10 if comparison == Comparison.RANGE else None)
    before = judge(spec, actual, baseline, D(95))
    now = judge_in_time(spec, actual, baseline, over=True, accumulates=True, forecast=forecast,
                        near_pct=D(95))
    assert (now.status, now.achievement_pct, now.change, now.margin, now.pace) == (
        before.status, before.achievement_pct, before.change, before.margin, None)


def test_the_summary_counts_running_targets_by_their_pace():
    verdicts = [
        judge_in_time(AT_LEAST_52000, D(46800), over=False, accumulates=True, forecast=D(56386)),
        judge_in_time(AT_LEAST_52000, D(1000), over=False, accumulates=True, forecast=D(2000)),
        judge_in_time(TargetSpec(Comparison.AT_LEAST, D(90)), D(120), over=False,
                      accumulates=True, forecast=D(144)),
        judge_in_time(AT_LEAST_52000, None, over=False),
    ]
    summary = summarise(verdicts)
    assert (summary.met, summary.judged, summary.in_progress, summary.on_track,
            summary.at_risk, summary.no_data) == (1, 3, 2, 1, 1, 1)
    assert summary_sentence(summary) == (
        "Có 1/3 chỉ tiêu đã đạt và vượt kế hoạch; 1 chỉ tiêu đang thực hiện đúng tiến độ; "
        "1 chỉ tiêu có nguy cơ không đạt; 1 chỉ tiêu chưa có số liệu.")
    assert summary_sentence(summary, "en") == (
        "1/3 targets already met or exceeded; 1 in progress and on track; "
        "1 at risk of missing the plan; 1 without data yet.")


def test_months_read_the_way_reports_write_them():
    jan, oct_end = datetime.date(2026, 1, 1), datetime.date(2026, 10, 31)
    assert months_label(jan, oct_end) == "tháng 1–10/2026"
    assert months_label(jan, oct_end, "en") == "January–October 2026"
    assert months_label(datetime.date(2025, 10, 1), datetime.date(2026, 3, 31)) == (
        "tháng 10/2025–3/2026")
    assert months_label(datetime.date(2026, 10, 1), oct_end) == "tháng 10/2026"
