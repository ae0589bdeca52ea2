"""The fast encoder: the sentence-transformers model exported once to ONNX, run with onnxruntime and tokenizers.

Query paths (serve, match, search, shortlist) import neither torch nor transformers: onnxruntime and tokenizers
load in a fraction of a second. The export is made from the model folder's own weights with torch (no download),
the first time a build or a command needs it, checked against sentence-transformers on a set of texts before it
is kept, and cached in its own folder beside a `meta.json` that records both hashes.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import platform
import shutil
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from creatormatch.encoder import EncoderError, Vectors, file_sha256, remembered_sha256, weights_sha256

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

logger = logging.getLogger(__name__)

EXPORT_FORMAT = 2  # 2: attention and layer norms fused where onnxruntime's optimizer knows the model
ONNX_FILE = "model.onnx"
INT8_FILE = "model.int8.onnx"  # made by offline commands (training/quantize.py), used by query paths only
INT8_META_FILE = "int8.json"
INT8_LOCK = ".int8.lock"
# The recipe (training/quantize.py); a file made by another recipe is not used. 2: activation scales frozen.
# 3: attention left fp32 (its uint8 kernel lost precision on CPUs without VNNI).
INT8_FORMAT = 3
INT8_MIN_COSINE = 0.99  # every text of the check set, against the fp32 export
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "meta.json"
HASH_MEMO = "sha256-memo.json"
EXPORT_WORK_PREFIX = ".onnx-export-"  # then the exporting process's id: `.onnx-export-<pid>-<random>`
OPSET = 17
PARITY_MIN_COSINE = 0.9999
# What one forward pass costs beyond its tokens, in tokens: a pass over 3 tokens took as long as about 12 tokens'
# worth of a long one (session overhead, thread hand-off), on these 2 cores with onnxruntime 1.x. Used to split a
# call's texts into passes (`length_batches`): padding a short text to a long one's width costs more than a pass.
PASS_OVERHEAD_TOKENS = 10

Ints = npt.NDArray[np.int64]
# Checked at export: the export is kept only if every one of these encodes like sentence-transformers does.
PARITY_TEXTS = (
    "dog toys", "vegan skincare for sensitive skin, cruelty-free and honest about sponsorships",
    "Trail running shoes for beginners | gear review | ultramarathon training week 3 " * 12, "🐶🐾✨", "",
    "การทำอาหารไทยง่ายๆ ที่บ้าน", "घर पर आसान भारतीय खाना", "日本のストリートフード", "Ünïcödé çafé crème brûlée",
    "   leading and trailing spaces   ", "UPPER CASE BRIEF FOR A BRAND", "1234567890 $%^&*()",
)


@dataclass(frozen=True)
class OnnxExport:
    """One cached export: where it is and what it was made from."""

    folder: Path
    model_name: str
    weights_sha256: str
    onnx_sha256: str
    dimension: int
    max_seq_length: int
    inputs: tuple[str, ...]
    do_lower_case: bool
    format: int = EXPORT_FORMAT
    fused: bool = False  # attention, layer norms and GELU fused by onnxruntime's transformer optimizer
    # sha256 of tokenizer.json; "" in an export made before it was recorded (its tokenizer is then not checked).
    tokenizer_sha256: str = ""

    def meta(self) -> dict[str, Any]:
        """What meta.json holds (everything but the folder)."""
        data = asdict(self)
        data.pop("folder")
        data["inputs"] = list(self.inputs)
        return data


def export_folder(cache_dir: Path, weights: str) -> Path:
    """Where the export of the weights with this sha256 lives."""
    return cache_dir / f"onnx-{weights[:16]}"


def read_export(cache_dir: Path, weights: str, verify: bool = True) -> OnnxExport | None:
    """The cached export of these weights, or None when there is none or it is damaged (a log line says which).

    Args:
        cache_dir: the model cache folder.
        weights: sha256 of the model weights.
        verify: compare the sha256 of model.onnx and tokenizer.json with meta.json (hashed again whenever a
            file's size, time or inode changed since the last check, see remembered_sha256).
    """
    folder = export_folder(cache_dir, weights)
    meta_path = folder / META_FILE
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        export = OnnxExport(folder=folder, model_name=str(meta["model_name"]),
                            weights_sha256=str(meta["weights_sha256"]), onnx_sha256=str(meta["onnx_sha256"]),
                            dimension=int(meta["dimension"]), max_seq_length=int(meta["max_seq_length"]),
                            inputs=tuple(str(i) for i in meta["inputs"]), do_lower_case=bool(meta["do_lower_case"]),
                            format=int(meta["format"]), fused=bool(meta.get("fused", False)),
                            tokenizer_sha256=str(meta.get("tokenizer_sha256", "")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logger.warning("ignoring the ONNX export in %s: unreadable %s (%s)", folder, META_FILE, exc)
        return None
    problem = None
    if export.format != EXPORT_FORMAT or export.weights_sha256 != weights:
        problem = "made by another version or from other weights"
    elif not (folder / TOKENIZER_FILE).is_file() or not (folder / ONNX_FILE).is_file():
        problem = f"{ONNX_FILE} or {TOKENIZER_FILE} is missing"
    elif verify and remembered_sha256(folder / ONNX_FILE, cache_dir / HASH_MEMO) != export.onnx_sha256:
        problem = f"{ONNX_FILE} does not match the sha256 in {META_FILE}"
    elif (verify and export.tokenizer_sha256
          and remembered_sha256(folder / TOKENIZER_FILE, cache_dir / HASH_MEMO) != export.tokenizer_sha256):
        problem = f"{TOKENIZER_FILE} does not match the sha256 in {META_FILE}"
    if problem:
        logger.warning("ignoring the ONNX export in %s: %s", folder, problem)
        return None
    return export


# CPU features that choose onnxruntime's integer kernels (x86 VNNI and AMX, Arm's dot product and int8 matrix
# multiply). On AVX2 without VNNI its uint8 x int8 kernels saturate 16-bit sums where VNNI's do not, so a check
# passed on one CPU says little about another.
INT8_KERNEL_FLAGS = ("avx2", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8", "asimddp", "i8mm")


@functools.cache
def int8_kernels() -> str:
    """What picks the int8 kernels here: onnxruntime's version, the architecture and the CPU's integer features
    (from /proc/cpuinfo; `unknown` where it cannot be read). The int8 model is used only where it was checked
    under the same string."""
    import onnxruntime

    flags: set[str] = set()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            name, _, values = line.partition(":")
            if name.strip() in ("flags", "Features"):
                flags.update(values.split())
    except OSError:
        pass
    present = "+".join(f for f in INT8_KERNEL_FLAGS if f in flags) or "unknown"
    return f"onnxruntime {onnxruntime.__version__} {platform.machine() or 'unknown'} {present}"


def write_int8_meta(export: OnnxExport, sha256: str, worst_cosine: float, texts: int,
                    checks: dict[str, float] | None = None, here: float | None = None) -> None:
    """Record the int8 model's sha256 and how it was checked, beside it.

    Args:
        worst_cosine: the worst cosine where the model was made (and texts, how many texts were checked there).
        checks: the worst cosine measured under each int8_kernels() string so far.
        here: this machine's worst cosine, when it is not where the model was made (default worst_cosine).
    """
    checks = {**(checks or {}), int8_kernels(): round(worst_cosine if here is None else here, 6)}
    meta = {"format": INT8_FORMAT, "onnx_sha256": export.onnx_sha256, "int8_sha256": sha256,
            "worst_cosine": round(worst_cosine, 6), "check_texts": texts, "min_cosine": INT8_MIN_COSINE,
            "checks": checks}
    fd, name = tempfile.mkstemp(prefix=".int8-meta-", dir=export.folder)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(meta, handle, indent=1)
    os.chmod(name, 0o644)
    os.replace(name, export.folder / INT8_META_FILE)  # a reader sees the old record or the new one, whole


def read_int8(export: OnnxExport, cache_dir: Path) -> str | None:
    """The file name of the export's int8 model if it passed its check on a machine like this one (int8_kernels),
    or None when there is none, it does not match its record (made from another export or by another recipe, or
    damaged), or it was not checked here or failed here: a log line says which."""
    record = int8_record(export, cache_dir)
    if record is None:
        return None
    here = int8_kernels()
    worst = record["checks"].get(here)
    if worst is None:
        logger.warning("ignoring %s here: it was checked with %s, not with this machine's %s (`creatormatch model "
                       "export --int8` or an int8 build checks it here)", export.folder / INT8_FILE,
                       "; ".join(record["checks"]) or "nothing recorded", here)
        return None
    if not worst >= INT8_MIN_COSINE:
        logger.warning("ignoring %s here: it encodes at cosine %.4f to fp32 with %s (at least %s wanted)",
                       export.folder / INT8_FILE, worst, here, INT8_MIN_COSINE)
        return None
    return INT8_FILE


def int8_record(export: OnnxExport, cache_dir: Path) -> dict[str, Any] | None:
    """The export's int8 model's record (int8.json, with `checks` as a dict of machine to worst cosine), or None
    when there is no model or it does not match its record (a log line says why)."""
    path, meta_path = export.folder / INT8_FILE, export.folder / INT8_META_FILE
    if not path.is_file() or not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        recorded, made_from, recipe = str(meta["int8_sha256"]), str(meta["onnx_sha256"]), meta.get("format")
        checks = {str(k): float(v) for k, v in meta.get("checks", {}).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        logger.warning("ignoring %s: unreadable %s (%s)", path, INT8_META_FILE, exc)
        return None
    if recipe != INT8_FORMAT or made_from != export.onnx_sha256:
        logger.warning("ignoring %s: made from another export or by another version", path)
        return None
    if remembered_sha256(path, cache_dir / HASH_MEMO) != recorded:
        logger.warning("ignoring %s: it does not match %s", path, INT8_META_FILE)
        return None
    return {**meta, "checks": checks}


def recorded_int8_sha256(export: OnnxExport) -> str:
    """The int8 model's sha256 as its record says ("" when the record cannot be read)."""
    try:
        return str(json.loads((export.folder / INT8_META_FILE).read_text(encoding="utf-8"))["int8_sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def export_onnx(model_path: Path, cache_dir: Path, model_name: str, weights: str | None = None) -> OnnxExport:
    """Export a sentence-transformers model folder to ONNX with torch, check it, and cache it atomically.

    The whole module stack (transformer, pooling, any dense layer, normalisation) goes into one graph, so the
    export gives the model's own sentence embedding. It is kept only if it matches sentence-transformers to
    cosine PARITY_MIN_COSINE on PARITY_TEXTS.

    Args:
        model_path: the sentence-transformers model folder.
        cache_dir: the model cache folder the export goes into.
        model_name: the name recorded in meta.json.
        weights: the weights' sha256 when the caller has it already; None hashes them.

    Raises:
        EncoderError: the model cannot be exported or the export does not match; the caller falls back to
            sentence-transformers.
    """
    weights = weights or weights_sha256(model_path)
    target = export_folder(cache_dir, weights)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        _remove_stale_exports(cache_dir)
        work = Path(tempfile.mkdtemp(prefix=f"{EXPORT_WORK_PREFIX}{os.getpid()}-", dir=cache_dir))
    except OSError as exc:
        raise EncoderError(f"{cache_dir}: cannot write the ONNX export there ({exc}); set "
                           "CREATORMATCH_MODEL_CACHE_DIR to a writable folder") from exc
    try:
        export = _export_into(model_path, work, model_name, weights)
        work.chmod(0o755)
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    except Exception as exc:
        done_elsewhere = read_export(cache_dir, weights)  # another process may have finished the same export
        if done_elsewhere is not None:
            return done_elsewhere
        raise EncoderError(f"{model_path}: cannot export the model to ONNX ({type(exc).__name__}: {exc})") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    logger.info("exported %s to ONNX in %s", model_name, target)
    return OnnxExport(**{**asdict(export), "folder": target})


def _remove_stale_exports(cache_dir: Path) -> None:
    """Remove the work folders of exports whose process is gone (killed: a SIGTERM or SIGKILL leaves ~170 MB)."""
    from creatormatch.bundle import process_alive

    for path in cache_dir.glob(f"{EXPORT_WORK_PREFIX}*"):
        pid = path.name[len(EXPORT_WORK_PREFIX):].split("-", 1)[0]
        if path.is_dir() and pid.isdigit() and not process_alive(int(pid)):
            logger.info("removing %s, left by an export that was stopped", path.name)
            shutil.rmtree(path, ignore_errors=True)


def _export_into(model_path: Path, folder: Path, model_name: str, weights: str) -> OnnxExport:
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        # Attention written out in plain operators, the pattern onnxruntime's optimizer fuses (_fuse).
        model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True,
                                    model_kwargs={"attn_implementation": "eager"}).eval()
    except (TypeError, ValueError):  # a module that takes no such option: exported as it is, unfused
        model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True).eval()
    tokenizer = model.tokenizer
    if not getattr(tokenizer, "is_fast", False):
        raise EncoderError("the model has no fast (tokenizers) tokenizer")
    inputs = tuple(name for name in ("input_ids", "attention_mask", "token_type_ids")
                   if name in tokenizer.model_input_names)
    if inputs[:2] != ("input_ids", "attention_mask"):
        raise EncoderError(f"unexpected tokenizer inputs {tokenizer.model_input_names}")

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            embedding: torch.Tensor = self.model(dict(zip(inputs, tensors, strict=True)))["sentence_embedding"]
            return embedding

    sample = tokenizer(["a short text", "a somewhat longer text to give the export two lengths"], padding=True,
                       return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in inputs} | {"embedding": {0: "batch"}}
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about shapes fixed at export; the parity check decides
        torch.onnx.export(SentenceEmbedding().eval(), tuple(sample[name] for name in inputs), str(folder / ONNX_FILE),
                          input_names=list(inputs), output_names=["embedding"], dynamic_axes=axes,
                          opset_version=OPSET, dynamo=False)
    tokenizer.backend_tokenizer.save(str(folder / TOKENIZER_FILE))
    first = model[0]
    dimension = model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension") \
        else model.get_sentence_embedding_dimension()
    if dimension is None or model.max_seq_length is None:
        raise EncoderError("the model does not report its embedding dimension and token limit")
    size, limit = int(dimension), int(model.max_seq_length)
    reference = model.encode(list(PARITY_TEXTS), normalize_embeddings=True, convert_to_numpy=True,
                             show_progress_bar=False)

    def checked(fused: bool) -> tuple[OnnxExport, float]:
        export = OnnxExport(folder=folder, model_name=model_name, weights_sha256=weights,
                            onnx_sha256=file_sha256(folder / ONNX_FILE), dimension=size, max_seq_length=limit,
                            inputs=inputs,
                            do_lower_case=bool(getattr(first, "do_lower_case", False)), fused=fused,
                            tokenizer_sha256=file_sha256(folder / TOKENIZER_FILE))
        got = OnnxEncoder(export, threads=1).encode(PARITY_TEXTS)
        return export, float(np.min(np.sum(reference * got, axis=1)))

    plain = folder / f"plain-{ONNX_FILE}"
    shutil.copyfile(folder / ONNX_FILE, plain)
    fused = _fuse(folder / ONNX_FILE, getattr(first, "auto_model", None))
    if fused:
        try:
            export, worst = checked(True)
            if worst < PARITY_MIN_COSINE:
                fused = False
                logger.info("keeping the ONNX graph unfused: the fused graph differs from sentence-transformers "
                            "(worst cosine %.6f)", worst)
        except Exception as exc:  # a fused graph onnxruntime cannot load or run: the plain one still can
            fused = False
            logger.info("keeping the ONNX graph unfused: onnxruntime cannot run the fused graph (%s: %s)",
                        type(exc).__name__, exc)
    if not fused:
        os.replace(plain, folder / ONNX_FILE)
        export, worst = checked(False)
    plain.unlink(missing_ok=True)
    if worst < PARITY_MIN_COSINE:
        raise EncoderError(f"the export differs from sentence-transformers (worst cosine {worst:.6f})")
    (folder / META_FILE).write_text(json.dumps(export.meta(), indent=2) + "\n", encoding="utf-8")
    return export


# Encoder-only models whose graphs onnxruntime's optimizer fuses as "bert" (attention, layer norms, GELU).
_FUSABLE = ("bert", "roberta", "xlm-roberta", "camembert", "electra")


def _fuse(path: Path, transformer: Any) -> bool:
    """Fuse attention, layer norms and GELU in the ONNX graph at `path`, in place, with onnxruntime's transformer
    optimizer (its Python fusions only, so the graph stays portable); False, leaving the file as it was, when the
    model is not one it knows or nothing fused.

    Measured on all-MiniLM-L6-v2 with two threads: 5-15 % more 600-character documents a second (README, "The
    encoder"); briefs encode as fast as before.
    """
    config = getattr(transformer, "config", None)
    heads, hidden = getattr(config, "num_attention_heads", None), getattr(config, "hidden_size", None)
    if getattr(config, "model_type", None) not in _FUSABLE or not isinstance(heads, int) or not isinstance(hidden, int):
        return False
    staged = path.with_name(f"fused-{path.name}")
    try:
        import onnxruntime.transformers
        from onnxruntime.transformers.optimizer import optimize_model

        with _quiet(Path(onnxruntime.transformers.__file__).parent), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            optimized = optimize_model(str(path), model_type="bert", num_heads=heads, hidden_size=hidden,
                                       opt_level=0)
            if not optimized.get_fused_operator_statistics().get("Attention"):
                return False
            optimized.save_model_to_file(str(staged))
        os.replace(staged, path)
    except Exception as exc:  # the optimizer's own errors for graphs it does not understand
        logger.info("onnxruntime's optimizer could not fuse the graph (%s: %s); keeping it unfused",
                    type(exc).__name__, exc)
        staged.unlink(missing_ok=True)
        return False
    return True


@contextmanager
def _quiet(package: Path) -> Iterator[None]:
    """The optimizer's INFO lines (one per fusion) kept out of the log: its modules log under their bare names
    (the package puts its own folder on sys.path), so their loggers are raised to WARNING for the duration."""
    loggers = [logging.getLogger(name) for name in
               ("onnxruntime.transformers", *sorted(p.stem for p in package.glob("*.py")))]
    levels = [each.level for each in loggers]
    for each in loggers:
        each.setLevel(max(each.level, logging.WARNING))
    try:
        yield
    finally:
        for each, level in zip(loggers, levels, strict=True):
            each.setLevel(level)


class OnnxEncoder:
    """Encodes with an ONNX export: texts tokenised by `tokenizers`, sorted by length and run in padded batches
    by an onnxruntime session (created on first use; an int8 build runs several side by side), then
    unit-normalised."""

    backend = "onnx"

    def __init__(self, export: OnnxExport, name: str | None = None, batch_size: int = 64, threads: int = 0,
                 spin_wait: bool = True, model_file: str = ONNX_FILE, sessions: int = 1) -> None:
        """Prepare the encoder; nothing heavy is loaded until the first text.

        Args:
            export: the cached export.
            name: the name recorded in bundle manifests; default the one recorded at export.
            batch_size: texts per forward pass.
            threads: onnxruntime intra-op threads; 0 = one per physical core.
            spin_wait: let the intra-op threads spin between operators (onnxruntime's default); off, they sleep and
                leave the cores to other threads of the process.
            model_file: the graph in the export's folder: the fp32 export or its int8 model (INT8_FILE).
            sessions: onnxruntime sessions, each run from a thread of its own on its share of a call's passes, with
                `threads` intra-op threads each (an int8 build: one session per core with one thread each
                encodes more a second than one session with a thread per core; see encoder._sessions_and_threads).
                The first is made on first use, the others when a call has passes enough for them.
        """
        if sessions < 1:
            raise ValueError(f"sessions must be at least 1, got {sessions}")
        self.export = export
        self.name = name or export.model_name
        self.weights_sha256 = export.weights_sha256
        self.onnx_sha256 = export.onnx_sha256
        self.batch_size = batch_size
        self.threads = threads
        self.spin_wait = spin_wait
        self.model_file = model_file
        self.sessions = sessions
        self._extra: list[onnxruntime.InferenceSession] = []  # sessions beyond the first (sessions > 1)
        self.precision = "int8" if model_file == INT8_FILE else "fp32"
        # The graph's own sha256 (the int8 model's as recorded beside it, checked by read_int8): what the
        # embedding cache tells quantised vectors apart by.
        self.model_sha256 = recorded_int8_sha256(export) if self.precision == "int8" else export.onnx_sha256
        self._session: onnxruntime.InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        """Length of the vectors."""
        return self.export.dimension

    def load(self) -> None:
        """Create the session now (waiting for a preload in flight: encoder.preload). Raises EncoderError when it
        cannot be."""
        self._ready()

    def _ready(self) -> tuple[onnxruntime.InferenceSession, Tokenizer]:
        with self._lock:
            if self._session is None or self._tokenizer is None:
                from tokenizers import Tokenizer

                try:
                    tokenizer = Tokenizer.from_file(str(self.export.folder / TOKENIZER_FILE))
                except Exception as exc:  # tokenizers raises a bare Exception for a file it cannot parse
                    raise EncoderError(f"{self.export.folder / TOKENIZER_FILE}: cannot be read as a tokenizer ({exc}); "
                                       "delete the folder to export the model again") from exc
                tokenizer.no_padding()
                tokenizer.enable_truncation(self.export.max_seq_length)
                self._session = self._new_session()
                self._tokenizer = tokenizer
            return self._session, self._tokenizer

    def _new_session(self) -> onnxruntime.InferenceSession:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        if not self.spin_wait:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            return onnxruntime.InferenceSession(str(self.export.folder / self.model_file), options,
                                                providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types for a damaged graph
            raise EncoderError(f"{self.export.folder}: cannot load the ONNX model ({exc})") from exc

    def _all_sessions(self, wanted: int) -> list[onnxruntime.InferenceSession]:
        """The first `wanted` sessions (at most self.sessions), made now where missing."""
        first = self._ready()[0]
        with self._lock:
            while len(self._extra) < min(wanted, self.sessions) - 1:
                self._extra.append(self._new_session())
            return [first, *self._extra[:max(wanted - 1, 0)]]

    def batches(self, texts: Sequence[str]) -> Iterator[tuple[Ints, dict[str, Ints]]]:
        """The texts tokenised as encode runs them (stripped, lowercased where the model is, truncated), in forward
        passes split by `length_batches`: each pass's rows (positions in `texts`) and its padded input_ids,
        attention_mask and token_type_ids."""
        tokenizer = self._ready()[1]
        cleaned = [str(t).strip() for t in texts]
        if self.export.do_lower_case:
            cleaned = [t.lower() for t in cleaned]
        encodings = tokenizer.encode_batch(cleaned)
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(-lengths, kind="stable")
        for start, end in length_batches(lengths[order].tolist(), self.batch_size, PASS_OVERHEAD_TOKENS):
            rows = order[start:end]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            types = np.zeros((len(rows), width), dtype=np.int64)
            for i, row in enumerate(rows):
                encoding = encodings[row]
                n = len(encoding.ids)
                ids[i, :n] = encoding.ids
                mask[i, :n] = 1
                types[i, :n] = encoding.type_ids
            yield rows, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}

    def encode(self, texts: Sequence[str], progress: bool = False) -> Vectors:  # noqa: ARG002
        """Unit-normalised float32 embeddings, one row per text (texts stripped, as sentence-transformers does)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        if self.sessions == 1:
            session = self._ready()[0]
            for rows, feeds in self.batches(texts):
                out[rows] = session.run(None, {name: feeds[name] for name in self.export.inputs})[0]
        else:
            self._run_in_parallel(list(self.batches(texts)), out)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        normalised: Vectors = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
        return normalised

    def _run_in_parallel(self, passes: list[tuple[Ints, dict[str, Ints]]], out: Vectors) -> None:
        """Run the passes on the sessions, each from a thread of its own taking the next pass (longest first)
        as it finishes one; onnxruntime lets go of the GIL while it runs."""
        sessions = self._all_sessions(len(passes))
        queue = iter(passes)
        taking = threading.Lock()
        stop = threading.Event()  # set on an interrupt or a failed pass: the others end after their current pass

        def work(session: onnxruntime.InferenceSession) -> None:
            while not stop.is_set():
                with taking:
                    item = next(queue, None)
                if item is None:
                    return
                rows, feeds = item
                try:
                    out[rows] = session.run(None, {name: feeds[name] for name in self.export.inputs})[0]
                except BaseException:
                    stop.set()
                    raise

        if len(sessions) == 1:
            work(sessions[0])
            return
        with ThreadPoolExecutor(len(sessions), thread_name_prefix="onnx-session") as pool:
            try:
                for done in [pool.submit(work, session) for session in sessions]:
                    done.result()  # raises what a thread raised
            except BaseException:
                stop.set()  # before the pool is shut down, which waits for its threads
                raise


def length_batches(lengths: Sequence[int], max_rows: int, overhead: int) -> list[tuple[int, int]]:
    """Split texts sorted by length (longest first) into forward passes of at most `max_rows` that cost the
    least in all: a pass costs `overhead` plus its rows times its longest text (every row is padded to it).

    Fixed chunks pad the short fields of a brief, or of eight briefs batched together, to the longest one:
    eight full briefs took 1.5 times as long in chunks of 16 and 2.2 times in chunks of 64; one pass a text pays
    the overhead every time. Exact by dynamic programming over the sorted order, O(len × max_rows).

    Args:
        lengths: token counts, longest first.
        max_rows: most texts in one pass (at least 1).
        overhead: a pass's fixed cost, in tokens.

    Returns:
        (start, end) slices of `lengths`, in order, covering it.
    """
    n, rows = len(lengths), max(1, max_rows)
    best = [0] * (n + 1)  # best[j]: least cost of the first j texts
    cut = [0] * (n + 1)  # cut[j]: where the last pass of that split starts
    for j in range(1, n + 1):
        first = max(0, j - rows)
        costs = [best[i] + (j - i) * lengths[i] for i in range(first, j)]  # last pass from i to j
        k = costs.index(min(costs))
        cut[j], best[j] = first + k, costs[k] + overhead
    slices = []
    j = n
    while j > 0:
        slices.append((cut[j], j))
        j = cut[j]
    return slices[::-1]
