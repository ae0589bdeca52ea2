"""GET /creators/{creator_id}: a creator's profile and every feature."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, status

from service.api.deps import RankerDep

router = APIRouter(tags=["creators"])


@router.get("/creators/{creator_id}")
def get_creator(creator_id: str, ranker: RankerDep) -> dict[str, Any]:
    """Profile, features and the authenticity breakdown of one creator (404 when unknown)."""
    row = ranker.bundle.row_of.get(creator_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"unknown creator_id {creator_id!r}")
    record = ranker.creators.row(row, named=True)
    record.pop("post_start", None)
    record.pop("post_rows", None)
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in record.items()}
