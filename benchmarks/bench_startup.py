"""Start-up and encoder costs, ONNX Runtime against sentence-transformers in one run; appends to RESULTS.md.

Usage: python benchmarks/bench_startup.py [--size 5000] [--runs 5] [--no-record]

Builds one sample bundle, then for each encoder backend (CREATORMATCH_ENCODER_BACKEND=onnx, then torch):
- `creatormatch match --brief ... --json` as a fresh process: wall seconds (median of --runs, after one warm-up
  run so both backends read warm files);
- `creatormatch serve`: seconds from launch to the first 200 from /readyz (median of 3);
- `creatormatch shortlist` for the sample's brands: the whole command, brands a second;
- in this process: one short query and one full brief (median ms), and creator documents a second in batches.
"""

from __future__ import annotations

import argparse
import os
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
from bench_match import free_port, serve  # noqa: E402

BACKENDS = ("onnx", "torch")


def cli(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def ready_seconds(bundle: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    process = serve(bundle, free_port(), env, workers=1, poll=0.02)
    ready = time.perf_counter() - started
    process.terminate()
    process.wait(timeout=30)
    return ready


def encoder_costs(backend: str, data: Path, bundle: Path) -> dict[str, float]:
    """Median ms for one short query and one full brief, and creator documents a second, in this process."""
    from creatormatch.api_models import brand_request
    from creatormatch.config import Settings
    from creatormatch.encoder import encoder_from_settings
    from creatormatch.text import brief_fields

    encoder = encoder_from_settings(Settings(encoder_backend=backend))  # type: ignore[arg-type]
    brands = pl.read_parquet(data / "brands.parquet").to_dicts()
    requests = [brand_request(b, limit=20).brief for b in brands]
    briefs = [brief_fields(r.text, r.brand, r.values, r.product, r.audience, r.keywords) for r in requests]
    shorts = [r.product or "" for r in requests]
    encoder.encode(["warm-up"])
    short_ms, full_ms = [], []
    for short, fields in zip(shorts[:100], briefs[:100], strict=True):
        started = time.perf_counter()
        encoder.encode([short])
        middle = time.perf_counter()
        encoder.encode([text for text, _ in fields])
        short_ms.append((middle - started) * 1000)
        full_ms.append((time.perf_counter() - middle) * 1000)
    from creatormatch.bundle import load_bundle

    creators = load_bundle(bundle).creators
    documents = [f"{h} {c}" for h, c in zip(creators.get_column("handle").to_list()[:512],
                                           creators.get_column("categories").cast(pl.List(pl.String))
                                           .list.join(" ").to_list()[:512], strict=True)]
    posts = pl.read_parquet(data / "posts.parquet").get_column("caption").to_list()
    documents = [(d + " " + " ".join(posts[i * 30:(i + 1) * 30]))[:600] for i, d in enumerate(documents)]
    started = time.perf_counter()
    encoder.encode(documents)
    return {"short_ms": statistics.median(short_ms), "full_ms": statistics.median(full_ms),
            "docs_per_s": len(documents) / (time.perf_counter() - started)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000, help="creators in the sample")
    parser.add_argument("--runs", type=int, default=5, help="fresh `match` processes per backend")
    parser.add_argument("--seed", type=int, default=7, help="sample seed")
    parser.add_argument("--cache", type=Path, help="embedding cache to build with (e.g. indexes/cache.sqlite); "
                        "saves the cold build, which these figures do not include")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data, bundle = sample_and_build(work, args.size, args.seed, args.cache)
        brands = pl.read_parquet(data / "brands.parquet").height
        for backend in BACKENDS:
            env = {**os.environ, "CREATORMATCH_ENCODER_BACKEND": backend, "CREATORMATCH_LOG_LEVEL": "WARNING"}
            match = ["match", "--brief", "organic dog treats for small breeds", "--json", "--bundle", str(bundle)]
            cli(match, env)  # warm-up: files in the page cache, the export made, hashes remembered
            match_s = statistics.median(cli(match, env) for _ in range(args.runs))
            ready_s = statistics.median(ready_seconds(bundle, env) for _ in range(3))
            shortlist_s = cli(["shortlist", "--bundle", str(bundle), "--brands", str(data / "brands.parquet"),
                               "--out", str(work / f"shortlist-{backend}.parquet")], env)
            costs = encoder_costs(backend, data, bundle)
            rows[backend] = {"match_s": match_s, "ready_s": ready_s, "shortlist_bps": brands / shortlist_s, **costs}
            print(f"{backend}: match command {match_s:.2f} s, serve ready {ready_s:.2f} s, shortlist {brands} brands "
                  f"{brands / shortlist_s:.1f}/s, short query {costs['short_ms']:.1f} ms, full brief "
                  f"{costs['full_ms']:.1f} ms, documents {costs['docs_per_s']:.1f}/s", flush=True)
    if args.no_record:
        return
    onnx, torch = rows["onnx"], rows["torch"]
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — start-up and encoder, ONNX Runtime vs "
             "sentence-transformers", "", f"- machine: {machine()}",
             f"- command: `python benchmarks/bench_startup.py --size {args.size} --runs {args.runs}`", "",
             "| measure | onnx | torch (sentence-transformers) | torch / onnx |", "| --- | --- | --- | --- |"]
    for key, label, lower_is_better in (
            ("match_s", "`creatormatch match --json`, fresh process, s (median)", True),
            ("ready_s", "`creatormatch serve` to first 200 from /readyz, s (median of 3)", True),
            ("shortlist_bps", f"`creatormatch shortlist`, {brands} brands, whole command, brands/s", False),
            ("short_ms", "one short query, ms (median, in-process)", True),
            ("full_ms", "one full brief (its fields), ms (median, in-process)", True),
            ("docs_per_s", "600-character creator documents, batch, per s", False)):
        ratio = torch[key] / onnx[key] if lower_is_better else onnx[key] / torch[key]
        lines.append(f"| {label} | {onnx[key]:.2f} | {torch[key]:.2f} | {ratio:.2f}x |")
    lines.append("\n(The last column is how many times better ONNX Runtime does, whichever way is better.)")
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
