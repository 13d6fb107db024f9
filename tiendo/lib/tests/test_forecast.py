from decimal import Decimal as D

import pytest

from tiendo.lib.forecast import ForecastMethod, forecast_flow


def test_it_scales_by_last_year_share_reached_by_the_month():
    result = forecast_flow(
        to_date=D(600), months_elapsed=9, last_year_to_date=D(540), last_year_total=D(900)
    )
    assert result.value == D(1000)
    assert result.method == ForecastMethod.LAST_YEAR_SHARE


def test_it_scales_linearly_without_history():
    result = forecast_flow(to_date=D(600), months_elapsed=9)
    assert result.value == D(800)
    assert result.method == ForecastMethod.LINEAR


def test_it_scales_linearly_when_last_year_had_nothing_by_that_month():
    result = forecast_flow(
        to_date=D(30), months_elapsed=3, last_year_to_date=D(0), last_year_total=D(100)
    )
    assert result.method == ForecastMethod.LINEAR


def test_it_refuses_a_month_outside_the_year():
    with pytest.raises(ValueError):
        forecast_flow(to_date=D(1), months_elapsed=0)
