"""Encoder throughput by batch size (the `batch_size` setting) on brief fields and creator documents; appends to
RESULTS.md.

Usage: python benchmarks/bench_encoder.py [--data data/sample] [--backend onnx] [--no-record]

Texts come from a sample corpus (`creatormatch sample` writes one): the distinct fields of its brands' briefs, as
`creatormatch shortlist` encodes them, and 256 documents of 600 characters cut from its captions, as the build
encodes creator documents. Each batch size is measured twice, in alternating order, and the better run is kept.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_build import machine  # noqa: E402

SIZES = (8, 16, 32, 64, 128)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample", help="a sample corpus folder")
    parser.add_argument("--backend", choices=["onnx", "torch"], default="onnx", help="encoder backend")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    from creatormatch.api_models import brand_request
    from creatormatch.config import Settings
    from creatormatch.encoder import encoder_from_settings
    from creatormatch.text import brief_fields

    brands = pl.read_parquet(args.data / "brands.parquet").to_dicts()
    fields = list(dict.fromkeys(text for brand in brands
                                for text, _ in brief_fields(**brand_request(brand).brief.model_dump())))
    captions = pl.read_parquet(args.data / "posts.parquet").get_column("caption").drop_nulls().to_list()
    documents = [" ".join(captions[i * 30:(i + 1) * 30])[:600] for i in range(256)]
    best: dict[int, tuple[float, float]] = {}
    for order in (SIZES, SIZES[::-1]):
        for size in order:
            encoder = encoder_from_settings(Settings(batch_size=size, encoder_backend=args.backend))
            encoder.encode(fields[:32])
            started = time.perf_counter()
            encoder.encode(fields)
            middle = time.perf_counter()
            encoder.encode(documents)
            rates = (len(fields) / (middle - started), len(documents) / (time.perf_counter() - middle))
            old = best.get(size, (0.0, 0.0))
            best[size] = (max(old[0], rates[0]), max(old[1], rates[1]))
    for size in SIZES:
        print(f"batch {size}: {best[size][0]:.0f} brief fields/s, {best[size][1]:.1f} documents/s")
    if args.no_record:
        return
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — encoder throughput by batch size ({args.backend})", "",
             f"- machine: {machine()}",
             f"- command: `python benchmarks/bench_encoder.py --backend {args.backend} --data {args.data}`",
             f"- texts: {len(fields)} distinct brief fields of {len(brands)} brands; 256 documents of 600 characters",
             "", "| batch_size | brief fields/s | documents/s |", "| --- | --- | --- |"]
    lines += [f"| {size} | {best[size][0]:.0f} | {best[size][1]:.1f} |" for size in SIZES]
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
