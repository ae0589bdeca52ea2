"""Shortlist jobs: POST queues many brands, GET polls and pages the rows, DELETE cancels, export downloads."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from creatormatch.api_models import (
    Problem,
    ShortlistJob,
    ShortlistJobCreated,
    ShortlistJobDeleted,
    ShortlistJobRequest,
    ShortlistReject,
    ShortlistRow,
)
from creatormatch.dataset import flat_for_csv
from creatormatch.shortlist import brand_problem
from service.api.body import count_list_items
from service.api.deps import INVALID, TOO_LARGE, Responses, StateDep
from service.state import AppState


def _too_many(count: int | str, limit: int) -> list[dict[str, str]]:
    return [{"field": "brands", "type": "too_long",
             "message": f"{count} brands; at most {limit} per job (CREATORMATCH_MAX_BRANDS_PER_JOB)"}]


class BrandLimitRoute(APIRoute):
    """Checks the number of brands in a POST body before FastAPI parses and validates the whole of it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            if request.method == "POST":
                limit = request.app.state.creatormatch.settings.max_brands_per_job
                count = count_list_items(await request.body(), "brands", stop_after=limit)
                if count is not None and count > limit:
                    return JSONResponse({"detail": _too_many("more than " + str(limit), limit)}, status_code=422)
            return await handler(request)

        return checked


router = APIRouter(tags=["shortlists"], route_class=BrandLimitRoute)

JobId = Annotated[str, Path(max_length=64, description="The id POST /shortlists answered with.")]
UNKNOWN: Responses = {404: {"model": Problem, "description": "No job with that id (it may have expired)."}}
STORE: Responses = {503: {"model": Problem, "description": "The job store cannot be written (disk full, "
                                                           "read-only), or the job runner is not running."}}
MAX_PAGE = 5000


def _job_or_404(state: AppState, job_id: str) -> dict[str, Any]:
    job = state.jobs.job(job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"unknown job_id {job_id!r}")
    return job


@router.post("/shortlists", status_code=status.HTTP_202_ACCEPTED, response_model=ShortlistJobCreated,
             responses={**INVALID, **TOO_LARGE, **STORE})
def create_shortlists(body: ShortlistJobRequest, state: StateDep) -> ShortlistJobCreated:
    """Queue shortlists for many brands; answers at once with the job id to poll. Brands that cannot be ranked
    (no text, an unknown tier) are listed in the job's rejects at once; the others are ranked."""
    limit = state.settings.max_brands_per_job
    if len(body.brands) > limit:
        raise HTTPException(422, detail=_too_many(len(body.brands), limit))
    first: dict[str, int] = {}
    for position, brand in enumerate(body.brands):
        if brand.brand_id in first:
            raise HTTPException(422, detail=[{
                "field": f"brands.{position}.brand_id", "type": "duplicate",
                "message": f"brand_id {brand.brand_id!r} is also brands.{first[brand.brand_id]}; ids must be unique "
                           "within a job"}])
        first[brand.brand_id] = position
    if not state.runner.alive:
        raise HTTPException(503, detail="the job runner of this process is not running; see the service log")
    brands = [brand.model_dump(exclude_none=True) for brand in body.brands]
    rejects = [(position, brand["brand_id"], problem) for position, brand in enumerate(brands)
               if (problem := brand_problem(brand, body.limit)) is not None]
    job_id = uuid.uuid4().hex
    state.jobs.create(job_id, brands, body.limit, body.max_per_creator, rejects=rejects)
    state.runner.submit()
    return ShortlistJobCreated(job_id=job_id, status="queued", total=len(brands), rejected=len(rejects),
                               status_url=f"/shortlists/{job_id}")


@router.get("/shortlists/{job_id}", response_model=ShortlistJob, responses={**UNKNOWN, **INVALID})
def get_shortlists(
    job_id: JobId,
    state: StateDep,
    offset: Annotated[int, Query(ge=0, description="First row of the page of results.")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Rows in the page of results.")] = 1000,
) -> ShortlistJob:
    """Status (queued, running, done, failed, cancelled), progress, rejected brands, and a page of the rows once
    done (`next_offset` gives the next page)."""
    job = _job_or_404(state, job_id)
    finished = job["done"] + job["rejected"]
    results: list[ShortlistRow] | None = None
    total: int | None = None
    next_offset: int | None = None
    if job["status"] == "done":
        rows, total = state.jobs.results_page(job_id, offset, limit)
        results = [ShortlistRow.model_validate(row) for row in rows]
        next_offset = offset + len(rows) if offset + len(rows) < total else None
    ttl = state.settings.job_ttl_seconds
    return ShortlistJob(
        job_id=job_id, status=job["status"], limit=job["limit"], max_per_creator=job["max_per_creator"],
        total=job["total"], done=job["done"], rejected=job["rejected"],
        progress=round(min(1.0, finished / job["total"]), 4) if job["total"] else 1.0,
        created_at=job["created_at"], updated_at=job["updated_at"], finished_at=job["finished_at"],
        expires_at=job["finished_at"] + ttl if job["finished_at"] is not None and ttl > 0 else None,
        error=job["error"], rejects=[ShortlistReject.model_validate(r) for r in state.jobs.rejects(job_id).to_dicts()],
        results=results, results_total=total, offset=offset, next_offset=next_offset)


@router.delete("/shortlists/{job_id}", response_model=ShortlistJobDeleted, responses={**UNKNOWN, **INVALID, **STORE})
def cancel_shortlists(job_id: JobId, state: StateDep) -> ShortlistJobDeleted:
    """Cancel a queued or running job (a worker running it stops at its next brand; what it ranked is kept until
    the job expires), or delete a finished job with its rows."""
    outcome = state.jobs.cancel(job_id)
    if outcome is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"unknown job_id {job_id!r}")
    return ShortlistJobDeleted(job_id=job_id, status="cancelled" if outcome == "cancelled" else "deleted")


@router.get("/shortlists/{job_id}/export", responses={
    **UNKNOWN, **INVALID,
    200: {"content": {"text/csv": {}, "application/x-ndjson": {}}, "description": "The rows as a file."},
    409: {"model": Problem, "description": "The job is not done yet."}})
def export_shortlists(job_id: JobId, state: StateDep,
                      format: Annotated[Literal["csv", "jsonl"], Query(description="File format.")] = "csv"
                      ) -> Response:
    """Download a finished job's rows as CSV (reasons as a JSON list) or JSON lines."""
    job = _job_or_404(state, job_id)
    if job["status"] != "done":
        raise HTTPException(status.HTTP_409_CONFLICT, detail=f"job {job_id} is {job['status']}, not done")
    results = state.jobs.results(job_id)
    buffer = io.StringIO()
    if format == "csv":
        flat_for_csv(results).write_csv(buffer)
        media = "text/csv"
    else:
        results.write_ndjson(buffer)
        media = "application/x-ndjson"
    return Response(buffer.getvalue(), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="shortlists-{job_id}.{format}"'})
