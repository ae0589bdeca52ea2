"""GET /creators/{creator_id}: a creator's profile and every feature."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from creatormatch.api_models import Filters, SimilarResponse
from service.api.deps import RankerDep
from service.api.params import filters_from_query

router = APIRouter(tags=["creators"])


@router.get("/creators/{creator_id}")
def get_creator(creator_id: str, ranker: RankerDep) -> dict[str, Any]:
    """Profile, features and the authenticity breakdown of one creator (404 when unknown)."""
    row = ranker.bundle.row_of.get(creator_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"unknown creator_id {creator_id!r}")
    record = ranker.creators.row(row, named=True)
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in record.items()}


@router.get("/creators/{creator_id}/similar", response_model=SimilarResponse)
def similar_creators(creator_id: str, ranker: RankerDep, filters: Annotated[Filters, Depends(filters_from_query)],
                     limit: Annotated[int, Query(ge=1, le=100)] = 10) -> Response:
    """Lookalikes: creators whose content and audience look most like this one, excluding itself."""
    if creator_id not in ranker.bundle.row_of:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"unknown creator_id {creator_id!r}")
    response = ranker.similar(creator_id, filters, limit)
    return Response(response.model_dump_json(), media_type="application/json")
