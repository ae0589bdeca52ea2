"""Batch shortlists: same ranking as /match, rejects with reasons, the per-creator cap, and resuming."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from creatormatch.api_models import brand_request
from creatormatch.ranking import Ranker
from creatormatch.shortlist import ShortlistStore, run_job


@pytest.fixture(scope="module")
def brands(small_sample_dir: Path) -> list[dict[str, Any]]:
    rows = pl.read_parquet(small_sample_dir / "brands.parquet").head(12).to_dicts()
    rows.insert(3, {"brand_id": "empty", "name": None, "values": None, "product": None, "audience": None,
                    "keywords": []})
    rows.insert(7, {"brand_id": "huge", "product": "protein bars", "tiers": ["giant"]})
    return rows


def test_each_brand_gets_the_match_ranking_and_bad_brands_are_rejected(
        ranker: Ranker, brands: list[dict[str, Any]], tmp_path: Path) -> None:
    store = ShortlistStore(tmp_path / "s.sqlite")
    store.create("j", brands, limit=5, max_per_creator=None)
    summary = run_job(store, "j", ranker, batch_size=4)
    assert (summary.ranked, summary.rejected) == (12, 2)
    assert store.job("j")["status"] == "done"  # type: ignore[index]
    rejects = {r["brand_id"]: r["reason"] for r in store.rejects("j").iter_rows(named=True)}
    assert rejects["empty"].startswith("brief: Value error, brief is empty")
    assert "filters.tiers.0: Input should be 'sub_nano', 'nano'" in rejects["huge"]
    results = store.results("j")
    assert results.height == 12 * 5
    first = brands[0]
    expected = [r.creator_id for r in ranker.match(brand_request(first, limit=5)).results]
    assert results.filter(pl.col("brand_id") == first["brand_id"]).get_column("creator_id").to_list() == expected
    assert results.get_column("rank").to_list()[:5] == [1, 2, 3, 4, 5]


def test_no_creator_in_more_shortlists_than_the_cap(ranker: Ranker, brands: list[dict[str, Any]],
                                                    tmp_path: Path) -> None:
    store = ShortlistStore(tmp_path / "s.sqlite")
    same_niche = [{**brands[0], "brand_id": f"twin{i}"} for i in range(4)]
    store.create("j", same_niche, limit=5, max_per_creator=1)
    run_job(store, "j", ranker)
    counts = Counter(store.results("j").get_column("creator_id").to_list())
    assert max(counts.values()) == 1 and sum(counts.values()) == 20


def test_an_interrupted_run_resumes_where_it_stopped(ranker: Ranker, brands: list[dict[str, Any]],
                                                     tmp_path: Path) -> None:
    whole = ShortlistStore(tmp_path / "whole.sqlite")
    whole.create("j", brands, limit=5, max_per_creator=2)
    run_job(whole, "j", ranker, batch_size=3)

    store = ShortlistStore(tmp_path / "s.sqlite")
    store.create("j", brands, limit=5, max_per_creator=2)
    batches = iter(range(100))
    first = run_job(store, "j", ranker, batch_size=3, should_stop=lambda: next(batches) >= 2)  # two batches
    assert first.ranked + first.rejected == 6 and store.job("j")["status"] == "running"  # type: ignore[index]
    store.close()

    reopened = ShortlistStore(tmp_path / "s.sqlite")
    second = run_job(reopened, "j", ranker, batch_size=3)
    assert second.skipped == 6 and second.ranked + second.rejected == len(brands) - 6
    assert reopened.job("j")["status"] == "done"  # type: ignore[index]
    assert reopened.results("j").equals(whole.results("j"))
    assert reopened.rejects("j").equals(whole.rejects("j"))


def test_a_brand_that_fails_mid_batch_leaves_earlier_brands_committed(
        ranker: Ranker, brands: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ShortlistStore(tmp_path / "s.sqlite")
    store.create("j", brands[:6], limit=3, max_per_creator=None)
    real_match = ranker.match
    calls = iter(range(100))

    def flaky(request: Any, query: Any = None) -> Any:
        if next(calls) == 4:
            raise KeyboardInterrupt
        return real_match(request, query)

    monkeypatch.setattr(ranker, "match", flaky)
    with pytest.raises(KeyboardInterrupt):
        run_job(store, "j", ranker)
    monkeypatch.undo()
    assert len(store.finished_positions("j")) == 5  # four ranked and the empty brand rejected
    run_job(store, "j", ranker)
    assert store.job("j")["status"] == "done" and store.results("j").height == 5 * 3  # type: ignore[index]
