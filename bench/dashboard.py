"""Time the dashboard for one province with all its communes on the database of DATABASE_URL.

Measures (best and median of N runs after one warm-up, time.perf_counter):
- `dashboard_build`: the unit's targets judged, the 5-year trend of each, the same targets
  for every commune below (lagging first), i.e. all the numbers of the page;
- the whole page: GET / through Django's test client as a provincial specialist (view,
  engine, template, charts), which is the server time of one request.

    DATABASE_URL=... .venv/bin/python bench/dashboard.py --unit 79 --period 2025 \
        --target-set "bench 2025" --runs 5

On the demo database (`tiendo demo --no-serve`): --unit 80 --period 202610
--target-set "UBND tỉnh Tây Ninh giao 2026". Prints a markdown table row per case.
"""

import argparse
import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.run import timed  # noqa: E402
from tiendo.accounts.services import user_with_membership  # noqa: E402
from tiendo.analytics.dashboard import dashboard_build  # noqa: E402
from tiendo.lib.periods import parse_period  # noqa: E402
from tiendo.org.selectors import orgunit_children, orgunit_resolve  # noqa: E402
from tiendo.plans.models import TargetSet  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", default="79")
    parser.add_argument("--periods", default="2025,2025Q3")
    parser.add_argument("--target-set", default="bench 2025")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--label", default=connection.vendor)
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = ["testserver"]
    target_set = TargetSet.objects.get(name=args.target_set)
    rows = []
    for code in args.periods.split(","):
        period = parse_period(code)
        unit = orgunit_resolve(code=args.unit, on=period.end)
        communes = orgunit_children(unit, on=period.end).count()
        user = user_with_membership(username="bench-specialist", password="bench",
                                    role="specialist", org_unit=unit, actor="bench")
        client = Client()
        client.force_login(user)
        url = f"/?unit={unit.pk}&period={period.code}&set={target_set.pk}"

        def build(unit=unit, period=period):
            return dashboard_build(unit=unit, period=period, target_set=target_set)

        def page(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        board = build()
        queries: list[str] = []

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        # Django clears its query log when a request starts, so count with a wrapper.
        with connection.execute_wrapper(count):
            page()
        engine = timed(build, args.runs)
        whole = timed(page, args.runs)
        rows.append(
            f"| {args.label} | {unit.name} ({unit.code}), {communes} communes | {period.code} "
            f"| {len(board.cells)} | {engine['best_ms']:.0f} / {engine['median_ms']:.0f} "
            f"| {whole['best_ms']:.0f} / {whole['median_ms']:.0f} | {len(queries)} |"
        )
    print(f"<!-- {datetime.date.today()} {args.runs} runs -->")
    print("| database | unit | period | targets | numbers: best / median ms "
          "| whole page: best / median ms | queries per page |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
