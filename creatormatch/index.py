"""The FAISS index over creator vectors: exact while cheap, IVF beyond, recall measured against exact."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import faiss

logger = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
RECALL_QUERIES = 500
RECALL_K = 10


@dataclass(frozen=True)
class IndexInfo:
    """What the manifest records about the index."""

    factory: str
    metric: str
    nprobe: int | None
    recall_at_10: float
    recall_queries: int


def choose_factory(n_rows: int, exact_max_rows: int) -> str:
    """The FAISS factory string for n_rows vectors.

    Exact inner product (Flat) up to exact_max_rows; beyond, IVF with about 4 * sqrt(n) lists, as txtai does,
    so each list holds a few hundred vectors and nprobe lists cover a small, tunable share of the data.
    """
    if n_rows <= exact_max_rows:
        return "Flat"
    lists = max(1, min(65_536, int(4 * math.sqrt(n_rows))))
    return f"IVF{lists},Flat"


def set_nprobe(index: faiss.Index, nprobe: int) -> None:
    """Set nprobe on an IVF index through ParameterSpace (no downcast whose owner could be collected)."""
    import faiss

    if "IVF" in type(index).__name__ or hasattr(index, "nprobe"):
        faiss.ParameterSpace().set_index_parameter(index, "nprobe", nprobe)


def build_index(vectors: Vectors, exact_max_rows: int, nprobe: int, seed: int = 0) -> tuple[Any, IndexInfo]:
    """Build the index over unit vectors and measure its recall@10 against exact search.

    Args:
        vectors: creators x dim, unit length, float32.
        exact_max_rows: largest row count searched exactly.
        nprobe: IVF lists searched per query.
        seed: for the recall query sample and IVF training.

    Returns:
        The index and its description.
    """
    import faiss

    n_rows, dim = vectors.shape
    factory = choose_factory(n_rows, exact_max_rows)
    index = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        rng = np.random.default_rng(seed)
        sample_size = min(n_rows, max(256 * index.nlist if hasattr(index, "nlist") else 0, 50_000))
        sample = vectors[rng.choice(n_rows, size=sample_size, replace=False)] if sample_size < n_rows else vectors
        index.train(sample)
    index.add(vectors)
    is_ivf = factory.startswith("IVF")
    if is_ivf:
        set_nprobe(index, nprobe)
    recall, n_queries = measure_recall(index, vectors, seed) if is_ivf else (1.0, 0)
    info = IndexInfo(factory=factory, metric="inner_product", nprobe=nprobe if is_ivf else None,
                     recall_at_10=recall, recall_queries=n_queries)
    logger.info("index %s over %d creators, recall@10 %.3f", factory, n_rows, recall)
    return index, info


def measure_recall(index: Any, vectors: Vectors, seed: int = 0) -> tuple[float, int]:
    """recall@10 of index against exact search, for a sample of the vectors used as queries (perturbed).

    Returns:
        The mean share of the exact top 10 that the index returns, and the number of queries.
    """
    import faiss

    rng = np.random.default_rng(seed + 1)
    n_rows, dim = vectors.shape
    n_queries = min(RECALL_QUERIES, n_rows)
    queries = vectors[rng.choice(n_rows, size=n_queries, replace=False)]
    # Perturb so a query is not trivially its own nearest neighbour, as a brief never equals a creator.
    queries = queries + rng.normal(0, 0.05, size=queries.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    exact = faiss.IndexFlatIP(dim)
    exact.add(vectors)
    k = min(RECALL_K, n_rows)
    _, truth = exact.search(queries, k)
    _, found = index.search(queries, k)
    hits = sum(len(set(t.tolist()) & set(f.tolist())) for t, f in zip(truth, found, strict=True))
    return hits / (n_queries * k), n_queries


def write_index(index: Any, path: Path) -> None:
    """Write the index to a file."""
    import faiss

    faiss.write_index(index, str(path))


def read_index(path: Path, nprobe: int | None) -> Any:
    """Read an index written by write_index and restore its search parameters."""
    import faiss

    index = faiss.read_index(str(path))
    if nprobe is not None:
        set_nprobe(index, nprobe)
    return index
