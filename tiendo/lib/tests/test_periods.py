import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiendo.lib.periods import (
    Period,
    PeriodError,
    PeriodType,
    month,
    multi_year,
    parse_period,
    period_of_date,
    quarter,
    semester,
    year,
    year_to_date,
)

D = datetime.date

years = st.integers(min_value=1900, max_value=2200)
months_of_year = st.integers(min_value=1, max_value=12)

month_periods = st.builds(month, years, months_of_year)
quarter_periods = st.builds(quarter, years, st.integers(1, 4))
semester_periods = st.builds(semester, years, st.integers(1, 2))
ytd_periods = st.builds(year_to_date, years, months_of_year)
year_periods = st.builds(year, years)
multi_year_periods = st.builds(
    lambda first, length: multi_year(first, first + length - 1),
    years,
    st.integers(min_value=2, max_value=10),
)
any_periods = st.one_of(
    month_periods,
    quarter_periods,
    semester_periods,
    ytd_periods,
    year_periods,
    multi_year_periods,
)
non_ytd_periods = st.one_of(
    month_periods, quarter_periods, semester_periods, year_periods, multi_year_periods
)


# --- parsing each form ---------------------------------------------------


def test_it_parses_a_year():
    p = parse_period("2024")
    assert (p.type, p.code, p.start, p.end) == (
        PeriodType.YEAR,
        "2024",
        D(2024, 1, 1),
        D(2024, 12, 31),
    )


def test_it_parses_a_quarter():
    p = parse_period("2024Q3")
    assert (p.type, p.start, p.end) == (PeriodType.QUARTER, D(2024, 7, 1), D(2024, 9, 30))


def test_it_parses_the_first_semester():
    p = parse_period("2024S1")
    assert (p.type, p.start, p.end) == (PeriodType.SEMESTER, D(2024, 1, 1), D(2024, 6, 30))


def test_it_parses_the_second_semester():
    p = parse_period("2024S2")
    assert (p.start, p.end) == (D(2024, 7, 1), D(2024, 12, 31))


def test_it_parses_a_month():
    p = parse_period("202409")
    assert (p.type, p.start, p.end) == (PeriodType.MONTH, D(2024, 9, 1), D(2024, 9, 30))


def test_it_parses_february_of_a_leap_year():
    assert parse_period("202402").end == D(2024, 2, 29)


def test_it_parses_a_year_to_date():
    p = parse_period("2024YTD09")
    assert (p.type, p.code, p.start, p.end) == (
        PeriodType.YEAR_TO_DATE,
        "2024YTD09",
        D(2024, 1, 1),
        D(2024, 9, 30),
    )


def test_it_parses_a_multi_year_block():
    p = parse_period("2021-2025")
    assert (p.type, p.start, p.end) == (PeriodType.MULTI_YEAR, D(2021, 1, 1), D(2025, 12, 31))


def test_it_strips_surrounding_whitespace():
    assert parse_period("  2024Q3\n") == parse_period("2024Q3")


def test_it_returns_the_cached_instance_for_repeated_codes():
    assert parse_period("2024Q3") is parse_period("2024Q3")


# --- invalid input -------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "2024Q5",
        "2024Q0",
        "202413",
        "202400",
        "2024S3",
        "2025-2021",
        "2021-2021",
        "abc",
        "",
        "   ",
        "2024YTD00",
        "2024YTD13",
        "2024YTD9",
        "2024q3",
        "24",
        "0999",
        "2024-Q3",
    ],
)
def test_it_rejects_invalid_codes(code):
    with pytest.raises(PeriodError):
        parse_period(code)


def test_it_explains_the_accepted_forms_in_the_error():
    with pytest.raises(PeriodError, match="2024YTD09") as caught:
        parse_period("2024Q5")
    assert "2024Q5" in str(caught.value)


def test_it_rejects_a_non_string_code():
    with pytest.raises(PeriodError):
        parse_period(2024)  # type: ignore[arg-type]


def test_it_makes_period_error_a_value_error():
    assert issubclass(PeriodError, ValueError)


# --- canonicalisation ----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "canonical"),
    [
        ("2024YTD03", "2024Q1"),
        ("2024YTD06", "2024S1"),
        ("2024YTD12", "2024"),
        ("2024YTD01", "202401"),
    ],
)
def test_it_canonicalises_year_to_date_ranges(code, canonical):
    assert parse_period(code).code == canonical


def test_it_canonicalises_year_to_date_built_from_the_constructor():
    assert year_to_date(2024, 6) == parse_period("2024S1")


def test_it_keeps_other_year_to_date_months_as_ytd():
    assert year_to_date(2024, 9).type is PeriodType.YEAR_TO_DATE


# --- labels --------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        ("202409", "Tháng 9/2024", "September 2024"),
        ("2024Q3", "Quý III/2024", "Q3 2024"),
        ("2024Q4", "Quý IV/2024", "Q4 2024"),
        ("2024S1", "6 tháng đầu năm 2024", "First half of 2024"),
        ("2024S2", "6 tháng cuối năm 2024", "Second half of 2024"),
        ("2024YTD09", "9 tháng năm 2024", "January–September 2024"),
        ("2024", "Năm 2024", "2024"),
        ("2021-2025", "Giai đoạn 2021-2025", "2021–2025"),
    ],
)
def test_it_labels_each_form(code, vi, en):
    p = parse_period(code)
    assert (p.label("vi"), p.label("en")) == (vi, en)


def test_it_labels_in_vietnamese_by_default():
    assert parse_period("2024Q1").label() == "Quý I/2024"


def test_it_falls_back_to_vietnamese_for_unknown_languages():
    assert parse_period("2024Q2").label("fr") == "Quý II/2024"


def test_it_accepts_regional_language_tags():
    assert parse_period("202401").label("en-US") == "January 2024"


# --- properties ----------------------------------------------------------


def test_it_reports_the_year_of_the_start():
    assert parse_period("2021-2025").year == 2021


def test_it_reports_the_end_month():
    assert parse_period("2024YTD09").end_month() == 9


def test_it_ranks_periods_by_coarseness():
    ranks = [parse_period(c).rank for c in ("202401", "2024Q1", "2024S1", "2024YTD09", "2024")]
    assert ranks == [1, 2, 3, 3, 4] and parse_period("2021-2025").rank == 5


def test_it_is_usable_as_a_dict_key():
    assert {parse_period("2024Q3"): "x"}[quarter(2024, 3)] == "x"


def test_it_sorts_by_start_with_longer_periods_first():
    codes = ["202402", "2024Q1", "2023", "2024", "202401"]
    assert [p.code for p in sorted(map(parse_period, codes))] == [
        "2023",
        "2024",
        "2024Q1",
        "202401",
        "202402",
    ]


def test_it_prints_as_its_code():
    assert str(parse_period("2024Q3")) == "2024Q3"


# --- contains ------------------------------------------------------------


def test_it_contains_a_month_within_a_quarter():
    assert parse_period("2024Q3").contains(parse_period("202408"))


def test_it_does_not_contain_a_month_outside_a_quarter():
    assert not parse_period("2024Q3").contains(parse_period("202410"))


def test_it_does_not_contain_an_overlapping_period():
    assert not parse_period("2024YTD09").contains(parse_period("2024S2"))


# --- previous / next -----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "previous"),
    [
        ("202401", "202312"),
        ("202409", "202408"),
        ("2024Q1", "2023Q4"),
        ("2024Q3", "2024Q2"),
        ("2024S1", "2023S2"),
        ("2024S2", "2024S1"),
        ("2024", "2023"),
        ("2024YTD09", "2023YTD09"),
        ("2021-2025", "2016-2020"),
    ],
)
def test_it_finds_the_previous_period(code, previous):
    assert parse_period(code).previous().code == previous


@pytest.mark.parametrize(
    ("code", "following"),
    [
        ("202412", "202501"),
        ("2024Q4", "2025Q1"),
        ("2024S2", "2025S1"),
        ("2024", "2025"),
        ("2024YTD09", "2025YTD09"),
        ("2021-2025", "2026-2030"),
    ],
)
def test_it_finds_the_next_period(code, following):
    assert parse_period(code).next().code == following


@pytest.mark.parametrize(
    ("code", "last_year"),
    [
        ("202409", "202309"),
        ("2024Q3", "2023Q3"),
        ("2024S2", "2023S2"),
        ("2024YTD09", "2023YTD09"),
        ("2024", "2023"),
        ("2021-2025", "2016-2020"),
    ],
)
def test_it_finds_the_same_period_last_year(code, last_year):
    assert parse_period(code).same_period_last_year().code == last_year


def test_it_raises_period_error_when_moving_out_of_range():
    with pytest.raises(PeriodError):
        parse_period("9999").next()


# --- months --------------------------------------------------------------


def test_it_lists_the_months_of_a_quarter():
    assert [p.code for p in parse_period("2024Q3").months()] == ["202407", "202408", "202409"]


def test_it_lists_a_month_as_its_own_only_month():
    assert parse_period("202409").months() == [parse_period("202409")]


def test_it_lists_the_months_of_a_multi_year_block():
    months = parse_period("2021-2025").months()
    assert (len(months), months[0].code, months[-1].code) == (60, "202101", "202512")


# --- constructors --------------------------------------------------------


def test_it_builds_a_month():
    assert month(2024, 9) == parse_period("202409")


def test_it_builds_a_year():
    assert year(2024) == parse_period("2024")


def test_it_rejects_an_invalid_month_in_the_constructor():
    with pytest.raises(PeriodError):
        month(2024, 13)


@pytest.mark.parametrize(
    ("period_type", "code"),
    [
        (PeriodType.MONTH, "202408"),
        (PeriodType.QUARTER, "2024Q3"),
        (PeriodType.SEMESTER, "2024S2"),
        (PeriodType.YEAR, "2024"),
    ],
)
def test_it_finds_the_period_of_a_date(period_type, code):
    assert period_of_date(D(2024, 8, 15), period_type).code == code


def test_it_refuses_period_of_date_for_year_to_date():
    with pytest.raises(PeriodError):
        period_of_date(D(2024, 8, 15), PeriodType.YEAR_TO_DATE)


# --- invariants ----------------------------------------------------------


@given(any_periods)
def test_it_parses_its_own_code_back(p: Period):
    assert parse_period(p.code) == p


@given(non_ytd_periods)
def test_it_undoes_previous_with_next(p: Period):
    assert p.previous().next() == p


@given(non_ytd_periods)
def test_it_undoes_next_with_previous(p: Period):
    assert p.next().previous() == p


@given(ytd_periods)
def test_it_moves_year_to_date_by_one_year_both_ways(p: Period):
    assert p.previous().next() == p


@given(st.one_of(quarter_periods, year_periods, ytd_periods, semester_periods, multi_year_periods))
def test_it_lists_contiguous_months_covering_the_period_exactly(p: Period):
    months = p.months()
    assert months[0].start == p.start and months[-1].end == p.end
    assert all(a.end + datetime.timedelta(days=1) == b.start for a, b in itertools.pairwise(months))


@given(any_periods)
def test_it_contains_each_of_its_months(p: Period):
    assert all(p.contains(m) and m.type is PeriodType.MONTH for m in p.months())


@given(any_periods)
def test_it_contains_itself(p: Period):
    assert p.contains(p)


@given(any_periods, any_periods, any_periods)
def test_it_contains_transitively(a: Period, b: Period, c: Period):
    if a.contains(b) and b.contains(c):
        assert a.contains(c)


@st.composite
def nested_chains(draw: st.DrawFn) -> tuple[Period, Period, Period]:
    # Random triples rarely nest, so also build chains that always do.
    y = draw(years)
    outer = multi_year(y - draw(st.integers(0, 4)), y + draw(st.integers(1, 4)))
    middle = draw(st.sampled_from([year(y), semester(y, 2), year_to_date(y, 9)]))
    inner = draw(st.sampled_from(middle.months()))
    return outer, middle, inner


@given(nested_chains())
def test_it_contains_transitively_along_nested_chains(chain: tuple[Period, Period, Period]):
    outer, middle, inner = chain
    assert outer.contains(middle) and middle.contains(inner)
    assert outer.contains(inner)


@given(st.one_of(month_periods, quarter_periods, semester_periods, ytd_periods, year_periods))
def test_it_shifts_same_period_last_year_by_one_year(p: Period):
    assert p.same_period_last_year().year == p.year - 1


@given(st.one_of(month_periods, quarter_periods, semester_periods, ytd_periods, year_periods))
def test_it_keeps_the_type_when_shifting_to_last_year(p: Period):
    assert p.same_period_last_year().type is p.type


@given(any_periods, any_periods)
def test_it_is_equal_exactly_when_the_dates_match(a: Period, b: Period):
    assert (a == b) == ((a.start, a.end) == (b.start, b.end))


@given(any_periods)
def test_it_labels_every_period_in_both_languages(p: Period):
    assert p.label("vi") and p.label("en")
