"""The follower-level fake-account model: features, every column subset, scorers, calibration, credibility
intervals, reading account files, the committed model."""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from creatormatch.dataset import InputError
from creatormatch.follower_model import (
    ACCOUNT_COLUMNS,
    FEATURES,
    MODEL_FILE,
    ColumnSetScorer,
    FollowerModel,
    FollowerModelError,
    LinearScorer,
    Tree,
    TreeScorer,
    account_features,
    audience_credibility,
    columns_used,
    read_accounts,
    score_accounts,
    usable_columns,
    wilson_interval,
)

REAL = {"followers": 320, "following": 400, "posts": 90, "has_profile_pic": 1, "is_private": 0, "bio_length": 40,
        "username_length": 10, "username_digits": 0}
FAKE = {"followers": 12, "following": 2400, "posts": 0, "has_profile_pic": 0, "is_private": 0, "bio_length": 0,
        "username_length": 14, "username_digits": 6}


@pytest.fixture(scope="module")
def model() -> FollowerModel:
    return FollowerModel.load()


def test_features_tolerate_missing_columns_and_values() -> None:
    features = account_features(pl.DataFrame({"followers": [100, None], "following": [50, 10]}))
    assert features.shape == (2, len(FEATURES))
    assert features[0, 0] == pytest.approx(math.log1p(100))
    assert np.isnan(features[1, 0]) and np.isnan(features[0, 4])
    assert usable_columns(pl.DataFrame({"followers": [None], "colour": ["red"]})) == []


def test_columns_used_are_those_behind_a_known_feature() -> None:
    accounts = pl.DataFrame({"followers": [100, None, None], "following": [50, 10, None],
                             "username_digits": [2, 2, 2], "username_length": [None, 9, None]})
    assert columns_used(account_features(accounts)) == [
        ["followers", "following"], ["following", "username_length", "username_digits"], []]


@pytest.mark.parametrize("size", range(1, len(ACCOUNT_COLUMNS) + 1))
def test_every_column_subset_gets_a_probability_for_every_row_and_says_what_it_used(model: FollowerModel,
                                                                                   size: int) -> None:
    rows = pl.DataFrame([REAL, FAKE, {**REAL, "following": 1500, "posts": 3}])
    for subset in combinations(ACCOUNT_COLUMNS, size):
        scored = score_accounts(rows.select(subset), model)
        used = scored.get_column("columns_used").to_list()
        assert all(set(u) <= set(subset) for u in used), subset
        probability = scored.get_column("fake_probability")
        if not used[0]:  # e.g. username_digits alone: no feature can be computed, so no evidence
            assert probability.null_count() == rows.height, subset
            continue
        assert probability.null_count() == 0 and all(0 < p < 1 for p in probability), subset
        if {"followers", "following"} <= set(subset):
            assert probability[1] > probability[0], subset


def test_only_the_counts_tell_a_typical_fake_from_a_typical_real_account(model: FollowerModel) -> None:
    counts = ["followers", "following", "posts", "has_profile_pic"]
    scored = score_accounts(pl.DataFrame([REAL, FAKE]).select(counts), model)
    assert scored.get_column("columns_used").to_list() == [counts, counts]
    real, fake = scored.get_column("fake_probability")
    assert real < 0.1 and fake > 0.9


def test_the_committed_model_tells_a_typical_fake_from_a_typical_real_account(model: FollowerModel) -> None:
    probability = model.fake_probability(account_features(pl.DataFrame([REAL, FAKE])))
    assert probability[0] < 0.1 and probability[1] > 0.9


def test_probabilities_are_calibrated_to_the_base_rate(model: FollowerModel) -> None:
    features = account_features(pl.DataFrame([REAL, FAKE, {**REAL, "following": 1500, "posts": 3}]))
    low = replace(model, base_rate=0.05).fake_probability(features)
    high = replace(model, base_rate=0.5).fake_probability(features)
    assert (low < high).all()
    # A prior shift moves the log-odds by the same amount for every account.
    shift = np.log(high / (1 - high)) - np.log(low / (1 - low))
    assert np.allclose(shift, math.log(1 / 1) - math.log(0.05 / 0.95))


def test_a_tree_sends_unknown_values_where_it_learned_to() -> None:
    # Split on log_followers <= 3: unknown goes right here.
    tree = Tree(feature=[0, -1, -1], threshold=[3.0, 0.0, 0.0], missing_left=[False, False, False], left=[1, 0, 0],
                right=[2, 0, 0], value=[0.0, -1.0, 2.0])
    features = np.full((3, len(FEATURES)), np.nan)
    features[0, 0], features[1, 0] = 2.0, 5.0
    assert TreeScorer(baseline=0.5, trees=[tree, tree]).decision(features).tolist() == [-1.5, 4.5, 4.5]


def test_each_row_uses_the_largest_column_set_model_it_has_the_features_of() -> None:
    def linear(names: list[str], intercept: float) -> LinearScorer:
        n = len(names)
        return LinearScorer(features=names, medians=[0.0] * n, means=[0.0] * n, scales=[1.0] * n,
                            coefficients=[0.0] * n, intercept=intercept)

    scorer = ColumnSetScorer(models=[linear(["log_followers"], 1.0), linear(["log_following"], 2.0),
                                     linear(["log_followers", "log_following", "log_following_ratio"], 3.0)])
    features = account_features(pl.DataFrame({"followers": [10, 10, None, None], "following": [5, None, 5, None]}))
    assert scorer.decision(features).tolist() == [3.0, 1.0, 2.0, 0.0]


@pytest.mark.parametrize("kind", ["linear", "trees", "column_sets"])
def test_a_saved_model_loads_back_with_the_same_probabilities(model: FollowerModel, tmp_path: Path,
                                                             kind: str) -> None:
    linear = LinearScorer(features=["log_followers", "has_profile_pic"], medians=[4.0, 1.0], means=[4.5, 0.9],
                          scales=[2.0, 0.3], coefficients=[-1.2, -0.8], intercept=-0.3)
    scorers = {"linear": linear, "trees": model.scorer, "column_sets": ColumnSetScorer(models=[linear])}
    saved = replace(model, kind=kind, scorer=scorers[kind])  # type: ignore[arg-type]
    saved.save(tmp_path / "model.json")
    loaded = FollowerModel.load(tmp_path / "model.json")
    features = account_features(pl.DataFrame([REAL, FAKE, {"followers": None, "has_profile_pic": 1}]))
    assert loaded.kind == kind and type(loaded.scorer) is type(saved.scorer)
    assert loaded.fake_probability(features).tolist() == saved.fake_probability(features).tolist()


def test_the_committed_model_is_trees_stored_as_reviewable_arrays(model: FollowerModel) -> None:
    assert model.kind == "trees" and isinstance(model.scorer, TreeScorer)
    text = MODEL_FILE.read_text()
    assert '"threshold": [' in text and "NaN" not in text
    assert len(text.splitlines()) < 2000


def test_wilson_interval_narrows_with_more_samples() -> None:
    small, large = wilson_interval(3, 10), wilson_interval(300, 1000)
    assert small[0] < 0.3 < small[1] and large[0] < 0.3 < large[1]
    assert (small[1] - small[0]) > 3 * (large[1] - large[0])
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_credibility_reflects_the_share_of_fake_followers_with_an_interval(model: FollowerModel) -> None:
    rows = [{"creator_id": "clean", **REAL} for _ in range(40)]
    rows += [{"creator_id": "bought", **(FAKE if i % 2 else REAL)} for i in range(40)]
    rows += [{"creator_id": "few", **REAL} for _ in range(5)]
    got = {r["creator_id"]: r for r in audience_credibility(pl.DataFrame(rows), model).iter_rows(named=True)}
    assert got["clean"]["audience_credibility"] > 0.9
    assert 0.3 < got["bought"]["audience_credibility"] < 0.7
    for row in got.values():
        assert row["credibility_low"] <= row["audience_credibility"] <= row["credibility_high"]
    few_width = got["few"]["credibility_high"] - got["few"]["credibility_low"]
    clean_width = got["clean"]["credibility_high"] - got["clean"]["credibility_low"]
    assert few_width > clean_width and got["few"]["followers_sampled"] == got["few"]["followers_usable"] == 5


def test_credibility_counts_only_followers_with_usable_counts(model: FollowerModel) -> None:
    rows = [{"creator_id": "partial", **REAL} for _ in range(10)]
    rows += [{"creator_id": "partial", **FAKE, "following": None} for _ in range(30)]
    rows += [{"creator_id": "blind", **FAKE, "followers": None} for _ in range(20)]
    got = {r["creator_id"]: r for r in audience_credibility(pl.DataFrame(rows), model).iter_rows(named=True)}
    partial, blind = got["partial"], got["blind"]
    assert (partial["followers_sampled"], partial["followers_usable"]) == (40, 10)
    assert partial["audience_credibility"] > 0.9  # the 30 fakes without a following count are not evidence
    assert (blind["followers_sampled"], blind["followers_usable"]) == (20, 0)
    assert blind["audience_credibility"] is None and blind["credibility_low"] is None


def test_an_accounts_file_is_read_with_any_case_counts_and_booleans(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text('Followers,FOLLOWING,has_profile_pic,note\n"1,500",20,yes,a\n12,,no,b\n')
    rows, accounts = read_accounts(path)
    assert rows.columns == ["Followers", "FOLLOWING", "has_profile_pic", "note"]
    assert accounts.get_column("followers").to_list() == [1500, 12]
    assert accounts.get_column("following").to_list() == [20, None]
    assert accounts.get_column("has_profile_pic").to_list() == [True, False]


@pytest.mark.parametrize(("content", "message"), [
    ("followers,following\n10,20\nlots,5\n", "accounts.csv: row 2: followers is not an integer ('lots')"),
    ("followers,following\n10,-3\n", "accounts.csv: row 1: following must be >= 0"),
    ("followers,is_private\n10,maybe\n4,no\n", "accounts.csv: row 1: is_private is not true or false ('maybe')"),
    ("name,colour\na,red\n", "accounts.csv: no usable account column; expected any of followers, following"),
    ("followers,following\n", "accounts.csv: no rows to score"),
])
def test_a_bad_accounts_file_names_the_row_and_column(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(content)
    with pytest.raises(InputError) as raised:
        read_accounts(path)
    assert str(raised.value).startswith(message)


def test_a_malformed_model_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text("{}")
    with pytest.raises(FollowerModelError, match="cannot read the follower model"):
        FollowerModel.load(path)
    assert MODEL_FILE.is_file()
