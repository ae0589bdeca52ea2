"""Shortlists for many brands at once: the /match ranking per brand, progress kept in SQLite so a run resumes.

One store serves the command line (one job per output file, run by `run_shortlist_file`) and the service (one
job per POST /shortlists). Each finished brand is committed before the next starts, so an interrupted run loses at
most the brand in flight.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import ValidationError
from tqdm import tqdm

from creatormatch.api_models import COMPONENTS, CreatorResult, MatchRequest, brand_request, describe_errors
from creatormatch.dataset import InputError, validate_table, write_any
from creatormatch.ranking import Ranker
from creatormatch.schemas import BRANDS, FILE_EXTENSIONS

logger = logging.getLogger(__name__)
Positioned = list[tuple[int, dict[str, Any]]]  # brands with their position in the job
FloatArray = npt.NDArray[np.float32]

RESULT_SCHEMA: dict[str, pl.DataType] = {
    "brand_id": pl.Utf8(), "rank": pl.Int64(), "creator_id": pl.Utf8(), "handle": pl.Utf8(), "platform": pl.Utf8(),
    "followers": pl.Int64(), "tier": pl.Utf8(), "score": pl.Float64(),
    **{c: pl.Float64() for c in COMPONENTS}, "reasons": pl.List(pl.Utf8),
}
REJECT_SCHEMA: dict[str, pl.DataType] = {"brand_id": pl.Utf8(), "position": pl.Int64(), "reason": pl.Utf8()}
STATUSES = ("queued", "running", "done", "failed", "cancelled")
FINISHED = ("done", "failed", "cancelled")
MAX_TAKEOVERS = 3  # a job taken over this many times is failed when its worker dies again, not tried forever


class JobStoreError(Exception):
    """The job store cannot be read or written (disk full, read-only file, locked for too long)."""


class LeaseLost(Exception):
    """The job is no longer this worker's: it was cancelled, or taken over after the lease ran out."""


@dataclass(frozen=True)
class Lease:
    """A worker's hold on a claimed job: every commit checks it is still the owner and extends the lease."""

    job_id: str
    owner: str
    seconds: float


def brand_problem(brand: dict[str, Any], limit: int) -> str | None:
    """Why a brand cannot be ranked (no text, an unknown tier, ...), or None when it can."""
    try:
        brand_request(brand, limit=limit)
    except ValidationError as exc:
        return describe_errors(exc)
    return None


_JOB_COLUMNS = ("status, fingerprint, row_limit, max_per_creator, total, created_at, updated_at, error, owner, "
                "lease_until, finished_at, takeovers")
# Columns added after the first version; an older store gains them when opened.
_ADDED_COLUMNS = (("owner", "TEXT"), ("lease_until", "REAL"), ("finished_at", "REAL"),
                  ("takeovers", "INTEGER NOT NULL DEFAULT 0"))


class ShortlistStore:
    """Jobs, their brands, finished results and rejects, in one SQLite file.

    Several processes may share the file: a worker claims a queued job atomically (one write transaction), holds
    it under a lease that each commit extends, and loses it when the job is cancelled or when the lease runs out
    and another worker takes the job over. SQLite errors surface as JobStoreError.
    """

    def __init__(self, path: Path) -> None:
        """Open (or create) the store.

        Args:
            path: the SQLite file.

        Raises:
            JobStoreError: the file cannot be created or read.
        """
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Transactions are explicit (BEGIN IMMEDIATE in _write): a claim is one atomic read-and-update.
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
            self._db.execute("PRAGMA journal_mode=WAL")
        except (OSError, sqlite3.Error) as exc:
            raise JobStoreError(f"job store cannot be opened: {_reason(exc)}") from exc
        with self._write() as db:
            for statement in (
                "CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, status TEXT NOT NULL, fingerprint TEXT, "
                "row_limit INTEGER NOT NULL, max_per_creator INTEGER, total INTEGER NOT NULL, "
                "created_at REAL NOT NULL, updated_at REAL NOT NULL, error TEXT)",
                "CREATE TABLE IF NOT EXISTS brands (job_id TEXT NOT NULL, position INTEGER NOT NULL, "
                "brand TEXT NOT NULL, PRIMARY KEY (job_id, position))",
                "CREATE TABLE IF NOT EXISTS results (job_id TEXT NOT NULL, position INTEGER NOT NULL, "
                "brand_id TEXT NOT NULL, rows TEXT NOT NULL, PRIMARY KEY (job_id, position))",
                "CREATE TABLE IF NOT EXISTS rejects (job_id TEXT NOT NULL, position INTEGER NOT NULL, "
                "brand_id TEXT, reason TEXT NOT NULL, PRIMARY KEY (job_id, position))",
            ):
                db.execute(statement)
            present = {row[1] for row in db.execute("PRAGMA table_info(jobs)")}
            for name, declaration in _ADDED_COLUMNS:
                if name not in present:
                    db.execute(f"ALTER TABLE jobs ADD COLUMN {name} {declaration}")
            db.execute("CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status, created_at)")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so two processes never interleave."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise JobStoreError(f"job store cannot be written: {_reason(exc)}") from exc
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:
                    with suppress(sqlite3.Error):  # SQLite may have rolled back already (a full disk does)
                        self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise JobStoreError(f"job store cannot be written: {_reason(exc)}") from exc
                raise

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._db.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise JobStoreError(f"job store cannot be read: {_reason(exc)}") from exc

    def create(self, job_id: str, brands: Sequence[dict[str, Any]], limit: int, max_per_creator: int | None,
               fingerprint: str | None = None, rejects: Sequence[tuple[int, str | None, str]] = ()) -> None:
        """Record a new queued job with its brands.

        Args:
            job_id: the new job's id.
            brands: the brands, in order.
            limit: creators per brand.
            max_per_creator: the per-creator cap, or None.
            fingerprint: what the job was made from (file-backed runs resume only the same inputs).
            rejects: (position, brand_id, reason) of brands already known not to be rankable.
        """
        now = time.time()
        with self._write() as db:
            db.execute("INSERT INTO jobs (job_id, status, fingerprint, row_limit, max_per_creator, total, created_at, "
                       "updated_at) VALUES (?, 'queued', ?, ?, ?, ?, ?, ?)",
                       (job_id, fingerprint, limit, max_per_creator, len(brands), now, now))
            db.executemany("INSERT INTO brands VALUES (?, ?, ?)",
                           [(job_id, i, json.dumps(b, default=str)) for i, b in enumerate(brands)])
            db.executemany("INSERT INTO rejects VALUES (?, ?, ?, ?)", [(job_id, *reject) for reject in rejects])

    def delete(self, job_id: str) -> None:
        """Forget a job and everything it produced."""
        with self._write() as db:
            _delete_jobs(db, [job_id])

    def job(self, job_id: str) -> dict[str, Any] | None:
        """The job's status and counts, or None when unknown."""
        rows = self._read(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE job_id = ?", (job_id,))
        if not rows:
            return None
        (status, fingerprint, limit, max_per_creator, total, created, updated, error, owner, lease_until, finished,
         takeovers) = rows[0]
        done = self._read("SELECT COUNT(*) FROM results WHERE job_id = ?", (job_id,))[0][0]
        rejected = self._read("SELECT COUNT(*) FROM rejects WHERE job_id = ?", (job_id,))[0][0]
        return {"job_id": job_id, "status": status, "fingerprint": fingerprint, "limit": limit,
                "max_per_creator": max_per_creator, "total": total, "done": done, "rejected": rejected,
                "created_at": created, "updated_at": updated, "finished_at": finished, "error": error,
                "owner": owner, "lease_until": lease_until, "takeovers": takeovers}

    def set_status(self, job_id: str, status: str, error: str | None = None) -> None:
        """Move a job to another status without a lease (the single-process command line, and tests)."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        now = time.time()
        with self._write() as db:
            db.execute("UPDATE jobs SET status = ?, error = ?, updated_at = ?, finished_at = ?, owner = NULL, "
                       "lease_until = NULL WHERE job_id = ?",
                       (status, error, now, now if status in FINISHED else None, job_id))

    def claim(self, owner: str, lease_seconds: float) -> Lease | None:
        """Take the oldest queued job, or a running one whose lease ran out (its worker died), for `owner`.

        One write transaction picks and marks the job, so two workers never claim the same one. A job the owner
        already holds (its run stopped on a store error) is taken back at once. A job taken over from other workers
        MAX_TAKEOVERS times is failed instead: something in it keeps killing workers.

        Returns:
            The lease on the claimed job, or None when there is nothing to do.
        """
        while True:
            now = time.time()
            with self._write() as db:
                row = db.execute("SELECT job_id, status, takeovers, owner FROM jobs WHERE status = 'queued' OR "
                                 "(status = 'running' AND (lease_until IS NULL OR lease_until < ? OR owner = ?)) "
                                 "ORDER BY created_at, job_id LIMIT 1", (now, owner)).fetchone()
                if row is None:
                    return None
                job_id, status, takeovers, previous = row
                takeover = status == "running" and previous != owner
                if takeover and takeovers >= MAX_TAKEOVERS:
                    db.execute("UPDATE jobs SET status = 'failed', error = ?, owner = NULL, lease_until = NULL, "
                               "finished_at = ?, updated_at = ? WHERE job_id = ?",
                               (f"given up: the worker running it stopped {takeovers + 1} times", now, now, job_id))
                    logger.error("shortlist job %s failed: its worker stopped %d times", job_id, takeovers + 1)
                    continue
                db.execute("UPDATE jobs SET status = 'running', owner = ?, lease_until = ?, updated_at = ?, "
                           "takeovers = takeovers + ? WHERE job_id = ?",
                           (owner, now + lease_seconds, now, int(takeover), job_id))
            if takeover:
                logger.warning("taking over shortlist job %s from %r: its lease ran out", job_id, previous)
            return Lease(job_id, owner, lease_seconds)

    def _hold(self, db: sqlite3.Connection, lease: Lease | None) -> None:
        """Inside a write: check the lease is still held and extend it, or raise LeaseLost."""
        if lease is None:
            return
        now = time.time()
        held = db.execute("UPDATE jobs SET lease_until = ?, updated_at = ? WHERE job_id = ? AND owner = ? "
                          "AND status = 'running'", (now + lease.seconds, now, lease.job_id, lease.owner))
        if held.rowcount == 0:
            raise LeaseLost(f"shortlist job {lease.job_id} is no longer held by {lease.owner}")

    def renew(self, lease: Lease) -> None:
        """Extend the lease (raises LeaseLost when the job is no longer the owner's)."""
        with self._write() as db:
            self._hold(db, lease)

    def finish(self, lease: Lease, status: str = "done", error: str | None = None) -> None:
        """End a leased job as done or failed; raises LeaseLost when it is no longer the owner's."""
        if status not in ("done", "failed"):
            raise ValueError(f"a job finishes as done or failed, not {status!r}")
        now = time.time()
        with self._write() as db:
            self._hold(db, lease)
            db.execute("UPDATE jobs SET status = ?, error = ?, owner = NULL, lease_until = NULL, finished_at = ?, "
                       "updated_at = ? WHERE job_id = ?", (status, error, now, now, lease.job_id))

    def release(self, lease: Lease) -> None:
        """Hand a leased job back to the queue (the worker is stopping); its committed brands are kept."""
        with self._write() as db:
            db.execute("UPDATE jobs SET status = 'queued', owner = NULL, lease_until = NULL, updated_at = ? "
                       "WHERE job_id = ? AND owner = ? AND status = 'running'",
                       (time.time(), lease.job_id, lease.owner))

    def cancel(self, job_id: str) -> str | None:
        """Cancel a queued or running job (its brands are dropped; what it ranked stays until it expires), or
        delete a finished one with all its rows.

        Returns:
            "cancelled", "deleted", or None for an unknown job.
        """
        now = time.time()
        with self._write() as db:
            row = db.execute("SELECT status FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
            if row is None:
                return None
            if row[0] in FINISHED:
                _delete_jobs(db, [job_id])
                return "deleted"
            db.execute("UPDATE jobs SET status = 'cancelled', owner = NULL, lease_until = NULL, finished_at = ?, "
                       "updated_at = ? WHERE job_id = ?", (now, now, job_id))
            db.execute("DELETE FROM brands WHERE job_id = ?", (job_id,))
            return "cancelled"

    def expire(self, finished_before: float) -> int:
        """Delete jobs that finished (done, failed or cancelled) before a time, with all their rows.

        Returns:
            How many jobs were deleted.
        """
        with self._write() as db:
            ids = [r[0] for r in db.execute(
                "SELECT job_id FROM jobs WHERE status IN ('done', 'failed', 'cancelled') "
                "AND COALESCE(finished_at, updated_at) < ?", (finished_before,))]
            _delete_jobs(db, ids)
        return len(ids)

    def counts(self) -> dict[str, int]:
        """Jobs per status (every status, 0 when none)."""
        found = dict(self._read("SELECT status, COUNT(*) FROM jobs GROUP BY status"))
        return {status: int(found.get(status, 0)) for status in STATUSES}

    def brands(self, job_id: str) -> list[dict[str, Any]]:
        """The job's brands in submission order."""
        rows = self._read("SELECT brand FROM brands WHERE job_id = ? ORDER BY position", (job_id,))
        return [json.loads(r[0]) for r in rows]

    def finished_positions(self, job_id: str) -> set[int]:
        """Positions of brands already ranked or rejected."""
        rows = self._read("SELECT position FROM results WHERE job_id = ? UNION SELECT position FROM rejects "
                          "WHERE job_id = ?", (job_id, job_id))
        return {r[0] for r in rows}

    def add_result(self, job_id: str, position: int, brand_id: str, rows: list[dict[str, Any]],
                   lease: Lease | None = None) -> None:
        """Commit one brand's shortlist (with a lease: only while the lease is held, extending it)."""
        with self._write() as db:
            self._hold(db, lease)
            db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                       (job_id, position, brand_id, json.dumps(rows)))
            db.execute("UPDATE jobs SET updated_at = ? WHERE job_id = ?", (time.time(), job_id))

    def add_reject(self, job_id: str, position: int, brand_id: str | None, reason: str,
                   lease: Lease | None = None) -> None:
        """Commit one brand that cannot be ranked, with the reason (with a lease: only while it is held)."""
        with self._write() as db:
            self._hold(db, lease)
            db.execute("INSERT OR REPLACE INTO rejects VALUES (?, ?, ?, ?)", (job_id, position, brand_id, reason))

    def results(self, job_id: str) -> pl.DataFrame:
        """Every (brand, creator) row so far, in brand order then rank."""
        rows = self._read("SELECT rows FROM results WHERE job_id = ? ORDER BY position", (job_id,))
        return _result_frame([row for (payload,) in rows for row in json.loads(payload)])

    def results_page(self, job_id: str, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """One page of the rows (brand order, then rank) and the number of rows in all; only the brands the page
        touches are read."""
        if offset < 0 or limit < 1:
            raise ValueError(f"offset must be >= 0 and limit >= 1, got {offset} and {limit}")
        sizes = self._read("SELECT position, json_array_length(rows) FROM results WHERE job_id = ? "
                           "ORDER BY position", (job_id,))
        total = sum(n for _, n in sizes)
        start, first, last, skip = 0, None, None, 0
        for position, n in sizes:
            if n and start + n > offset and start < offset + limit:
                if first is None:
                    first, skip = position, offset - start
                last = position
            start += n
        if first is None:
            return [], total
        payloads = self._read("SELECT rows FROM results WHERE job_id = ? AND position BETWEEN ? AND ? "
                              "ORDER BY position", (job_id, first, last))
        rows = [row for (payload,) in payloads for row in json.loads(payload)]
        return rows[skip:skip + limit], total

    def rejects(self, job_id: str) -> pl.DataFrame:
        """Brands that could not be ranked, with reasons."""
        rows = self._read("SELECT brand_id, position, reason FROM rejects WHERE job_id = ? ORDER BY position",
                          (job_id,))
        return pl.DataFrame(rows, schema=REJECT_SCHEMA, orient="row")

    def creator_counts(self, job_id: str) -> Counter[str]:
        """How many shortlists of the job each creator is in so far."""
        counts: Counter[str] = Counter()
        for (payload,) in self._read("SELECT rows FROM results WHERE job_id = ?", (job_id,)):
            counts.update(row["creator_id"] for row in json.loads(payload))
        return counts

    def unfinished(self) -> list[str]:
        """Jobs queued or running (oldest first)."""
        rows = self._read("SELECT job_id FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at")
        return [r[0] for r in rows]

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def _delete_jobs(db: sqlite3.Connection, job_ids: Sequence[str]) -> None:
    for table in ("jobs", "brands", "results", "rejects"):
        db.executemany(f"DELETE FROM {table} WHERE job_id = ?", [(job_id,) for job_id in job_ids])


def _result_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=RESULT_SCHEMA, orient="row") if rows else pl.DataFrame(schema=RESULT_SCHEMA)


def _reason(exc: BaseException) -> str:
    """SQLite's own words (e.g. "database or disk is full") or the OS error without its file name."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


@dataclass
class RunSummary:
    """What one run of a job did."""

    ranked: int
    rejected: int
    skipped: int
    seconds: float


def run_job(store: ShortlistStore, job_id: str, ranker: Ranker | BrandRanker, batch_size: int = 32,
            progress: Callable[[int], None] | None = None, should_stop: Callable[[], bool] | None = None,
            lease: Lease | None = None) -> RunSummary:
    """Rank every brand of a job not finished yet, committing each brand as it is done.

    Brands are validated (a brand that cannot be ranked is rejected with its reason), embedded in batches and
    ranked with the /match code. With max_per_creator, a creator already in that many shortlists is passed over
    in later brands (in brand order), so one popular creator is not offered to every brand at once.

    Args:
        store: the store holding the job.
        job_id: the job.
        ranker: the ranking over the bundle (ranked in this process), or a BrandRanker that ranks elsewhere (Ray
            workers); either way the cap and every write are applied here, brand by brand in brand order.
        batch_size: brands embedded per encoder call.
        progress: called with the number of brands finished after each one.
        should_stop: checked between batches; when it returns true the run stops (the job stays resumable).
        lease: the worker's lease when the job was claimed from a shared store: each commit then checks it still
            holds the job and extends the lease. None in a single-process run.

    Returns:
        Counts of this run.

    Raises:
        KeyError: unknown job.
        LeaseLost: the job was cancelled or taken over during the run.
        JobStoreError: the store cannot be written (the job stays resumable).
    """
    job = store.job(job_id)
    if job is None:
        raise KeyError(job_id)
    started = time.perf_counter()
    limit, cap = int(job["limit"]), job["max_per_creator"]
    finished = store.finished_positions(job_id)
    counts = store.creator_counts(job_id) if cap else Counter()
    pending = [(i, b) for i, b in enumerate(store.brands(job_id)) if i not in finished]
    ranked = rejected = 0
    if lease is None:
        store.set_status(job_id, "running")
    brand_ranker = as_brand_ranker(ranker)
    batches = [pending[start:start + batch_size] for start in range(0, len(pending), batch_size)]
    outcomes = brand_ranker.rank(batches, limit, fetch=limit if not cap else limit * 3)
    try:
        for _ in batches:
            if should_stop is not None and should_stop():
                break
            if lease is not None:
                store.renew(lease)
            for outcome in next(outcomes):
                if outcome.problem is not None:
                    store.add_reject(job_id, outcome.position, outcome.brand_id, outcome.problem, lease=lease)
                    logger.warning("brand %r rejected: %s", outcome.brand_id, outcome.problem)
                    rejected += 1
                else:
                    rows = _pick(outcome, limit, cap, counts)
                    store.add_result(job_id, outcome.position, outcome.brand_id, rows, lease=lease)
                    ranked += 1
                if progress is not None:
                    progress(1)
    finally:
        outcomes.close()
    if len(store.finished_positions(job_id)) >= int(job["total"]):
        if lease is None:
            store.set_status(job_id, "done")
        else:
            store.finish(lease)
    return RunSummary(ranked=ranked, rejected=rejected, skipped=len(finished),
                      seconds=time.perf_counter() - started)


MAX_FETCH = 2000


@dataclass
class RankedBrand:
    """One brand of a batch: why it cannot be ranked, or its best creators to the depth asked for.

    Attributes:
        position: the brand's position in the job.
        brand_id: its id ("" when it has none).
        problem: why it cannot be ranked, or None.
        candidates: shortlist rows without brand_id and rank (creator_id, handle, ..., reasons), best first.
        fetch: the depth the candidates were ranked to (fewer candidates means every creator that passes).
        deeper: ranks the brand again to a greater depth, for a cap that passed over too many candidates.
    """

    position: int
    brand_id: str
    problem: str | None
    candidates: list[dict[str, Any]]
    fetch: int
    deeper: Callable[[int], list[dict[str, Any]]]


@runtime_checkable
class BrandRanker(Protocol):
    """Ranks batches of brands (in this process, or on workers elsewhere) for run_job."""

    @property
    def version(self) -> str:
        """The version of the bundle the brands are ranked over."""
        ...

    def rank(self, batches: Sequence[Positioned], limit: int, fetch: int) -> Generator[Iterable[RankedBrand]]:
        """Each batch's brands, ranked to depth `fetch`, batch after batch in the order given. A batch may rank
        its brands lazily, as the caller takes them, so that each is committed before the next is ranked.

        Args:
            batches: brands with their positions, in job order.
            limit: creators per brand (what brand_problem checks against).
            fetch: how many candidates to rank for each brand.
        """
        ...


class LocalBrandRanker:
    """Brands ranked in this process: the next batch is embedded in a second thread while this one is ranked."""

    def __init__(self, ranker: Ranker) -> None:
        self.ranker = ranker

    @property
    def version(self) -> str:
        return self.ranker.bundle.version

    def rank(self, batches: Sequence[Positioned], limit: int, fetch: int) -> Generator[Iterable[RankedBrand]]:
        # The encoder releases the GIL and ranking is mostly Python, so the two overlap on two cores.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="shortlist-encoder") as pool:
            upcoming = pool.submit(encode_batch, self.ranker, batches[0], limit) if batches else None
            for index in range(len(batches)):
                assert upcoming is not None
                refused, valid, queries = upcoming.result()
                upcoming = pool.submit(encode_batch, self.ranker, batches[index + 1], limit) \
                    if index + 1 < len(batches) else None
                yield chain(refused, (rank_brand(self.ranker, position, brand, request, query, fetch)
                                      for (position, brand, request), query in zip(valid, queries, strict=True)))


def as_brand_ranker(ranker: Ranker | BrandRanker) -> BrandRanker:
    """The ranker as run_job uses it: a Ranker ranks in this process (LocalBrandRanker)."""
    return ranker if isinstance(ranker, BrandRanker) else LocalBrandRanker(ranker)


Valid = list[tuple[int, dict[str, Any], MatchRequest]]  # rankable brands: position, brand, /match request


def encode_batch(ranker: Ranker, batch: Positioned, limit: int) -> tuple[list[RankedBrand], Valid, FloatArray]:
    """A batch split into the brands that cannot be ranked and the others, whose briefs are embedded in one call
    (their query vectors, row for row)."""
    refused, valid = split_brands(batch, limit)
    queries = ranker.encode_briefs([r for _, _, r in valid]) if valid else np.zeros((0, 0), np.float32)
    return refused, valid, queries


def split_brands(batch: Positioned, limit: int) -> tuple[list[RankedBrand], Valid]:
    """The brands that cannot be ranked (with the reason), and the others with their /match requests."""
    refused, valid = [], []
    for position, brand in batch:
        problem = brand_problem(brand, limit)
        if problem is None:
            valid.append((position, brand, brand_request(brand, limit=limit)))
        else:
            refused.append(RankedBrand(position, _brand_id(brand), problem, [], 0, _no_deeper))
    return refused, valid


def rank_brand(ranker: Ranker, position: int, brand: dict[str, Any], request: MatchRequest, query: FloatArray,
               fetch: int) -> RankedBrand:
    """One valid brand ranked to depth fetch, with a `deeper` that ranks it again in this process."""

    def candidates(depth: int) -> list[dict[str, Any]]:
        # depth, not the request's limit: the API's limit cap does not bind an internal over-fetch. A shortlist
        # row keeps the reasons but not the evidence posts, so they are not read.
        return [_row(result) for result in ranker.match(request, query, depth=depth, evidence=False).results]

    return RankedBrand(position, _brand_id(brand), None, candidates(fetch), fetch, candidates)


def _row(result: CreatorResult) -> dict[str, Any]:
    return {"creator_id": result.creator_id, "handle": result.handle, "platform": result.platform,
            "followers": result.followers, "tier": result.tier, "score": result.score,
            **{c: result.components.get(c) for c in COMPONENTS}, "reasons": result.reasons}


def _no_deeper(depth: int) -> list[dict[str, Any]]:  # noqa: ARG001
    return []


def _pick(brand: RankedBrand, limit: int, cap: int | None, counts: Counter[str]) -> list[dict[str, Any]]:
    """The brand's top `limit` creators, passing over those already in `cap` shortlists (ranking deeper as
    needed), and count them."""
    candidates, fetch = brand.candidates, brand.fetch
    while True:
        chosen = [r for r in candidates if not cap or counts[r["creator_id"]] < cap][:limit]
        exhausted = len(candidates) < fetch or fetch >= MAX_FETCH
        if len(chosen) == limit or exhausted:
            break
        fetch = min(MAX_FETCH, fetch * 3)
        candidates = brand.deeper(fetch)
    rows = []
    for rank, row in enumerate(chosen, start=1):
        counts[row["creator_id"]] += 1
        rows.append({"brand_id": brand.brand_id, "rank": rank, **row})
    return rows


def _brand_id(brand: dict[str, Any]) -> str:
    return str(brand.get("brand_id") or "")


# The one job in a file-backed run's progress file, named as the command line named it before the run moved
# here, so progress files left by older versions still resume.
FILE_JOB = "cli"


@dataclass
class ShortlistFileResult:
    """What a file-backed shortlist run wrote."""

    out: Path
    brands_shortlisted: int
    rows: int
    rejected: int
    rejects_path: Path | None
    total: int
    resumed_from: int
    started_over: bool
    brands_per_second: float


class ShortlistInterrupted(KeyboardInterrupt):
    """A file-backed run stopped by Ctrl-C (or SIGTERM turned into one); running it again resumes it."""

    def __init__(self, done: int, total: int, progress_path: Path) -> None:
        super().__init__(f"interrupted after {done} of {total} brands (progress is in {progress_path})")
        self.done = done
        self.total = total
        self.progress_path = progress_path


def run_shortlist_file(brands: Path, out: Path, ranker: Ranker | BrandRanker, limit: int = 20,
                       max_per_creator: int | None = None, batch_size: int = 32,
                       progress: bool = False) -> ShortlistFileResult:
    """Shortlists for every brand in a file, written to `out`; an interrupted run resumes when called again.

    Progress is committed brand by brand to `<out>.progress.sqlite`. A run finds the progress of an earlier,
    interrupted one and resumes it when the brands file, the bundle and the options are the same (a fingerprint of
    the three), and starts over otherwise. Brands the data contract rejects and brands that cannot be ranked go to
    `<out stem>.rejects.csv` with their reasons (removed when there are none). The output is written atomically,
    and the progress file is deleted once it is.

    Args:
        brands: brands file in the data contract (CSV, JSONL or Parquet).
        out: output file, one row per (brand, creator); its extension picks the format.
        ranker: the ranking over the bundle, or a BrandRanker ranking elsewhere (training.engine_ray).
        limit: creators per brand.
        max_per_creator: put no creator in more than this many shortlists (earlier brands first); None for no cap.
        batch_size: brands embedded per encoder call.
        progress: show a progress bar (on stderr).

    Returns:
        Counts and paths of what was written.

    Raises:
        InputError: the brands file is unusable, or the output's extension is unknown.
        ValueError: limit, max_per_creator or batch_size is below 1.
        ShortlistInterrupted: Ctrl-C during the run; the progress is kept.
    """
    if limit < 1 or batch_size < 1 or (max_per_creator is not None and max_per_creator < 1):
        raise ValueError(f"limit, max_per_creator and batch_size must be >= 1, got {limit}, {max_per_creator}, "
                         f"{batch_size}")
    if out.suffix.lower() not in FILE_EXTENSIONS:
        raise InputError(out.name, f"unknown file type; use one of {', '.join(FILE_EXTENSIONS)}")
    table = validate_table(brands, BRANDS)
    rows = table.frame.drop("_row").to_dicts()
    version = as_brand_ranker(ranker).version
    fingerprint = hashlib.sha256(brands.read_bytes() + f"|{version}|{limit}|{max_per_creator}".encode())
    progress_path = out.with_name(f"{out.name}.progress.sqlite")
    rejects_path = out.with_name(f"{out.stem}.rejects.csv")
    store = ShortlistStore(progress_path)
    try:
        resumed_from, total, started_over = _open_file_job(store, rows, limit, max_per_creator,
                                                           fingerprint.hexdigest())
        summary = _run_file_job(store, ranker, total, resumed_from, batch_size, progress)
        results = store.results(FILE_JOB)
        rejected = pl.concat([
            table.rejects.select(pl.col("id").alias("brand_id"), pl.col("row").alias("position"),
                                 pl.format("{}: {}", pl.col("field"), pl.col("reason")).alias("reason")),
            store.rejects(FILE_JOB).with_columns(pl.col("position") + 1),
        ]).cast(REJECT_SCHEMA)  # type: ignore[arg-type]
        write_any(results, out)
        if rejected.height:
            write_any(rejected, rejects_path)
        else:
            rejects_path.unlink(missing_ok=True)
    finally:
        store.close()
    for leftover in ("", "-wal", "-shm"):
        progress_path.with_name(progress_path.name + leftover).unlink(missing_ok=True)
    finished = summary.ranked + summary.rejected
    return ShortlistFileResult(
        out=out, brands_shortlisted=results.get_column("brand_id").n_unique(), rows=results.height,
        rejected=rejected.height, rejects_path=rejects_path if rejected.height else None, total=total,
        resumed_from=resumed_from, started_over=started_over,
        brands_per_second=finished / summary.seconds if summary.seconds > 0 else 0.0)


def _open_file_job(store: ShortlistStore, rows: list[dict[str, Any]], limit: int, max_per_creator: int | None,
                   fingerprint: str) -> tuple[int, int, bool]:
    """Resume the store's job when its fingerprint matches, else create it afresh.

    Returns:
        Brands already finished, brands in the job, and whether an earlier job with another fingerprint was
        discarded.
    """
    job = store.job(FILE_JOB)
    if job is not None and job["fingerprint"] == fingerprint:
        logger.info("resuming: %d of %d brands already done", job["done"] + job["rejected"], job["total"])
        return len(store.finished_positions(FILE_JOB)), int(job["total"]), False
    if job is not None:
        logger.info("brands, bundle or options changed since the interrupted run; starting over")
        store.delete(FILE_JOB)
    store.create(FILE_JOB, rows, limit, max_per_creator, fingerprint)
    return 0, len(rows), job is not None


def _run_file_job(store: ShortlistStore, ranker: Ranker | BrandRanker, total: int, already: int, batch_size: int,
                  progress: bool) -> RunSummary:
    """Run the job with a progress bar; on Ctrl-C, raise ShortlistInterrupted with how far it got."""
    bar = tqdm(total=total, initial=already, desc="shortlists", unit="brand", disable=not progress)
    try:
        return run_job(store, FILE_JOB, ranker, batch_size=batch_size, progress=bar.update)
    except KeyboardInterrupt:
        raise ShortlistInterrupted(len(store.finished_positions(FILE_JOB)), total, store.path) from None
    finally:
        bar.close()
