"""Where the offline build does its heavy, parallel work: in this process (local) or on a Ray cluster (ray).

The build (training/build.py) calls an engine for the two stages that split by creator and dominate its time:
the per-creator features (posts partitioned by creator, the per-tier statistics as a second pass) and text
embedding (the texts the embedding cache does not hold yet). Everything else (vocabulary, keyword index,
vectors, FAISS index, writing the bundle) is the same code for every engine, so a bundle does not depend on
the engine that built it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import polars as pl

from creatormatch.encoder import EmbeddingCache, Encoder, Vectors, encode_cached

if TYPE_CHECKING:
    from datetime import datetime

    from creatormatch.config import Settings
    from creatormatch.dataset import Dataset


class Engine(Protocol):
    """The build's parallel stages."""

    name: str

    def features(self, creators: pl.DataFrame, posts: pl.DataFrame, dataset: Dataset,
                 settings: Settings, as_of: datetime | None = None) -> pl.DataFrame:
        """training.build.creator_features: every creator's features, in bundle order (recency measured from
        as_of; default default_as_of(posts))."""
        ...

    def encode(self, encoder: Encoder, texts: Sequence[str], cache: EmbeddingCache | None,
               progress: Callable[[int], None] | None = None) -> tuple[Vectors, int]:
        """creatormatch.encoder.encode_cached: the vectors of texts in order, and how many were encoded."""
        ...

    def close(self) -> None:
        """Release what the engine holds (a local Ray it started)."""
        ...


class LocalEngine:
    """Everything in this process: the default."""

    name = "local"

    def features(self, creators: pl.DataFrame, posts: pl.DataFrame, dataset: Dataset,
                 settings: Settings, as_of: datetime | None = None) -> pl.DataFrame:
        from training.build import creator_features

        return creator_features(creators, posts, dataset, settings, as_of)

    def encode(self, encoder: Encoder, texts: Sequence[str], cache: EmbeddingCache | None,
               progress: Callable[[int], None] | None = None) -> tuple[Vectors, int]:
        return encode_cached(encoder, texts, cache, progress=progress)

    def close(self) -> None:
        pass
