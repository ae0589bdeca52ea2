"""Lookalikes ("more like this"): creators whose content and audience look most like one creator."""

from __future__ import annotations

import numpy as np

from creatormatch.api_models import Filters, SimilarResponse
from creatormatch.ranking.context import RankingContext, Stopwatch
from creatormatch.ranking.explain import Hit
from creatormatch.ranking.retrieval import dense_candidates
from creatormatch.ranking.scoring import post_scores

# Audience bonuses added to the content similarity: same platform, country, language, a neighbouring tier.
SAME_PLATFORM, SAME_COUNTRY, SAME_LANGUAGE, NEAR_TIER = 0.04, 0.04, 0.02, 0.02


def similar(ctx: RankingContext, creator_id: str, filters: Filters, limit: int = 10) -> SimilarResponse:
    """Creators most like this one, excluding itself; none when this one has no text (nothing to be like).

    Content is the cosine of creator vectors; audience adds small bonuses for the same platform, country and
    language and a neighbouring tier.

    Raises:
        KeyError: unknown creator_id.
    """
    watch = Stopwatch()
    row = ctx.bundle.row_of[creator_id]
    if not ctx.has_text[row]:  # no content to be like: only the audience bonuses would rank, so nothing does
        return SimilarResponse(creator_id=creator_id, results=[], bundle_version=ctx.bundle.version,
                               took_ms=watch.ms())
    vector = ctx.bundle.vectors[row]
    mask = ctx.columns.mask(filters) & ctx.has_text  # nothing to be alike in without text (as in /match)
    mask[row] = False
    found = dense_candidates(ctx.bundle, vector, mask, max(ctx.settings.search_pool, 3 * limit),
                             ctx.settings.exact_subset_max)
    rows, columns = found.rows, ctx.columns
    tier_gap = np.abs(columns.tier_rank[rows] - columns.tier_rank[row])
    audience = (SAME_PLATFORM * (columns.platform[rows] == columns.platform[row])
                + SAME_COUNTRY * (columns.country[rows] == columns.country[row])
                + SAME_LANGUAGE * (columns.language[rows] == columns.language[row])
                + NEAR_TIER * (tier_gap <= 1))
    score = found.similarity + audience
    order = np.argsort(-score, kind="stable")[:limit]
    posts = post_scores(ctx.bundle, vector, rows[order])
    results = ctx.explainer.results(
        [Hit(int(rows[i]), float(score[i]), {"content": round(float(found.similarity[i]), 4),
                                             "audience": round(float(audience[i]), 4)}, k)
         for k, i in enumerate(order)], posts)
    return SimilarResponse(creator_id=creator_id, results=results, bundle_version=ctx.bundle.version,
                           took_ms=watch.ms())
