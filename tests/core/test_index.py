"""Index choice by size, and recall of the approximate index measured against exact search."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from creatormatch.index import build_index, choose_factory, read_index, write_index


def clustered(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(20, dim))
    vectors = centres[rng.integers(0, 20, n)] + rng.normal(scale=0.6, size=(n, dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)


def test_factory_by_size() -> None:
    assert choose_factory(1000, exact_max_rows=5000) == "Flat"
    assert choose_factory(250_000_000, exact_max_rows=200_000) == "IVF63245,Flat"
    assert choose_factory(10_000, exact_max_rows=5000) == "IVF400,Flat"


def test_exact_index_finds_the_nearest(tmp_path: Path) -> None:
    vectors = clustered(500)
    index, info = build_index(vectors, exact_max_rows=1000, nprobe=8)
    assert info.factory == "Flat" and info.recall_at_10 == 1.0
    _, ids = index.search(vectors[:5], 1)
    assert ids.ravel().tolist() == [0, 1, 2, 3, 4]
    write_index(index, tmp_path / "i.faiss")
    assert read_index(tmp_path / "i.faiss", None).ntotal == 500


def test_ivf_recall_is_measured_and_grows_with_nprobe(tmp_path: Path) -> None:
    vectors = clustered(6000)
    _, low = build_index(vectors, exact_max_rows=1000, nprobe=1)
    index, high = build_index(vectors, exact_max_rows=1000, nprobe=64)
    assert high.factory.startswith("IVF") and high.recall_queries == 500
    assert low.recall_at_10 < high.recall_at_10
    assert high.recall_at_10 > 0.9
    write_index(index, tmp_path / "i.faiss")
    reread = read_index(tmp_path / "i.faiss", 64)
    _, a = index.search(vectors[:20], 10)
    _, b = reread.search(vectors[:20], 10)
    assert (a == b).all()
