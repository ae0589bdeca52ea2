"""GET /search: hybrid keyword and semantic search with facets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from pydantic import ValidationError

from creatormatch.api_models import Filters, SearchRequest, SearchResponse
from service.api.deps import INVALID, NOT_READY, MetricsDep, RankerDep, error_details
from service.api.params import filters_from_query

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchResponse, responses={**INVALID, **NOT_READY})
def search(
    ranker: RankerDep,
    metrics: MetricsDep,
    filters: Annotated[Filters, Depends(filters_from_query)],
    q: Annotated[str, Query(description="Keywords, #hashtags or a phrase.", max_length=500)],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> Response:
    """Creators matching keywords, hashtags or phrases (BM25 fused with semantic search), with facet counts."""
    try:
        request = SearchRequest(q=q, filters=filters, limit=limit, offset=offset)
    except ValidationError as exc:
        raise HTTPException(422, detail=error_details(exc.errors())) from exc
    try:
        response = ranker.search(request)
    except LookupError as exc:
        raise HTTPException(503, detail=str(exc)) from exc
    metrics.creators_returned.labels("/search").inc(len(response.results))
    return Response(response.model_dump_json(), media_type="application/json")
