"""POST /match: a ranked, explained shortlist for a brand brief."""

from __future__ import annotations

from fastapi import APIRouter, Response

from creatormatch.api_models import MatchRequest, MatchResponse
from service.api.deps import INVALID, NOT_READY, TOO_LARGE, MetricsDep, RankerDep

router = APIRouter(tags=["match"])


@router.post("/match", response_model=MatchResponse, responses={**INVALID, **TOO_LARGE, **NOT_READY})
def match(request: MatchRequest, ranker: RankerDep, metrics: MetricsDep) -> Response:
    """Rank niche-aligned creators for a brief, with score components, evidence posts and reasons."""
    # A plain `def` route: FastAPI runs it in its thread pool, so encoding and ranking never block the loop.
    # The response is serialised once here rather than validated again by FastAPI.
    response = ranker.match(request)
    metrics.creators_returned.labels("/match").inc(len(response.results))
    return Response(response.model_dump_json(), media_type="application/json")
