"""Operating the service: reload the bundle (always behind an API key, even when the other routes are open)."""

from __future__ import annotations

import os
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field

from creatormatch.api_models import Problem
from service.api.deps import PROTECTED_ERRORS, Responses, StateDep, require_api_key

router = APIRouter(tags=["admin"])

NO_KEYS = ("reloading needs an API key and none is set: set CREATORMATCH_API_KEYS (the other routes may stay open "
           "without keys; this one may not)")
ADMIN_ERRORS: Responses = {
    **PROTECTED_ERRORS,
    403: {"model": Problem, "description": "No API keys are configured: a reload needs one even when the other "
          "routes are open."},
    409: {"model": Problem, "description": "The bundle was refused (the one before keeps serving; /readyz says "
          "why), or this process is one of several workers (reload them together with SIGHUP to the parent)."},
}


class ReloadAnswer(BaseModel):
    """What a reload did."""

    outcome: Literal["reloaded", "unchanged"] = Field(
        description="reloaded: the bundle the configured path names now is served; unchanged: it already was.")
    bundle_version: str = Field(description="The version served now.")
    previous_version: str | None = Field(description="The version served before (null when none was).")
    took_ms: float = Field(description="Time to load and check the bundle and swap it in.")


def require_configured_keys(state: StateDep) -> None:
    """403 unless API keys are configured: reloading is never open to anyone who reaches the port."""
    if not state.settings.api_keys:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=NO_KEYS)


@router.post("/admin/reload", responses=ADMIN_ERRORS,
             dependencies=[Depends(require_configured_keys), Depends(require_api_key)])
def reload_bundle(state: StateDep) -> ReloadAnswer:
    """Load the bundle CREATORMATCH_BUNDLE_PATH names now (indexes/current: the latest build), check every file,
    and serve it; requests under way finish on the bundle before. A refused bundle leaves the one before serving."""
    if not state.reload_in_process:
        raise HTTPException(status.HTTP_409_CONFLICT,
                            detail=f"this process is one of {state.settings.workers} workers: reload them together "
                                   f"with SIGHUP to their parent process (kill -HUP {os.getppid()})")
    result = state.reload()
    if result.refused is not None or result.serving is None:
        reason = f"{result.refused.version} refused: {result.refused.reason}" if result.refused else "not loaded"
        serving = f"still serving {result.serving}" if result.serving else "nothing is served"
        raise HTTPException(status.HTTP_409_CONFLICT, detail=f"bundle {reason}; {serving}")
    return ReloadAnswer(outcome="unchanged" if result.outcome == "unchanged" else "reloaded",
                        bundle_version=result.serving, previous_version=result.previous,
                        took_ms=round(result.seconds * 1000, 1))
