"""The `serve` command: the API and the web page over a bundle, in one process or several workers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import fail, load_settings

app = typer.Typer()


@app.command()
def serve(
    bundle: Annotated[Path | None, typer.Option(help="Bundle folder. Default: CREATORMATCH_BUNDLE_PATH "
                                                "(indexes/current).")] = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on. Default: CREATORMATCH_HOST.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on. Default: CREATORMATCH_PORT.")] = None,
    workers: Annotated[int | None, typer.Option(min=1, max=64, help="Worker processes (stateless replicas of the "
                                                "service). Default: CREATORMATCH_WORKERS.")] = None,
) -> None:
    """Serve the API (POST /match, GET /creators/{id}, /healthz, /readyz, /docs) over a bundle."""
    settings = load_settings()
    import uvicorn

    from creatormatch.bundle import BundleError, Manifest, check_model_weights
    from creatormatch.config import export_for_workers
    from creatormatch.encoder import EncoderError, default_model_path, weights_sha256
    from service.main import create_app

    path = bundle or settings.bundle_path
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    try:
        manifest = Manifest.read(path)
        check_model_weights(path, manifest, weights_sha256(settings.model_path or default_model_path()),
                            settings.model_name)
    except (BundleError, EncoderError) as exc:
        fail(str(exc))
    typer.echo(f"serving bundle {manifest.version} ({manifest.creators} creators) on http://{host}:{port}  "
               "(docs at /docs)")
    if workers == 1:
        uvicorn.run(create_app(settings, bundle_path=path), host=host, port=port,
                    log_level=settings.log_level.lower())
        return
    # Worker processes build the app from settings, so the command-line choices travel as settings.
    export_for_workers(settings, bundle_path=path, workers=workers)
    uvicorn.run("service.main:app_from_settings", factory=True, workers=workers, host=host, port=port,
                log_level=settings.log_level.lower())
