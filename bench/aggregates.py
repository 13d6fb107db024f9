"""The engine against plain SQL and DuckDB on the same rows, interleaved in one process, on
the database of DATABASE_URL (filled by bench/generate.py; aggregates built by migrate or
`tiendo check-aggregates --repair`).

Each round runs every measure once, in turn; medians over the rounds after one warm-up:

- (a) targets_evaluate, province, 2025; (b) the same for 2025Q3 (forecast);
- (c) indicators_table, all indicators × the 34 provinces, 2025;
- (e) the dashboard page of the province (GET / as its specialist: server time);
- (a*) and (c*): (a) and (c) with TIENDO_AGGREGATES off (the direct path, values only);
- Q1, Q2: the plain SQL a competent engineer writes (join to the units, filter by parent,
  group by element), on the same database; D1, D2: the same SQL in DuckDB over the same
  rows loaded in memory;
- save: one value saved through datavalues_save (a commune's month, changed each time).

With BENCH_CODE=<another checkout> the engine of that checkout is timed instead (the
measures it lacks are left out), for "before / after" in the same run.

    DATABASE_URL=... .venv/bin/python bench/aggregates.py --runs 5 --json
"""

import argparse
import csv
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("BENCH_CODE", ROOT))
sys.path.insert(0, str(CODE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

# Started as the server starts a worker (tiendo.wsgi: where the code freezes what start-up
# loaded, the pages are timed with it frozen).
import tiendo.wsgi  # noqa: E402, F401
from tiendo.accounts.services import user_with_membership  # noqa: E402
from tiendo.analytics import values as engine_values  # noqa: E402
from tiendo.analytics.evaluation import indicators_table, targets_evaluate  # noqa: E402
from tiendo.data.models import DataValue  # noqa: E402
from tiendo.data.services import ValueInput, datavalues_save  # noqa: E402
from tiendo.indicators.models import DataElement, Indicator  # noqa: E402
from tiendo.lib.periods import parse_period  # noqa: E402
from tiendo.org.loaders import REORGANISED_ON  # noqa: E402
from tiendo.org.models import OrgUnit  # noqa: E402
from tiendo.plans.models import TargetSet  # noqa: E402

VALUES = DataValue._meta.db_table
UNITS = OrgUnit._meta.db_table

Q1 = f"""SELECT v.data_element_id, SUM(v.value)
FROM {VALUES} v JOIN {UNITS} u ON u.id = v.org_unit_id
WHERE u.parent_id = %s AND v.period_start >= %s AND v.period_end <= %s
GROUP BY v.data_element_id"""

Q2 = f"""SELECT u.parent_id, v.data_element_id, SUM(v.value)
FROM {VALUES} v JOIN {UNITS} u ON u.id = v.org_unit_id
WHERE u.parent_id IN ({{provinces}}) AND v.period_start >= %s AND v.period_end <= %s
GROUP BY u.parent_id, v.data_element_id"""


def sql(query, params):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()
    return run


def duck_of(start, end):
    """DuckDB in memory with the values of the span (the rows the queries read) and the
    units, loaded through a CSV file."""
    import duckdb

    duck = duckdb.connect()
    with tempfile.TemporaryDirectory() as folder:
        for name, query in (
            (VALUES, f"SELECT data_element_id, org_unit_id, period_start, period_end, value "
                  f"FROM {VALUES} WHERE period_start >= %s AND period_end <= %s"),
            (UNITS, f"SELECT id, parent_id FROM {UNITS}"),
        ):
            path = Path(folder) / f"{name}.csv"
            with connection.cursor() as cursor, path.open("w", newline="") as out:
                cursor.execute(query, [start, end] if name == VALUES
                               else [])
                writer = csv.writer(out)
                while rows := cursor.fetchmany(50_000):
                    writer.writerows(rows)
            columns = ({"data_element_id": "INTEGER", "org_unit_id": "INTEGER",
                        "period_start": "DATE", "period_end": "DATE",
                        "value": "DECIMAL(24,6)"} if name == VALUES
                       else {"id": "INTEGER", "parent_id": "INTEGER"})
            duck.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, header=false, "
                         f"columns={columns!r})", [str(path)])
    return duck


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--province", default="79")
    parser.add_argument("--label", default="")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = ["testserver"]
    province = OrgUnit.objects.get(code=args.province, kind="province", valid_from=REORGANISED_ON)
    provinces = list(OrgUnit.objects.filter(kind="province", valid_from=REORGANISED_ON))
    indicators = list(Indicator.objects.all())
    target_set = TargetSet.objects.get(name="bench 2025")
    year, q3 = parse_period("2025"), parse_period("2025Q3")
    has_aggregates = hasattr(engine_values, "direct_element_figures")

    def eval_year():
        return targets_evaluate(unit=province, period=year, target_set=target_set)

    def eval_q3():
        return targets_evaluate(unit=province, period=q3, target_set=target_set)

    def table():
        return indicators_table(indicators=indicators, units=provinces, period=year)

    user = user_with_membership(username="bench-specialist", password="bench",
                                role="specialist", org_unit=province, actor="bench")
    client = Client()
    client.force_login(user)
    url = f"/?unit={province.pk}&period={year.code}&set={target_set.pk}"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    # A new value each time (the bench's values are approved, so locked): next month, one
    # commune after another; removed at the end.
    communes = list(OrgUnit.objects.filter(parent=province).order_by("code"))
    jobs = DataElement.objects.get(code="jobs_created")
    month = parse_period("202601")
    turn = [0]

    def save():
        commune = communes[turn[0] % len(communes)]
        turn[0] += 1
        datavalues_save(values=[ValueInput(element=jobs, org_unit=commune, period=month,
                                           value=Decimal(turn[0]))], actor="bench")

    q1 = sql(Q1, [province.pk, year.start, year.end])
    marks = ", ".join(["%s"] * len(provinces))
    q2 = sql(Q2.format(provinces=marks), [*(p.pk for p in provinces), year.start, year.end])
    measures = {"a": eval_year, "b": eval_q3, "c": table, "e": page, "save": save,
                "Q1": q1, "Q2": q2}
    if has_aggregates:
        def direct(fn):
            def run():
                with override_settings(TIENDO_AGGREGATES=False):
                    return fn()
            return run
        measures["a*"] = direct(eval_year)
        measures["c*"] = direct(table)

    duck_load_s = None
    if not os.environ.get("BENCH_NO_DUCKDB"):
        print("loading DuckDB…", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        duck = duck_of(year.start, year.end)
        duck_load_s = round(time.perf_counter() - t0, 1)
        d1_sql = Q1.replace("%s", "?")
        d2_sql = Q2.format(provinces=marks).replace("%s", "?")
        measures["D1"] = lambda: duck.execute(
            d1_sql, [province.pk, year.start, year.end]).fetchall()
        measures["D2"] = lambda: duck.execute(
            d2_sql, [*(p.pk for p in provinces), year.start, year.end]).fetchall()

    # The answers: the plain queries and DuckDB give the engine's figures for every element
    # that sums over time and units (Q1 and Q2 sum every month, which is not a stock's rule).
    flows = {e.id: e for e in DataElement.objects.all()
             if e.time_aggregation == "sum" and e.unit_aggregation == "sum"}
    engine = engine_values.element_figures(elements=list(flows.values()),
                                           span=engine_values.Span.of(year),
                                           roots=provinces)

    def same(rows, by_province):
        got = {}
        for row in rows:
            unit, element, total = (row if by_province else (province.pk, *row))
            if element in flows:
                got[(element, "", unit)] = Decimal(str(total)).quantize(Decimal("0.000001"))
        wanted = {key: fig.value.quantize(Decimal("0.000001")) for key, fig in engine.items()
                  if not by_province and key[2] == province.pk or by_province}
        return got == wanted, len(got)

    checks = {name: same(measures[name](), name.endswith("2"))
              for name in ("Q1", "Q2", "D1", "D2") if name in measures}
    print("timing…", file=sys.stderr, flush=True)
    samples = {name: [] for name in measures}
    for fn in measures.values():
        fn()  # warm-up
    for _round in range(args.runs):
        for name, fn in measures.items():
            gc.collect()
            start = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - start) * 1000)
    added = DataValue.objects.filter(data_element=jobs, period=month.code, source="")
    try:
        from tiendo.data.services import datavalues_delete
    except ImportError:  # the code before: no aggregates to keep
        added.delete()
    else:
        datavalues_delete(value_ids=list(added.values_list("id", flat=True)), actor="bench")
    result = {
        "label": args.label or connection.vendor,
        "code": str(CODE),
        "aggregates": has_aggregates and settings.TIENDO_AGGREGATES,
        "values": DataValue.objects.count(),
        "runs": args.runs,
        "duckdb_load_s": duck_load_s,
        "answers_equal": {name: {"equal": ok, "cells": n} for name, (ok, n) in checks.items()},
        "median_ms": {name: round(statistics.median(s), 1) for name, s in samples.items()},
        "best_ms": {name: round(min(s), 1) for name, s in samples.items()},
        "load": os.getloadavg(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
