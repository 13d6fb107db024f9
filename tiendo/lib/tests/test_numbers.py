from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiendo.lib.numbers import (
    NumberParseError,
    format_money_vnd,
    format_number,
    format_percent,
    parse_number,
    round_half_up,
)

sane_decimals = st.decimals(
    min_value=Decimal("-1e12"),
    max_value=Decimal("1e12"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
display_decimals = st.integers(min_value=0, max_value=4)


# --- round_half_up -------------------------------------------------------


def test_it_rounds_a_ratio_percentage_half_up():
    assert round_half_up(71 / 70 * 100, 2) == Decimal("101.43")


def test_it_rounds_a_float_as_written():
    # 2.345 is 2.34499... in binary; display rounding must still give 2.35.
    assert round_half_up(2.345, 2) == Decimal("2.35")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.125", "0.13"), ("1.005", "1.01"), ("2.675", "2.68"), ("-2.345", "-2.35")],
)
def test_it_rounds_exact_halves_away_from_zero(value, expected):
    assert round_half_up(Decimal(value), 2) == Decimal(expected)


def test_it_rounds_a_figure_longer_than_the_current_precision():
    # 10 digits once rounded, in a context of 6: the rounding makes room for them.
    with localcontext() as context:
        context.prec = 6
        assert str(round_half_up(Decimal("123456.785"), 2)) == "123456.79"
        assert str(round_half_up(Decimal("99999.995"), 2)) == "100000.00"
        assert str(round_half_up(Decimal("12.345"), 2)) == "12.35"
    assert str(round_half_up(Decimal("9" * 40 + ".5"), 0)) == "1" + "0" * 40


def test_it_rounds_to_an_integer():
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")


def test_it_returns_exactly_the_requested_decimals():
    assert str(round_half_up(7, 2)) == "7.00"


def test_it_rejects_negative_decimals():
    with pytest.raises(ValueError):
        round_half_up(1, -1)


def test_it_rejects_non_finite_values():
    with pytest.raises(ValueError):
        round_half_up(float("nan"), 2)


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=0, max_value=4))
def test_it_rounds_every_trailing_five_up_in_magnitude(units: int, decimals: int):
    # units * 10^-decimals + 5 * 10^-(decimals + 1) is exactly half a step.
    step = Decimal(1).scaleb(-decimals)
    half = Decimal(units) * step + (step / 2 if units >= 0 else -step / 2)
    expected = Decimal(units) * step + (step if units >= 0 else -step)
    assert round_half_up(half, decimals) == expected


@given(sane_decimals, display_decimals)
def test_it_never_moves_more_than_half_a_step(value: Decimal, decimals: int):
    assert abs(round_half_up(value, decimals) - value) <= Decimal(1).scaleb(-decimals) / 2


# --- format_number -------------------------------------------------------


def test_it_groups_thousands_with_dots_in_vietnamese():
    assert format_number(15500) == "15.500"


def test_it_uses_a_decimal_comma_in_vietnamese():
    assert format_number(Decimal("101.428571"), 2) == "101,43"


def test_it_groups_thousands_with_commas_in_english():
    assert format_number(15500, locale="en") == "15,500"


def test_it_uses_a_decimal_point_in_english():
    assert format_number(Decimal("101.428571"), 2, "en") == "101.43"


def test_it_formats_none_as_empty():
    assert format_number(None) == ""


def test_it_keeps_the_sign_of_negative_numbers():
    assert format_number(Decimal("-1234.5"), 1) == "-1.234,5"


def test_it_does_not_show_negative_zero():
    assert format_number(Decimal("-0.001"), 2) == "0,00"


def test_it_pads_to_the_requested_decimals():
    assert format_number(3, 2) == "3,00"


def test_it_rounds_half_up_not_half_even_when_formatting():
    # Babel alone would give 0,12 (half-even).
    assert format_number(Decimal("0.125"), 2) == "0,13"


def test_it_formats_a_float_by_its_written_value():
    assert format_number(2.345, 2) == "2,35"


def test_it_formats_values_beyond_the_default_decimal_precision():
    assert format_number(Decimal("123456789012345678901234567890.125"), 2, "en") == (
        "123,456,789,012,345,678,901,234,567,890.13"
    )


# --- format_percent ------------------------------------------------------


def test_it_formats_a_percentage_in_vietnamese():
    assert format_percent(Decimal("101.428571")) == "101,43%"


def test_it_formats_a_percentage_in_english():
    assert format_percent(Decimal("101.428571"), locale="en") == "101.43%"


def test_it_formats_a_percentage_with_chosen_decimals():
    assert format_percent(75, 0) == "75%"


def test_it_formats_a_missing_percentage_as_empty():
    assert format_percent(None) == ""


# --- format_money_vnd ----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (14_000_000_000, "14 tỷ đồng", "14 billion VND"),
        (14_050_000_000, "14,05 tỷ đồng", "14.05 billion VND"),
        (14_500_000_000, "14,5 tỷ đồng", "14.5 billion VND"),
        (1_500_000, "1,5 triệu đồng", "1.5 million VND"),
        (1_000_000, "1 triệu đồng", "1 million VND"),
        (500_000, "500.000 đồng", "500,000 VND"),
        (1_234_567_890_000, "1.234,57 tỷ đồng", "1,234.57 billion VND"),
        (-2_500_000, "-2,5 triệu đồng", "-2.5 million VND"),
    ],
)
def test_it_formats_money_scaled_to_the_largest_unit(value, vi, en):
    assert (format_money_vnd(value), format_money_vnd(value, "en")) == (vi, en)


def test_it_promotes_millions_that_round_to_a_thousand_into_billions():
    assert format_money_vnd(999_999_999) == "1 tỷ đồng"


def test_it_rounds_scaled_money_half_up():
    assert format_money_vnd(1_235_000) == "1,24 triệu đồng"


def test_it_formats_missing_money_as_empty():
    assert format_money_vnd(None) == ""


# --- parse_number: examples ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.500.000,25", "1500000.25"),
        ("1,500,000.25", "1500000.25"),
        ("1,500.5", "1500.5"),
        ("1.500.000", "1500000"),
        ("1,500,000", "1500000"),
        ("1,5", "1.5"),
        ("2.81", "2.81"),
        ("0.500", "0.5"),
        ("0,500", "0.5"),
        ("1234.5", "1234.5"),
        ("1234,500", "1234.5"),
        ("15.5000", "15.5"),
        ("42", "42"),
        ("007", "7"),
    ],
)
def test_it_parses_unambiguous_numbers_without_a_locale(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("15.500", "vi", "15500"),
        ("1,500", "vi", "1.5"),
        ("15.500", "en", "15.5"),
        ("1,500", "en", "1500"),
        ("15.500", "vi_VN", "15500"),
    ],
)
def test_it_resolves_a_lone_separator_before_three_digits_by_locale(text, locale, expected):
    assert parse_number(text, locale) == Decimal(expected)


@pytest.mark.parametrize("text", ["15.500", "1,500", "-999.000"])
def test_it_refuses_to_guess_a_lone_separator_without_a_locale(text):
    with pytest.raises(NumberParseError) as caught:
        parse_number(text)
    assert caught.value.code == "ambiguous"


def test_it_keeps_the_scale_as_written():
    assert str(parse_number("1,50", "vi")) == "1.50"


def test_it_accepts_a_leading_minus():
    assert parse_number("-1.500,5", "vi") == Decimal("-1500.5")


def test_it_accepts_a_leading_plus():
    assert parse_number("+2,5") == Decimal("2.5")


def test_it_accepts_a_typographic_minus():
    assert parse_number("\u22123") == Decimal(-3)


def test_it_drops_a_trailing_percent_sign():
    assert parse_number("75%") == Decimal(75)


def test_it_parses_a_decimal_percentage():
    assert parse_number("101,43 %") == Decimal("101.43")


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\t"])
def test_it_ignores_spaces_of_every_kind(space):
    assert parse_number(f"{space}1.500.000{space}") == Decimal(1500000)


def test_it_ignores_spaces_used_as_thousands_separators():
    assert parse_number("1\u202f500\u202f000") == Decimal(1500000)


# --- parse_number: errors -------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
def test_it_reports_empty_text_as_empty(text):
    with pytest.raises(NumberParseError) as caught:
        parse_number(text)
    assert caught.value.code == "empty"


@pytest.mark.parametrize(
    "text",
    [
        "1.50,5",
        "1.5.0",
        "abc",
        "1e5",
        "--1",
        "1..2",
        "1,500.5.2",
        "1.500,5,2",
        "0.500.000",
        ".5",
        "5.",
        "-",
        "%",
        "5%%",
        "1-2",
        "½",
        "١٢",
    ],
)
def test_it_reports_malformed_text_as_invalid(text):
    with pytest.raises(NumberParseError) as caught:
        parse_number(text, "vi")
    assert caught.value.code == "invalid"


def test_it_names_the_text_in_the_error_message():
    with pytest.raises(NumberParseError, match="1.50,5"):
        parse_number("1.50,5")


def test_it_makes_number_parse_error_a_value_error():
    assert issubclass(NumberParseError, ValueError)


def test_it_rejects_non_string_input():
    with pytest.raises(TypeError):
        parse_number(15)  # type: ignore[arg-type]


# --- round trips ---------------------------------------------------------


@given(sane_decimals, display_decimals)
def test_it_parses_back_what_it_formats_in_vietnamese(value: Decimal, decimals: int):
    assert parse_number(format_number(value, decimals, "vi"), "vi") == round_half_up(
        value, decimals
    )


@given(sane_decimals, display_decimals)
def test_it_parses_back_what_it_formats_in_english(value: Decimal, decimals: int):
    assert parse_number(format_number(value, decimals, "en"), "en") == round_half_up(
        value, decimals
    )


@given(sane_decimals, display_decimals)
def test_it_parses_back_a_formatted_percentage(value: Decimal, decimals: int):
    assert parse_number(format_percent(value, decimals, "vi"), "vi") == round_half_up(
        value, decimals
    )


@given(st.integers(min_value=0, max_value=10**15))
def test_it_formats_money_with_a_known_unit(value: int):
    assert format_money_vnd(value).endswith(("tỷ đồng", "triệu đồng", " đồng"))


@given(value=st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**32,
                         max_value=10**32, places=8),
       decimals=st.integers(min_value=0, max_value=6), locale=st.sampled_from(["vi", "en"]))
def test_the_fast_formatting_is_babels(value, decimals, locale):
    from tiendo.lib.numbers import _babel_format

    rounded = round_half_up(value, decimals)
    rounded = abs(rounded) if rounded.is_zero() else rounded
    assert format_number(value, decimals, locale) == _babel_format(rounded, decimals, locale)
