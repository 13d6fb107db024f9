"""Assemble bench/RESULTS.md from bench/out/gen-*.json and bench/out/run-*.md (stdout)."""

import argparse
import datetime
import json
import os
import platform
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
AIM_EVAL_MS = 50
AIM_RATIO = 3


def machine() -> str:
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem_kb = int(line.split()[1])
    return (f"{os.cpu_count()} CPUs (nproc), {model}, {mem_kb / 2**20:.1f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--command", required=True)
    args = parser.parse_args()

    gens, runs, blocks = {}, {}, {}
    for db in ("sqlite", "postgresql"):
        gen_file, run_file = OUT / f"gen-{db}.json", OUT / f"run-{db}.md"
        if gen_file.exists():
            gens[db] = json.loads(gen_file.read_text().strip().splitlines()[-1])
        if run_file.exists():
            text = run_file.read_text()
            match = re.search(r"^JSON (.*)$", text, re.M)
            if match:
                runs[db] = json.loads(match.group(1))
            blocks[db] = text.replace(match.group(0), "").strip() if match else text.strip()

    pg_version = ""
    if "postgresql" in gens:
        pg_version = os.popen(
            "psql postgres://postgres@127.0.0.1:5432/postgres -tAc 'show server_version'"
        ).read().strip()

    out = [
        "# Benchmark results",
        "",
        f"- command: `{args.command}` (months={args.months}, runs={args.runs} after 1 warm-up)",
        f"- machine: {machine()}",
        f"- PostgreSQL server {pg_version}; SQLite "
        + __import__("sqlite3").sqlite_version,
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        "## Data",
        "",
        "| database | months | communes | provinces | elements | indicators | values | targets "
        "| generation (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for db, g in gens.items():
        out.append(
            f"| {db} | {g['months']} ({g['first_month']}–{g['last_month']}) | {g['communes']:,} "
            f"| {g['provinces']} | {g['elements']} | {g['indicators']} | {g['values_total']:,} "
            f"| {g['targets']} | {g['generation_s']} |"
        )
    out += ["", "Generation breakdown (s):", ""]
    for db, g in gens.items():
        out.append(f"- {db}: " + ", ".join(f"{k[:-2]} {v}" for k, v in g["timings"].items()))
    out += [
        "",
        "## Timings",
        "",
        "| measure | " + " | ".join(f"{db} best / median (ms)" for db in runs) + " |",
        "|---|" + "---:|" * len(runs),
    ]
    names = {
        "a_evaluate_2025": "(a) targets_evaluate, province 79, 2025",
        "b_evaluate_2025Q3": "(b) targets_evaluate, province 79, 2025Q3 (forecast)",
        "c_indicators_table": "(c) indicators_table, 20 indicators × 34 provinces, 2025",
        "d_raw_sql": "(d) raw SQL, SUM by province × element, 2025",
    }
    for key, name in names.items():
        cells = [f"{r['results'][key]['best_ms']:.1f} / {r['results'][key]['median_ms']:.1f}"
                 for r in runs.values()]
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("| ratio (c)/(d), best / median | " + " | ".join(
        f"{r['ratio_best']:.2f}× / {r['ratio_median']:.2f}×" for r in runs.values()) + " |")
    out.append("| peak RSS of the run process (MiB) | " + " | ".join(
        f"{r['maxrss_mib']:.0f}" for r in runs.values()) + " |")
    out.append("| tracemalloc peak during (c) (MiB) | " + " | ".join(
        f"{r['tracemalloc_peak_mib']:.1f}" for r in runs.values()) + " |")
    out += ["", "Against the aims (province-year < 50 ms; table ≤ 3× raw SQL):", ""]
    for db, r in runs.items():
        a = r["results"]["a_evaluate_2025"]["median_ms"]
        b = r["results"]["b_evaluate_2025Q3"]["median_ms"]
        ok_a = "met" if max(a, b) < AIM_EVAL_MS else "NOT met"
        ok_c = "met" if r["ratio_median"] <= AIM_RATIO else "NOT met"
        out.append(f"- {db}: province-year {a:.0f} ms / {b:.0f} ms (2025 / 2025Q3) → {ok_a}; "
                   f"table/raw {r['ratio_median']:.2f}× → {ok_c}")
    out += ["", "## Per-database detail (output of bench/run.py)", ""]
    for block in blocks.values():
        out += [block, ""]
    notes = Path(__file__).resolve().parent / "NOTES.md"
    if notes.exists():
        out += [notes.read_text().strip(), ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
