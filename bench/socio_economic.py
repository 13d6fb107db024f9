"""Times of the socio-economic demo and its reads (issue 17): the demo load, the side-by-side
view and an evaluation of every set of Long An for 2024. Run on a fresh database:
`DATABASE_URL=sqlite:////tmp/se.sqlite3 .venv/bin/python bench/socio_economic.py`."""

import datetime
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from tiendo.analytics.evaluation import targets_evaluate  # noqa: E402
from tiendo.analytics.side_by_side import side_by_side  # noqa: E402
from tiendo.demo.loader import demo_load  # noqa: E402
from tiendo.indicators.loaders import catalogue_load  # noqa: E402
from tiendo.lib.periods import parse_period  # noqa: E402
from tiendo.org.loaders import orgunits_load_vietnam  # noqa: E402
from tiendo.org.selectors import orgunit_resolve  # noqa: E402

TODAY = datetime.date(2026, 12, 1)


def timed(name: str, run, times: int = 1) -> None:
    taken = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        taken.append(time.perf_counter() - start)
    taken.sort()
    print(f"{name}: {taken[len(taken) // 2] * 1000:.0f} ms (median of {times})")


def main() -> None:
    call_command("migrate", verbosity=0)
    orgunits_load_vietnam()
    catalogue_load()
    timed("demo_load, first", demo_load)
    timed("demo_load, again", demo_load)
    unit = orgunit_resolve(code="80", on=datetime.date(2024, 12, 31))
    year = parse_period("2024")
    timed("side_by_side Long An 2024",
          lambda: side_by_side(unit=unit, period=year, today=TODAY), times=5)
    timed("targets_evaluate Long An 2024, every set",
          lambda: targets_evaluate(unit=unit, period=year, today=TODAY), times=5)
    print("load average", os.getloadavg())


if __name__ == "__main__":
    main()
