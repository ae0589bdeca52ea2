"""Evaluation against the sample's ground truth: niche precision, fraud in the shortlist, filters honoured."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from creatormatch.api_models import CreatorResult, Filters, brand_request
from creatormatch.dataset import InputError
from creatormatch.ranking import RED_FLAG_AUTHENTICITY, Ranker


@dataclass
class MatchQuality:
    """What `creatormatch evaluate` prints."""

    brands: int
    results: int
    on_niche_at_10: float
    fraud_at_10: float
    filter_violations: int
    brands_below_90: list[str] = field(default_factory=list)
    mean_ms: float = 0.0

    def lines(self) -> list[str]:
        return [
            f"brands evaluated: {self.brands} ({self.results} results, mean {self.mean_ms:.1f} ms per brief)",
            f"on-niche share of the top 10: {self.on_niche_at_10:.3f}  (goal >= 0.90)",
            f"fraud share of the top 10:    {self.fraud_at_10:.3f}  (goal <= 0.05)",
            f"results breaking a filter:    {self.filter_violations}  (goal 0)",
            f"brands under 90 % on-niche:   {len(self.brands_below_90)} {self.brands_below_90[:10]}",
        ]


def violates(result: CreatorResult, filters: Filters, creator: dict[str, object]) -> bool:
    """Whether a result breaks a filter of its request (checked against the bundle's creator table)."""
    tiers = filters.effective_tiers()
    followers = int(creator["followers"])  # type: ignore[call-overload]
    checks = [
        tiers is not None and creator["tier"] not in tiers,
        filters.platforms is not None and creator["platform"] not in filters.platforms,
        filters.countries is not None and creator["country"] not in filters.countries,
        filters.languages is not None and creator["language"] not in filters.languages,
        filters.min_followers is not None and followers < filters.min_followers,
        filters.max_followers is not None and followers > filters.max_followers,
        result.creator_id in filters.exclude_creator_ids,
    ]
    return any(checks)


def evaluate_matching(ranker: Ranker, data_dir: Path, limit: int = 10) -> MatchQuality:
    """Rank every brand of the sample and score the top `limit` against labels.parquet and brand_labels.parquet.

    Args:
        ranker: the ranker over a bundle built from data_dir.
        data_dir: the sample folder (with its label files).
        limit: shortlist length judged.

    Returns:
        The figures.
    """
    labels = {r["creator_id"]: r for r in pl.read_parquet(data_dir / "labels.parquet").iter_rows(named=True)}
    targets = {r["brand_id"]: set(r["target_niches"])
               for r in pl.read_parquet(data_dir / "brand_labels.parquet").iter_rows(named=True)}
    brands = pl.read_parquet(data_dir / "brands.parquet").to_dicts()
    creators = {r["creator_id"]: r for r in ranker.creators.select(
        "creator_id", "tier", "platform", "country", "language", "followers").iter_rows(named=True)}
    on_niche = fraud = total = violations = 0
    below: list[str] = []
    took = 0.0
    for brand in brands:
        request = brand_request(brand, limit=limit)
        response = ranker.match(request)
        took += response.took_ms
        hits = 0
        for result in response.results:
            label = labels[result.creator_id]
            hits += label["primary_niche"] in targets[brand["brand_id"]]
            fraud += bool(label["is_fraud"])
            violations += violates(result, request.filters, creators[result.creator_id])
        on_niche += hits
        total += len(response.results)
        if response.results and hits < 0.9 * len(response.results):
            below.append(str(brand["brand_id"]))
    return MatchQuality(brands=len(brands), results=total, on_niche_at_10=on_niche / max(1, total),
                        fraud_at_10=fraud / max(1, total), filter_violations=violations, brands_below_90=below,
                        mean_ms=took / max(1, len(brands)))


@dataclass
class AuthenticityQuality:
    """How well authenticity_score separates the planted fraud creators."""

    creators: int
    fraud_share: float
    roc_auc: float
    recall_by_kind: dict[str, float]
    genuine_flagged: float
    credibility_correlation: float | None

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{k} {v:.3f}" for k, v in sorted(self.recall_by_kind.items()))
        correlation = f"{self.credibility_correlation:.3f}" if self.credibility_correlation is not None else "n/a"
        return [
            f"creators: {self.creators} ({self.fraud_share:.1%} planted fraud)",
            f"authenticity ROC-AUC (fraud vs genuine): {self.roc_auc:.3f}  (goal >= 0.95)",
            f"caught at the red flag (authenticity < {RED_FLAG_AUTHENTICITY}): {kinds}",
            f"genuine creators flagged: {self.genuine_flagged:.3f}",
            f"audience_credibility vs true real-follower share, correlation: {correlation}",
        ]


def evaluate_authenticity(creators: pl.DataFrame, data_dir: Path) -> AuthenticityQuality:
    """Score the bundle's authenticity against labels.parquet.

    Args:
        creators: the bundle's creator table (with authenticity_score and audience_credibility).
        data_dir: the sample folder.

    Returns:
        The figures.
    """
    from sklearn.metrics import roc_auc_score

    joined = creators.join(pl.read_parquet(data_dir / "labels.parquet"), on="creator_id", how="inner")
    fraud = joined.get_column("is_fraud").to_numpy().astype(bool)
    score = joined.get_column("authenticity_score").fill_null(0.5).to_numpy()
    flagged = score < RED_FLAG_AUTHENTICITY
    kinds = joined.get_column("fraud_kind").to_list()
    recall = {kind: float(np.mean([f for f, k in zip(flagged, kinds, strict=True) if k == kind]))
              for kind in sorted({k for k in kinds if k})}
    correlation = None
    if "audience_credibility" in joined.columns:
        pairs = joined.select("audience_credibility", (1 - pl.col("true_fake_follower_share")).alias("real"))
        pairs = pairs.drop_nulls()
        if pairs.height > 2:
            correlation = float(pairs.select(pl.corr("audience_credibility", "real")).item())
    return AuthenticityQuality(
        creators=joined.height, fraud_share=float(fraud.mean()), roc_auc=float(roc_auc_score(fraud, 1 - score)),
        recall_by_kind=recall, genuine_flagged=float(flagged[~fraud].mean()), credibility_correlation=correlation,
    )


# One plain keyword per niche, as a marketer would type it (not taken from the generator's lexicon).
NICHE_KEYWORDS: dict[str, str] = {
    "vegan_food": "vegan", "baking": "baking", "coffee": "coffee", "fitness": "fitness", "running": "running",
    "yoga": "yoga", "skincare": "skincare", "makeup": "makeup", "sustainable_fashion": "sustainable fashion",
    "streetwear": "streetwear", "hiking_camping": "hiking", "cycling": "cycling", "travel": "travel",
    "parenting": "parenting", "pets": "pets", "home_decor": "home decor", "gardening": "gardening",
    "diy_crafts": "crafts", "personal_finance": "personal finance", "tech_gadgets": "gadgets", "gaming": "gaming",
    "photography": "photography", "books": "books", "zero_waste": "zero waste",
}


@dataclass
class SearchQuality:
    """How many creators of the niche each plain keyword puts in its top 10."""

    hits: dict[str, int]
    mean_ms: float

    def lines(self) -> list[str]:
        passing = sum(h >= 9 for h in self.hits.values())
        worst = sorted(self.hits.items(), key=lambda kv: kv[1])[:5]
        return [f"keywords with >= 9 of their niche in the top 10: {passing} of {len(self.hits)}  (goal: all)",
                f"mean hits in the top 10: {np.mean(list(self.hits.values())):.2f}; lowest: "
                + ", ".join(f"{NICHE_KEYWORDS[n]!r} {h}" for n, h in worst),
                f"mean {self.mean_ms:.1f} ms per search"]


def evaluate_search(ranker: Ranker, data_dir: Path) -> SearchQuality:
    """Search each niche's plain keyword and count creators of that niche (primary) in the top 10."""
    from creatormatch.api_models import SearchRequest

    labels = dict(pl.read_parquet(data_dir / "labels.parquet").select("creator_id", "primary_niche").iter_rows())
    hits: dict[str, int] = {}
    took = 0.0
    for niche, keyword in NICHE_KEYWORDS.items():
        response = ranker.search(SearchRequest(q=keyword, limit=10))
        took += response.took_ms
        hits[niche] = sum(labels.get(r.creator_id) == niche for r in response.results)
    return SearchQuality(hits=hits, mean_ms=took / len(NICHE_KEYWORDS))


SAMPLE_FILES = ("labels.parquet", "brand_labels.parquet", "brands.parquet")


@dataclass
class SampleQuality:
    """What `creatormatch evaluate --data` prints: /match, keyword search and authenticity against the sample."""

    matching: MatchQuality
    search: SearchQuality
    authenticity: AuthenticityQuality

    def lines(self) -> list[str]:
        return ["# /match against brand_labels.parquet and labels.parquet", *self.matching.lines(),
                "# keyword search: one plain keyword per niche", *self.search.lines(),
                "# authenticity against labels.parquet", *self.authenticity.lines()]


def evaluate_sample(ranker: Ranker, data_dir: Path, limit: int = 10) -> SampleQuality:
    """Judge /match, keyword search and authenticity against a sample's ground truth.

    Args:
        ranker: the ranker over a bundle built from data_dir.
        data_dir: the sample folder, as `creatormatch sample` writes it (with its label files).
        limit: shortlist length judged for /match.

    Returns:
        The three sets of figures.

    Raises:
        InputError: a label file or the brands file is missing.
    """
    for name in SAMPLE_FILES:
        if not (data_dir / name).is_file():
            raise InputError(str(data_dir / name), "not found (evaluate needs a sample written by "
                             "`creatormatch sample`)")
    return SampleQuality(matching=evaluate_matching(ranker, data_dir, limit=limit),
                         search=evaluate_search(ranker, data_dir),
                         authenticity=evaluate_authenticity(ranker.creators, data_dir))
