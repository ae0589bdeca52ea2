"""The build's parallel stages on Ray: features per partition of creators, embedding by a pool of encoder actors.

Features: the creators (in bundle order) are cut into contiguous ranges (one per CPU, smaller for a large
corpus), one Ray task per range computes the per-creator aggregates (creatormatch.features.creator_aggregates)
and the audience credibility of its creators, and this process (the driver) concatenates them and computes what
compares a creator with its tier over all of them (peer_features, authenticity_signals), as the local engine
does after its chunks.

Embedding: the embedding cache (SQLite) stays in the driver. The texts it does not hold are sent in batches to a
pool of actors, each holding one encoder, and written to the cache as they come back, so an interrupted build
keeps its work. Actors are sized so that actors x encoder threads never exceeds the cluster's CPUs.

Batch shortlists (RayBrandRanker): a pool of actors, each holding the bundle (memory-mapped) and an encoder,
ranks whole batches of brands; the driver applies the per-creator cap and writes every result, in brand order,
as the local run does.

Paths are the driver's: the model folder and the model cache folder (its ONNX export), and for shortlists the
bundle, must exist at the same place on every node of a cluster, and the creatormatch package must be installed
there.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from creatormatch.api_models import brand_request
from creatormatch.bundle import load_bundle, verify_files
from creatormatch.config import Settings, get_settings
from creatormatch.encoder import (
    EmbeddingCache,
    Encoder,
    EncoderError,
    SentenceEncoder,
    Vectors,
    encoder_from_settings,
    precision_of,
    text_key,
)
from creatormatch.features import creator_aggregates, default_as_of
from creatormatch.follower_model import FollowerModel, audience_credibility
from creatormatch.manifest import BundleError, Manifest
from creatormatch.onnx_encoder import OnnxEncoder
from creatormatch.shortlist import Positioned, RankedBrand, encode_batch, rank_brand
from training.build import assemble_features
from training.chunked import Chunk, chunks
from training.engines import LocalEngine

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable
    from pathlib import Path

    import pyarrow as pa

    from creatormatch.dataset import Dataset
    from creatormatch.ranking import Ranker

logger = logging.getLogger(__name__)

RAY_MISSING = "ray is not installed: pip install -e '.[ray]'"
# Texts per actor call: large enough that a call is mostly encoding, small enough for steady progress and cache
# writes (and for the length-sorted batches inside the encoder to pad little).
TEXTS_PER_CALL = 256
# Calls queued on each actor, so an actor never waits while the driver writes the previous batch to the cache.
CALLS_IN_FLIGHT = 2
# Most posts in one feature task (~150 MB of posts): a large corpus is cut into more partitions than CPUs.
PARTITION_POSTS = 500_000
# How long to wait for a cluster address to accept a connection before saying it cannot be reached (Ray itself
# retries for minutes, then exits the process).
CONNECT_TIMEOUT_S = 5.0
Schema = dict[str, pl.DataType]


class EngineError(Exception):
    """Ray is not installed, cannot start, cannot be reached, or lost a worker."""


def ray_available() -> bool:
    """Whether the ray package can be imported (the `ray` extra is installed)."""
    import importlib.util

    return importlib.util.find_spec("ray") is not None


class RayEngine:
    """The build's features and embedding on a Ray cluster, or on a local Ray this engine starts and stops."""

    name = "ray"

    def __init__(self, address: str | None = None, settings: Settings | None = None, num_cpus: int | None = None,
                 partitions: int | None = None) -> None:
        """Connect to a Ray cluster, or start a local one.

        Args:
            address: the cluster: `auto` (one started with `ray start` on this machine), `HOST:PORT` (its GCS) or
                `ray://HOST:10001` (Ray Client); None starts a local Ray in this process, stopped by close().
            settings: the model settings the encoder actors build their encoder from (default: the process's).
            num_cpus: CPUs of the local Ray (default: all); ignored with an address.
            partitions: creator partitions of the features stage (default: one per CPU of the cluster).

        Raises:
            EngineError: ray is not installed, the address is malformed or cannot be reached, or Ray cannot start.
            ValueError: num_cpus or partitions below 1.
        """
        if (num_cpus is not None and num_cpus < 1) or (partitions is not None and partitions < 1):
            raise ValueError(f"num_cpus and partitions must be >= 1, got {num_cpus} and {partitions}")
        if not ray_available():
            raise EngineError(RAY_MISSING)
        import ray

        self.settings = settings or get_settings()
        self.address = address
        self._started = False
        if not ray.is_initialized():
            if address is not None:
                _check_reachable(address)
            # Ray runs workers at nice 15 to keep its own processes responsive; here they do the build's work
            # while the driver waits, and on a busy machine niced workers starve. Worker output stays in Ray's
            # session logs: errors reach the driver as exceptions, told in one line.
            local: dict[str, Any] = {"num_cpus": num_cpus, "_system_config": {"worker_niceness": 0}}
            try:
                ray.init(address=address, include_dashboard=False, logging_level=logging.ERROR,
                         configure_logging=True, log_to_driver=False, **({} if address else local))
            except (ConnectionError, ValueError, RuntimeError, SystemExit) as exc:
                where = f"the Ray cluster at {address}" if address else "a local Ray"
                hint = " (a cluster with token authentication also needs RAY_AUTH_MODE=token here)" if address else ""
                raise EngineError(f"cannot start or reach {where}: {_first_line(exc)}{hint}") from None
            self._started = True
        resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
        self.cpus = max(1, int(resources.get("CPU", 1)))
        self.partitions = partitions or self.cpus
        logger.info("Ray at %s: %d CPUs", address or "this machine", self.cpus)

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def features(self, creators: pl.DataFrame, posts: pl.DataFrame, dataset: Dataset,
                 settings: Settings, as_of: datetime | None = None) -> pl.DataFrame:
        """training.build.creator_features on Ray: per-creator aggregates per partition, peers on the driver.

        Args:
            creators: creators in bundle order.
            posts: bundle_posts (grouped by creator_row).
            dataset: the validated input (follower history and samples).
            settings: recent_posts and tier_group_min_size.
            as_of: the date recency is measured from; default default_as_of(posts).

        Returns:
            Every creator feature, audience credibility and the authenticity signals, in bundle order.

        Raises:
            FollowerModelError: the follower model cannot be loaded.
        """
        import ray

        if not creators.height:
            return LocalEngine().features(creators, posts, dataset, settings, as_of)
        model_ref = ray.put(FollowerModel.load() if dataset.follower_samples is not None else None)
        as_of = as_of or default_as_of(posts)
        counts = np.bincount(posts.get_column("creator_row").to_numpy(), minlength=creators.height)
        # One range per partition, and no more than PARTITION_POSTS posts in one, so memory does not grow with
        # the corpus: a range's posts go to the object store only when its task is submitted.
        per_part = max(1, min(PARTITION_POSTS, -(-posts.height // self.partitions)))
        parts = chunks(counts.astype(np.int64), per_part)
        part_of = np.repeat(np.arange(len(parts)), [p.end - p.first for p in parts])
        owner = creators.select("creator_id", pl.Series("_part", part_of, dtype=pl.Int64))
        history, samples = (None if frame is None else
                            _split(frame.join(owner, on="creator_id", how="inner", maintain_order="left"), len(parts))
                            for frame in (dataset.follower_history, dataset.follower_samples))
        task = ray.remote(num_cpus=1)(_partition_features)

        def submit(part: Chunk) -> Any:
            return task.remote(
                _Wire.of(creators.slice(part.first, part.end - part.first)),
                _Wire.of(posts.slice(part.first_post, part.end_post - part.first_post).drop("creator_row")),
                _Wire.of(history[part.number]) if history is not None else None,
                _Wire.of(samples[part.number]) if samples is not None else None,
                as_of, settings.recent_posts, model_ref)

        results = _in_order(submit, parts, in_flight=2 * self.cpus)
        return assemble_features(creators, [a.frame() for a, _ in results],
                                 [c.frame() for _, c in results if c is not None], settings.tier_group_min_size)

    def encode(self, encoder: Encoder, texts: Sequence[str], cache: EmbeddingCache | None,
               progress: Callable[[int], None] | None = None) -> tuple[Vectors, int]:
        """creatormatch.encoder.encode_cached with the encoding on the actor pool; the cache stays here.

        Args:
            encoder: the build's encoder; actors build the same model from the settings (an ONNX or
                sentence-transformers encoder) or receive this one (any other encoder, which must pickle).
            texts: texts to embed; duplicates are embedded once.
            cache: the cache, or None to always encode.
            progress: called with the number of texts finished after each batch.

        Returns:
            The vectors in the order of texts, and how many distinct texts had to be encoded.

        Raises:
            EncoderError: the workers cannot load the model, or load another one than this process.
            EngineError: an actor died.
        """
        unique = list(dict.fromkeys(texts))
        keys = [text_key(t) for t in unique]
        by_key: dict[bytes, Vectors] = dict(cache.get_many(keys)) if cache is not None else {}
        missing = [(k, t) for k, t in zip(keys, unique, strict=True) if k not in by_key]
        if progress is not None and by_key:
            progress(len(by_key))
        # The actors live for this call only: idle, they would hold CPUs that other stages and jobs need.
        actors = self._start_actors(encoder) if missing else []
        try:
            for batch_keys, vectors in _encode_on(actors, missing):
                items = list(zip(batch_keys, vectors, strict=True))
                if cache is not None:
                    cache.put_many(items)
                by_key.update(items)
                if progress is not None:
                    progress(len(items))
        finally:
            _kill(actors)
        if not texts:
            return np.zeros((0, encoder.dimension), dtype=np.float32), 0
        key_of = dict(zip(unique, keys, strict=True))
        return np.stack([by_key[key_of[t]] for t in texts]).astype(np.float32, copy=False), len(missing)

    def close(self) -> None:
        """Disconnect from Ray when this engine connected (a local Ray it started stops with it)."""
        import ray

        if self._started and ray.is_initialized():
            ray.shutdown()
        self._started = False

    def _start_actors(self, encoder: Encoder) -> list[Any]:
        """Encoder actors, as many as the cluster's CPUs allow at settings.encoder_threads (0: 1) threads each,
        checked to hold the same model as this process.

        Raises:
            EncoderError: an actor cannot load the model, or loads another one.
        """
        import ray

        threads = self.settings.encoder_threads or 1
        count = max(1, self.cpus // threads)
        recipe: Settings | Encoder = encoder
        if isinstance(encoder, OnnxEncoder | SentenceEncoder):
            # Absolute paths: a worker's working directory is not the driver's.
            model_path = self.settings.model_path.resolve() if self.settings.model_path else None
            recipe = self.settings.model_copy(update={
                # One session an actor: the actor holds `threads` CPUs (encoder_sessions applies to one process).
                "encoder_threads": threads, "encoder_sessions": 1,
                "encoder_backend": "onnx" if encoder.backend == "onnx" else "torch",
                "model_name": encoder.name, "batch_size": encoder.batch_size, "model_path": model_path,
                "model_cache_dir": self.settings.model_cache_dir.resolve(),
                "build_precision": precision_of(encoder)})
        actor_class = ray.remote(_EncoderActor)
        actors: list[Any] = [actor_class.options(num_cpus=threads).remote(recipe) for _ in range(count)]
        try:
            identities = _get([actor.identity.remote() for actor in actors])
            expected = _identity(encoder)
            for identity in identities:
                if identity != expected:
                    raise EncoderError(f"the Ray workers load another model ({', '.join(identity)}) than this "
                                       f"process ({', '.join(expected)}): the model folder and "
                                       "CREATORMATCH_MODEL_CACHE_DIR must hold the same model on every node")
        except BaseException:
            _kill(actors)
            raise
        logger.info("%d encoder actors with %d thread(s) each", count, threads)
        return actors


def _encode_on(actors: list[Any], missing: list[tuple[bytes, str]]) -> Iterator[tuple[list[bytes], Vectors]]:
    """(keys, vectors) of each batch of the missing texts, in the order the actors finish them."""
    if not missing:
        return
    import ray

    batches = [missing[start:start + TEXTS_PER_CALL] for start in range(0, len(missing), TEXTS_PER_CALL)]
    in_flight: dict[Any, tuple[int, int]] = {}  # object ref -> (batch, actor)
    upcoming = iter(range(len(batches)))

    def submit(actor: int) -> None:
        batch = next(upcoming, None)
        if batch is not None:
            in_flight[actors[actor].encode.remote([t for _, t in batches[batch]])] = (batch, actor)

    for _ in range(CALLS_IN_FLIGHT):
        for actor in range(len(actors)):
            submit(actor)
    while in_flight:
        (done,), _ = ray.wait(list(in_flight), num_returns=1)
        batch, actor = in_flight.pop(done)
        vectors = np.array(_get(done))  # a copy: the object store's read-only buffer is released
        submit(actor)
        yield [k for k, _ in batches[batch]], vectors


class RayBrandRanker:
    """Batch shortlists on Ray (a creatormatch.shortlist.BrandRanker): actors rank batches of brands, this process
    keeps the job.

    Each actor loads the bundle and an encoder once and ranks whole batches (validation, one encoder call, /match
    per brand to the depth asked for). Batches go to the actors in turn, a few ahead, and come back in job order,
    so the caller applies the per-creator cap and commits brand by brand exactly as a local run does; a brand whose
    cap passes over too many candidates is ranked deeper by an actor on demand. Shortlists equal the local run's.
    """

    def __init__(self, engine: RayEngine, bundle: Path, settings: Settings, actors: int | None = None) -> None:
        """Check the bundle here, then start the actors and wait until every one has loaded it.

        Args:
            engine: the connected engine (its cluster's CPUs size the pool).
            bundle: the bundle folder or a link to it (resolved now: a rebuild during the run does not switch
                the actors to another version).
            settings: the model and query-time settings, as this process has them.
            actors: how many actors (default: the cluster's CPUs over the encoder threads, at least 1).

        Raises:
            BundleError: the bundle is missing or damaged, or a worker cannot load it.
            EncoderError: a worker cannot load the model, or its model does not fit the bundle.
            EngineError: a worker died.
            ValueError: actors below 1.
        """
        import ray

        if actors is not None and actors < 1:
            raise ValueError(f"actors must be >= 1, got {actors}")
        path = bundle.resolve()
        manifest = Manifest.read(path)
        verify_files(path, manifest)
        self._version = manifest.version
        threads = settings.encoder_threads or 1
        count = actors or max(1, engine.cpus // threads)
        model_path = settings.model_path.resolve() if settings.model_path else None
        recipe = settings.model_copy(update={"encoder_threads": threads, "model_path": model_path,
                                             "model_cache_dir": settings.model_cache_dir.resolve()})
        # Two calls at a time per actor: a request to rank one brand deeper (for the cap) does not wait behind
        # the batches queued on it. The ranker is safe to share between threads, as in the service.
        actor_class = ray.remote(_ShortlistActor).options(num_cpus=threads, max_concurrency=2)
        self._actors: list[Any] = []
        try:
            for _ in range(count):
                self._actors.append(actor_class.remote(str(path), recipe))
            for version in _get([actor.version.remote() for actor in self._actors]):
                if version != self._version:  # the folder changed between the check here and the load there
                    raise BundleError(f"a Ray worker loaded version {version}, not {self._version}", path)
        except BaseException:
            self.close()
            raise
        logger.info("%d shortlist actors with %d encoder thread(s) each over bundle %s", count, threads,
                    self._version)

    @property
    def version(self) -> str:
        return self._version

    def rank(self, batches: Sequence[Positioned], limit: int, fetch: int) -> Generator[Iterable[RankedBrand]]:
        """Each batch ranked on an actor, yielded in the order given (see BrandRanker.rank)."""
        ahead = CALLS_IN_FLIGHT * len(self._actors)
        refs: dict[int, tuple[Any, Any]] = {}

        def submit(index: int) -> None:
            if index < len(batches):
                actor = self._actors[index % len(self._actors)]
                refs[index] = (actor, actor.rank.remote(batches[index], limit, fetch))

        for index in range(ahead):
            submit(index)
        for index, batch in enumerate(batches):
            actor, ref = refs.pop(index)
            submit(index + ahead)
            brands = dict(batch)
            outcomes: list[RankedBrand] = []
            for position, brand_id, problem, candidates, query in _get(ref):
                deeper = _deeper_on(actor, brands[position], limit, query)
                outcomes.append(RankedBrand(position, brand_id, problem, candidates, fetch, deeper))
            yield outcomes

    def close(self) -> None:
        """Stop the actors."""
        _kill(self._actors)
        self._actors = []


def _deeper_on(actor: Any, brand: dict[str, Any], limit: int, query: Vectors | None
               ) -> Callable[[int], list[dict[str, Any]]]:
    return lambda depth: list(_get(actor.deeper.remote(brand, limit, query, depth)))


# position, brand_id, problem, candidates, the brief's vector (sent back with a request to rank deeper, so the
# deeper ranking uses the very vector of the first, as a local run does)
Outcome = tuple[int, str, str | None, list[dict[str, Any]], Vectors | None]


class _ShortlistActor:
    """A bundle and an encoder in a Ray worker process, ranking brands."""

    def __init__(self, bundle: str, settings: Settings) -> None:
        # As in _EncoderActor: a load error is kept and raised by version(), so it arrives as itself.
        self.problem: BundleError | EncoderError | None = None
        self.ranker: Ranker | None = None
        try:
            from pathlib import Path

            from creatormatch.ranking import Ranker

            encoder = encoder_from_settings(settings)
            # Checked by the driver just before; the actors share its pages through the memory maps.
            self.ranker = Ranker(load_bundle(Path(bundle), encoder, verify=False), encoder, settings)
        except (BundleError, EncoderError) as exc:
            self.problem = exc

    def version(self) -> str:
        return self._ready().bundle.version

    def rank(self, batch: Positioned, limit: int, fetch: int) -> list[Outcome]:
        ranker = self._ready()
        refused, valid, queries = encode_batch(ranker, batch, limit)
        outcomes: list[Outcome] = [(r.position, r.brand_id, r.problem, [], None) for r in refused]
        for (position, brand, request), query in zip(valid, queries, strict=True):
            ranked = rank_brand(ranker, position, brand, request, query, fetch)
            outcomes.append((position, ranked.brand_id, None, ranked.candidates, query.copy()))
        return outcomes

    def deeper(self, brand: dict[str, Any], limit: int, query: Vectors, depth: int) -> list[dict[str, Any]]:
        request = brand_request(brand, limit=limit)  # valid: its first ranking came from the same brand
        return rank_brand(self._ready(), 0, brand, request, query, depth).candidates

    def _ready(self) -> Ranker:
        if self.ranker is None:
            raise self.problem or EncoderError("the bundle did not load")
        return self.ranker


def _kill(actors: list[Any]) -> None:
    import ray

    for actor in actors:
        ray.kill(actor)


def _identity(encoder: Encoder) -> tuple[str, ...]:
    """What must be equal for two encoders to give the same vectors."""
    return (encoder.name, encoder.weights_sha256, str(getattr(encoder, "backend", type(encoder).__name__)),
            str(getattr(encoder, "model_sha256", "")), precision_of(encoder),
            str(encoder.dimension))


class _EncoderActor:
    """One encoder in a Ray worker process."""

    def __init__(self, recipe: Settings | Encoder) -> None:
        # An error raised here would reach the driver as a dead actor and a traceback in text: kept, and raised
        # by identity(), it arrives as the EncoderError it is.
        self.problem: EncoderError | None = None
        self.encoder: Encoder | None = None
        try:
            self.encoder = encoder_from_settings(recipe, encode_only=True) if isinstance(recipe, Settings) else recipe
        except EncoderError as exc:
            self.problem = exc

    def identity(self) -> tuple[str, ...]:
        return _identity(self._ready())

    def encode(self, texts: list[str]) -> Vectors:
        return self._ready().encode(texts)

    def _ready(self) -> Encoder:
        if self.encoder is None:
            raise self.problem or EncoderError("the encoder did not load")
        return self.encoder


class _Wire:
    """A polars frame on its way between processes: Arrow buffers (read without a copy from Ray's object store)
    and the polars schema, so that the frame comes back with exactly its dtypes."""

    def __init__(self, table: pa.Table, schema: Schema) -> None:
        self.table = table
        self.schema = schema

    @classmethod
    def of(cls, frame: pl.DataFrame) -> _Wire:
        return cls(frame.to_arrow(), dict(frame.schema))

    def frame(self) -> pl.DataFrame:
        frame = pl.from_arrow(self.table)
        assert isinstance(frame, pl.DataFrame)
        return frame if dict(frame.schema) == self.schema else frame.cast(self.schema)  # type: ignore[arg-type]


def _partition_features(creators: _Wire, posts: _Wire, history: _Wire | None, samples: _Wire | None, as_of: datetime,
                        recent_posts: int, model: FollowerModel | None) -> tuple[_Wire, _Wire | None]:
    """A Ray task: the per-creator aggregates and audience credibility of one partition of creators."""
    aggregates = creator_aggregates(creators.frame(), posts.frame(), history.frame() if history else None,
                                    as_of=as_of, recent_posts=recent_posts)
    credibility = audience_credibility(samples.frame(), model) if samples is not None and model is not None \
        else None
    return _Wire.of(aggregates), _Wire.of(credibility) if credibility is not None else None


def _in_order(submit: Callable[[Chunk], Any], parts: list[Chunk], in_flight: int) -> list[Any]:
    """The results of a task per part, in part order, with at most in_flight tasks submitted at a time."""
    import ray

    results: list[Any] = [None] * len(parts)
    pending: dict[Any, int] = {}
    upcoming = iter(parts)
    for part in upcoming:
        pending[submit(part)] = part.number
        if len(pending) >= in_flight:
            break
    while pending:
        (done,), _ = ray.wait(list(pending), num_returns=1)
        results[pending.pop(done)] = _get(done)
        following = next(upcoming, None)
        if following is not None:
            pending[submit(following)] = following.number
    return results


def _split(frame: pl.DataFrame, parts: int) -> list[pl.DataFrame]:
    """The rows of each partition (by the `_part` column, dropped), order kept; empty frames for empty ones."""
    groups = frame.partition_by("_part", as_dict=True, maintain_order=True, include_key=False)
    empty = frame.drop("_part").clear()
    return [groups.get((part,), empty) for part in range(parts)]


def _get(refs: Any) -> Any:
    """ray.get, with the errors a user can act on as one line: a model the workers cannot load, a dead worker."""
    import ray
    from ray.exceptions import RayActorError, RayTaskError

    try:
        return ray.get(refs)
    except RayTaskError as exc:
        if isinstance(exc.cause, EncoderError):
            raise EncoderError(f"on a Ray worker: {exc.cause}") from None
        if isinstance(exc.cause, BundleError):
            raise BundleError(f"on a Ray worker: {exc.cause.reason}", exc.cause.bundle) from None
        if isinstance(exc.cause, Exception):
            raise exc.cause from None  # what the same code raises in one process, handled the same way
        raise
    except RayActorError as exc:
        raise EngineError(f"a Ray worker died: {_first_line(exc)}") from None


def _check_reachable(address: str) -> None:
    """Fail fast, in one line, when a HOST:PORT or ray://HOST:PORT address does not accept connections."""
    if address == "auto":
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise EngineError(f"{address}: not a Ray address; use auto, HOST:PORT or ray://HOST:PORT")
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise EngineError(f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}") from None


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
