"""The ranking behind /match, `creatormatch match` and batch shortlists: retrieve by meaning, filter, blend, explain.

Every component is in [0, 1]; the score is their weighted sum with weights normalised to 1 (README, "Ranking").
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from creatormatch.api_models import (
    Brief,
    CreatorResult,
    Evidence,
    Filters,
    MatchRequest,
    MatchResponse,
    SearchRequest,
    SearchResponse,
    SimilarResponse,
)
from creatormatch.bundle import LoadedBundle
from creatormatch.encoder import Encoder
from creatormatch.lexical import lexical_scores, query_tokens
from creatormatch.schemas import PLATFORM_LABELS, TIER_ORDER
from creatormatch.text import brief_fields
from creatormatch.vectors import post_similarities

CANDIDATE_POOL = 300  # creators scored in full per query (over-fetch before the blend)
EXACT_SUBSET_MAX = 100_000  # filtered subsets up to this size are searched exactly
EVIDENCE_POSTS = 3
RECENT_WINDOW = 20
ON_BRIEF_MARGIN = 0.85  # a post is "about the brief" at >= 85 % of the best post similarity in the pool
SNIPPET = 220
# Below this authenticity the whole score shrinks in proportion: one clear red flag sinks a creator whatever
# the blend weights say (vendors treat under 75 % real followers as a red flag).
RED_FLAG_AUTHENTICITY = 0.6
# No evidence either way (no follower sample, history or comparable engagement): between a clean record and the
# red flag, so an unknown is neither a pass nor a fraud.
UNKNOWN_AUTHENTICITY = 0.7
UNKNOWN_ACTIVITY = 0.5  # no dated post: cadence unknown
FIT_MIN_SPREAD = 1e-3  # below this spread of raw fit over the pool, rescaling would only magnify noise
SEARCH_POOL = 300  # creators taken from each of the dense and lexical rankings before fusion
RRF_K = 60  # reciprocal rank fusion constant (Cormack et al. 2009)
# Search fuses dense and BM25 scores as a weighted sum of min-max normalised scores over the pooled candidates
# (None: reciprocal rank fusion instead). Chosen on real labelled channels (README, "Quality on real creators").
LEXICAL_WEIGHT: float | None = 0.3
# /match: share of the brief's own words (BM25 over the candidates, max-normalised) in the fit.
MATCH_LEXICAL_WEIGHT = 0.3
FIT_CREATOR_SHARE = 0.6  # fit = this x creator similarity + the rest x mean of the 3 best posts' similarity
NEAR_TIE = 0.05  # engagement and authenticity move a search result by at most +-2.5 % of its relevance
FloatArray = npt.NDArray[np.float32]


@dataclass
class Candidates:
    """Creators that pass the filters, ranked by semantic similarity."""

    rows: npt.NDArray[np.int64]
    similarity: FloatArray
    total: int


@dataclass
class PostScores:
    """Similarity of every post of the candidates to the brief; candidate i owns [bounds[i], bounds[i + 1])."""

    sims: FloatArray
    index: npt.NDArray[np.int64]
    bounds: npt.NDArray[np.int64]

    def of(self, i: int) -> tuple[FloatArray, npt.NDArray[np.int64]]:
        """Similarities and bundle post rows of candidate i."""
        start, end = self.bounds[i], self.bounds[i + 1]
        return self.sims[start:end], self.index[start:end]

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


class Ranker:
    """Ranks a bundle's creators for briefs; holds the query-independent parts precomputed."""

    def __init__(self, bundle: LoadedBundle, encoder: Encoder, exact_subset_max: int = EXACT_SUBSET_MAX,
                 candidate_pool: int = CANDIDATE_POOL, query_cache_size: int = 0) -> None:
        """Prepare the filter columns and the query-independent components.

        Args:
            bundle: the loaded bundle.
            encoder: the query encoder (checked against the bundle by load_bundle).
            exact_subset_max: filtered subsets up to this size are searched exactly instead of through the index.
            candidate_pool: creators scored in full per query.
            query_cache_size: brief vectors kept (least recently used dropped); 0 turns the cache off.
        """
        from threadpoolctl import threadpool_limits

        # One BLAS thread per query: requests run concurrently on few cores, and multi-threaded BLAS next to
        # torch's OpenMP threads made a 0.4 ms matrix-vector product take 9 ms here.
        threadpool_limits(1, user_api="blas")
        encoder.encode(["warm-up"])  # load the model now, not on the first request
        self.bundle = bundle
        self.encoder = encoder
        self.query_cache_size = query_cache_size
        self._query_cache: OrderedDict[str, FloatArray] = OrderedDict()
        self._query_cache_lock = threading.Lock()
        self.exact_subset_max = exact_subset_max
        self.candidate_pool = candidate_pool
        creators = bundle.creators
        self.creators = creators
        self.n = creators.height

        def floats(name: str, default: float = math.nan) -> FloatArray:
            if name not in creators.columns:
                return np.full(self.n, default, dtype=np.float32)
            return creators.get_column(name).cast(pl.Float32).fill_null(default).to_numpy().astype(np.float32)

        def codes(name: str) -> tuple[npt.NDArray[np.int32], dict[str, int]]:
            values = creators.get_column(name).fill_null("").to_list()
            vocabulary: dict[str, int] = {}
            return np.array([vocabulary.setdefault(v, len(vocabulary)) for v in values], dtype=np.int32), vocabulary

        # Follower filters compare reach (followers, or median views where followers are unknown); unknown reach
        # (-1) never passes an explicit range.
        reach = creators.get_column("reach") if "reach" in creators.columns else creators.get_column("followers")
        self.followers = reach.fill_null(-1).to_numpy().astype(np.int64)
        self.has_text = (creators.get_column("has_text").fill_null(False).to_numpy().astype(bool)
                         if "has_text" in creators.columns else np.ones(creators.height, dtype=bool))
        self.tier, self.tier_codes = codes("tier")
        self.platform, self.platform_codes = codes("platform")
        self.country, self.country_codes = codes("country")
        self.language, self.language_codes = codes("language")
        self.tier_names = np.array(creators.get_column("tier").fill_null("").to_list(), dtype=object)
        self.platform_names = np.array(creators.get_column("platform").fill_null("").to_list(), dtype=object)
        self.country_names = np.array(creators.get_column("country").fill_null("unknown").to_list(), dtype=object)
        self.tier_rank = np.array([TIER_ORDER.index(t) if t in TIER_ORDER else 0 for t in self.tier_names])
        self.engagement_vs_tier = floats("engagement_vs_tier")
        self.credibility = floats("audience_credibility")
        self.days_since_last_post = floats("days_since_last_post", default=math.nan)
        self.disclosure_rate = floats("disclosure_rate")
        self.sponsored_posts = floats("sponsored_posts", default=0)
        self.authenticity = floats("authenticity_score", default=UNKNOWN_AUTHENTICITY)
        self.post_start = bundle.post_start
        self.post_rows = bundle.post_rows
        posts_per_month = floats("posts_per_month", default=0)
        self.static_components = {
            # Engagement counts as far as it is believable: bought likes must not earn the engagement bonus.
            # Unknown engagement sits below the median: no evidence is not good evidence.
            "engagement": np.nan_to_num(self.engagement_vs_tier, nan=0.35) * self.authenticity,
            "authenticity": self.authenticity,
            # Nothing sponsored means nothing hidden, but less proof than a record of disclosures.
            "transparency": np.where(self.sponsored_posts > 0, np.nan_to_num(self.disclosure_rate, nan=0.0), 0.8),
            "activity": np.where(np.isnan(self.days_since_last_post), UNKNOWN_ACTIVITY,
                                 np.exp(-np.clip(np.nan_to_num(self.days_since_last_post), 0, 3650) / 90.0)
                                 * np.minimum(1.0, np.sqrt(posts_per_month / 4.0))),
            "interactive": np.minimum(1.0, floats("interactive_share", default=0) / 0.2),
        }
        self.static_components = {k: v.astype(np.float32) for k, v in self.static_components.items()}
        self.captions = bundle.posts.get_column("caption").to_list()
        self.captions_lower = [c.lower() for c in self.captions]
        self.post_ids = bundle.posts.get_column("post_id").to_list()
        self.post_dates = [d.isoformat() if d is not None else None
                           for d in bundle.posts.get_column("posted_at").to_list()]
        self.post_formats = bundle.posts.get_column("format").to_list()
        self.records = creators.select(
            "creator_id", "handle", "platform", "followers", "tier", "country", "engagement_rate",
            *[c for c in ("reach", "reach_basis", "engagement_basis") if c in creators.columns],
            "engagement_vs_tier", "disclosure_rate", "sponsored_posts", "days_since_last_post", "posts_per_month",
            "interactive_share", "repeat_partnerships", "partner_brands", "authenticity_reasons",
            "authenticity_confidence", "authenticity_score",
            *(["audience_credibility"] if "audience_credibility" in creators.columns else []),
        ).to_dicts()

    # -- filters -------------------------------------------------------------------------------------------------
    def filter_mask(self, filters: Filters) -> npt.NDArray[np.bool_]:
        """Which creators pass the filters (the default tiers included)."""
        mask = np.ones(self.n, dtype=bool)

        def among(column: npt.NDArray[np.int32], vocabulary: dict[str, int], wanted: Sequence[str]) -> None:
            nonlocal mask
            mask &= np.isin(column, [vocabulary[w] for w in wanted if w in vocabulary])

        tiers = filters.effective_tiers()
        if tiers is not None:
            # The default tiers also keep creators of unknown reach: no evidence of size is not a wrong size.
            named = [("" if t == "unknown" else t) for t in tiers]
            among(self.tier, self.tier_codes, [*named, ""] if filters.tiers is None else named)
        if filters.platforms is not None:
            among(self.platform, self.platform_codes, filters.platforms)
        if filters.countries is not None:
            among(self.country, self.country_codes, filters.countries)
        if filters.languages is not None:
            among(self.language, self.language_codes, filters.languages)
        if filters.min_followers is not None:
            mask &= self.followers >= filters.min_followers
        if filters.max_followers is not None:
            mask &= self.followers <= filters.max_followers
        if filters.min_engagement_vs_tier is not None:
            mask &= np.nan_to_num(self.engagement_vs_tier, nan=-1) >= filters.min_engagement_vs_tier
        if filters.min_credibility is not None:
            mask &= np.nan_to_num(self.credibility, nan=-1) >= filters.min_credibility
        if filters.active_within_days is not None:
            mask &= np.nan_to_num(self.days_since_last_post, nan=np.inf) <= filters.active_within_days
        if filters.require_disclosure:
            mask &= (self.sponsored_posts == 0) | (np.nan_to_num(self.disclosure_rate, nan=0) >= 1.0)
        if filters.exclude_creator_ids:
            rows = [self.bundle.row_of[c] for c in filters.exclude_creator_ids if c in self.bundle.row_of]
            mask[rows] = False
        return mask

    # -- retrieval -----------------------------------------------------------------------------------------------
    def candidates(self, query: FloatArray, mask: npt.NDArray[np.bool_], pool: int) -> Candidates:
        """The `pool` most similar creators among those passing the filters.

        Small filtered subsets are searched exactly; otherwise the index is searched with an over-fetch that
        grows until enough creators pass the filters.
        """
        allowed = np.flatnonzero(mask)
        total = int(allowed.size)
        if total == 0:
            return Candidates(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), 0)
        pool = min(pool, total)
        if total <= self.exact_subset_max:
            # Past an eighth of the rows, one pass over all vectors is cheaper than gathering the allowed ones.
            vectors = self.bundle.vectors
            sims = (vectors @ query)[allowed] if total > self.n // 8 else vectors[allowed] @ query
            top = np.argpartition(-sims, pool - 1)[:pool] if pool < total else np.arange(total)
            order = top[np.argsort(-sims[top], kind="stable")]
            return Candidates(allowed[order].astype(np.int64), sims[order].astype(np.float32), total)
        fetch = min(self.n, max(pool * 2, int(pool * self.n / total * 1.5)))
        while True:
            sims, ids = self.bundle.index.search(query[None, :], fetch)
            keep = (ids[0] >= 0) & mask[np.clip(ids[0], 0, None)]
            rows, found = ids[0][keep], sims[0][keep]
            if rows.size >= pool or fetch >= self.n:
                return Candidates(rows[:pool].astype(np.int64), found[:pool].astype(np.float32), total)
            fetch = min(self.n, fetch * 4)

    # -- scoring -------------------------------------------------------------------------------------------------
    def encode_briefs(self, requests: Sequence[MatchRequest]) -> FloatArray:
        """Query vectors for several requests in one encoder call (cached texts are not encoded again).

        A brief's vector is the normalised weighted sum of its fields' vectors (text.brief_fields).
        """
        fields = [brief_fields(**r.brief.model_dump()) for r in requests]
        texts = list(dict.fromkeys(t for pairs in fields for t, _ in pairs))
        found: dict[str, FloatArray] = {}
        if self.query_cache_size:
            with self._query_cache_lock:
                for text in texts:
                    if text in self._query_cache:
                        self._query_cache.move_to_end(text)
                        found[text] = self._query_cache[text]
        missing = [t for t in texts if t not in found]
        if missing:
            vectors = self.encoder.encode(missing)
            found.update(zip(missing, vectors, strict=True))
            if self.query_cache_size:
                with self._query_cache_lock:
                    for text, vector in zip(missing, vectors, strict=True):
                        self._query_cache[text] = vector
                    while len(self._query_cache) > self.query_cache_size:
                        self._query_cache.popitem(last=False)
        queries = np.zeros((len(requests), self.bundle.vectors.shape[1]), dtype=np.float32)
        for i, pairs in enumerate(fields):
            for text, weight in pairs:
                queries[i] += np.float32(weight) * found[text]
        norms = np.linalg.norm(queries, axis=1, keepdims=True)
        unit: FloatArray = np.divide(queries, norms, out=np.zeros_like(queries), where=norms > 0)
        return unit

    def match(self, request: MatchRequest, query: FloatArray | None = None) -> MatchResponse:
        """Rank creators for one request.

        Args:
            request: the validated request.
            query: the brief's vector, when the caller encoded it already (batch jobs).

        Returns:
            The response body of POST /match.
        """
        started = time.perf_counter()
        if query is None:
            query = self.encode_briefs([request])[0]
        mask = self.filter_mask(request.filters)
        wanted = request.offset + request.limit
        found = self.candidates(query, mask, max(self.candidate_pool, 3 * wanted))
        if found.total == 0:
            return MatchResponse(results=[], total_candidates=0, bundle_version=self.bundle.version,
                                 took_ms=round((time.perf_counter() - started) * 1000, 2))
        rows, similarity = found.rows, found.similarity
        lexical = self._brief_lexical(request, mask)
        if lexical is not None:
            rows, similarity = self._with_lexical_hits(query, rows, similarity, lexical)
        posts = self._post_similarities(query, rows)
        top_post_mean = posts.top_mean(EVIDENCE_POSTS)
        dense_fit = FIT_CREATOR_SHARE * similarity + (1 - FIT_CREATOR_SHARE) * top_post_mean
        low, high = float(np.percentile(dense_fit, 10)), float(dense_fit.max())
        # When every candidate ties (no text, emoji only), the fit is their raw similarity, not a perfect 1.
        fit = (np.clip((dense_fit - low) / (high - low), 0, 1) if high - low > FIT_MIN_SPREAD
               else np.clip(dense_fit, 0, 1))
        if lexical is not None and MATCH_LEXICAL_WEIGHT > 0:
            # The brief's own words in the creator's text: max-normalised BM25 over the candidates.
            words = lexical[rows]
            best = float(words.max())
            if best > 0:
                fit = (1 - MATCH_LEXICAL_WEIGHT) * fit + MATCH_LEXICAL_WEIGHT * words / best
        fit = np.where(self.has_text[rows], fit, 0.0).astype(np.float32)
        components = {"fit": fit.astype(np.float32)}
        components.update({k: v[rows] for k, v in self.static_components.items()})
        weights = request.weights.normalised()
        score = np.zeros(len(rows), dtype=np.float32)
        for name, weight in weights.items():
            score += np.float32(weight) * components[name]
        score *= np.minimum(1.0, components["authenticity"] / RED_FLAG_AUTHENTICITY).astype(np.float32)
        order = self._order(score, rows, request.diversity, wanted)
        best_post = float(posts.sims.max()) if posts.sims.size else 0.0
        results = [
            self._result(rows[i], float(score[i]), {k: round(float(v[i]), 4) for k, v in components.items()},
                         *posts.of(i), best_post)
            for i in order[request.offset:wanted]
        ]
        return MatchResponse(results=results, total_candidates=found.total, bundle_version=self.bundle.version,
                             took_ms=round((time.perf_counter() - started) * 1000, 2))

    def search(self, request: SearchRequest) -> SearchResponse:
        """Hybrid keyword search: BM25 over bios, captions and hashtags fused with dense retrieval by rank.

        Relevance (reciprocal rank fusion of the two rankings) decides the order; engagement against the tier
        and authenticity only move a creator within a NEAR_TIE band, so a perfect niche match is never buried
        by a popular generalist. A red flag (authenticity under RED_FLAG_AUTHENTICITY) demotes as in /match.
        Facets count the fused pool by platform, tier and country.
        """
        started = time.perf_counter()
        if self.bundle.lexical is None:
            raise LookupError("this bundle has no lexical index; rebuild it with `creatormatch build`")
        mask = self.filter_mask(request.filters)
        wanted = request.offset + request.limit
        pool = max(SEARCH_POOL, 3 * wanted)
        query = self.encode_briefs([MatchRequest(brief=Brief(text=request.q))])[0]
        dense = self.candidates(query, mask, pool)
        tokens = query_tokens(request.q)
        lexical = np.where(mask, lexical_scores(self.bundle.lexical, tokens), 0.0)
        hits = np.flatnonzero(lexical > 0)
        lexical_rows = hits[np.argsort(-lexical[hits], kind="stable")][:pool]
        fused = self._fuse(query, dense, lexical, lexical_rows)
        if not fused:
            return SearchResponse(results=[], facets={}, total_candidates=0, bundle_version=self.bundle.version,
                                  took_ms=round((time.perf_counter() - started) * 1000, 2))
        rows = np.fromiter(fused, dtype=np.int64)
        relevance = np.fromiter(fused.values(), dtype=np.float32)
        quality = 0.5 * self.static_components["engagement"][rows] + 0.5 * self.authenticity[rows]
        # A red flag demotes as in /match: fraud is not a near-tie question.
        red_flag = np.minimum(1.0, self.authenticity[rows] / RED_FLAG_AUTHENTICITY)
        score = relevance * (1 + NEAR_TIE * (quality - 0.5)) * red_flag
        order = np.argsort(-score, kind="stable")[request.offset:wanted]
        posts = self._post_similarities(query, rows[order])
        best_post = float(posts.sims.max()) if posts.sims.size else 0.0
        words = [t for t in tokens if "_" not in t]
        results = []
        for k, i in enumerate(order):
            components = {"relevance": round(float(relevance[i]), 4),
                          "engagement": round(float(self.static_components["engagement"][rows[i]]), 4),
                          "authenticity": round(float(self.authenticity[rows[i]]), 4)}
            results.append(self._result(rows[i], float(score[i]), components, *posts.of(k), best_post, words))
        facets = {name: dict(Counter(values[rows].tolist()).most_common())
                  for name, values in (("platform", self.platform_names), ("tier", self.tier_names),
                                       ("country", self.country_names))}
        return SearchResponse(results=results, facets=facets, total_candidates=len(rows),
                              bundle_version=self.bundle.version,
                              took_ms=round((time.perf_counter() - started) * 1000, 2))

    def _brief_lexical(self, request: MatchRequest, mask: npt.NDArray[np.bool_]) -> FloatArray | None:
        """BM25 of every creator for the brief's content words (free text, product, keywords); None without any."""
        if self.bundle.lexical is None or MATCH_LEXICAL_WEIGHT <= 0:
            return None
        brief = request.brief
        words = " ".join(p for p in (brief.text, brief.product, *brief.keywords) if p)
        tokens = query_tokens(words)
        if not tokens:
            return None
        return np.where(mask, lexical_scores(self.bundle.lexical, tokens), 0.0).astype(np.float32)

    def _with_lexical_hits(self, query: FloatArray, rows: npt.NDArray[np.int64], similarity: FloatArray,
                           lexical: FloatArray) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """The dense candidates plus the best lexical hits they missed (scored by their own similarity)."""
        hits = np.flatnonzero(lexical > 0)
        best = hits[np.argsort(-lexical[hits], kind="stable")][:SEARCH_POOL]
        extra = np.setdiff1d(best, rows, assume_unique=False)
        if extra.size == 0:
            return rows, similarity
        extra_similarity = (self.bundle.vectors[extra] @ query).astype(np.float32)
        return np.concatenate([rows, extra]), np.concatenate([similarity, extra_similarity])

    def _fuse(self, query: FloatArray, dense: Candidates, lexical: FloatArray, lexical_rows: npt.NDArray[np.int64]
              ) -> dict[int, float]:
        """Relevance in [0, 1] of every creator in either ranking (1.0 = best in both)."""
        fused: dict[int, float] = {}
        if LEXICAL_WEIGHT is None:
            for ranking in (dense.rows.tolist(), lexical_rows.tolist()):
                for rank, row in enumerate(ranking):
                    fused[row] = fused.get(row, 0.0) + (RRF_K + 1) / (2 * (RRF_K + rank + 1))
            return fused
        rows = np.union1d(dense.rows, lexical_rows)
        if rows.size == 0:
            return fused
        dense_score = np.full(rows.size, np.nan, dtype=np.float32)
        dense_score[np.searchsorted(rows, dense.rows)] = dense.similarity
        # A creator outside the dense pool scores its own similarity (cheap for the few lexical-only rows).
        missing = np.isnan(dense_score)
        if missing.any():
            dense_score[missing] = self.bundle.vectors[rows[missing]] @ query
        lexical_score = lexical[rows]

        def unit(values: FloatArray) -> FloatArray:
            low, high = float(values.min()), float(values.max())
            return (values - low) / (high - low) if high - low > 1e-9 else np.zeros_like(values)

        relevance = (1 - LEXICAL_WEIGHT) * unit(dense_score) + LEXICAL_WEIGHT * unit(lexical_score)
        return dict(zip(rows.tolist(), relevance.astype(np.float32).tolist(), strict=True))

    def similar(self, creator_id: str, filters: Filters, limit: int = 10) -> SimilarResponse:
        """Creators whose content and audience look most like this one ("more like this"), excluding itself.

        Content is the cosine of creator vectors; audience adds small bonuses for the same platform, country and
        language and a neighbouring tier.

        Raises:
            KeyError: unknown creator_id.
        """
        started = time.perf_counter()
        row = self.bundle.row_of[creator_id]
        vector = self.bundle.vectors[row]
        mask = self.filter_mask(filters)
        mask[row] = False
        found = self.candidates(vector, mask, max(SEARCH_POOL, 3 * limit))
        rows = found.rows
        tier_gap = np.abs(self.tier_rank[rows] - self.tier_rank[row])
        audience = (0.04 * (self.platform[rows] == self.platform[row])
                    + 0.04 * (self.country[rows] == self.country[row])
                    + 0.02 * (self.language[rows] == self.language[row])
                    + 0.02 * (tier_gap <= 1))
        score = found.similarity + audience
        order = np.argsort(-score, kind="stable")[:limit]
        posts = self._post_similarities(vector, rows[order])
        best_post = float(posts.sims.max()) if posts.sims.size else 0.0
        results = [self._result(rows[i], float(score[i]), {"content": round(float(found.similarity[i]), 4),
                                                           "audience": round(float(audience[i]), 4)},
                                *posts.of(k), best_post)
                   for k, i in enumerate(order)]
        return SimilarResponse(creator_id=creator_id, results=results, bundle_version=self.bundle.version,
                               took_ms=round((time.perf_counter() - started) * 1000, 2))

    def _post_similarities(self, query: FloatArray, rows: npt.NDArray[np.int64]) -> PostScores:
        term_similarity = self.bundle.term_vectors @ query
        counts = self.post_rows[rows]
        bounds = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        # Post rows of every candidate, in candidate order, without a Python loop.
        index = np.repeat(self.post_start[rows] - bounds[:-1], counts) + np.arange(bounds[-1])
        sims = post_similarities(self.bundle.post_terms[index], self.bundle.post_norms[index], term_similarity)
        return PostScores(sims=sims, index=index, bounds=bounds)

    def _order(self, score: FloatArray, rows: npt.NDArray[np.int64], diversity: float, wanted: int
               ) -> list[int]:
        """Score order, or maximal marginal relevance when diversity > 0."""
        by_score = np.argsort(-score, kind="stable")
        if diversity <= 0 or len(rows) < 2:
            return [int(i) for i in by_score]
        # MMR over the best candidates: trade score against similarity to what is already picked.
        pool = by_score[: min(len(rows), max(wanted * 3, 50))]
        vectors = self.bundle.vectors[rows[pool]]
        similarity = vectors @ vectors.T
        picked: list[int] = []
        remaining = list(range(len(pool)))
        closest = np.full(len(pool), -1.0, dtype=np.float32)
        while remaining and len(picked) < wanted:
            values = (1 - diversity) * score[pool[remaining]] - diversity * np.maximum(closest[remaining], 0)
            choice = remaining.pop(int(np.argmax(values)))
            picked.append(choice)
            closest = np.maximum(closest, similarity[choice])
        rest = [int(i) for i in by_score if i not in set(pool[picked].tolist())]
        return [int(pool[i]) for i in picked] + rest

    def _result(self, row: int, score: float, components: dict[str, float], sims: FloatArray,
                post_index: npt.NDArray[np.int64], best_post: float, words: Sequence[str] = ()) -> CreatorResult:
        record = self.records[row]
        if words:
            pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)")
            matched = [sorted(set(pattern.findall(self.captions_lower[p]))) for p in post_index]
        else:
            matched = [[] for _ in post_index]
        # Posts holding the query's words first (search), then by similarity to the query.
        rank_key = np.array([len(m) for m in matched], dtype=np.float32) + sims if words else sims
        top = np.argsort(-rank_key)[:EVIDENCE_POSTS] if sims.size else np.zeros(0, dtype=np.int64)
        evidence = [
            Evidence(post_id=self.post_ids[post_index[j]], caption=self.captions[post_index[j]][:SNIPPET],
                     similarity=round(float(sims[j]), 4), posted_at=self.post_dates[post_index[j]],
                     format=self.post_formats[post_index[j]], matched_terms=matched[j])
            for j in top if sims[j] > 0 or matched[j]
        ]
        return CreatorResult(
            creator_id=record["creator_id"], handle=record["handle"], platform=record["platform"],
            followers=record["followers"], reach=record.get("reach"), reach_basis=record.get("reach_basis"),
            tier=record["tier"], country=record["country"], score=round(score, 4),
            components=components, engagement_rate=record["engagement_rate"],
            engagement_vs_tier=record["engagement_vs_tier"],
            audience_credibility=record.get("audience_credibility"),
            authenticity_score=record["authenticity_score"],
            authenticity_confidence=record["authenticity_confidence"], evidence=evidence,
            reasons=self._reasons(record, sims, best_post, record["authenticity_score"]),
        )

    @staticmethod
    def _reasons(record: dict[str, object], sims: FloatArray, best_post: float,
                 authenticity: object = None) -> list[str]:
        reasons: list[str] = []
        recent = sims[:RECENT_WINDOW]  # posts are stored newest first
        if recent.size and best_post > 0:
            on_brief = int((recent >= ON_BRIEF_MARGIN * best_post).sum())
            if on_brief:
                reasons.append(f"{on_brief} of the last {recent.size} posts match the brief closely")
        evt = record["engagement_vs_tier"]
        platform = PLATFORM_LABELS.get(str(record["platform"]), "")
        group = f"{platform} {record['tier'] or ''} creators".replace("sub_nano", "sub-1k")
        group = " ".join(group.split())
        what = "engagement per view" if record.get("engagement_basis") == "views" else "engagement"
        if isinstance(evt, float) and math.isfinite(evt):
            if evt >= 0.9:
                reasons.append(f"{what} in the top {max(1, math.ceil((1 - evt) * 100))} % of {group}")
            elif evt >= 0.5:
                reasons.append(f"{what} above the median of {group}")
            elif evt < 0.25:
                reasons.append(f"{what} below most {group}")
        sponsored = int(record["sponsored_posts"] or 0)  # type: ignore[call-overload]
        rate = record["disclosure_rate"]
        if sponsored and isinstance(rate, float):
            if rate >= 1.0:
                reasons.append("discloses every sponsored post" if sponsored > 1 else "discloses its sponsored post")
            else:
                reasons.append(f"discloses {round(rate * sponsored)} of {sponsored} sponsored posts")
        repeat = int(record["repeat_partnerships"] or 0)  # type: ignore[call-overload]
        partners = record["partner_brands"]
        if repeat and isinstance(partners, list) and partners:
            reasons.append(f"repeat partnerships (e.g. @{partners[0]})")
        days = record["days_since_last_post"]
        if isinstance(days, int | float):
            if days > 90:
                reasons.append(f"no post in the last {int(days)} days")
            elif isinstance(record["posts_per_month"], float) and record["posts_per_month"] >= 1:
                reasons.append(f"active: about {round(record['posts_per_month'])} posts a month, "
                               f"last {int(days)} days ago")
        interactive = record["interactive_share"]
        if isinstance(interactive, float) and interactive >= 0.1:
            reasons.append(f"{round(interactive * 100)} % of posts are live, shoppable or UGC")
        credibility = record.get("audience_credibility")
        if isinstance(credibility, float) and credibility >= 0.98:
            reasons.append("nearly all sampled followers look real")
        elif isinstance(credibility, float) and credibility >= 0.9:
            reasons.append(f"about {round(credibility * 100)} % of sampled followers look real")
        flags = record["authenticity_reasons"]
        if isinstance(flags, list):
            reasons.extend(f"caution: {flag}" for flag in flags)
        if authenticity is None:
            reasons.append("no evidence on authenticity (no follower sample, history or comparable engagement)")
        elif record["authenticity_confidence"] == "low":
            reasons.append("authenticity judged from engagement and comments only (no follower sample or history)")
        return reasons
