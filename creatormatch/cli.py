"""The `creatormatch` command line: the only layer that prints, and the one place exit codes are decided.

Commands import the offline jobs (`training`) and the service lazily, so `creatormatch --help` stays fast.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from creatormatch.config import Settings, get_settings

if TYPE_CHECKING:
    from typer._click import Context

    from creatormatch.api_models import CreatorResult
    from creatormatch.ranking import Ranker

EXIT_INTERNAL = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130
DEBUG_HINT = "hint: run again with --debug (or CREATORMATCH_DEBUG=1) to see the traceback, and report it"
# An internal error names the innermost frame in the project's own code, not in a library it called.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ("creatormatch", "training", "service")


@dataclass
class _Run:
    """What the root callback learnt from the command line, for main() to use when a command fails."""

    debug: bool = False


_RUN = _Run()


class _RootGroup(TyperGroup):
    """The root command group: a Ctrl-C that no command handled ends as one line and exit 130."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # typer would otherwise exit 130 without a word (older versions: "Aborted!" and exit 1).
            typer.echo("error: interrupted", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None


# Rich tracebacks off: main() turns an unexpected error into one line (the traceback only with --debug).
app = typer.Typer(add_completion=False, no_args_is_help=True, cls=_RootGroup, pretty_exceptions_enable=False,
                  help="Find niche-aligned, engaged and authentic micro-influencers for a brand.")


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="On an unexpected error, print the full traceback "
                                        "(CREATORMATCH_DEBUG=1 does the same).")] = False,
) -> None:
    _RUN.debug = debug


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


def _load_ranker(settings: Settings, bundle: Path | None) -> Ranker:
    """The encoder and the bundle (checked against each other), or exit 2 with the reason."""
    from creatormatch.bundle import BundleError, load_bundle
    from creatormatch.encoder import EncoderError, encoder_from_settings
    from creatormatch.ranking import Ranker

    try:
        encoder = encoder_from_settings(settings)
        return Ranker(load_bundle(bundle or settings.bundle_path, encoder), encoder)
    except (BundleError, EncoderError) as exc:
        _fail(str(exc))


def _reach_text(result: CreatorResult) -> str:
    if result.followers is not None:
        return f"{result.followers:,} followers"
    if result.reach is not None:
        return f"{result.reach:,} median views"
    return "reach unknown"


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
    out: Annotated[Path, typer.Option(help="File to write the creator features to (.parquet, .csv or .jsonl).")],
    strict: Annotated[bool, typer.Option(help="Fail on any rejected row instead of skipping it.")] = False,
) -> None:
    """Compute the creator feature table from the input folder."""
    settings = _settings()
    from creatormatch.dataset import InputError, write_any
    from creatormatch.encoder import EncoderError
    from creatormatch.follower_model import FollowerModelError
    from creatormatch.schemas import FILE_EXTENSIONS
    from training.build import build_features

    if out.suffix.lower() not in FILE_EXTENSIONS:
        _fail(f"{out.name}: unknown file type; use one of {', '.join(FILE_EXTENSIONS)}")
    try:
        table = build_features(data, settings, strict=strict, progress=sys.stderr.isatty())
    except (InputError, EncoderError, FollowerModelError) as exc:
        _fail(str(exc))
    try:
        write_any(table, out)
    except InputError as exc:
        _fail(str(exc))
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
    from creatormatch.follower_model import FollowerModelError
    from training.build import build_bundle

    signal.signal(signal.SIGTERM, _terminate)
    root = out or settings.indexes_dir
    started = time.perf_counter()
    try:
        result = build_bundle(data, root, settings, strict=strict, progress=sys.stderr.isatty())
    except (InputError, EncoderError, BundleError, FollowerModelError) as exc:
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


@app.command()
def serve(
    bundle: Annotated[Path | None, typer.Option(help="Bundle folder. Default: CREATORMATCH_BUNDLE_PATH "
                                                "(indexes/current).")] = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on. Default: CREATORMATCH_HOST.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on. Default: CREATORMATCH_PORT.")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes (stateless replicas of the service). "
                                                "Default: CREATORMATCH_WORKERS.")] = None,
) -> None:
    """Serve the API (POST /match, GET /creators/{id}, /healthz, /readyz, /docs) over a bundle."""
    settings = _settings()
    import uvicorn

    from creatormatch.bundle import BundleError, Manifest, check_model_weights
    from creatormatch.encoder import EncoderError, default_model_path, weights_sha256
    from service.main import create_app

    path = bundle or settings.bundle_path
    try:
        manifest = Manifest.read(path)
        check_model_weights(path, manifest, weights_sha256(settings.model_path or default_model_path()),
                            settings.model_name)
    except (BundleError, EncoderError) as exc:
        _fail(str(exc))
    typer.echo(f"serving bundle {manifest.version} ({manifest.creators} creators) on http://{host or settings.host}:"
               f"{port or settings.port}  (docs at /docs)")
    workers = workers or settings.workers
    if workers == 1:
        uvicorn.run(create_app(settings, bundle_path=path), host=host or settings.host, port=port or settings.port,
                    log_level=settings.log_level.lower())
        return
    # Worker processes build the app from settings, so the command-line choices travel as settings.
    os.environ["CREATORMATCH_BUNDLE_PATH"] = str(path)
    os.environ["CREATORMATCH_WORKERS"] = str(workers)
    os.environ.setdefault("CREATORMATCH_ENCODER_THREADS", "1")
    uvicorn.run("service.main:app_from_settings", factory=True, workers=workers, host=host or settings.host,
                port=port or settings.port, log_level=settings.log_level.lower())


@app.command()
def match(
    brief: Annotated[str | None, typer.Option(help="The brief as free text.")] = None,
    brief_file: Annotated[Path | None, typer.Option(help="JSON file: a brief object (text, brand, values, "
                                                    "product, audience, keywords) or a whole /match request.")]
    = None,
    filters: Annotated[str | None, typer.Option(help="Filters as JSON, e.g. '{\"platforms\": [\"tiktok\"]}'.")]
    = None,
    limit: Annotated[int, typer.Option(help="Creators to return (1-100).")] = 20,
    diversity: Annotated[float, typer.Option(help="0 = score order; up to 1 = spread across sub-niches.")] = 0.0,
    bundle: Annotated[Path | None, typer.Option(help="Bundle folder. Default: CREATORMATCH_BUNDLE_PATH.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the /match response body as JSON.")] = False,
) -> None:
    """Rank creators for a brief without a server; --json prints exactly what POST /match returns."""
    settings = _settings()
    from pydantic import ValidationError

    from creatormatch.api_models import MatchRequest, describe_errors

    body: dict[str, object] = {}
    try:
        if brief_file is not None:
            loaded = json.loads(brief_file.read_text())
            body = loaded if isinstance(loaded, dict) and "brief" in loaded else {"brief": loaded}
        if brief is not None:
            merged = dict(body.get("brief") or {})  # type: ignore[call-overload]
            merged["text"] = brief
            body["brief"] = merged
        if "brief" not in body:
            _fail("give a brief with --brief TEXT or --brief-file FILE.json")
        if filters is not None:
            body["filters"] = json.loads(filters)
        body.setdefault("limit", limit)
        body.setdefault("diversity", diversity)
        request = MatchRequest.model_validate(body)
    except (OSError, json.JSONDecodeError) as exc:
        _fail(f"cannot read the brief or filters: {exc}")
    except ValidationError as exc:
        _fail(describe_errors(exc))
    response = _load_ranker(settings, bundle).match(request)
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    typer.echo(f"{response.total_candidates} creators pass the filters; bundle {response.bundle_version}")
    for rank, result in enumerate(response.results, start=request.offset + 1):
        typer.echo(f"{rank:>3}. {result.score:.3f}  @{result.handle} ({result.platform}, {_reach_text(result)}, "
                   f"{result.tier or 'tier unknown'})")
        for reason in result.reasons:
            typer.echo(f"       - {reason}")


@app.command()
def search(
    query: Annotated[str, typer.Option(help="Keywords, #hashtags or a phrase.")],
    filters: Annotated[str | None, typer.Option(help="Filters as JSON, as for match.")] = None,
    limit: Annotated[int, typer.Option(help="Creators to return (1-100).")] = 20,
    bundle: Annotated[Path | None, typer.Option(help="Bundle folder. Default: CREATORMATCH_BUNDLE_PATH.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the GET /search response body as JSON.")] = False,
) -> None:
    """Hybrid keyword search without a server; --json prints exactly what GET /search returns."""
    settings = _settings()
    from pydantic import ValidationError

    from creatormatch.api_models import SearchRequest, describe_errors

    try:
        request = SearchRequest.model_validate({"q": query, "filters": json.loads(filters) if filters else {},
                                                "limit": limit})
    except json.JSONDecodeError as exc:
        _fail(f"cannot read --filters: {exc}")
    except ValidationError as exc:
        _fail(describe_errors(exc))
    try:
        response = _load_ranker(settings, bundle).search(request)
    except LookupError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    facets = "; ".join(f"{name}: " + ", ".join(f"{k} {v}" for k, v in list(counts.items())[:6])
                       for name, counts in response.facets.items())
    typer.echo(f"{response.total_candidates} matches ({facets})")
    for rank, result in enumerate(response.results, start=1):
        terms = sorted({t for e in result.evidence for t in e.matched_terms})
        typer.echo(f"{rank:>3}. {result.score:.3f}  @{result.handle} ({result.platform}, {_reach_text(result)}, "
                   f"{result.tier or 'tier unknown'})" + (f"  matched: {', '.join(terms)}" if terms else ""))


@app.command()
def evaluate(
    data: Annotated[Path | None, typer.Option(help="Sample folder with labels.parquet and brand_labels.parquet.")]
    = None,
    bundle: Annotated[Path | None, typer.Option(help="Bundle built from that folder. Default: "
                                                "CREATORMATCH_BUNDLE_PATH.")] = None,
    limit: Annotated[int, typer.Option(help="Shortlist length judged.")] = 10,
    real: Annotated[Path | None, typer.Option(help="Real labelled data: raw YouTube exports (imported first) or a "
                                              "data folder with labels.parquet. Builds a bundle and compares "
                                              "with a plain-embedding baseline.")] = None,
    queries: Annotated[Path | None, typer.Option(help="Queries for --real (JSONL: kind search|match, q or brief, "
                                                 "relevant labels).")] = None,
    work: Annotated[Path | None, typer.Option(help="Folder for --real's imported data and bundle "
                                              "(default: a temporary folder).")] = None,
) -> None:
    """Judge search, /match and authenticity: on a sample's ground truth, or on real labelled creators (--real)."""
    settings = _settings()
    if real is not None:
        _evaluate_real(settings, real, queries, work)
        return
    if data is None:
        _fail("give --data SAMPLE_DIR (a sample's ground truth) or --real DIR --queries FILE (real labelled data)")
    from training.evaluate import evaluate_authenticity, evaluate_matching, evaluate_search

    for name in ("labels.parquet", "brand_labels.parquet", "brands.parquet"):
        if not (data / name).is_file():
            _fail(f"{data / name}: not found (evaluate needs a sample written by `creatormatch sample`)")
    ranker = _load_ranker(settings, bundle)
    typer.echo("# /match against brand_labels.parquet and labels.parquet")
    for line in evaluate_matching(ranker, data, limit=limit).lines():
        typer.echo(line)
    typer.echo("# keyword search: one plain keyword per niche")
    for line in evaluate_search(ranker, data).lines():
        typer.echo(line)
    typer.echo("# authenticity against labels.parquet")
    for line in evaluate_authenticity(ranker.creators, data).lines():
        typer.echo(line)


def _evaluate_real(settings: Settings, real: Path, queries: Path | None, work: Path | None) -> None:
    import tempfile

    from creatormatch.dataset import InputError
    from creatormatch.encoder import EncoderError, encoder_from_settings
    from training.build import build_bundle
    from training.evaluate_real import evaluate_real, is_contract_folder, read_queries
    from training.importers import import_youtube

    if queries is None:
        _fail("--real needs --queries FILE (JSONL; see benchmarks/real/youtube_queries.jsonl)")
    with tempfile.TemporaryDirectory(prefix="creatormatch-real-") as scratch:
        folder = work or Path(scratch)
        try:
            parsed = read_queries(queries)
            data_dir = real
            if not is_contract_folder(real):
                inputs = sorted(p for p in real.iterdir() if p.suffix.lower() in (".csv", ".json", ".jsonl")
                                and p.name != "categories.json") if real.is_dir() else [real]
                data_dir = folder / "data"
                imported = import_youtube(inputs, data_dir)
                typer.echo(f"imported {imported.creators} creators, {imported.posts} videos "
                           f"({imported.rejected} rows rejected)")
            encoder = encoder_from_settings(settings)
            built = build_bundle(data_dir, folder / "indexes", settings, encoder=encoder,
                                 progress=sys.stderr.isatty())
            quality = evaluate_real(data_dir, built.bundle, parsed, encoder, settings)
        except (InputError, EncoderError) as exc:
            _fail(str(exc))
    for line in quality.lines():
        typer.echo(line)


@app.command()
def shortlist(
    brands: Annotated[Path, typer.Option(help="Brands file in the data contract (CSV, JSONL or Parquet).")],
    out: Annotated[Path, typer.Option(help="Output file, one row per (brand, creator); .parquet, .csv or .jsonl.")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="Creators per brand.")] = 20,
    max_per_creator: Annotated[int | None, typer.Option(min=1, help="Put no creator in more than this many "
                                                        "shortlists (brands earlier in the file come first).")]
    = None,
    bundle: Annotated[Path | None, typer.Option(help="Bundle folder. Default: CREATORMATCH_BUNDLE_PATH.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Brands embedded per encoder call.")] = 32,
) -> None:
    """Shortlists for every brand in a file, ranked like POST /match; interrupted, it resumes when run again."""
    settings = _settings()
    import hashlib

    import polars as pl
    from tqdm import tqdm

    from creatormatch.dataset import InputError, validate_table, write_any
    from creatormatch.schemas import BRANDS, FILE_EXTENSIONS
    from creatormatch.shortlist import REJECT_SCHEMA, ShortlistStore, run_job

    if out.suffix.lower() not in FILE_EXTENSIONS:
        _fail(f"{out.name}: unknown file type; use one of {', '.join(FILE_EXTENSIONS)}")
    try:
        table = validate_table(brands, BRANDS)
    except InputError as exc:
        _fail(str(exc))
    ranker = _load_ranker(settings, bundle)
    rows = table.frame.drop("_row").to_dicts()
    fingerprint = hashlib.sha256(brands.read_bytes() + f"|{ranker.bundle.version}|{limit}|{max_per_creator}".encode())
    progress_path = out.with_name(f"{out.name}.progress.sqlite")
    store = ShortlistStore(progress_path)
    job = store.job("cli")
    if job is not None and job["fingerprint"] == fingerprint.hexdigest():
        typer.echo(f"resuming: {job['done'] + job['rejected']} of {job['total']} brands already done")
    else:
        if job is not None:
            typer.echo("brands, bundle or options changed since the interrupted run; starting over")
            store.delete("cli")
        store.create("cli", rows, limit, max_per_creator, fingerprint.hexdigest())
    already = len(store.finished_positions("cli"))
    bar = tqdm(total=len(rows), initial=already, desc="shortlists", unit="brand", disable=not sys.stderr.isatty())
    signal.signal(signal.SIGTERM, _terminate)
    try:
        summary = run_job(store, "cli", ranker, batch_size=batch_size, progress=bar.update)
    except KeyboardInterrupt:
        bar.close()
        done = len(store.finished_positions("cli"))
        store.close()
        _fail(f"interrupted after {done} of {len(rows)} brands; run the same command again to resume "
              f"(progress is in {progress_path})", code=130)
    bar.close()
    results = store.results("cli")
    rejected = pl.concat([
        table.rejects.select(pl.col("id").alias("brand_id"), pl.col("row").alias("position"),
                             pl.format("{}: {}", pl.col("field"), pl.col("reason")).alias("reason")),
        store.rejects("cli").with_columns(pl.col("position") + 1),
    ]).cast(REJECT_SCHEMA)  # type: ignore[arg-type]
    rejects_path = out.with_name(f"{out.stem}.rejects.csv")
    try:
        write_any(results, out)
    except InputError as exc:
        _fail(str(exc))
    if rejected.height:
        write_any(rejected, rejects_path)
    elif rejects_path.exists():
        rejects_path.unlink()
    store.close()
    progress_path.unlink(missing_ok=True)
    for leftover in (progress_path.with_name(progress_path.name + "-wal"),
                     progress_path.with_name(progress_path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    brands_done = summary.ranked + summary.rejected
    rate = brands_done / summary.seconds if summary.seconds > 0 else 0.0
    typer.echo(f"{results.get_column('brand_id').n_unique()} brands shortlisted ({results.height} rows) into {out}; "
               f"{rejected.height} rejected" + (f" (see {rejects_path})" if rejected.height else "")
               + f"; {rate:.0f} brands/s this run")


authenticity_app = typer.Typer(no_args_is_help=True, help="The follower-level fake-account model.")
app.add_typer(authenticity_app, name="authenticity")


@authenticity_app.command("train")
def authenticity_train(
    data: Annotated[Path, typer.Option(help="Labelled accounts CSV (source, platform, account columns, is_fake).")]
    = Path("../shared/data/authenticity/accounts.csv"),
    out: Annotated[Path, typer.Option(help="Folder for follower_authenticity.json and MODEL_CARD.md.")]
    = Path("creatormatch/models"),
    base_rate: Annotated[float, typer.Option(help="Share of fakes among real followers to calibrate to.")] = 0.2,
) -> None:
    """Train the model with leave-one-source-out validation; write it with its model card."""
    _settings()
    from creatormatch.dataset import InputError
    from training.authenticity import model_card, train_follower_model

    try:
        model, results = train_follower_model(data, base_rate=base_rate)
    except (InputError, ValueError) as exc:
        _fail(str(exc))
    model.save(out / "follower_authenticity.json")
    (out / "MODEL_CARD.md").write_text(model_card(model, results))
    for r in results:
        typer.echo(f"{r.source:<18} {r.platform:<9} ROC-AUC {r.roc_auc:.3f}  recall {r.recall:.3f}  "
                   f"FPR {r.false_positive_rate:.3f}  precision at base rate {r.precision_at_base_rate:.3f}")
    typer.echo(f"wrote {out / 'follower_authenticity.json'} and {out / 'MODEL_CARD.md'}")


@authenticity_app.command("score")
def authenticity_score(
    input: Annotated[Path, typer.Option("--input", help="Account rows (CSV, JSONL or Parquet).")],
    out: Annotated[Path, typer.Option(help="Output file; its extension picks the format (.csv, .jsonl, .parquet).")],
) -> None:
    """Add a fake_probability column to account rows (extra columns are kept)."""
    _settings()
    import polars as pl

    from creatormatch.dataset import InputError, read_any, write_any
    from creatormatch.follower_model import ACCOUNT_COLUMNS, FollowerModel, FollowerModelError, account_features
    from creatormatch.follower_model import usable_columns as usable

    try:
        accounts = read_any(input)
        if not usable(accounts):
            _fail(f"{input.name}: no usable account column; expected any of {', '.join(ACCOUNT_COLUMNS)}")
        model = FollowerModel.load()
        probability = model.fake_probability(account_features(accounts))
        scored = accounts.with_columns(pl.Series("fake_probability", probability))
        write_any(scored, out)
    except (InputError, FollowerModelError) as exc:
        _fail(str(exc))
    typer.echo(f"scored {scored.height} accounts into {out}")


import_app = typer.Typer(no_args_is_help=True, help="Turn real platform exports into the data contract.")
app.add_typer(import_app, name="import")


@import_app.command("youtube")
def import_youtube_command(
    inputs: Annotated[list[Path], typer.Option("--input", help="A trending CSV (either Kaggle layout) or YouTube "
                                               "Data API JSON (videos, channels, search; object, array or JSONL); "
                                               "repeat for several files.")],
    out: Annotated[Path, typer.Option(help="Folder for creators.parquet, posts.parquet, labels.parquet, "
                                      "import_rejects.csv and import_report.json; replaced as a whole.")],
    categories: Annotated[Path | None, typer.Option(help="Category id -> title JSON for labels.parquet. Default: "
                                                    "categories.json beside the first input.")] = None,
) -> None:
    """Import YouTube exports into a data folder that `creatormatch build --data` reads."""
    _settings()
    from creatormatch.dataset import InputError
    from training.importers import importer_for

    try:
        result = importer_for("youtube")(inputs, out, categories=categories)
    except InputError as exc:
        _fail(str(exc))
    typer.echo(f"imported {result.creators} creators and {result.posts} videos into {out} "
               f"({result.duplicates_merged} duplicate rows merged); {result.rejected} rejected "
               f"(see {result.rejects_path})")


def _debug_wanted() -> bool:
    if _RUN.debug:
        return True
    try:
        return get_settings().debug
    except ValueError:  # invalid settings: not worth a second error on top of the first
        return False


def _command_names() -> dict[str, str]:
    """Command name ("build", "authenticity train") of each command function in this module."""
    names: dict[str, str] = {}

    def collect(group: typer.Typer, prefix: str) -> None:
        for command in group.registered_commands:
            if command.callback is not None:
                function = command.callback.__name__
                names[function] = prefix + (command.name or function.lower().replace("_", "-"))
        for sub in group.registered_groups:
            if sub.typer_instance is not None and isinstance(sub.name, str):
                collect(sub.typer_instance, f"{prefix}{sub.name} ")

    collect(app, "")
    return names


def _describe_internal_error(exc: BaseException) -> str:
    """One line for an unexpected error: the command, the exception and the innermost frame of project code.

    Args:
        exc: the exception, with its traceback.

    Returns:
        Such as "internal error in build: ValueError: bad value (at creatormatch/features.py:123)".
    """
    frames = traceback.extract_tb(exc.__traceback__)
    here = Path(__file__).resolve()
    names = _command_names()
    command = next((names[f.name] for f in reversed(frames)
                    if f.name in names and Path(f.filename).resolve() == here), None)
    where = None
    for frame in reversed(frames):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(PROJECT_ROOT) and path.relative_to(PROJECT_ROOT).parts[0] in PROJECT_PACKAGES:
            where = f"{path.relative_to(PROJECT_ROOT).as_posix()}:{frame.lineno}"
            break
    message = str(exc).strip().splitlines()
    what = type(exc).__name__ + (f": {message[0]}" if message else "")
    return (f"internal error in {command}" if command else "internal error") + f": {what}" + \
        (f" (at {where})" if where else "")


def main() -> None:
    """Entry point of the `creatormatch` command: exit 0 ok, 1 internal error, 2 bad input, 130 interrupted."""
    _RUN.debug = False
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("error: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        debug = _debug_wanted()
        if debug:
            typer.echo("".join(traceback.format_exception(exc)), err=True, nl=False)
        typer.echo(f"error: {_describe_internal_error(exc)}", err=True)
        if not debug:
            typer.echo(DEBUG_HINT, err=True)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
