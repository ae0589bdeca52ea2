"""Is this follower account fake or bought? A small model on account counts, stored as reviewable JSON.

It is trained on public labelled accounts (shared/data/authenticity) by `creatormatch authenticity train`, which
compares several kinds of model on leave-one-source-out validation and keeps the one that holds best on the
source it did not see. Every kind is scored here with numpy alone (gradient-boosted trees as plain arrays, logistic
models as coefficients), then calibrated on held-out predictions and moved to a realistic base rate of fakes.
Any account column may be missing: the model says which columns each score rests on.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from creatormatch.dataset import FIELD, REASON, ROW, InputError, read_any, read_table
from creatormatch.schemas import FOLLOWER_SAMPLES, TableSpec

ACCOUNT_COLUMNS = ("followers", "following", "posts", "has_profile_pic", "is_private", "bio_length",
                   "username_length", "username_digits")
FEATURES = ("log_followers", "log_following", "log_posts", "log_following_ratio", "has_profile_pic", "is_private",
            "has_bio", "log_bio_length", "username_digit_share", "username_length")
# The account columns each feature is computed from: a feature is known only when all of them are.
FEATURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "log_followers": ("followers",), "log_following": ("following",), "log_posts": ("posts",),
    "log_following_ratio": ("followers", "following"), "has_profile_pic": ("has_profile_pic",),
    "is_private": ("is_private",), "has_bio": ("bio_length",), "log_bio_length": ("bio_length",),
    "username_digit_share": ("username_length", "username_digits"), "username_length": ("username_length",),
}
# A sampled follower counts towards audience credibility only with both: the following/followers ratio is the
# signal every validated column set keeps (see the model card).
USABLE_COLUMNS = ("followers", "following")
# Account rows as `authenticity score` reads them: the follower sample columns, none required.
ACCOUNTS = TableSpec(name="accounts", columns=tuple(c for c in FOLLOWER_SAMPLES.columns if c.name != "creator_id"),
                     id_column=None, required_file=True)
MODEL_FILE = Path(__file__).with_name("models") / "follower_authenticity.json"
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
ScorerKind = Literal["linear", "trees", "column_sets"]


class FollowerModelError(Exception):
    """The model file is missing or malformed."""


def account_features(accounts: pl.DataFrame) -> FloatArray:
    """The model's features for account rows; missing columns and values become NaN (unknown).

    Args:
        accounts: rows with any of ACCOUNT_COLUMNS (numbers or booleans).

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


def columns_used(features: FloatArray) -> list[list[str]]:
    """For each row of account_features, the account columns its score rests on (those behind a known feature)."""
    patterns, which = np.unique(~np.isnan(features), axis=0, return_inverse=True)
    names = []
    for pattern in patterns:
        used = {c for feature, known in zip(FEATURES, pattern, strict=True) if known for c in FEATURE_COLUMNS[feature]}
        names.append([c for c in ACCOUNT_COLUMNS if c in used])
    return [names[i] for i in which.ravel()]


def usable_columns(accounts: pl.DataFrame) -> list[str]:
    """The account columns present with at least one value."""
    present = [c for c in ACCOUNT_COLUMNS if c in accounts.columns]
    return [c for c in present if accounts.get_column(c).null_count() < accounts.height]


@dataclass
class LinearScorer:
    """A logistic model's log-odds on some of the features: median imputation, standardisation, coefficients."""

    features: list[str]
    medians: list[float]
    means: list[float]
    scales: list[float]
    coefficients: list[float]
    intercept: float

    def decision(self, features: FloatArray) -> FloatArray:
        """Log-odds of fake (training mix) for rows x FEATURES; unknown values get the training median."""
        chosen = features[:, [FEATURES.index(f) for f in self.features]]
        filled = np.where(np.isnan(chosen), np.asarray(self.medians), chosen)
        result: FloatArray = ((filled - np.asarray(self.means)) / np.asarray(self.scales)) @ np.asarray(
            self.coefficients) + self.intercept
        return result


@dataclass
class Tree:
    """One regression tree as parallel arrays over its nodes (node 0 is the root; a leaf has feature -1).

    A row goes left when its value is <= threshold, and, when the value is unknown, where missing_left says.
    """

    feature: list[int]
    threshold: list[float]
    missing_left: list[bool]
    left: list[int]
    right: list[int]
    value: list[float]

    def predict(self, features: FloatArray) -> FloatArray:
        """The leaf value each row reaches."""
        feature, threshold = np.asarray(self.feature), np.asarray(self.threshold)
        missing_left, left, right = np.asarray(self.missing_left), np.asarray(self.left), np.asarray(self.right)
        rows = np.arange(features.shape[0])
        node = np.zeros(features.shape[0], dtype=np.int64)
        active = feature[node] >= 0
        while active.any():
            at = node[active]
            value = features[rows[active], feature[at]]
            go_left = np.where(np.isnan(value), missing_left[at], value <= threshold[at])
            node[active] = np.where(go_left, left[at], right[at])
            active = feature[node] >= 0
        result: FloatArray = np.asarray(self.value)[node]
        return result


@dataclass
class TreeScorer:
    """Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, exported): baseline + sum of leaves."""

    baseline: float
    trees: list[Tree]

    def decision(self, features: FloatArray) -> FloatArray:
        """Log-odds of fake (training mix) for rows x FEATURES; unknown values follow each split's learned side."""
        total = np.full(features.shape[0], self.baseline)
        for tree in self.trees:
            total += tree.predict(features)
        return total


@dataclass
class ColumnSetScorer:
    """One logistic model per set of known features; each row uses the largest model whose features it has."""

    models: list[LinearScorer]

    def decision(self, features: FloatArray) -> FloatArray:
        """Log-odds of fake (training mix); 0 for a row no model fits (no known feature)."""
        known = ~np.isnan(features)
        out = np.zeros(features.shape[0])
        sets = [({FEATURES.index(f) for f in m.features}, m) for m in self.models]
        for pattern in np.unique(known, axis=0):
            available = set(np.flatnonzero(pattern).tolist())
            fitting = [(len(s), i) for i, (s, _) in enumerate(sets) if s <= available]
            if fitting:
                rows = (known == pattern).all(axis=1)
                out[rows] = sets[max(fitting)[1]][1].decision(features[rows])
        return out


Scorer = LinearScorer | TreeScorer | ColumnSetScorer


def scorer_kind(scorer: Scorer) -> ScorerKind:
    """The name a scorer is stored under."""
    if isinstance(scorer, TreeScorer):
        return "trees"
    return "column_sets" if isinstance(scorer, ColumnSetScorer) else "linear"


def _scorer_from_json(kind: str, data: dict[str, Any]) -> Scorer:
    if kind == "linear":
        return LinearScorer(**data)
    if kind == "trees":
        return TreeScorer(baseline=data["baseline"], trees=[Tree(**t) for t in data["trees"]])
    if kind == "column_sets":
        return ColumnSetScorer(models=[LinearScorer(**m) for m in data["models"]])
    raise TypeError(f"unknown scorer kind {kind!r}")


@dataclass
class FollowerModel:
    """A scorer, its calibration (Platt scaling on held-out predictions, then a prior shift to base_rate), the
    operating point with its held-out error rates, and the validation that chose it."""

    features: list[str]
    kind: ScorerKind
    scorer: Scorer
    calibration_slope: float
    calibration_intercept: float
    train_fake_rate: float  # fake share of the held-out predictions the calibration was fitted on
    base_rate: float
    threshold: float
    true_positive_rate: float  # at the threshold, pooled over held-out predictions
    false_positive_rate: float
    validation: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    def fake_probability(self, features: FloatArray) -> FloatArray:
        """Probability that each account (rows x FEATURES) is fake, at base_rate."""
        return self.calibrated(self.scorer.decision(features))

    def calibrated(self, decisions: FloatArray) -> FloatArray:
        """Scorer outputs as probabilities at base_rate: Platt scaling, then the prior shift from the calibration
        mix to base_rate."""
        shift = math.log(self.base_rate / (1 - self.base_rate)) - math.log(
            self.train_fake_rate / (1 - self.train_fake_rate))
        logit = self.calibration_slope * decisions + self.calibration_intercept + shift
        probability: FloatArray = 1.0 / (1.0 + np.exp(-logit))
        return probability

    def fake_share(self, flagged: float) -> float:
        """The share of fakes implied by the share of accounts flagged (adjusted classify-and-count)."""
        spread = self.true_positive_rate - self.false_positive_rate
        if spread <= 0:
            return flagged
        return min(1.0, max(0.0, (flagged - self.false_positive_rate) / spread))

    def to_json(self) -> str:
        """The model as JSON: one line per array, so a diff shows which numbers changed."""
        return _dumps(asdict(self)) + "\n"

    def save(self, path: Path) -> None:
        """Write the model as JSON."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json())

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> FollowerModel:
        """Read a model written by save().

        Raises:
            FollowerModelError: missing or malformed file, or features other than this code's.
        """
        try:
            data = json.loads(path.read_text())
            data["scorer"] = _scorer_from_json(data["kind"], data["scorer"])
            model = cls(**data)
        except (OSError, json.JSONDecodeError, TypeError, KeyError) as exc:
            raise FollowerModelError(f"{path}: cannot read the follower model ({exc}); "
                                     "retrain it with `creatormatch authenticity train`") from exc
        if model.features != list(FEATURES):
            raise FollowerModelError(f"{path}: model features {model.features} differ from this code's {FEATURES}")
        return model


def _dumps(value: Any, indent: str = "") -> str:
    """JSON with sorted keys, nested objects indented, and arrays of plain values kept on one line."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {_dumps(v, inner)}" for k, v in sorted(value.items())]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "[\n" + ",\n".join(inner + _dumps(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, allow_nan=False)


def read_accounts(path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """An accounts file as given (every column kept) and its account columns parsed to numbers.

    Args:
        path: CSV, JSONL or Parquet with any of ACCOUNT_COLUMNS (names in any case; counts may read "1,500";
            booleans true/false, 1/0 or yes/no).

    Returns:
        The rows as read, and the same rows as ACCOUNT_COLUMNS (null where a value is empty).

    Raises:
        InputError: unreadable file, no rows, no account column with a value, or a row with a value that is not a
            number (or true/false) or is negative; the message names the file, the row (counted from 1) and the
            column.
    """
    rows = read_any(path)
    parsed, _, _ = read_table(path, ACCOUNTS)
    for column in ACCOUNT_COLUMNS:
        negative = pl.col(column) < 0 if parsed.schema[column] != pl.Boolean else pl.lit(False)
        parsed = parsed.with_columns(
            pl.when(pl.col(REASON).is_null() & negative.fill_null(False))
            .then(pl.lit(f"{column} must be >= 0")).otherwise(pl.col(REASON)).alias(REASON))
    bad = parsed.filter(pl.col(REASON).is_not_null())
    if bad.height:
        row, reason = bad.select(ROW, REASON).row(0)
        raise InputError(path.name, f"row {row}: {reason}")
    accounts = parsed.drop(ROW, FIELD, REASON)
    if accounts.height == 0:
        raise InputError(path.name, "no rows to score")
    if not usable_columns(accounts):
        raise InputError(path.name, f"no usable account column; expected any of {', '.join(ACCOUNT_COLUMNS)}")
    return rows, accounts


def score_accounts(accounts: pl.DataFrame, model: FollowerModel) -> pl.DataFrame:
    """fake_probability and columns_used for account rows.

    Args:
        accounts: rows with any of ACCOUNT_COLUMNS.
        model: the follower model.

    Returns:
        fake_probability (null for a row with no known account column: no evidence) and columns_used (the account
        columns the score rests on), one row per account.
    """
    features = account_features(accounts)
    used = columns_used(features)
    probability = model.fake_probability(features)
    return pl.DataFrame({
        "fake_probability": pl.Series([float(p) if u else None for p, u in zip(probability, used, strict=True)],
                                      dtype=pl.Float64),
        "columns_used": pl.Series(used, dtype=pl.List(pl.Utf8)),
    })


def wilson_interval(successes: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval for a proportion (wide for small n, never outside [0, 1])."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


CREDIBILITY_SCHEMA: dict[str, pl.DataType] = {
    "creator_id": pl.Utf8(), "followers_sampled": pl.Int64(), "followers_usable": pl.Int64(),
    "flagged_fake_share": pl.Float64(), "audience_credibility": pl.Float64(), "credibility_low": pl.Float64(),
    "credibility_high": pl.Float64()}


def audience_credibility(samples: pl.DataFrame, model: FollowerModel) -> pl.DataFrame:
    """Estimated share of real followers per creator from their sampled followers, with a 95 % interval.

    Only sampled followers with USABLE_COLUMNS known count. Each is flagged when its calibrated fake probability
    reaches the model's threshold; the flagged share is corrected for the model's error rates (adjusted
    classify-and-count), and the Wilson interval of the flagged share is carried through the same correction, so
    few usable samples give a wide interval. A creator with no usable sample has null credibility (no evidence).

    Args:
        samples: follower_samples rows (creator_id and account columns).
        model: the follower model.

    Returns:
        creator_id, followers_sampled, followers_usable, flagged_fake_share, audience_credibility, credibility_low,
        credibility_high.
    """
    if samples.height == 0:
        return pl.DataFrame(schema=CREDIBILITY_SCHEMA)
    flagged = model.fake_probability(account_features(samples)) >= model.threshold
    usable = pl.all_horizontal([pl.col(c).is_not_null() if c in samples.columns else pl.lit(False)
                                for c in USABLE_COLUMNS])
    counts = (samples.select("creator_id", usable.alias("usable")).with_columns(pl.Series("flagged", flagged))
              .group_by("creator_id")
              .agg(pl.len().alias("n"), pl.col("usable").sum().alias("u"),
                   (pl.col("flagged") & pl.col("usable")).sum().alias("k"))
              .sort("creator_id"))
    rows: list[tuple[Any, ...]] = []
    for creator_id, n, u, k in counts.iter_rows():
        if u == 0:
            rows.append((creator_id, n, 0, None, None, None, None))
            continue
        low, high = wilson_interval(k, u)
        rows.append((creator_id, n, u, k / u, 1 - model.fake_share(k / u), 1 - model.fake_share(high),
                     1 - model.fake_share(low)))
    return pl.DataFrame(rows, schema=CREDIBILITY_SCHEMA, orient="row")
