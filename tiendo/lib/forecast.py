"""Year-end forecast (ước cả năm) for flows reported part-way through the year."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class ForecastMethod(StrEnum):
    LAST_YEAR_SHARE = "last_year_share"
    LINEAR = "linear"


@dataclass(frozen=True, slots=True)
class Forecast:
    value: Decimal
    method: ForecastMethod
    # The share of the whole period expected by now (0..1): what the figure so far was
    # divided by. "Expected progress" on the pages is this × 100.
    share: Decimal


def forecast_flow(
    *,
    to_date: Decimal,
    months_elapsed: int,
    months_total: int = 12,
    last_year_to_date: Decimal | None = None,
    last_year_total: Decimal | None = None,
) -> Forecast:
    """Scale the figure so far by the share of last year's total reached by the same month.

    Without usable history (none, or nothing by that month last year), scale by
    months_total / months_elapsed.
    """
    if not 0 < months_elapsed <= months_total:
        raise ValueError(f"months_elapsed must be in 1..{months_total}, not {months_elapsed}")
    if last_year_to_date and last_year_total and last_year_to_date > 0:
        return Forecast(
            to_date * last_year_total / last_year_to_date, ForecastMethod.LAST_YEAR_SHARE,
            last_year_to_date / last_year_total,
        )
    return Forecast(to_date * months_total / months_elapsed, ForecastMethod.LINEAR,
                    Decimal(months_elapsed) / Decimal(months_total))
