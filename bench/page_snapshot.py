"""Save the dashboard page (and its units table as CSV) of a unit for some periods, to
compare two checkouts byte for byte (the CSRF token is blanked, nothing else changed).

    DATABASE_URL=... [BENCH_CODE=<checkout>] [TIENDO_AGGREGATES=0] .venv/bin/python \
        bench/page_snapshot.py --out /tmp/snap/after [--unit 79] [--periods 2025,2025Q3]
    diff -r /tmp/snap/before /tmp/snap/after
"""

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("BENCH_CODE", ROOT))
sys.path.insert(0, str(CODE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from tiendo.accounts.services import user_with_membership  # noqa: E402
from tiendo.lib.periods import parse_period  # noqa: E402
from tiendo.org.selectors import orgunit_resolve  # noqa: E402
from tiendo.plans.models import TargetSet  # noqa: E402

CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--unit", default="79")
    parser.add_argument("--periods", default="2025,2025Q3")
    parser.add_argument("--target-set", default="bench 2025")
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = ["testserver"]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    target_set = TargetSet.objects.get(name=args.target_set)
    for code in args.periods.split(","):
        period = parse_period(code)
        unit = orgunit_resolve(code=args.unit, on=period.end)
        user = user_with_membership(username="bench-specialist", password="bench",
                                    role="specialist", org_unit=unit, actor="bench")
        client = Client()
        client.force_login(user)
        base = f"/?unit={unit.pk}&period={period.code}&set={target_set.pk}"
        for name, url in ((f"{code}.html", base),
                          (f"{code}-units.csv", base + "&export=csv&table=units"),
                          (f"{code}-targets.csv", base + "&export=csv&table=targets")):
            for lang in ("vi", "en"):
                response = client.get(url if lang == "vi" else "/en" + url)
                assert response.status_code == 200, (url, response.status_code)
                (out / f"{lang}-{name}").write_bytes(CSRF.sub(rb"\1\2", response.content))
    print(f"saved {len(list(out.iterdir()))} files in {out}")


if __name__ == "__main__":
    main()
