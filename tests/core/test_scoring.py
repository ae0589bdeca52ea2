"""Diversity (MMR) re-orders a bounded pool: deep pages cannot make a request build a huge similarity matrix."""

from __future__ import annotations

import numpy as np

from creatormatch.ranking.scoring import MMR_MAX_POOL, mmr_order


def test_diversity_reorders_at_most_the_best_pool_and_keeps_score_order_beyond_it() -> None:
    rng = np.random.default_rng(3)
    n = 3300  # what offset 1000 + limit 100 asks for: 3 x 1100 candidates
    vectors = rng.normal(size=(n, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    score = rng.random(n).astype(np.float32)
    rows = np.arange(n)
    order = mmr_order(score, vectors, rows, diversity=0.7, wanted=1100)
    by_score = [int(i) for i in np.argsort(-score, kind="stable")]
    assert sorted(order) == list(range(n))  # every candidate once
    assert set(order[:MMR_MAX_POOL]) == set(by_score[:MMR_MAX_POOL])  # MMR only among the best 500 ...
    assert order[:MMR_MAX_POOL] != by_score[:MMR_MAX_POOL]  # ... which it does re-order ...
    assert order[MMR_MAX_POOL:] == by_score[MMR_MAX_POOL:]  # ... and the rest keep their score order


def test_without_diversity_the_order_is_the_score_order() -> None:
    score = np.array([0.2, 0.9, 0.5], dtype=np.float32)
    vectors = np.eye(3, dtype=np.float32)
    assert mmr_order(score, vectors, np.arange(3), diversity=0.0, wanted=3) == [1, 2, 0]
