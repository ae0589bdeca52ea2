"""The HTTP API: /match, /creators, health and readiness, validation errors, API keys, bundle refusal."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from creatormatch.config import Settings
from creatormatch.encoder import Encoder
from service.main import create_app

LOCAL = "http://localhost"  # a Host header the service answers to by default (TestClient's own is refused)
BRIEF = {"brief": {"product": "sourdough starter kits", "keywords": ["#sourdough", "baking"]}, "limit": 5}


def settings_in(folder: Path, **kwargs: object) -> Settings:
    """Settings whose job store lives in the test's folder."""
    return Settings(jobs_path=folder / "jobs.sqlite", **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def client(real_bundle: Path, real_encoder: Encoder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = settings_in(tmp_path_factory.mktemp("api"))
    app = create_app(settings, bundle_path=real_bundle, encoder=real_encoder, load_in_background=False)
    with TestClient(app, base_url=LOCAL) as test_client:
        yield test_client


def test_health_readiness_and_docs(client: TestClient, real_bundle: Path) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["bundle_version"] == json.loads((real_bundle / "manifest.json").read_text())["version"]
    assert client.get("/docs").status_code == 200
    assert "/match" in client.get("/openapi.json").json()["paths"]


def test_match_returns_a_ranked_explained_shortlist(client: TestClient) -> None:
    response = client.post("/match", json=BRIEF)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"results", "total_candidates", "bundle_version", "took_ms"}
    assert len(body["results"]) == 5
    first = body["results"][0]
    for key in ("creator_id", "handle", "platform", "followers", "tier", "score", "components", "engagement_rate",
                "engagement_vs_tier", "audience_credibility", "evidence", "reasons"):
        assert key in first
    assert first["evidence"][0]["caption"] and first["reasons"]


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"brief": {}}, "brief", "brief is empty"),
    ({"brief": {"text": "x"}, "limit": 0}, "limit", "greater than or equal to 1"),
    ({"brief": {"text": "x"}, "limit": 101}, "limit", "less than or equal to 100"),
    ({"brief": {"text": "x"}, "filters": {"tiers": ["huge"]}}, "filters.tiers.0", "'nano', 'micro', 'mid'"),
    ({"brief": {"text": "x"}, "filters": {"platforms": ["myspace"]}}, "filters.platforms.0", "'instagram'"),
    ({"brief": {"text": "x"}, "filters": {"countries": ["USA"]}}, "filters.countries", "ISO 3166 alpha-2"),
    ({"brief": {"text": "x"}, "filters": {"min_followers": 10, "max_followers": 5}}, "filters",
     "min_followers is greater than max_followers"),
    ({"brief": {"text": "x"}, "diversity": 2}, "diversity", "less than or equal to 1"),
    ({"brief": {"text": "x" * 5000}}, "brief.text", "at most 4000 characters"),
    ({"brief": {"keywords": ["k"] * 51}}, "brief.keywords", "at most 50 items"),
    ({"brief": {"text": "x"}, "weights": {"fit": 0, "engagement": 0, "authenticity": 0, "transparency": 0,
                                          "activity": 0, "interactive": 0}}, "weights", "at least one weight"),
    ({"brief": {"text": "x"}, "colour": "red"}, "colour", "Extra inputs are not permitted"),
])
def test_every_422_names_its_field(client: TestClient, body: dict[str, object], field: str, message: str) -> None:
    response = client.post("/match", json=body)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors


def test_creator_profile_and_unknown_creator(client: TestClient) -> None:
    first = client.post("/match", json=BRIEF).json()["results"][0]
    profile = client.get(f"/creators/{first['creator_id']}")
    assert profile.status_code == 200
    body = profile.json()
    assert body["creator_id"] == first["creator_id"] and "engagement_vs_tier" in body
    assert "authenticity_score" in body and "signal_few_comments" in body
    missing = client.get("/creators/nobody")
    assert missing.status_code == 404 and "nobody" in missing.json()["detail"]


def test_api_keys_protect_everything_but_health(real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    app = create_app(settings_in(tmp_path, api_keys=["k1", "k2"]), bundle_path=real_bundle, encoder=real_encoder,
                     load_in_background=False)
    with TestClient(app, base_url=LOCAL) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        assert client.post("/match", json=BRIEF).status_code == 401
        assert client.post("/match", json=BRIEF, headers={"Authorization": "Bearer nope"}).status_code == 401
        assert client.post("/match", json=BRIEF, headers={"Authorization": "Bearer k2"}).status_code == 200
        assert client.post("/match", json=BRIEF, headers={"X-API-Key": "k1"}).status_code == 200
        assert client.get("/creators/x", headers={"X-API-Key": "bad"}).status_code == 401
        # What a browser opens is behind the key too: it asks for a login and sends the key as the password.
        for path in ("/", "/static/app.js", "/docs", "/redoc", "/openapi.json"):
            refused = client.get(path)
            assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic"), path
            assert client.get(path, auth=("anyone", "k1")).status_code == 200, path
        assert client.get("/openapi.json", auth=("anyone", "wrong")).status_code == 401
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer k2"}).status_code == 200
        # The page's own calls carry the browser's login.
        assert client.post("/match", json=BRIEF, auth=("", "k1")).status_code == 200


def test_settings_read_api_keys_from_a_comma_separated_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATORMATCH_API_KEYS", "alpha, beta,")
    assert Settings().api_keys == ["alpha", "beta"]


def test_not_ready_until_the_bundle_is_loaded(real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    app = create_app(settings_in(tmp_path), bundle_path=real_bundle, encoder=real_encoder)
    client = TestClient(app, base_url=LOCAL)  # no `with`: the lifespan has not run, so nothing is loaded yet
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503
    assert client.post("/match", json=BRIEF).status_code == 503


def test_a_bundle_that_does_not_match_is_refused(real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(real_bundle, bad)
    manifest = json.loads((bad / "manifest.json").read_text())
    manifest["model_weights_sha256"] = "f" * 64
    (bad / "manifest.json").write_text(json.dumps(manifest))
    app = create_app(settings_in(tmp_path), bundle_path=bad, encoder=real_encoder, load_in_background=False)
    with TestClient(app, base_url=LOCAL) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert "built with model weights ffffffffffff" in ready.json()["detail"]
        assert client.post("/match", json=BRIEF).status_code == 503
    manifest["model_weights_sha256"] = real_encoder.weights_sha256
    manifest["creators"] += 1
    (bad / "manifest.json").write_text(json.dumps(manifest))
    app = create_app(settings_in(tmp_path), bundle_path=bad, encoder=real_encoder, load_in_background=False)
    with TestClient(app, base_url=LOCAL) as client:
        detail = client.get("/readyz").json()["detail"]
        assert "does not match its manifest" in detail and "index rows" in detail


def test_search_route_with_filters_and_facets(client: TestClient) -> None:
    response = client.get("/search", params={"q": "#sourdough", "platforms": "instagram,tiktok", "limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"results", "facets", "total_candidates", "keyword_matches", "bundle_version", "took_ms"}
    assert len(body["results"]) == 5 and set(body["facets"]["platform"]) <= {"instagram", "tiktok"}
    assert body["keyword_matches"] > 0
    assert client.get("/search", params={"q": "yoga", "tiers": "huge"}).json()["detail"][0]["field"] == "tiers.0"
    assert client.get("/search", params={"q": " "}).status_code == 422
    nothing = client.get("/search", params={"q": "#"})
    assert nothing.status_code == 422 and "no word to search for" in nothing.json()["detail"][0]["message"]
    assert client.get("/search").status_code == 422


def test_similar_route(client: TestClient) -> None:
    first = client.post("/match", json=BRIEF).json()["results"][0]["creator_id"]
    response = client.get(f"/creators/{first}/similar", params={"limit": 4})
    assert response.status_code == 200
    body = response.json()
    assert body["creator_id"] == first and len(body["results"]) == 4
    assert first not in [r["creator_id"] for r in body["results"]]
    assert client.get("/creators/nobody/similar").status_code == 404
