"""Concurrent writers on the shared aggregate rows (a province's and the country's, for one
element and month), on PostgreSQL, database of DATABASE_URL (filled by bench/generate.py).

- writers: W processes, each saving `--saves` single values one after the other (a new
  month of one element, each writer in its own province's communes): all of them add to
  the same country rows, so each save waits for the other writers' commits. The same with
  each writer on its own month (no shared rows) as the reference. Throughput and latency.
- imports: two processes each storing a province's values (every commune × element × six
  new months) in one `datavalues_save`, the second in the reverse order; timed, with any
  error (a deadlock) reported.

With BENCH_CODE=<another checkout> that checkout's services are run instead. The values
written are deleted at the end through the services.

    DATABASE_URL=postgres://... [BENCH_CODE=...] .venv/bin/python bench/contention.py
"""

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("BENCH_CODE", ROOT))
sys.path.insert(0, str(CODE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402

from tiendo.data import services  # noqa: E402
from tiendo.data.models import DataValue  # noqa: E402
from tiendo.indicators.models import DataElement  # noqa: E402
from tiendo.lib.periods import parse_period  # noqa: E402
from tiendo.org.loaders import REORGANISED_ON  # noqa: E402
from tiendo.org.models import OrgUnit  # noqa: E402

PROVINCES = ["79", "01", "48", "92"]


def _province_communes(code: str) -> list:
    province = OrgUnit.objects.get(code=code, kind="province", valid_from=REORGANISED_ON)
    return list(OrgUnit.objects.filter(parent=province).order_by("code"))


def _writer(code: str, month: str, saves: int, start, out) -> None:
    jobs = DataElement.objects.get(code="jobs_created")
    communes = _province_communes(code)
    period = parse_period(month)
    connections["default"].ensure_connection()
    start.wait()
    times = []
    for turn in range(saves):
        began = time.perf_counter()
        services.datavalues_save(values=[services.ValueInput(
            element=jobs, org_unit=communes[turn % len(communes)], period=period,
            value=Decimal(turn + 1))], actor="bench-contention")
        times.append((time.perf_counter() - began) * 1000)
    out.put(times)
    connections.close_all()


def _importer(code: str, reverse: bool, start, out) -> None:
    elements = list(DataElement.objects.exclude(value_type="percent").order_by("code"))
    communes = _province_communes(code)
    periods = [parse_period(f"2027{month:02}") for month in range(1, 7)]
    cells = [(element, commune, period) for period in periods for element in elements
             for commune in communes]
    if reverse:
        cells.reverse()
    connections["default"].ensure_connection()
    start.wait()
    began = time.perf_counter()
    error = None
    try:
        services.datavalues_save(values=(services.ValueInput(
            element=element, org_unit=commune, period=period, value=Decimal(7))
            for element, commune, period in cells), actor="bench-contention")
    except Exception as problem:  # noqa: BLE001 - reported
        error = f"{type(problem).__name__}: {str(problem).splitlines()[0]}"
    out.put({"province": code, "values": len(cells), "seconds": round(
        time.perf_counter() - began, 2), "error": error})
    connections.close_all()


def _run(target, argsets) -> tuple[float, list]:
    connections.close_all()  # no connection shared with the children
    context = multiprocessing.get_context("fork")
    start = context.Barrier(len(argsets) + 1)
    out = context.Queue()
    children = [context.Process(target=target, args=(*args, start, out)) for args in argsets]
    for child in children:
        child.start()
    start.wait()
    began = time.perf_counter()
    results = [out.get() for _child in children]
    seconds = time.perf_counter() - began
    for child in children:
        child.join()
    return seconds, results


def _clean() -> None:
    rows = DataValue.objects.filter(period__startswith="2027")  # this bench's only
    ids = list(rows.values_list("pk", flat=True))
    if hasattr(services, "datavalues_delete"):
        for first in range(0, len(ids), 20000):
            services.datavalues_delete(value_ids=ids[first:first + 20000],
                                       actor="bench-contention")
    else:
        rows.delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--no-imports", action="store_true")
    args = parser.parse_args()
    _clean()
    report = {"code": str(CODE), "writers": [], "imports": None}
    for count in args.writers:
        for shared in (True, False):
            months = ["202701" if shared else f"20270{n + 1}" for n in range(count)]
            seconds, results = _run(_writer, [(PROVINCES[n], months[n], args.saves)
                                              for n in range(count)])
            times = sorted(t for result in results for t in result)
            report["writers"].append({
                "writers": count, "same_month": shared,
                "saves_per_s": round(len(times) / seconds, 1),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            })
            _clean()
    if not args.no_imports:
        seconds, results = _run(_importer, [("79", False), ("01", True)])
        report["imports"] = {"seconds": round(seconds, 2), "runs": results}
        _clean()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
