"""GET /creators/{creator_id}: a creator's profile and every feature; and its lookalikes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response, status

from creatormatch.api_models import MAX_ID, Filters, Problem, SimilarResponse
from service.api.deps import INVALID, NOT_READY, MetricsDep, RankerDep, Responses
from service.api.params import filters_from_query

router = APIRouter(tags=["creators"])

CreatorId = Annotated[str, Path(max_length=MAX_ID, description="The creator's id in the data.")]
UNKNOWN: Responses = {404: {"model": Problem, "description": "No creator with that id in the bundle."}}


@router.get("/creators/{creator_id}", responses={**UNKNOWN, **INVALID, **NOT_READY})
def get_creator(creator_id: CreatorId, ranker: RankerDep) -> dict[str, Any]:
    """Profile, features and the authenticity breakdown of one creator (404 when unknown)."""
    row = ranker.bundle.row_of.get(creator_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"unknown creator_id {creator_id!r}")
    record = ranker.creators.row(row, named=True)
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in record.items()}


@router.get("/creators/{creator_id}/similar", response_model=SimilarResponse,
            responses={**UNKNOWN, **INVALID, **NOT_READY})
def similar_creators(creator_id: CreatorId, ranker: RankerDep, metrics: MetricsDep,
                     filters: Annotated[Filters, Depends(filters_from_query)],
                     limit: Annotated[int, Query(ge=1, le=100)] = 10) -> Response:
    """Lookalikes: creators whose content and audience look most like this one, excluding itself."""
    if creator_id not in ranker.bundle.row_of:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"unknown creator_id {creator_id!r}")
    response = ranker.similar(creator_id, filters, limit)
    metrics.creators_returned.labels("/creators/{creator_id}/similar").inc(len(response.results))
    return Response(response.model_dump_json(), media_type="application/json")
