"""Does onnxruntime's dynamic int8 quantisation keep the vectors? Cosine to the fp32 export and speed; appends to
RESULTS.md.

Usage: python benchmarks/bench_quantize.py [--no-record]

Quantises the cached fp32 export (weights int8, per tensor and per channel, and the shipped SmoothQuant recipe of
training/quantize.py) into a temporary folder, encodes the
parity set of tests/core/test_onnx_encoder.py (over 1,000 varied texts) with each, and prints the worst, 1st
percentile and mean cosine to fp32, with texts a second. The project keeps a quantised model as an option only if
the worst cosine is at least 0.99 (and then only if quality on real data holds).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_build import machine  # noqa: E402

GATE = 0.99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from creatormatch.config import Settings
    from creatormatch.encoder import encoder_from_settings
    from creatormatch.onnx_encoder import INT8_FILE, INT8_META_FILE, ONNX_FILE, TOKENIZER_FILE, OnnxEncoder
    from tests.core.test_onnx_encoder import parity_texts
    from training.quantize import ensure_int8

    base = encoder_from_settings(Settings(encoder_backend="onnx"))
    assert isinstance(base, OnnxEncoder)
    texts = parity_texts()
    started = time.perf_counter()
    reference = base.encode(texts)
    rows = [("fp32 (the export)", 1.0, 1.0, 1.0, len(texts) / (time.perf_counter() - started))]

    def measure(label: str, encoder: OnnxEncoder) -> None:
        """Time the parity set through one quantised model and compare its vectors with fp32's."""
        encoder.encode(["warm-up"])
        started = time.perf_counter()
        vectors = encoder.encode(texts)
        speed = len(texts) / (time.perf_counter() - started)
        cosine = np.sum(vectors * reference, axis=1)
        rows.append((label, float(cosine.min()), float(np.percentile(cosine, 1)), float(cosine.mean()), speed))

    with tempfile.TemporaryDirectory() as tmp:
        for label, per_channel in (("int8, per tensor", False), ("int8, per channel", True)):
            folder = Path(tmp) / label.replace(" ", "").replace(",", "-")
            folder.mkdir()
            shutil.copy(base.export.folder / TOKENIZER_FILE, folder / TOKENIZER_FILE)
            quantize_dynamic(str(base.export.folder / ONNX_FILE), str(folder / ONNX_FILE),
                             weight_type=QuantType.QInt8, per_channel=per_channel,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})  # the fused graph needs it
            measure(label, OnnxEncoder(dataclasses.replace(base.export, folder=folder)))
        # What encoder_precision=int8 ships: SmoothQuant rescaling first, two nodes kept fp32 (training/quantize.py).
        folder = Path(tmp) / "smoothquant"
        shutil.copytree(base.export.folder, folder, ignore=shutil.ignore_patterns(INT8_FILE, INT8_META_FILE))
        export = dataclasses.replace(base.export, folder=folder)
        measure("SmoothQuant + int8 per channel, frozen activation scales (the int8 setting)",
                OnnxEncoder(export, model_file=ensure_int8(export, Path(tmp)).name))
    for label, worst, p1, mean, speed in rows:
        print(f"{label}: worst cosine {worst:.4f}, 1st percentile {p1:.4f}, mean {mean:.4f}, {speed:.0f} texts/s")
    if args.no_record:
        return
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — int8 quantisation of the ONNX export", "",
             f"- machine: {machine()}", "- command: `python benchmarks/bench_quantize.py`",
             f"- parity set: {len(texts)} texts (tests/core/test_onnx_encoder.py); gate: worst cosine >= {GATE}", "",
             "| model | worst cosine to fp32 | 1st percentile | mean | texts/s (parity set) | passes the gate |",
             "| --- | --- | --- | --- | --- | --- |"]
    for label, worst, p1, mean, speed in rows:
        lines.append(f"| {label} | {worst:.4f} | {p1:.4f} | {mean:.4f} | {speed:.0f} | "
                     f"{'yes' if worst >= GATE else 'no'} |")
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
