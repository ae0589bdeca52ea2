"""Build throughput, cold and warm, and peak memory; appends the figures to benchmarks/RESULTS.md.

Usage: python benchmarks/bench_build.py [--sizes 5000 20000] [--no-record]

Each build runs in its own process so its peak memory (max RSS) is its own. Compare figures within one run as
ratios: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"


def one_build(data: Path, out: Path, cache: Path) -> None:
    """Child mode: run one build and print its figures as JSON."""
    from creatormatch.config import Settings
    from training.build import build_bundle

    settings = Settings(cache_path=cache, indexes_dir=out)
    started = time.perf_counter()
    result = build_bundle(data, out, settings)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, "report": result.report}))


def run_child(data: Path, out: Path, cache: Path) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", str(data), str(out), str(cache)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def change_one_percent(data: Path, seed: int) -> int:
    """Rewrite the bios and the newest caption of 1 % of creators, as a daily refresh would."""
    creators = pl.read_parquet(data / "creators.parquet")
    changed = creators.sample(fraction=0.01, seed=seed).get_column("creator_id")
    creators = creators.with_columns(
        pl.when(pl.col("creator_id").is_in(changed.implode()))
        .then(pl.col("bio") + pl.lit(" | new collab drops soon"))
        .otherwise(pl.col("bio")).alias("bio"))
    creators.write_parquet(data / "creators.parquet")
    posts = pl.read_parquet(data / "posts.parquet")
    newest = pl.col("posted_at") == pl.col("posted_at").max().over("creator_id")
    posts = posts.with_columns(
        pl.when(pl.col("creator_id").is_in(changed.implode()) & newest)
        .then(pl.col("caption") + pl.lit(" #refreshweek tried a brandnewthing today"))
        .otherwise(pl.col("caption")).alias("caption"))
    posts.write_parquet(data / "posts.parquet")
    return changed.len()


def sample_and_build(work: Path, size: int, seed: int, cache: Path | None = None) -> tuple[Path, Path]:
    """Write a sample of `size` creators under work and build its bundle (embedding cache shared in work, or the
    given cache file, which makes the build warm: for benchmarks of what happens after the build)."""
    from creatormatch.config import Settings
    from training.build import build_bundle
    from training.sample import generate_sample, write_sample

    data = work / f"data{size}"
    write_sample(generate_sample(size, seed=seed), data)
    bundle = build_bundle(data, work / f"indexes{size}", Settings(cache_path=cache or work / "cache.sqlite")).bundle
    return data, bundle


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{platform.node()} · {cpu} · {os.cpu_count()} cores · Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000], help="creators per sample")
    parser.add_argument("--seed", type=int, default=7, help="sample seed")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        one_build(*(Path(p) for p in args.child))
        return
    from training.sample import generate_sample, write_sample

    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            data, out, cache = work / "data", work / "indexes", work / "cache.sqlite"
            started = time.perf_counter()
            write_sample(generate_sample(size, seed=args.seed), data)
            sample_s = time.perf_counter() - started
            cold = run_child(data, out, cache)
            warm = run_child(data, out, cache)
            changed = change_one_percent(data, args.seed)
            delta = run_child(data, out, cache)
        row = {
            "creators": size, "sample_s": sample_s,
            "cold_s": cold["seconds"], "warm_s": warm["seconds"], "changed_1pct_s": delta["seconds"],
            "changed": changed, "peak_mb": max(float(cold["peak_mb"]), float(warm["peak_mb"])),  # type: ignore[arg-type]
            "cold_report": cold["report"], "delta_report": delta["report"],
        }
        rows.append(row)
        cold_s, delta_s = float(row["cold_s"]), float(row["changed_1pct_s"])  # type: ignore[arg-type]
        print(f"{size} creators: sample {sample_s:.1f} s; cold {cold_s:.1f} s ({size / cold_s:.0f} creators/s); "
              f"warm {float(row['warm_s']):.1f} s; after changing {changed} creators {delta_s:.1f} s "  # type: ignore[arg-type]
              f"(ratio to cold {delta_s / cold_s:.2f}); peak {float(row['peak_mb']):.0f} MB")  # type: ignore[arg-type]
        print("  cold stages:", json.dumps(cold["report"]["timings_s"]))  # type: ignore[index]
        print("  delta re-embedded:", {k: delta["report"][k] for k in ("bios_encoded", "terms_encoded")})  # type: ignore[index]
    if args.no_record:
        return
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — build", "",
             f"- machine: {machine()}", f"- command: `python benchmarks/bench_build.py --sizes "
             f"{' '.join(map(str, args.sizes))}`", "",
             "| creators | sample s | cold s | creators/s cold | warm s (no change) | 1 % changed s | changed / cold "
             "| peak MB | bios / terms re-embedded after the change |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        c, d = float(row["cold_s"]), float(row["changed_1pct_s"])  # type: ignore[arg-type]
        rep = row["delta_report"]
        lines.append(f"| {row['creators']} | {float(row['sample_s']):.1f} | {c:.1f} | {int(row['creators']) / c:.0f} "  # type: ignore[arg-type,call-overload]
                     f"| {float(row['warm_s']):.1f} | {d:.1f} | {d / c:.2f} | {float(row['peak_mb']):.0f} "  # type: ignore[arg-type]
                     f"| {rep['bios_encoded']} / {rep['terms_encoded']} |")  # type: ignore[index]
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
