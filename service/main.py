"""Builds the FastAPI app: the bundle loaded once, one router per resource, the limits and the observability."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.middleware.trustedhost import TrustedHostMiddleware

from creatormatch import __version__
from creatormatch.config import Settings, get_settings
from creatormatch.encoder import Encoder
from creatormatch.shortlist import JobStoreError
from service.api.deps import PROTECTED_ERRORS, error_details, require_api_key, require_page_key
from service.api.routes import admin, creators, health, match, search, shortlists
from service.metrics import Metrics
from service.middleware import BodySizeLimit, RequestContext
from service.security import RateLimiter
from service.state import AppState

STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = frozenset(path.name for path in STATIC.iterdir() if path.is_file())

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, bundle_path: Path | None = None, encoder: Encoder | None = None,
               load_in_background: bool = True, worker: bool = False) -> FastAPI:
    """The creatormatch API.

    Args:
        settings: settings; default from the environment.
        bundle_path: bundle to serve; default settings.bundle_path (resolved again at every reload).
        encoder: an already loaded encoder (tests share one); default loads the one the settings name.
        load_in_background: load the bundle in a thread so /healthz answers at once and /readyz says 503 until
            it is loaded; False loads it before the app accepts requests.
        worker: this process is one of the workers of `serve --workers N`: it loads the bundle before it accepts
            connections and does not start without one (so the parent brings a replacement worker into service
            only once it serves), and POST /admin/reload answers 409 (the parent reloads every worker).

    Returns:
        The app.
    """
    settings = settings or get_settings()
    metrics = Metrics(lambda: state)
    state = AppState(settings=settings, bundle_path=bundle_path or settings.bundle_path, encoder=encoder,
                     on_encoder_batch=metrics.encoder_batch_size.observe, reload_in_process=not worker)
    state.runner.on_job_finished = metrics.observe_job

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.creatormatch = state
        if load_in_background and not worker:
            threading.Thread(target=state.load, name="bundle-loader", daemon=True).start()
        else:
            state.load()
            if worker and state.ranker is None:
                raise RuntimeError(f"worker not started: {state.not_ready_reason}")
        # Every process runs jobs: each claims its job from the shared store, so none runs twice.
        state.runner.start()
        yield
        state.runner.stop()
        state.close()

    # The docs and the schema are added below, behind the key when keys are set.
    app = FastAPI(title="creatormatch", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None,
                  description="Find niche-aligned, engaged and authentic micro-influencers for a brand brief.")
    app.state.creatormatch = state
    app.state.metrics = metrics
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute) if settings.rate_limit_per_minute else None
    app.include_router(health.router)
    app.include_router(admin.router)  # behind a key of its own: refused when no keys are set
    protected = [Depends(require_api_key)]
    for router in (match.router, creators.router, shortlists.router, search.router):
        app.include_router(router, dependencies=protected, responses=PROTECTED_ERRORS)
    _add_page_and_docs(app)

    @app.get("/metrics", include_in_schema=False, dependencies=protected)
    def prometheus_metrics() -> Response:
        """Prometheus metrics of this process (text format)."""
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:  # noqa: ARG001
        return JSONResponse({"detail": error_details(exc.errors())}, status_code=422)

    @app.exception_handler(JobStoreError)
    async def job_store_error(request: Request, exc: JobStoreError) -> JSONResponse:  # noqa: ARG001
        return JSONResponse({"detail": str(exc)}, status_code=503)

    # The last added runs first: ids and metrics see every answer, including the host and size refusals.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts, www_redirect=False)
    app.add_middleware(RequestContext, metrics=metrics)
    return app


def _add_page_and_docs(app: FastAPI) -> None:
    """The web page, its files, the OpenAPI schema and its pages: served by the app (no CDN for the page), and
    behind the key when keys are set (a browser asks for it as a login)."""
    page = [Depends(require_page_key)]

    @app.get("/", include_in_schema=False, dependencies=page)
    def index() -> FileResponse:
        """The web page for marketers."""
        return FileResponse(STATIC / "index.html")

    @app.get("/static/{name}", include_in_schema=False, dependencies=page)
    def static_file(name: str) -> FileResponse:
        """The page's own files (only those; no other path is served)."""
        if name not in STATIC_FILES:
            raise HTTPException(404, detail="no such file")
        return FileResponse(STATIC / name)

    @app.get("/openapi.json", include_in_schema=False, dependencies=page)
    def openapi() -> JSONResponse:
        """The OpenAPI schema."""
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=page)
    def docs() -> HTMLResponse:
        """The OpenAPI page."""
        return get_swagger_ui_html(openapi_url="/openapi.json", title="creatormatch - API")

    @app.get("/redoc", include_in_schema=False, dependencies=page)
    def redoc() -> HTMLResponse:
        """The schema as reference documentation."""
        return get_redoc_html(openapi_url="/openapi.json", title="creatormatch - API")


def reload_on_sighup(app: FastAPI) -> None:
    """Make SIGHUP reload the app's bundle, in a thread of its own (a signal handler must not wait for a load).
    Call it from the main thread before serving (`creatormatch serve` with one process)."""
    state: AppState = app.state.creatormatch

    def reload(signum: int, frame: object) -> None:  # noqa: ARG001
        logger.info("SIGHUP: reloading the bundle")
        state.reload_in_background()

    signal.signal(signal.SIGHUP, reload)


def app_from_settings() -> FastAPI:
    """The app as configured by CREATORMATCH_* settings: the factory each uvicorn worker process calls."""
    settings = get_settings()
    worker = settings.workers > 1
    if worker and threading.current_thread() is threading.main_thread():
        # A SIGHUP sent to the whole process group must not end a worker: the parent reloads them all.
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    return create_app(settings, worker=worker)
