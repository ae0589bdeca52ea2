"""Limits: body size, string and list lengths, trusted hosts, the rate limit, where to listen without keys."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from creatormatch.config import Settings
from creatormatch.encoder import Encoder
from service.main import create_app
from service.security import RateLimiter, bind_problem, given_key, is_loopback

ROOT = Path(__file__).resolve().parents[2]
BRIEF = {"brief": {"product": "sourdough starter kits"}, "limit": 3}


def client_for(bundle: Path, encoder: Encoder, folder: Path, **settings: object) -> TestClient:
    app = create_app(Settings(jobs_path=folder / "jobs.sqlite", **settings),  # type: ignore[arg-type]
                     bundle_path=bundle, encoder=encoder, load_in_background=False)
    return TestClient(app, base_url="http://localhost")


@pytest.fixture(scope="module")
def client(real_bundle: Path, real_encoder: Encoder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client_for(real_bundle, real_encoder, tmp_path_factory.mktemp("limits")) as test_client:
        yield test_client


def test_a_body_over_the_limit_gets_413_whether_its_length_is_declared_or_not(client: TestClient) -> None:
    declared = client.post("/match", content=b"{" + b" " * 2_000_000 + b"}",
                           headers={"Content-Type": "application/json"})
    assert declared.status_code == 413
    assert declared.json() == {"detail": "request body is larger than 1048576 bytes (the limit is "
                                         "CREATORMATCH_MAX_BODY_BYTES)"}

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body streams in chunks
        yield b'{"brief": {"text": "'
        for _ in range(200):
            yield b"x" * 10_000

    streamed = client.post("/match", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and "larger than 1048576 bytes" in streamed.json()["detail"]
    assert client.post("/match", json=BRIEF).status_code == 200  # a normal body still goes through


def test_the_body_limit_is_a_setting(real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    with client_for(real_bundle, real_encoder, tmp_path, max_body_bytes=2048) as small:
        response = small.post("/match", json={"brief": {"text": "x" * 3000}})
        assert response.status_code == 413 and "larger than 2048 bytes" in response.json()["detail"]


@pytest.mark.parametrize(("body", "field"), [
    ({"brief": {"text": "x"}, "filters": {"exclude_creator_ids": ["c" * 10_000] * 50}},
     "filters.exclude_creator_ids.0"),
    ({"brief": {"text": "x"}, "filters": {"exclude_creator_ids": ["c"] * 1001}}, "filters.exclude_creator_ids"),
    ({"brief": {"text": "x"}, "filters": {"countries": ["G" * 500]}}, "filters.countries.0"),
    ({"brief": {"keywords": ["k" * 101]}}, "brief.keywords.0"),
    ({"brief": {"brand": "b" * 201}}, "brief.brand"),
])
def test_every_string_and_list_has_a_length_limit(client: TestClient, body: dict[str, object], field: str) -> None:
    response = client.post("/match", json=body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["detail"]], response.json()


def test_a_long_creator_id_is_refused_before_any_lookup(client: TestClient) -> None:
    response = client.get("/creators/" + "c" * 500)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "path.creator_id"


def test_deep_diversified_pages_are_answered(client: TestClient) -> None:
    # offset 1000 with diversity used to build a 3,300 x 3,300 similarity matrix per request; now at most 500.
    response = client.post("/match", json={**BRIEF, "diversity": 0.5, "offset": 1000, "limit": 100})
    assert response.status_code == 200


def test_only_allowed_host_names_are_answered(real_bundle: Path, real_encoder: Encoder, tmp_path: Path,
                                              client: TestClient) -> None:
    rebound = client.get("/healthz", headers={"Host": "attacker.example"})
    assert rebound.status_code == 400  # DNS rebinding: a page on another name reaches a loopback service
    assert client.get("/healthz", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    with client_for(real_bundle, real_encoder, tmp_path, allowed_hosts=["api.example.com"]) as named:
        assert named.get("/healthz", headers={"Host": "api.example.com"}).status_code == 200
        assert named.get("/healthz").status_code == 400  # localhost is no longer one of them


def test_allowed_hosts_come_from_a_comma_separated_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATORMATCH_ALLOWED_HOSTS", "api.example.com, *.example.org")
    assert Settings().allowed_hosts == ["api.example.com", "*.example.org"]


def test_the_rate_limit_counts_each_key_apart(real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    with client_for(real_bundle, real_encoder, tmp_path, api_keys=["k1", "k2"], rate_limit_per_minute=3) as limited:
        for _ in range(3):
            assert limited.get("/creators/nobody", headers={"X-API-Key": "k1"}).status_code == 404
        over = limited.get("/creators/nobody", headers={"X-API-Key": "k1"})
        assert over.status_code == 429 and int(over.headers["retry-after"]) >= 1
        assert "3 requests a minute" in over.json()["detail"]
        assert limited.get("/creators/nobody", headers={"X-API-Key": "k2"}).status_code == 404
        assert limited.get("/healthz").status_code == 200  # probes are never limited
        assert limited.get("/creators/nobody", headers={"X-API-Key": "wrong"}).status_code == 401


def test_the_rate_limiter_says_when_to_come_back_and_forgets_old_clients() -> None:
    limiter = RateLimiter(per_minute=1, max_clients=2)
    assert limiter.wait("a") == 0
    assert 59 < limiter.wait("a") <= 60  # one request a minute
    limiter.wait("b")
    limiter.wait("c")  # three clients in a table of two: "a", the least recently seen, is forgotten
    assert limiter.wait("a") == 0


def test_keys_are_read_from_each_header_form() -> None:
    assert given_key({"x-api-key": "k"}) == "k"
    assert given_key({"authorization": "Bearer k"}) == "k"
    assert given_key({"authorization": "Basic dXNlcjprZXk="}) == "key"  # user:key
    assert given_key({"authorization": "Basic !!!"}) is None
    assert given_key({}) is None


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                                ("127.0.0.2", True), ("0.0.0.0", False), ("::", False),
                                                ("192.168.1.5", False), ("example.com", False)])
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_listening_beyond_loopback_needs_keys_or_insecure() -> None:
    assert bind_problem("127.0.0.1", [], insecure=False) is None
    assert bind_problem("0.0.0.0", ["k"], insecure=False) is None
    assert bind_problem("0.0.0.0", [], insecure=True) is None
    problem = bind_problem("0.0.0.0", [], insecure=False)
    assert problem is not None and "CREATORMATCH_API_KEYS" in problem and "--insecure" in problem


def test_serve_refuses_to_listen_openly_without_keys(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CREATORMATCH_API_KEYS"}
    done = subprocess.run([sys.executable, "-m", "cli", "serve", "--bundle", str(tmp_path), "--host", "0.0.0.0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("error: refusing to listen on 0.0.0.0 without API keys")
    assert "Traceback" not in done.stderr
