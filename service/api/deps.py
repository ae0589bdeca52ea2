"""Dependencies: the state, the ranker (503 until ready), the API key and rate limit, the documented errors."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from creatormatch.api_models import Problem, ValidationProblem
from creatormatch.ranking import Ranker
from service.metrics import Metrics
from service.security import RateLimiter, client_id, given_key, key_is_valid
from service.state import AppState

# Error answers, for the OpenAPI schema (status -> model and description).
Responses = dict[int | str, dict[str, Any]]
# Every route behind the key may answer 401 and 429.
PROTECTED_ERRORS: Responses = {
    401: {"model": Problem, "description": "Missing or wrong API key (only when keys are configured)."},
    429: {"model": Problem, "description": "Over the per-key rate limit; Retry-After says when to try again."},
}
INVALID: Responses = {422: {"model": ValidationProblem, "description": "Invalid input, one entry per field."}}
NOT_READY: Responses = {503: {"model": Problem, "description": "The bundle is still loading, or was refused."}}
TOO_LARGE: Responses = {413: {"model": Problem, "description": "The body is over CREATORMATCH_MAX_BODY_BYTES."}}


def error_details(errors: Sequence[Any], empty: str = "body") -> list[dict[str, str]]:
    """Validation errors as the API's 422 detail: one entry per problem, naming the field (dotted, without the
    "body" prefix; `empty` when the error concerns the whole object)."""
    return [{"field": ".".join(str(p) for p in e["loc"] if p != "body") or empty, "message": e["msg"],
             "type": e["type"]} for e in errors]


# The dependencies are `async def`: each is a few attribute reads that never block, and FastAPI runs a plain
# `def` dependency in its thread pool, a hand-off to a thread and back for each (four per /match request).
async def get_state(request: Request) -> AppState:
    """The app's loaded state."""
    state: AppState = request.app.state.creatormatch
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_metrics(request: Request) -> Metrics:
    """The app's metrics."""
    metrics: Metrics = request.app.state.metrics
    return metrics


MetricsDep = Annotated[Metrics, Depends(get_metrics)]


async def get_ranker(state: StateDep) -> Ranker:
    """The ranker, or 503 while the bundle is loading or was refused."""
    if state.ranker is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=state.not_ready_reason)
    return state.ranker


RankerDep = Annotated[Ranker, Depends(get_ranker)]

# Declared for the OpenAPI page's Authorize button; the check itself reads the headers (Basic auth too).
_bearer = HTTPBearer(auto_error=False, description="An API key as `Authorization: Bearer KEY`.")
_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key as `X-API-Key: KEY`.")


def _authorize(request: Request, state: AppState, challenge: str) -> None:
    """401 without a valid key (when keys are set), 429 over the rate limit (when one is set)."""
    keys = state.settings.api_keys
    key = given_key(request.headers)
    if keys and (key is None or not key_is_valid(key, keys)):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="missing or wrong API key",
                            headers={"WWW-Authenticate": challenge})
    limiter: RateLimiter | None = request.app.state.rate_limiter
    if limiter is None:
        return
    wait = limiter.wait(client_id(key if keys else None, request.client.host if request.client else None))
    if wait > 0:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            detail=f"rate limit of {state.settings.rate_limit_per_minute} requests a minute reached; "
                                   f"try again in {math.ceil(wait)} s",
                            headers={"Retry-After": str(math.ceil(wait))})


async def require_api_key(
    request: Request,
    state: StateDep,
    _bearer_key: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    _header_key: Annotated[str | None, Security(_key_header)],
) -> None:
    """When API keys are configured, require one as `Authorization: Bearer KEY` or `X-API-Key: KEY`; apply the
    rate limit when one is set."""
    _authorize(request, state, "Bearer")


async def require_page_key(request: Request, state: StateDep) -> None:
    """The key check for what a browser opens (the page, its files, /docs): a browser asks for a login and sends
    the key as the password (any user name)."""
    _authorize(request, state, 'Basic realm="creatormatch", charset="UTF-8"')
