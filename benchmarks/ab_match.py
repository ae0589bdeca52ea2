"""/match latency of this checkout against another revision, both served at once and asked in turn; appends to
RESULTS.md.

Usage: python benchmarks/ab_match.py --against REV [--size 5000] [--kind full] [--rounds 4] [--block 10]
       [--clients 1] [--workers 2] [--backend onnx-int8] [--cache indexes/cache.sqlite] [--no-record]

The machines here are shared and their speed drifts by 10 % between runs minutes apart, more than most changes
to the request path. So both versions run side by side: REV is checked out in a temporary git worktree, a sample
is built once (by this checkout: the bundle must be readable by both), one `creatormatch serve` is started per
version, and one client sends the same distinct briefs to each in alternating blocks, round after round, so drift
falls on both alike. It prints p50, p90 and p99 per version, the ratio of this checkout to REV, and how many
responses were byte-identical (took_ms aside). With --clients N above 1 it measures throughput instead: each block
is sent by N concurrent clients (use a block of several times N, such as 80), and it prints requests a second per
version and their ratio.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_build import machine, make_int8, sample_and_build  # noqa: E402
from bench_match import backend_settings, bodies, free_port, many_clients, percentile, serve  # noqa: E402

TOOK = re.compile(rb'"took_ms":[0-9.eE+-]+')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="git revision to compare with (e.g. HEAD~1)")
    parser.add_argument("--size", type=int, default=5000, help="creators in the sample")
    parser.add_argument("--seed", type=int, default=7, help="sample seed")
    parser.add_argument("--kind", choices=["full", "short"], default="full", help="full or short briefs")
    parser.add_argument("--requests", type=int, default=300, help="distinct requests per round")
    parser.add_argument("--rounds", type=int, default=4, help="rounds over the requests")
    parser.add_argument("--block", type=int, default=10, help="requests to one version before the other's turn")
    parser.add_argument("--clients", type=int, default=1,
                        help="concurrent clients; above 1, throughput (requests a second) is measured per block")
    parser.add_argument("--workers", type=int, default=2, help="service worker processes of each version")
    parser.add_argument("--backend", choices=["onnx", "onnx-int8", "torch"], default="onnx-int8")
    parser.add_argument("--cache", type=Path, help="embedding cache to build with (e.g. indexes/cache.sqlite)")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    revision = subprocess.run(["git", "rev-parse", "--short", args.against], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    here = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.strip()
    this = f"{here}{' + changes' if dirty else ''}"
    if args.backend == "onnx-int8":
        make_int8()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        other = work / "other"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(other), revision], cwd=ROOT, check=True)
        servers: list[tuple[str, int, subprocess.Popen[bytes]]] = []
        try:
            data, bundle = sample_and_build(work, args.size, args.seed, args.cache)
            briefs = bodies(data, args.kind)
            requests = [briefs[i % len(briefs)] for i in range(args.requests)]
            # One model folder for both (the default is relative to the working directory), no query cache.
            env = {**os.environ, "CREATORMATCH_LOG_LEVEL": "WARNING", "CREATORMATCH_QUERY_CACHE_SIZE": "0",
                   "CREATORMATCH_MODEL_CACHE_DIR": str(ROOT / "indexes" / "models"),
                   **{f"CREATORMATCH_{k.upper()}": v for k, v in backend_settings(args.backend).items()}}
            for name, root in ((revision, other), (this, ROOT)):
                port = free_port()
                servers.append((name, port, serve(bundle, port, {**env, "PYTHONPATH": str(root)}, args.workers,
                                                  root=root)))
            latencies: dict[str, list[float]] = {name: [] for name, _, _ in servers}
            busy: dict[str, list[float]] = {name: [0.0, 0.0] for name, _, _ in servers}  # requests, seconds
            bodies_seen: dict[str, list[bytes]] = {name: [] for name, _, _ in servers}
            with httpx.Client(timeout=30) as client:
                for _, port, _ in servers:  # warm-up
                    for body in requests[:20]:
                        client.post(f"http://127.0.0.1:{port}/match", json=body).raise_for_status()
                for round_ in range(args.rounds):
                    for start in range(0, len(requests), args.block):
                        turn = servers if (start // args.block + round_) % 2 == 0 else servers[::-1]
                        for name, port, _ in turn:
                            if args.clients > 1:
                                block = requests[start:start + args.block]
                                rate, errors = many_clients(f"http://127.0.0.1:{port}/match", block, args.clients)
                                if errors:
                                    raise RuntimeError(f"{name}: {errors} requests failed")
                                busy[name][0] += len(block)
                                busy[name][1] += len(block) / rate
                                continue
                            for body in requests[start:start + args.block]:
                                began = time.perf_counter()
                                response = client.post(f"http://127.0.0.1:{port}/match", json=body)
                                latencies[name].append((time.perf_counter() - began) * 1000)
                                response.raise_for_status()
                                if round_ == 0:
                                    bodies_seen[name].append(TOOK.sub(b'"took_ms":0', response.content))
        finally:
            for _, _, process in servers:
                process.terminate()
                process.wait(timeout=30)
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)
    (base, _, _), (new, _, _) = servers
    if args.clients > 1:
        record_throughput(args, base, new, {name: done / seconds for name, (done, seconds) in busy.items()},
                          {name: int(done) for name, (done, _) in busy.items()})
        return
    figures = {name: [percentile(latencies[name], q) for q in (0.5, 0.9, 0.99)] for name in (base, new)}
    identical = sum(a == b for a, b in zip(bodies_seen[base], bodies_seen[new], strict=True))
    ratios = [n / b for n, b in zip(figures[new], figures[base], strict=True)]
    for name in (base, new):
        p50, p90, p99 = figures[name]
        print(f"{name}: p50 {p50:.2f} ms, p90 {p90:.2f} ms, p99 {p99:.2f} ms ({len(latencies[name])} requests)")
    print(f"{new} / {base}: p50 {ratios[0]:.3f}, p90 {ratios[1]:.3f}, p99 {ratios[2]:.3f}; "
          f"{identical} of {len(bodies_seen[base])} responses identical")
    if args.no_record:
        return
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — /match, {new} against {base} in one run", "",
             f"- machine: {machine()}",
             f"- command: `python benchmarks/ab_match.py --against {args.against} --size {args.size} --kind "
             f"{args.kind} --requests {args.requests} --rounds {args.rounds} --block {args.block} --workers "
             f"{args.workers} --backend {args.backend}` (one client, the versions asked in turn)", "",
             "| version | p50 ms | p90 ms | p99 ms | requests |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {name} | {figures[name][0]:.2f} | {figures[name][1]:.2f} | {figures[name][2]:.2f} "
              f"| {len(latencies[name])} |" for name in (base, new)]
    lines += ["", f"- ratio {new} / {base}: p50 {ratios[0]:.3f}, p90 {ratios[1]:.3f}, p99 {ratios[2]:.3f}; "
              f"{identical} of {len(bodies_seen[base])} responses byte-identical (took_ms aside)"]
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


def record_throughput(args: argparse.Namespace, base: str, new: str, rates: dict[str, float],
                      counts: dict[str, int]) -> None:
    """Print (and unless --no-record, append to RESULTS.md) requests a second per version and their ratio."""
    for name in (base, new):
        print(f"{name}: {rates[name]:.1f} requests a second ({counts[name]} requests, {args.clients} clients)")
    ratio = rates[new] / rates[base]
    print(f"{new} / {base}: {ratio:.3f}")
    if args.no_record:
        return
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — /match throughput, {new} against {base} in one run",
             "", f"- machine: {machine()}",
             f"- command: `python benchmarks/ab_match.py --against {args.against} --size {args.size} --kind "
             f"{args.kind} --requests {args.requests} --rounds {args.rounds} --block {args.block} --clients "
             f"{args.clients} --workers {args.workers} --backend {args.backend}` ({args.clients} clients, the "
             "versions asked in turn, a block at a time)", "",
             "| version | requests a second | requests |", "| --- | --- | --- |"]
    lines += [f"| {name} | {rates[name]:.1f} | {counts[name]} |" for name in (base, new)]
    lines += ["", f"- ratio {new} / {base}: {ratio:.3f}"]
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
