"""The `creatormatch` command line: the only layer that prints, and the one place exit codes are decided.

Commands import the offline jobs (`training`) and the service lazily, so `creatormatch --help` stays fast.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Annotated, NoReturn

import typer

from creatormatch.config import Settings, get_settings

EXIT_INPUT = 2
app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Find niche-aligned, engaged and authentic micro-influencers for a brand.")


def _fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _settings() -> Settings:
    from pydantic import ValidationError

    try:
        settings = get_settings()
    except ValidationError as exc:
        problems = "; ".join(f"CREATORMATCH_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        _fail(f"invalid setting: {problems}")
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("faiss", "sentence_transformers", "transformers", "httpx"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    return settings


def _terminate(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
    # SIGTERM unwinds like Ctrl-C, so a build in progress removes its temporary folder.
    raise KeyboardInterrupt


@app.command()
def sample(
    out: Annotated[Path, typer.Option(help="Folder to write the sample files into.")] = Path("data/sample"),
    creators: Annotated[int, typer.Option(min=1, help="Number of creators.")] = 5000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed writes the same files.")] = 7,
    brands: Annotated[int | None, typer.Option(min=1, help="Number of brands (default: scales with creators).")]
    = None,
) -> None:
    """Write a realistic synthetic corpus (inputs plus ground-truth labels) for demos, tests and evaluation."""
    _settings()
    from training.sample import generate_sample, write_sample

    started = time.perf_counter()
    corpus = generate_sample(creators, seed=seed, n_brands=brands)
    paths = write_sample(corpus, out)
    typer.echo(f"wrote {corpus.creators.height} creators, {corpus.posts.height} posts, {corpus.brands.height} "
               f"brands to {out} ({len(paths)} files, {time.perf_counter() - started:.1f} s)")


@app.command()
def features(
    data: Annotated[Path, typer.Option(help="Folder with creators.* and posts.* (CSV, JSONL or Parquet).")],
    out: Annotated[Path, typer.Option(help="Parquet file to write the creator features to.")],
    strict: Annotated[bool, typer.Option(help="Fail on any rejected row instead of skipping it.")] = False,
) -> None:
    """Compute the creator feature table from the input folder."""
    settings = _settings()
    from creatormatch.dataset import InputError
    from creatormatch.encoder import EncoderError
    from training.build import build_features

    try:
        table = build_features(data, settings, strict=strict, progress=sys.stderr.isatty())
    except (InputError, EncoderError) as exc:
        _fail(str(exc))
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.partial")
    table.write_parquet(temporary)
    temporary.replace(out)
    typer.echo(f"wrote features of {table.height} creators to {out}")


@app.command()
def build(
    data: Annotated[Path, typer.Option(help="Folder with creators.* and posts.* (CSV, JSONL or Parquet).")],
    out: Annotated[Path | None, typer.Option(help="Bundles folder; the bundle goes to OUT/<version> and "
                                             "OUT/current points at it. Default: CREATORMATCH_INDEXES_DIR.")] = None,
    strict: Annotated[bool, typer.Option(help="Fail on any rejected row instead of skipping it.")] = False,
) -> None:
    """Validate the inputs, compute features, embed, index and write a new bundle (then make it current)."""
    settings = _settings()
    from creatormatch.bundle import BundleError
    from creatormatch.dataset import InputError
    from creatormatch.encoder import EncoderError
    from training.build import build_bundle

    signal.signal(signal.SIGTERM, _terminate)
    root = out or settings.indexes_dir
    started = time.perf_counter()
    try:
        result = build_bundle(data, root, settings, strict=strict, progress=sys.stderr.isatty())
    except (InputError, EncoderError, BundleError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("build interrupted; no bundle was written and the current one is untouched", code=130)
    elapsed = time.perf_counter() - started
    report = result.report
    typer.echo(f"bundle {result.bundle} ({result.manifest.creators} creators, {result.manifest.posts} posts, "
               f"{result.manifest.terms} terms, index {result.manifest.index_factory}, "
               f"recall@10 {result.manifest.recall_at_10:.3f}) in {elapsed:.1f} s")
    if report["rejected_rows"]:
        typer.echo(f"{report['rejected_rows']} rows rejected: see {result.bundle / 'rejects.csv'}")
    typer.echo(json.dumps(report["files"]))


def main() -> None:
    """Entry point of the `creatormatch` command."""
    app()


if __name__ == "__main__":
    main()
