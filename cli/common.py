"""What the commands share: exit codes, the one-line error, settings with logging, loading a ranker."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

import typer

# Re-exported: defined in cli/__init__.py, where the entry point needs it before importing anything heavier.
from cli import EXIT_INTERRUPTED as EXIT_INTERRUPTED
from creatormatch.config import Settings, get_settings

if TYPE_CHECKING:
    from creatormatch.ranking import Ranker
    from training.engines import Engine

EXIT_INTERNAL = 1
EXIT_INPUT = 2


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Print `error: MESSAGE` on stderr and exit with the code (2, bad input, unless told otherwise)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def load_settings() -> Settings:
    """The settings, with logging set up from them; an invalid setting exits 2 naming its variable."""
    from pydantic import ValidationError

    try:
        settings = get_settings()
    except ValidationError as exc:
        problems = "; ".join(f"CREATORMATCH_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        fail(f"invalid setting: {problems}")
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("faiss", "sentence_transformers", "transformers", "httpx", "bm25s"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    return settings


def load_ranker(settings: Settings, bundle: Path | None) -> Ranker:
    """The encoder and the bundle (checked against each other), or exit 2 with the reason."""
    from creatormatch.encoder import EncoderError, encoder_from_settings, load_now, preload
    from creatormatch.manifest import BundleError, Manifest, check_model_weights

    path = (bundle or settings.bundle_path).resolve()
    try:
        # A missing or unreadable bundle, or one of another model, is said before the model is loaded (or
        # exported, ~10 s the first time).
        manifest = Manifest.read(path)
        encoder = encoder_from_settings(settings)
        check_model_weights(path, manifest, encoder.weights_sha256, encoder.name)
        # The model loads while polars, FAISS and Arrow are imported and the bundle is read: creating the ONNX
        # session took longer than reading a 5,000-creator bundle, so it starts first.
        preload(encoder)
        from creatormatch.bundle import load_bundle
        from creatormatch.ranking import Ranker

        try:
            loaded = load_bundle(path, encoder)
        except BundleError as exc:
            # Said at once; then the preload is let finish here, where an interrupt is quiet, rather than in the
            # interpreter's shutdown (a traceback). With sentence-transformers that can take seconds.
            typer.echo(f"error: {exc}", err=True)
            with contextlib.suppress(EncoderError, KeyboardInterrupt):
                load_now(encoder)
            raise typer.Exit(EXIT_INPUT) from None
        load_now(encoder)  # a model that cannot load is said now, as the bundle's problems are
        return Ranker(loaded, encoder)
    except (BundleError, EncoderError) as exc:
        fail(str(exc))


class EngineName(StrEnum):
    """Where the offline build's heavy stages run (training.engines)."""

    local = "local"
    ray = "ray"


def open_engine(name: EngineName, address: str | None, settings: Settings) -> Engine:
    """The engine the options name (Ray started or reached now), or exit 2 with the reason in one line."""
    from training.engines import LocalEngine

    if name is EngineName.local:
        if address is not None:
            fail("--address needs --engine ray")
        return LocalEngine()
    from training.engine_ray import EngineError, RayEngine

    try:
        return RayEngine(address, settings)
    except EngineError as exc:
        fail(str(exc))


def show_progress() -> bool:
    """Progress bars only when a person watches stderr."""
    return sys.stderr.isatty()


def interrupt_on_sigterm() -> None:
    """Make SIGTERM unwind like Ctrl-C, so a build, an import or a model export removes its temporary folder and a
    shortlist run stays resumable."""
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
    raise KeyboardInterrupt
