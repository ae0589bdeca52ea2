"""ASGI middleware: the request body limit, and each request's id, access log line and metrics."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.logs import REQUEST_ID
from service.metrics import Metrics

logger = logging.getLogger("service.access")

REQUEST_ID_HEADER = "X-Request-ID"
# A request id a client (or a proxy) sends is kept when it looks like an id; anything else is replaced.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def too_large(limit: int) -> str:
    return f"request body is larger than {limit} bytes (the limit is CREATORMATCH_MAX_BODY_BYTES)"


class BodySizeLimit:
    """Answers 413 to a body over `max_bytes`: at once when Content-Length says so, otherwise as soon as the
    streamed body passes the limit (nothing beyond it is read)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_json(send, 413, {"detail": too_large(self.max_bytes)})
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # FastAPI passes an HTTPException raised while reading the body on to the app's handler.
                    raise HTTPException(413, detail=too_large(self.max_bytes))
            return message

        await self.app(scope, limited, send)


class RequestContext:
    """Gives each request an id (the client's X-Request-ID when it is a plain token, else a new one), echoes it
    in the response header, puts it on every log line of the request, then counts the request in the metrics
    and writes one access log line (method, path, route, status, duration)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(REQUEST_ID_HEADER)
        request_id = given if given and _VALID_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        status = 500  # what the client gets when the app raises before answering
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.observe_request(scope["method"], template, status, seconds)
            client = scope.get("client")
            logger.info("%s %s %d %.1f ms", scope["method"], scope["path"], status, seconds * 1000,
                        extra={"method": scope["method"], "path": scope["path"], "route": template, "status": status,
                               "duration_ms": round(seconds * 1000, 2), "client": client[0] if client else None})
            REQUEST_ID.reset(token)


async def _send_json(send: Send, status: int, body: dict[str, str]) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
