"""The build on the local engine and on Ray (a local Ray on this machine), same data, one run; appends to RESULTS.md.

Usage: python benchmarks/bench_engine.py --data DIR [--cache FILE] [--cold] [--runs 2] [--no-record]

Warm builds (the default): every text is in the embedding cache, so a build is the features, vocabulary, keyword
index, vectors, FAISS index and write; for Ray that includes starting and stopping the local Ray. The cache is
`--cache` (copied, never changed) or one this script fills first with an untimed local build. `--cold` also times
one build per engine from an empty cache: all embedding, ~35 creator documents/s on 2 cores. Each build runs in
its own process; the engines alternate, and the load average is recorded with each figure (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any

from bench_build import RESULTS, ROOT, machine

ENGINES = ("local", "ray")


def one_build(engine_name: str, data: Path, out: Path, cache: Path) -> None:
    """Child mode: one build with the named engine; prints its figures as JSON."""
    from creatormatch.config import Settings
    from training.build import build_bundle
    from training.engines import Engine, LocalEngine

    settings = Settings(cache_path=cache, indexes_dir=out)
    started = time.perf_counter()
    engine: Engine
    if engine_name == "ray":
        from training.engine_ray import RayEngine

        engine = RayEngine(None, settings)
    else:
        engine = LocalEngine()
    ready = time.perf_counter()
    try:
        result = build_bundle(data, out, settings, engine=engine)
    finally:
        built = time.perf_counter()
        engine.close()
    done = time.perf_counter()
    print(json.dumps({"wall_s": done - started, "start_s": ready - started, "build_s": built - ready,
                      "stop_s": done - built, "timings": result.report["timings_s"],
                      "encoded": sum(v for k, v in result.report.items() if k.endswith("_encoded"))}))


def run_child(engine: str, data: Path, out: Path, cache: Path) -> dict[str, Any]:
    """One build in its own process, with the load average before it."""
    load = os.getloadavg()[0]
    command = [sys.executable, __file__, "--child", engine, str(data), str(out), str(cache)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["load"] = load
    shutil.rmtree(out, ignore_errors=True)
    ray = f"Ray start {figures['start_s']:.1f} s, stop {figures['stop_s']:.1f} s; " if engine == "ray" else ""
    print(f"  {engine}: {figures['wall_s']:.1f} s ({ray}features {figures['timings']['features']:.1f} s; "
          f"{figures['encoded']} texts encoded; load {load:.2f})", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a data folder (e.g. from `creatormatch sample --creators 20000`)")
    parser.add_argument("--cache", type=Path, help="an embedding cache holding the data's texts (copied, not "
                        "changed); default: filled first by an untimed local build")
    parser.add_argument("--cold", action="store_true", help="also one build per engine from an empty cache")
    parser.add_argument("--runs", type=int, default=2, help="warm builds per engine (alternating)")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, *paths = args.child
        one_build(engine, *(Path(p) for p in paths))
        return
    if args.data is None:
        parser.error("--data is required")
    creators = _creators(args.data)
    cold: dict[str, dict[str, Any]] = {}
    warm: dict[str, list[dict[str, Any]]] = {name: [] for name in ENGINES}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        warm_cache = work / "warm.sqlite"
        if args.cold:
            print("cold builds (empty cache):", flush=True)
            for name in ENGINES:
                cold[name] = run_child(name, args.data, work / "out", work / f"cold-{name}.sqlite")
            shutil.copy(work / "cold-local.sqlite", warm_cache)
        elif args.cache is not None:
            shutil.copy(args.cache, warm_cache)
        else:
            print("filling the embedding cache (untimed local build)", flush=True)
            run_child("local", args.data, work / "out", warm_cache)
        print("warm builds:", flush=True)
        for _ in range(args.runs):
            for name in ENGINES:
                copy = work / f"warm-{name}.sqlite"
                shutil.copy(warm_cache, copy)
                warm[name].append(run_child(name, args.data, work / "out", copy))
    local_s, ray_s = (median(r["wall_s"] for r in warm[name]) for name in ENGINES)
    print(f"{creators} creators, warm: local {local_s:.1f} s, ray {ray_s:.1f} s, ray / local {ray_s / local_s:.2f}")
    if cold:
        print(f"cold: local {cold['local']['wall_s']:.1f} s, ray {cold['ray']['wall_s']:.1f} s, ray / local "
              f"{cold['ray']['wall_s'] / cold['local']['wall_s']:.2f}")
    if not args.no_record:
        _record(args, creators, warm, cold)


def _creators(data: Path) -> int:
    import polars as pl

    files = sorted(data.glob("creators.*"))
    if not files:
        raise SystemExit(f"{data}: no creators file")
    return int(pl.scan_parquet(files[0]).select(pl.len()).collect().item()) if files[0].suffix == ".parquet" \
        else sum(1 for _ in files[0].open()) - 1


def _record(args: argparse.Namespace, creators: int, warm: dict[str, list[dict[str, Any]]],
            cold: dict[str, dict[str, Any]]) -> None:
    command = f"python benchmarks/bench_engine.py --data {args.data}" + (" --cold" if args.cold else "") + \
        (f" --cache {args.cache}" if args.cache and not args.cold else "") + f" --runs {args.runs}"
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — build, local engine vs Ray", "",
             f"- machine: {machine()}", f"- command: `{command}` ({creators} creators; Ray: a local Ray started "
             "by the build, 2 CPUs, 2 feature partitions, 2 encoder actors × 1 thread)", "",
             "| cache | engine | wall s | Ray start + stop s | features s | embed s (bios, documents, terms) | "
             "texts encoded | ray / local (wall) | load avg (1 min) before |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]

    def row(cache: str, name: str, figures: dict[str, Any], ratio: str) -> str:
        timings = figures["timings"]
        embed = sum(timings.get(s, 0.0) for s in ("embed bios", "embed documents", "embed terms"))
        overhead = f"{figures['start_s'] + figures['stop_s']:.1f}" if name == "ray" else ""
        return (f"| {cache} | {name} | {figures['wall_s']:.1f} | {overhead} | {timings['features']:.1f} | "
                f"{embed:.1f} | {figures['encoded']} | {ratio} | {figures['load']:.2f} |")

    if cold:
        ratio = f"{cold['ray']['wall_s'] / cold['local']['wall_s']:.2f}"
        lines += [row("empty", name, cold[name], ratio if name == "ray" else "") for name in ENGINES]
    for run in range(args.runs):
        ratio = f"{warm['ray'][run]['wall_s'] / warm['local'][run]['wall_s']:.2f}"
        lines += [row(f"warm, run {run + 1}", name, warm[name][run], ratio if name == "ray" else "")
                  for name in ENGINES]
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
