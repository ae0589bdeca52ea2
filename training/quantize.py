"""int8 for query paths and, opt-in, the build: the ONNX export rescaled SmoothQuant-style, its weights quantised
per channel and its activations with frozen (calibrated) scales.

Plain dynamic int8 of all-MiniLM-L6-v2 moved some vectors to cosine 0.97 of fp32 (RESULTS.md, 05:40 UTC): a few
activation channels are far larger than the rest, and activations are quantised per tensor. SmoothQuant (Xiao et
al. 2023) moves that range into the weights, which are quantised per channel: for each MatMul with a constant
weight W[K, N] and input X[..., K],

    s_k = max|X_k| ** ALPHA / max_n |W_kn| ** (1 - ALPHA),   X @ W == (X / s) @ (diag(s) W)

exact in fp32 (a Mul node before the op). The activation maxima come from CALIBRATION texts: the sample generator's
bios, captions and briefs under its own seed (never the parity set's) and a few lines of other scripts. Only
those ops are quantised, and not the first layer's feed-forward output (it alone cost most of the margin): the
embedding table stays fp32. The result is kept only if every text of a check set encodes at cosine >=
INT8_MIN_COSINE to the fp32 export.

Activation scales are then frozen (`_freeze_scales`): quantize_dynamic computes each activation's scale over the
whole forward pass, padding included, so a text's vector depended on the texts batched with it (cosine down to
0.993 to itself alone), and a brief ranked differently next to other requests' texts. Each of its
DynamicQuantizeLinear nodes becomes a QuantizeLinear with the range its input took over calibration texts, one
text a pass, so a text encodes the same in any batch, as in fp32. The calibration adds long runs of each other
script's line (without them, long Chinese and Korean runs fell to cosine 0.985). Values past a range are clipped;
the check set (twelve scripts, texts past the token limit, emoji) measures what that costs on its own texts only.

Recipe 3 (2026-11-23) keeps the fused Attention ops (their q, k and v projections) in fp32. On a CPU without VNNI
(AVX2 only, as these machines turned out to be that day) onnxruntime's uint8 x int8 kernels sum pairs of products
in saturating 16-bit lanes (a MatMulInteger of random full-range values was off by up to 94,106), and recipe 2's
worst cosine fell from 0.994 to 0.986, below the gate. QAttention alone cost most of it: with attention in fp32 the
worst cosine is 0.9939 there. int8 activations would be exact (0.9947 with attention in fp32) but onnxruntime runs
int8 x int8 on AVX2 at 0.44x fp32's speed, against 1.19x for this recipe (600-character texts, one process, in
turn); QAttention has no int8-input kernel.

Made by offline commands only (`creatormatch model export --int8`, or a build with encoder_precision or
build_precision int8), never by a query path: serve workers would race to make it and every start would pay for a
model that fails its check.
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Container, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from creatormatch.encoder import EncoderError, file_sha256
from creatormatch.onnx_encoder import (
    INT8_FILE,
    INT8_LOCK,
    INT8_MIN_COSINE,
    ONNX_FILE,
    PARITY_TEXTS,
    OnnxEncoder,
    OnnxExport,
    int8_kernels,
    int8_record,
    read_int8,
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


def ensure_int8(export: OnnxExport, cache_dir: Path) -> Path:
    """The export's int8 model, checked on this machine: the one already made (checked here now if it was checked
    only elsewhere), or made now. One process makes or checks it at a time (a lock file in the export's folder);
    the others wait and then find it.

    Raises:
        EncoderError: it cannot be made or checked (an unwritable folder, a graph the quantiser does not handle,
            a model this machine's onnxruntime cannot run) or fails its check; a failed new model is not kept.
    """
    record = int8_record(export, cache_dir)
    if record is not None and record["checks"].get(int8_kernels(), 0.0) >= INT8_MIN_COSINE:
        return export.folder / INT8_FILE
    try:
        with (export.folder / INT8_LOCK).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            record = int8_record(export, cache_dir)
            if record is None:
                return quantize_export(export)
            if int8_kernels() not in record["checks"]:
                _check_here(export, record)
            found = read_int8(export, cache_dir)
            if found is None:
                raise EncoderError(f"the int8 model in {export.folder} failed its check on this machine "
                                   f"({int8_kernels()}: worst cosine {record['checks'].get(int8_kernels(), 0):.4f} "
                                   f"to fp32, at least {INT8_MIN_COSINE} wanted); use fp32 here")
            return export.folder / found
    except OSError as exc:
        raise EncoderError(f"cannot make the int8 model in {export.folder}, or record its check on this machine "
                           f"there: {exc} (run it as the user who owns the model cache)") from exc


def _check_here(export: OnnxExport, record: dict[str, Any]) -> None:
    """Check an int8 model made or checked on another machine (other int8 kernels) here, and record the result,
    passed or not, so that it is checked once per machine."""
    try:
        worst, text, texts = _worst_cosine(export, export.folder / INT8_FILE)
    except Exception as exc:  # onnxruntime raises its own types for a model it cannot run here
        raise EncoderError(f"cannot check the int8 model in {export.folder} on this machine ({type(exc).__name__}: "
                           f"{exc}); use fp32 here") from exc
    logger.info("int8 model checked on this machine (%s): worst cosine %.4f to fp32 over %d texts%s",
                int8_kernels(), worst, texts, "" if worst >= INT8_MIN_COSINE else f", at {text[:60]!r}: not used here")
    made_worst = float(record.get("worst_cosine", worst))
    write_int8_meta(export, str(record["int8_sha256"]), made_worst, int(record.get("check_texts", texts)),
                    record["checks"], here=worst)
    record["checks"][int8_kernels()] = round(worst, 6)


def _worst_cosine(export: OnnxExport, model: Path) -> tuple[float, str, int]:
    """The lowest cosine between the int8 model's and fp32's vectors over the check set, the text it was
    measured on, and how many texts were checked."""
    check = list(PARITY_TEXTS) + sample_texts(CHECK_SEED, 600)
    reference = OnnxEncoder(export).encode(check)
    got = OnnxEncoder(export, model_file=model.name).encode(check)
    cosine = np.sum(got * reference, axis=1)
    worst = int(np.argmin(cosine))
    return float(cosine[worst]), check[worst], len(check)


def quantize_export(export: OnnxExport) -> Path:
    """Make `INT8_FILE` beside the export, check it, and record its sha256 and worst cosine (ensure_int8 is the
    entry point: it holds the lock).

    Returns:
        The int8 model's path.

    Raises:
        EncoderError: the export cannot be rescaled or quantised, or the result fails the check (nothing is kept).
    """
    made: list[Path] = []
    quiet = _QuantiserLines()
    try:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic

        calibration = sample_texts(CALIBRATION_SEED, 400) + list(OTHER_SCRIPTS)
        # Long texts in other scripts widen the frozen activation ranges to what such texts reach.
        ranges = calibration + [(line + " ") * 40 for line in OTHER_SCRIPTS] + [" ".join(OTHER_SCRIPTS)]
        for suffix in (".smoothed.onnx", ".int8.onnx"):
            made.append(_scratch(export.folder, suffix))  # recorded one by one: removed even if the next fails
        smoothed, target = made
        model = onnx.load(str(export.folder / ONNX_FILE))
        to_quantize = _smooth(model, _activation_max(model, export, calibration))
        onnx.save(model, str(smoothed))
        logging.getLogger().addFilter(quiet)  # the quantiser logs a line per tensor on the root logger
        quantize_dynamic(str(smoothed), str(target), weight_type=QuantType.QInt8, per_channel=True,
                         reduce_range=False, nodes_to_quantize=to_quantize,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        quantised = onnx.load(str(target))
        _freeze_scales(quantised, export, ranges)
        onnx.save(quantised, str(target))
        worst, text, texts = _worst_cosine(export, target)
        if not worst >= INT8_MIN_COSINE:
            raise EncoderError(f"the int8 model encodes {text[:60]!r} at cosine {worst:.4f} to fp32 "
                               f"(at least {INT8_MIN_COSINE} wanted); not kept")
        final = export.folder / INT8_FILE
        target.chmod(0o644)  # mkstemp makes it private; other users of the cache (a service account) read it
        os.replace(target, final)
        write_int8_meta(export, file_sha256(final), worst, texts)
        logger.info("int8 model made: worst cosine %.4f to fp32 over %d texts", worst, texts)
        return final
    except EncoderError:
        raise
    except Exception as exc:  # onnx and the quantiser raise their own types for a graph they cannot handle
        raise EncoderError(f"cannot quantise {export.folder / ONNX_FILE} to int8 "
                           f"({type(exc).__name__}: {exc})") from exc
    finally:
        logging.getLogger().removeFilter(quiet)
        for path in made:
            path.unlink(missing_ok=True)


def _scratch(folder: Path, suffix: str) -> Path:
    """A file of this process's own in the folder (two makers never share one)."""
    fd, name = tempfile.mkstemp(prefix=".quantize-", suffix=suffix, dir=folder)
    os.close(fd)
    return Path(name)


class _QuantiserLines(logging.Filter):
    """Drops the records onnxruntime's quantiser logs on the root logger (a line per tensor); other records pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname or "quantization" not in record.pathname


def _is_target(node: Any, constants: Container[str]) -> bool:
    """A MatMul node whose weight (second input) is a constant. Not the fused Attention (recipe 3, above)."""
    return node.op_type == "MatMul" and len(node.input) > 1 and node.input[1] in constants


def _targets(model: Any) -> Iterator[Any]:
    """The target nodes of the graph (_is_target)."""
    constants = {i.name for i in model.graph.initializer}
    return (node for node in model.graph.node if _is_target(node, constants))


def _intermediates(model: Any, export: OnnxExport, names: Sequence[str], texts: Sequence[str],
                   batch_size: int) -> Iterator[tuple[dict[str, Any], dict[str, np.ndarray]]]:
    """Run the texts through a copy of the graph that also outputs the tensors `names`: each forward pass's feeds
    and those tensors' values (the model itself is not changed)."""
    import onnx
    import onnxruntime

    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for name in names:
        probe.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(probe.SerializeToString(), options, providers=["CPUExecutionProvider"])
    outputs = [o.name for o in session.get_outputs()]
    for _, feeds in OnnxEncoder(export, batch_size=batch_size).batches(texts):
        yield feeds, dict(zip(outputs, session.run(None, {n: feeds[n] for n in export.inputs}), strict=True))


def _activation_max(model: Any, export: OnnxExport, texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Each target input's largest absolute value per channel over the texts' real (unpadded) tokens."""
    names = sorted({node.input[0] for node in _targets(model)})
    largest: dict[str, np.ndarray] = {}
    for feeds, values in _intermediates(model, export, names, texts, batch_size=32):
        real = feeds["attention_mask"].astype(bool)
        for name in names:
            batch_max = np.abs(values[name][real]).max(axis=0)
            largest[name] = np.maximum(largest[name], batch_max) if name in largest else batch_max
    return largest


def _freeze_scales(model: Any, export: OnnxExport, texts: Sequence[str]) -> None:
    """Replace every DynamicQuantizeLinear of a quantize_dynamic graph, in place, by a QuantizeLinear with a fixed
    uint8 scale and zero point: the range its input took over the texts, one text a pass (no padding), widened to
    hold 0 as DynamicQuantizeLinear's range does."""
    import onnx
    from onnx import numpy_helper

    names = [node.input[0] for node in model.graph.node if node.op_type == "DynamicQuantizeLinear"]
    low = dict.fromkeys(names, 0.0)
    high = dict(low)
    for _, values in _intermediates(model, export, names, texts, batch_size=1):
        for name in names:
            low[name] = min(low[name], float(values[name].min()))
            high[name] = max(high[name], float(values[name].max()))
    nodes = []
    for node in model.graph.node:
        if node.op_type == "DynamicQuantizeLinear":
            name, (quantised, scale_name, zero_name) = node.input[0], node.output
            scale = np.float32((high[name] - low[name]) / 255.0)
            zero = np.uint8(np.clip(np.round(-low[name] / scale), 0, 255)) if scale > 0 else np.uint8(0)
            scale = scale if scale > 0 else np.float32(1.0)  # an input that was always 0 stays 0
            model.graph.initializer.extend([numpy_helper.from_array(np.array(scale), scale_name),
                                            numpy_helper.from_array(np.array(zero), zero_name)])
            node = onnx.helper.make_node("QuantizeLinear", [name, scale_name, zero_name], [quantised],
                                         name=f"{node.name}_frozen")
        nodes.append(node)
    del model.graph.node[:]
    model.graph.node.extend(nodes)


def _smooth(model: Any, largest: dict[str, np.ndarray]) -> list[str]:
    """Rescale every target in place (weights times s, a Mul by 1/s before the op) and return the names of the
    nodes to quantise: every target but the first feed-forward output (the first weight that narrows, K > N).
    Nothing else is quantised (the embedding table, Gather and activation-by-activation MatMuls stay fp32). A
    weight used by more than one op is quantised but not rescaled (one scale cannot suit every input)."""
    import onnx
    from onnx import numpy_helper

    graph = model.graph
    constants = {i.name: i for i in graph.initializer}
    uses = Counter(name for node in graph.node for name in node.input)
    narrowing_kept = False
    to_quantize, nodes = [], []
    for node in graph.node:
        if _is_target(node, constants):
            weight = numpy_helper.to_array(constants[node.input[1]])
            if node.op_type == "MatMul" and weight.shape[0] > weight.shape[1] and not narrowing_kept:
                narrowing_kept = True  # left fp32 (it alone cost most of the margin)
            else:
                to_quantize.append(node.name)
            if uses[node.input[1]] == 1:
                scale = (np.maximum(largest[node.input[0]], 1e-5) ** ALPHA
                         / np.maximum(np.abs(weight).max(axis=1), 1e-5) ** (1 - ALPHA))
                scale = np.clip(scale, 1e-2, 1e2).astype(np.float32)
                constants[node.input[1]].CopyFrom(
                    numpy_helper.from_array((weight * scale[:, None]).astype(np.float32), node.input[1]))
                inverse = f"{node.name}_smooth_inverse"
                graph.initializer.append(numpy_helper.from_array((1.0 / scale).astype(np.float32), inverse))
                smoothed = f"{node.input[0]}__smoothed_for_{node.name}"
                nodes.append(onnx.helper.make_node("Mul", [node.input[0], inverse], [smoothed],
                                                   name=f"{node.name}_smooth"))
                node.input[0] = smoothed
        nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    return to_quantize
