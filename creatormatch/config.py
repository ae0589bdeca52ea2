"""Typed settings, read from CREATORMATCH_* environment variables in this one place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

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
    batch_size: int = Field(default=64, description="Texts per encoder batch.")
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
    ivf_nprobe: int = Field(default=32, description="IVF lists searched per query when the index is IVF.")
    vocab_max_terms: int = Field(default=100_000, description="Most frequent caption terms that get embedded.")
    vocab_min_df: int = Field(default=2, description="A term must appear in this many posts to be embedded.")
    creator_doc_chars: int = Field(
        default=600, description="Longest creator document embedded (name, bio, topics, newest posts' text), in "
        "characters; longer costs build time (the encoder's cost grows with length).")
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
    workers: int = Field(default=1, ge=1, le=64,
                         description="Service worker processes, each with the bundle in memory (stateless replicas).")
    encoder_threads: int = Field(default=0, ge=0, le=256,
                                 description="Torch threads per process for encoding; 0 = torch's default "
                                 "(all cores). With several workers, 1 each avoids oversubscription.")
    jobs_path: Path = Field(default=Path("var/jobs.sqlite"),
                            description="SQLite file keeping shortlist jobs and their results across restarts.")
    max_brands_per_job: int = Field(default=1000, ge=1, description="Most brands one POST /shortlists may hold.")
    bundle_path: Path = Field(default=Path("indexes/current"), description="Bundle the service loads.")
    host: str = Field(default="127.0.0.1", description="Address the service listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the service listens on.")
    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated API keys; when set, every route but /healthz and /readyz needs one.",
    )

    @field_validator("api_keys", mode="before")
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
