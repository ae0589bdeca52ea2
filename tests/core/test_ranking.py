"""The ranking behind /match, with the real encoder on the small sample: niches first, fraud sinks, filters hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from pydantic import ValidationError

from creatormatch.api_models import Brief, Filters, MatchRequest, Weights
from creatormatch.bundle import load_bundle
from creatormatch.config import Settings
from creatormatch.ranking import QueryEncoder, Ranker
from creatormatch.ranking.explain import CreatorRow, reasons
from tests.conftest import FakeEncoder


@pytest.fixture(scope="module")
def labels(small_sample_dir: Path) -> dict[str, dict[str, object]]:
    return {r["creator_id"]: r for r in pl.read_parquet(small_sample_dir / "labels.parquet").iter_rows(named=True)}


def request(text: str, **kwargs: object) -> MatchRequest:
    return MatchRequest.model_validate({"brief": {"text": text}, **kwargs})


@pytest.mark.parametrize(("niche", "brief"), [
    ("baking", "sourdough bread, pastry and home baking"),
    ("running", "marathon training plans and running shoes"),
    ("pets", "dog food and toys for happy pets"),
    ("personal_finance", "budgeting, saving and investing money"),
    ("gaming", "video games, streaming and consoles"),
])
def test_briefs_of_different_niches_get_the_right_creators_first(ranker: Ranker, labels: dict[str, dict[str, object]],
                                                                 niche: str, brief: str) -> None:
    results = ranker.match(request(brief, limit=10)).results
    niches = [labels[r.creator_id]["primary_niche"] for r in results]
    assert niches.count(niche) >= 8, niches


def test_fraud_creators_sink(ranker: Ranker, labels: dict[str, dict[str, object]]) -> None:
    briefs = ["sourdough bread", "skincare routine for sensitive skin", "trail running", "yoga at home",
              "streetwear sneakers", "houseplants and gardening", "coffee brewing", "budget travel"]
    shown = [r.creator_id for b in briefs for r in ranker.match(request(b, limit=10)).results]
    fraud_shown = sum(bool(labels[c]["is_fraud"]) for c in shown) / len(shown)
    fraud_overall = np.mean([bool(v["is_fraud"]) for v in labels.values()])
    assert fraud_overall > 0.2 and fraud_shown <= 0.05


def test_results_carry_components_evidence_and_reasons(ranker: Ranker) -> None:
    response = ranker.match(request("sourdough bread and wild yeast baking", limit=5))
    assert response.total_candidates > 0 and response.bundle_version == ranker.bundle.version
    scores = [r.score for r in response.results]
    assert scores == sorted(scores, reverse=True)
    for result in response.results:
        assert set(result.components) == {"fit", "engagement", "authenticity", "transparency", "activity",
                                          "interactive"}
        assert all(0.0 <= v <= 1.0 for v in result.components.values())
        assert result.evidence and result.reasons
        sims = [e.similarity for e in result.evidence]
        assert sims == sorted(sims, reverse=True)
    top = response.results[0]
    assert any("bread" in e.caption.lower() or "sourdough" in e.caption.lower() or "loaf" in e.caption.lower()
               for e in top.evidence)
    assert any("posts match the brief" in reason for reason in top.reasons)


def test_default_tiers_are_nano_and_micro_unless_widened(ranker: Ranker) -> None:
    default = ranker.match(request("fitness", limit=100)).results
    assert {r.tier for r in default} <= {"nano", "micro"}
    assert all(1_000 <= r.followers < 100_000 for r in default)
    wide = ranker.match(request("fitness", limit=100, filters={"tiers": ["mid", "macro", "mega"]})).results
    assert wide and {r.tier for r in wide} <= {"mid", "macro", "mega"}
    by_range = ranker.match(request("fitness", limit=100, filters={"min_followers": 50_000})).results
    assert by_range and all(r.followers >= 50_000 for r in by_range)
    assert any(r.tier not in ("nano", "micro") for r in by_range)


def test_filters_hold(ranker: Ranker) -> None:
    creators = {r["creator_id"]: r for r in ranker.creators.iter_rows(named=True)}
    filters = {"platforms": ["tiktok"], "countries": ["US", "GB"], "min_engagement_vs_tier": 0.3,
               "active_within_days": 60, "require_disclosure": True}
    results = ranker.match(request("home workouts", limit=100, filters=filters)).results
    assert results
    for result in results:
        row = creators[result.creator_id]
        assert row["platform"] == "tiktok" and row["country"] in ("US", "GB")
        assert row["engagement_vs_tier"] >= 0.3 and row["days_since_last_post"] <= 60
        assert row["sponsored_posts"] == 0 or row["disclosure_rate"] == 1.0
    first = results[0].creator_id
    again = ranker.match(request("home workouts", limit=100, filters={**filters, "exclude_creator_ids": [first]}))
    assert first not in [r.creator_id for r in again.results]
    assert again.total_candidates == len(results) - 1 or again.total_candidates < 100


def test_impossible_filters_give_an_empty_list(ranker: Ranker) -> None:
    response = ranker.match(request("anything", filters={"countries": ["AQ"]}))
    assert response.results == [] and response.total_candidates == 0


def test_offset_pages_through_the_same_order(ranker: Ranker) -> None:
    full = [r.creator_id for r in ranker.match(request("coffee", limit=20)).results]
    page = [r.creator_id for r in ranker.match(request("coffee", limit=10, offset=10)).results]
    assert page == full[10:20]


def test_weights_change_the_order(ranker: Ranker) -> None:
    only_fit = ranker.match(request("gardening", limit=20, weights=Weights(fit=1, engagement=0, authenticity=0,
                                                                           transparency=0, activity=0,
                                                                           interactive=0)))
    fits = [r.components["fit"] for r in only_fit.results]
    # Score order is fit order, apart from creators shrunk by a red flag.
    clean = [r.components["fit"] for r in only_fit.results if r.components["authenticity"] >= 0.6]
    assert clean == sorted(clean, reverse=True) and len(fits) == 20
    engaged = ranker.match(request("gardening", limit=20, weights=Weights(fit=0.2, engagement=5)))
    mean_evt = np.mean([r.components["engagement"] for r in engaged.results])
    assert mean_evt > np.mean([r.components["engagement"] for r in only_fit.results])


def test_diversity_spreads_the_shortlist(ranker: Ranker) -> None:
    plain = ranker.match(request("outdoor adventures", limit=10)).results
    diverse = ranker.match(request("outdoor adventures", limit=10, diversity=0.7)).results

    def spread(ids: list[str]) -> float:
        vectors = ranker.bundle.vectors[[ranker.bundle.row_of[i] for i in ids]]
        sims = vectors @ vectors.T
        return float(sims[np.triu_indices(len(ids), 1)].mean())

    assert spread([r.creator_id for r in diverse]) < spread([r.creator_id for r in plain])


def test_approximate_index_and_exact_subset_agree_on_filters(real_bundle: Path, ranker: Ranker) -> None:
    approximate = Ranker(load_bundle(real_bundle, ranker.encoder), ranker.encoder, Settings(exact_subset_max=0))
    filters = Filters(platforms=["youtube"])
    exact = ranker.match(MatchRequest(brief=Brief(text="photography"), filters=filters, limit=10))
    through_index = approximate.match(MatchRequest(brief=Brief(text="photography"), filters=filters, limit=10))
    assert [r.creator_id for r in through_index.results] == [r.creator_id for r in exact.results]
    assert all(r.platform == "youtube" for r in through_index.results)


def test_top_mean_of_post_similarities_per_candidate() -> None:
    from creatormatch.ranking import PostScores

    sims = np.array([0.9, 0.1, 0.5, 0.7, -0.2, -0.4, 0.3], dtype=np.float32)
    scores = PostScores(sims=sims, index=np.arange(7), bounds=np.array([0, 4, 4, 6, 7]))
    assert scores.top_mean(3) == pytest.approx([0.7, 0.0, -0.3, 0.3])


def test_depth_pages_past_the_api_limit_in_the_same_order(ranker: Ranker) -> None:
    wide = {"tiers": ["nano", "micro", "mid", "macro", "mega", "sub_nano", "unknown"]}
    limited = ranker.match(request("coffee", limit=40, filters=wide))
    assert ranker.match(request("coffee", limit=10, filters=wide), depth=40).results == limited.results
    deeper = ranker.match(request("coffee", limit=100, filters=wide), depth=250).results
    scores = [r.score for r in deeper]
    assert len({r.creator_id for r in deeper}) == 250 and scores == sorted(scores, reverse=True)
    with pytest.raises(ValueError, match="depth must be at least 1"):
        ranker.match(request("coffee"), depth=0)


def test_results_without_evidence_are_the_same_results_without_their_posts(ranker: Ranker) -> None:
    for brief in ("coffee", "trail running shoes for beginners", "vegan skincare"):
        full = ranker.match(request(brief, limit=30)).results
        lean = ranker.match(request(brief, limit=30), evidence=False).results
        assert any(r.evidence for r in full) and not any(r.evidence for r in lean)
        assert [r.model_copy(update={"evidence": []}) for r in full] == lean


def test_a_search_query_is_encoded_as_a_brief_of_free_text(ranker: Ranker) -> None:
    as_brief = ranker.encode_briefs([MatchRequest(brief=Brief(text="latte art"))])[0]
    assert np.array_equal(ranker.queries.encode_text("latte art"), as_brief)


def test_query_vectors_come_from_the_cache_until_evicted(fake_encoder: FakeEncoder) -> None:
    queries = QueryEncoder(fake_encoder, fake_encoder.dimension, cache_size=2)
    first = queries.encode_briefs([Brief(text="coffee", product="grinder")])
    assert fake_encoder.texts_encoded == 2
    assert np.array_equal(queries.encode_briefs([Brief(text="coffee", product="grinder")]), first)
    assert fake_encoder.texts_encoded == 2
    queries.encode_text("tea")  # evicts "coffee", the least recently used
    queries.encode_text("coffee")
    assert fake_encoder.texts_encoded == 4


def test_a_creator_the_data_says_nothing_about_gets_one_honest_reason() -> None:
    creator = CreatorRow.from_record({"creator_id": "c1", "platform": "youtube", "engagement_vs_tier": None})
    assert reasons(creator, np.zeros(0, dtype=np.float32), best_post=0.0) == [
        "no evidence on authenticity (no follower sample, history or comparable engagement)"]



@pytest.mark.parametrize(("days", "sentence"), [(120, "no post in the last 120 days"),
                                                 (737_849, "no post in over ten years")])  # posted 0001-01-01
def test_a_long_silence_is_read_out_and_a_placeholder_date_is_not(days: int, sentence: str) -> None:
    creator = CreatorRow.from_record({"creator_id": "c1", "platform": "youtube", "days_since_last_post": days})
    assert sentence in reasons(creator, np.zeros(0, dtype=np.float32), best_post=0.0)


@pytest.mark.parametrize("bad", [{"candidate_pool": 0}, {"exact_subset_max": -1}, {"search_lexical_weight": 1.5},
                                 {"match_lexical_weight": -0.1}, {"fit_creator_share": 2}, {"search_fusion": "max"}])
def test_query_tunables_out_of_range_are_refused_by_name(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError, match=next(iter(bad))):
        Settings.model_validate(bad)


def test_post_columns_read_the_same_values_across_chunks() -> None:
    import pyarrow as pa

    from creatormatch.ranking.explain import _Column

    values = ["a", None, "b", "c", "d", "e", "f"]
    column = pa.chunked_array([pa.array(values[:2]), pa.array([], pa.string()), pa.array(values[2:5]),
                               pa.array(values[5:])])
    rows = np.array([6, 0, 3, 1, 6, 2, 5], dtype=np.int64)  # out of order, repeated, in every chunk
    assert _Column(column).take(rows) == [values[i] for i in rows]
    assert _Column(column).take(np.zeros(0, dtype=np.int64)) == []


def test_evidence_is_the_same_from_a_post_table_in_many_chunks(ranker: Ranker) -> None:
    import pyarrow as pa

    from creatormatch.ranking.explain import Explainer, Hit
    from creatormatch.ranking.scoring import post_scores

    bundle = ranker.bundle
    posts = bundle.posts
    chunked = pa.Table.from_batches(posts.to_batches(max_chunksize=max(1, posts.num_rows // 7)))
    assert chunked.column("caption").num_chunks > 1
    query = ranker.queries.encode_text("sourdough bread and pastry")
    rows = np.argsort(-(bundle.vectors @ query))[:20]
    scores = post_scores(bundle, query, rows)
    hits = [Hit(int(row), 0.5, {"fit": 0.5}, k) for k, row in enumerate(rows)]
    for words in ((), ("bread", "sourdough")):
        one = Explainer(bundle.creators, posts).results(hits, scores, words)
        many = Explainer(bundle.creators, chunked).results(hits, scores, words)
        assert one == many
        assert any(e.matched_terms for r in many for e in r.evidence) == bool(words)


def test_post_scores_from_the_used_terms_only_equal_the_whole_vocabulary_pass(
        ranker: Ranker, monkeypatch: pytest.MonkeyPatch) -> None:
    import creatormatch.ranking.scoring as scoring

    bundle = ranker.bundle
    query = ranker.queries.encode_text("dog food and toys for happy pets")
    rows = np.argsort(-(bundle.vectors @ query))[:5]  # few candidates: they use under half of the vocabulary
    whole = scoring.post_scores(bundle, query, rows)
    assert bundle.term_vectors.nbytes < scoring.SUBSET_ABOVE_BYTES  # the sample's vocabulary: one pass
    used = np.unique(bundle.post_terms[whole.index].indices)
    assert 0 < 2 * used.size < bundle.term_vectors.shape[0]  # so the used-terms path runs below
    monkeypatch.setattr(scoring, "SUBSET_ABOVE_BYTES", 0)
    subset = scoring.post_scores(bundle, query, rows)
    assert np.allclose(subset.sims, whole.sims, atol=1e-6) and subset.sims.size > 0
    assert np.array_equal(subset.index, whole.index) and np.array_equal(subset.bounds, whole.bounds)
