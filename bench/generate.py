"""Generate national-scale benchmark data on the database of DATABASE_URL.

Migrates, loads the map of Vietnam and the catalogue, then bulk-inserts one value per
current-map commune (3,321) x data element (total only, part '') x month, straight into
the data value table (COPY on PostgreSQL, executemany on SQLite), source="bench". Finally
creates the target set "bench 2025": one target per indicator for each current province.

This bypasses the service layer on purpose: it is a data generator, not an import.

    DATABASE_URL=... .venv/bin/python bench/generate.py --months 60
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from tiendo.data.aggregates import aggregates_rebuild  # noqa: E402
from tiendo.data.models import DataValue  # noqa: E402
from tiendo.indicators.loaders import catalogue_load  # noqa: E402
from tiendo.indicators.models import DataElement, Indicator  # noqa: E402
from tiendo.org.loaders import REORGANISED_ON, orgunits_load_vietnam  # noqa: E402
from tiendo.org.models import OrgUnit  # noqa: E402
from tiendo.plans.models import Target, TargetSet  # noqa: E402

LAST_YEAR = 2025  # the data ends 2025-12; --months counts back from there
MAX_MONTHS = 120
SOURCE = "bench"
TARGET_SET = "bench 2025"
# Numerators of rate indicators are drawn as a share of their denominator so that the
# rates look like rates (0-100 %).
SHARE_OF = {
    "trained_workers": ("labour_force", 0.55, 0.75),
    "trained_workers_certified": ("trained_workers", 0.30, 0.50),
    "social_insured_workers": ("labour_force", 0.25, 0.45),
    "poor_households": ("households_total", 0.01, 0.08),
    "near_poor_households": ("households_total", 0.02, 0.08),
    "children_special_cared": ("children_special_total", 0.85, 0.99),
    "disaster_victims_relieved": ("disaster_victims", 0.90, 1.00),
}


def months(count: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """The last `count` months ending in December of LAST_YEAR (count a multiple of 12)."""
    first_year = LAST_YEAR + 1 - count // 12
    out = []
    for i in range(count):
        y, m = first_year + i // 12, i % 12 + 1
        start = datetime.date(y, m, 1)
        nxt = datetime.date(y + (m == 12), m % 12 + 1, 1)
        out.append((f"{y}{m:02d}", start, nxt - datetime.timedelta(days=1)))
    return out


def element_order(elements: list[DataElement]) -> list[DataElement]:
    """Denominators before the numerators drawn from them."""
    ordered, done = [], set()
    pending = list(elements)
    while pending:
        for element in list(pending):
            base = SHARE_OF.get(element.code, (None,))[0]
            if base is None or base in done or base not in {e.code for e in elements}:
                ordered.append(element)
                done.add(element.code)
                pending.remove(element)
    return ordered


def commune_series(elements, month_count: int, rng: random.Random):
    """Yield (element, [value per month]) for one commune."""
    stock_start: dict[str, list[float]] = {}
    for element in elements:
        stock = element.time_aggregation == "last"
        if element.value_type == "percent":
            level = rng.uniform(1, 10)
            series = [round(min(100.0, max(0.0, level + rng.gauss(0, 0.3))), 2)
                      for _ in range(month_count)]
        elif stock:
            share = SHARE_OF.get(element.code)
            if share and share[0] in stock_start:
                lo, hi = share[1], share[2]
                series = [int(v * rng.uniform(lo, hi)) for v in stock_start[share[0]]]
            else:
                level = rng.uniform(500, 20000)
                drift = rng.uniform(-0.002, 0.006)
                series = [int(level * (1 + drift) ** i * rng.uniform(0.995, 1.005))
                          for i in range(month_count)]
            stock_start[element.code] = series
        else:  # flow
            share = SHARE_OF.get(element.code)
            if share and share[0] in stock_start:
                series = [int(v * rng.uniform(share[1], share[2]))
                          for v in stock_start[share[0]]]
            else:
                scale = 5e7 if element.value_type == "money" else rng.uniform(2, 60)
                series = [max(1, int(scale * rng.uniform(0.5, 1.5))) for _ in range(month_count)]
            stock_start[element.code] = series
        yield element, series


def rows(communes, elements, periods, seed: int):
    """All rows as tuples (element id, part, unit id, period, type, start, end, value)."""
    rng = random.Random(seed)
    for unit_id in communes:
        for element, series in commune_series(elements, len(periods), rng):
            for (code, start, end), value in zip(periods, series, strict=True):
                yield element.id, unit_id, code, start, end, value


def drop_indexes() -> list[str]:
    """Drop the value table's secondary indexes (recreated after the load); keep the
    unique constraint. Returns the DDL to recreate them."""
    table = DataValue._meta.db_table
    ddl = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.tablename = %s AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """,
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
        for name, sql in cursor.fetchall():
            ddl.append(sql)
            cursor.execute(f'DROP INDEX "{name}"')
    return ddl


def insert_values(communes, elements, periods, seed: int) -> int:
    table = DataValue._meta.db_table
    now = datetime.datetime.now(datetime.UTC)
    count = 0
    if connection.vendor == "postgresql":
        columns = ("data_element_id, part, org_unit_id, period, period_type, period_start, "
                   "period_end, value, estimate, comment, status, version, updated_at, source")
        tail = f"\tf\t\tapproved\t1\t{now.isoformat()}\t{SOURCE}\n"
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                buffer = []
                for element_id, unit_id, code, start, end, value in rows(
                    communes, elements, periods, seed
                ):
                    buffer.append(
                        f"{element_id}\t\t{unit_id}\t{code}\tmonth\t{start}\t{end}\t{value}{tail}"
                    )
                    if len(buffer) >= 50000:
                        copy.write("".join(buffer))
                        count += len(buffer)
                        buffer.clear()
                copy.write("".join(buffer))
                count += len(buffer)
    else:
        sql = (
            f"INSERT INTO {table} (data_element_id, part, org_unit_id, period, period_type, "
            "period_start, period_end, value, estimate, comment, status, version, updated_at, "
            "source) VALUES (?, '', ?, ?, 'month', ?, ?, ?, 0, '', 'approved', 1, ?, ?)"
        )
        stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
        raw = connection.connection  # the sqlite3 connection
        batch = []
        for element_id, unit_id, code, start, end, value in rows(communes, elements, periods, seed):
            batch.append((element_id, unit_id, code, start.isoformat(), end.isoformat(), value,
                          stamp, SOURCE))
            if len(batch) >= 200000:
                raw.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        raw.executemany(sql, batch)
        count += len(batch)
    return count


def create_targets(year: int) -> int:
    """One target per indicator per current province for the year, set ~5 % beyond the
    previous year's figure (at_least / at_most), and a few decrease_pct ones."""
    from tiendo.analytics.evaluation import indicators_table
    from tiendo.lib.periods import parse_period

    provinces = list(OrgUnit.objects.filter(kind="province", valid_from=REORGANISED_ON))
    indicators = list(Indicator.objects.all())
    previous = indicators_table(
        indicators=indicators, units=provinces, period=parse_period(str(year - 1))
    )
    TargetSet.objects.filter(name=TARGET_SET).delete()
    target_set = TargetSet.objects.create(name=TARGET_SET, period=str(year))
    targets = []
    for indicator in indicators:
        lower = indicator.direction == "lower"
        decrease = indicator.code in ("poverty_rate", "near_poverty_rate", "poor_households")
        for province in provinces:
            figure = previous.get((indicator.id, province.id))
            last = figure.value if figure and figure.value is not None else Decimal(100)
            if decrease:
                comparison, value, baseline = "decrease_pct", Decimal(5), str(year - 1)
            else:
                comparison = "at_most" if lower else "at_least"
                value = (last * Decimal("0.95" if lower else "1.05")).quantize(Decimal("0.01"))
                baseline = ""
            targets.append(Target(
                target_set=target_set, indicator=indicator, org_unit=province,
                period=str(year), comparison=comparison, value=value, baseline_period=baseline,
            ))
    Target.objects.bulk_create(targets)
    return len(targets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--months", type=int, default=60,
        help="months ending 2025-12, 24..120 in whole years (default 60: 2021-01…)",
    )
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    if not 24 <= args.months <= MAX_MONTHS or args.months % 12:
        parser.error(
            f"--months must be 24..{MAX_MONTHS} in whole years (the targets need 2024 and 2025)"
        )
    first = LAST_YEAR + 1 - args.months // 12
    periods = months(args.months)
    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    if not OrgUnit.objects.filter(kind="commune", valid_from=REORGANISED_ON).exists():
        orgunits_load_vietnam()
    catalogue_load()
    timings["map_catalogue_s"] = time.perf_counter() - t0

    communes = list(
        OrgUnit.objects.filter(kind="commune", valid_from=REORGANISED_ON)
        .order_by("id").values_list("id", flat=True)
    )
    elements = element_order(list(DataElement.objects.order_by("id")))

    t0 = time.perf_counter()
    with transaction.atomic():
        DataValue.objects.filter(source=SOURCE).delete()
    timings["clear_s"] = time.perf_counter() - t0

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.execute("PRAGMA synchronous = OFF")
        connection.connection.execute("PRAGMA cache_size = -1000000")
    t0 = time.perf_counter()
    with transaction.atomic():
        ddl = drop_indexes()
        count = insert_values(communes, elements, periods, args.seed)
        timings["insert_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Django's foreign keys are deferred: check them now, or CREATE INDEX refuses
                # to run with pending trigger events.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in ddl:
                cursor.execute(sql)
        timings["reindex_s"] = time.perf_counter() - t1
    # The values went in behind the services: build the engine's aggregates from them.
    t0 = time.perf_counter()
    aggregates_rebuild()
    timings["aggregates_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        # VACUUM sets the visibility map, as autovacuum would on a live database: without it
        # every index-only scan of the fresh rows visits the table too.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    timings["analyze_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    with transaction.atomic():
        target_count = create_targets(2025)
    timings["targets_s"] = time.perf_counter() - t0

    summary = {
        "vendor": connection.vendor,
        "months": args.months,
        "first_month": periods[0][0],
        "last_month": periods[-1][0],
        "first_year": first,
        "communes": len(communes),
        "provinces": OrgUnit.objects.filter(kind="province", valid_from=REORGANISED_ON).count(),
        "elements": len(elements),
        "indicators": Indicator.objects.count(),
        "values_inserted": count,
        "values_total": DataValue.objects.count(),
        "targets": target_count,
        "timings": {k: round(v, 2) for k, v in timings.items()},
        "generation_s": round(sum(timings.values()), 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
