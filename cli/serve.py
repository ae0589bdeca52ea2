"""The `serve` command: the API and the web page over a bundle, in one process or several workers; SIGHUP reloads."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.common import EXIT_INTERNAL, fail, load_settings

if TYPE_CHECKING:
    from socket import socket

    import uvicorn

    from creatormatch.config import Settings

app = typer.Typer()

# How long a replacement worker may take to load its bundle before the parent gives up on it (and keeps the old).
WORKER_START_SECONDS = 120


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
    """Serve the API (POST /match, GET /creators/{id}, /healthz, /readyz, /metrics, /docs) over a bundle.

    SIGHUP reloads the bundle the path names now, as POST /admin/reload does (indexes/current: the latest build).
    A bundle that fails its checks is refused and the one before keeps serving.
    """
    settings = load_settings()
    import logging.config

    import uvicorn

    from creatormatch.bundle import check_bundle
    from creatormatch.encoder import EncoderError, default_model_path, weights_sha256
    from creatormatch.manifest import BundleError
    from creatormatch.shortlist import JobStoreError, ShortlistStore
    from service.logs import logging_config
    from service.main import create_app, reload_on_sighup
    from service.security import bind_problem, is_loopback

    path = bundle or settings.bundle_path
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    problem = bind_problem(host, settings.api_keys, insecure)
    if problem:
        fail(problem)
    try:
        weights = weights_sha256(settings.model_path or default_model_path())
        # One process checks the files' sha256 in its loader thread (so /healthz answers at once); with several
        # workers the parent checks them once, before any worker starts.
        manifest = check_bundle(path, weights, settings.model_name, verify=workers > 1)
    except (BundleError, EncoderError) as exc:
        fail(str(exc))
    try:  # every worker opens the job store; a store it cannot open is refused here, once, with its path
        ShortlistStore(settings.jobs_path).close()
    except JobStoreError as exc:
        fail(f"{settings.jobs_path}: {exc}")
    log_config = logging_config(settings.log_level, settings.log_format)
    logging.config.dictConfig(log_config)
    typer.echo(f"serving bundle {manifest.version} ({manifest.creators} creators) on http://{host}:{port}  "
               f"(docs at /docs, metrics at /metrics; reload with kill -HUP {os.getpid()})")
    if not is_loopback(host) and "*" not in settings.allowed_hosts:
        typer.echo(f"note: only Host headers {', '.join(settings.allowed_hosts)} are answered (others get 400); "
                   "set CREATORMATCH_ALLOWED_HOSTS to the names clients use", err=True)
    level = settings.log_level.lower()
    if workers == 1:
        service = create_app(settings, bundle_path=path)
        reload_on_sighup(service)
        uvicorn.run(service, host=host, port=port, log_level=level, log_config=log_config, access_log=False)
        return
    reloader = _WorkerReload(settings, path, weights, workers)
    from service.tcp import NoDelayHttpToolsProtocol

    # NoDelayHttpToolsProtocol: uvicorn's pre-bound socket would leave Nagle's algorithm on (see service/tcp.py).
    config = uvicorn.Config("service.main:app_from_settings", factory=True, workers=workers, host=host, port=port,
                            log_level=level, log_config=log_config, access_log=False,
                            timeout_worker_healthcheck=WORKER_START_SECONDS, http=NoDelayHttpToolsProtocol)
    supervisor = _supervisor(config, [config.bind_socket()], reloader)
    supervisor.run()
    if not supervisor.asked_to_stop:
        fail("the worker processes could not start (see the log above)", EXIT_INTERNAL)


class _WorkerReload:
    """The bundle that the workers of `serve --workers N` serve, chosen by the parent so they all serve one.

    The parent resolves the bundle path (indexes/current) and hands the workers the folder it names, so a worker
    started later (after a crash, or as a replacement) serves that same version. On SIGHUP it resolves the path
    again and checks the new bundle before any worker is replaced.
    """

    def __init__(self, settings: Settings, source: Path, weights: str, workers: int) -> None:
        self.settings = settings
        self.source = source
        self.weights = weights
        self.workers = workers
        self.serving = source.resolve()
        self.previous = self.serving
        self._export(self.serving)

    def _export(self, bundle: Path) -> None:
        from creatormatch.config import export_for_workers

        export_for_workers(self.settings, bundle_path=bundle, workers=self.workers)

    def prepare(self) -> bool:
        """Resolve the path again and check what it names; True when the workers should move to it."""
        from creatormatch.bundle import check_bundle
        from creatormatch.manifest import BundleError

        target = self.source.resolve()
        if target == self.serving:
            typer.echo(f"reload: {self.source} still names bundle {target.name}, which the workers serve", err=True)
            return False
        try:
            manifest = check_bundle(target, self.weights, self.settings.model_name)
        except BundleError as exc:
            typer.echo(f"error: reload refused: {exc}; the workers keep serving {self.serving.name}", err=True)
            return False
        typer.echo(f"reload: replacing the {self.workers} workers one at a time to serve bundle {manifest.version}",
                   err=True)
        self.previous, self.serving = self.serving, target
        self._export(target)
        return True

    def roll_back(self) -> None:
        """A replacement worker did not start: workers started from now on serve the bundle before again."""
        typer.echo(f"error: reload refused: a worker could not start on bundle {self.serving.name} (see the log "
                   f"above); the workers keep serving {self.previous.name}", err=True)
        self.serving = self.previous
        self._export(self.previous)


def _supervisor(config: uvicorn.Config, sockets: list[socket], reloader: _WorkerReload) -> Any:
    """uvicorn's worker supervisor, whose SIGHUP moves the workers to the bundle the path names now.

    uvicorn replaces workers one at a time and retires an old one only once its replacement has started, which
    for these workers means loaded its bundle; a replacement that cannot start stops the replacing, and the old
    workers stay. Then any worker already replaced is replaced again, on the bundle before.
    """
    from uvicorn.supervisors import Multiprocess

    class Supervisor(Multiprocess):
        asked_to_stop = False

        def handle_hup(self) -> None:
            if not reloader.prepare():
                return
            before = list(self.processes)
            self.restart_all()
            replaced = sum(new is not old for new, old in zip(self.processes, before, strict=True))
            if replaced == len(before) or self.should_exit.is_set():
                return
            reloader.roll_back()
            if replaced:
                self.restart_all()

        def handle_int(self) -> None:
            self.asked_to_stop = True
            super().handle_int()

        def handle_term(self) -> None:
            self.asked_to_stop = True
            super().handle_term()

    return Supervisor(config, sockets=sockets)
