"""The follower-level fake-account model: features, calibration, credibility intervals, the committed model."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from creatormatch.follower_model import (
    MODEL_FILE,
    FollowerModel,
    FollowerModelError,
    account_features,
    audience_credibility,
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
    assert features.shape == (2, 10)
    assert features[0, 0] == pytest.approx(math.log1p(100))
    assert np.isnan(features[1, 0]) and np.isnan(features[0, 4])
    assert usable_columns(pl.DataFrame({"followers": [None], "colour": ["red"]})) == []


def test_the_committed_model_tells_a_typical_fake_from_a_typical_real_account(model: FollowerModel) -> None:
    probability = model.fake_probability(account_features(pl.DataFrame([REAL, FAKE])))
    assert probability[0] < 0.1 and probability[1] > 0.9


def test_probabilities_are_calibrated_to_the_base_rate(model: FollowerModel) -> None:
    features = account_features(pl.DataFrame([REAL, FAKE, {**REAL, "following": 1500, "posts": 3}]))
    low = FollowerModel(**{**model.__dict__, "base_rate": 0.05}).fake_probability(features)
    high = FollowerModel(**{**model.__dict__, "base_rate": 0.5}).fake_probability(features)
    assert (low < high).all()
    # A prior shift moves the log-odds by the same amount for every account.
    shift = np.log(high / (1 - high)) - np.log(low / (1 - low))
    assert np.allclose(shift, math.log(1 / 1) - math.log(0.05 / 0.95))


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
    assert few_width > clean_width and got["few"]["followers_sampled"] == 5


def test_a_malformed_model_file_is_reported(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "model.json"  # type: ignore[operator]
    path.write_text("{}")
    with pytest.raises(FollowerModelError, match="cannot read the follower model"):
        FollowerModel.load(path)
    assert MODEL_FILE.is_file()
