"""Shortlist jobs run in a background thread per process, claimed from a SQLite store that workers may share."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

from creatormatch.ranking import Ranker
from creatormatch.shortlist import JobStoreError, Lease, LeaseLost, ShortlistStore, run_job

logger = logging.getLogger(__name__)

MAX_BACKOFF = 30.0  # longest pause after the loop hit an error (a full disk, a locked store)
EXPIRE_EVERY = 60.0  # how often finished jobs past their time to live are deleted


def worker_name() -> str:
    """A name no other worker has: host, process id and a random part (a restarted process gets a new one)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class JobRunner:
    """Claims queued jobs one at a time (oldest first) and runs them under a lease.

    Every process of the service runs one. A job is claimed in one write transaction, so two workers never run
    the same job; each committed brand extends the lease; a job whose worker died is taken over when its lease runs
    out, from its last committed brand. The loop never dies: an error is logged, counted, and retried with backoff.
    """

    def __init__(self, store: ShortlistStore, ranker: Callable[[], Ranker | None], lease_seconds: float = 30.0,
                 ttl_seconds: float = 0.0, owner: str | None = None, idle_seconds: float = 1.0) -> None:
        """Prepare the runner.

        Args:
            store: where jobs live.
            ranker: returns the ranker once the bundle is loaded (None before).
            lease_seconds: how long a claimed job stays this worker's without a commit.
            ttl_seconds: finished jobs older than this are deleted; 0 keeps them.
            owner: this worker's name in the store; default a fresh unique one.
            idle_seconds: how long to wait for work before looking in the store again.
        """
        self.store = store
        self.ranker = ranker
        self.lease_seconds = lease_seconds
        self.ttl_seconds = ttl_seconds
        self.owner = owner or worker_name()
        self.idle_seconds = idle_seconds
        self.errors = 0  # errors the loop survived
        self.on_job_finished: Callable[[str, float], None] | None = None  # (outcome, seconds), for metrics
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._next_expiry = 0.0
        self._thread: threading.Thread | None = None

    @property
    def alive(self) -> bool:
        """The worker thread is running."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the worker (again, after stop()); jobs queued, or left running by a stopped worker, are picked up."""
        if self.alive:
            return
        unfinished = self.store.unfinished()
        if unfinished:
            logger.info("%d shortlist job(s) queued or running in the store", len(unfinished))
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="shortlist-jobs", daemon=True)
        self._thread.start()
        self._wake.set()

    def submit(self) -> None:
        """Tell the worker a job was queued."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current batch; the job in flight goes back to the queue with its committed brands."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            try:
                self._step()
                backoff = 1.0
            except Exception as exc:  # the loop must outlive any error: log it, count it, try again later
                self.errors += 1
                logger.error("shortlist job runner: %s: %s; trying again in %.0f s", type(exc).__name__, exc, backoff,
                             exc_info=not isinstance(exc, JobStoreError))
                self._stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)

    def _step(self) -> None:
        """One turn: expire old jobs when due, then claim and run one job, or wait for one."""
        if self.ttl_seconds > 0 and time.monotonic() >= self._next_expiry:
            self._next_expiry = time.monotonic() + min(EXPIRE_EVERY, self.ttl_seconds)
            expired = self.store.expire(time.time() - self.ttl_seconds)
            if expired:
                logger.info("deleted %d finished shortlist job(s) older than %d s", expired, self.ttl_seconds)
        ranker = self.ranker()
        lease = self.store.claim(self.owner, self.lease_seconds) if ranker is not None else None
        if ranker is None or lease is None:
            self._wake.wait(self.idle_seconds)
            self._wake.clear()
            return
        self._run(lease, ranker)

    def _run(self, lease: Lease, ranker: Ranker) -> None:
        started = time.perf_counter()
        outcome: str | None = None
        try:
            run_job(self.store, lease.job_id, ranker, should_stop=self._stop.is_set, lease=lease)
        except LeaseLost:
            logger.info("shortlist job %s was cancelled or taken over; this worker stopped working on it",
                        lease.job_id)
            outcome = "lost"
        except JobStoreError:
            raise  # the store is in trouble: the loop backs off, and the job is picked up again from its lease
        except Exception as exc:  # a failed job is reported through its status, never lost silently
            logger.exception("shortlist job %s failed", lease.job_id)
            self.store.finish(lease, "failed", error=f"internal error ({type(exc).__name__}); the service log "
                                                     "has the details")
            outcome = "failed"
        else:
            if self._stop.is_set():
                self.store.release(lease)
            else:
                outcome = "done"
        finally:
            if outcome is not None and self.on_job_finished is not None:
                self.on_job_finished(outcome, time.perf_counter() - started)
