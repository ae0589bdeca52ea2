"""Hot reload under load: clients mixing /match, /search and /creators while the bundle is reloaded; appends to
RESULTS.md. Also times loading the bundle with and without checking every file's sha256.

Usage: python benchmarks/bench_reload.py [--bundle indexes/current] [--data data/sample] [--seconds 120]
                                          [--clients 8] [--reloads 3] [--no-record]

The bundle is copied twice into a temporary indexes folder (`bench-a`, `bench-b`: the same files under two
versions, with checksums recorded if the bundle predates them). `creatormatch serve` serves `current`; the clients
run for --seconds, and at evenly spaced moments `current` is moved to the other copy and POST /admin/reload
swaps it in. Every answer that is not a 200 counts as failed; the server's RSS is read from /proc every second.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_build import machine  # noqa: E402
from bench_match import bodies, free_port, percentile, serve  # noqa: E402

KEY = "bench-reload-key"
VERSIONS = ("bench-a", "bench-b")


def copy_bundle(source: Path, root: Path, version: str) -> Path:
    """The bundle under root as `version`, with every file's sha256 in its manifest."""
    from creatormatch.bundle import file_checksums
    from creatormatch.manifest import MANIFEST

    bundle = root / version
    shutil.copytree(source.resolve(), bundle)
    manifest = json.loads((bundle / MANIFEST).read_text())
    manifest["version"] = version
    if not manifest.get("files"):
        manifest["files"] = file_checksums(bundle)
    (bundle / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return bundle


def load_times(bundle: Path, runs: int) -> dict[str, float]:
    """Median seconds to load the bundle (no encoder) without and with the sha256 check, and to hash alone.
    The files were just copied, so they are in the page cache: this is the cost of hashing, not of the disk."""
    from creatormatch.bundle import checksum_problems, load_bundle
    from creatormatch.manifest import Manifest

    plain, verified, hashing = [], [], []
    load_bundle(bundle, verify=False)  # warm-up: imports and first-use costs are not the bundle's
    for _ in range(runs):
        started = time.perf_counter()
        load_bundle(bundle, verify=False)
        plain.append(time.perf_counter() - started)
        started = time.perf_counter()
        load_bundle(bundle, verify=True)
        verified.append(time.perf_counter() - started)
        manifest = Manifest.read(bundle)
        started = time.perf_counter()
        assert checksum_problems(bundle, manifest) == []
        hashing.append(time.perf_counter() - started)
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    return {"plain": statistics.median(plain), "verified": statistics.median(verified),
            "hashing": statistics.median(hashing), "megabytes": size / 1e6}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Run:
    """What the clients, the memory sampler and the reloads saw."""

    answers: list[tuple[float, float, str, int]] = field(default_factory=list)  # start, end, kind, status
    failures: list[str] = field(default_factory=list)
    rss: list[tuple[float, float]] = field(default_factory=list)  # time, MB
    reloads: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def requests_mix(data: Path, bundle: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, path, options) in turn: a short brief to /match, a keyword to /search, a creator profile."""
    from training.evaluate import NICHE_KEYWORDS

    briefs = bodies(data, "short")
    queries = list(NICHE_KEYWORDS.values())
    for keywords in pl.read_parquet(data / "brands.parquet").get_column("keywords").to_list():
        queries.extend(keywords or [])
    queries = list(dict.fromkeys(queries))
    creators = pl.read_parquet(bundle / "creators.parquet", columns=["creator_id"]).get_column("creator_id")
    ids = creators.sample(min(500, creators.len()), seed=1).to_list()
    mix = []
    for i in range(max(len(briefs), len(queries), len(ids))):
        mix.append(("match", "/match", {"json": briefs[i % len(briefs)]}))
        mix.append(("search", "/search", {"params": {"q": queries[i % len(queries)], "limit": 20}}))
        mix.append(("creators", f"/creators/{ids[i % len(ids)]}", {}))
    return mix


def client_loop(url: str, mix: list[tuple[str, str, dict[str, Any]]], offset: int, deadline: float,
                run: Run) -> None:
    turn = offset * 7
    with httpx.Client(base_url=url, timeout=60, headers={"X-API-Key": KEY}) as client:
        while time.monotonic() < deadline:
            kind, path, options = mix[turn % len(mix)]
            turn += 1
            started = time.monotonic()
            try:
                status = (client.post(path, **options) if kind == "match" else client.get(path, **options)).status_code
            except httpx.HTTPError as exc:
                status = 0
                with run.lock:
                    run.failures.append(f"{kind}: {type(exc).__name__}: {exc}")
            with run.lock:
                run.answers.append((started, time.monotonic(), kind, status))


def measure(bundle: Path, data: Path, args: argparse.Namespace) -> tuple[Run, float, dict[str, float]]:
    """Copy the bundle twice, time its load, then serve it under load with reloads; the run and its length."""
    from creatormatch.bundle import point_current

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "indexes"
        root.mkdir()
        for version in VERSIONS:
            copy_bundle(bundle, root, version)
        timings = load_times(root / VERSIONS[0], args.load_runs)
        print(f"load {timings['megabytes']:.0f} MB bundle (median of {args.load_runs}): {timings['plain']:.2f} s "
              f"without the sha256 check, {timings['verified']:.2f} s with it; hashing alone "
              f"{timings['hashing']:.2f} s")
        point_current(root, VERSIONS[0])
        port = free_port()
        env = {**os.environ, "CREATORMATCH_LOG_LEVEL": "WARNING", "CREATORMATCH_QUERY_CACHE_SIZE": "0",
               "CREATORMATCH_API_KEYS": KEY, "CREATORMATCH_JOBS_PATH": str(Path(tmp) / "jobs.sqlite")}
        server = serve(root / "current", port, env, workers=1)
        url = f"http://127.0.0.1:{port}"
        run = Run()
        try:
            mix = requests_mix(data, root / VERSIONS[0])
            started = time.monotonic()
            deadline = started + args.seconds
            clients = [threading.Thread(target=client_loop, args=(url, mix, i, deadline, run))
                       for i in range(args.clients)]
            for thread in clients:
                thread.start()
            moments = [started + args.seconds * (i + 1) / (args.reloads + 1) for i in range(args.reloads)]
            with httpx.Client(base_url=url, timeout=300, headers={"X-API-Key": KEY}) as admin:
                while time.monotonic() < deadline:
                    run.rss.append((time.monotonic() - started, rss_mb(server.pid)))
                    if moments and time.monotonic() >= moments[0]:
                        moments.pop(0)
                        target = VERSIONS[(len(run.reloads) + 1) % 2]
                        point_current(root, target)
                        before = run.rss[-1][1]
                        asked = time.monotonic()
                        answer = admin.post("/admin/reload")
                        run.reloads.append({"at": asked - started, "ended": time.monotonic() - started,
                                            "status": answer.status_code, "body": answer.json(),
                                            "rss_before": before})
                        print(f"reload at {asked - started:.0f} s: {answer.status_code} {answer.json()}")
                    time.sleep(1.0)
            for thread in clients:
                thread.join()
            elapsed = time.monotonic() - started
            run.rss.append((elapsed, rss_mb(server.pid)))
        finally:
            server.terminate()
            server.wait(timeout=60)
        return run, elapsed, timings


def summarise(run: Run, elapsed: float, started_at: float) -> dict[str, Any]:
    answers = [(s - started_at, e - started_at, k, st) for s, e, k, st in run.answers]
    latencies = [(e - s) * 1000 for s, e, _, _ in answers]
    failed = [a for a in answers if a[3] != 200]
    # Requests that were under way while a reload loaded and swapped its bundle.
    during = [(e - s) * 1000 for s, e, _, _ in answers
              if any(s < r["ended"] and e > r["at"] for r in run.reloads)]
    per_kind = {kind: sum(1 for a in answers if a[2] == kind) for kind in ("match", "search", "creators")}
    first_reload = run.reloads[0]["at"] if run.reloads else elapsed
    before = [mb for t, mb in run.rss if t <= first_reload]
    return {
        "requests": len(answers), "failed": len(failed), "rps": len(answers) / elapsed, "per_kind": per_kind,
        "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
        "during": len(during), "during_p99": percentile(during, 0.99) if during else float("nan"),
        "during_max": max(during) if during else float("nan"),
        "rss_start": run.rss[0][1], "rss_before_reload": before[-1] if before else run.rss[0][1],
        "rss_max": max(mb for _, mb in run.rss), "rss_end": run.rss[-1][1],
        "statuses": sorted({a[3] for a in failed}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "indexes" / "current", help="bundle to serve")
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample",
                        help="the bundle's input folder (brands for the briefs and keywords)")
    parser.add_argument("--seconds", type=float, default=120, help="length of the load test")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--reloads", type=int, default=3, help="reloads, evenly spaced (1 = one in the middle)")
    parser.add_argument("--load-runs", type=int, default=3, help="loads timed each way")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    started_at = time.monotonic()
    run, elapsed, timings = measure(args.bundle, args.data, args)
    # Times in the run are relative to the start of the load test, which began after the copies and loads.
    base = min(s for s, _, _, _ in run.answers)
    result = summarise(run, elapsed, base)
    reloads = ", ".join(f"{r['body'].get('outcome', r['status'])} in {r['body'].get('took_ms', float('nan')):.0f} ms "
                        f"at {r['at']:.0f} s" for r in run.reloads)
    print(f"{result['requests']} requests in {elapsed:.0f} s ({result['rps']:.0f} req/s, {args.clients} clients; "
          f"{result['per_kind']}), {result['failed']} failed {result['statuses'] or ''}; p50 {result['p50']:.0f} ms, "
          f"p99 {result['p99']:.0f} ms; {result['during']} requests under way during the reloads: p99 "
          f"{result['during_p99']:.0f} ms, max {result['during_max']:.0f} ms")
    print(f"reloads: {reloads}")
    print(f"server RSS MB: {result['rss_start']:.0f} at start, {result['rss_before_reload']:.0f} before the first "
          f"reload, {result['rss_max']:.0f} at most, {result['rss_end']:.0f} at the end "
          f"(whole run {time.monotonic() - started_at:.0f} s)")
    for failure in run.failures[:5]:
        print(f"  failure: {failure}")
    if args.no_record:
        return
    bundle = args.bundle.resolve()
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — hot reload under load", "", f"- machine: {machine()}",
             f"- command: `python benchmarks/bench_reload.py --seconds {args.seconds:.0f} --clients {args.clients} "
             f"--reloads {args.reloads}` (bundle {bundle.name}, {timings['megabytes']:.0f} MB, served as two copies "
             "with checksums, one process, query cache off)", "",
             "| measure | value |", "| --- | --- |",
             f"| bundle load, no sha256 check (median of {args.load_runs}, files in the page cache) "
             f"| {timings['plain']:.2f} s |",
             f"| bundle load with the sha256 check | {timings['verified']:.2f} s |",
             f"| hashing alone | {timings['hashing']:.2f} s |",
             f"| requests ({args.clients} clients, /match short briefs, /search, /creators in turn) "
             f"| {result['requests']} in {elapsed:.0f} s ({result['rps']:.0f} req/s) |",
             f"| failed requests | {result['failed']} |",
             f"| latency p50 / p99 | {result['p50']:.0f} / {result['p99']:.0f} ms |",
             f"| reloads | {reloads} |",
             f"| requests under way during a reload; their p99 / max | {result['during']}; "
             f"{result['during_p99']:.0f} / {result['during_max']:.0f} ms |",
             f"| server RSS: start, before the first reload, max, end | {result['rss_start']:.0f}, "
             f"{result['rss_before_reload']:.0f}, {result['rss_max']:.0f}, {result['rss_end']:.0f} MB |",
             "", "RSS before each reload: " + ", ".join(f"{r['rss_before']:.0f} MB" for r in run.reloads) + "."]
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
