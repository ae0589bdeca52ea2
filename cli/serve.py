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
                                                "service; they share the job store). Default: "
                                                "CREATORMATCH_WORKERS.")] = None,
    insecure: Annotated[bool, typer.Option(help="Listen on an address other machines reach even without API keys "
                                           "(CREATORMATCH_API_KEYS); refused otherwise.")] = False,
) -> None:
    """Serve the API (POST /match, GET /creators/{id}, /healthz, /readyz, /metrics, /docs) over a bundle."""
    settings = load_settings()
    import logging.config

    import uvicorn

    from creatormatch.bundle import BundleError, Manifest, check_model_weights
    from creatormatch.config import export_for_workers
    from creatormatch.encoder import EncoderError, default_model_path, weights_sha256
    from creatormatch.shortlist import JobStoreError, ShortlistStore
    from service.logs import logging_config
    from service.main import create_app
    from service.security import bind_problem, is_loopback

    path = bundle or settings.bundle_path
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    problem = bind_problem(host, settings.api_keys, insecure)
    if problem:
        fail(problem)
    try:
        manifest = Manifest.read(path)
        check_model_weights(path, manifest, weights_sha256(settings.model_path or default_model_path()),
                            settings.model_name)
    except (BundleError, EncoderError) as exc:
        fail(str(exc))
    try:  # every worker opens the job store; a store it cannot open is refused here, once, with its path
        ShortlistStore(settings.jobs_path).close()
    except JobStoreError as exc:
        fail(f"{settings.jobs_path}: {exc}")
    log_config = logging_config(settings.log_level, settings.log_format)
    logging.config.dictConfig(log_config)
    typer.echo(f"serving bundle {manifest.version} ({manifest.creators} creators) on http://{host}:{port}  "
               "(docs at /docs, metrics at /metrics)")
    if not is_loopback(host) and "*" not in settings.allowed_hosts:
        typer.echo(f"note: only Host headers {', '.join(settings.allowed_hosts)} are answered (others get 400); "
                   "set CREATORMATCH_ALLOWED_HOSTS to the names clients use", err=True)
    level = settings.log_level.lower()
    if workers == 1:
        uvicorn.run(create_app(settings, bundle_path=path), host=host, port=port, log_level=level,
                    log_config=log_config, access_log=False)
        return
    # Worker processes build the app from settings, so the command-line choices travel as settings.
    export_for_workers(settings, bundle_path=path, workers=workers)
    from service.tcp import NoDelayH11Protocol

    uvicorn.run("service.main:app_from_settings", factory=True, workers=workers, host=host, port=port,
                log_level=level, log_config=log_config, access_log=False, http=NoDelayH11Protocol)
