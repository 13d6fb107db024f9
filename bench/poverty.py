"""Poverty review at national scale: generate a household file, time the file classifier
(vectorised, against a plain Python loop over the same rows in the same run), then import +
classify + aggregate it on the database of DATABASE_URL (PostgreSQL for the figure that
counts), with peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tiendo_poverty_bench \\
        .venv/bin/python bench/poverty.py --households 27000000 [--skip-import]

`--file-rounds` (default 1) also times `tiendo poverty classify FILE -o OUT.csv` three
ways interleaved on one core: the fast path, the precise (old) path and a plain Python loop,
and checks their outputs are byte-identical.

The file (bench/out/poverty-<N>.csv, git-ignored) is generated once and streamed in
chunks; generation is not timed. Households are spread over today's 34 provinces with
simulated province weights, urban shares and poverty levels (Northern mountains and the
Central Highlands poorer, the big cities richer), and over each province's communes. The
database is migrated and gets the map and the catalogue first (not timed).
"""

import argparse
import datetime
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BENCH_CODE=/path/to/another/checkout times that checkout's code with this script (before /
# after in the same session); the file and outputs stay in this checkout's bench/out.
sys.path.insert(0, os.environ.get("BENCH_CODE") or str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from tiendo.lib.poverty import classify, classify_one  # noqa: E402
from tiendo.poverty.files import classify_file, household_chunks, national_standards  # noqa: E402

OUT = ROOT / "bench" / "out"
YEAR = 2025
# Province code → (share of the country's households, urban share, median income per person
# per month in đồng): simulated, in the right order of magnitude per region.
POOR_REGIONS = {"02", "04", "08", "11", "12", "14", "15", "19", "20", "24", "66", "68"}
RICH = {"01": 5.0, "79": 7.6, "31": 2.1, "48": 1.6, "92": 1.6, "75": 2.6, "74": 2.0}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def provinces_and_communes():
    from tiendo.org.models import OrgUnit

    on = datetime.date(YEAR, 12, 31)
    from tiendo.org.selectors import valid_on

    communes = list(OrgUnit.objects.filter(valid_on(on), kind="commune")
                    .values_list("code", "parent__code"))
    return communes


def generate(path: Path, households: int, communes: list[tuple[str, str]], seed=16,
             grouped: bool = False) -> None:
    """The file, written in chunks of 500.000 households. `grouped`: the same draw of
    communes, the households written commune by commune (as a country's file put together
    from its communes' would be), their ids numbered in that order."""
    rng = np.random.default_rng(seed)
    by_province: dict[str, list[str]] = {}
    for code, province in communes:
        by_province.setdefault(province, []).append(code)
    provinces = sorted(by_province)
    weight = np.array([RICH.get(p, 0.9 if p in POOR_REGIONS else 1.3) for p in provinces])
    median = np.array([7_000_000 if p in RICH else (2_600_000 if p in POOR_REGIONS
                                                     else 4_200_000) for p in provinces])
    urban_share = np.array([0.8 if p in RICH else (0.2 if p in POOR_REGIONS else 0.35)
                            for p in provinces])
    k = len(national_standards()[0].indicators)
    flag_text = [",".join(str(m >> i & 1) for i in range(k)) for m in range(1 << k)]
    weights = 1 << np.arange(k)
    columns = ["household_id", "commune", "area", "members", "income_per_capita", "year",
               *national_standards()[0].columns]
    written = 0
    sizes = np.array([len(by_province[p]) for p in provinces])

    def draw(n):
        p = rng.choice(len(provinces), n, p=weight / weight.sum())
        return p, (rng.random(n) * sizes[p]).astype(np.int64)

    if grouped:  # every household's province and commune first, then sorted
        drawn = [draw(min(500_000, households - start)) for start in range(0, households,
                                                                           500_000)]
        order = np.lexsort((np.concatenate([c for _p, c in drawn]),
                            np.concatenate([p for p, _c in drawn])))
        all_p = np.concatenate([p for p, _c in drawn])[order]
        all_c = np.concatenate([c for _p, c in drawn])[order]
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(columns) + "\n")
        while written < households:
            n = min(500_000, households - written)
            if grouped:
                p, at = all_p[written:written + n], all_c[written:written + n]
            else:
                p, at = draw(n)
            codes = [by_province[provinces[i]][j] for i, j in zip(p.tolist(), at.tolist(),
                                                                  strict=True)]
            urban = rng.random(n) < urban_share[p]
            income = (np.exp(rng.normal(np.log(median[p] * np.where(urban, 1.3, 1.0)), 0.5))
                      // 1000 * 1000).astype(np.int64)
            low = income <= np.where(urban, 2_300_000, 1_750_000)
            flags = rng.random((n, k)) < np.where(low, 0.22, 0.03)[:, None]
            mask = (flags.astype(np.int64) * weights).sum(axis=1)
            members = rng.integers(1, 8, n)
            out.write("".join(
                f"H{written + i},{c},{'urban' if u else 'rural'},{m},{inc},{YEAR},"
                f"{flag_text[f]}\n"
                for i, (c, u, m, inc, f) in enumerate(zip(
                    codes, urban.tolist(), members.tolist(), income.tolist(), mask.tolist(),
                    strict=True))))
            written += n


def bench_classifier(path: Path, loop_rows: int) -> dict:
    """The vectorised classifier over every chunk of the file, the plain loop over the first
    `loop_rows` rows of the same chunks; and the whole file → file command."""
    standard = national_standards()[0]
    problems = []
    vector_seconds = loop_seconds = 0.0
    rows = looped = 0
    for used, chunk in household_chunks(path, path.name, columns_for=lambda y: standard,
                                        problems=problems):
        started = time.perf_counter()
        kind, _count, _mask = classify(used, urban=chunk.urban, income=chunk.income,
                                       flags=chunk.flags)
        vector_seconds += time.perf_counter() - started
        rows += len(kind)
        if looped < loop_rows:
            take = min(loop_rows - looped, len(kind))
            urban, income, flags = (chunk.urban[:take].tolist(), chunk.income[:take].tolist(),
                                    chunk.flags[:take].tolist())
            started = time.perf_counter()
            plain = [classify_one(used, urban=u, income=i, flags=f).classification
                     for u, i, f in zip(urban, income, flags, strict=True)]
            loop_seconds += time.perf_counter() - started
            assert plain == kind[:take].tolist()
            looped += take
    started = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        classify_file(path, path.name, sink)
    whole = time.perf_counter() - started
    return {"rows": rows, "vector_per_s": rows / vector_seconds, "loop_rows": looped,
            "loop_per_s": looped / loop_seconds, "file_seconds": whole,
            "file_per_s": rows / whole}


def plain_file_loop(path: Path, out_path: Path) -> int:
    """The reference for file → file: Python's csv reader, `classify_one` and `explain` per
    household, Python's csv writer (no checks beyond int())."""
    import csv

    from tiendo.lib.poverty import explain, mask_codes, standard_for_year

    standards = national_standards()
    rows = 0
    with open(path, encoding="utf-8", newline="") as source, \
            open(out_path, "w", encoding="utf-8", newline="") as out:
        reader = csv.reader(source)
        header = next(reader)
        at = {c: i for i, c in enumerate(header)}
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["household_id", "classification", "deprivation_count", "deprivations",
                         "standard", "explanation"])
        by_year = {}
        for row in reader:
            year = int(row[at["year"]])
            standard = by_year.get(year) or by_year.setdefault(
                year, standard_for_year(standards, year))
            urban = row[at["area"]] == "urban"
            income = int(row[at["income_per_capita"]])
            r = classify_one(standard, urban=urban, income=income,
                             flags=[int(row[at[c]]) for c in standard.columns])
            writer.writerow([row[at["household_id"]], r.code, r.deprivation_count,
                             ";".join(mask_codes(standard, r.mask)), standard.code,
                             explain(standard, urban=urban, income=income,
                                     kind=r.classification, mask=r.mask)])
            rows += 1
    return rows


def bench_file_to_file(path: Path, rounds: int) -> dict:
    """`tiendo poverty classify FILE -o OUT.csv` three ways, interleaved in one process on
    one core: the fast path, the precise (old) path, the plain Python loop; the outputs are
    compared byte for byte."""
    import statistics

    import pyarrow as pa

    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    outs = {way: OUT / f"classified-{way}.csv" for way in ("fast", "old", "loop")}
    times: dict[str, list[float]] = {way: [] for way in outs}
    cpu: dict[str, list[float]] = {way: [] for way in outs}
    rows = 0
    for _round in range(rounds):
        for way in ("fast", "old", "fast", "loop", "fast"):
            started, started_cpu = time.perf_counter(), time.process_time()
            if way == "loop":
                rows = plain_file_loop(path, outs[way])
            else:
                with open(outs[way], "w", encoding="utf-8", newline="") as out:
                    rows = classify_file(path, path.name, out, fast=way == "fast")
            times[way].append(time.perf_counter() - started)
            cpu[way].append(time.process_time() - started_cpu)
    same = outs["fast"].read_bytes() == outs["old"].read_bytes() == outs["loop"].read_bytes()
    return {"rows": rows, "same": same, "peak_mb": peak_mb(),
            **{f"{way}_median": statistics.median(t) for way, t in times.items()},
            **{f"{way}_best": min(t) for way, t in times.items()},
            **{f"{way}_cpu_median": statistics.median(t) for way, t in cpu.items()},
            "runs": {way: len(t) for way, t in times.items()}}


def bench_import(path: Path, *, empty: bool = False, year: int = YEAR) -> dict:
    """`review_import` of the file, after the year's reviews are removed (`empty`: every
    year's)."""
    from django.db import connection

    from tiendo.audit.services import Actor
    from tiendo.poverty.models import Household, Review
    from tiendo.poverty.services import review_import

    # By the reviews' year index (the households' unique index begins with the id now).
    others = not empty and Review.objects.exclude(year=year).filter(households__gt=0).exists()
    if connection.vendor == "postgresql" and not others:
        # Every run starts from the same empty table (a DELETE would leave millions of dead
        # rows for the next load to step over, and autovacuum running beside it).
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Household._meta.db_table}")
            cursor.execute(f"ANALYZE {Household._meta.db_table}")
    if empty:
        Household.objects.all().delete()
        Review.objects.all().delete()
    Household.objects.filter(year=year).delete()
    Review.objects.filter(year=year).delete()
    before = peak_mb()
    backend = _backend_cpu()
    started, started_cpu = time.perf_counter(), time.process_time()
    outcome = review_import(data=path, name=path.name, actor=Actor.system("bench"))
    seconds = time.perf_counter() - started
    cpu = time.process_time() - started_cpu
    backend = _backend_cpu() - backend if backend is not None else None
    return {"seconds": seconds, "households": outcome.households, "communes": outcome.communes,
            "per_s": outcome.households / seconds, "peak_mb_before": before,
            "peak_mb": peak_mb(), "poor": outcome.counts.get("poor"),
            "steps": outcome.seconds, "fast": outcome.fast, "cpu": cpu, "backend_cpu": backend,
            "load": os.getloadavg()}


def _backend_cpu() -> float | None:
    """CPU seconds (user + system) of this connection's PostgreSQL backend so far, when the
    server runs on this machine (its parallel index-build workers are not counted)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=2_000_000)
    parser.add_argument("--loop-rows", type=int, default=1_000_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-classifier", action="store_true")
    parser.add_argument("--file-rounds", type=int, default=1,
                        help="rounds of file → file timings (0: none)")
    parser.add_argument("--grouped", action="store_true",
                        help="a file grouped by commune (bench/out/poverty-N-grouped.csv)")
    parser.add_argument("--second-year", action="store_true",
                        help=f"import into an empty table, then the same households for "
                             f"{YEAR + 1}")
    args = parser.parse_args()
    from django.core.management import call_command

    from tiendo.indicators.loaders import catalogue_load
    from tiendo.org.loaders import orgunits_load_vietnam
    from tiendo.org.models import OrgUnit

    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.exists():
        orgunits_load_vietnam()
    catalogue_load()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"poverty-{args.households}{'-grouped' if args.grouped else ''}.csv"
    if not path.exists():
        started = time.perf_counter()
        generate(path, args.households, provinces_and_communes(), grouped=args.grouped)
        print(f"generated {args.households:,} households in {time.perf_counter() - started:.1f}"
              f" s ({path.stat().st_size / 1e9:.2f} GB)", flush=True)
    c = None if args.skip_classifier else bench_classifier(path, args.loop_rows)
    if c:
        print(f"classifier: {c['rows']:,} households; vectorised "
              f"{c['vector_per_s'] / 1e6:.1f} M/s; plain loop over the first "
              f"{c['loop_rows']:,} of them {c['loop_per_s'] / 1e6:.2f} M/s "
              f"({c['vector_per_s'] / c['loop_per_s']:.0f}×); file → CSV with explanations "
              f"{c['file_seconds']:.1f} s ({c['file_per_s'] / 1e6:.2f} M/s); peak RSS "
              f"{peak_mb():.0f} MB", flush=True)
    if args.file_rounds:
        import tiendo

        print(f"code: {Path(tiendo.__file__).parent.parent}", flush=True)
        f = bench_file_to_file(path, args.file_rounds)
        print(f"file → file, one core, {f['rows']:,} households ({f['runs']} runs): fast "
              f"median {f['fast_median']:.2f} s best {f['fast_best']:.2f} s "
              f"({f['rows'] / f['fast_best'] / 1e6:.2f} M/s best, "
              f"{f['rows'] / f['fast_median'] / 1e6:.2f} M/s median; CPU median "
              f"{f['fast_cpu_median']:.2f} s); old path median {f['old_median']:.2f} s; "
              f"plain Python loop median {f['loop_median']:.2f} s "
              f"({f['rows'] / f['loop_median'] / 1e6:.3f} M/s; CPU median "
              f"{f['loop_cpu_median']:.2f} s); outputs byte-identical: {f['same']}; "
              f"peak RSS {f['peak_mb']:.0f} MB", flush=True)
    if args.skip_import:
        return
    from django.db import connection

    runs = [(path, bench_import(path, empty=args.second_year))]
    if args.second_year:
        # The same households reviewed again the next year: its load meets the first year's
        # rows (indexes, transitions).
        second = path.with_name(f"{path.stem}-{YEAR + 1}.csv")
        if not second.exists():
            with open(path, encoding="utf-8") as source, \
                    open(second, "w", encoding="utf-8") as out:
                for line in source:
                    out.write(line.replace(f",{YEAR},", f",{YEAR + 1},", 1))
        runs.append((second, bench_import(second, year=YEAR + 1)))
    for file, r in runs:
        _report(connection, file, r)


def _report(connection, file: Path, r: dict) -> None:
    print(f"import of {file.name} on {connection.vendor}: {r['households']:,} households in "
          f"{r['communes']:,} "
          f"communes, {r['seconds']:.1f} s ({r['per_s'] / 1e6:.2f} M/s), poor {r['poor']:,}"
          f"{'' if r.get('fast') is None else ', column-wise reader ' + str(r['fast'])}; "
          f"peak RSS {r['peak_mb']:.0f} MB (before the import {r['peak_mb_before']:.0f} MB); "
          f"CPU of this process {r['cpu']:.1f} s"
          + ("" if r["backend_cpu"] is None else f", of its PostgreSQL backend "
             f"{r['backend_cpu']:.1f} s") + "; load at the end "
          + " ".join(f"{v:.1f}" for v in r["load"]) + "; "
          + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in r["steps"].items()),
          flush=True)


if __name__ == "__main__":
    main()
