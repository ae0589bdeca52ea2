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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import ValidationError
from tqdm import tqdm

from creatormatch.api_models import COMPONENTS, MatchRequest, brand_request, describe_errors
from creatormatch.dataset import InputError, validate_table, write_any
from creatormatch.ranking import Ranker
from creatormatch.schemas import BRANDS, FILE_EXTENSIONS

logger = logging.getLogger(__name__)

RESULT_SCHEMA: dict[str, pl.DataType] = {
    "brand_id": pl.Utf8(), "rank": pl.Int64(), "creator_id": pl.Utf8(), "handle": pl.Utf8(), "platform": pl.Utf8(),
    "followers": pl.Int64(), "tier": pl.Utf8(), "score": pl.Float64(),
    **{c: pl.Float64() for c in COMPONENTS}, "reasons": pl.List(pl.Utf8),
}
REJECT_SCHEMA: dict[str, pl.DataType] = {"brand_id": pl.Utf8(), "position": pl.Int64(), "reason": pl.Utf8()}
STATUSES = ("queued", "running", "done", "failed")


def brand_problem(brand: dict[str, Any], limit: int) -> str | None:
    """Why a brand cannot be ranked (no text, an unknown tier, ...), or None when it can."""
    try:
        brand_request(brand, limit=limit)
    except ValidationError as exc:
        return describe_errors(exc)
    return None


class ShortlistStore:
    """Jobs, their brands, finished results and rejects, in one SQLite file."""

    def __init__(self, path: Path) -> None:
        """Open (or create) the store.

        Args:
            path: the SQLite file.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        with self._db:
            self._db.executescript("""
                CREATE TABLE IF NOT EXISTS jobs (job_id TEXT PRIMARY KEY, status TEXT NOT NULL, fingerprint TEXT,
                    row_limit INTEGER NOT NULL, max_per_creator INTEGER, total INTEGER NOT NULL,
                    created_at REAL NOT NULL, updated_at REAL NOT NULL, error TEXT);
                CREATE TABLE IF NOT EXISTS brands (job_id TEXT NOT NULL, position INTEGER NOT NULL,
                    brand TEXT NOT NULL, PRIMARY KEY (job_id, position));
                CREATE TABLE IF NOT EXISTS results (job_id TEXT NOT NULL, position INTEGER NOT NULL,
                    brand_id TEXT NOT NULL, rows TEXT NOT NULL, PRIMARY KEY (job_id, position));
                CREATE TABLE IF NOT EXISTS rejects (job_id TEXT NOT NULL, position INTEGER NOT NULL,
                    brand_id TEXT, reason TEXT NOT NULL, PRIMARY KEY (job_id, position));
            """)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._db:
            yield self._db

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def create(self, job_id: str, brands: Sequence[dict[str, Any]], limit: int, max_per_creator: int | None,
               fingerprint: str | None = None) -> None:
        """Record a new queued job with its brands."""
        now = time.time()
        with self._write() as db:
            db.execute("INSERT INTO jobs VALUES (?, 'queued', ?, ?, ?, ?, ?, ?, NULL)",
                       (job_id, fingerprint, limit, max_per_creator, len(brands), now, now))
            db.executemany("INSERT INTO brands VALUES (?, ?, ?)",
                           [(job_id, i, json.dumps(b, default=str)) for i, b in enumerate(brands)])

    def delete(self, job_id: str) -> None:
        """Forget a job and everything it produced."""
        with self._write() as db:
            for table in ("jobs", "brands", "results", "rejects"):
                db.execute(f"DELETE FROM {table} WHERE job_id = ?", (job_id,))

    def job(self, job_id: str) -> dict[str, Any] | None:
        """The job's status and counts, or None when unknown."""
        rows = self._read("SELECT status, fingerprint, row_limit, max_per_creator, total, created_at, updated_at, "
                          "error FROM jobs WHERE job_id = ?", (job_id,))
        if not rows:
            return None
        status, fingerprint, limit, max_per_creator, total, created, updated, error = rows[0]
        done = self._read("SELECT COUNT(*) FROM results WHERE job_id = ?", (job_id,))[0][0]
        rejected = self._read("SELECT COUNT(*) FROM rejects WHERE job_id = ?", (job_id,))[0][0]
        return {"job_id": job_id, "status": status, "fingerprint": fingerprint, "limit": limit,
                "max_per_creator": max_per_creator, "total": total, "done": done, "rejected": rejected,
                "created_at": created, "updated_at": updated, "error": error}

    def set_status(self, job_id: str, status: str, error: str | None = None) -> None:
        """Move a job to another status."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with self._write() as db:
            db.execute("UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE job_id = ?",
                       (status, error, time.time(), job_id))

    def brands(self, job_id: str) -> list[dict[str, Any]]:
        """The job's brands in submission order."""
        rows = self._read("SELECT brand FROM brands WHERE job_id = ? ORDER BY position", (job_id,))
        return [json.loads(r[0]) for r in rows]

    def finished_positions(self, job_id: str) -> set[int]:
        """Positions of brands already ranked or rejected."""
        rows = self._read("SELECT position FROM results WHERE job_id = ? UNION SELECT position FROM rejects "
                          "WHERE job_id = ?", (job_id, job_id))
        return {r[0] for r in rows}

    def add_result(self, job_id: str, position: int, brand_id: str, rows: list[dict[str, Any]]) -> None:
        """Commit one brand's shortlist."""
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                       (job_id, position, brand_id, json.dumps(rows)))
            db.execute("UPDATE jobs SET updated_at = ? WHERE job_id = ?", (time.time(), job_id))

    def add_reject(self, job_id: str, position: int, brand_id: str | None, reason: str) -> None:
        """Commit one brand that cannot be ranked, with the reason."""
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO rejects VALUES (?, ?, ?, ?)", (job_id, position, brand_id, reason))

    def results(self, job_id: str) -> pl.DataFrame:
        """Every (brand, creator) row so far, in brand order then rank."""
        rows = self._read("SELECT rows FROM results WHERE job_id = ? ORDER BY position", (job_id,))
        flat = [row for (payload,) in rows for row in json.loads(payload)]
        return pl.DataFrame(flat, schema=RESULT_SCHEMA, orient="row") if flat else pl.DataFrame(schema=RESULT_SCHEMA)

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
        """Jobs queued or running (oldest first): after a restart these are resumed."""
        rows = self._read("SELECT job_id FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at")
        return [r[0] for r in rows]

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


@dataclass
class RunSummary:
    """What one run of a job did."""

    ranked: int
    rejected: int
    skipped: int
    seconds: float


def run_job(store: ShortlistStore, job_id: str, ranker: Ranker, batch_size: int = 32,
            progress: Callable[[int], None] | None = None, should_stop: Callable[[], bool] | None = None
            ) -> RunSummary:
    """Rank every brand of a job not finished yet, committing each brand as it is done.

    Brands are validated (a brand that cannot be ranked is rejected with its reason), embedded in batches and
    ranked with the /match code. With max_per_creator, a creator already in that many shortlists is passed over
    in later brands (in brand order), so one popular creator is not offered to every brand at once.

    Args:
        store: the store holding the job.
        job_id: the job.
        ranker: the ranking over the bundle.
        batch_size: brands embedded per encoder call.
        progress: called with the number of brands finished after each one.
        should_stop: checked between batches; when it returns true the run stops (the job stays resumable).

    Returns:
        Counts of this run.

    Raises:
        KeyError: unknown job.
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
    store.set_status(job_id, "running")
    for start in range(0, len(pending), batch_size):
        if should_stop is not None and should_stop():
            break
        batch = pending[start:start + batch_size]
        valid = []
        for position, brand in batch:
            problem = brand_problem(brand, limit)
            if problem is None:
                valid.append((position, brand))
                continue
            store.add_reject(job_id, position, _brand_id(brand), problem)
            logger.warning("brand %s rejected: %s", _brand_id(brand), problem)
            rejected += 1
            if progress is not None:
                progress(1)
        requests = [brand_request(brand, limit=limit) for _, brand in valid]
        queries = ranker.encode_briefs(requests) if requests else None
        for k, ((position, brand), request) in enumerate(zip(valid, requests, strict=True)):
            assert queries is not None
            rows = _pick(ranker, request, queries[k], _brand_id(brand), limit, cap, counts)
            store.add_result(job_id, position, _brand_id(brand), rows)
            ranked += 1
            if progress is not None:
                progress(1)
    remaining = len(store.brands(job_id)) - len(store.finished_positions(job_id))
    if remaining == 0:
        store.set_status(job_id, "done")
    return RunSummary(ranked=ranked, rejected=rejected, skipped=len(finished),
                      seconds=time.perf_counter() - started)


MAX_FETCH = 2000


def _pick(ranker: Ranker, request: MatchRequest, query: npt.NDArray[np.float32], brand_id: str, limit: int,
          cap: int | None, counts: Counter[str]) -> list[dict[str, Any]]:
    """The brand's top `limit` creators, passing over those already in `cap` shortlists (fetching deeper as
    needed), and count them."""
    fetch = limit if not cap else limit * 3
    while True:
        # depth, not the request's limit: the API's limit cap does not bind an internal over-fetch.
        response = ranker.match(request, query, depth=fetch)
        chosen = [r for r in response.results if not cap or counts[r.creator_id] < cap][:limit]
        exhausted = len(response.results) < fetch or fetch >= MAX_FETCH
        if len(chosen) == limit or exhausted:
            break
        fetch = min(MAX_FETCH, fetch * 3)
    rows = []
    for rank, result in enumerate(chosen, start=1):
        counts[result.creator_id] += 1
        rows.append({"brand_id": brand_id, "rank": rank, "creator_id": result.creator_id, "handle": result.handle,
                     "platform": result.platform, "followers": result.followers, "tier": result.tier,
                     "score": result.score, **{c: result.components.get(c) for c in COMPONENTS},
                     "reasons": result.reasons})
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


def run_shortlist_file(brands: Path, out: Path, ranker: Ranker, limit: int = 20, max_per_creator: int | None = None,
                       batch_size: int = 32, progress: bool = False) -> ShortlistFileResult:
    """Shortlists for every brand in a file, written to `out`; an interrupted run resumes when called again.

    Progress is committed brand by brand to `<out>.progress.sqlite`. A run finds the progress of an earlier,
    interrupted one and resumes it when the brands file, the bundle and the options are the same (a fingerprint of
    the three), and starts over otherwise. Brands the data contract rejects and brands that cannot be ranked go to
    `<out stem>.rejects.csv` with their reasons (removed when there are none). The output is written atomically,
    and the progress file is deleted once it is.

    Args:
        brands: brands file in the data contract (CSV, JSONL or Parquet).
        out: output file, one row per (brand, creator); its extension picks the format.
        ranker: the ranking over the bundle.
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
    fingerprint = hashlib.sha256(brands.read_bytes() + f"|{ranker.bundle.version}|{limit}|{max_per_creator}".encode())
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


def _run_file_job(store: ShortlistStore, ranker: Ranker, total: int, already: int, batch_size: int,
                  progress: bool) -> RunSummary:
    """Run the job with a progress bar; on Ctrl-C, raise ShortlistInterrupted with how far it got."""
    bar = tqdm(total=total, initial=already, desc="shortlists", unit="brand", disable=not progress)
    try:
        return run_job(store, FILE_JOB, ranker, batch_size=batch_size, progress=bar.update)
    except KeyboardInterrupt:
        raise ShortlistInterrupted(len(store.finished_positions(FILE_JOB)), total, store.path) from None
    finally:
        bar.close()
