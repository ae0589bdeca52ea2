"""The FAISS index over creator vectors: exact while cheap, IVF-PQ re-ranked exactly beyond, recall measured."""

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
RECALL_TARGET = 0.95
# Rows an approximate index proposes per query before exact re-ranking, at least: /match fetches twice its
# candidate pool (300), so recall is measured at the depth the service searches.
RERANK = 600
# IVF training vectors per list (faiss warns below 39).
TRAIN_PER_LIST = 64
# Fewest rows an IVF index is built for, whatever exact_search_max_rows says: its PQ codes train 256 centroids on
# the rows left after the recall queries, and k-means fails with fewer training points than centroids.
IVF_MIN_ROWS = 1_000
_ADD_CHUNK = 100_000


@dataclass(frozen=True)
class IndexInfo:
    """What the manifest records about the index."""

    factory: str
    metric: str
    nprobe: int | None
    recall_at_10: float
    recall_queries: int


def choose_factory(n_rows: int, exact_max_rows: int, dim: int = 384) -> str:
    """The FAISS factory string for n_rows vectors of dim dimensions.

    Exact inner product (Flat) up to exact_max_rows, and always below IVF_MIN_ROWS. Beyond, IVF with about
    2 * sqrt(n) lists (a few hundred to a thousand vectors each; training k-means costs lists x 64 samples) over
    product-quantised codes of dim / 4 bytes, so the index held in memory is ~100 bytes a creator instead of
    4 * dim: candidates are re-ranked exactly from the memory-mapped vectors (search), which gives back what the
    codes lose.
    """
    if n_rows <= max(exact_max_rows, IVF_MIN_ROWS - 1):
        return "Flat"
    lists = max(1, min(65_536, int(2 * math.sqrt(n_rows))))
    return f"IVF{lists},PQ{pq_subquantizers(dim)}"


def pq_subquantizers(dim: int) -> int:
    """Sub-quantisers for a PQ code of about dim / 4 bytes: the largest divisor of dim not above dim / 4."""
    target = max(1, dim // 4)
    return next(m for m in range(target, 0, -1) if dim % m == 0)


def set_nprobe(index: faiss.Index, nprobe: int) -> None:
    """Set nprobe on an IVF index through ParameterSpace (no downcast whose owner could be collected)."""
    import faiss

    if "IVF" in type(index).__name__ or hasattr(index, "nprobe"):
        faiss.ParameterSpace().set_index_parameter(index, "nprobe", nprobe)


def is_approximate(index: Any) -> bool:
    """Whether the index holds compressed codes whose scores must be re-ranked exactly (see search)."""
    return int(getattr(index, "ntotal", 0)) > 0 and "IVF" in type(index).__name__


def search(index: Any, vectors: Vectors, queries: Vectors, k: int, rerank: int = RERANK) -> tuple[Vectors, Any]:
    """The k best rows for each query: exact scores, best first (-1 and -inf pad a short answer).

    An approximate index proposes max(k, rerank) rows from its compressed codes; their exact inner products with
    the query are read from `vectors` (memory-mapped: only those rows are touched) and decide the order.

    Args:
        index: the FAISS index over vectors.
        vectors: the creator vectors the index was built from, row for row.
        queries: queries x dim unit vectors.
        k: rows wanted per query.
        rerank: rows proposed per query by an approximate index.

    Returns:
        Scores (queries x k, float32) and rows (queries x k, int64).
    """
    if not is_approximate(index):
        scores, rows = index.search(queries, k)
        return scores, rows
    _, proposed = index.search(queries, max(k, rerank))
    out_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    out_rows = np.full((len(queries), k), -1, dtype=np.int64)
    for i, (query, found) in enumerate(zip(queries, proposed, strict=True)):
        found = found[found >= 0]
        if found.size == 0:
            continue
        ordered = np.sort(found)  # ascending rows: sequential reads from the memory-mapped file
        exact = np.asarray(vectors[ordered] @ query, dtype=np.float32)
        best = np.argsort(-exact, kind="stable")[:k]
        out_scores[i, :best.size] = exact[best]
        out_rows[i, :best.size] = ordered[best]
    return out_scores, out_rows


def build_index(vectors: Vectors, exact_max_rows: int, nprobe: int, seed: int = 0,
                recall_target: float = RECALL_TARGET) -> tuple[Any, IndexInfo]:
    """Build the index over unit vectors and measure its recall@10 against exact search.

    For an IVF index, nprobe starts at the given value and doubles until recall@10 on held-out queries reaches
    recall_target (or every list is searched); the manifest records the nprobe chosen.

    Args:
        vectors: creators x dim, unit length, float32.
        exact_max_rows: largest row count searched exactly.
        nprobe: IVF lists searched per query, at least.
        seed: for the recall query sample and IVF training.
        recall_target: recall@10 an IVF index must reach.

    Returns:
        The index and its description.
    """
    import faiss

    n_rows, dim = vectors.shape
    factory = choose_factory(n_rows, exact_max_rows, dim)
    index = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(seed)
    # Queries come from creators the IVF training never saw.
    query_rows = rng.choice(n_rows, size=min(RECALL_QUERIES, n_rows), replace=False)
    if not index.is_trained:
        lists = int(getattr(faiss.extract_index_ivf(index), "nlist", 1))
        pool = np.setdiff1d(np.arange(n_rows), query_rows)
        size = min(pool.size, max(TRAIN_PER_LIST * lists, 10_000))
        index.train(np.ascontiguousarray(vectors[np.sort(rng.choice(pool, size=size, replace=False))]))
    for start in range(0, n_rows, _ADD_CHUNK):  # chunks: a memory-mapped array is never copied whole
        index.add(np.ascontiguousarray(vectors[start:start + _ADD_CHUNK]))
    if not factory.startswith("IVF"):
        info = IndexInfo(factory=factory, metric="inner_product", nprobe=None, recall_at_10=1.0, recall_queries=0)
        return index, info
    lists = int(faiss.extract_index_ivf(index).nlist)
    nprobe = min(nprobe, lists)
    queries = _perturbed(vectors, query_rows, seed)
    truth = _exact_top(vectors, queries, min(RECALL_K, n_rows))
    while True:
        set_nprobe(index, nprobe)
        recall = _recall(index, vectors, queries, truth)
        logger.info("index %s: nprobe %d, recall@10 %.3f", factory, nprobe, recall)
        if recall >= recall_target or nprobe >= lists:
            break
        nprobe = min(lists, nprobe * 2)
    info = IndexInfo(factory=factory, metric="inner_product", nprobe=nprobe, recall_at_10=recall,
                     recall_queries=len(query_rows))
    return index, info


def measure_recall(index: Any, vectors: Vectors, seed: int = 0) -> tuple[float, int]:
    """recall@10 of index (re-ranked as `search` does) against exact search, for perturbed creator vectors.

    Returns:
        The mean share of the exact top 10 that the index returns, and the number of queries.
    """
    rng = np.random.default_rng(seed)
    n_rows = vectors.shape[0]
    rows = rng.choice(n_rows, size=min(RECALL_QUERIES, n_rows), replace=False)
    queries = _perturbed(vectors, rows, seed)
    return _recall(index, vectors, queries, _exact_top(vectors, queries, min(RECALL_K, n_rows))), len(rows)


def _perturbed(vectors: Vectors, rows: npt.NDArray[np.int64], seed: int) -> Vectors:
    """The vectors at rows, perturbed and renormalised: a query near a creator, as a brief never equals one."""
    rng = np.random.default_rng(seed + 1)
    queries = np.asarray(vectors[np.sort(rows)], dtype=np.float32)
    queries = queries + rng.normal(0, 0.05, size=queries.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    return queries


def _exact_top(vectors: Vectors, queries: Vectors, k: int) -> npt.NDArray[np.int64]:
    """Rows of the exact top k per query, scanning the vectors in chunks."""
    best_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_rows = np.full((len(queries), k), -1, dtype=np.int64)
    for start in range(0, vectors.shape[0], _ADD_CHUNK):
        block = np.asarray(vectors[start:start + _ADD_CHUNK], dtype=np.float32)
        scores = np.concatenate([best_scores, queries @ block.T], axis=1)
        rows = np.concatenate([best_rows, np.broadcast_to(np.arange(start, start + len(block)),
                                                          (len(queries), len(block)))], axis=1)
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        best_scores = np.take_along_axis(scores, top, axis=1)
        best_rows = np.take_along_axis(rows, top, axis=1)
    return best_rows


def _recall(index: Any, vectors: Vectors, queries: Vectors, truth: npt.NDArray[np.int64]) -> float:
    k = truth.shape[1]
    _, found = search(index, vectors, queries, k)
    hits = sum(len(set(t.tolist()) & set(f.tolist())) for t, f in zip(truth, found, strict=True))
    return hits / truth.size


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
