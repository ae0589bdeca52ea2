"""POST /match: a ranked, explained shortlist for a brand brief."""

from __future__ import annotations

from fastapi import APIRouter

from creatormatch.query import MatchRequest, MatchResponse
from service.api.deps import RankerDep

router = APIRouter(tags=["match"])


@router.post("/match")
def match(request: MatchRequest, ranker: RankerDep) -> MatchResponse:
    """Rank niche-aligned creators for a brief, with score components, evidence posts and reasons."""
    # A plain `def` route: FastAPI runs it in its thread pool, so encoding and ranking never block the loop.
    return ranker.match(request)
