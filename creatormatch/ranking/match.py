"""/match: retrieve by meaning under the filters, add the brief's own words, score, blend, order and explain."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from creatormatch.api_models import MatchRequest, MatchResponse
from creatormatch.lexical import query_tokens
from creatormatch.ranking.context import RankingContext, Stopwatch
from creatormatch.ranking.explain import Hit
from creatormatch.ranking.retrieval import bm25, dense_candidates, with_lexical_hits
from creatormatch.ranking.scoring import blend, fit, mmr_order, post_scores

FloatArray = npt.NDArray[np.float32]


def match(ctx: RankingContext, request: MatchRequest, query: FloatArray | None = None, depth: int | None = None,
          evidence: bool = True) -> MatchResponse:
    """Rank creators for one request.

    Args:
        ctx: the prepared bundle.
        request: the validated request.
        query: the brief's vector, when the caller encoded it already (batch jobs).
        depth: results wanted after the offset, instead of `request.limit` (which the API caps); batch jobs
            fetch deeper with it.
        evidence: give each result its evidence posts (off, each result's `evidence` is empty).

    Returns:
        The response body of POST /match.

    Raises:
        ValueError: depth under 1.
    """
    if depth is not None and depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    watch = Stopwatch()
    # The brief is encoded on the encoder's thread while this one works out what needs no vector: the filters
    # and the brief's own words (BM25).
    pending = ctx.queries.start_briefs([request.brief]) if query is None else None
    settings = ctx.settings
    # A creator without any text (no bio, no post text: a channel fetched without its videos) has no evidence of
    # fitting a brief; it would only be ranked on its priors, so it is not a candidate.
    mask = ctx.columns.mask(request.filters) & ctx.has_text
    lexical = _brief_lexical(ctx, request, mask) if mask.any() else None
    if pending is not None:
        query = pending()[0]
    assert query is not None
    wanted = request.offset + (depth if depth is not None else request.limit)
    found = dense_candidates(ctx.bundle, query, mask, max(settings.candidate_pool, 3 * wanted),
                             settings.exact_subset_max)
    if found.total == 0:
        return MatchResponse(results=[], total_candidates=0, bundle_version=ctx.bundle.version, took_ms=watch.ms())
    rows, similarity = found.rows, found.similarity
    if lexical is not None:
        rows, similarity = with_lexical_hits(ctx.bundle.vectors, query, found, lexical, settings.candidate_pool)
    posts = post_scores(ctx.bundle, query, rows)
    components = {"fit": fit(similarity, posts, ctx.has_text[rows], settings.fit_creator_share,
                             None if lexical is None else lexical[rows], settings.match_lexical_weight)}
    components.update({k: v[rows] for k, v in ctx.static.items()})
    score = blend(components, request.weights.normalised())
    order = mmr_order(score, ctx.bundle.vectors, rows, request.diversity, wanted)
    results = ctx.explainer.results(
        [Hit(int(rows[i]), float(score[i]), {k: round(float(v[i]), 4) for k, v in components.items()}, i)
         for i in order[request.offset:wanted]], posts, evidence=evidence)
    return MatchResponse(results=results, total_candidates=found.total, bundle_version=ctx.bundle.version,
                         took_ms=watch.ms())


def _brief_lexical(ctx: RankingContext, request: MatchRequest, mask: npt.NDArray[np.bool_]) -> FloatArray | None:
    """BM25 of every creator for the brief's content words (free text, product, keywords); None without any."""
    if ctx.bundle.lexical is None or ctx.settings.match_lexical_weight <= 0:
        return None
    brief = request.brief
    tokens = query_tokens(" ".join(p for p in (brief.text, brief.product, *brief.keywords) if p),
                          ctx.bundle.lexical.letter_pairs)
    if not tokens:
        return None
    return bm25(ctx.bundle.lexical, tokens, mask)
