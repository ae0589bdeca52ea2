"""Training the follower-level fake-account model, with leave-one-source-out validation and a model card."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from creatormatch import __version__
from creatormatch.dataset import InputError, read_any
from creatormatch.follower_model import ACCOUNT_COLUMNS, FEATURES, FloatArray, FollowerModel, account_features

DEFAULT_BASE_RATE = 0.2
THRESHOLD = 0.5  # on probabilities calibrated to the base rate: the accuracy-optimal cut at that rate
LICENCES = {
    "instafake": "CC BY-NC 4.0 (InstaFake, Akyon & Kalfaoglu 2019, arXiv 1910.03090)",
    "kaggle_free4ever1": "not stated (Kaggle 'Instagram fake spammer genuine accounts')",
    "parma_private": "GPL per its README (University of Parma)",
    "parma_public": "GPL per its README (University of Parma); may overlap parma_private",
    "cresci2015": "research use, cite Cresci et al. 2015 'Fame for sale'",
}


@dataclass
class SourceResult:
    """Held-out figures for one source."""

    source: str
    platform: str
    rows: int
    fake_share: float
    roc_auc: float
    recall: float
    false_positive_rate: float
    precision: float  # at the source's own (often balanced) mix
    precision_at_base_rate: float


def read_accounts(path: Path) -> pl.DataFrame:
    """The labelled accounts file (source, platform, account columns, is_fake), as CSV, JSONL or Parquet.

    Raises:
        InputError: unreadable file or missing columns.
    """
    frame = read_any(path)
    for column in ("source", "is_fake"):
        if column not in frame.columns:
            raise InputError(path.name, "required column is missing", column=column)
    if not any(c in frame.columns for c in ACCOUNT_COLUMNS):
        raise InputError(path.name, f"no account column ({', '.join(ACCOUNT_COLUMNS)})")
    return frame


def _fit(features: FloatArray, labels: np.ndarray, base_rate: float) -> FollowerModel:
    from sklearn.linear_model import LogisticRegression

    medians = np.nanmedian(features, axis=0)
    medians = np.where(np.isnan(medians), 0.0, medians)
    filled = np.where(np.isnan(features), medians, features)
    means = filled.mean(axis=0)
    scales = filled.std(axis=0)
    scales = np.where(scales > 0, scales, 1.0)
    regression = LogisticRegression(C=1.0, max_iter=2000).fit((filled - means) / scales, labels)
    return FollowerModel(
        features=list(FEATURES), medians=medians.tolist(), means=means.tolist(), scales=scales.tolist(),
        coefficients=regression.coef_[0].tolist(), intercept=float(regression.intercept_[0]),
        train_fake_rate=float(labels.mean()), base_rate=base_rate, threshold=THRESHOLD,
        true_positive_rate=1.0, false_positive_rate=0.0,
    )


def train_follower_model(path: Path, base_rate: float = DEFAULT_BASE_RATE) -> tuple[FollowerModel, list[SourceResult]]:
    """Validate leave-one-source-out, then fit on every source.

    Args:
        path: the labelled accounts CSV.
        base_rate: share of fake accounts among real followers that probabilities are calibrated to.

    Returns:
        The model fitted on all rows (with pooled held-out error rates at its threshold) and per-source results.

    Raises:
        InputError: unusable file.
        ValueError: base_rate outside (0, 1).
    """
    from sklearn.metrics import roc_auc_score

    if not 0 < base_rate < 1:
        raise ValueError(f"base_rate must be between 0 and 1, got {base_rate}")
    accounts = read_accounts(path)
    features = account_features(accounts)
    labels = accounts.get_column("is_fake").cast(pl.Int64).to_numpy()
    sources = accounts.get_column("source").to_numpy()
    platforms = accounts.get_column("platform").to_numpy() if "platform" in accounts.columns else sources
    results: list[SourceResult] = []
    pooled_flags: list[np.ndarray] = []
    pooled_labels: list[np.ndarray] = []
    for source in sorted(set(sources.tolist())):
        held = sources == source
        model = _fit(features[~held], labels[~held], base_rate)
        probability = model.fake_probability(features[held])
        flagged = probability >= THRESHOLD
        truth = labels[held].astype(bool)
        recall = float(flagged[truth].mean()) if truth.any() else float("nan")
        fpr = float(flagged[~truth].mean()) if (~truth).any() else float("nan")
        precision = float(truth[flagged].mean()) if flagged.any() else float("nan")
        denominator = recall * base_rate + fpr * (1 - base_rate)
        results.append(SourceResult(
            source=source, platform=str(platforms[held][0]), rows=int(held.sum()), fake_share=float(truth.mean()),
            roc_auc=float(roc_auc_score(truth, probability)), recall=recall, false_positive_rate=fpr,
            precision=precision, precision_at_base_rate=recall * base_rate / denominator if denominator else 0.0,
        ))
        pooled_flags.append(flagged)
        pooled_labels.append(truth)
    final = _fit(features, labels, base_rate)
    flags, truth_all = np.concatenate(pooled_flags), np.concatenate(pooled_labels)
    final.true_positive_rate = float(flags[truth_all].mean())
    final.false_positive_rate = float(flags[~truth_all].mean())
    final.provenance = {
        "data_file": path.name, "data_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "rows": int(len(labels)), "sources": sorted(set(sources.tolist())), "code_version": __version__,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "error_rates": "true/false positive rates pooled over leave-one-source-out predictions",
    }
    return final, results


def model_card(model: FollowerModel, results: list[SourceResult]) -> str:
    """The model card written beside the model: data and licences, features, metrics, limits."""
    rows = "\n".join(
        f"| {r.source} | {r.platform} | {r.rows} | {r.fake_share:.2f} | {r.roc_auc:.3f} | {r.recall:.3f} | "
        f"{r.false_positive_rate:.3f} | {r.precision:.3f} | {r.precision_at_base_rate:.3f} |" for r in results)
    licences = "\n".join(f"- `{s}`: {LICENCES.get(s, 'unknown')}" for s in model.provenance.get("sources", []))
    weights = "\n".join(f"| `{f}` | {c:+.3f} | {m:.3f} |"
                        for f, c, m in zip(model.features, model.coefficients, model.medians, strict=True))
    return f"""# Follower authenticity model

Is a follower account fake or bought? A logistic regression on counts an export gives for any account. Written
by `creatormatch authenticity train --data ../shared/data/authenticity/accounts.csv --out creatormatch/models`
on {model.provenance.get("trained_at", "?")} from `{model.provenance.get("data_file", "?")}` (sha256
`{str(model.provenance.get("data_sha256", "?"))[:16]}…`, {model.provenance.get("rows", "?")} rows). The data
itself is not in this repository.

## Training data and licences
{licences}

## Features
Missing values are replaced by the training median. There are no missing-value indicators: which columns are
missing identifies the source, and the model must not learn that.

| feature | coefficient (standardised) | training median |
| --- | --- | --- |
{weights}

## Calibration and operating point
The training mix is {model.train_fake_rate:.0%} fake. Real audiences are not (the shared README puts fakes among real
followers at roughly 10–35 %). Probabilities are moved to a base rate of {model.base_rate:.0%} by a prior shift of the
log-odds. An account is flagged at calibrated probability >= {model.threshold}, the accuracy-optimal cut at that base
rate. Pooled over held-out sources, the flag catches {model.true_positive_rate:.1%} of fakes (TPR) and wrongly flags
{model.false_positive_rate:.1%} of real accounts (FPR). Creator-level fake shares correct the flagged share with these
two rates (adjusted classify-and-count).

## Leave-one-source-out validation
Each row: trained on the other sources, tested on this one. Precision is shown at the source's own mix and, from
recall and FPR, at the {model.base_rate:.0%} base rate.

| held-out source | platform | rows | fake share | ROC-AUC | recall | FPR | precision | precision at base rate |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
{rows}

## Limits
- Five public sets, collected 2015–2019. Fake accounts and bought followers change, and a 2026 bot farm may not
  look like these.
- Counts only: no posting times, network, or text. Username features exist in two sources only.
- Twitter (cresci2015) rows train an Instagram-facing model, because the signals transfer (see its held-out row).
- Probabilities are calibrated to one assumed base rate. Audiences with far more fakes get shares from the
  classify-and-count correction, not from the probabilities.
- Licences: the coefficients are fitted on data under CC BY-NC 4.0 (instafake) and GPL (Parma sets). Whether a
  fitted model inherits those terms is unsettled. For commercial use, retrain on data you may use that way.
"""
