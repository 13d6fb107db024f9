"""Diagnostic: time each SQL statement run by (a) and (c) of bench/run.py, on DATABASE_URL."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")
import django  # noqa: E402

django.setup()
from django.db import connection  # noqa: E402

from tiendo.analytics.evaluation import indicators_table, targets_evaluate  # noqa: E402
from tiendo.indicators.models import Indicator  # noqa: E402
from tiendo.lib.periods import parse_period  # noqa: E402
from tiendo.org.models import OrgUnit  # noqa: E402
from tiendo.plans.models import TargetSet  # noqa: E402

log = []


def wrapper(execute, sql, params, many, context):
    t0 = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        kind = "stock last-value query" if "last_end" in sql else (
            "group query" if "GROUP BY v.data_element_id" in sql else "ORM " + sql.split()[0])
        log.append((kind, (time.perf_counter() - t0) * 1000))


provinces = list(OrgUnit.objects.filter(kind="province", valid_from="2025-07-01"))
province = next(p for p in provinces if p.code == "79")
indicators = list(Indicator.objects.all())
ts = TargetSet.objects.get(name="bench 2025")
for name, fn in (
    ("(a) targets_evaluate 79 2025", lambda: targets_evaluate(
        unit=province, period=parse_period("2025"), target_set=ts)),
    ("(c) indicators_table 2025", lambda: indicators_table(
        indicators=indicators, units=provinces, period=parse_period("2025"))),
):
    fn()
    log.clear()
    with connection.execute_wrapper(wrapper):
        t0 = time.perf_counter()
        fn()
        total = (time.perf_counter() - t0) * 1000
    sums = {}
    for kind, ms in log:
        n, s = sums.get(kind, (0, 0.0))
        sums[kind] = (n + 1, s + ms)
    sql = sum(s for _, s in sums.values())
    print(f"{connection.vendor} {name}: total {total:.0f} ms; " + "; ".join(
        f"{k} x{n} {s:.0f} ms" for k, (n, s) in sums.items()) + f"; Python {total - sql:.0f} ms")
