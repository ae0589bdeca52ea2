"""Dependencies: the loaded state, the ranker (503 until ready) and the optional API key check."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request, status

from creatormatch.ranking import Ranker
from service.state import AppState


def error_details(errors: Sequence[Any], empty: str = "body") -> list[dict[str, str]]:
    """Validation errors as the API's 422 detail: one entry per problem, naming the field (dotted, without the
    "body" prefix; `empty` when the error concerns the whole object)."""
    return [{"field": ".".join(str(p) for p in e["loc"] if p != "body") or empty, "message": e["msg"],
             "type": e["type"]} for e in errors]


def get_state(request: Request) -> AppState:
    """The app's loaded state."""
    state: AppState = request.app.state.creatormatch
    return state


StateDep = Annotated[AppState, Depends(get_state)]


def get_ranker(state: StateDep) -> Ranker:
    """The ranker, or 503 while the bundle is loading or was refused."""
    if state.ranker is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=state.not_ready_reason)
    return state.ranker


RankerDep = Annotated[Ranker, Depends(get_ranker)]


def require_api_key(
    state: StateDep,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> None:
    """When API keys are configured, require one as `Authorization: Bearer KEY` or `X-API-Key: KEY`."""
    keys = state.settings.api_keys
    if not keys:
        return
    given = x_api_key
    if given is None and authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if given is None or not any(secrets.compare_digest(given.encode(), k.encode()) for k in keys):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="missing or wrong API key",
                            headers={"WWW-Authenticate": "Bearer"})
