"""Shortlist jobs through the API: queue, poll, page, export, cancel, expire, limits, restarts, several workers."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient

from creatormatch.api_models import ShortlistRow
from creatormatch.config import Settings
from creatormatch.encoder import Encoder
from creatormatch.shortlist import RESULT_SCHEMA, ShortlistStore
from service.main import create_app


@pytest.fixture(scope="module")
def brands(small_sample_dir: Path) -> list[dict[str, Any]]:
    rows = pl.read_parquet(small_sample_dir / "brands.parquet").head(6).to_dicts()
    return [*rows, {"brand_id": "blank", "keywords": []}]


def app_for(jobs: Path, bundle: Path, encoder: Encoder, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(jobs_path=jobs, **settings), bundle_path=bundle, encoder=encoder,
                                 load_in_background=False), base_url="http://localhost")


def wait_done(client: TestClient, job_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/shortlists/{job_id}").json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


def test_a_job_runs_and_exports(real_bundle: Path, real_encoder: Encoder, brands: list[dict[str, Any]],
                                tmp_path: Path) -> None:
    with app_for(tmp_path / "jobs.sqlite", real_bundle, real_encoder) as client:
        created = client.post("/shortlists", json={"brands": brands, "limit": 4})
        assert created.status_code == 202 and created.json()["status"] == "queued"
        assert created.json()["rejected"] == 1  # known at POST time
        job = wait_done(client, created.json()["job_id"])
        assert job["status"] == "done" and job["progress"] == 1.0
        assert job["done"] == 6 and job["rejected"] == 1
        assert job["rejects"][0]["brand_id"] == "blank" and "brief is empty" in job["rejects"][0]["reason"]
        assert len(job["results"]) == 24 and job["results"][0]["rank"] == 1 and job["results_total"] == 24
        assert job["finished_at"] is not None and job["expires_at"] > job["finished_at"]
        export = client.get(f"/shortlists/{job['job_id']}/export?format=csv")
        assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(export.text)))
        assert len(rows) == 24 and rows[0]["brand_id"] == brands[0]["brand_id"]
        assert client.get("/shortlists/nope").status_code == 404


def test_results_come_in_pages(real_bundle: Path, real_encoder: Encoder, brands: list[dict[str, Any]],
                               tmp_path: Path) -> None:
    with app_for(tmp_path / "jobs.sqlite", real_bundle, real_encoder) as client:
        job_id = client.post("/shortlists", json={"brands": brands, "limit": 4}).json()["job_id"]
        whole = wait_done(client, job_id)["results"]
        pages, offset = [], 0
        while offset is not None:
            page = client.get(f"/shortlists/{job_id}", params={"offset": offset, "limit": 7}).json()
            assert page["results_total"] == 24 and len(page["results"]) <= 7
            pages.extend(page["results"])
            offset = page["next_offset"]
        assert pages == whole and len(pages) == 24
        past_the_end = client.get(f"/shortlists/{job_id}", params={"offset": 100}).json()
        assert past_the_end["results"] == [] and past_the_end["next_offset"] is None
        too_big = client.get(f"/shortlists/{job_id}", params={"limit": 100_000})
        assert too_big.status_code == 422 and too_big.json()["detail"][0]["field"] == "query.limit"


def test_limits_and_validation_at_post_time(real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    with app_for(tmp_path / "jobs.sqlite", real_bundle, real_encoder, max_brands_per_job=3) as client:
        too_many = client.post("/shortlists", json={"brands": [{"brand_id": str(i), "product": "x"}
                                                               for i in range(4)]})
        assert too_many.status_code == 422
        assert "at most 3 per job" in too_many.json()["detail"][0]["message"]
        assert client.post("/shortlists", json={"brands": []}).status_code == 422
        assert client.post("/shortlists", json={"brands": [{"product": "x"}], "limit": 0}).status_code == 422

        def problem(body: dict[str, Any]) -> dict[str, str]:
            response = client.post("/shortlists", json=body)
            assert response.status_code == 422, response.text
            first: dict[str, str] = response.json()["detail"][0]
            return first

        assert problem({"brands": [{"product": "x"}]})["field"] == "brands.0.brand_id"
        assert problem({"brands": [{"brand_id": "a", "product": "x" * 5000}]})["field"] == "brands.0.product"
        assert problem({"brands": [{"brand_id": "a", "keywords": ["k" * 101]}]})["field"] == "brands.0.keywords.0"
        assert problem({"brands": [{"brand_id": "a", "prodct": "x"}]})["field"] == "brands.0.prodct"
        duplicate = problem({"brands": [{"brand_id": "a", "product": "x"}, {"brand_id": "a", "product": "y"}]})
        assert duplicate["field"] == "brands.1.brand_id" and "also brands.0" in duplicate["message"]


def test_the_brand_limit_is_checked_before_the_body_is_parsed(real_bundle: Path, real_encoder: Encoder,
                                                              tmp_path: Path) -> None:
    with app_for(tmp_path / "jobs.sqlite", real_bundle, real_encoder, max_brands_per_job=3) as client:
        # Everything after the fourth brand is not JSON at all: a full parse would answer "JSON decode error".
        body = '{"limit": 5, "brands": [{"brand_id": "1"}, {"brand_id": "2"}, {"brand_id": "3"}, {"brand_id": "4"}, '
        response = client.post("/shortlists", content=body + "garbage" * 1000,
                               headers={"Content-Type": "application/json"})
        assert response.status_code == 422
        assert response.json()["detail"][0]["message"].startswith("more than 3 brands; at most 3 per job")
        # Within the limit the same garbage is reported by the parser, as before.
        short = '{"brands": [{"brand_id": "1", "product": "x"}], "limit": garbage}'
        parsed = client.post("/shortlists", content=short, headers={"Content-Type": "application/json"})
        assert parsed.status_code == 422 and parsed.json()["detail"][0]["type"] == "json_invalid"


def test_a_5_mb_brand_is_refused_with_413(real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    with app_for(tmp_path / "jobs.sqlite", real_bundle, real_encoder) as client:
        response = client.post("/shortlists", json={"brands": [{"brand_id": "big", "values": "x" * 5_000_000}]})
        assert response.status_code == 413 and "larger than 1048576 bytes" in response.json()["detail"]
        store = ShortlistStore(tmp_path / "jobs.sqlite")
        assert store.counts()["queued"] == 0  # nothing was stored


def test_cancel_a_queued_job_then_delete_it(real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.sqlite"
    store = ShortlistStore(jobs)
    store.create("waiting", [{"brand_id": "b", "product": "x"}], limit=3, max_per_creator=None)
    client = app_for(jobs, real_bundle, real_encoder)  # no `with`: nothing runs the job
    cancelled = client.delete("/shortlists/waiting")
    assert cancelled.status_code == 200 and cancelled.json() == {"job_id": "waiting", "status": "cancelled"}
    job = client.get("/shortlists/waiting").json()
    assert job["status"] == "cancelled" and job["finished_at"] is not None and job["results"] is None
    assert store.claim("a-worker", 30) is None  # a cancelled job is never picked up
    assert client.delete("/shortlists/waiting").json()["status"] == "deleted"
    assert client.get("/shortlists/waiting").status_code == 404
    assert client.delete("/shortlists/waiting").status_code == 404


def test_finished_jobs_expire_after_their_time_to_live(real_bundle: Path, real_encoder: Encoder,
                                                       brands: list[dict[str, Any]], tmp_path: Path) -> None:
    with app_for(tmp_path / "jobs.sqlite", real_bundle, real_encoder, job_ttl_seconds=1) as client:
        job_id = client.post("/shortlists", json={"brands": brands[:1], "limit": 2}).json()["job_id"]
        job = wait_done(client, job_id)
        assert job["expires_at"] == pytest.approx(job["finished_at"] + 1)
        deadline = time.monotonic() + 15
        while client.get(f"/shortlists/{job_id}").status_code != 404:
            assert time.monotonic() < deadline, "the finished job was not deleted after its time to live"
            time.sleep(0.2)


def test_a_finished_job_survives_a_restart(real_bundle: Path, real_encoder: Encoder, brands: list[dict[str, Any]],
                                           tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.sqlite"
    with app_for(jobs, real_bundle, real_encoder) as client:
        job_id = client.post("/shortlists", json={"brands": brands[:2], "limit": 3}).json()["job_id"]
        before = wait_done(client, job_id)
    with app_for(jobs, real_bundle, real_encoder) as client:
        after = client.get(f"/shortlists/{job_id}").json()
        assert after["status"] == "done" and after["results"] == before["results"]


def test_a_job_running_when_the_service_stopped_is_resumed(real_bundle: Path, real_encoder: Encoder,
                                                           brands: list[dict[str, Any]], tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.sqlite"
    store = ShortlistStore(jobs)
    store.create("left-running", brands, limit=3, max_per_creator=None)
    store.add_result("left-running", 0, brands[0]["brand_id"], [])  # one brand done before the "crash"
    store.set_status("left-running", "running")
    store.close()
    with app_for(jobs, real_bundle, real_encoder) as client:
        job = wait_done(client, "left-running")
        assert job["status"] == "done" and job["done"] == 6 and job["rejected"] == 1
        assert client.get("/shortlists/left-running/export").status_code == 200


def test_export_of_an_unfinished_job_is_refused(real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.sqlite"
    store = ShortlistStore(jobs)
    store.create("waiting", [{"brand_id": "b", "product": "x"}], limit=3, max_per_creator=None)
    store.close()
    client = app_for(jobs, real_bundle, real_encoder)  # no `with`: nothing runs the job
    response = client.get("/shortlists/waiting/export")
    assert response.status_code == 409 and "is queued, not done" in response.json()["detail"]


def test_a_multi_worker_service_runs_jobs(real_bundle: Path, real_encoder: Encoder, brands: list[dict[str, Any]],
                                          tmp_path: Path) -> None:
    with app_for(tmp_path / "jobs.sqlite", real_bundle, real_encoder, workers=2) as client:
        response = client.post("/shortlists", json={"brands": brands[:2], "limit": 2})
        assert response.status_code == 202
        assert wait_done(client, response.json()["job_id"])["status"] == "done"


def test_a_full_job_store_answers_503_naming_the_problem(real_bundle: Path, real_encoder: Encoder,
                                                         tmp_path: Path) -> None:
    client = app_for(tmp_path / "jobs.sqlite", real_bundle, real_encoder)
    with client:
        store = client.app.state.creatormatch.jobs  # type: ignore[attr-defined]
        # A full disk, simulated: SQLite answers SQLITE_FULL once the file would grow past max_page_count.
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")
        brands = [{"brand_id": f"b{i}", "product": "trail running shoes " * 50} for i in range(20)]
        response = client.post("/shortlists", json={"brands": brands})
        assert response.status_code == 503
        assert response.json() == {"detail": "job store cannot be written: database or disk is full"}
        assert client.get("/healthz").status_code == 200
        store._db.execute("PRAGMA max_page_count = 1073741823")  # space freed
        assert client.post("/shortlists", json={"brands": brands}).status_code == 202


def test_result_rows_are_described_by_the_api_model() -> None:
    assert list(ShortlistRow.model_fields) == list(RESULT_SCHEMA)

