"""Time the evaluation engine on the database of DATABASE_URL (filled by bench/generate.py).

(a) targets_evaluate, one province, period 2025 (actual, baseline, same period last year)
(b) the same for 2025Q3 (year to date, plus the forecast path)
(c) indicators_table: all indicators x the 34 current provinces, 2025
(d) the raw SQL of the same aggregation: SUM(value) by province and element over 2025

Best and median of N runs after one warm-up, time.perf_counter. Prints a markdown block;
with --json also a JSON line; with --profile a cProfile top 15 of (c).

    DATABASE_URL=... .venv/bin/python bench/run.py --runs 5
"""

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from tiendo.analytics.evaluation import indicators_table, targets_evaluate  # noqa: E402
from tiendo.data.models import DataValue  # noqa: E402
from tiendo.indicators.models import DataElement, Indicator  # noqa: E402
from tiendo.lib.formulas import parse_formula  # noqa: E402
from tiendo.lib.periods import parse_period  # noqa: E402
from tiendo.org.loaders import REORGANISED_ON  # noqa: E402
from tiendo.org.models import OrgUnit  # noqa: E402
from tiendo.plans.models import TargetSet  # noqa: E402


def timed(fn, runs: int) -> dict:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return {"best_ms": min(samples), "median_ms": statistics.median(samples), "runs": runs}


def raw_national(element_ids: list[int], start, end):
    """SUM(value) per (province, element) over the span: commune -> parent province."""
    value_table = DataValue._meta.db_table
    unit_table = OrgUnit._meta.db_table
    marks = ", ".join(["%s"] * len(element_ids))

    def run():
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT u.parent_id, v.data_element_id, SUM(v.value), COUNT(*)
                FROM {value_table} v JOIN {unit_table} u ON u.id = v.org_unit_id
                WHERE v.data_element_id IN ({marks})
                  AND v.period_start >= %s AND v.period_end <= %s
                GROUP BY u.parent_id, v.data_element_id
                """,
                [*element_ids, start, end],
            )
            return cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--province", default="79")
    parser.add_argument("--label", default="")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    province = OrgUnit.objects.get(code=args.province, kind="province", valid_from=REORGANISED_ON)
    provinces = list(OrgUnit.objects.filter(kind="province", valid_from=REORGANISED_ON))
    indicators = list(Indicator.objects.all())
    target_set = TargetSet.objects.get(name="bench 2025")
    year, q3 = parse_period("2025"), parse_period("2025Q3")
    codes = {c for ind in indicators for c in parse_formula(ind.formula).elements}
    element_ids = list(DataElement.objects.filter(code__in=codes).values_list("id", flat=True))

    def eval_year():
        return targets_evaluate(unit=province, period=year, target_set=target_set)

    def eval_q3():
        return targets_evaluate(unit=province, period=q3, target_set=target_set)

    def table():
        return indicators_table(indicators=indicators, units=provinces, period=year)

    raw = raw_national(element_ids, year.start, year.end)

    # Sanity: what each call returns.
    ev, ev3, tab, raw_rows = eval_year(), eval_q3(), table(), raw()
    facts = {
        "vendor": connection.vendor,
        "values": DataValue.objects.count(),
        "province": f"{province.name} ({province.code})",
        "province_communes": OrgUnit.objects.filter(parent=province).count(),
        "targets_year": len(ev.results),
        "with_baseline": sum(r.baseline is not None for r in ev.results),
        "with_last_year": sum(r.last_year is not None for r in ev.results),
        "with_forecast_q3": sum(r.forecast is not None for r in ev3.results),
        "table_cells": len(tab),
        "table_cells_filled": sum(f.value is not None for f in tab.values()),
        "raw_rows": len(raw_rows),
        "values_in_raw": sum(row[3] for row in raw_rows),
    }

    results = {
        "a_evaluate_2025": timed(eval_year, args.runs),
        "b_evaluate_2025Q3": timed(eval_q3, args.runs),
        "c_indicators_table": timed(table, args.runs),
        "d_raw_sql": timed(raw, args.runs),
    }
    ratio_best = results["c_indicators_table"]["best_ms"] / results["d_raw_sql"]["best_ms"]
    ratio_median = results["c_indicators_table"]["median_ms"] / results["d_raw_sql"]["median_ms"]

    gc.collect()
    tracemalloc.start()
    table()
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    label = args.label or connection.vendor
    lines = [
        f"#### {label}",
        "",
        f"- values in the table: {facts['values']:,}; province {facts['province']}, "
        f"{facts['province_communes']} communes",
        f"- (a) {facts['targets_year']} targets, {facts['with_baseline']} with a baseline, "
        f"{facts['with_last_year']} with last year; (b) {facts['with_forecast_q3']} forecasts",
        f"- (c) {facts['table_cells']} cells ({facts['table_cells_filled']} filled); "
        f"(d) {facts['raw_rows']} rows over {facts['values_in_raw']:,} values",
        "",
        "| measure | best (ms) | median (ms) | runs |",
        "|---|---:|---:|---:|",
    ]
    names = {
        "a_evaluate_2025": "(a) targets_evaluate, province, 2025",
        "b_evaluate_2025Q3": "(b) targets_evaluate, province, 2025Q3 (forecast)",
        "c_indicators_table": "(c) indicators_table, all indicators x 34 provinces, 2025",
        "d_raw_sql": "(d) raw SQL SUM by province x element, 2025",
    }
    for key, name in names.items():
        r = results[key]
        lines.append(f"| {name} | {r['best_ms']:.1f} | {r['median_ms']:.1f} | {r['runs']} |")
    lines += [
        "",
        f"- ratio (c)/(d): {ratio_best:.2f}x (best), {ratio_median:.2f}x (median)",
        f"- peak memory: ru_maxrss {maxrss_kb / 1024:.0f} MiB (whole process); "
        f"tracemalloc peak during (c) {traced_peak / 2**20:.1f} MiB",
        "",
    ]
    print("\n".join(lines))
    if args.json:
        print("JSON " + json.dumps({
            "label": label, "facts": facts, "results": results,
            "ratio_best": ratio_best, "ratio_median": ratio_median,
            "maxrss_mib": maxrss_kb / 1024, "tracemalloc_peak_mib": traced_peak / 2**20,
        }))
    if args.profile:
        for name, fn in (("indicators_table", table), ("targets_evaluate 2025", eval_year)):
            profiler = cProfile.Profile()
            profiler.enable()
            fn()
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
            print(f"cProfile {name} ({label}), top 15 by cumulative time:")
            print("```")
            print("\n".join(out.getvalue().splitlines()[:45]))
            print("```")


if __name__ == "__main__":
    main()
