"""Scoring: the query-independent components, fit to the brief, the weighted blend, the red flag and MMR order.

Every component is in [0, 1]; the score is their weighted sum with weights normalised to 1 (README, "Ranking").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from creatormatch.bundle import LoadedBundle
from creatormatch.ranking.filters import float_column
from creatormatch.vectors import post_similarities

FloatArray = npt.NDArray[np.float32]
Rows = npt.NDArray[np.int64]

EVIDENCE_POSTS = 3  # posts shown as evidence, and the best posts whose mean similarity enters the fit
# Below this authenticity the whole score shrinks in proportion: one clear red flag sinks a creator whatever
# the blend weights say (vendors treat under 75 % real followers as a red flag).
RED_FLAG_AUTHENTICITY = 0.6
# No evidence either way (no follower sample, history or comparable engagement): between a clean record and the
# red flag, so an unknown is neither a pass nor a fraud.
UNKNOWN_AUTHENTICITY = 0.7
UNKNOWN_ACTIVITY = 0.5  # no dated post: cadence unknown
FIT_MIN_SPREAD = 1e-3  # below this spread of raw fit over the pool, rescaling would only magnify noise
MMR_MIN_POOL = 50  # diversity re-orders at least this many of the best candidates (3 x the page otherwise)
# ... and at most this many: the pairwise similarity matrix stays 500 x 500 however deep the page (deeper
# results follow in score order).
MMR_MAX_POOL = 500


@dataclass
class PostScores:
    """Similarity of every post of the candidates to the brief; candidate i owns [bounds[i], bounds[i + 1])."""

    sims: FloatArray
    index: Rows
    bounds: Rows

    def of(self, i: int) -> tuple[FloatArray, Rows]:
        """Similarities and bundle post rows of candidate i."""
        start, end = self.bounds[i], self.bounds[i + 1]
        return self.sims[start:end], self.index[start:end]

    def best(self) -> float:
        """The best post similarity over all candidates (0 without posts): the yardstick of "on brief"."""
        return float(self.sims.max()) if self.sims.size else 0.0

    def top_mean(self, k: int) -> FloatArray:
        """Mean of each candidate's k best post similarities (0 for a candidate without posts)."""
        counts = np.diff(self.bounds)
        if counts.size == 0 or counts.max() == 0:
            return np.zeros(counts.size, dtype=np.float32)
        # Candidates x posts, padded with -inf (never among the best), then a partial sort per row.
        owner = np.repeat(np.arange(counts.size), counts)
        column = np.arange(self.sims.size) - self.bounds[owner]
        padded = np.full((counts.size, max(int(counts.max()), k)), -np.inf, dtype=np.float32)
        padded[owner, column] = self.sims
        best = -np.partition(-padded, k - 1, axis=1)[:, :k]
        best[np.isinf(best)] = 0.0
        mean: FloatArray = (best.sum(axis=1) / np.maximum(1, np.minimum(counts, k))).astype(np.float32)
        return mean


# A term-vector matrix past this size is not read whole for each request; only the rows of the terms the
# candidates' posts use, when they are under half of it. Measured: 26,734 terms (41 MB) took 1.7 ms a pass and
# 0.35 + 0.3 ms to find and multiply the 2,761 used; 9,670 terms (15 MB, within the CPU's cache) took 0.14 ms a
# pass, less than finding the used terms alone (0.35 ms).
SUBSET_ABOVE_BYTES = 32 * 2**20


def post_scores(bundle: LoadedBundle, query: FloatArray, rows: Rows) -> PostScores:
    """Similarity to the query of every post of the creators at `rows`, in that order.

    Past SUBSET_ABOVE_BYTES of term vectors, only the terms those posts use are compared with the query: the
    whole vocabulary (26,734 terms x 384 floats, 41 MB, at 20,000 sample creators; up to vocab_max_terms at
    scale) was read from memory for every request.
    """
    counts = bundle.post_rows[rows]
    bounds = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    # Post rows of every candidate, in candidate order, without a Python loop.
    index = np.repeat(bundle.post_start[rows] - bounds[:-1], counts) + np.arange(bounds[-1])
    posts = bundle.post_terms[index]
    term_similarity = None
    if bundle.term_vectors.nbytes > SUBSET_ABOVE_BYTES:
        used = np.zeros(bundle.term_vectors.shape[0], dtype=bool)
        used[posts.indices] = True
        terms = np.flatnonzero(used)
        if 2 * terms.size < used.size:
            term_similarity = np.zeros(used.size, dtype=np.float32)
            term_similarity[terms] = bundle.term_vectors[terms] @ query
    if term_similarity is None:
        term_similarity = bundle.term_vectors @ query
    sims = post_similarities(posts, bundle.post_norms[index], term_similarity)
    return PostScores(sims=sims, index=index, bounds=bounds)


def static_components(creators: pl.DataFrame) -> dict[str, FloatArray]:
    """The query-independent components of every creator: engagement, authenticity, transparency, activity,
    interactive (README, "Ranking")."""
    authenticity = float_column(creators, "authenticity_score", default=UNKNOWN_AUTHENTICITY)
    sponsored_posts = float_column(creators, "sponsored_posts", default=0)
    days = float_column(creators, "days_since_last_post")
    posts_per_month = float_column(creators, "posts_per_month", default=0)
    components = {
        # Engagement counts as far as it is believable: bought likes must not earn the engagement bonus.
        # Unknown engagement sits below the median: no evidence is not good evidence.
        "engagement": np.nan_to_num(float_column(creators, "engagement_vs_tier"), nan=0.35) * authenticity,
        "authenticity": authenticity,
        # Nothing sponsored means nothing hidden, but less proof than a record of disclosures.
        "transparency": np.where(sponsored_posts > 0,
                                 np.nan_to_num(float_column(creators, "disclosure_rate"), nan=0.0), 0.8),
        "activity": np.where(np.isnan(days), UNKNOWN_ACTIVITY,
                             np.exp(-np.clip(np.nan_to_num(days), 0, 3650) / 90.0)
                             * np.minimum(1.0, np.sqrt(posts_per_month / 4.0))),
        "interactive": np.minimum(1.0, float_column(creators, "interactive_share", default=0) / 0.2),
    }
    return {k: v.astype(np.float32) for k, v in components.items()}


def fit(similarity: FloatArray, posts: PostScores, has_text: npt.NDArray[np.bool_], creator_share: float,
        words: FloatArray | None = None, lexical_weight: float = 0.0) -> FloatArray:
    """How well each candidate's content fits the brief, in [0, 1].

    Args:
        similarity: creator vector similarity to the brief.
        posts: the candidates' post similarities.
        has_text: whether each candidate has any text (no text: fit 0).
        creator_share: weight of the creator similarity against the mean of its best posts.
        words: BM25 of the brief's own words for each candidate, or None.
        lexical_weight: share of the max-normalised BM25 in the fit.
    """
    dense_fit = creator_share * similarity + (1 - creator_share) * posts.top_mean(EVIDENCE_POSTS)
    low, high = float(np.percentile(dense_fit, 10)), float(dense_fit.max())
    # When every candidate ties (no text, emoji only), the fit is their raw similarity, not a perfect 1.
    fitted = (np.clip((dense_fit - low) / (high - low), 0, 1) if high - low > FIT_MIN_SPREAD
              else np.clip(dense_fit, 0, 1))
    if words is not None and lexical_weight > 0:
        # The brief's own words in the creator's text: max-normalised BM25 over the candidates.
        best = float(words.max())
        if best > 0:
            fitted = (1 - lexical_weight) * fitted + lexical_weight * words / best
    result: FloatArray = np.where(has_text, fitted, 0.0).astype(np.float32)
    return result


def red_flag_factor(authenticity: FloatArray) -> FloatArray:
    """1 at or above RED_FLAG_AUTHENTICITY, (authenticity / RED_FLAG_AUTHENTICITY) squared below it.

    Squared so that a flag sinks: in proportion only, a flagged creator just under the line (0.5) kept 83 % of its
    score and still led searches whose relevance sits near the top for many creators.
    """
    factor: FloatArray = np.square(np.minimum(1.0, authenticity / RED_FLAG_AUTHENTICITY)).astype(np.float32)
    return factor


def blend(components: dict[str, FloatArray], weights: dict[str, float]) -> FloatArray:
    """The weighted sum of the components (weights normalised to 1), times the red flag factor."""
    score = np.zeros(len(components["authenticity"]), dtype=np.float32)
    for name, weight in weights.items():
        score += np.float32(weight) * components[name]
    score *= red_flag_factor(components["authenticity"])
    return score


def mmr_order(score: FloatArray, vectors: FloatArray, rows: Rows, diversity: float, wanted: int) -> list[int]:
    """Positions of `score` in score order, or in maximal marginal relevance order when diversity > 0.

    Args:
        score: the candidates' scores.
        vectors: the bundle's creator vectors.
        rows: the candidates' rows in the bundle.
        diversity: 0 = pure score order; up to 1 = trade score for distance from what is already picked.
        wanted: results needed (MMR orders the first `wanted`, at most MMR_MAX_POOL; the rest follow in score
            order).
    """
    by_score = np.argsort(-score, kind="stable")
    if diversity <= 0 or len(rows) < 2:
        return [int(i) for i in by_score]
    # MMR over the best candidates: trade score against similarity to what is already picked.
    pool = by_score[: min(len(rows), MMR_MAX_POOL, max(wanted * 3, MMR_MIN_POOL))]
    pool_vectors = vectors[rows[pool]]
    similarity = pool_vectors @ pool_vectors.T
    picked: list[int] = []
    remaining = list(range(len(pool)))
    closest = np.full(len(pool), -1.0, dtype=np.float32)
    while remaining and len(picked) < wanted:
        values = (1 - diversity) * score[pool[remaining]] - diversity * np.maximum(closest[remaining], 0)
        choice = remaining.pop(int(np.argmax(values)))
        picked.append(choice)
        closest = np.maximum(closest, similarity[choice])
    chosen = set(pool[picked].tolist())
    return [int(pool[i]) for i in picked] + [int(i) for i in by_score if i not in chosen]
