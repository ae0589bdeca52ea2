"""Liveness and readiness probes (never behind an API key)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from service.api.deps import StateDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive (whether or not it has a bundle to serve: /readyz says that)."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
def readyz(state: StateDep) -> dict[str, Any] | JSONResponse:
    """The bundle served and its version (503 while loading, or when no bundle could be loaded, with the reason);
    also whether a reload is running and the last bundle refused since, with why."""
    body = state.readiness()
    return body if body["status"] == "ready" else JSONResponse(body, status_code=503)
