"""Times of the socio-economic demo and its reads (issue 17): the demo load, the side-by-side
view and an evaluation of every set of Long An for 2024. Run on a fresh database:
`DATABASE_URL=sqlite:////tmp/se.sqlite3 .venv/bin/python bench/socio_economic.py`."""

import os, time, datetime, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tiendo.org.loaders import orgunits_load_vietnam
from tiendo.indicators.loaders import catalogue_load
from tiendo.demo.loader import demo_load
from tiendo.org.selectors import orgunit_resolve
from tiendo.lib.periods import parse_period
from tiendo.analytics.side_by_side import side_by_side
from tiendo.analytics.evaluation import targets_evaluate
orgunits_load_vietnam(); catalogue_load()
t = time.perf_counter(); demo_load(); print(f"demo_load first {time.perf_counter()-t:.1f} s")
t = time.perf_counter(); demo_load(); print(f"demo_load again {time.perf_counter()-t:.1f} s")
unit = orgunit_resolve(code="80", on=datetime.date(2024, 12, 31))
today = datetime.date(2026, 12, 1)
for name, fn in (("side_by_side Long An 2024", lambda: side_by_side(unit=unit, period=parse_period("2024"), today=today)),
                 ("evaluate Long An 2024 (every set)", lambda: targets_evaluate(unit=unit, period=parse_period("2024"), today=today))):
    times = []
    for _ in range(5):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    times.sort(); print(f"{name}: median {times[2]*1000:.0f} ms of 5")
print("load", os.getloadavg())
