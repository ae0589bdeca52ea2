"""Shortlist jobs run in one background thread; their state lives in SQLite, so a restart resumes them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from creatormatch.ranking import Ranker
from creatormatch.shortlist import ShortlistStore, run_job

logger = logging.getLogger(__name__)


class JobRunner:
    """Runs queued jobs one at a time, oldest first; jobs left running by a stopped service are resumed."""

    def __init__(self, store: ShortlistStore, ranker: Callable[[], Ranker | None]) -> None:
        """Prepare the runner.

        Args:
            store: where jobs live.
            ranker: returns the ranker once the bundle is loaded (None before).
        """
        self.store = store
        self.ranker = ranker
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="shortlist-jobs", daemon=True)

    def start(self) -> None:
        """Start the worker; jobs that were queued or running when the service stopped go first."""
        resumed = self.store.unfinished()
        if resumed:
            logger.info("resuming %d shortlist job(s) left by the previous run: %s", len(resumed), resumed)
        self._thread.start()
        self._wake.set()

    def submit(self) -> None:
        """Tell the worker a job was queued."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current batch; the job in flight stays resumable."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(timeout=1.0)
            self._wake.clear()
            ranker = self.ranker()
            if ranker is None:
                continue
            for job_id in self.store.unfinished():
                if self._stop.is_set():
                    return
                try:
                    run_job(self.store, job_id, ranker, should_stop=self._stop.is_set)
                except Exception as exc:  # a failed job is reported through its status, never lost silently
                    logger.exception("shortlist job %s failed", job_id)
                    self.store.set_status(job_id, "failed", error=f"{type(exc).__name__}: {exc}")
