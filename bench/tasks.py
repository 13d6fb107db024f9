"""50,000 tasks in one province over five years: the counts for the province and every unit
below for one period, and the overdue board, each timed beside the plain SQL count of the
same tally in the same run (and checked equal to it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tiendo_tasks_bench \
        .venv/bin/python bench/tasks.py [--tasks 50000] [--period 2025] [--as-of 2025-10-15]

The database is emptied of tasks and filled again: 1 province, 20 districts, 100 communes;
tasks assigned 2022–2026 by 500 documents, 10% sub-tasks of a programme, 30% with one or two
coordinating units, 5% with an extension (half granted before the first deadline), a
realistic mix of done on time, done late, not done.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from tiendo.assignments.models import Task, TaskExtension  # noqa: E402
from tiendo.assignments.selectors import (  # noqa: E402
    overdue_board,
    tasks_count,
    tasks_count_by_unit,
)
from tiendo.lib.periods import parse_period  # noqa: E402
from tiendo.org.models import OrgUnit  # noqa: E402
from tiendo.org.services import orgunit_create  # noqa: E402
from tiendo.plans.models import Document  # noqa: E402

D = datetime.date
DAY = datetime.timedelta(days=1)


def _units() -> tuple[OrgUnit, list[OrgUnit]]:
    province = OrgUnit.objects.filter(code="B99").first()
    if province is None:
        province = orgunit_create(code="B99", name="Tỉnh thử tải", kind="province")
        for d in range(20):
            district = orgunit_create(code=f"B9{d:02d}", name=f"Huyện {d}", kind="district",
                                      parent=province)
            for c in range(5):
                orgunit_create(code=f"B9{d:02d}{c}", name=f"Xã {d}-{c}", kind="commune",
                               parent=district)
    return province, list(OrgUnit.objects.filter(path__startswith=province.path))


def generate(count: int, seed: int = 15) -> None:
    rng = random.Random(seed)
    province, units = _units()
    with transaction.atomic():
        TaskExtension.objects.filter(task__document__symbol__startswith="BENCH").delete()
        Task.coordinating.through.objects.filter(
            task__document__symbol__startswith="BENCH").delete()
        Task.objects.filter(document__symbol__startswith="BENCH", parent__isnull=False).delete()
        Task.objects.filter(document__symbol__startswith="BENCH").delete()
        Document.objects.filter(symbol__startswith="BENCH").delete()
        documents = Document.objects.bulk_create([
            Document(symbol=f"BENCH-{n}", kind="plan",
                     date=D(2022, 1, 1) + rng.randrange(5 * 365) * DAY) for n in range(500)])
        rows = []
        for n in range(count):
            doc = rng.choice(documents)
            deadline = doc.date + rng.randrange(15, 240) * DAY
            roll = rng.random()
            done = (deadline - rng.randrange(0, 60) * DAY if roll < 0.55 else
                    deadline + rng.randrange(1, 90) * DAY if roll < 0.75 else None)
            if done is not None and (done > D(2026, 12, 1) or done < doc.date):
                done = None
            rows.append(Task(document=doc, title=f"Nhiệm vụ {n}", kind="task",
                             assigned_by=province, unit_in_charge=rng.choice(units),
                             assigned_on=doc.date, deadline=deadline,
                             current_deadline=deadline, done_on=done,
                             state="done" if done else "open"))
        tasks = Task.objects.bulk_create(rows, batch_size=5000)
        # 10% sub-tasks of a programme of the same document
        programmes = {t.document_id: t for t in tasks[:500]}
        children = []
        for task in tasks[500:]:
            parent = programmes.get(task.document_id)
            if parent is not None and rng.random() < 0.11:
                task.parent = parent
                children.append(task)
        Task.objects.bulk_update(children, ["parent"], batch_size=5000)
        links = []
        for task in tasks:
            if rng.random() < 0.3:
                for unit in rng.sample(units, rng.choice((1, 2))):
                    links.append(Task.coordinating.through(task_id=task.pk, orgunit_id=unit.pk))
        Task.coordinating.through.objects.bulk_create(links, batch_size=5000)
        extensions, moved = [], []
        for task in rng.sample(tasks, count // 20):
            granted = task.deadline + rng.choice((-10, 10)) * DAY
            new = task.deadline + 60 * DAY
            extensions.append(TaskExtension(task=task, granted_on=granted,
                                            old_deadline=task.deadline, new_deadline=new))
            task.current_deadline = new
            moved.append(task)
        TaskExtension.objects.bulk_create(extensions, batch_size=5000)
        Task.objects.bulk_update(moved, ["current_deadline"], batch_size=5000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


# The same tally in SQL: the period's tasks (assigned within it, or earlier and not done
# before it), judged on the first deadline or an extension granted in time, per unit.
SQL = """
WITH t AS (
  SELECT u.path, t.done_on, COALESCE(e.new_deadline, t.deadline) AS judged
  FROM assignments_task t JOIN org_orgunit u ON u.id = t.unit_in_charge_id
  LEFT JOIN assignments_taskextension e ON e.task_id = t.id  -- one extension at most here
       AND e.granted_on <= t.deadline AND e.granted_on <= %(as_of)s
  WHERE u.path LIKE %(root)s AND t.deadline IS NOT NULL
    AND t.assigned_on <= %(end)s AND t.assigned_on <= %(as_of)s
    AND (t.assigned_on >= %(start)s OR t.done_on IS NULL OR t.done_on >= %(start)s
         OR t.done_on > %(as_of)s)
)
SELECT path,
  SUM(CASE WHEN done_on <= %(as_of)s AND done_on <= judged THEN 1 ELSE 0 END),
  SUM(CASE WHEN done_on <= %(as_of)s AND done_on > judged THEN 1 ELSE 0 END),
  SUM(CASE WHEN (done_on IS NULL OR done_on > %(as_of)s) AND %(as_of)s <= judged
      THEN 1 ELSE 0 END),
  SUM(CASE WHEN (done_on IS NULL OR done_on > %(as_of)s) AND %(as_of)s > judged
      THEN 1 ELSE 0 END)
FROM t GROUP BY path
"""


def sql_tally(root: OrgUnit, period, as_of) -> dict[str, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(SQL, {"root": root.path + "%", "start": period.start, "end": period.end,
                             "as_of": as_of})
        return {path: tuple(int(v) for v in rest) for path, *rest in cursor.fetchall()}


def timed(function, runs: int):
    function()  # warm-up
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return result, statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=50_000)
    parser.add_argument("--period", default="2025")
    parser.add_argument("--as-of", default="2025-10-15")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-generate", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    period, as_of = parse_period(args.period), D.fromisoformat(args.as_of)
    if not args.no_generate:
        started = time.perf_counter()
        generate(args.tasks)
        print(f"generated {args.tasks:,} tasks in {time.perf_counter() - started:.1f} s")
    province, units = _units()
    by_unit, ms, worst = timed(lambda: tasks_count_by_unit(root=province, period=period,
                                                           as_of=as_of), args.runs)
    print(f"counts for the province and {len(units) - 1} units below: median {ms:.1f} ms, "
          f"max {worst:.1f} ms")
    raw, raw_ms, raw_worst = timed(lambda: sql_tally(province, period, as_of), args.runs)
    print(f"plain SQL, the same tally per unit: median {raw_ms:.1f} ms, max {raw_worst:.1f} ms")
    # The SQL groups by the unit in charge; roll it up to each unit like the selector.
    paths = {u.pk: u.path for u in units}
    wrong = 0
    for pk, counts in by_unit.items():
        rolled = [0, 0, 0, 0]
        for path, row in raw.items():
            if path.startswith(paths[pk]):
                rolled = [a + b for a, b in zip(rolled, row, strict=True)]
        mine = (counts.done_on_time, counts.done_late, counts.in_progress, counts.overdue)
        wrong += tuple(rolled) != mine
    total = by_unit[province.pk]
    print(f"province: {total.total:,} tasks in the period, done on time {total.done_on_time:,}, "
          f"late {total.done_late:,}, in progress {total.in_progress:,}, overdue "
          f"{total.overdue:,}; units whose count differs from the SQL: {wrong}")
    board, board_ms, board_worst = timed(
        lambda: overdue_board(user=None, period=period, as_of=as_of, unit=province), args.runs)
    assert [r.task.pk for r in board.rows] == [r.task.pk for r in tasks_count(
        period=period, as_of=as_of, unit=province).overdue[:len(board.rows)]]
    print(f"overdue board ({board.total:,} tasks judged, the first {len(board.rows)} read in "
          f"full): median "
          f"{board_ms:.1f} ms, max {board_worst:.1f} ms")
    overdue_sql = SQL.split("SELECT path,")[0] + (
        "SELECT count(*) FROM t WHERE (done_on IS NULL OR done_on > %(as_of)s) "
        "AND %(as_of)s > judged")

    def sql_board():
        with connection.cursor() as cursor:
            cursor.execute(overdue_sql, {"root": province.path + "%", "start": period.start,
                                         "end": period.end, "as_of": as_of})
            return cursor.fetchone()[0]

    count, sql_ms, sql_worst = timed(sql_board, args.runs)
    assert count == board.total
    print(f"plain SQL count of the overdue: {count:,}, median {sql_ms:.1f} ms, max "
          f"{sql_worst:.1f} ms")


if __name__ == "__main__":
    main()
