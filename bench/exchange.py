"""Benchmark of uploads: a 100,000-value .xlsx and a 1,000,000-value DHIS2 CSV, validated
and stored through the same path as the web page and `tiendo import` (services, checks,
one audit record per value, as an administrator), on the database of DATABASE_URL.

    DATABASE_URL=... .venv/bin/python bench/exchange.py [--values-xlsx N] [--values-csv N]

Prepares the database (migrate, map of Vietnam, catalogue) when needed, writes the files
into bench/out/, then runs each import in a fresh process so that its peak memory
(ru_maxrss) is its own, and prints a markdown table (and a JSON line with --json). The CSV
is imported three times: new values, the same file again (nothing changes), and a copy with
every value changed. Runs start from no values of this benchmark otherwise.
"""

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tiendo.audit.models import AuditRecord  # noqa: E402
from tiendo.data.models import DataValue  # noqa: E402
from tiendo.indicators.loaders import catalogue_load  # noqa: E402
from tiendo.indicators.models import DataElement  # noqa: E402
from tiendo.org.loaders import REORGANISED_ON, orgunits_load_vietnam  # noqa: E402
from tiendo.org.models import OrgUnit  # noqa: E402

SOURCE_PREFIX = "bench-exchange"
# Periods that end on or after the reorganisation, so the current map's communes resolve.
PERIODS = ["202507", "202508", "202509", "202510", "202511", "202512", "2025Q3", "2025Q4",
           "2025S2", "2025", "202601", "202602", "202603", "2026Q1"]


def prepare() -> None:
    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.filter(kind="commune", valid_from=REORGANISED_ON).exists():
        orgunits_load_vietnam()
    if not DataElement.objects.exists():
        catalogue_load()


def _cells(count: int):
    """(element, period, unit code, value) for `count` values: communes × elements × periods."""
    rng = random.Random(7)
    communes = list(OrgUnit.objects.filter(kind="commune", valid_from=REORGANISED_ON)
                    .order_by("code").values_list("code", flat=True))
    elements = list(DataElement.objects.order_by("code").values_list("code", "value_type"))
    made = 0
    for period in PERIODS:
        for code, value_type in elements:
            for commune in communes:
                if made == count:
                    return
                if value_type == "percent":
                    value = f"{rng.uniform(0, 100):.2f}"
                else:
                    value = str(rng.randint(0, 5000))
                yield code, period, commune, value
                made += 1
    raise SystemExit(f"only {made} cells available, asked for {count}")


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("dataelement,period,orgunit,categoryoptioncombo,value\n")
        for code, period, unit, value in _cells(count):
            out.write(f"{code},{period},{unit},,{value}\n")


def write_xlsx(path: Path, count: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("values")
    sheet.append(["dataelement", "period", "orgunit", "value"])
    for code, period, unit, value in _cells(count):
        sheet.append([code, period, unit, float(value) if "." in value else int(value)])
    book.save(path)


def clear() -> None:
    ids = DataValue.objects.filter(source__startswith=SOURCE_PREFIX)
    AuditRecord.objects.filter(entity="datavalue", entity_id__in=ids.values("pk")).delete()
    ids.delete()
    # The aggregates kept on write (tiendo.data.aggregates) were of the deleted values too.
    from tiendo.data.aggregates import aggregates_rebuild

    aggregates_rebuild()


def _importer():
    """The user the files are imported as: an administrator, so that the scope check and
    the foreign keys to the user run as on the web page, the API and `tiendo import`."""
    from django.contrib.auth import get_user_model

    from tiendo.accounts.models import Membership, Role

    user, _created = get_user_model().objects.get_or_create(username="bench-exchange")
    Membership.objects.get_or_create(user=user, defaults={"role": Role.ADMIN})
    return user


def write_changed_csv(path: Path, source: Path) -> None:
    """`source` with every value changed: whole numbers get a leading 1, rates are halved."""
    with source.open(encoding="utf-8") as lines, path.open("w", encoding="utf-8") as out:
        out.write(next(lines))
        for line in lines:
            head, value = line.rstrip("\n").rsplit(",", 1)
            value = f"{float(value) / 2:.2f}" if "." in value else f"1{value}"
            out.write(f"{head},{value}\n")


def run_one(path: Path, *, on_top: bool = False, keep: bool = False) -> dict:
    """In a fresh process: import the file, store it, report time and peak memory. The
    values of earlier runs are deleted first unless `on_top`, and these kept if `keep`."""
    from tiendo.exchange.services import upload_import

    if not on_top:
        clear()
    user = _importer()
    audits_before = AuditRecord.objects.filter(actor="bench").count()
    connection.ensure_connection()  # not timed: connecting is not importing
    started = time.perf_counter()
    with path.open("rb") as handle:
        outcome = upload_import(stream=handle, filename=f"{SOURCE_PREFIX}-{path.name}",
                                user=user, actor="bench", store=True)
    seconds = time.perf_counter() - started
    result = outcome.result
    audits = AuditRecord.objects.filter(actor="bench").count() - audits_before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if not keep:
        clear()
    values = result.created + result.updated + result.unchanged
    return {"file": path.name, "kind": outcome.kind, "values": values,
            "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "audit_records": audits,
            "seconds": round(seconds, 1), "values_per_second": round(values / seconds),
            "peak_rss_mib": round(peak), "file_mib": round(path.stat().st_size / 2**20, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--values-xlsx", type=int, default=100_000)
    parser.add_argument("--values-csv", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--run-one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--on-top", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        print(json.dumps(run_one(args.run_one, on_top=args.on_top, keep=args.keep)))
        return
    prepare()
    OUT.mkdir(parents=True, exist_ok=True)
    runs = []  # (file, options): each in a fresh process
    if args.values_xlsx:
        path = OUT / f"exchange-{args.values_xlsx}.xlsx"
        started = time.perf_counter()
        write_xlsx(path, args.values_xlsx)
        print(f"wrote {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        runs.append((path, []))
    if args.values_csv:
        path = OUT / f"exchange-{args.values_csv}.csv"
        changed = OUT / f"exchange-{args.values_csv}-changed.csv"
        write_csv(path, args.values_csv)
        write_changed_csv(changed, path)
        # New values, then the same file again (nothing changes), then every value changed.
        runs += [(path, ["--keep"]), (path, ["--on-top", "--keep"]), (changed, ["--on-top"])]
    results = []
    for path, options in runs:
        done = subprocess.run([sys.executable, __file__, "--run-one", str(path), *options],
                              check=True, capture_output=True, text=True, env=os.environ)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    vendor = connection.vendor
    print("| database | file | size (MiB) | new / changed / unchanged | audit records | "
          "seconds | values/s | peak RSS (MiB) |\n|---|---|---:|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {vendor} | {r['file']} ({r['kind']}) | {r['file_mib']} | "
              f"{r['created']:,} / {r['updated']:,} / {r['unchanged']:,} | "
              f"{r['audit_records']:,} | {r['seconds']} | {r['values_per_second']:,} | "
              f"{r['peak_rss_mib']} |")
    if args.json:
        print(json.dumps({"database": vendor, "date": datetime.datetime.now(datetime.UTC)
                          .isoformat(timespec="minutes"), "results": results}))


if __name__ == "__main__":
    main()
