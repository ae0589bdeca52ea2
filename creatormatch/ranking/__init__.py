"""The ranking behind /match, /search, lookalikes, `creatormatch match` and batch shortlists.

Read in this order: `filters` (who may be shown), `retrieval` (query vectors, dense candidates, BM25 hits),
`scoring` (components, fit, blend, red flag, diversity), `explain` (evidence posts and reasons), then the three
queries: `match`, `search` and `similar`. `Ranker` holds what they share, prepared once per bundle.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import polars as pl

from creatormatch.api_models import Filters, MatchRequest, MatchResponse, SearchRequest, SearchResponse, SimilarResponse
from creatormatch.bundle import LoadedBundle
from creatormatch.config import Settings
from creatormatch.encoder import Encoder
from creatormatch.ranking.context import RankingContext
from creatormatch.ranking.explain import CreatorRow
from creatormatch.ranking.match import match
from creatormatch.ranking.retrieval import Candidates, QueryEncoder
from creatormatch.ranking.scoring import (
    EVIDENCE_POSTS,
    RED_FLAG_AUTHENTICITY,
    UNKNOWN_ACTIVITY,
    UNKNOWN_AUTHENTICITY,
    PostScores,
)
from creatormatch.ranking.search import NEAR_TIE, RRF_K, search
from creatormatch.ranking.similar import similar

__all__ = ["EVIDENCE_POSTS", "NEAR_TIE", "RED_FLAG_AUTHENTICITY", "RRF_K", "UNKNOWN_ACTIVITY", "UNKNOWN_AUTHENTICITY",
           "Candidates", "CreatorRow", "PostScores", "QueryEncoder", "Ranker"]

FloatArray = npt.NDArray[np.float32]


class Ranker:
    """Ranks a bundle's creators for briefs, keyword searches and lookalikes."""

    def __init__(self, bundle: LoadedBundle, encoder: Encoder, settings: Settings | None = None,
                 query_cache_size: int = 0) -> None:
        """Prepare the filter columns, the query-independent components and the result rows, and warm the encoder.

        Args:
            bundle: the loaded bundle.
            encoder: the query encoder (checked against the bundle by load_bundle).
            settings: the query-time tunables (candidate_pool, exact_subset_max, search_pool, search_fusion,
                search_lexical_weight, match_lexical_weight, fit_creator_share); default `Settings()`.
            query_cache_size: query texts whose vectors are kept (least recently used dropped); 0 turns the
                cache off. The service passes its `query_cache_size` setting.

        Raises:
            ValueError: a negative query_cache_size.
        """
        from threadpoolctl import threadpool_limits

        # One BLAS thread per query: requests run concurrently on few cores, and multi-threaded BLAS next to
        # torch's OpenMP threads made a 0.4 ms matrix-vector product take 9 ms here.
        threadpool_limits(1, user_api="blas")
        encoder.encode(["warm-up"])  # load the model now, not on the first request
        self.bundle = bundle
        self.encoder = encoder
        self.settings = settings if settings is not None else Settings()
        self.queries = QueryEncoder(encoder, bundle.vectors.shape[1], query_cache_size)
        self._context = RankingContext.prepare(bundle, self.queries, self.settings)

    @property
    def creators(self) -> pl.DataFrame:
        """The bundle's creator table (row i = creator i)."""
        return self.bundle.creators

    @property
    def static_components(self) -> dict[str, FloatArray]:
        """The query-independent score components of every creator, by name."""
        return self._context.static

    @property
    def authenticity(self) -> FloatArray:
        """Every creator's authenticity component (UNKNOWN_AUTHENTICITY where nothing is known)."""
        return self._context.static["authenticity"]

    def filter_mask(self, filters: Filters) -> npt.NDArray[np.bool_]:
        """Which creators pass the filters (the default tiers included)."""
        return self._context.columns.mask(filters)

    def encode_briefs(self, requests: Sequence[MatchRequest]) -> FloatArray:
        """Query vectors for several requests in one encoder call (cached texts are not encoded again)."""
        return self.queries.encode_briefs([r.brief for r in requests])

    def match(self, request: MatchRequest, query: FloatArray | None = None, depth: int | None = None,
              evidence: bool = True) -> MatchResponse:
        """Rank creators for one request (POST /match).

        Args:
            request: the validated request.
            query: the brief's vector, when the caller encoded it already (batch jobs).
            depth: results wanted after the offset instead of `request.limit`, for callers that must look deeper
                than the API's limit cap (batch shortlists passing over capped creators).
            evidence: give each result its evidence posts; batch shortlists, which keep the reasons but not the
                posts, leave them out (the same results otherwise).

        Raises:
            ValueError: depth under 1.
        """
        return match(self._context, request, query, depth, evidence)

    def search(self, request: SearchRequest) -> SearchResponse:
        """Hybrid keyword search with facets (GET /search).

        Raises:
            LookupError: the bundle has no lexical index.
        """
        return search(self._context, request)

    def similar(self, creator_id: str, filters: Filters, limit: int = 10) -> SimilarResponse:
        """Lookalikes of a creator, excluding itself.

        Raises:
            KeyError: unknown creator_id.
        """
        return similar(self._context, creator_id, filters, limit)
