"""Retrieval: query vectors (the one encoding path, with its cache), dense candidates and BM25 hits."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from creatormatch.api_models import Brief
from creatormatch.bundle import LoadedBundle
from creatormatch.encoder import Encoder
from creatormatch.index import is_approximate, search
from creatormatch.lexical import lexical_scores
from creatormatch.text import brief_fields

FloatArray = npt.NDArray[np.float32]
Rows = npt.NDArray[np.int64]
Fields = list[tuple[str, float]]  # texts embedded one by one, with their weights in the query vector


class QueryEncoder:
    """Turns briefs and plain text queries into unit query vectors, keeping recent text vectors in an LRU cache.

    A query's vector is the normalised weighted sum of its fields' vectors (text.brief_fields); a plain text
    query (a search, a keyword) is a brief with only free text. Safe to share between threads.
    """

    def __init__(self, encoder: Encoder, dimension: int, cache_size: int = 0) -> None:
        """Args:
            encoder: the sentence encoder.
            dimension: length of the query vectors (the bundle's).
            cache_size: text vectors kept (least recently used dropped); 0 turns the cache off.
        """
        if cache_size < 0:
            raise ValueError(f"query cache size must be >= 0, got {cache_size}")
        self.encoder = encoder
        self.dimension = dimension
        self.cache_size = cache_size
        self._cache: OrderedDict[str, FloatArray] = OrderedDict()
        self._lock = threading.Lock()

    def encode_briefs(self, briefs: Sequence[Brief]) -> FloatArray:
        """Query vectors of several briefs in one encoder call (cached texts are not encoded again)."""
        return self._encode([brief_fields(**b.model_dump()) for b in briefs])

    def start_briefs(self, briefs: Sequence[Brief]) -> Callable[[], FloatArray]:
        """encode_briefs, started now and finished by the function returned: with an encoder that encodes on a
        thread of its own (the service's BatchingEncoder), the caller works meanwhile; with others, the
        encoding happens when the function is called."""
        return self._start([brief_fields(**b.model_dump()) for b in briefs])

    def encode_text(self, text: str) -> FloatArray:
        """The query vector of a plain text query, exactly as for a brief holding only that free text."""
        vector: FloatArray = self._encode([brief_fields(text=text)])[0]
        return vector

    def _encode(self, queries: Sequence[Fields]) -> FloatArray:
        return self._start(queries)()

    def _start(self, queries: Sequence[Fields]) -> Callable[[], FloatArray]:
        texts = list(dict.fromkeys(t for fields in queries for t, _ in fields))
        found = self._cached(texts)
        missing = [t for t in texts if t not in found]
        submit = getattr(self.encoder, "submit", None)
        pending = submit(missing) if missing and submit is not None else None

        def finish() -> FloatArray:
            if missing:
                vectors = pending() if pending is not None else self.encoder.encode(missing)
                found.update(zip(missing, vectors, strict=True))
                self._remember(missing, vectors)
            sums = np.zeros((len(queries), self.dimension), dtype=np.float32)
            for i, fields in enumerate(queries):
                for text, weight in fields:
                    sums[i] += np.float32(weight) * found[text]
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            unit: FloatArray = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
            return unit

        return finish

    def _cached(self, texts: Sequence[str]) -> dict[str, FloatArray]:
        found: dict[str, FloatArray] = {}
        if self.cache_size:
            with self._lock:
                for text in texts:
                    if text in self._cache:
                        self._cache.move_to_end(text)
                        found[text] = self._cache[text]
        return found

    def _remember(self, texts: Sequence[str], vectors: FloatArray) -> None:
        if not self.cache_size:
            return
        with self._lock:
            for text, vector in zip(texts, vectors, strict=True):
                self._cache[text] = vector
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)


@dataclass
class Candidates:
    """Creators that pass the filters, ranked by semantic similarity."""

    rows: Rows
    similarity: FloatArray
    total: int


# How many more rows than wanted the index is asked for, beyond the share of rows the filters let through.
OVERFETCH = 1.5


def dense_candidates(bundle: LoadedBundle, query: FloatArray, mask: npt.NDArray[np.bool_], pool: int,
                     exact_subset_max: int) -> Candidates:
    """The `pool` most similar creators among those passing the filters.

    Small filtered subsets are searched exactly; otherwise the index is searched with an over-fetch that grows
    until enough creators pass the filters. With an approximate index, the exact search reads every allowed
    creator's vector and the index path re-ranks about OVERFETCH x pool x n / allowed of them: past
    sqrt(OVERFETCH x pool x n) allowed creators (~21,000 of a million for a pool of 300) the index is cheaper, so
    exact_subset_max is lowered to that. (Measured at 300,000 creators: the same top 10 for every brief that
    changed path, p50 41 -> 16 ms for them; README, "Scale".)

    Args:
        bundle: the loaded bundle.
        query: the unit query vector.
        mask: which creators pass the filters.
        pool: creators wanted.
        exact_subset_max: filtered subsets up to this size are searched exactly instead of through the index.
    """
    allowed = np.flatnonzero(mask)
    total = int(allowed.size)
    if total == 0:
        return Candidates(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), 0)
    pool = min(pool, total)
    n = mask.size
    if is_approximate(bundle.index):
        exact_subset_max = min(exact_subset_max, int(math.sqrt(OVERFETCH * pool * n)))
    if total <= exact_subset_max:
        # Past an eighth of the rows, one pass over all vectors is cheaper than gathering the allowed ones.
        vectors = bundle.vectors
        sims = (vectors @ query)[allowed] if total > n // 8 else vectors[allowed] @ query
        top = np.argpartition(-sims, pool - 1)[:pool] if pool < total else np.arange(total)
        order = top[np.argsort(-sims[top], kind="stable")]
        return Candidates(allowed[order].astype(np.int64), sims[order].astype(np.float32), total)
    fetch = min(n, max(pool * 2, int(pool * n / total * OVERFETCH)))
    while True:
        sims, ids = search(bundle.index, bundle.vectors, query[None, :], fetch, rerank=fetch)
        keep = (ids[0] >= 0) & mask[np.clip(ids[0], 0, None)]
        rows, found = ids[0][keep], sims[0][keep]
        if rows.size >= pool or fetch >= n:
            return Candidates(rows[:pool].astype(np.int64), found[:pool].astype(np.float32), total)
        fetch = min(n, fetch * 4)


def bm25(lexical: Any, tokens: list[str], mask: npt.NDArray[np.bool_]) -> FloatArray:
    """BM25 of every creator for the tokens, 0 for creators that fail the filters."""
    scores: FloatArray = np.where(mask, lexical_scores(lexical, tokens), 0.0).astype(np.float32)
    return scores


def best_lexical(scores: FloatArray, pool: int) -> Rows:
    """Rows of the `pool` best BM25 hits (score > 0), best first."""
    hits = np.flatnonzero(scores > 0)
    if hits.size > 4 * pool:  # a common word matches many creators: sort only a shortlist
        hits = np.sort(hits[np.argpartition(-scores[hits], pool - 1)[:pool]])
    best: Rows = hits[np.argsort(-scores[hits], kind="stable")][:pool]
    return best


def with_lexical_hits(vectors: FloatArray, query: FloatArray, dense: Candidates, lexical: FloatArray, pool: int
                      ) -> tuple[Rows, FloatArray]:
    """The dense candidates plus the `pool` best lexical hits they missed (scored by their own similarity)."""
    extra = np.setdiff1d(best_lexical(lexical, pool), dense.rows, assume_unique=False)
    if extra.size == 0:
        return dense.rows, dense.similarity
    extra_similarity = (vectors[extra] @ query).astype(np.float32)
    return np.concatenate([dense.rows, extra]), np.concatenate([dense.similarity, extra_similarity])
