"""Batch shortlist throughput (brands per second, limit 20) on the sample's brands; appends to RESULTS.md.

Usage: python benchmarks/bench_shortlist.py [--sizes 5000] [--runs 3] [--cache indexes/cache.sqlite] [--no-record]

Times the whole `creatormatch shortlist` command (model and bundle loading included; the median of --runs fresh
processes) and, in-process, the ranking of every brand alone, with and without a per-creator cap.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_build import machine, sample_and_build  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000], help="creators per sample")
    parser.add_argument("--limit", type=int, default=20, help="creators per brand")
    parser.add_argument("--seed", type=int, default=7, help="sample seed")
    parser.add_argument("--runs", type=int, default=3, help="whole commands timed (the median is reported)")
    parser.add_argument("--cache", type=Path, help="embedding cache to build with (e.g. indexes/cache.sqlite); "
                        "saves the cold build, which these figures do not include")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    from creatormatch.bundle import load_bundle
    from creatormatch.config import Settings
    from creatormatch.encoder import encoder_from_settings
    from creatormatch.ranking import Ranker
    from creatormatch.shortlist import ShortlistStore, run_job

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for size in args.sizes:
            data, bundle = sample_and_build(work, size, args.seed, args.cache)
            brands = pl.read_parquet(data / "brands.parquet")
            commands = []
            for run in range(args.runs):
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "cli", "shortlist", "--bundle", str(bundle),
                                "--brands", str(data / "brands.parquet"),
                                "--out", str(work / f"out{size}-{run}.parquet"), "--limit", str(args.limit)],
                               cwd=ROOT, check=True, capture_output=True)
                commands.append(time.perf_counter() - started)
            command_s = statistics.median(commands)
            encoder = encoder_from_settings(Settings())
            ranker = Ranker(load_bundle(bundle, encoder), encoder)
            timings = {}
            for cap in (None, 3):
                store = ShortlistStore(work / f"jobs{size}-{cap}.sqlite")
                store.create("bench", brands.to_dicts(), args.limit, cap)
                timings[cap] = run_job(store, "bench", ranker).seconds
            row = {"creators": size, "brands": brands.height, "command_s": command_s,
                   "engine_bps": brands.height / timings[None], "capped_bps": brands.height / timings[3]}
            rows.append(row)
            print(f"{size} creators, {brands.height} brands, limit {args.limit}: whole command {command_s:.1f} s "
                  f"({brands.height / command_s:.0f} brands/s with start-up); ranking alone "
                  f"{row['engine_bps']:.0f} brands/s, with --max-per-creator 3 {row['capped_bps']:.0f} brands/s")
    if args.no_record:
        return
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — shortlists", "", f"- machine: {machine()}",
             f"- command: `python benchmarks/bench_shortlist.py --sizes {' '.join(map(str, args.sizes))} "
             f"--runs {args.runs}`", "",
             "| creators | brands | whole command s (median) | brands/s incl. start-up | brands/s ranking "
             "| brands/s with cap 3 |",
             "| --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        lines.append(f"| {row['creators']} | {row['brands']} | {row['command_s']:.1f} "
                     f"| {row['brands'] / row['command_s']:.0f} | {row['engine_bps']:.0f} | {row['capped_bps']:.0f} |")
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
