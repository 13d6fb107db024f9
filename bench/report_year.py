"""Time a year report of a province with all its communes (aim: under 10 s).

On the database of DATABASE_URL filled by bench/generate.py: every commune of the province
gets a target per indicator for the year (set "bench <year> xã", recreated on each run, so
the report judges the province's targets and names its lagging communes), then the whole
report is built - the engine's figures (report_content) and the file - for each format.
Best and median of N runs after one warm-up; prints a markdown block.

    DATABASE_URL=... .venv/bin/python bench/report_year.py --province 79 --runs 3
"""

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from tiendo.analytics.evaluation import indicators_table  # noqa: E402
from tiendo.indicators.models import Indicator  # noqa: E402
from tiendo.lib.periods import parse_period  # noqa: E402
from tiendo.org.loaders import REORGANISED_ON  # noqa: E402
from tiendo.org.models import OrgUnit  # noqa: E402
from tiendo.plans.models import Target, TargetSet  # noqa: E402
from tiendo.reports.content import report_content  # noqa: E402
from tiendo.reports.services import report_render  # noqa: E402


def commune_targets(province: OrgUnit, year: int) -> int:
    """A target per indicator per commune: last year's figure ± 2 %, so some are missed."""
    name = f"bench {year} xã"
    TargetSet.objects.filter(name=name).delete()
    target_set = TargetSet.objects.create(name=name, period=str(year))
    communes = list(OrgUnit.objects.filter(path__startswith=province.path, kind="commune"))
    indicators = list(Indicator.objects.all())
    previous = indicators_table(indicators=indicators, units=communes,
                                period=parse_period(str(year - 1)))
    targets = []
    for index, commune in enumerate(communes):
        factor = Decimal("1.02") if index % 3 == 0 else Decimal("0.98")
        for indicator in indicators:
            figure = previous.get((indicator.id, commune.id))
            if figure is None or figure.value is None:
                continue
            lower = indicator.direction == "lower"
            targets.append(Target(
                target_set=target_set, indicator=indicator, org_unit=commune,
                period=str(year), comparison="at_most" if lower else "at_least",
                value=(figure.value * factor).quantize(Decimal("0.01")),
            ))
    Target.objects.bulk_create(targets)
    return len(targets)


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return min(samples), statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default="79")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    province = OrgUnit.objects.get(code=args.province, kind="province",
                                   valid_from=REORGANISED_ON)
    period = parse_period(str(args.year))
    count = commune_targets(province, args.year)
    communes = OrgUnit.objects.filter(path__startswith=province.path, kind="commune").count()
    content = report_content(unit=province, period=period)
    print(f"#### year report, {province.name} ({province.code}), {args.year}, "
          f"{connection.vendor}\n")
    print(f"- {communes} communes, {count} commune targets, "
          f"{content['summary']['total']} province targets, "
          f"{content['units_with_targets']} communes judged, "
          f"{len(content['lagging'])} lines on lagging communes\n")
    print("| step | best (ms) | median (ms) |\n|---|---:|---:|")
    best, median = timed(lambda: report_content(unit=province, period=period), args.runs)
    print(f"| figures from the engine (report_content) | {best:.0f} | {median:.0f} |")
    for file_format in ("docx", "xlsx", "pdf"):
        best, median = timed(lambda f=file_format: report_render(content, f), args.runs)
        print(f"| rendering only, {file_format} | {best:.0f} | {median:.0f} |")
    for file_format in ("docx", "xlsx", "pdf"):
        def whole(file_format=file_format):
            report_render(report_content(unit=province, period=period), file_format)
        best, median = timed(whole, args.runs)
        print(f"| whole report, {file_format} | {best:.0f} | {median:.0f} |")


if __name__ == "__main__":
    main()
