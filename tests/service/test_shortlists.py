"""Shortlist jobs through the API: 202 and a job id, polling, export, limits, and surviving a restart."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient

from creatormatch.config import Settings
from creatormatch.encoder import Encoder
from creatormatch.shortlist import ShortlistStore
from service.main import create_app


@pytest.fixture(scope="module")
def brands(small_sample_dir: Path) -> list[dict[str, Any]]:
    rows = pl.read_parquet(small_sample_dir / "brands.parquet").head(6).to_dicts()
    return [*rows, {"brand_id": "blank", "keywords": []}]


def app_for(jobs: Path, bundle: Path, encoder: Encoder, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(jobs_path=jobs, **settings), bundle_path=bundle, encoder=encoder,
                                 load_in_background=False))


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
        job = wait_done(client, created.json()["job_id"])
        assert job["status"] == "done" and job["progress"] == 1.0
        assert job["done"] == 6 and job["rejected"] == 1
        assert job["rejects"][0]["brand_id"] == "blank" and "brief is empty" in job["rejects"][0]["reason"]
        assert len(job["results"]) == 24 and job["results"][0]["rank"] == 1
        export = client.get(f"/shortlists/{job['job_id']}/export?format=csv")
        assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(export.text)))
        assert len(rows) == 24 and rows[0]["brand_id"] == brands[0]["brand_id"]
        assert client.get("/shortlists/nope").status_code == 404


def test_limits_and_validation(real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    with app_for(tmp_path / "jobs.sqlite", real_bundle, real_encoder, max_brands_per_job=3) as client:
        too_many = client.post("/shortlists", json={"brands": [{"brand_id": str(i), "product": "x"}
                                                               for i in range(4)]})
        assert too_many.status_code == 422
        assert "at most 3 per job" in too_many.json()["detail"][0]["message"]
        assert client.post("/shortlists", json={"brands": []}).status_code == 422
        assert client.post("/shortlists", json={"brands": [{"product": "x"}], "limit": 0}).status_code == 422


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


def test_multi_worker_services_refuse_jobs_rather_than_run_them_twice(real_bundle: Path, real_encoder: Encoder,
                                                                      tmp_path: Path) -> None:
    with app_for(tmp_path / "jobs.sqlite", real_bundle, real_encoder, workers=2) as client:
        response = client.post("/shortlists", json={"brands": [{"brand_id": "b", "product": "x"}]})
        assert response.status_code == 503 and "single-worker" in response.json()["detail"]
