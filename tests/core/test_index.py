"""Index choice by size, exact re-ranking of an approximate index, and its recall measured against exact search."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from creatormatch.index import build_index, choose_factory, pq_subquantizers, read_index, search, write_index


def clustered(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(20, dim))
    vectors = centres[rng.integers(0, 20, n)] + rng.normal(scale=0.6, size=(n, dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)


def test_factory_by_size() -> None:
    assert choose_factory(1000, exact_max_rows=5000) == "Flat"
    assert choose_factory(250_000_000, exact_max_rows=200_000, dim=384) == "IVF31622,PQ96"
    assert choose_factory(10_000, exact_max_rows=5000, dim=32) == "IVF200,PQ8"
    # Too few rows to train an IVF index's codes, whatever the setting asks.
    assert choose_factory(999, exact_max_rows=10) == "Flat"
    assert choose_factory(1000, exact_max_rows=10).startswith("IVF")
    assert [pq_subquantizers(d) for d in (384, 768, 100, 7)] == [96, 192, 25, 1]


@pytest.mark.parametrize("rows", [300, 700, 1000])
def test_a_low_exact_search_setting_still_builds_an_index(rows: int) -> None:
    index, info = build_index(clustered(rows), exact_max_rows=10, nprobe=8)
    assert index.ntotal == rows and info.recall_at_10 >= 0.95


def test_exact_index_finds_the_nearest(tmp_path: Path) -> None:
    vectors = clustered(500)
    index, info = build_index(vectors, exact_max_rows=1000, nprobe=8)
    assert info.factory == "Flat" and info.recall_at_10 == 1.0
    _, ids = index.search(vectors[:5], 1)
    assert ids.ravel().tolist() == [0, 1, 2, 3, 4]
    write_index(index, tmp_path / "i.faiss")
    assert read_index(tmp_path / "i.faiss", None).ntotal == 500


def test_ivf_recall_is_measured_and_nprobe_grows_to_the_target(tmp_path: Path) -> None:
    vectors = clustered(6000)
    _, low = build_index(vectors, exact_max_rows=1000, nprobe=1, recall_target=0.0)
    index, high = build_index(vectors, exact_max_rows=1000, nprobe=1, recall_target=0.95)
    assert high.factory.startswith("IVF") and "PQ" in high.factory and high.recall_queries == 500
    assert low.nprobe == 1 and high.nprobe is not None and high.nprobe > 1
    assert low.recall_at_10 < high.recall_at_10
    assert high.recall_at_10 >= 0.95
    write_index(index, tmp_path / "i.faiss")
    reread = read_index(tmp_path / "i.faiss", high.nprobe)
    _, a = search(index, vectors, vectors[:20], 10)
    _, b = search(reread, vectors, vectors[:20], 10)
    assert (a == b).all()


def test_search_reranks_an_approximate_index_exactly() -> None:
    vectors = clustered(6000)
    index, info = build_index(vectors, exact_max_rows=1000, nprobe=64)
    queries = vectors[:50]
    scores, rows = search(index, vectors, queries, 10)
    # Scores are the exact inner products of the rows returned, best first; a creator finds itself first.
    exact = np.einsum("qd,qkd->qk", queries, vectors[rows])
    assert np.allclose(scores, exact, atol=1e-5)
    assert (np.diff(scores, axis=1) <= 1e-6).all()
    assert (rows[:, 0] == np.arange(50)).all()


def test_filtered_candidates_go_through_an_approximate_index_past_the_crossover(monkeypatch: pytest.MonkeyPatch
                                                                                ) -> None:
    import importlib
    from types import SimpleNamespace

    retrieval = importlib.import_module("creatormatch.ranking.retrieval")
    vectors = clustered(20000)
    index, _ = build_index(vectors, exact_max_rows=1000, nprobe=64, recall_target=0.95)
    bundle = SimpleNamespace(index=index, vectors=vectors)
    rng = np.random.default_rng(3)
    query = vectors[7]
    calls: list[int] = []
    real_search = retrieval.search

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real_search(*args, **kwargs)

    monkeypatch.setattr(retrieval, "search", counting)
    pool = 50  # the crossover is sqrt(1.5 x 50 x 20,000) = 1,224 allowed creators
    for share, through_index in ((0.03, False), (0.3, True)):
        mask = rng.random(vectors.shape[0]) < share
        calls.clear()
        got = retrieval.dense_candidates(bundle, query, mask, pool, exact_subset_max=100_000)
        assert bool(calls) is through_index, share  # a setting of 100,000 does not force the exact path
        allowed = np.flatnonzero(mask)
        exact = allowed[np.argsort(-(vectors[allowed] @ query), kind="stable")[:pool]]
        assert mask[got.rows].all() and got.total == allowed.size
        assert len(set(got.rows[:10].tolist()) & set(exact[:10].tolist())) >= 9, share  # recall@10 of the filtered
