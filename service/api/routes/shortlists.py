"""Shortlist jobs: POST /shortlists queues many brands, GET polls the job and exports its rows."""

from __future__ import annotations

import io
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from creatormatch.dataset import flat_for_csv
from service.api.deps import StateDep

router = APIRouter(tags=["shortlists"])


class ShortlistJobRequest(BaseModel):
    """Brands in the data contract's shape (brand_id, name, values, product, audience, keywords, constraints)."""

    model_config = ConfigDict(extra="forbid")

    brands: list[dict[str, Any]] = Field(min_length=1, description="Brand objects, as in brands.* files.")
    limit: int = Field(default=20, ge=1, le=100, description="Creators per brand.")
    max_per_creator: int | None = Field(default=None, ge=1, description="No creator in more than N shortlists.")


def _job_or_404(state: StateDep, job_id: str) -> dict[str, Any]:
    job = state.jobs.job(job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"unknown job_id {job_id!r}")
    job.pop("fingerprint", None)
    return job


@router.post("/shortlists", status_code=status.HTTP_202_ACCEPTED)
def create_shortlists(body: ShortlistJobRequest, state: StateDep) -> dict[str, Any]:
    """Queue shortlists for many brands; answers at once with the job id to poll."""
    if state.settings.workers != 1:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE,
                            detail="shortlist jobs run only in a single-worker service (CREATORMATCH_WORKERS=1); "
                                   "use `creatormatch shortlist` or a separate single-worker replica")
    if len(body.brands) > state.settings.max_brands_per_job:
        raise HTTPException(422, detail=[{
            "field": "brands", "type": "too_long",
            "message": f"{len(body.brands)} brands; at most {state.settings.max_brands_per_job} per job "
                       "(CREATORMATCH_MAX_BRANDS_PER_JOB)"}])
    job_id = uuid.uuid4().hex
    state.jobs.create(job_id, body.brands, body.limit, body.max_per_creator)
    state.runner.submit()
    return {"job_id": job_id, "status": "queued", "total": len(body.brands), "status_url": f"/shortlists/{job_id}"}


@router.get("/shortlists/{job_id}")
def get_shortlists(job_id: str, state: StateDep) -> dict[str, Any]:
    """Status (queued, running, done, failed), progress, rejected brands, and the results once done."""
    job = _job_or_404(state, job_id)
    job["progress"] = round((job["done"] + job["rejected"]) / job["total"], 4) if job["total"] else 1.0
    job["rejects"] = state.jobs.rejects(job_id).to_dicts()
    job["results"] = state.jobs.results(job_id).to_dicts() if job["status"] == "done" else None
    return job


@router.get("/shortlists/{job_id}/export")
def export_shortlists(job_id: str, state: StateDep,
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
