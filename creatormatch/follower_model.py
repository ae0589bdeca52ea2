"""Is this follower account fake or bought? A logistic model on account counts, stored as plain JSON coefficients.

It is trained on public labelled accounts (shared/data/authenticity) by `creatormatch authenticity train`, scored
with numpy alone, and calibrated from the balanced training mix to a realistic base rate of fake followers.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

ACCOUNT_COLUMNS = ("followers", "following", "posts", "has_profile_pic", "is_private", "bio_length",
                   "username_length", "username_digits")
FEATURES = ("log_followers", "log_following", "log_posts", "log_following_ratio", "has_profile_pic", "is_private",
            "has_bio", "log_bio_length", "username_digit_share", "username_length")
MODEL_FILE = Path(__file__).with_name("models") / "follower_authenticity.json"
FloatArray = npt.NDArray[np.float64]


class FollowerModelError(Exception):
    """The model file is missing or malformed, or the input has no usable column."""


def account_features(accounts: pl.DataFrame) -> FloatArray:
    """The model's features for account rows; missing columns and values become NaN (imputed by the model).

    Args:
        accounts: rows with any of ACCOUNT_COLUMNS.

    Returns:
        rows x FEATURES.
    """
    def col(name: str) -> pl.Expr:
        if name not in accounts.columns:
            return pl.lit(None, dtype=pl.Float64)
        return pl.col(name).cast(pl.Float64, strict=False)

    frame = accounts.select(
        col("followers").log1p().alias("log_followers"),
        col("following").log1p().alias("log_following"),
        col("posts").log1p().alias("log_posts"),
        (col("following").log1p() - col("followers").log1p()).alias("log_following_ratio"),
        col("has_profile_pic").alias("has_profile_pic"),
        col("is_private").alias("is_private"),
        (col("bio_length") > 0).cast(pl.Float64).alias("has_bio"),
        col("bio_length").log1p().alias("log_bio_length"),
        pl.when(col("username_length") > 0).then(col("username_digits") / col("username_length"))
        .alias("username_digit_share"),
        col("username_length").alias("username_length"),
    )
    return frame.to_numpy().astype(np.float64)


def usable_columns(accounts: pl.DataFrame) -> list[str]:
    """The account columns present with at least one value."""
    present = [c for c in ACCOUNT_COLUMNS if c in accounts.columns]
    return [c for c in present if accounts.get_column(c).null_count() < accounts.height]


@dataclass
class FollowerModel:
    """Median imputation, standardisation and logistic regression, with the operating point and its error rates."""

    features: list[str]
    medians: list[float]
    means: list[float]
    scales: list[float]
    coefficients: list[float]
    intercept: float
    train_fake_rate: float
    base_rate: float
    threshold: float
    true_positive_rate: float  # at the threshold, pooled over leave-one-source-out predictions
    false_positive_rate: float
    provenance: dict[str, Any] = field(default_factory=dict)

    def logit(self, features: FloatArray) -> FloatArray:
        """Log-odds of fake under the training mix."""
        filled = np.where(np.isnan(features), np.asarray(self.medians), features)
        standard = (filled - np.asarray(self.means)) / np.asarray(self.scales)
        result: FloatArray = standard @ np.asarray(self.coefficients) + self.intercept
        return result

    def fake_probability(self, features: FloatArray) -> FloatArray:
        """Probability that each account is fake, calibrated to base_rate (prior shift from the training mix)."""
        shift = math.log(self.base_rate / (1 - self.base_rate)) - math.log(
            self.train_fake_rate / (1 - self.train_fake_rate))
        probability: FloatArray = 1.0 / (1.0 + np.exp(-(self.logit(features) + shift)))
        return probability

    def fake_share(self, flagged: float) -> float:
        """The share of fakes implied by the share of accounts flagged (adjusted classify-and-count)."""
        spread = self.true_positive_rate - self.false_positive_rate
        if spread <= 0:
            return flagged
        return min(1.0, max(0.0, (flagged - self.false_positive_rate) / spread))

    def save(self, path: Path) -> None:
        """Write the model as JSON."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> FollowerModel:
        """Read a model written by save().

        Raises:
            FollowerModelError: missing or malformed file.
        """
        try:
            model = cls(**json.loads(path.read_text()))
        except (OSError, json.JSONDecodeError, TypeError) as exc:
            raise FollowerModelError(f"{path}: cannot read the follower model ({exc}); "
                                     "retrain it with `creatormatch authenticity train`") from exc
        if model.features != list(FEATURES):
            raise FollowerModelError(f"{path}: model features {model.features} differ from this code's {FEATURES}")
        return model


def wilson_interval(successes: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval for a proportion (wide for small n, never outside [0, 1])."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def audience_credibility(samples: pl.DataFrame, model: FollowerModel) -> pl.DataFrame:
    """Estimated share of real followers per creator from their sampled followers, with a 95 % interval.

    Each sampled follower is flagged when its calibrated fake probability reaches the model's threshold; the
    flagged share is corrected for the model's error rates (adjusted classify-and-count), and the Wilson interval
    of the flagged share is carried through the same correction, so few samples give a wide interval.

    Args:
        samples: follower_samples rows (creator_id and account columns).
        model: the follower model.

    Returns:
        creator_id, followers_sampled, flagged_fake_share, audience_credibility, credibility_low, credibility_high.
    """
    schema = {"creator_id": pl.Utf8, "followers_sampled": pl.Int64, "flagged_fake_share": pl.Float64,
              "audience_credibility": pl.Float64, "credibility_low": pl.Float64, "credibility_high": pl.Float64}
    if samples.height == 0:
        return pl.DataFrame(schema=schema)
    flagged = model.fake_probability(account_features(samples)) >= model.threshold
    counts = (samples.select("creator_id").with_columns(pl.Series("flagged", flagged))
              .group_by("creator_id").agg(pl.len().alias("n"), pl.col("flagged").sum().alias("k")).sort("creator_id"))
    rows = []
    for creator_id, n, k in counts.iter_rows():
        low, high = wilson_interval(k, n)
        rows.append((creator_id, n, k / n, 1 - model.fake_share(k / n), 1 - model.fake_share(high),
                     1 - model.fake_share(low)))
    return pl.DataFrame(rows, schema=schema, orient="row")
