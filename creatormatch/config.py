"""Typed settings, read from CREATORMATCH_* environment variables in this one place."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of creatormatch; each has a laptop-friendly default and is listed in the README."""

    model_config = SettingsConfigDict(env_prefix="CREATORMATCH_", extra="ignore")

    model_path: Path | None = Field(
        default=None,
        description="Folder of a sentence-transformers model; empty means the bundled all-MiniLM-L6-v2.",
    )
    model_name: str = Field(
        default="sentence-transformers/all-MiniLM-L6-v2",
        description="Name recorded in the bundle manifest for the model at model_path.",
    )
    batch_size: int = Field(default=16, description="Texts per encoder forward pass (texts are sorted by length "
                            "first); small batches pad less and stay in cache.")
    encoder_backend: Literal["auto", "onnx", "torch"] = Field(
        default="auto", description="`auto`: the model's ONNX export run with onnxruntime (made once, cached in "
        "model_cache_dir), or sentence-transformers when the model cannot be exported; `onnx`: the export or an "
        "error; `torch`: always sentence-transformers (the reference implementation).")
    model_cache_dir: Path = Field(default=Path("indexes/models"),
                                  description="Where ONNX exports of models are cached, one folder per weights hash.")
    indexes_dir: Path = Field(default=Path("indexes"), description="Where bundles are written.")
    cache_path: Path = Field(
        default=Path("indexes/cache.sqlite"),
        description="SQLite file caching embeddings by content hash, so rebuilds re-embed only changes.",
    )
    keep_bundles: int = Field(default=3, description="Built bundles kept in indexes_dir; older ones are removed.")
    exact_search_max_rows: int = Field(
        default=200_000,
        description="Up to this many creators the index is exact (Flat); beyond it an IVF index is built.",
    )
    ivf_nprobe: int = Field(default=32, description="IVF lists searched per query when the index is IVF, at least: "
                            "the build doubles it until ivf_recall_target is met and records the value.")
    ivf_recall_target: float = Field(
        default=0.95, ge=0, le=1, description="recall@10 against exact search that an IVF index must reach on "
        "held-out queries at build (nprobe grows until it does).")
    vocab_max_terms: int = Field(default=100_000, description="Most frequent caption terms that get embedded.")
    vocab_min_df: int = Field(default=2, description="A term must appear in this many posts to be embedded.")
    creator_doc_chars: int = Field(
        default=600, description="Longest creator document embedded (name, bio, topics, newest posts' text), in "
        "characters; longer costs build time (the encoder's cost grows with length).")
    creator_doc_weight: float = Field(
        default=0.8, ge=0, le=1, description="Share of the embedded creator document in the creator vector; the "
        "rest is the term-composed content and bio vector. 0 skips embedding the documents (the slowest stage "
        "of a cold build, ~35 documents a second on 2 cores), for corpora too large to embed them.")
    bio_weight: float = Field(
        default=0.3, ge=0, le=1, description="Share of the embedded bio beside the term-composed content of the "
        "posts (a creator without posts is their bio alone); 0 skips embedding bios.")
    tier_group_min_size: int = Field(
        default=30,
        description="Creators needed in a platform+tier group to rank engagement within it; "
        "smaller groups fall back to public benchmark ranges.",
    )
    recent_posts: int = Field(default=30, description="Most recent posts per creator used for engagement rate.")
    log_level: str = Field(default="INFO", description="Logging level for the command line and service.")
    debug: bool = Field(default=False, description="On an unexpected error the command line prints the full "
                        "traceback instead of one line and a hint (as `creatormatch --debug` does).")
    query_cache_size: int = Field(
        default=1024, ge=0, description="Brief vectors the service keeps (0 = off); repeated briefs skip the encoder.")
    candidate_pool: int = Field(
        default=300, ge=1, le=100_000, description="Creators scored in full per /match query (the most similar "
        "after the filters, at least 3x offset + limit), and the best BM25 hits of the brief's words that join them.")
    exact_subset_max: int = Field(
        default=100_000, ge=0, description="Filtered sets of up to this many creators are searched exactly; larger "
        "ones through the FAISS index with a growing over-fetch (0 = always the index).")
    match_lexical_weight: float = Field(
        default=0.3, ge=0, le=1, description="Share of the BM25 of the brief's own words (free text, product, "
        "keywords) in /match fit; 0 = meaning only.")
    fit_creator_share: float = Field(
        default=0.6, ge=0, le=1, description="In /match fit, weight of the creator's similarity to the brief; the "
        "rest is the mean similarity of its 3 best-matching posts.")
    search_pool: int = Field(
        default=300, ge=1, le=100_000, description="Creators taken from each of the dense and BM25 rankings before "
        "/search fuses them (at least 3x offset + limit); also the candidates of lookalikes.")
    search_fusion: Literal["weighted", "rrf"] = Field(
        default="weighted", description="How /search fuses dense and BM25: `weighted` (min-max normalised scores, "
        "weighted by search_lexical_weight) or `rrf` (reciprocal rank fusion, k = 60).")
    search_lexical_weight: float = Field(
        default=0.3, ge=0, le=1, description="Share of BM25 in /search relevance with search_fusion=weighted.")
    workers: int = Field(default=1, ge=1, le=64,
                         description="Service worker processes, each with the bundle in memory (stateless replicas).")
    encoder_threads: int = Field(default=0, ge=0, le=256,
                                 description="Encoder threads per process (onnxruntime or torch); 0 = the library "
                                 "default (all cores). With several workers, 1 each avoids oversubscription.")
    encoder_sessions: int = Field(
        default=0, ge=0, le=64, description="onnxruntime sessions the build encodes with, each run from a thread "
        "of its own on its share of the texts, with encoder_threads / sessions intra-op threads each. 0 = one per core "
        "(at most 4) with one thread each for an int8 build where encoder_threads is 0, else 1. Queries always use "
        "one session.")
    encoder_spin_wait: bool | None = Field(
        default=None, description="Let onnxruntime's threads spin between operators instead of sleeping: a little "
        "faster when encoding has the cores to itself, much slower when ranking in the same process needs them. "
        "Unset: on for the build's embedding, off where queries are ranked (serve, match, search, shortlist).")
    encoder_precision: Literal["fp32", "int8"] = Field(
        default="fp32", description="`int8`: query paths (serve, match, search, shortlist) encode with an int8 model "
        "of the ONNX export (SmoothQuant rescaling, int8 weights per channel, frozen activation scales), kept only "
        "if every text of its check set stays at cosine >= 0.99 to fp32; about 1.7-2x faster. Made by `creatormatch "
        "model export --int8` or a build with an int8 setting, never by a query path (fp32 with a log line until it "
        "exists). The build encodes as build_precision says. `fp32`: the export as it is.")
    build_precision: Literal["fp32", "int8"] = Field(
        default="fp32", description="`int8`: the build embeds bios, creator documents and terms with the int8 model "
        "(see encoder_precision; the build makes it when missing): about 1.7x as many creators a second, and on "
        "real channels search and brief quality within one or two results of fp32 (README, \"Benchmarks\"). Its "
        "vectors are cached apart from fp32 ones. `fp32`: the reference.")
    jobs_path: Path = Field(default=Path("var/jobs.sqlite"),
                            description="SQLite file keeping shortlist jobs and their results across restarts.")
    max_brands_per_job: int = Field(default=1000, ge=1, le=10_000,
                                    description="Most brands one POST /shortlists may hold.")
    job_lease_seconds: int = Field(
        default=30, ge=1, le=3600, description="How long a claimed shortlist job stays with its worker without "
        "progress; when the lease runs out (the worker died) another worker takes the job over.")
    job_ttl_seconds: int = Field(
        default=604_800, ge=0, description="Done, failed and cancelled shortlist jobs are deleted this long after "
        "they end (0 = kept forever).")
    bundle_path: Path = Field(default=Path("indexes/current"), description="Bundle the service loads.")
    host: str = Field(default="127.0.0.1", description="Address the service listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the service listens on.")
    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated API keys; when set, every route but /healthz and /readyz needs one.",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["localhost", "127.0.0.1"],
        description="Comma-separated host names the service answers to (`*` = any); another Host header gets 400, "
        "which stops DNS rebinding.")
    max_body_bytes: int = Field(default=1_048_576, ge=1024, description="Largest request body accepted (413 above).")
    rate_limit_per_minute: int = Field(
        default=0, ge=0, description="Requests a minute per API key (per client address without keys) in each "
        "worker process; 429 above it; 0 = no limit.")
    log_format: Literal["json", "text"] = Field(
        default="json", description="Service log lines: `json` (one object a line, with the request id) or `text`.")
    sample_creators: int = Field(default=5000, ge=1,
                                 description="Creators `creatormatch sample` generates when --creators is not given.")
    sample_seed: int = Field(default=7, ge=0, description="Random seed of `creatormatch sample` when --seed is not "
                             "given; the same seed writes the same files.")
    sample_dir: Path = Field(default=Path("data/sample"),
                             description="Folder `creatormatch sample` writes into when --out is not given.")

    @field_validator("api_keys", "allowed_hosts", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [k.strip() for k in value.split(",") if k.strip()]
        return value

    @field_validator("batch_size", "keep_bundles", "exact_search_max_rows", "ivf_nprobe", "vocab_max_terms",
                     "vocab_min_df", "tier_group_min_size", "recent_posts", "creator_doc_chars")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be >= 1")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return level


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()


def export_for_workers(settings: Settings, **overrides: object) -> None:
    """Hand settings to child processes through their environment (as CREATORMATCH_* variables).

    `creatormatch serve --workers N` starts worker processes that each build the app from `Settings` read from
    the environment, so choices made on the command line (the bundle, the worker count) only reach them this
    way. This is the one place besides reading the settings that touches `os.environ`. Unless encoder_threads
    was set, each worker gets one torch thread, so N workers do not oversubscribe the cores.

    Args:
        settings: the settings of this process.
        **overrides: setting name -> value for the workers, such as `bundle_path=Path("indexes/v3")`.

    Raises:
        ValueError: an unknown setting name, or a value the setting does not accept (a pydantic ValidationError).
    """
    unknown = sorted(set(overrides) - set(Settings.model_fields))
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(unknown)}")
    Settings.model_validate({**settings.model_dump(), **overrides})
    if "encoder_threads" not in overrides and "encoder_threads" not in settings.model_fields_set:
        overrides["encoder_threads"] = 1
    for name, value in overrides.items():
        variable = f"CREATORMATCH_{name.upper()}"
        if value is None:
            os.environ.pop(variable, None)
        elif isinstance(value, list | tuple):
            os.environ[variable] = ",".join(map(str, value))
        else:
            os.environ[variable] = str(value)
