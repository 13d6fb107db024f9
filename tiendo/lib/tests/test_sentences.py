from decimal import Decimal as D

from tiendo.lib.judge import Summary
from tiendo.lib.sentences import ResultLine, format_value, result_sentence, summary_sentence


def _line(**changes) -> ResultLine:
    base = dict(
        name="Số lao động được giải quyết việc làm", unit="người", value_type="integer",
        decimals=0, comparison="at_least", target=D(20000), target_max=None, plan_kind="year",
        actual=D(20096), estimate=False, status="exceeded", achievement_pct=D("100.48"),
        change=None, last_year=D(18505), vs_last_year=D(1591), vs_last_year_pct=D("8.6"),
    )
    base.update(changes)
    return ResultLine(**base)


def test_it_writes_a_target_like_a_provincial_report():
    assert result_sentence(_line()) == (
        "Số lao động được giải quyết việc làm: 20.096 người, đạt 100,48% kế hoạch năm "
        "(20.000 người), tăng 8,60% so với cùng kỳ."
    )


def test_it_writes_it_in_english():
    assert result_sentence(_line(name="Jobs created"), "en") == (
        "Jobs created: 20,096, 100.48% of the annual plan (20,000), up 8.60% on the same "
        "period last year."
    )


def test_it_marks_estimates_and_targets_at_risk_with_their_forecast():
    sentence = result_sentence(_line(estimate=True, at_risk=True, forecast=D(18000),
                                     vs_last_year=None, vs_last_year_pct=None))
    assert "20.096 người (ước)" in sentence
    assert sentence.endswith("có nguy cơ không đạt kế hoạch (ước cả năm 18.000 người).")


def test_it_writes_a_rate_change_in_percentage_points():
    sentence = result_sentence(_line(
        name="Tỷ lệ hộ nghèo", unit="%", value_type="percent", decimals=2,
        comparison="decrease_abs", target=D("0.2"), actual=D("0.77"), change=D("0.24"),
        achievement_pct=D("119.33"), vs_last_year=D("-0.24"), vs_last_year_pct=None))
    assert sentence == (
        "Tỷ lệ hộ nghèo: 0,77%, giảm 0,24 điểm % so với đầu kỳ, đạt 119,33% kế hoạch năm "
        "(giảm 0,20 điểm %), giảm 0,24 điểm % so với cùng kỳ."
    )


def test_it_judges_a_ceiling_in_words_not_as_a_ratio():
    line = _line(name="Tỷ lệ thất nghiệp", unit="%", value_type="percent", decimals=2,
                 comparison="at_most", target=D(4), actual=D("3.6"), status="exceeded",
                 achievement_pct=None, vs_last_year=None, vs_last_year_pct=None)
    assert result_sentence(line) == "Tỷ lệ thất nghiệp: 3,60%, đạt kế hoạch (không quá 4,00%)."
    assert "chưa đạt" in result_sentence(
        _line(comparison="at_most", status="not_met", achievement_pct=None))


def test_it_says_when_there_is_no_data():
    assert result_sentence(_line(actual=None)) == (
        "Số lao động được giải quyết việc làm: chưa có số liệu.")


def test_it_writes_money_in_ty_dong():
    assert format_value(D(64_500_000_000), "money", 0, "đồng") == "64,5 tỷ đồng"


def test_it_counts_targets_without_data_apart_in_the_summary():
    summary = Summary(total=24, met=22, not_met=1, near=0, no_data=1)
    assert summary_sentence(summary) == (
        "Có 22/23 chỉ tiêu đạt và vượt kế hoạch (95,65%); 1 chỉ tiêu chưa đạt; "
        "1 chỉ tiêu chưa có số liệu."
    )
    assert summary_sentence(Summary(2, 0, 0, 0, 2), "en") == (
        "No target has data to judge yet; 2 without data yet.")


def test_a_term_average_says_it_is_compound_and_what_is_still_needed():
    line = ResultLine(
        name="Tốc độ tăng trưởng GRDP", unit="%", value_type="percent", decimals=2,
        comparison="average_growth", target=D("9.2"), target_max=D(10), plan_kind="term",
        actual=D("5.7512"), estimate=True, status="in_progress", achievement_pct=D("62.51"),
        change=None, last_year=None, vs_last_year=None, vs_last_year_pct=None, at_risk=True,
        period_over=False, pace="at_risk",
        detail="bình quân nhân 2021–2024: 5,75%/năm (4/5 năm); cần bình quân 24,14%/năm "
               "trong các năm còn lại")
    assert result_sentence(line, "vi") == (
        "Tốc độ tăng trưởng GRDP: 5,75% (ước), đạt 62,51% kế hoạch giai đoạn (bình quân "
        "9,20–10,00%/năm), bình quân nhân 2021–2024: 5,75%/năm (4/5 năm); cần bình quân "
        "24,14%/năm trong các năm còn lại, có nguy cơ không đạt kế hoạch.")
