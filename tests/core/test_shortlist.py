"""Batch shortlists: same ranking as /match, rejects with reasons, the per-creator cap, and resuming."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from creatormatch.api_models import brand_request
from creatormatch.dataset import InputError
from creatormatch.ranking import Ranker
from creatormatch.shortlist import ShortlistInterrupted, ShortlistStore, run_job, run_shortlist_file


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

    def flaky(request: Any, query: Any = None, depth: int | None = None, evidence: bool = True) -> Any:
        if next(calls) == 4:
            raise KeyboardInterrupt
        return real_match(request, query, depth, evidence)

    monkeypatch.setattr(ranker, "match", flaky)
    with pytest.raises(KeyboardInterrupt):
        run_job(store, "j", ranker)
    monkeypatch.undo()
    assert len(store.finished_positions("j")) == 5  # four ranked and the empty brand rejected
    run_job(store, "j", ranker)
    assert store.job("j")["status"] == "done" and store.results("j").height == 5 * 3  # type: ignore[index]


def test_a_brands_file_becomes_shortlists_and_rejects_with_no_progress_file_left(brands_file: Callable[..., Path],
        ranker: Ranker, tmp_path: Path) -> None:
    out = tmp_path / "out" / "shortlists.csv"
    result = run_shortlist_file(brands_file(tmp_path, countries=["ZZZ"]), out, ranker, limit=4, batch_size=3)
    assert (result.brands_shortlisted, result.rows, result.rejected) == (8, 32, 2)
    assert (result.resumed_from, result.started_over) == (0, False) and result.brands_per_second > 0
    assert pl.read_csv(out).height == 32
    assert result.rejects_path == tmp_path / "out" / "shortlists.rejects.csv"
    assert pl.read_csv(result.rejects_path).get_column("brand_id").to_list() == ["nothing", "bad"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["shortlists.csv", "shortlists.rejects.csv"]


def test_an_interrupted_file_run_resumes_and_other_options_start_over(brands_file: Callable[..., Path],
        ranker: Ranker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    brands = brands_file(tmp_path, countries=["ZZZ"])
    run_shortlist_file(brands, tmp_path / "clean.parquet", ranker, limit=4, batch_size=3)
    real_encode = ranker.encode_briefs
    batches = iter(range(100))

    def ctrl_c_in_the_second_batch(requests: Any) -> Any:
        if next(batches) == 1:
            raise KeyboardInterrupt
        return real_encode(requests)

    out = tmp_path / "run.parquet"
    monkeypatch.setattr(ranker, "encode_briefs", ctrl_c_in_the_second_batch)
    with pytest.raises(ShortlistInterrupted) as stopped:
        run_shortlist_file(brands, out, ranker, limit=4, batch_size=3)
    monkeypatch.undo()
    assert (stopped.value.done, stopped.value.total) == (3, 9)
    assert stopped.value.progress_path.is_file() and not out.exists()

    resumed = run_shortlist_file(brands, out, ranker, limit=4, batch_size=3)
    assert (resumed.resumed_from, resumed.started_over) == (3, False)
    assert pl.read_parquet(out).equals(pl.read_parquet(tmp_path / "clean.parquet"))

    stale = ShortlistStore(tmp_path / "other.parquet.progress.sqlite")
    stale.create("cli", [], 4, None, "brands, bundle or options of another run")
    stale.close()
    fresh = run_shortlist_file(brands, tmp_path / "other.parquet", ranker, limit=4, batch_size=3)
    assert (fresh.resumed_from, fresh.started_over) == (0, True)
    assert pl.read_parquet(tmp_path / "other.parquet").equals(pl.read_parquet(tmp_path / "clean.parquet"))


def test_a_file_run_refuses_an_unknown_output_type_before_ranking(brands_file: Callable[..., Path],
                                                                  ranker: Ranker,
                                                                  tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"shortlists\.xlsx: unknown file type"):
        run_shortlist_file(brands_file(tmp_path, countries=["ZZZ"]), tmp_path / "shortlists.xlsx", ranker)
    assert not (tmp_path / "shortlists.xlsx.progress.sqlite").exists()
