"""int8 for query paths: the ONNX export rescaled SmoothQuant-style, then quantised dynamically per channel.

Plain dynamic int8 of all-MiniLM-L6-v2 moved some vectors to cosine 0.97 of fp32 (RESULTS.md, 05:40 UTC): a few
activation channels are far larger than the rest, and activations are quantised per tensor. SmoothQuant (Xiao et
al. 2023) moves that range into the weights, which are quantised per channel: for each MatMul or Attention with a
constant weight W[K, N] and input X[..., K],

    s_k = max|X_k| ** ALPHA / max_n |W_kn| ** (1 - ALPHA),   X @ W == (X / s) @ (diag(s) W)

exact in fp32 (a Mul node before the op). The activation maxima come from CALIBRATION texts: the sample generator's
bios, captions and briefs under its own seed (never the parity set's) and a few lines of other scripts. The
embedding table and the first layer's feed-forward output stay fp32 (either alone cost most of the margin). The
result is kept only if every text of a check set encodes at cosine >= INT8_MIN_COSINE to the fp32 export.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from creatormatch.encoder import EncoderError, file_sha256
from creatormatch.onnx_encoder import (
    INT8_FILE,
    INT8_MIN_COSINE,
    ONNX_FILE,
    PARITY_TEXTS,
    OnnxEncoder,
    OnnxExport,
    write_int8_meta,
)

logger = logging.getLogger(__name__)

ALPHA = 0.7  # 0.7-0.8 kept the most; 0.3 broke the model, 0.9 lost 0.007 of the worst cosine
CALIBRATION_SEED = 123
CHECK_SEED = 5
OTHER_SCRIPTS = (
    "Recetas veganas fáciles para la semana", "Rezepte für Anfänger", "Казахская кухня дома", "韓国コスメのレビュー",
    "빠른 아침 식사 아이디어", "ฟิตเนสที่บ้าน", "योग अभ्यास सुबह", "تمارين منزلية", "מוזיקה חיה", "Ελληνική κουζίνα",
    "🔥🔥🔥", "ok", "LOL", "!!!", "#ad #sponsored", "www.example.com/shop?id=42",
)


def sample_texts(seed: int, limit: int) -> list[str]:
    """Bios, captions, brief fields and long caption runs from the sample generator under `seed`."""
    from training.sample import generate_sample

    corpus = generate_sample(60, seed=seed)
    captions = [t for t in corpus.posts.get_column("caption").to_list() if t]
    texts = [t for t in corpus.creators.get_column("bio").to_list() if t][:120] + captions[:150]
    for brand in corpus.brands.head(30).iter_rows(named=True):
        texts += [brand["name"], brand["product"], brand["audience"], brand["values"], ", ".join(brand["keywords"])]
    texts += [" ".join(captions[i:i + 20]) for i in range(150, 350, 20)]  # past the token limit
    return [str(t) for t in texts][:limit]


def quantize_export(export: OnnxExport) -> Path:
    """Make `INT8_FILE` beside the export, check it, and record its sha256 and worst cosine.

    Returns:
        The int8 model's path.

    Raises:
        EncoderError: the export cannot be rescaled or quantised, or the result fails the check (nothing is kept).
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    calibration = sample_texts(CALIBRATION_SEED, 400) + list(OTHER_SCRIPTS)
    check = list(PARITY_TEXTS) + sample_texts(CHECK_SEED, 600)
    fd, scratch = tempfile.mkstemp(suffix=".onnx", dir=export.folder)
    os.close(fd)
    smoothed = Path(scratch)
    target = export.folder / f".{INT8_FILE}.partial"
    try:
        model = onnx.load(str(export.folder / ONNX_FILE))
        keep_fp32 = _smooth(model, _activation_max(model, export, calibration))
        onnx.save(model, str(smoothed))
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # the quantiser logs a line per tensor on the root logger
        try:
            quantize_dynamic(str(smoothed), str(target), weight_type=QuantType.QInt8, per_channel=True,
                             reduce_range=False, nodes_to_exclude=keep_fp32,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        finally:
            root.setLevel(level)
        reference = OnnxEncoder(export, threads=0).encode(check)
        got = OnnxEncoder(export, threads=0, model_file=target.name).encode(check)
        cosine = np.sum(got * reference, axis=1)
        worst = int(np.argmin(cosine))
        if not cosine[worst] >= INT8_MIN_COSINE:
            raise EncoderError(f"the int8 model encodes {check[worst][:60]!r} at cosine {cosine[worst]:.4f} to fp32 "
                               f"(at least {INT8_MIN_COSINE} wanted); keeping fp32")
        final = export.folder / INT8_FILE
        os.replace(target, final)
        write_int8_meta(export, file_sha256(final), float(cosine[worst]), len(check))
        logger.info("int8 model made: worst cosine %.4f to fp32 over %d texts", cosine[worst], len(check))
        return final
    except EncoderError:
        raise
    except Exception as exc:  # onnx and the quantiser raise their own types for a graph they cannot handle
        raise EncoderError(f"cannot quantise {export.folder / ONNX_FILE} to int8 "
                           f"({type(exc).__name__}: {exc})") from exc
    finally:
        smoothed.unlink(missing_ok=True)
        target.unlink(missing_ok=True)


def _targets(model: Any) -> Iterator[Any]:
    """The MatMul and Attention nodes whose weight (second input) is a constant."""
    constants = {i.name for i in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type in ("MatMul", "Attention") and len(node.input) > 1 and node.input[1] in constants:
            yield node


def _activation_max(model: Any, export: OnnxExport, texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Each target input's largest absolute value per channel over the texts' real (unpadded) tokens."""
    import onnx
    import onnxruntime

    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    names = sorted({node.input[0] for node in _targets(probe)})
    for name in names:
        probe.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(probe.SerializeToString(), options, providers=["CPUExecutionProvider"])
    outputs = [o.name for o in session.get_outputs()]
    encoder = OnnxEncoder(export)
    tokenizer = encoder.tokenizer()
    largest: dict[str, np.ndarray] = {}
    for start in range(0, len(texts), 32):
        encodings = tokenizer.encode_batch([t.strip().lower() if export.do_lower_case else t.strip()
                                            for t in texts[start:start + 32]])
        width = max(len(e.ids) for e in encodings)
        feeds = {name: np.zeros((len(encodings), width), dtype=np.int64)
                 for name in ("input_ids", "attention_mask", "token_type_ids")}
        for i, encoding in enumerate(encodings):
            n = len(encoding.ids)
            feeds["input_ids"][i, :n] = encoding.ids
            feeds["attention_mask"][i, :n] = 1
            feeds["token_type_ids"][i, :n] = encoding.type_ids
        real = feeds["attention_mask"].astype(bool)
        values = dict(zip(outputs, session.run(None, {n: feeds[n] for n in export.inputs}), strict=True))
        for name in names:
            batch_max = np.abs(values[name][real]).max(axis=0)
            largest[name] = np.maximum(largest[name], batch_max) if name in largest else batch_max
    return largest


def _smooth(model: Any, largest: dict[str, np.ndarray]) -> list[str]:
    """Rescale every target in place (weights times s, a Mul by 1/s before the op) and return the nodes to keep
    fp32: the embedding layer and the first feed-forward output (the first weight that narrows, K > N)."""
    import onnx
    from onnx import numpy_helper

    graph = model.graph
    constants = {i.name: i for i in graph.initializer}
    keep = [n.name for n in graph.node if n.op_type == "EmbedLayerNormalization"]
    narrowing_kept, scaled = False, set()
    nodes = []
    for node in graph.node:
        if (node.op_type in ("MatMul", "Attention") and len(node.input) > 1 and node.input[1] in constants
                and node.input[1] not in scaled):  # a weight shared by two ops is scaled for the first only
            scaled.add(node.input[1])
            weight = numpy_helper.to_array(constants[node.input[1]])
            if node.op_type == "MatMul" and weight.shape[0] > weight.shape[1] and not narrowing_kept:
                keep.append(node.name)
                narrowing_kept = True
            scale = (np.maximum(largest[node.input[0]], 1e-5) ** ALPHA
                     / np.maximum(np.abs(weight).max(axis=1), 1e-5) ** (1 - ALPHA))
            scale = np.clip(scale, 1e-2, 1e2).astype(np.float32)
            constants[node.input[1]].CopyFrom(numpy_helper.from_array((weight * scale[:, None]).astype(np.float32),
                                                                      node.input[1]))
            inverse = f"{node.name}_smooth_inverse"
            graph.initializer.append(numpy_helper.from_array((1.0 / scale).astype(np.float32), inverse))
            smoothed = f"{node.input[0]}__smoothed_for_{node.name}"
            nodes.append(onnx.helper.make_node("Mul", [node.input[0], inverse], [smoothed], name=f"{node.name}_smooth"))
            node.input[0] = smoothed
        nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    return keep
