"""Hybrid keyword search and lookalikes, on the small sample with the real encoder."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from creatormatch.api_models import ALL_TIERS, Filters, SearchRequest
from creatormatch.lexical import query_tokens
from creatormatch.ranking import NEAR_TIE, RED_FLAG_AUTHENTICITY, Ranker
from training.evaluate import evaluate_search


@pytest.fixture(scope="module")
def labels(small_sample_dir: Path) -> dict[str, str]:
    return dict(pl.read_parquet(small_sample_dir / "labels.parquet").select("creator_id", "primary_niche")
                .iter_rows())


def test_query_tokens_fold_hashtags_and_keep_phrases() -> None:
    assert query_tokens("#VanLife latte art") == ["vanlife", "latte", "art", "vanlife_latte", "latte_art"]
    assert query_tokens("the and") == []


def test_plain_keywords_find_their_niche(ranker: Ranker, small_sample_dir: Path) -> None:
    quality = evaluate_search(ranker, small_sample_dir)
    assert sum(h >= 9 for h in quality.hits.values()) >= 22, quality.hits


def test_hashtags_and_phrases_match_the_words_in_captions(ranker: Ranker, labels: dict[str, str]) -> None:
    for query, niche in (("#sourdough", "baking"), ("latte art", "coffee")):
        results = ranker.search(SearchRequest(q=query, limit=10)).results
        assert sum(labels[r.creator_id] == niche for r in results) >= 8, query
        word = query.lstrip("#").split()[0]
        assert any(word in e.matched_terms for r in results for e in r.evidence)


def test_relevance_decides_and_quality_only_breaks_near_ties(ranker: Ranker) -> None:
    results = ranker.search(SearchRequest(q="yoga", limit=30)).results
    clean = [r for r in results if r.components["authenticity"] >= RED_FLAG_AUTHENTICITY]
    relevance = [r.components["relevance"] for r in clean]
    for earlier, later in zip(relevance, relevance[1:], strict=False):
        assert later <= earlier * (1 + NEAR_TIE) / (1 - NEAR_TIE) + 1e-6


def test_facets_and_filters(ranker: Ranker) -> None:
    response = ranker.search(SearchRequest(q="coffee", filters=Filters(platforms=["tiktok"]), limit=20))
    assert response.results and all(r.platform == "tiktok" for r in response.results)
    assert set(response.facets["platform"]) == {"tiktok"}
    assert sum(response.facets["tier"].values()) == response.total_candidates
    assert ranker.search(SearchRequest(q="coffee", filters=Filters(countries=["AQ"]))).results == []


def test_lookalikes_share_the_niche_and_exclude_the_creator(ranker: Ranker, labels: dict[str, str]) -> None:
    source = ranker.search(SearchRequest(q="gardening houseplants", limit=1)).results[0].creator_id
    similar = ranker.similar(source, Filters(), limit=10)
    ids = [r.creator_id for r in similar.results]
    assert source not in ids and len(ids) == 10
    assert sum(labels[i] == labels[source] for i in ids) >= 7
    with pytest.raises(KeyError):
        ranker.similar("nobody", Filters())


def test_red_flagged_creators_do_not_lead_search(ranker: Ranker) -> None:
    for query in ("latte art", "sourdough", "yoga", "gaming"):
        top = ranker.search(SearchRequest(q=query, limit=5)).results
        assert all(r.components["authenticity"] >= RED_FLAG_AUTHENTICITY for r in top), query


def test_matched_terms_are_whole_words(ranker: Ranker) -> None:
    results = ranker.search(SearchRequest(q="art", limit=20)).results
    assert any("art" in e.matched_terms for r in results for e in r.evidence)
    for result in results:
        for evidence in result.evidence:
            if "art" in evidence.matched_terms:
                assert re.search(r"(?<!\w)art(?!\w)", evidence.caption.lower())


def test_rank_fusion_is_still_a_setting_away(real_bundle: Path, ranker: Ranker, labels: dict[str, str]) -> None:
    from creatormatch.bundle import load_bundle
    from creatormatch.config import Settings

    fused_by_rank = Ranker(load_bundle(real_bundle, ranker.encoder), ranker.encoder, Settings(search_fusion="rrf"))
    by_rank = fused_by_rank.search(SearchRequest(q="#sourdough", limit=10)).results
    weighted = ranker.search(SearchRequest(q="#sourdough", limit=10)).results
    assert sum(labels[r.creator_id] == "baking" for r in by_rank) >= 8
    # First in both rankings is worth 1.0 either way; below it the two fusions score differently.
    assert [r.components["relevance"] for r in by_rank] != [r.components["relevance"] for r in weighted]


def test_other_forms_of_a_word_match_and_are_shown_as_matched(ranker: Ranker, labels: dict[str, str]) -> None:
    # "arts" is in no caption of the sample; its stem is: the keyword index and the evidence both meet "art".
    results = ranker.search(SearchRequest(q="latte arts", limit=10)).results
    assert sum(labels[r.creator_id] == "coffee" for r in results) >= 8
    matched = {word for r in results for e in r.evidence for word in e.matched_terms}
    assert "art" in matched and "arts" not in matched
    assert matched <= {"latte", "lattes", "art", "arts"}, matched


@pytest.mark.parametrize(("query", "caption", "matched", "unstemmed"), [
    ("trailers", "new trailer, trailers and a trailblazer", ["trailer", "trailers"], ["trailers"]),
    ("cities", "the city we love", ["city"], []),  # Snowball's stem "citi" is no prefix of "city"
    ("baked", "baking and bakes, no bakery", ["bakes", "baking"], []),
    ("games", "gaming, gamer, gameplay", ["gaming"], []),
    ("stories", "one story", ["story"], []),
    # As in the keyword index: no spaces, so found inside the run; a run of those scripts ends a Latin word;
    # fullwidth and halfwidth forms are the usual letters.
    ("ラーメン", "東京のラーメン屋さん", ["ラーメン"], ["ラーメン"]),
    ("라면", "맛있는 라면을 먹방", ["라면"], ["라면"]),
    ("iphone", "ｉｐｈｏｎｅ用ケース", ["iphone"], ["iphone"]),
    ("ガンダム", "ｶﾞﾝﾀﾞﾑのプラモ", ["ガンダム"], ["ガンダム"]),
    ("games", "gamesチャンネル gamest", ["games"], ["games"]),
    ("ﾗｰﾒﾝ", "ﾗｰﾒﾝ食べた", ["ラーメン"], ["ラーメン"]),  # the query folded too
    ("ｐｓ５", "ＰＳ５で遊ぶ".lower(), ["ps5"], ["ps5"]),
])
def test_evidence_marks_the_captions_forms_of_a_query_word(query: str, caption: str, matched: list[str],
                                                            unstemmed: list[str]) -> None:
    from creatormatch.lexical import STEMMER, Stems
    from creatormatch.ranking.explain import _word_matcher

    assert _word_matcher([query], Stems(STEMMER))(caption) == sorted(matched)
    assert _word_matcher([query], None)(caption) == unstemmed


def test_keyword_matches_counts_the_creators_that_use_a_query_word(ranker: Ranker, small_sample_dir: Path) -> None:
    """keyword_matches counts who uses the words (within the filters); total_candidates is the ranked pool."""
    from creatormatch.dataset import load_dataset

    data = load_dataset(small_sample_dir)
    word = re.compile(r"(?<!\w)#?sourdough(?!\w)", re.IGNORECASE)
    posts = data.posts.select("creator_id", pl.concat_str(pl.col("caption").fill_null(""),
                                                          pl.col("title").fill_null(""),
                                                          pl.col("tags").list.join(" ").fill_null(""),
                                                          separator=" ").alias("text"))
    users = set(posts.filter(pl.col("text").map_elements(lambda t: bool(word.search(t)), return_dtype=pl.Boolean))
                .get_column("creator_id"))
    users |= {c for c, bio in data.creators.select("creator_id", "bio").iter_rows() if bio and word.search(bio)}
    tiktok = set(data.creators.filter(pl.col("platform") == "tiktok").get_column("creator_id"))
    assert users & tiktok and users - tiktok

    every_tier = list(ALL_TIERS)
    everyone = ranker.search(SearchRequest(q="sourdough", filters=Filters(tiers=every_tier), limit=5))
    assert everyone.keyword_matches == len(users)
    on_tiktok = Filters(platforms=["tiktok"], tiers=every_tier)
    filtered = ranker.search(SearchRequest(q="sourdough", filters=on_tiktok, limit=5))
    assert filtered.keyword_matches == len(users & tiktok)
    nonsense = ranker.search(SearchRequest(q="zqxjvw", limit=5))
    assert nonsense.keyword_matches == 0 and nonsense.total_candidates > 0
