"""The shared job queue under faults: killed workers, two stores on one file, cancelling, a full disk."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import polars as pl
import pytest

from creatormatch.ranking import Ranker
from creatormatch.shortlist import LeaseLost, ShortlistStore
from service.jobs import JobRunner

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def brands(small_sample_dir: Path) -> list[dict[str, Any]]:
    return pl.read_parquet(small_sample_dir / "brands.parquet").head(12).to_dicts()


class CountingRanker:
    """The real ranker, counting how often each brand is ranked (one `match` call a brand without a cap)."""

    def __init__(self, ranker: Ranker) -> None:
        self.ranker = ranker
        self.ranked: Counter[str] = Counter()
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ranker, name)

    def match(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.ranked[request.brief.brand] += 1
        return self.ranker.match(request, *args, **kwargs)


def runner(store: ShortlistStore, ranker: Ranker | CountingRanker, **options: Any) -> JobRunner:
    return JobRunner(store, lambda: cast(Ranker, ranker), idle_seconds=0.05, **options)


def wait_until(condition: Callable[[], bool], timeout: float = 90, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_killed_workers_job_is_taken_over_from_its_last_brand(ranker: Ranker, brands: list[dict[str, Any]],
                                                                tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite"
    store = ShortlistStore(path)
    store.create("j", [{**b, "name": f"brand {i}"} for i, b in enumerate(brands[:4])], limit=3,
                 max_per_creator=None)
    # Another process claims the job, commits its first brand, and is killed with SIGKILL holding the lease.
    worker = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        from creatormatch.shortlist import ShortlistStore
        store = ShortlistStore(Path({str(path)!r}))
        lease = store.claim("doomed-worker", lease_seconds=1.5)
        store.add_result("j", 0, "first", [], lease=lease)
        print("holding", flush=True)
        time.sleep(120)
        """)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "holding"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    held = store.job("j")
    assert held is not None and held["status"] == "running" and held["owner"] == "doomed-worker"
    counting = CountingRanker(ranker)
    survivor = runner(store, counting, lease_seconds=30)
    survivor.start()
    try:
        wait_until(lambda: (store.job("j") or {}).get("status") == "done", what="the job to be taken over")
    finally:
        survivor.stop()
    job = store.job("j")
    assert job is not None and job["takeovers"] == 1 and job["done"] == 4
    # The dead worker's committed brand is kept, not ranked again; the other three are ranked once each.
    assert counting.ranked == Counter({"brand 1": 1, "brand 2": 1, "brand 3": 1})
    assert store.results("j").height == 3 * 3


def test_two_stores_on_one_file_finish_every_job_exactly_once(ranker: Ranker, brands: list[dict[str, Any]],
                                                             tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite"
    first, second = ShortlistStore(path), ShortlistStore(path)
    for j in range(6):
        first.create(f"job{j}", [{**b, "name": f"job{j}-{b['brand_id']}"} for b in brands[j * 2:j * 2 + 2]],
                     limit=3, max_per_creator=None)
    rankers = CountingRanker(ranker), CountingRanker(ranker)
    runners = [runner(first, rankers[0]), runner(second, rankers[1])]
    for each in runners:
        each.start()
    try:
        wait_until(lambda: first.counts()["done"] == 6, what="all six jobs")
    finally:
        for each in runners:
            each.stop()
    ranked = rankers[0].ranked + rankers[1].ranked
    assert len(ranked) == 12 and set(ranked.values()) == {1}, ranked  # every brand ranked once, by one worker
    for j in range(6):
        assert first.results(f"job{j}").height == 2 * 3
    assert first.counts() == {"queued": 0, "running": 0, "done": 6, "failed": 0, "cancelled": 0}
    assert runners[0].errors == runners[1].errors == 0


def test_a_claim_is_given_to_one_worker_only(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite"
    stores = [ShortlistStore(path) for _ in range(4)]
    stores[0].create("only", [{"brand_id": "b", "product": "x"}], limit=3, max_per_creator=None)
    claims: list[object] = []
    start = threading.Barrier(4)

    def claim(store: ShortlistStore, name: str) -> None:
        start.wait()
        claims.append(store.claim(name, lease_seconds=30))

    threads = [threading.Thread(target=claim, args=(store, f"w{i}")) for i, store in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(c is not None for c in claims) == 1


def test_a_cancelled_or_taken_over_job_stops_its_worker(tmp_path: Path) -> None:
    store = ShortlistStore(tmp_path / "jobs.sqlite")
    store.create("j", [{"brand_id": "a", "product": "x"}, {"brand_id": "b", "product": "y"}], limit=3,
                 max_per_creator=None)
    lease = store.claim("w1", lease_seconds=0.2)
    assert lease is not None
    time.sleep(0.3)
    other = store.claim("w2", lease_seconds=30)  # w1's lease ran out
    assert other is not None and other.job_id == "j"
    with pytest.raises(LeaseLost):
        store.add_result("j", 0, "a", [], lease=lease)
    store.add_result("j", 0, "a", [], lease=other)
    assert store.cancel("j") == "cancelled"
    with pytest.raises(LeaseLost):
        store.add_result("j", 1, "b", [], lease=other)
    with pytest.raises(LeaseLost):
        store.finish(other)
    assert store.job("j")["status"] == "cancelled"  # type: ignore[index]


def test_a_job_whose_worker_keeps_dying_is_failed(tmp_path: Path) -> None:
    store = ShortlistStore(tmp_path / "jobs.sqlite")
    store.create("poison", [{"brand_id": "a", "product": "x"}], limit=3, max_per_creator=None)
    for attempt in range(4):  # claimed, then "killed" (the lease runs out) each time
        assert store.claim(f"worker{attempt}", lease_seconds=0.01) is not None
        time.sleep(0.02)
    assert store.claim("worker4", lease_seconds=0.01) is None
    job = store.job("poison")
    assert job is not None and job["status"] == "failed" and "stopped 4 times" in job["error"]


def test_the_runner_survives_a_full_disk_and_finishes_the_job(ranker: Ranker, brands: list[dict[str, Any]],
                                                              tmp_path: Path) -> None:
    store = ShortlistStore(tmp_path / "jobs.sqlite")
    store.create("j", brands[:3], limit=5, max_per_creator=None)
    # A full disk, simulated: SQLite answers SQLITE_FULL once the file would grow past max_page_count.
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    worker = runner(store, ranker, lease_seconds=1)
    worker.start()
    try:
        wait_until(lambda: worker.errors >= 2, what="the runner to hit the full disk")
        assert worker.alive and store.job("j")["done"] < 3  # type: ignore[index]
        store._db.execute("PRAGMA max_page_count = 1073741823")  # space freed
        wait_until(lambda: (store.job("j") or {}).get("status") == "done", what="the job after the disk was freed")
    finally:
        worker.stop()
    assert store.results("j").height == 15


def test_a_job_that_raises_is_failed_without_internals(brands: list[dict[str, Any]], tmp_path: Path) -> None:
    class Broken:
        def encode_briefs(self, requests: Any) -> Any:
            raise RuntimeError("/secret/path/model.onnx: kaput")

    store = ShortlistStore(tmp_path / "jobs.sqlite")
    store.create("j", brands[:2], limit=3, max_per_creator=None)
    worker = runner(store, cast(Ranker, Broken()))
    worker.start()
    try:
        wait_until(lambda: (store.job("j") or {}).get("status") == "failed", what="the job to fail")
    finally:
        worker.stop()
    error = store.job("j")["error"]  # type: ignore[index]
    assert error == "internal error (RuntimeError); the service log has the details"
    assert worker.alive is False and worker.errors == 0  # stopped on request; the failure was the job's


def test_a_stopping_worker_hands_its_job_back(ranker: Ranker, brands: list[dict[str, Any]], tmp_path: Path) -> None:
    store = ShortlistStore(tmp_path / "jobs.sqlite")
    store.create("long", brands * 20, limit=3, max_per_creator=None)  # 240 brands: still running when stopped
    worker = runner(store, ranker)
    worker.start()
    wait_until(lambda: (store.job("long") or {}).get("done", 0) > 0, what="the first brand")
    worker.stop()
    job = store.job("long")
    assert job is not None and job["status"] == "queued" and job["owner"] is None and 0 < job["done"] < 240
    assert store.claim("next", 30) is not None  # at once, without waiting for a lease to run out


def test_a_store_written_by_the_previous_version_is_opened_and_its_jobs_run(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite"
    with sqlite3.connect(path) as old:  # the tables as the first version made them, with a job left queued
        old.execute("CREATE TABLE jobs (job_id TEXT PRIMARY KEY, status TEXT NOT NULL, fingerprint TEXT, "
                    "row_limit INTEGER NOT NULL, max_per_creator INTEGER, total INTEGER NOT NULL, "
                    "created_at REAL NOT NULL, updated_at REAL NOT NULL, error TEXT)")
        old.execute("CREATE TABLE brands (job_id TEXT NOT NULL, position INTEGER NOT NULL, brand TEXT NOT NULL, "
                    "PRIMARY KEY (job_id, position))")
        old.execute("INSERT INTO jobs VALUES ('old', 'queued', NULL, 3, NULL, 1, 1.0, 1.0, NULL)")
        old.execute("""INSERT INTO brands VALUES ('old', 0, '{"brand_id": "b", "product": "x"}')""")
    store = ShortlistStore(path)
    lease = store.claim("w", lease_seconds=30)
    assert lease is not None and lease.job_id == "old"
    store.add_result("old", 0, "b", [], lease=lease)
    store.finish(lease)
    assert store.job("old")["status"] == "done"  # type: ignore[index]
