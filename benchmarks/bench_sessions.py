"""Documents a second for the build's encoder: one onnxruntime session with a thread per core against one session
per core with one thread each (`encoder_sessions`), alternating in one process; appends to RESULTS.md.

Usage: python benchmarks/bench_sessions.py [--precision int8] [--docs 1024] [--rounds 6] [--no-record]

The documents are the sample generator's creators, each one's captions joined and cut to 600 characters (the
build's `creator_doc_chars`). Each round encodes all of them with both encoders, in turns that alternate, so the
machine's drift falls on both; the ratio is judged per round and by the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_build import machine  # noqa: E402


def main() -> None:
    import polars as pl

    from creatormatch.config import Settings
    from creatormatch.encoder import encoder_from_settings
    from creatormatch.onnx_encoder import OnnxEncoder
    from training.sample import generate_sample

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--precision", choices=["fp32", "int8"], default="int8", help="the build's precision")
    parser.add_argument("--docs", type=int, default=1024, help="documents encoded per round and encoder")
    parser.add_argument("--rounds", type=int, default=6, help="rounds")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    sample = generate_sample(max(50, args.docs * 6 // 5), seed=3)
    joined = sample.posts.group_by("creator_id", maintain_order=True).agg(pl.col("caption").str.join(" "))
    docs = [text[:600] for text in joined.get_column("caption").to_list()][: args.docs]
    cores = len(os.sched_getaffinity(0))
    base = encoder_from_settings(Settings(build_precision=args.precision, encoder_sessions=1), encode_only=True)
    assert isinstance(base, OnnxEncoder), "the ONNX export is needed (creatormatch model export)"
    one = OnnxEncoder(base.export, threads=0, spin_wait=True, model_file=base.model_file)
    many = OnnxEncoder(base.export, threads=1, spin_wait=True, model_file=base.model_file, sessions=cores)
    for encoder in (one, many):
        encoder.encode(docs[:128])  # sessions made, first passes run
    rates: dict[str, list[float]] = {"one": [], "many": []}
    for round_ in range(args.rounds):
        turns = [("one", one), ("many", many)]
        for name, encoder in turns if round_ % 2 == 0 else turns[::-1]:
            started = time.perf_counter()
            encoder.encode(docs)
            rates[name].append(len(docs) / (time.perf_counter() - started))
        print(f"round {round_}: one session {rates['one'][-1]:.1f} documents/s, {cores} sessions "
              f"{rates['many'][-1]:.1f}", flush=True)
    difference = float(np.abs(one.encode(docs[:200]) - many.encode(docs[:200])).max())
    ratios = [b / a for a, b in zip(rates["one"], rates["many"], strict=True)]
    median_one, median_many = statistics.median(rates["one"]), statistics.median(rates["many"])
    print(f"median: one session {median_one:.1f}, {cores} sessions {median_many:.1f} documents/s, ratio "
          f"{median_many / median_one:.3f} (rounds {min(ratios):.3f}-{max(ratios):.3f}); largest difference "
          f"between their vectors {difference:.1e}")
    if args.no_record:
        return
    load = os.getloadavg()[0]
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — the build's encoder: one session or one per core", "",
             f"- machine: {machine()}; load average (1 min) at the end {load:.2f}",
             f"- command: `python benchmarks/bench_sessions.py --precision {args.precision} --docs {len(docs)} "
             f"--rounds {args.rounds}` (600-character documents, the encoders in turn)", "",
             f"| round | one session, {cores} threads: documents/s | {cores} sessions, 1 thread each | ratio |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {i} | {a:.1f} | {b:.1f} | {b / a:.3f} |"
              for i, (a, b) in enumerate(zip(rates["one"], rates["many"], strict=True))]
    lines += [f"| median | {median_one:.1f} | {median_many:.1f} | {median_many / median_one:.3f} |", "",
              f"- largest difference between the two encoders' vectors: {difference:.1e}"]
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
