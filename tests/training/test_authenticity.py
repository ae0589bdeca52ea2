"""Training the follower model from the shared labelled accounts, scoring files, and creator authenticity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from creatormatch.follower_model import FollowerModel
from creatormatch.ranking import Ranker
from training.authenticity import model_card, train_follower_model
from training.evaluate import evaluate_authenticity

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = ROOT.parent / "shared" / "data" / "authenticity" / "accounts.csv"
needs_shared = pytest.mark.skipif(not ACCOUNTS.is_file(), reason=f"{ACCOUNTS} not present (CI has it)")


@pytest.fixture(scope="module")
def trained() -> tuple[FollowerModel, list[object]]:
    return train_follower_model(ACCOUNTS)  # type: ignore[return-value]


@needs_shared
def test_leave_one_source_out_auc_on_every_instagram_source(trained: tuple[FollowerModel, list[object]]) -> None:
    _, results = trained
    instagram = {r.source: r.roc_auc for r in results if r.platform == "instagram"}  # type: ignore[attr-defined]
    assert len(instagram) == 4
    assert min(instagram.values()) >= 0.90, instagram


@needs_shared
def test_the_committed_model_is_what_training_reproduces(trained: tuple[FollowerModel, list[object]]) -> None:
    model, results = trained
    committed = FollowerModel.load()
    assert np.allclose(committed.coefficients, model.coefficients, atol=1e-6)
    assert committed.intercept == pytest.approx(model.intercept, abs=1e-6)
    assert committed.true_positive_rate == pytest.approx(model.true_positive_rate)
    assert committed.provenance["data_sha256"] == model.provenance["data_sha256"]
    card = model_card(model, results)  # type: ignore[arg-type]
    assert "| instafake | instagram |" in card and "CC BY-NC 4.0" in card


@needs_shared
def test_the_readme_train_command_writes_the_committed_model_where_it_is_told(tmp_path: Path) -> None:
    # The README's command (--out creatormatch/models) regenerates the committed model; here --out is scratch.
    done = subprocess.run([sys.executable, "-m", "cli", "authenticity", "train", "--data", str(ACCOUNTS), "--out",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    written = json.loads((tmp_path / "follower_authenticity.json").read_text())
    committed = json.loads((ROOT / "creatormatch" / "models" / "follower_authenticity.json").read_text())
    for model in (written, committed):
        model["provenance"].pop("trained_at")
    assert written == committed and (tmp_path / "MODEL_CARD.md").is_file()


def test_train_command_needs_its_data_and_out_folder(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "cli", "authenticity", "train"], cwd=tmp_path, capture_output=True,
                          text=True)
    assert done.returncode == 2 and "Missing option '--data'" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_score_command_adds_fake_probability_and_keeps_columns(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.jsonl"
    rows = [{"username": "a", "followers": 320, "following": 400, "posts": 90},
            {"username": "b", "followers": 12, "following": 2400, "posts": 0, "note": "x"}]
    accounts.write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "scored.csv"
    done = subprocess.run([sys.executable, "-m", "cli", "authenticity", "score", "--input",
                           str(accounts), "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    scored = pl.read_csv(out)
    assert scored.columns == ["username", "followers", "following", "posts", "note", "fake_probability"]
    assert scored["fake_probability"][0] < 0.2 < 0.8 < scored["fake_probability"][1]


def test_score_command_refuses_a_file_without_account_columns(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,colour\na,red\n")
    done = subprocess.run([sys.executable, "-m", "cli", "authenticity", "score", "--input", str(bad),
                           "--out", str(tmp_path / "o.csv")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert "error: bad.csv: no usable account column; expected any of followers, following" in done.stderr
    assert not (tmp_path / "o.csv").exists()


def test_authenticity_separates_planted_fraud_on_the_small_sample(ranker: Ranker, small_sample_dir: Path) -> None:
    quality = evaluate_authenticity(ranker.creators, small_sample_dir)
    assert quality.roc_auc >= 0.95
    assert set(quality.recall_by_kind) == {"bought_followers", "engagement_pod", "inflated_likes"}
    assert min(quality.recall_by_kind.values()) >= 0.85, quality.recall_by_kind
    assert quality.genuine_flagged <= 0.15
    assert quality.credibility_correlation is not None and quality.credibility_correlation > 0.8


def test_every_creator_gets_a_score_and_a_confidence(ranker: Ranker) -> None:
    creators = ranker.creators
    assert creators.get_column("authenticity_score").null_count() == 0
    assert set(creators.get_column("authenticity_confidence").unique().to_list()) <= {"high", "medium", "low"}
    unsampled = creators.filter(pl.col("followers_sampled").is_null())
    assert unsampled.height and unsampled.get_column("audience_credibility").null_count() == unsampled.height


def test_min_credibility_filter_holds(ranker: Ranker) -> None:
    from creatormatch.api_models import MatchRequest

    response = ranker.match(MatchRequest.model_validate(
        {"brief": {"text": "yoga and mindful living"}, "filters": {"min_credibility": 0.9}, "limit": 50}))
    assert response.results
    assert all(r.audience_credibility is not None and r.audience_credibility >= 0.9 for r in response.results)
