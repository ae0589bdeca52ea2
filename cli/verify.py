"""The `verify` command: would the service load this bundle? Every file against its sha256, then read and counted."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from cli.common import EXIT_INPUT, fail, load_settings

app = typer.Typer()


@app.command()
def verify(
    bundle: Annotated[Path | None, typer.Argument(help="Bundle folder. Default: CREATORMATCH_BUNDLE_PATH "
                                                  "(indexes/current).", show_default=False)] = None,
) -> None:
    """Check a bundle as the service does before serving it: each file's sha256 against the manifest, every file
    read and counted against the manifest, and the model configured here. Exit 0 when sound; 2 with one line per
    problem, naming the file."""
    settings = load_settings()
    from creatormatch.bundle import verify_bundle
    from creatormatch.encoder import EncoderError, default_model_path, weights_sha256
    from creatormatch.manifest import BundleError

    path = bundle or settings.bundle_path
    started = time.perf_counter()
    try:
        weights = weights_sha256(settings.model_path or default_model_path())
        result = verify_bundle(path, weights, settings.model_name)
    except (BundleError, EncoderError) as exc:
        fail(str(exc))
    if result.problems:
        for problem in result.problems:
            typer.echo(f"error: {path}: {problem}", err=True)
        raise typer.Exit(EXIT_INPUT)
    manifest = result.manifest
    if result.files_checked:
        checked = f"{result.files_checked} files match their sha256"
    else:
        checked = "no checksums to compare (built before they were recorded; rebuild to record them)"
        typer.echo(f"warning: {path}: bundle {manifest.version} has no checksums: its files were read, not verified",
                   err=True)
    typer.echo(f"ok: bundle {manifest.version} ({manifest.creators} creators): {checked}; every file reads and "
               f"matches the manifest; built with the model configured here ({time.perf_counter() - started:.1f} s)")
