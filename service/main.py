"""Builds the FastAPI app: loads the bundle once in the lifespan and mounts one router per resource."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from creatormatch import __version__
from creatormatch.config import Settings, get_settings
from creatormatch.encoder import Encoder
from service.api.deps import error_details, require_api_key
from service.api.routes import creators, health, match, search, shortlists
from service.state import AppState

STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None, bundle_path: Path | None = None, encoder: Encoder | None = None,
               load_in_background: bool = True) -> FastAPI:
    """The creatormatch API.

    Args:
        settings: settings; default from the environment.
        bundle_path: bundle to serve; default settings.bundle_path.
        encoder: an already loaded encoder (tests share one); default loads the one the settings name.
        load_in_background: load the bundle in a thread so /healthz answers at once and /readyz says 503 until
            it is loaded; False loads it before the app accepts requests.

    Returns:
        The app.
    """
    settings = settings or get_settings()
    state = AppState(settings=settings, bundle_path=bundle_path or settings.bundle_path, encoder=encoder)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.creatormatch = state
        if load_in_background:
            threading.Thread(target=state.load, name="bundle-loader", daemon=True).start()
        else:
            state.load()
        # Jobs are not claimed across processes yet, so only a single-worker service runs them.
        if state.settings.workers == 1:
            state.runner.start()
        yield
        state.runner.stop()

    app = FastAPI(title="creatormatch", version=__version__, lifespan=lifespan,
                  description="Find niche-aligned, engaged and authentic micro-influencers for a brand brief.")
    app.state.creatormatch = state
    app.include_router(health.router)
    protected = [Depends(require_api_key)]
    app.include_router(match.router, dependencies=protected)
    app.include_router(creators.router, dependencies=protected)
    app.include_router(shortlists.router, dependencies=protected)
    app.include_router(search.router, dependencies=protected)
    # The page and its assets are served by the app itself: no CDN, works offline. The page asks for an API key
    # when the service needs one and sends it with every call.
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        """The web page for marketers."""
        return FileResponse(STATIC / "index.html")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:  # noqa: ARG001
        return JSONResponse({"detail": error_details(exc.errors())}, status_code=422)

    return app


def app_from_settings() -> FastAPI:
    """The app as configured by CREATORMATCH_* settings: the factory each uvicorn worker process calls."""
    return create_app()
