"""Reliability under load: `tiendo serve` (gunicorn) on the database of DATABASE_URL, loopback
only, bounded in time. USERS API clients read dashboards and reports and save values of
their own commune for SECONDS while an administrator uploads a VALUES-value DHIS2 CSV; then
every saved value must be stored exactly once, as last saved, with its audit record, and
every uploaded value too.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tiendo_reliability \\
        .venv/bin/python bench/reliability.py [--users 50] [--seconds 120] [--values 100000]

Clients speak the JSON API with bearer tokens (the pages run the same selectors and
services): 40 commune officers (dashboard of their commune, their report, a save of it) and
10 provincial specialists (the province's dashboard with its communes, a commune's report).
Prints a markdown table of requests, errors and latencies, then the checks. With
`--kill-after S` the whole server (gunicorn and its workers) is killed S seconds into the
upload and started again: the upload's values must then be all there or none, never a part.
"""

import argparse
import datetime
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exchange import OUT, ROOT, prepare, write_csv  # noqa: E402  (sets Django up)

from tiendo.accounts.services import apitoken_create, user_with_membership  # noqa: E402
from tiendo.audit.models import AuditRecord  # noqa: E402
from tiendo.data.models import DataValue  # noqa: E402
from tiendo.indicators.models import DataSet, Indicator  # noqa: E402
from tiendo.org.loaders import REORGANISED_ON  # noqa: E402
from tiendo.org.models import OrgUnit  # noqa: E402
from tiendo.plans.models import Target, TargetSet  # noqa: E402

PERIOD = "202612"  # the users' month: the upload writes 2025 and early 2026
DATA_SET = "lao_dong"
SOURCE = "bench-reliability"


def _request(method: str, url: str, token: str, body: bytes | None = None,
             content_type: str = "application/json", timeout: float = 600):
    request = urllib.request.Request(url, data=body, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": content_type})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            payload = answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        payload, status = error.read(), error.code
    except OSError as error:  # refused, reset, timed out: an error like a 5xx
        payload, status = str(error).encode(), 0
    return status, payload, time.perf_counter() - started


def _multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
             f"{value}\r\n".encode() for name, value in fields.items()]
    parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                 f"filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n".encode()
                 + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def setup_people(users: int) -> tuple[dict, list[dict]]:
    """An administrator and the clients, each with a token; the province's 2026 targets."""
    province = (OrgUnit.objects.filter(kind="province", code="80", valid_from=REORGANISED_ON)
                .first() or OrgUnit.objects.filter(kind="province",
                                                   valid_from=REORGANISED_ON).first())
    communes = list(OrgUnit.objects.filter(kind="commune", path__startswith=province.path,
                                           valid_from=REORGANISED_ON).order_by("code"))
    plan, _created = TargetSet.objects.get_or_create(name="Reliability 2026", period="2026")
    for code, value in [("jobs_created", 12000), ("overseas_workers", 2000)]:
        Target.objects.get_or_create(target_set=plan, org_unit=province, period="2026",
                                     indicator=Indicator.objects.get(code=code),
                                     defaults={"comparison": "at_least", "value": value})
    admin = user_with_membership(username="rel-admin", password="x" * 12, role="admin",
                                 org_unit=None, actor="bench")
    people = []
    officers = users - users // 5
    for index in range(users):
        officer = index < officers
        unit = communes[index % len(communes)] if officer else province
        user = user_with_membership(
            username=f"rel-{index:02d}", password="x" * 12,
            role="officer" if officer else "specialist", org_unit=unit, actor="bench")
        people.append({"name": user.username, "token": apitoken_create(user=user),
                       "unit": unit.pk, "officer": officer,
                       "communes": [c.pk for c in communes[:officers]]})
    return {"token": apitoken_create(user=admin)}, people


def client(base: str, person: dict, until: float, log: list, saved: dict, lock) -> None:
    rng = random.Random(person["name"])
    element = "jobs_created"
    value = 0
    while time.monotonic() < until:
        if log and log[-1][1] == 0:
            time.sleep(0.5)  # the server is not answering: a person would wait too
        roll = rng.random()
        if person["officer"] and roll < 0.3:
            status, payload, seconds = _request(
                "GET", f"{base}/api/v1/reports?unit={person['unit']}&data_set={DATA_SET}"
                f"&period={PERIOD}", person["token"])
            version = 0
            if status == 200:
                cell = next((c for c in json.loads(payload)["values"]
                             if c["element"] == element and not c["part"]), None)
                version = cell["version"] if cell else 0
            value += 1
            body = json.dumps({"unit": person["unit"], "data_set": DATA_SET, "period": PERIOD,
                               "values": [{"element": element, "value": value,
                                           "version": version}]}).encode()
            status, _payload, seconds = _request("POST", f"{base}/api/v1/reports",
                                                 person["token"], body)
            if status == 200:
                with lock:
                    saved[person["unit"]] = value
            log.append(("save report", status, seconds, time.monotonic()))
        elif roll < 0.65:
            status, _payload, seconds = _request(
                "GET", f"{base}/api/v1/dashboard?unit={person['unit']}&period=2026",
                person["token"])
            log.append(("read dashboard", status, seconds, time.monotonic()))
        else:
            unit = person["unit"] if person["officer"] else rng.choice(person["communes"])
            status, _payload, seconds = _request(
                "GET", f"{base}/api/v1/reports?unit={unit}&data_set={DATA_SET}"
                f"&period={PERIOD}", person["token"])
            log.append(("read report", status, seconds, time.monotonic()))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--values", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill-after", type=float, default=0,
                        help="kill the server this many seconds into the upload, then restart")
    args = parser.parse_args()

    prepare()
    DataValue.objects.filter(source__startswith=SOURCE).delete()
    DataValue.objects.filter(period=PERIOD, source="web").delete()
    if not DataSet.objects.filter(code=DATA_SET).exists():
        raise SystemExit(f"no data set {DATA_SET}: the catalogue is not loaded")
    admin, people = setup_people(args.users)
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / f"reliability-{args.values}.csv"
    if not csv_path.exists():
        write_csv(csv_path, args.values)

    base = f"http://127.0.0.1:{args.port}"

    def start_server() -> subprocess.Popen:
        started = subprocess.Popen(
            [sys.executable, "-m", "tiendo.cli", "serve", "--bind", f"127.0.0.1:{args.port}",
             "--workers", str(args.workers)], cwd=ROOT, env={**os.environ},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        for _attempt in range(120):
            if _request("GET", f"{base}/api/v1/health", "")[0] == 200:
                return started
            time.sleep(0.5)
        raise SystemExit("the server did not answer: "
                         + started.stderr.read(2000).decode(errors="replace"))

    server = start_server()
    restarts = []
    try:
        log: list = []
        saved: dict = {}
        lock = threading.Lock()
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(base, p, until, log, saved, lock))
                   for p in people]
        upload: dict = {}

        def send_upload() -> None:
            time.sleep(5)  # the clients are at work when the file arrives
            body, content_type = _multipart({"store": "true", "accept_warnings": "true"},
                                            f"{SOURCE}.csv", csv_path.read_bytes())
            upload["started"] = time.monotonic()
            if args.kill_after:
                threading.Thread(target=kill_and_restart, daemon=True).start()
            status, payload, seconds = _request("POST", f"{base}/api/v1/exchange/uploads",
                                                admin["token"], body, content_type)
            upload.update(status=status, seconds=seconds, body=payload[:300])

        def kill_and_restart() -> None:
            nonlocal server
            time.sleep(args.kill_after)
            killed = time.monotonic()
            os.killpg(server.pid, signal.SIGKILL)  # gunicorn and every worker, no goodbye
            server.wait()
            server = start_server()
            restarts.append((killed, time.monotonic()))

        uploader = threading.Thread(target=send_upload)
        for thread in [*threads, uploader]:
            thread.start()
        for thread in [*threads, uploader]:
            thread.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    print(f"## Reliability, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC\n")
    print(f"- command: `bench/reliability.py --users {args.users} --seconds {args.seconds} "
          f"--values {args.values} --workers {args.workers} --kill-after {args.kill_after:g}`"
          f" on "
          f"{os.environ.get('DATABASE_URL', 'SQLite').split('@')[-1]}")
    print(f"- machine: {os.cpu_count()} CPUs; load average over the last minute of the run "
          f"{os.getloadavg()[0]:.2f}\n")
    down = [(start, end + 1) for start, end in restarts]  # answers in flight count as down
    print("| requests | count | errors (5xx or no answer) | of them while the server was "
          "down | other 4xx | p50 (ms) | p95 (ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    by_kind = defaultdict(list)
    for kind, status, seconds, at in log:
        by_kind[kind].append((status, seconds, any(a <= at <= b for a, b in down)))
    for kind, rows in sorted(by_kind.items()):
        times = sorted(s for status, s, _down in rows if status)
        errors = [row for row in rows if row[0] == 0 or row[0] >= 500]
        other = sum(1 for status, _s, _down in rows if 400 <= status < 500)
        p95 = times[int(0.95 * (len(times) - 1))] if times else float("nan")
        median = statistics.median(times) if times else float("nan")
        print(f"| {kind} | {len(rows)} | {len(errors)} | {sum(1 for e in errors if e[2])} | "
              f"{other} | {median * 1000:.0f} | {p95 * 1000:.0f} |")
    print(f"\n- upload of {args.values:,} values: HTTP {upload.get('status')} in "
          f"{upload.get('seconds', 0):.1f} s, started 5 s into the {args.seconds} s run")
    if args.kill_after:
        back = restarts[0][1] - restarts[0][0] if restarts else float("nan")
        print(f"- server killed (SIGKILL to gunicorn and its workers) {args.kill_after:g} s "
              f"into the upload; answering again {back:.1f} s later")

    # Every save the server acknowledged is there once, as last saved, with its record.
    problems = []
    for unit_id, value in saved.items():
        rows = list(DataValue.objects.filter(org_unit_id=unit_id, period=PERIOD,
                                             data_element__code="jobs_created", part=""))
        if len(rows) != 1 or rows[0].value != Decimal(value):
            problems.append(f"unit {unit_id}: {[r.value for r in rows]} (last saved {value})")
        elif not AuditRecord.objects.filter(entity="datavalue", entity_id=rows[0].pk).exists():
            problems.append(f"unit {unit_id}: no audit record")
    uploaded = DataValue.objects.filter(source__startswith=SOURCE)
    audited = AuditRecord.objects.filter(entity="datavalue",
                                         entity_id__in=uploaded.values("pk")).count()
    stored = uploaded.count()
    print(f"- saved values checked: {len(saved)} units' last saves, "
          f"{len(problems)} wrong or unaudited")
    print(f"- uploaded values stored: {stored:,} of {args.values:,}; audit records: {audited:,}")
    for problem in problems[:10]:
        print(f"  - {problem}")
    # All or nothing: a killed upload leaves none of its values (or, had it finished, all).
    failed = problems or stored not in ((args.values,) if upload.get("status") == 200
                                        else (0, args.values)) or audited != stored
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
