"""A 1 MB workbook whose one cell unpacks to 1 GiB, sent to the upload service: how fast it
is refused and how much memory the process used (peak RSS before and after).

    DATABASE_URL=... .venv/bin/python bench/zipbomb.py
"""

import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

from tiendo.errors import InvalidInput  # noqa: E402
from tiendo.exchange.services import upload_import  # noqa: E402
from tiendo.exchange.tests.test_hostile import bomb  # noqa: E402

started = time.monotonic()
data = bomb(1024 ** 3)
print(f"built a {len(data):,}-byte workbook unpacking to 1 GiB in "
      f"{time.monotonic() - started:.1f} s")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
started = time.monotonic()
try:
    upload_import(stream=io.BytesIO(data), filename="bomb.xlsx", user=None, actor="bench",
                  store=True)
    print("NOT refused")
except InvalidInput as error:
    print(f"refused: {error.problems[0].message}")
print(f"in {time.monotonic() - started:.3f} s; peak RSS {before} MiB before, "
      f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB after")
