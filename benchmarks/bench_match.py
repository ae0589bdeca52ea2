"""/match latency (one client) and throughput (8 clients) against a real server on loopback; appends to RESULTS.md.

Usage: python benchmarks/bench_match.py [--sizes 5000 20000] [--requests 300] [--backends onnx onnx-int8 torch]
       [--no-record]

For each size it writes a sample, builds a bundle (embedding cache shared across sizes), starts
`creatormatch serve` on 127.0.0.1, waits for /readyz, and sends the sample's brand briefs (distinct texts, so no
cache can help). It also times encoding and ranking in-process to show where the time goes.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_build import machine, make_int8, sample_and_build  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def bodies(data: Path, kind: str) -> list[dict[str, object]]:
    """Request bodies from the sample's brands: the full brief (name, values, product, audience, keywords, about
    65 tokens) or a short one (the product line, about 10 tokens, as a marketer would type)."""
    from creatormatch.api_models import brand_request

    out = []
    for brand in pl.read_parquet(data / "brands.parquet").to_dicts():
        brief = brand_request(brand, limit=20).brief.model_dump(exclude_none=True)
        out.append({"brief": brief if kind == "full" else {"text": brief["product"]}, "limit": 20})
    return out


def serve(bundle: Path, port: int, env: dict[str, str], workers: int, poll: float = 0.5,
          root: Path = ROOT) -> subprocess.Popen[bytes]:
    """`creatormatch serve` of the code in `root` on loopback, returned once /readyz answers 200 (asked every
    `poll` seconds)."""
    process = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--bundle", str(bundle),
                                "--port", str(port), "--workers", str(workers)],
                               cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(poll)
    process.kill()
    raise RuntimeError("server did not become ready within 180 s")


def one_client(url: str, requests: list[dict[str, object]]) -> list[float]:
    latencies = []
    with httpx.Client(timeout=30) as client:
        for body in requests:
            started = time.perf_counter()
            response = client.post(url, json=body)
            latencies.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    return latencies


def many_clients(url: str, requests: list[dict[str, object]], clients: int) -> tuple[float, int]:
    done = [0] * clients
    errors = [0] * clients

    def worker(index: int) -> None:
        with httpx.Client(timeout=30) as client:
            for body in requests[index::clients]:
                if client.post(url, json=body).status_code == 200:
                    done[index] += 1
                else:
                    errors[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started), sum(errors)


def search_latencies(url: str, data: Path, count: int) -> list[float]:
    """One client sending keyword searches: each niche's plain keyword and the sample brands' keywords."""
    from training.evaluate import NICHE_KEYWORDS

    queries = list(NICHE_KEYWORDS.values())
    for keywords in pl.read_parquet(data / "brands.parquet").get_column("keywords").to_list():
        queries.extend(keywords or [])
    queries = list(dict.fromkeys(queries))
    latencies = []
    with httpx.Client(timeout=30) as client:
        for query in queries[:10]:  # warm-up
            client.get(url, params={"q": query})
        for i in range(count):
            started = time.perf_counter()
            client.get(url, params={"q": queries[i % len(queries)], "limit": 20}).raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def backend_settings(backend: str) -> dict[str, Any]:
    """The settings of a --backends choice: `onnx-int8` is the ONNX backend with encoder_precision int8."""
    if backend == "onnx-int8":
        return {"encoder_backend": "onnx", "encoder_precision": "int8"}
    return {"encoder_backend": backend}


def in_process_split(bundle: Path, requests: list[dict[str, object]], backend: str) -> tuple[float, float]:
    """Median ms to encode one brief and to rank with an encoded brief, in this process."""
    from creatormatch.api_models import MatchRequest
    from creatormatch.bundle import load_bundle
    from creatormatch.config import Settings
    from creatormatch.encoder import encoder_from_settings
    from creatormatch.ranking import Ranker

    encoder = encoder_from_settings(Settings(**backend_settings(backend)))
    ranker = Ranker(load_bundle(bundle, encoder), encoder)
    parsed = [MatchRequest.model_validate(b) for b in requests[:100]]
    encode, rank = [], []
    for request in parsed:
        started = time.perf_counter()
        query = ranker.encode_briefs([request])[0]
        middle = time.perf_counter()
        ranker.match(request, query)
        encode.append((middle - started) * 1000)
        rank.append((time.perf_counter() - middle) * 1000)
    return statistics.median(encode), statistics.median(rank)


def measure(data: Path, bundle: Path, size: int, backend: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Serve the bundle with one encoder backend and measure /match (short and full briefs) and /search."""
    rows: list[dict[str, Any]] = []
    if backend == "onnx-int8":  # made by offline commands only, as a user would with `model export --int8`
        make_int8()  # in the model cache the server (working directory ROOT) reads
    port = free_port()
    # No query cache: every request pays for its encoding, as distinct briefs would.
    env = {**os.environ, "CREATORMATCH_LOG_LEVEL": "WARNING", "CREATORMATCH_QUERY_CACHE_SIZE": "0",
           **{f"CREATORMATCH_{k.upper()}": v for k, v in backend_settings(backend).items()}}
    server = serve(bundle, port, env, args.workers)
    try:
        for kind in ("short", "full"):
            briefs = bodies(data, kind)
            requests = [briefs[i % len(briefs)] for i in range(args.requests)]
            url = f"http://127.0.0.1:{port}/match"
            one_client(url, requests[:20])  # warm-up
            latencies = one_client(url, requests)
            rps, errors = many_clients(url, requests, args.clients)
            encode_ms, rank_ms = in_process_split(bundle, requests, backend)
            row = {"creators": size, "backend": backend, "kind": kind, "distinct_briefs": len(briefs),
                   "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99), "rps": rps,
                   "errors": errors, "encode_ms": encode_ms, "rank_ms": rank_ms}
            rows.append(row)
            print(f"{size} creators, {backend}, {kind} briefs: one client p50 {row['p50']:.1f} ms, p99 "
                  f"{row['p99']:.1f} ms; {args.clients} clients {rps:.0f} req/s ({errors} errors); "
                  f"in-process median encode {encode_ms:.1f} ms + rank {rank_ms:.1f} ms")
        search_ms = search_latencies(f"http://127.0.0.1:{port}/search", data, args.requests)
        rows.append({"creators": size, "backend": backend, "kind": "search", "p50": percentile(search_ms, 0.5),
                     "p99": percentile(search_ms, 0.99)})
        print(f"{size} creators, {backend}, GET /search: one client p50 {rows[-1]['p50']:.1f} ms, "
              f"p99 {rows[-1]['p99']:.1f} ms")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000], help="creators per sample")
    parser.add_argument("--requests", type=int, default=300, help="requests per measurement")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for throughput")
    parser.add_argument("--seed", type=int, default=7, help="sample seed")
    parser.add_argument("--workers", type=int, default=1, help="service worker processes")
    parser.add_argument("--backends", nargs="+", default=["onnx"], choices=["onnx", "onnx-int8", "torch"],
                        help="encoder backends to measure, one server each (onnx-int8: encoder_precision int8)")
    parser.add_argument("--cache", type=Path, help="embedding cache to build with (e.g. indexes/cache.sqlite); "
                        "saves the cold build, which these figures do not include")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for size in args.sizes:
            data, bundle = sample_and_build(work, size, args.seed, args.cache)
            for backend in args.backends:
                rows.extend(measure(data, bundle, size, backend, args))
    if args.no_record:
        return
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — /match", "", f"- machine: {machine()}",
             f"- command: `python benchmarks/bench_match.py --sizes {' '.join(map(str, args.sizes))} --requests "
             f"{args.requests} --workers {args.workers} --backends {' '.join(args.backends)}`", "",
             "| creators | encoder | briefs | distinct briefs | p50 ms (1 client) | p99 ms (1 client) | "
             f"req/s ({args.clients} clients) | errors | encode ms (median, in-process) "
             "| rank ms (median, in-process) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        if row["kind"] == "search":
            lines.append(f"| {row['creators']} | {row['backend']} | GET /search (keywords) | | {row['p50']:.1f} "
                         f"| {row['p99']:.1f} | | | | |")
            continue
        lines.append(f"| {row['creators']} | {row['backend']} | {row['kind']} | {row['distinct_briefs']} "
                     f"| {row['p50']:.1f} | {row['p99']:.1f} "
                     f"| {row['rps']:.0f} | {row['errors']} | {row['encode_ms']:.1f} | {row['rank_ms']:.1f} |")
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
