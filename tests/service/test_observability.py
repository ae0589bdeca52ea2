"""What an operator sees: /metrics in the Prometheus format, request ids, and log lines a client cannot forge."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from creatormatch.config import Settings
from creatormatch.encoder import Encoder
from creatormatch.ranking import Ranker
from creatormatch.shortlist import ShortlistStore, run_job
from service.logs import JsonFormatter, TextFormatter, escape, logging_config
from service.main import create_app

BRIEF = {"brief": {"product": "sourdough starter kits", "keywords": ["#sourdough"]}, "limit": 5}


@pytest.fixture(scope="module")
def client(real_bundle: Path, real_encoder: Encoder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(jobs_path=tmp_path_factory.mktemp("observability") / "jobs.sqlite")
    app = create_app(settings, bundle_path=real_bundle, encoder=real_encoder, load_in_background=False)
    with TestClient(app, base_url="http://localhost") as test_client:
        yield test_client


def samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics: (name, sorted labels) -> value."""
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_by_route_and_status(client: TestClient, real_bundle: Path) -> None:
    before = samples(client)
    assert client.post("/match", json=BRIEF).status_code == 200
    assert client.get("/creators/nobody").status_code == 404
    assert client.get("/creators/also-nobody").status_code == 404
    after = samples(client)
    route = {"method": "GET", "route": "/creators/{creator_id}"}  # the template, not the id
    assert value(after, "creatormatch_http_responses_total", status="404", **route) - \
        value(before, "creatormatch_http_responses_total", status="404", **route) == 2
    match = {"method": "POST", "route": "/match"}
    assert value(after, "creatormatch_http_request_duration_seconds_count", **match) - \
        value(before, "creatormatch_http_request_duration_seconds_count", **match) == 1
    assert value(after, "creatormatch_http_request_duration_seconds_bucket", le="+Inf", **match) >= 1
    assert value(after, "creatormatch_creators_returned_total", route="/match") - \
        value(before, "creatormatch_creators_returned_total", route="/match") == 5
    batches = "creatormatch_encoder_batch_size_count"
    assert value(after, batches) > value(before, batches)
    manifest = json.loads((real_bundle / "manifest.json").read_text())
    assert value(after, "creatormatch_bundle_info", version=manifest["version"], model=manifest["model_name"]) == 1
    assert value(after, "creatormatch_bundle_creators") == manifest["creators"] == 800
    assert 0 < value(after, "creatormatch_bundle_age_seconds") < 10 * 24 * 3600
    assert value(after, "creatormatch_bundle_ready") == 1
    assert value(after, "creatormatch_job_runner_up") == 1


def test_metrics_show_the_job_queue_and_job_durations(client: TestClient, small_sample_dir: Path) -> None:
    brands = pl.read_parquet(small_sample_dir / "brands.parquet").head(2).to_dicts()
    job_id = client.post("/shortlists", json={"brands": brands, "limit": 2}).json()["job_id"]
    deadline = time.monotonic() + 60
    while client.get(f"/shortlists/{job_id}").json()["status"] != "done":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    found = samples(client)
    assert value(found, "creatormatch_jobs", status="done") >= 1
    assert value(found, "creatormatch_jobs", status="queued") == 0
    assert value(found, "creatormatch_job_duration_seconds_count", outcome="done") >= 1


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/healthz").headers["x-request-id"]
    assert len(first) == 32 and first != second
    assert client.get("/healthz", headers={"X-Request-ID": "trace-42.a"}).headers["x-request-id"] == "trace-42.a"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id; with spaces"}).headers["x-request-id"]
    assert replaced != "bad id; with spaces" and len(replaced) == 32
    assert "x-request-id" in client.post("/match", content=b"{", headers={"Content-Type": "application/json"}).headers


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the service logs while the test runs, through the service's JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_access_log_lines_are_json_with_the_request_id_and_cannot_be_forged(client: TestClient,
                                                                         json_lines: io.StringIO) -> None:
    response = client.get("/creators/x%0A%7B%22level%22%3A%22CRITICAL%22%7D")  # x\n{"level":"CRITICAL"}
    assert response.status_code == 404
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    access = [entry for entry in lines if entry["logger"] == "service.access"]
    assert len(access) == 1 and all(entry["level"] != "CRITICAL" for entry in lines)
    entry = access[0]
    assert entry["path"] == '/creators/x\n{"level":"CRITICAL"}' and entry["status"] == 404
    assert entry["route"] == "/creators/{creator_id}" and entry["request_id"] == response.headers["x-request-id"]
    assert entry["duration_ms"] >= 0 and entry["method"] == "GET"


def test_a_brand_id_with_a_newline_stays_on_its_log_line(ranker: Ranker, tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    store = ShortlistStore(tmp_path / "jobs.sqlite")
    store.create("j", [{"brand_id": "evil\nINFO forged line", "tiers": ["huge"], "product": "x"}], limit=3,
                 max_per_creator=None)
    with caplog.at_level(logging.WARNING, logger="creatormatch.shortlist"):
        run_job(store, "j", ranker)
    messages = [r.getMessage() for r in caplog.records if r.name == "creatormatch.shortlist"]
    assert len(messages) == 1 and "\n" not in messages[0] and "evil\\nINFO forged line" in messages[0]


def record(message: str, *args: Any) -> logging.LogRecord:
    return logging.LogRecord("service.test", logging.WARNING, __file__, 1, message, args, None)


def test_text_logs_escape_control_characters_and_line_breaks() -> None:
    assert escape("plain text, ünïcode") == "plain text, ünïcode"
    assert escape("a\nb\rc\x1b[31md\u2028e") == "a\\nb\\rc\\x1b[31md\\u2028e"
    line = TextFormatter().format(record("brand %s rejected", "x\nERROR forged"))
    assert "\n" not in line and line.endswith("service.test: brand x\\nERROR forged rejected")


def test_json_logs_escape_everything_a_line_break_could_hide_in() -> None:
    line = JsonFormatter().format(record("brand %s", "x\n\u2028\x85y"))
    assert len(line.splitlines()) == 1 and json.loads(line)["message"] == "brand x\n\u2028\x85y"


def test_the_logging_setup_picks_the_format() -> None:
    assert logging_config("INFO", "json")["formatters"]["service"]["()"] == "service.logs.JsonFormatter"
    assert logging_config("DEBUG", "text")["formatters"]["service"]["()"] == "service.logs.TextFormatter"
