"""Liveness and readiness probes (never behind an API key)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from service.api.deps import StateDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
def readyz(state: StateDep) -> dict[str, Any] | JSONResponse:
    """The bundle is loaded and queries can be answered (503 until then, or if the bundle was refused)."""
    if state.ranker is None:
        return JSONResponse({"status": "unavailable", "detail": state.not_ready_reason}, status_code=503)
    manifest = state.ranker.bundle.manifest
    return {"status": "ready", "bundle_version": manifest.version, "creators": manifest.creators,
            "model": manifest.model_name}
