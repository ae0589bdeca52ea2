"""Commands that ask a bundle: match a brief, search keywords, evaluate, shortlist a file of brands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import (
    EXIT_INTERRUPTED,
    EngineName,
    fail,
    interrupt_on_sigterm,
    load_ranker,
    load_settings,
    open_engine,
    show_progress,
)

if TYPE_CHECKING:
    from creatormatch.api_models import CreatorResult, MatchRequest
    from creatormatch.config import Settings

app = typer.Typer()

BUNDLE_HELP = "Bundle folder. Default: CREATORMATCH_BUNDLE_PATH (indexes/current)."


def _who(result: CreatorResult) -> str:
    """@handle, or the creator id where the data gives no handle."""
    return f"@{result.handle}" if result.handle else result.creator_id


def _reach_text(result: CreatorResult) -> str:
    if result.followers is not None:
        return f"{result.followers:,} followers"
    if result.reach is not None:
        return f"{result.reach:,} median views"
    return "reach unknown"


def _match_request(brief: str | None, brief_file: Path | None, filters: str | None, limit: int,
                   diversity: float) -> MatchRequest:
    """The /match request the options describe, or exit 2 naming what is wrong with them."""
    from pydantic import ValidationError

    from creatormatch.api_models import MatchRequest, describe_errors

    body: dict[str, object] = {}
    try:
        if brief_file is not None:
            loaded = json.loads(brief_file.read_text(encoding="utf-8"))
            body = loaded if isinstance(loaded, dict) and "brief" in loaded else {"brief": loaded}
        if brief is not None:
            given = body.get("brief")
            given = {} if given is None else given
            if not isinstance(given, dict):
                kinds = {str: "a string", list: "an array", bool: "a boolean", int: "a number", float: "a number"}
                fail(f"{brief_file}: the brief should be a JSON object (its fields), found "
                     f"{kinds.get(type(given), 'another value')}")
            body["brief"] = {**given, "text": brief}
        if "brief" not in body:
            fail("give a brief with --brief TEXT or --brief-file FILE.json")
        if filters is not None:
            body["filters"] = json.loads(filters)
        body.setdefault("limit", limit)
        body.setdefault("diversity", diversity)
        return MatchRequest.model_validate(body)
    except UnicodeDecodeError as exc:
        fail(f"{brief_file}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})")
    except (OSError, json.JSONDecodeError) as exc:
        fail(f"cannot read the brief or filters: {exc}")
    except ValidationError as exc:
        fail(describe_errors(exc))


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
    bundle: Annotated[Path | None, typer.Option(help=BUNDLE_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the /match response body as JSON.")] = False,
) -> None:
    """Rank creators for a brief without a server; --json prints exactly what POST /match returns."""
    settings = load_settings()
    request = _match_request(brief, brief_file, filters, limit, diversity)
    response = load_ranker(settings, bundle).match(request)
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    typer.echo(f"{response.total_candidates} creators with text pass the filters; bundle {response.bundle_version}")
    for rank, result in enumerate(response.results, start=request.offset + 1):
        typer.echo(f"{rank:>3}. {result.score:.3f}  {_who(result)} ({result.platform}, {_reach_text(result)}, "
                   f"{result.tier or 'tier unknown'})")
        for reason in result.reasons:
            typer.echo(f"       - {reason}")


@app.command()
def search(
    query: Annotated[str, typer.Option(help="Keywords, #hashtags or a phrase.")],
    filters: Annotated[str | None, typer.Option(help="Filters as JSON, as for match.")] = None,
    limit: Annotated[int, typer.Option(help="Creators to return (1-100).")] = 20,
    bundle: Annotated[Path | None, typer.Option(help=BUNDLE_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the GET /search response body as JSON.")] = False,
) -> None:
    """Hybrid keyword search without a server; --json prints exactly what GET /search returns."""
    settings = load_settings()
    from pydantic import ValidationError

    from creatormatch.api_models import SearchRequest, describe_errors

    try:
        request = SearchRequest.model_validate({"q": query, "filters": json.loads(filters) if filters else {},
                                                "limit": limit})
    except json.JSONDecodeError as exc:
        fail(f"cannot read --filters: {exc}")
    except ValidationError as exc:
        fail(describe_errors(exc))
    try:
        response = load_ranker(settings, bundle).search(request)
    except LookupError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    facets = "; ".join(f"{name}: " + ", ".join(f"{k} {v}" for k, v in list(counts.items())[:6])
                       for name, counts in response.facets.items())
    uses = "1 creator uses" if response.keyword_matches == 1 else f"{response.keyword_matches:,} creators use"
    typer.echo(f"{uses} these words; {response.total_candidates:,} ranked by meaning and words"
               + (f" ({facets})" if facets else ""))
    for rank, result in enumerate(response.results, start=1):
        terms = sorted({t for e in result.evidence for t in e.matched_terms})
        typer.echo(f"{rank:>3}. {result.score:.3f}  {_who(result)} ({result.platform}, {_reach_text(result)}, "
                   f"{result.tier or 'tier unknown'})" + (f"  matched: {', '.join(terms)}" if terms else ""))


@app.command()
def evaluate(
    data: Annotated[Path | None, typer.Option(help="Sample folder with labels.parquet and brand_labels.parquet.")]
    = None,
    bundle: Annotated[Path | None, typer.Option(help="Bundle built from that folder. Default: "
                                                "CREATORMATCH_BUNDLE_PATH.")] = None,
    limit: Annotated[int, typer.Option(help="Shortlist length judged.")] = 10,
    real: Annotated[Path | None, typer.Option(help="Real labelled data: raw YouTube exports (imported first) or a "
                                              "data folder with a labels file (labels.parquet, .csv or .jsonl). "
                                              "Builds a bundle and compares with a plain-embedding baseline.")] = None,
    queries: Annotated[list[Path] | None, typer.Option(help="Queries for --real (JSONL: kind search|match, q or "
                                                       "brief, relevant labels). Give it more than once to pool "
                                                       "several files; each is also reported apart.")] = None,
    work: Annotated[Path | None, typer.Option(help="Folder for --real's imported data and bundle "
                                              "(default: a temporary folder).")] = None,
) -> None:
    """Judge search, /match and authenticity: on a sample's ground truth, or on real labelled creators (--real)."""
    settings = load_settings()
    from creatormatch.dataset import InputError
    from training.evaluate import evaluate_sample

    if real is not None:
        _evaluate_real(settings, real, queries, work)
        return
    if data is None:
        fail("give --data SAMPLE_DIR (a sample's ground truth) or --real DIR --queries FILE (real labelled data)")
    try:
        quality = evaluate_sample(load_ranker(settings, bundle), data, limit=limit)
    except InputError as exc:
        fail(str(exc))
    for line in quality.lines():
        typer.echo(line)


def _evaluate_real(settings: Settings, real: Path, queries: list[Path] | None, work: Path | None) -> None:
    from creatormatch.dataset import InputError
    from creatormatch.encoder import EncoderError
    from training.evaluate_real import evaluate_real_folder

    if not queries:
        fail("--real needs --queries FILE (JSONL; see benchmarks/real/youtube_queries.jsonl)")
    try:
        run = evaluate_real_folder(real, queries, settings, work=work, progress=show_progress())
    except (InputError, EncoderError) as exc:
        fail(str(exc))
    if run.imported is not None:
        typer.echo(f"imported {run.imported.creators} creators, {run.imported.posts} videos "
                   f"({run.imported.rejected} rows rejected)")
    for line in run.quality.lines():
        typer.echo(line)


@app.command()
def shortlist(
    brands: Annotated[Path, typer.Option(help="Brands file in the data contract (CSV, JSONL or Parquet).")],
    out: Annotated[Path, typer.Option(help="Output file, one row per (brand, creator); .parquet, .csv or .jsonl.")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="Creators per brand.")] = 20,
    max_per_creator: Annotated[int | None, typer.Option(min=1, help="Put no creator in more than this many "
                                                        "shortlists (brands earlier in the file come first).")]
    = None,
    bundle: Annotated[Path | None, typer.Option(help=BUNDLE_HELP)] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Brands embedded per encoder call.")] = 32,
    engine: Annotated[EngineName, typer.Option(help="Where brands are ranked: local (this process) or ray (actors "
                                               "on a Ray cluster; needs the ray extra). The shortlists are the "
                                               "same.")] = EngineName.local,
    address: Annotated[str | None, typer.Option(help="With --engine ray: the cluster (auto, HOST:PORT or "
                                                "ray://HOST:10001). Default: a local Ray started for the run.")]
    = None,
) -> None:
    """Shortlists for every brand in a file, ranked like POST /match; interrupted, it resumes when run again."""
    settings = load_settings()
    from creatormatch.dataset import InputError
    from creatormatch.encoder import EncoderError
    from creatormatch.manifest import BundleError
    from creatormatch.ranking import Ranker
    from creatormatch.shortlist import BrandRanker, ShortlistInterrupted, run_shortlist_file

    runner = open_engine(engine, address, settings)
    ranker: Ranker | BrandRanker
    on_ray = None
    # Errors a worker can raise mid-run (a model or bundle it cannot load, a worker that died): one line each.
    worker_errors: tuple[type[Exception], ...] = (InputError,)
    try:
        interrupt_on_sigterm()
        if engine is EngineName.ray:
            from training.engine_ray import EngineError, RayBrandRanker, RayEngine

            assert isinstance(runner, RayEngine)
            worker_errors = (InputError, BundleError, EncoderError, EngineError)
            ranker = on_ray = RayBrandRanker(runner, bundle or settings.bundle_path, settings)
        else:
            ranker = load_ranker(settings, bundle)
        result = run_shortlist_file(brands, out, ranker, limit=limit, max_per_creator=max_per_creator,
                                    batch_size=batch_size, progress=show_progress())
    except worker_errors as exc:
        fail(str(exc))
    except ShortlistInterrupted as stopped:
        fail(f"interrupted after {stopped.done} of {stopped.total} brands; run the same command again to resume "
             f"(progress is in {stopped.progress_path})", code=EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        # Before the ranking started, or once it was done (while the output was written): either way nothing
        # ranked is lost, and running the command again picks up from the progress file.
        fail("interrupted; run the same command again to resume (brands already ranked are kept)",
             code=EXIT_INTERRUPTED)
    finally:
        try:
            if on_ray is not None:
                on_ray.close()
        finally:
            runner.close()
    if result.started_over:
        typer.echo("brands, bundle or options changed since the interrupted run; started over")
    if result.resumed_from:
        typer.echo(f"resumed: {result.resumed_from} of {result.total} brands were already done")
    typer.echo(f"{result.brands_shortlisted} brands shortlisted ({result.rows} rows) into {out}; "
               f"{result.rejected} rejected" + (f" (see {result.rejects_path})" if result.rejects_path else "")
               + f"; {result.brands_per_second:.0f} brands/s this run")
