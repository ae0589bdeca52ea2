"""Training the follower-level fake-account model: candidates compared on held-out sources with columns removed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl

from creatormatch import __version__
from creatormatch.dataset import InputError, read_any
from creatormatch.follower_model import (
    ACCOUNT_COLUMNS,
    FEATURE_COLUMNS,
    FEATURES,
    BoolArray,
    ColumnSetScorer,
    FloatArray,
    FollowerModel,
    LinearScorer,
    Scorer,
    Tree,
    TreeScorer,
    account_features,
    scorer_kind,
)

if TYPE_CHECKING:
    from sklearn.ensemble import HistGradientBoostingClassifier

IntArray = npt.NDArray[np.int64]
DEFAULT_BASE_RATE = 0.2
THRESHOLD = 0.5  # on probabilities calibrated to the base rate: the accuracy-optimal cut at that rate
LICENCES = {
    "instafake": "CC BY-NC 4.0 (InstaFake, Akyon & Kalfaoglu 2019, arXiv 1910.03090)",
    "kaggle_free4ever1": "not stated (Kaggle 'Instagram fake spammer genuine accounts')",
    "parma_private": "GPL per its README (University of Parma)",
    "parma_public": "GPL per its README (University of Parma); may overlap parma_private",
    "cresci2015": "research use, cite Cresci et al. 2015 'Fame for sale'",
}
# Each held-out source is scored as it is and with each optional column removed, as real exports lack them; the
# model kept is the one whose worst score over these, on the SELECTION_PLATFORM sources, is highest.
REMOVALS: dict[str, tuple[str, ...]] = {
    "all columns": (),
    "no bio_length": ("bio_length",),
    "no username": ("username_length", "username_digits"),
    "no is_private": ("is_private",),
    "no has_profile_pic": ("has_profile_pic",),
    "no posts": ("posts",),
}
# Reported beside them, not used to choose: exports with little more than the counts.
SUBSETS: dict[str, tuple[str, ...]] = {
    "followers, following, posts, has_profile_pic": ("is_private", "bio_length", "username_length",
                                                     "username_digits"),
    "followers, following": ("posts", "has_profile_pic", "is_private", "bio_length", "username_length",
                             "username_digits"),
}
SELECTION_PLATFORM = "instagram"
# More followers, more posts, a picture or a bio never make an account more likely fake, all else equal; following
# more accounts, or more per follower, never makes it less likely. The private flag, the bio's length and the
# username's shape point different ways in different sources (instafake's real accounts are mostly private, the
# Parma fakes more often are), so they are left free.
MONOTONIC = {"log_followers": -1, "log_following": 1, "log_posts": -1, "log_following_ratio": 1,
             "has_profile_pic": -1, "has_bio": -1}
TREE_PARAMS: dict[str, Any] = {"max_iter": 50, "learning_rate": 0.2, "max_leaf_nodes": 8, "max_bins": 63,
                               "min_samples_leaf": 40, "l2_regularization": 1.0, "early_stopping": False,
                               "random_state": 0}
# Random column masking: copies of the training rows with each optional column hidden at MASK_SHARE (followers and
# following, which nearly every export has, at MASK_SHARE_COUNTS), so that no column is relied on alone and a
# missing one is not read as a sign of some source.
MASK_COPIES = 3
MASK_SHARE = 0.5
MASK_SHARE_COUNTS = 0.125
MASK_SEED = 13
# Column groups for the per-column-set models; the two username columns come together.
COLUMN_GROUPS: tuple[tuple[str, ...], ...] = (("followers",), ("following",), ("posts",), ("has_profile_pic",),
                                              ("is_private",), ("bio_length",), ("username_length", "username_digits"))
MIN_CLASS_ROWS = 20  # fakes and real accounts each a per-column-set model needs


@dataclass(frozen=True)
class Candidate:
    """A kind of model compared on the validation: how to fit it on feature rows and labels.

    `fit` receives the feature-availability patterns it will be asked to score (rows x FEATURES, True = known),
    which only the per-column-set models use, or None for every pattern.
    """

    name: str
    description: str
    fit: Callable[[FloatArray, IntArray, BoolArray | None], Scorer]


@dataclass
class CandidateResult:
    """One candidate's held-out ROC-AUC per source and column set, and its worst."""

    name: str
    description: str
    auc: dict[str, dict[str, float | None]]  # source -> column set -> ROC-AUC; None where already absent
    worst: float  # over the selection sources with all columns and each removal
    worst_at: str
    mean: float
    worst_subsets: dict[str, float]  # over the selection sources


@dataclass
class SourceResult:
    """Held-out figures of the kept model on one source with all its columns, at the operating point."""

    source: str
    platform: str
    rows: int
    fake_share: float
    roc_auc: float
    recall: float | None
    false_positive_rate: float | None
    precision: float | None  # at the source's own (often balanced) mix
    precision_at_base_rate: float | None


def read_labelled_accounts(path: Path) -> pl.DataFrame:
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
    labels = frame.get_column("is_fake").cast(pl.Int64, strict=False)
    bad = frame.with_row_index("row", offset=1).filter(labels.is_null() | ~labels.is_in([0, 1]))
    if bad.height:
        raise InputError(path.name, f"row {bad.item(0, 'row')}: is_fake must be 0 or 1 "
                         f"({bad.item(0, 'is_fake')!r})", column="is_fake")
    return frame


def without(accounts: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    """The accounts with the given columns emptied, as an export without them would give."""
    present = [c for c in columns if c in accounts.columns]
    return accounts.with_columns(pl.lit(None, dtype=accounts.schema[c]).alias(c) for c in present)


def fit_linear(features: FloatArray, labels: IntArray, names: Iterable[str] = FEATURES) -> LinearScorer:
    """A logistic regression on the named features (median imputation, standardisation)."""
    from sklearn.linear_model import LogisticRegression

    chosen = list(names)
    x = features[:, [FEATURES.index(f) for f in chosen]]
    medians = np.nanmedian(x, axis=0) if x.size else np.zeros(len(chosen))
    medians = np.where(np.isnan(medians), 0.0, medians)
    filled = np.where(np.isnan(x), medians, x)
    means = filled.mean(axis=0)
    scales = filled.std(axis=0)
    scales = np.where(scales > 0, scales, 1.0)
    regression = LogisticRegression(C=1.0, max_iter=2000).fit((filled - means) / scales, labels)
    return LinearScorer(features=chosen, medians=medians.tolist(), means=means.tolist(), scales=scales.tolist(),
                        coefficients=regression.coef_[0].tolist(), intercept=float(regression.intercept_[0]))


def export_trees(model: HistGradientBoostingClassifier) -> TreeScorer:
    """A fitted binary HistGradientBoostingClassifier as plain arrays (no categorical features)."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(Tree(
            feature=np.where(leaf, -1, nodes["feature_idx"]).astype(np.int64).tolist(),
            threshold=np.where(leaf, 0.0, nodes["num_threshold"]).astype(np.float64).tolist(),
            missing_left=(nodes["missing_go_to_left"].astype(bool) & ~leaf).tolist(),
            left=np.where(leaf, 0, nodes["left"]).astype(np.int64).tolist(),
            right=np.where(leaf, 0, nodes["right"]).astype(np.int64).tolist(),
            value=np.where(leaf, nodes["value"], 0.0).astype(np.float64).tolist(),
        ))
    return TreeScorer(baseline=float(np.ravel(model._baseline_prediction)[0]), trees=trees)


def masked_copies(features: FloatArray, labels: IntArray) -> tuple[FloatArray, IntArray]:
    """The rows plus MASK_COPIES copies with account columns hidden at random (seeded)."""
    rng = np.random.default_rng(MASK_SEED)
    parts, part_labels = [features], [labels]
    for _ in range(MASK_COPIES):
        copy = features.copy()
        for column in ACCOUNT_COLUMNS:
            if column == "username_digits":
                continue  # hidden with username_length
            share = MASK_SHARE_COUNTS if column in ("followers", "following") else MASK_SHARE
            hidden = rng.random(len(copy)) < share
            group = ("username_length", "username_digits") if column == "username_length" else (column,)
            for index, feature in enumerate(FEATURES):
                if set(FEATURE_COLUMNS[feature]) & set(group):
                    copy[hidden, index] = np.nan
        parts.append(copy)
        part_labels.append(labels)
    return np.vstack(parts), np.concatenate(part_labels)


def fit_trees(features: FloatArray, labels: IntArray, monotonic: bool, masked: bool) -> TreeScorer:
    """Gradient-boosted trees with native missing values, optionally monotonic and trained with column masking.

    Raises:
        RuntimeError: the exported trees do not reproduce scikit-learn's own scores (its internals changed).
    """
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y = masked_copies(features, labels) if masked else (features, labels)
    constraints = [MONOTONIC.get(f, 0) for f in FEATURES] if monotonic else None
    model = HistGradientBoostingClassifier(monotonic_cst=constraints, **TREE_PARAMS).fit(x, y)
    scorer = export_trees(model)
    if not np.allclose(scorer.decision(x), model.decision_function(x), rtol=1e-9, atol=1e-9):
        raise RuntimeError("exported trees do not reproduce scikit-learn's scores; check export_trees against "
                           "this scikit-learn version")
    return scorer


def fit_column_sets(features: FloatArray, labels: IntArray, patterns: BoolArray | None) -> ColumnSetScorer:
    """One logistic model per set of known features.

    Args:
        features: training rows x FEATURES.
        labels: 1 = fake.
        patterns: the feature-availability patterns to cover (True = known), or None for every combination of
            COLUMN_GROUPS. A set with too few training rows drops its least available feature until it has
            MIN_CLASS_ROWS of each class; a row then uses the largest model whose features it has.
    """
    if patterns is None:
        wanted = []
        for size in range(1, len(COLUMN_GROUPS) + 1):
            for groups in combinations(COLUMN_GROUPS, size):
                columns = {c for g in groups for c in g}
                wanted.append(frozenset(f for f in FEATURES if set(FEATURE_COLUMNS[f]) <= columns))
    else:
        wanted = [frozenset(f for f, known in zip(FEATURES, pattern, strict=True) if known)
                  for pattern in np.unique(patterns, axis=0)]
    known = ~np.isnan(features)
    models: dict[frozenset[str], LinearScorer] = {}
    for names in wanted:
        chosen = set(names)
        while chosen:
            rows = known[:, [FEATURES.index(f) for f in chosen]].all(axis=1)
            fakes = int(labels[rows].sum())
            if min(fakes, int(rows.sum()) - fakes) >= MIN_CLASS_ROWS:
                break
            chosen.discard(min(chosen, key=lambda f: (known[:, FEATURES.index(f)].sum(), f)))
        key = frozenset(chosen)
        if key and key not in models:
            models[key] = fit_linear(features[rows], labels[rows], [f for f in FEATURES if f in key])
    return ColumnSetScorer(models=[models[k] for k in sorted(models, key=lambda s: (len(s), sorted(s)))])


CANDIDATES: tuple[Candidate, ...] = (
    Candidate("logistic", "logistic regression, unknown values get the training median (the previous model)",
              lambda x, y, _: fit_linear(x, y)),
    Candidate("trees", "gradient-boosted trees (HistGradientBoostingClassifier), native missing values",
              lambda x, y, _: fit_trees(x, y, monotonic=False, masked=False)),
    Candidate("trees_monotonic", "the same with monotonic constraints where the direction is known",
              lambda x, y, _: fit_trees(x, y, monotonic=True, masked=False)),
    Candidate("trees_monotonic_masked", "the same trained with random column masking",
              lambda x, y, _: fit_trees(x, y, monotonic=True, masked=True)),
    Candidate("column_sets", "one logistic regression per set of available columns",
              fit_column_sets),
)


def roc_auc(labels: npt.NDArray[np.bool_], scores: FloatArray) -> float:
    """ROC-AUC (ties count half)."""
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores))


@dataclass
class _Fold:
    """One held-out source: its rows, labels and features under each column set."""

    source: str
    platform: str
    rows: BoolArray
    labels: npt.NDArray[np.bool_]
    features: dict[str, FloatArray]
    absent: set[str]  # removals whose columns the source does not have anyway


def _folds(accounts: pl.DataFrame) -> list[_Fold]:
    sources = accounts.get_column("source").cast(pl.Utf8).to_numpy()
    labels = accounts.get_column("is_fake").cast(pl.Int64).to_numpy().astype(bool)
    platforms = (accounts.get_column("platform").cast(pl.Utf8).to_numpy() if "platform" in accounts.columns
                 else sources)
    folds = []
    for source in sorted(set(sources.tolist())):
        held = sources == source
        if labels[held].all() or not labels[held].any():
            raise ValueError(f"source {source!r} holds only {'fake' if labels[held].all() else 'real'} accounts; "
                             "leave-one-source-out needs both in every source")
        frame = accounts.filter(pl.Series(held))
        have = {c for c in ACCOUNT_COLUMNS if c in frame.columns and frame.get_column(c).null_count() < frame.height}
        column_sets = {**REMOVALS, **SUBSETS}
        features = {name: account_features(without(frame, columns)) for name, columns in column_sets.items()}
        absent = {name for name, columns in REMOVALS.items() if columns and not set(columns) & have}
        folds.append(_Fold(source, str(platforms[held][0]), held, labels[held], features, absent))
    return folds


def _validate(candidate: Candidate, features: FloatArray, labels: IntArray, folds: list[_Fold],
              selection: set[str]) -> tuple[CandidateResult, dict[str, dict[str, FloatArray]]]:
    """Leave-one-source-out: fit on the other sources, score the held-out one under every column set."""
    auc: dict[str, dict[str, float | None]] = {}
    decisions: dict[str, dict[str, FloatArray]] = {}
    for fold in folds:
        patterns = np.vstack([~np.isnan(x) for x in fold.features.values()])
        scorer = candidate.fit(features[~fold.rows], labels[~fold.rows], patterns)
        decisions[fold.source] = {name: scorer.decision(x) for name, x in fold.features.items()}
        auc[fold.source] = {name: None if name in fold.absent else roc_auc(fold.labels, d)
                            for name, d in decisions[fold.source].items()}
    cells = [(value, f"{source}, {name}") for source, by_name in auc.items() if source in selection
             for name, value in by_name.items() if name in REMOVALS and value is not None]
    worst, worst_at = min(cells)
    result = CandidateResult(
        name=candidate.name, description=candidate.description, auc=auc, worst=worst, worst_at=worst_at,
        mean=float(np.mean([v for v, _ in cells])),
        worst_subsets={name: min(v for s, by in auc.items() if s in selection for n, v in by.items()
                                 if n == name and v is not None) for name in SUBSETS},
    )
    return result, decisions


def _platt(decisions: FloatArray, labels: npt.NDArray[np.bool_]) -> tuple[float, float]:
    """Slope and intercept of Platt scaling (a logistic fit of the labels on the score)."""
    from sklearn.linear_model import LogisticRegression

    fit = LogisticRegression(C=1e6, max_iter=1000).fit(decisions.reshape(-1, 1), labels.astype(np.int64))
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def _rates(flagged: npt.NDArray[np.bool_], truth: npt.NDArray[np.bool_],
           base_rate: float) -> tuple[float | None, float | None, float | None, float | None]:
    """Recall, false positive rate, precision at the given mix, and precision at base_rate (None when undefined)."""
    recall = float(flagged[truth].mean()) if truth.any() else None
    fpr = float(flagged[~truth].mean()) if (~truth).any() else None
    precision = float(truth[flagged].mean()) if flagged.any() else None
    at_base = None
    if recall is not None and fpr is not None and recall * base_rate + fpr * (1 - base_rate) > 0:
        at_base = recall * base_rate / (recall * base_rate + fpr * (1 - base_rate))
    return recall, fpr, precision, at_base


def train_follower_model(path: Path, base_rate: float = DEFAULT_BASE_RATE, progress: bool = False) -> FollowerModel:
    """Compare the candidates leaving one source out, keep the best, calibrate it and fit it on every source.

    Args:
        path: the labelled accounts file.
        base_rate: share of fake accounts among real followers that probabilities are calibrated to.
        progress: show a progress bar (on stderr) over the candidates.

    Returns:
        The kept model, fitted on all rows, with its calibration, held-out error rates at its threshold, and the
        whole validation (every candidate's held-out ROC-AUC, per source and column set) in `validation`.

    Raises:
        InputError: unusable file.
        ValueError: base_rate outside (0, 1), or fewer than two sources.
    """
    import sklearn.ensemble  # noqa: F401  (loaded first: threadpool_limits only limits libraries already loaded)
    from threadpoolctl import threadpool_limits
    from tqdm import tqdm

    if not 0 < base_rate < 1:
        raise ValueError(f"base_rate must be between 0 and 1, got {base_rate}")
    accounts = read_labelled_accounts(path)
    features = account_features(accounts)
    labels = accounts.get_column("is_fake").cast(pl.Int64).to_numpy()
    folds = _folds(accounts)
    if len(folds) < 2:
        raise ValueError(f"{path.name}: leave-one-source-out needs at least two sources in column 'source'")
    selection = {f.source for f in folds if f.platform == SELECTION_PLATFORM} or {f.source for f in folds}
    # One thread: the trees are small, the machines shared, and the result must not depend on the thread count.
    with threadpool_limits(1):
        validated = [(c, *_validate(c, features, labels, folds, selection))
                     for c in tqdm(CANDIDATES, desc="leave-one-source-out", unit="model", disable=not progress)]
        kept, kept_result, decisions = max(validated, key=lambda v: (v[1].worst, -CANDIDATES.index(v[0])))
        scorer = kept.fit(features, labels, None)
        pooled = [(decisions[f.source][name], f.labels) for f in folds for name in REMOVALS if name not in f.absent]
        pooled_scores = np.concatenate([d for d, _ in pooled])
        pooled_labels = np.concatenate([t for _, t in pooled])
        slope, intercept = _platt(pooled_scores, pooled_labels)
    model = FollowerModel(
        features=list(FEATURES), kind=scorer_kind(scorer), scorer=scorer, calibration_slope=slope,
        calibration_intercept=intercept, train_fake_rate=float(pooled_labels.mean()), base_rate=base_rate,
        threshold=THRESHOLD, true_positive_rate=0.0, false_positive_rate=0.0,
    )
    flagged = _flag(model, pooled_scores)
    model.true_positive_rate = float(flagged[pooled_labels].mean())
    model.false_positive_rate = float(flagged[~pooled_labels].mean())
    sources = []
    for fold in folds:
        scores = decisions[fold.source]["all columns"]
        recall, fpr, precision, at_base = _rates(_flag(model, scores), fold.labels, base_rate)
        sources.append(SourceResult(fold.source, fold.platform, int(fold.rows.sum()), float(fold.labels.mean()),
                                    roc_auc(fold.labels, scores), recall, fpr, precision, at_base))
    model.validation = {
        "selection": f"worst held-out ROC-AUC over the {SELECTION_PLATFORM} sources, with all columns and with each "
                     "optional column removed",
        "selection_sources": sorted(selection), "removals": list(REMOVALS), "subsets": list(SUBSETS),
        "kept": kept.name, "candidates": [asdict(r) for _, r, _ in validated],
        "sources": [asdict(s) for s in sources],
    }
    model.provenance = _provenance(path, accounts)
    return model


def _flag(model: FollowerModel, decisions: FloatArray) -> npt.NDArray[np.bool_]:
    """Which held-out scores the model's calibration and threshold flag."""
    flagged: npt.NDArray[np.bool_] = model.calibrated(decisions) >= model.threshold
    return flagged


def write_model(model: FollowerModel, out: Path) -> tuple[Path, Path]:
    """Write the model and its model card into a folder (created if needed).

    Returns:
        The paths of follower_authenticity.json and MODEL_CARD.md.
    """
    out.mkdir(parents=True, exist_ok=True)
    model_path, card_path = out / "follower_authenticity.json", out / "MODEL_CARD.md"
    model.save(model_path)
    card_path.write_text(model_card(model))
    return model_path, card_path


def _provenance(path: Path, accounts: pl.DataFrame) -> dict[str, Any]:
    import sklearn

    return {
        "data_file": path.name, "data_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "rows": accounts.height, "sources": sorted(set(accounts.get_column("source").cast(pl.Utf8).to_list())),
        "code_version": __version__, "scikit_learn_version": sklearn.__version__,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tree_parameters": TREE_PARAMS, "monotonic_constraints": MONOTONIC,
        "column_masking": {"copies": MASK_COPIES, "share": MASK_SHARE, "share_followers_following":
                           MASK_SHARE_COUNTS, "seed": MASK_SEED},
        "error_rates": "true/false positive rates pooled over held-out predictions, with all columns and with each "
                       "optional column removed",
    }


def _auc(value: float | None) -> str:
    return "absent" if value is None else f"{value:.3f}"


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def candidates_table(model: FollowerModel) -> str:
    """The candidates' worst held-out ROC-AUC, as a markdown table (the kept one in bold)."""
    validation = model.validation
    subsets = validation["subsets"]
    head = ("| model | worst (selection) | where | mean | " + " | ".join(f"worst, only {s}" for s in subsets)
            + " |\n|" + " --- |" * (4 + len(subsets)))
    rows = []
    for c in validation["candidates"]:
        name = f"**{c['name']}** (kept)" if c["name"] == validation["kept"] else c["name"]
        rows.append(f"| {name}: {c['description']} | {c['worst']:.3f} | {c['worst_at']} | {c['mean']:.3f} | "
                    + " | ".join(f"{c['worst_subsets'][s]:.3f}" for s in subsets) + " |")
    return head + "\n" + "\n".join(rows)


def columns_table(model: FollowerModel) -> str:
    """The kept model's held-out ROC-AUC per source and column set, as a markdown table."""
    validation = model.validation
    kept = next(c for c in validation["candidates"] if c["name"] == validation["kept"])
    names = [*validation["removals"], *(f"only {s}" for s in validation["subsets"])]
    keys = [*validation["removals"], *validation["subsets"]]
    platforms = {s["source"]: s["platform"] for s in validation["sources"]}
    head = "| held-out source | platform | " + " | ".join(names) + " |\n|" + " --- |" * (2 + len(names))
    rows = [f"| {source} | {platforms[source]} | " + " | ".join(_auc(by_name[k]) for k in keys) + " |"
            for source, by_name in kept["auc"].items()]
    return head + "\n" + "\n".join(rows)


def sources_table(model: FollowerModel) -> str:
    """The kept model's operating figures per held-out source with all its columns, as a markdown table."""
    head = ("| held-out source | platform | rows | fake share | ROC-AUC | recall | FPR | precision | "
            "precision at base rate |\n|" + " --- |" * 9)
    rows = [f"| {s['source']} | {s['platform']} | {s['rows']} | {s['fake_share']:.2f} | {s['roc_auc']:.3f} | "
            f"{_share(s['recall'])} | {_share(s['false_positive_rate'])} | {_share(s['precision'])} | "
            f"{_share(s['precision_at_base_rate'])} |" for s in model.validation["sources"]]
    return head + "\n" + "\n".join(rows)


def summary(model: FollowerModel) -> str:
    """One line: the kept model and its worst held-out ROC-AUC."""
    validation = model.validation
    kept = next(c for c in validation["candidates"] if c["name"] == validation["kept"])
    return (f"kept {kept['name']}: worst held-out ROC-AUC {kept['worst']:.3f} ({kept['worst_at']}) over "
            f"{', '.join(validation['selection_sources'])} with all columns and each optional column removed")


def model_card(model: FollowerModel) -> str:
    """The model card written beside the model, from the model file alone: data and licences, candidates,
    validation, calibration, limits."""
    provenance = model.provenance
    licences = "\n".join(f"- `{s}`: {LICENCES.get(s, 'unknown')}" for s in provenance.get("sources", []))
    monotonic = provenance.get("monotonic_constraints", {})
    constraints = ", ".join(f"`{f}` {'+' if monotonic[f] > 0 else '−'}" for f in FEATURES if monotonic.get(f))
    size = (f"{len(model.scorer.trees)} trees" if isinstance(model.scorer, TreeScorer) else
            f"{len(model.scorer.models)} logistic models" if isinstance(model.scorer, ColumnSetScorer) else
            "one logistic model")
    return f"""# Follower authenticity model

Is a follower account fake or bought? A model on the counts an export gives for any account. Written by
`creatormatch authenticity train --data ../shared/data/authenticity/accounts.csv --out creatormatch/models`
on {provenance.get("trained_at", "?")} from `{provenance.get("data_file", "?")}` (sha256
`{str(provenance.get("data_sha256", "?"))[:16]}…`, {provenance.get("rows", "?")} rows), with scikit-learn
{provenance.get("scikit_learn_version", "?")}. The data itself is not in this repository. This card is generated from
`follower_authenticity.json` by the same run, and a test checks that retraining reproduces both.

## Training data and licences
{licences}

## Features
From the account columns {", ".join(f"`{c}`" for c in ACCOUNT_COLUMNS)}, any of which may be missing: log
followers, following and posts, the following/followers ratio (log), profile picture, private flag, has a bio, bio
length (log), digits per username character, username length. A score says which columns it rests on
(`columns_used`).

## How the model was chosen
Each candidate is trained on all sources but one and scored on the one left out, first with all its columns, then
with each optional column removed (as a real export without it would give), then with only the counts. The model
kept is the one with the best **worst** held-out ROC-AUC over the {", ".join(model.validation["selection_sources"])}
sources, with all columns and with each removal ("selection"); the "only ..." columns are reported, not chosen
on.

{candidates_table(model)}

Kept: `{model.validation["kept"]}`, {size}, stored as plain arrays in the JSON and scored with numpy (an export of
scikit-learn's fitted trees, checked at training time to reproduce scikit-learn's own scores). Monotonic
constraints: {constraints or "none"} (more followers never make an account more likely fake, all else equal;
the private flag, bio length and username shape are free because their direction differs between sources).
Tree settings, masking and constraints are recorded in the JSON's `provenance`. These settings were chosen by
looking at this same validation, so its figures flatter the model a little.

## Held-out ROC-AUC by column set (kept model)
"absent": the source has no such column, so the figure is that of all columns.

{columns_table(model)}

## Calibration and operating point
Scores are calibrated by Platt scaling fitted on the held-out predictions above (all sources, all columns and
each removal), whose mix is {model.train_fake_rate:.0%} fake. Real audiences are not (the shared README puts fakes
among real followers at roughly 10–35 %), so probabilities are then moved to a base rate of {model.base_rate:.0%} by a
prior shift of the log-odds. An account is flagged at calibrated probability >= {model.threshold}, the
accuracy-optimal cut at that base rate. Pooled over the same held-out predictions, the flag catches
{model.true_positive_rate:.1%} of fakes (TPR) and wrongly flags {model.false_positive_rate:.1%} of real accounts (FPR).
Creator-level fake shares correct the flagged share with these two rates (adjusted classify-and-count).

Per held-out source, with all its columns, at that operating point (precision at the source's own mix and, from
recall and FPR, at the {model.base_rate:.0%} base rate):

{sources_table(model)}

## Limits
- Five public sets, collected 2015–2019. Fake accounts and bought followers change, and a 2026 bot farm may not
  look like these.
- Counts only: no posting times, network, or text. Username features exist in two sources only.
- Twitter (cresci2015) rows train an Instagram-facing model, because the signals transfer (see its held-out row).
- Error rates are pooled over sources and column sets: averages, which one export's columns and population may
  not match (the per-source rows above show the spread).
- Probabilities are calibrated to one assumed base rate. Audiences with far more fakes get shares from the
  classify-and-count correction, not from the probabilities.
- Licences: the model is fitted on data under CC BY-NC 4.0 (instafake) and GPL (Parma sets). Whether a fitted
  model inherits those terms is unsettled. For commercial use, retrain on data you may use that way.
"""
