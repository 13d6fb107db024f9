"""One value saved through `datavalues_save` (a new commune month), timed, with the
statements it runs, on the database of DATABASE_URL (filled by bench/generate.py).

With BENCH_CODE=<another checkout> that checkout's services are timed instead: run it
alternately with the code before and after a change, each in a fresh process, on the same
database (the code before aggregates ignores their tables). The values saved are deleted
again at the end, through the services when they can delete (so the aggregates follow).

    DATABASE_URL=... [BENCH_CODE=...] .venv/bin/python bench/save.py --saves 40 --month 202701
"""

import argparse
import json
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

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tiendo.data import services  # noqa: E402
from tiendo.data.models import DataValue  # noqa: E402
from tiendo.indicators.models import DataElement  # noqa: E402
from tiendo.lib.periods import parse_period  # noqa: E402
from tiendo.org.loaders import REORGANISED_ON  # noqa: E402
from tiendo.org.models import OrgUnit  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--month", default="202701", help="a month with no values yet")
    parser.add_argument("--province", default="79")
    args = parser.parse_args()
    province = OrgUnit.objects.get(code=args.province, kind="province",
                                   valid_from=REORGANISED_ON)
    communes = list(OrgUnit.objects.filter(parent=province).order_by("code"))
    jobs = DataElement.objects.get(code="jobs_created")
    month = parse_period(args.month)
    connection.ensure_connection()

    def save(commune, value):
        services.datavalues_save(values=[services.ValueInput(
            element=jobs, org_unit=commune, period=month, value=Decimal(value))],
            actor="bench-save")

    save(communes[0], 1)  # warm-up: caches, prepared plans
    with CaptureQueriesContext(connection) as queries:
        save(communes[1], 2)
    times = []
    for turn in range(args.saves):
        commune = communes[2 + turn % (len(communes) - 2)]
        started = time.perf_counter()
        save(commune, turn + 3)
        times.append((time.perf_counter() - started) * 1000)
    saved = DataValue.objects.filter(data_element=jobs, period=month.code,
                                     org_unit__in=communes)
    if hasattr(services, "datavalues_delete"):
        services.datavalues_delete(value_ids=list(saved.values_list("pk", flat=True)),
                                   actor="bench-save")
    else:
        saved.delete()
    print(json.dumps({
        "code": str(CODE), "vendor": connection.vendor, "saves": args.saves,
        "median_ms": round(statistics.median(times), 2), "best_ms": round(min(times), 2),
        "statements": len(queries.captured_queries),
        "sql": [query["sql"][:90] for query in queries.captured_queries],
    }))


if __name__ == "__main__":
    main()
