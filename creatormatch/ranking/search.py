"""/search: BM25 over bios, captions and hashtags fused with dense retrieval; quality breaks near ties; facets."""

from __future__ import annotations

from collections import Counter

import numpy as np
import numpy.typing as npt

from creatormatch.api_models import SearchRequest, SearchResponse
from creatormatch.lexical import query_tokens, query_words
from creatormatch.ranking.context import RankingContext, Stopwatch
from creatormatch.ranking.explain import Hit
from creatormatch.ranking.retrieval import Candidates, best_lexical, bm25, dense_candidates
from creatormatch.ranking.scoring import post_scores, red_flag_factor

FloatArray = npt.NDArray[np.float32]
Rows = npt.NDArray[np.int64]

RRF_K = 60  # reciprocal rank fusion constant (Cormack et al. 2009)
NEAR_TIE = 0.05  # engagement and authenticity move a search result by at most +-2.5 % of its relevance


def search(ctx: RankingContext, request: SearchRequest) -> SearchResponse:
    """Hybrid keyword search: BM25 over bios, captions and hashtags fused with dense retrieval.

    Relevance (the fusion of the two rankings, setting search_fusion) decides the order; engagement against the
    tier and authenticity only move a creator within a NEAR_TIE band, so a perfect niche match is never buried
    by a popular generalist. A red flag (authenticity under RED_FLAG_AUTHENTICITY) demotes as in /match.
    Facets count the fused pool by platform, tier and country.

    Raises:
        LookupError: the bundle has no lexical index.
    """
    watch = Stopwatch()
    if ctx.bundle.lexical is None:
        raise LookupError("this bundle has no lexical index; rebuild it with `creatormatch build`")
    mask = ctx.columns.mask(request.filters)
    wanted = request.offset + request.limit
    pool = max(ctx.settings.search_pool, 3 * wanted)
    query = ctx.queries.encode_text(request.q)
    dense = dense_candidates(ctx.bundle, query, mask, pool, ctx.settings.exact_subset_max)
    tokens = query_tokens(request.q, ctx.bundle.lexical.letter_pairs)
    lexical = bm25(ctx.bundle.lexical, tokens, mask)
    fused = fuse(ctx, query, dense, lexical, best_lexical(lexical, pool))
    keyword_matches = int(np.count_nonzero(lexical))
    if not fused:
        return SearchResponse(results=[], facets={}, total_candidates=0, keyword_matches=keyword_matches,
                              bundle_version=ctx.bundle.version, took_ms=watch.ms())
    rows = np.fromiter(fused, dtype=np.int64)
    relevance = np.fromiter(fused.values(), dtype=np.float32)
    engagement, authenticity = ctx.static["engagement"][rows], ctx.static["authenticity"][rows]
    quality = 0.5 * engagement + 0.5 * authenticity
    # A red flag demotes as in /match: fraud is not a near-tie question.
    score = relevance * (1 + NEAR_TIE * (quality - 0.5)) * red_flag_factor(authenticity)
    order = np.argsort(-score, kind="stable")[request.offset:wanted]
    posts = post_scores(ctx.bundle, query, rows[order])
    words = query_words(request.q)
    results = ctx.explainer.results(
        [Hit(int(rows[i]), float(score[i]), {"relevance": round(float(relevance[i]), 4),
                                             "engagement": round(float(engagement[i]), 4),
                                             "authenticity": round(float(authenticity[i]), 4)}, k)
         for k, i in enumerate(order)], posts, words, ctx.bundle.lexical.stems)
    return SearchResponse(results=results, facets=facets(ctx, rows), total_candidates=len(rows),
                          keyword_matches=keyword_matches, bundle_version=ctx.bundle.version, took_ms=watch.ms())


def fuse(ctx: RankingContext, query: FloatArray, dense: Candidates, lexical: FloatArray, lexical_rows: Rows
         ) -> dict[int, float]:
    """Relevance in [0, 1] of every creator in either ranking (1.0 = best in both).

    Weighted fusion sums min-max normalised dense and BM25 scores over the pooled creators; rank fusion sums
    reciprocal ranks (each ranking's first place worth 0.5).
    """
    if ctx.settings.search_fusion == "rrf":
        fused: dict[int, float] = {}
        for ranking in (dense.rows.tolist(), lexical_rows.tolist()):
            for rank, row in enumerate(ranking):
                fused[row] = fused.get(row, 0.0) + (RRF_K + 1) / (2 * (RRF_K + rank + 1))
        return fused
    rows = np.union1d(dense.rows, lexical_rows)
    if rows.size == 0:
        return {}
    dense_score = np.full(rows.size, np.nan, dtype=np.float32)
    dense_score[np.searchsorted(rows, dense.rows)] = dense.similarity
    # A creator outside the dense pool scores its own similarity (cheap for the few lexical-only rows).
    missing = np.isnan(dense_score)
    if missing.any():
        dense_score[missing] = ctx.bundle.vectors[rows[missing]] @ query
    weight = ctx.settings.search_lexical_weight
    relevance = (1 - weight) * _unit(dense_score) + weight * _unit(lexical[rows])
    return dict(zip(rows.tolist(), relevance.astype(np.float32).tolist(), strict=True))


def _unit(values: FloatArray) -> FloatArray:
    """Min-max normalised to [0, 1]; all 0 when the values do not spread."""
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high - low > 1e-9 else np.zeros_like(values)


def facets(ctx: RankingContext, rows: Rows) -> dict[str, dict[str, int]]:
    """How many of the creators at `rows` are on each platform, in each tier and in each country."""
    return {name: dict(Counter(values[rows].tolist()).most_common()) for name, values in ctx.facet_values.items()}
