"""What the service loads, and swaps whole on a reload: the encoder, the bundle and the ranker built over them."""

from __future__ import annotations

import gc
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from creatormatch.bundle import load_bundle, mark_serving, unmark_serving
from creatormatch.config import Settings
from creatormatch.encoder import BatchingEncoder, Encoder, EncoderError, encoder_from_settings, load_now, preload
from creatormatch.manifest import BundleError
from creatormatch.ranking import Ranker
from creatormatch.shortlist import ShortlistStore
from service.jobs import JobRunner

logger = logging.getLogger(__name__)
# How long shutdown waits for a bundle load in flight before it goes on (a large bundle hashes its files first).
CLOSE_WAIT_SECONDS = 30.0

# An absolute path in a message meant for clients is cut down to its last part ("/srv/indexes/v3" -> "v3").
_ABSOLUTE_PATH = re.compile(r"(?<![\w.~])/(?:[^\s/:'\"(),;]+/)*([^\s/:'\"(),;]+)")


def without_paths(message: str) -> str:
    """A message with each absolute path replaced by its last part: what /readyz and the API may show."""
    return _ABSOLUTE_PATH.sub(r"\1", message)


@dataclass(frozen=True)
class Refusal:
    """A bundle the service would not serve, and why."""

    version: str  # the bundle's folder name
    reason: str  # names the file and what is wrong; no absolute path, no library internals
    at: str  # when, ISO 8601 UTC

    def as_json(self) -> dict[str, str]:
        return {"version": self.version, "reason": self.reason, "at": self.at}


@dataclass(frozen=True)
class ReloadResult:
    """What one reload did."""

    outcome: Literal["reloaded", "unchanged", "refused"]
    serving: str | None  # the version served afterwards (None: nothing could be loaded yet)
    previous: str | None  # the version served before
    refused: Refusal | None
    seconds: float


def freeze_heap() -> None:
    """Move every object alive now (modules, the loaded bundle's Python objects) out of the garbage collector's
    sight, so that a full collection under load walks only what requests made since.

    Measured on the 5,000-creator bundle: about 120,000 tracked objects after load. Serving 1,500 full briefs
    triggered two full collections of 67-70 ms each, pauses every request in flight waited through; after the
    freeze, one of 2.7 ms. Called after each load that swapped a bundle in: what was frozen before is unfrozen
    and collected first, so a bundle replaced by a reload is not kept.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@dataclass
class AppState:
    """The service's one container of heavy things: filled by load() in the lifespan, swapped by reload().

    A reload loads and checks the new bundle beside the one being served, then replaces `ranker` in one
    assignment. A request holds the ranker it started with, so it finishes on the old bundle; the old one is
    freed when its last request ends. A bundle that fails any check is refused and the old one keeps serving.
    """

    settings: Settings
    bundle_path: Path  # as configured (such as indexes/current): resolved again at every reload
    encoder: Encoder | None = None
    ranker: Ranker | None = None
    error: str | None = None  # why nothing can be served (None while loading or once a bundle is served)
    refused: Refusal | None = None  # the last bundle refused since one was served
    on_encoder_batch: Callable[[int], None] | None = None  # sizes of shared encoder batches, for metrics
    # False in each worker of `serve --workers N`: the parent process reloads them all, so they serve one version.
    reload_in_process: bool = True
    reloading: bool = field(default=False, init=False)
    jobs: ShortlistStore = field(init=False)
    runner: JobRunner = field(init=False)
    _queries: BatchingEncoder | None = field(default=None, init=False, repr=False)
    _mark: Path | None = field(default=None, init=False, repr=False)
    _reload_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _closed: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        self.jobs = ShortlistStore(self.settings.jobs_path)
        self.runner = JobRunner(self.jobs, lambda: self.ranker, self.settings.job_lease_seconds,
                                self.settings.job_ttl_seconds)

    @property
    def not_ready_reason(self) -> str:
        """Why queries cannot be answered: no bundle could be loaded (and why), or it is still loading."""
        return self.error or "bundle is still loading"

    def readiness(self) -> dict[str, Any]:
        """The bundle served (if any), whether a reload runs, and the last one refused: the body of /readyz."""
        body: dict[str, Any] = {}
        ranker = self.ranker
        if ranker is not None:
            manifest = ranker.bundle.manifest
            body = {"status": "ready", "bundle_version": manifest.version, "creators": manifest.creators,
                    "model": manifest.model_name}
        else:
            body = {"status": "unavailable", "detail": self.not_ready_reason}
        body["reloading"] = self.reloading
        body["refused"] = self.refused.as_json() if self.refused is not None else None
        return body

    def load(self) -> None:
        """Load the encoder and the bundle at start-up; on failure keep the reason for /readyz (never raises)."""
        self.reload()

    def reload(self) -> ReloadResult:
        """Load the bundle `bundle_path` names now, check it fully, and swap it in; on any failure keep serving
        the one before and remember why (never raises). One reload runs at a time; others wait for it.

        Returns:
            reloaded, unchanged (that bundle is already served) or refused, with the versions.
        """
        with self._reload_lock:
            if self._closed:  # shutting down: a SIGHUP that came late
                version = self.ranker.bundle.version if self.ranker is not None else None
                return ReloadResult("unchanged", version, version, None, 0.0)
            self.reloading = True
            try:
                result = self._reload(time.perf_counter())
                if result.outcome == "reloaded":
                    freeze_heap()  # here, where this thread no longer holds the bundle it replaced
                return result
            finally:
                self.reloading = False

    def reload_in_background(self) -> threading.Thread:
        """reload() in a thread of its own (what SIGHUP does: a signal handler must not wait for a load)."""
        thread = threading.Thread(target=self.reload, name="bundle-reload", daemon=True)
        thread.start()
        return thread

    def close(self, wait: float = CLOSE_WAIT_SECONDS) -> None:
        """At shutdown: wait (up to `wait` seconds) for a load or reload in flight, then remove this process's
        mark beside the bundle it serves; no reload starts after this. (A thread still reading a bundle in native
        code when the interpreter exits can abort the process.)"""
        waited = self._reload_lock.acquire(timeout=wait)
        try:
            if not waited:
                logger.warning("shutting down while a bundle still loads (waited %.0f s)", wait)
            self._closed = True
            unmark_serving(self._mark)
            self._mark = None
        finally:
            if waited:
                self._reload_lock.release()

    def _reload(self, started: float) -> ReloadResult:
        previous = self.ranker
        previous_version = previous.bundle.version if previous is not None else None
        target = self.bundle_path.resolve()
        # The bundle served, still there: nothing to do. (Its folder deleted: the load below says so.)
        if previous is not None and previous.bundle.path == target and target.is_dir():
            self.refused = None  # the configured path names what is served again: an older refusal is moot
            return ReloadResult("unchanged", previous_version, previous_version, None,
                                time.perf_counter() - started)
        # Marked before loading: a build that finishes meanwhile must not prune what is about to be served.
        mark = mark_serving(target) if target.is_dir() else None
        try:
            ranker = self._ranker_for(target)
        except Exception as exc:
            unmark_serving(mark)
            refusal = self._refusal(target, exc)
            self.refused = refusal
            if previous is None:
                self.error = f"bundle refused: {refusal.version}: {refusal.reason}"
            logger.error("bundle %s refused: %s; %s", refusal.version, refusal.reason,
                         f"still serving {previous_version}" if previous_version else "nothing is served")
            return ReloadResult("refused", previous_version, previous_version, refusal,
                                time.perf_counter() - started)
        self.ranker = ranker  # the swap: one reference; requests holding the old ranker finish on it
        self.error = None
        self.refused = None
        unmark_serving(self._mark)
        self._mark = mark
        seconds = time.perf_counter() - started
        if previous_version is None:
            logger.info("ready: bundle %s (%d creators)", ranker.bundle.version, ranker.bundle.manifest.creators)
        else:
            logger.info("reloaded: now serving bundle %s (%d creators), was %s; loaded in %.1f s",
                        ranker.bundle.version, ranker.bundle.manifest.creators, previous_version, seconds)
        return ReloadResult("reloaded", ranker.bundle.version, previous_version, None, seconds)

    def _ranker_for(self, bundle_dir: Path) -> Ranker:
        """A ranker over the bundle, loaded and checked beside whatever is served now."""
        encoder = self.encoder or encoder_from_settings(self.settings)
        self.encoder = encoder
        if self._queries is None:
            preload(encoder)  # the model session is created while the bundle loads
            # Concurrent requests share encoder batches; kept across reloads (the model does not change).
            self._queries = BatchingEncoder(encoder, on_batch=self.on_encoder_batch)
        bundle = load_bundle(bundle_dir, encoder)
        load_now(encoder)  # a model that cannot load refuses the bundle with its reason, not every request
        # Repeated briefs come from the ranker's cache (a fresh one per bundle).
        return Ranker(bundle, self._queries, self.settings, query_cache_size=self.settings.query_cache_size)

    @staticmethod
    def _refusal(target: Path, exc: Exception) -> Refusal:
        """The refusal to show for a failed load: the bundle's error in words, never a path or a traceback."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        if isinstance(exc, BundleError):
            version = exc.bundle.name if exc.bundle is not None else target.name
            return Refusal(version, without_paths(exc.reason), now)
        if isinstance(exc, EncoderError):
            logger.error("the model could not be loaded: %s", exc)
            return Refusal(target.name, f"the model could not be loaded: {without_paths(str(exc))}", now)
        # The loader must report every failure through /readyz rather than die silently; the log has the rest.
        logger.exception("bundle %s failed to load", target.name)
        return Refusal(target.name, f"internal error while loading ({type(exc).__name__}); see the service log",
                       now)
