"""Serving a large bundle: ready time, server memory, /match and /search latency, and recall of the index on real
brief vectors; appends to RESULTS.md.

Usage: python benchmarks/bench_scale.py --bundle indexes/current --data DATA [--requests 300] [--no-record]

DATA is the folder the bundle was built from (its brands.parquet gives the briefs). The server is a real
`creatormatch serve` on loopback (one worker); its memory is read from /proc: RSS (resident pages, memory-mapped
files included) and the anonymous part of it (what the process itself allocated). Recall@10 is measured here
again, on the sample brands' brief vectors (not the perturbed creator vectors the build uses): the index's top 10
after re-ranking against an exact scan of every vector.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import machine  # noqa: E402
from bench_match import bodies, free_port, one_client, percentile, search_latencies, serve  # noqa: E402


def memory(pid: int) -> dict[str, float]:
    """RSS and its anonymous and file-backed parts, in MB, from /proc/PID/status."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


def brief_recall(bundle: Path, data: Path, count: int) -> tuple[float, int]:
    """recall@10 of the bundle's index (re-ranked) against exact search, for the sample brands' brief vectors."""
    import polars as pl

    from creatormatch.api_models import brand_request
    from creatormatch.config import Settings
    from creatormatch.encoder import encoder_from_settings
    from creatormatch.index import _exact_top, read_index, search
    from creatormatch.manifest import Manifest
    from creatormatch.ranking.retrieval import QueryEncoder

    manifest = Manifest.read(bundle)
    index = read_index(bundle / "index.faiss", manifest.index_nprobe)
    vectors = np.load(bundle / "creator_vectors.npy", mmap_mode="r")
    encoder = QueryEncoder(encoder_from_settings(Settings()), manifest.dimension)
    briefs = [brand_request(b, limit=10).brief for b in pl.read_parquet(data / "brands.parquet").to_dicts()][:count]
    queries = encoder.encode_briefs(briefs)
    truth = _exact_top(vectors, queries, 10)
    _, found = search(index, vectors, queries, 10)
    hits = sum(len(set(t.tolist()) & set(f.tolist())) for t, f in zip(truth, found, strict=True))
    return hits / truth.size, len(briefs)


def measure(bundle: Path, data: Path, requests: int) -> dict[str, Any]:
    manifest = json.loads((bundle / "manifest.json").read_text())
    from creatormatch.bundle import verified_memo

    env = {**os.environ, "CREATORMATCH_LOG_LEVEL": "WARNING", "CREATORMATCH_RATE_LIMIT_PER_MINUTE": "0"}
    # First start: every file hashed (no memo of an earlier load); then a restart, as after a deploy or reload.
    verified_memo(bundle).unlink(missing_ok=True)
    started = time.perf_counter()
    first = serve(bundle, free_port(), env, workers=1, poll=0.1)
    ready_first = time.perf_counter() - started
    first.terminate()
    first.wait(timeout=60)
    port = free_port()
    started = time.perf_counter()
    process = serve(bundle, port, env, workers=1, poll=0.1)
    ready = time.perf_counter() - started
    at_ready = memory(process.pid)
    try:
        url = f"http://127.0.0.1:{port}"
        full = bodies(data, "full")
        short = bodies(data, "short")
        one_client(f"{url}/match", full[:10])  # warm-up
        full_ms = one_client(f"{url}/match", (full * (requests // len(full) + 1))[:requests])
        short_ms = one_client(f"{url}/match", (short * (requests // len(short) + 1))[:requests])
        search_ms = search_latencies(f"{url}/search", data, requests)
        after = memory(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=60)
    recall, n_briefs = brief_recall(bundle, data, 300)
    return {
        "creators": manifest["creators"], "posts": manifest["posts"], "index": manifest["index_factory"],
        "nprobe": manifest["index_nprobe"], "build_recall": manifest["recall_at_10"], "brief_recall": recall,
        "briefs": n_briefs, "ready_s": ready, "ready_first_s": ready_first, "rss_ready_mb": at_ready["VmRSS"],
        "rss_mb": after["VmRSS"],
        "anon_mb": after.get("RssAnon", 0.0), "file_mb": after.get("RssFile", 0.0), "peak_mb": after["VmHWM"],
        "full_p50": percentile(full_ms, 0.5), "full_p99": percentile(full_ms, 0.99),
        "short_p50": percentile(short_ms, 0.5), "short_p99": percentile(short_ms, 0.99),
        "search_p50": percentile(search_ms, 0.5), "search_p99": percentile(search_ms, 0.99),
    }


def report(row: dict[str, Any], command: str) -> str:
    return "\n".join([
        f"### Serving at scale: {row['creators']:,} creators, {row['posts']:,} posts "
        f"({datetime.now(UTC).isoformat(timespec='minutes')})",
        "",
        f"Machine: {machine()}. Load average at start: {os.getloadavg()[0]:.2f}. Command: `{command}`",
        "",
        "| measure | value | target |",
        "| --- | --- | --- |",
        f"| index | {row['index']}, nprobe {row['nprobe']} | |",
        f"| recall@10 vs exact, build (perturbed creator vectors) | {row['build_recall']:.3f} | ≥ 0.95 |",
        f"| recall@10 vs exact, {row['briefs']} brief vectors | {row['brief_recall']:.3f} | ≥ 0.95 |",
        f"| `serve` ready (first 200 from /readyz): first start (hashes every file) / restart | "
        f"{row['ready_first_s']:.1f} / {row['ready_s']:.1f} s | ≤ 15 s |",
        f"| server RSS at ready / after the run | {row['rss_ready_mb']:,.0f} / {row['rss_mb']:,.0f} MB "
        f"(anonymous {row['anon_mb']:,.0f}, file-backed {row['file_mb']:,.0f}; peak {row['peak_mb']:,.0f}) "
        f"| ≤ 4 GB |",
        f"| /match full briefs, 1 client, p50 / p99 | {row['full_p50']:.1f} / {row['full_p99']:.1f} ms | p99 ≤ 50 ms |",
        f"| /match short briefs, 1 client, p50 / p99 | {row['short_p50']:.1f} / {row['short_p99']:.1f} ms | |",
        f"| /search, 1 client, p50 / p99 | {row['search_p50']:.1f} / {row['search_p99']:.1f} ms | |",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, required=True, help="the bundle to serve")
    parser.add_argument("--data", type=Path, required=True, help="the folder it was built from (brands.parquet)")
    parser.add_argument("--requests", type=int, default=300, help="requests per latency measurement")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    row = measure(args.bundle.resolve(), args.data, args.requests)
    text = report(row, "python " + " ".join(sys.argv))
    print(text)
    if not args.no_record:
        with RESULTS.open("a") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
