"""Commands that make data: the sample corpus, the feature table, the bundle, imports of real exports."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from cli.common import (
    EXIT_INTERRUPTED,
    EngineName,
    fail,
    interrupt_on_sigterm,
    load_settings,
    open_engine,
    show_progress,
)

app = typer.Typer()
import_app = typer.Typer(no_args_is_help=True, help="Turn real platform exports into the data contract.")
app.add_typer(import_app, name="import")


@app.command()
def sample(
    out: Annotated[Path | None, typer.Option(help="Folder to write the sample files into. Default: "
                                             "CREATORMATCH_SAMPLE_DIR (data/sample).")] = None,
    creators: Annotated[int | None, typer.Option(min=1, help="Number of creators. Default: "
                                                 "CREATORMATCH_SAMPLE_CREATORS (5000).")] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Random seed; the same seed writes the same files. "
                                             "Default: CREATORMATCH_SAMPLE_SEED (7).")] = None,
    brands: Annotated[int | None, typer.Option(min=1, help="Number of brands (default: scales with creators).")]
    = None,
) -> None:
    """Write a realistic synthetic corpus (inputs plus ground-truth labels) for demos, tests and evaluation."""
    settings = load_settings()
    from training.sample import stream_sample

    out = settings.sample_dir if out is None else out
    interrupt_on_sigterm()
    started = time.perf_counter()
    try:
        written = stream_sample(settings.sample_creators if creators is None else creators, out,
                                seed=settings.sample_seed if seed is None else seed, n_brands=brands,
                                progress=show_progress())
    except NotADirectoryError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail(f"sample interrupted; the files in {out} are untouched", code=EXIT_INTERRUPTED)
    typer.echo(f"wrote {written.creators} creators, {written.posts} posts, {written.brands} brands to {out} "
               f"({len(written.paths)} files, {time.perf_counter() - started:.1f} s)")


@app.command()
def features(
    data: Annotated[Path, typer.Option(help="Folder with creators.* and posts.* (CSV, JSONL or Parquet).")],
    out: Annotated[Path, typer.Option(help="File to write the creator features to (.parquet, .csv or .jsonl).")],
    strict: Annotated[bool, typer.Option(help="Fail on any rejected row instead of skipping it.")] = False,
) -> None:
    """Compute the creator feature table from the input folder."""
    settings = load_settings()
    from creatormatch.dataset import InputError, write_any
    from creatormatch.encoder import EncoderError
    from creatormatch.follower_model import FollowerModelError
    from creatormatch.schemas import FILE_EXTENSIONS
    from training.build import build_features

    if out.suffix.lower() not in FILE_EXTENSIONS:
        fail(f"{out.name}: unknown file type; use one of {', '.join(FILE_EXTENSIONS)}")
    try:
        table = build_features(data, settings, strict=strict, progress=show_progress())
        write_any(table, out)
    except (InputError, EncoderError, FollowerModelError) as exc:
        fail(str(exc))
    typer.echo(f"wrote features of {table.height} creators to {out}")


@app.command()
def build(
    data: Annotated[Path, typer.Option(help="Folder with creators.* and posts.* (CSV, JSONL or Parquet).")],
    out: Annotated[Path | None, typer.Option(help="Bundles folder; the bundle goes to OUT/<version> and "
                                             "OUT/current points at it. Default: CREATORMATCH_INDEXES_DIR.")] = None,
    strict: Annotated[bool, typer.Option(help="Fail on any rejected row instead of skipping it.")] = False,
    engine: Annotated[EngineName, typer.Option(help="Where features and embedding run: local (this process) or "
                                               "ray (a Ray cluster; needs the ray extra). The bundle is the same.")]
    = EngineName.local,
    address: Annotated[str | None, typer.Option(help="With --engine ray: the cluster (auto, HOST:PORT or "
                                                "ray://HOST:10001). Default: a local Ray started for the build.")]
    = None,
) -> None:
    """Validate the inputs, compute features, embed, index and write a new bundle (then make it current)."""
    settings = load_settings()
    from creatormatch.dataset import InputError
    from creatormatch.encoder import EncoderError
    from creatormatch.follower_model import FollowerModelError
    from creatormatch.manifest import BundleError
    from training.build import InterruptedAfterWrite, build_bundle
    from training.engine_ray import EngineError

    interrupt_on_sigterm()
    started = time.perf_counter()
    runner = open_engine(engine, address, settings)
    try:
        result = build_bundle(data, out or settings.indexes_dir, settings, strict=strict, progress=show_progress(),
                              engine=runner)
    except (InputError, EncoderError, BundleError, FollowerModelError, EngineError) as exc:
        fail(str(exc))
    except InterruptedAfterWrite as exc:
        fail(f"interrupted after the new bundle was written: {exc.bundle} is current; the next build finishes "
             "the clean-up", code=EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        fail("build interrupted; no bundle was written and the current one is untouched", code=EXIT_INTERRUPTED)
    finally:
        runner.close()
    elapsed = time.perf_counter() - started
    report, manifest = result.report, result.manifest
    typer.echo(f"bundle {result.bundle} ({manifest.creators} creators, {manifest.posts} posts, "
               f"{manifest.terms} terms, index {manifest.index_factory}, "
               f"recall@10 {manifest.recall_at_10:.3f}) in {elapsed:.1f} s")
    if report["rejected_rows"]:
        typer.echo(f"{report['rejected_rows']} rows rejected: see {result.bundle / 'rejects.csv'}")
    typer.echo(json.dumps(report["files"]))


@import_app.command("youtube")
def import_youtube_command(
    inputs: Annotated[list[Path], typer.Option("--input", help="A trending CSV (the 2017-18 or 2020+ Kaggle "
                                               "layouts) or YouTube Data API JSON (videos, channels, search, "
                                               "categories; object, array or JSONL), or a folder of them; repeat "
                                               "for several.")],
    out: Annotated[Path, typer.Option(help="Folder for creators.parquet, posts.parquet, labels.parquet, "
                                      "import_rejects.csv and import_report.json; replaced as a whole.")],
    categories: Annotated[Path | None, typer.Option(help="Category id -> title JSON for labels.parquet. Default: "
                                                    "categories.json, and Kaggle's XX_category_id.json, beside "
                                                    "the inputs.")] = None,
    encoding: Annotated[str | None, typer.Option(help="The exports' text encoding when it is not UTF-8 (a Python "
                                                 "codec name: cp1251, cp932, cp949, cp1252, ...); files that "
                                                 "are valid UTF-8 are still read as UTF-8. Default: UTF-8, with "
                                                 "UTF-16, stray cp1252 lines and other encodings detected.")]
                = None,
) -> None:
    """Import YouTube exports into a data folder that `creatormatch build --data` reads."""
    load_settings()
    interrupt_on_sigterm()
    from creatormatch.dataset import InputError
    from training.importers import importer_for

    try:
        result = importer_for("youtube")(inputs, out, categories=categories, encoding=encoding)
    except InputError as exc:
        fail(str(exc))
    typer.echo(f"imported {result.creators} creators and {result.posts} videos into {out} "
               f"({result.duplicates_merged} duplicate rows merged); {result.rejected} rejected "
               f"(see {result.rejects_path})")
