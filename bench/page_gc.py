"""The dashboard page of province 79 (2025), 20 times in one process after 3 warm-ups, with
what start-up loaded left to the collector ("normal") or frozen as tiendo/wsgi.py does
("freeze"). Run after bench/aggregates.py (it uses its user and target set):

    for m in normal freeze normal freeze; do DATABASE_URL=... .venv/bin/python \
        bench/page_gc.py $m; done
"""

import datetime
import gc
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from tiendo.org.models import OrgUnit  # noqa: E402
from tiendo.plans.models import TargetSet  # noqa: E402

province = OrgUnit.objects.get(code="79", kind="province",
                               valid_from=datetime.date(2025, 7, 1))
target_set = TargetSet.objects.get(name="bench 2025")
c = Client()
c.force_login(get_user_model().objects.get(username="bench-specialist"))
url = f"/?unit={province.pk}&period=2025&set={target_set.pk}"
for _ in range(3):
    c.get(url)
if sys.argv[1] == "freeze":
    gc.collect()
    gc.freeze()
t_ = []
for _ in range(20):
    t = time.perf_counter()
    c.get(url)
    t_.append((time.perf_counter() - t) * 1000)
print(f"{sys.argv[1]}: median {statistics.median(t_):.1f} ms, best {min(t_):.1f} ms,"
      f" {gc.get_freeze_count()} objects frozen")
