"""Real creator exports have zeros, gaps and junk: each kind builds a bundle with only finite numbers in it.

Every case is a tiny hand-written input folder (CSV) with a handful of ordinary creators beside the odd one, so peer
groups exist. Each bundle is scanned for NaN and inf (tables, vectors, reasons), then ranked, and the /match
response is scanned too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from creatormatch.api_models import ALL_TIERS, Brief, Filters, MatchRequest, SearchRequest
from creatormatch.bundle import load_bundle, read_posts
from creatormatch.config import Settings
from creatormatch.ranking import Ranker
from tests.conftest import FakeEncoder
from training.build import build_bundle

NOT_A_NUMBER = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)
NEWEST = datetime(2026, 3, 1, 12, 0)
CAPTIONS = [
    "sourdough bread baking at home #baking #sourdough",
    "weekend trail running in the hills #running #trailrunning",
    "budget meal prep for the week #mealprep #budget",
    "morning yoga flow and stretching #yoga #wellness",
    "easy vegan pasta recipe #vegan #recipes",
]


@dataclass
class Inputs:
    """One input folder in the making: rows per table (None = a column left empty in the CSV)."""

    creators: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    drop_post_columns: tuple[str, ...] = ()

    def creator(self, creator_id: str, platform: str = "instagram", followers: int | None = 5000,
                following: int | None = 300) -> None:
        self.creators.append({"creator_id": creator_id, "handle": creator_id, "platform": platform,
                              "bio": f"{creator_id} shares recipes, runs and everyday life", "followers": followers,
                              "following": following, "country": "GB", "language": "en",
                              "categories": "food|fitness"})

    def post(self, creator_id: str, n: int, likes: int | None, comments: int | None, views: int | None,
             caption: str | None = None) -> None:
        self.posts.append({"post_id": f"{creator_id}-p{n}", "creator_id": creator_id,
                           "posted_at": (NEWEST - timedelta(days=3 * n + len(self.posts) % 3)).isoformat() + "Z",
                           "caption": CAPTIONS[(n + len(self.posts)) % len(CAPTIONS)] if caption is None else caption,
                           "likes": likes, "comments": comments, "views": views, "format": "photo"})

    def write(self, folder: Path) -> Path:
        folder.mkdir()
        pl.DataFrame(self.creators, schema={"creator_id": pl.Utf8, "handle": pl.Utf8, "platform": pl.Utf8,
                                            "bio": pl.Utf8, "followers": pl.Int64, "following": pl.Int64,
                                            "country": pl.Utf8, "language": pl.Utf8, "categories": pl.Utf8},
                     ).write_csv(folder / "creators.csv")
        posts = pl.DataFrame(self.posts, schema={"post_id": pl.Utf8, "creator_id": pl.Utf8, "posted_at": pl.Utf8,
                                                 "caption": pl.Utf8, "likes": pl.Int64, "comments": pl.Int64,
                                                 "views": pl.Int64, "format": pl.Utf8})
        posts.drop(self.drop_post_columns).write_csv(folder / "posts.csv")
        if self.history:
            pl.DataFrame(self.history).write_csv(folder / "follower_history.csv")
        return folder


def ordinary(posts_each: int = 3) -> Inputs:
    """Eight ordinary Instagram nano creators and four TikTok micro ones, with plausible engagement."""
    inputs = Inputs()
    for i in range(8):
        followers = 2000 + 700 * i
        inputs.creator(f"ig{i}", followers=followers, following=250 + 20 * i)
        for n in range(posts_each):
            likes = int(followers * (0.02 + 0.004 * ((i + n) % 5)))
            inputs.post(f"ig{i}", n, likes=likes, comments=max(1, likes // (12 + i)), views=followers * 2)
    for i in range(4):
        followers = 20_000 + 9000 * i
        inputs.creator(f"tt{i}", platform="tiktok", followers=followers, following=400)
        for n in range(posts_each):
            likes = int(followers * (0.05 + 0.01 * ((i + n) % 3)))
            inputs.post(f"tt{i}", n, likes=likes, comments=likes // 15, views=followers * 4)
    return inputs


def zero_engagement() -> Inputs:
    inputs = ordinary()
    inputs.creator("zero", followers=4000)
    for n in range(4):
        inputs.post("zero", n, likes=0, comments=0, views=900)
    return inputs


def no_comments_column() -> Inputs:
    inputs = ordinary()
    inputs.drop_post_columns = ("comments",)
    return inputs


def zero_followers() -> Inputs:
    inputs = ordinary()
    inputs.creator("nofollowers", followers=0, following=500)
    for n in range(3):
        inputs.post("nofollowers", n, likes=3, comments=1, views=40)
    return inputs


def hidden_likes_group() -> Inputs:
    inputs = ordinary()
    for post in inputs.posts:
        if post["creator_id"].startswith("tt"):
            post["likes"] = None
    return inputs


def one_post_each() -> Inputs:
    return ordinary(posts_each=1)


def empty_captions() -> Inputs:
    inputs = ordinary()
    inputs.creator("silent", followers=6000)
    inputs.post("silent", 0, likes=240, comments=12, views=9000, caption="")
    inputs.post("silent", 1, likes=180, comments=9, views=7000, caption="")
    return inputs


def follower_jump() -> Inputs:
    inputs = ordinary()
    start = date(2026, 1, 1)
    # "jumper": only two points, 0 then 5,000 six days later. "jumper_long": nothing for weeks, 5,000 within a
    # week, then slow growth.
    histories = {"jumper": [(0, 0), (6, 5000)],
                 "jumper_long": [(0, 0), (7, 0), (14, 0), (20, 5000), (27, 5100), (34, 5200), (41, 5300)]}
    for creator_id, history in histories.items():
        inputs.creator(creator_id, followers=history[-1][1])
        for n in range(3):
            inputs.post(creator_id, n, likes=150, comments=8, views=4000)
        for day, followers in history:
            inputs.history.append({"creator_id": creator_id, "date": (start + timedelta(days=day)).isoformat(),
                                   "followers": followers})
    for i in range(3):
        for day in range(0, 42, 7):
            inputs.history.append({"creator_id": f"ig{i}", "date": (start + timedelta(days=day)).isoformat(),
                                   "followers": 1900 + 700 * i + 15 * day})
    return inputs


def unknown_followers() -> Inputs:
    inputs = ordinary()
    inputs.creator("viewsonly", followers=None, following=120)
    for n, views in enumerate([3000, 5000, 4000]):
        inputs.post("viewsonly", n, likes=views // 20, comments=views // 400, views=views)
    inputs.creator("noreach", followers=None, following=None)  # neither followers nor views: no tier
    for n in range(3):
        inputs.post("noreach", n, likes=40, comments=2, views=None)
    return inputs


def youtube_comments_disabled() -> Inputs:
    inputs = ordinary()
    for i in range(4):
        inputs.creator(f"yt{i}", platform="youtube", followers=None if i % 2 else 30_000 + 1000 * i, following=None)
        for n, views in enumerate([10_000, 20_000, 15_000]):
            inputs.post(f"yt{i}", n, likes=views // (25 + i), comments=None, views=views * (i + 1))
    return inputs


def no_text() -> Inputs:
    """A channel fetched without its videos or snippet: counts only, no bio, no post."""
    inputs = ordinary()
    inputs.creator("blank", platform="youtube", followers=90_000, following=None)
    inputs.creators[-1].update(handle=None, bio=None, categories=None)
    return inputs


CASES: dict[str, Callable[[], Inputs]] = {
    "zero_engagement": zero_engagement,
    "no_comments_column": no_comments_column,
    "zero_followers": zero_followers,
    "hidden_likes_group": hidden_likes_group,
    "one_post_each": one_post_each,
    "empty_captions": empty_captions,
    "follower_jump": follower_jump,
    "unknown_followers": unknown_followers,
    "no_text": no_text,
    "youtube_comments_disabled": youtube_comments_disabled,
}


@dataclass
class Built:
    """A bundle built from one case, with its tables and a ranker over it."""

    inputs: Inputs
    bundle: Path
    creators: pl.DataFrame
    posts: pl.DataFrame
    ranker: Ranker

    def creator(self, creator_id: str) -> dict[str, Any]:
        return self.creators.filter(pl.col("creator_id") == creator_id).row(0, named=True)


def assert_finite_floats(frame: pl.DataFrame, name: str) -> None:
    for column, dtype in frame.schema.items():
        if dtype in (pl.Float32, pl.Float64):
            values = frame.get_column(column).drop_nulls()
            assert values.is_finite().all(), f"{name}.{column} holds NaN or inf: {values.to_list()}"


def assert_no_nan_words(texts: list[str], where: str) -> None:
    bad = [t for t in texts if NOT_A_NUMBER.search(t)]
    assert not bad, f"{where}: {bad}"


@pytest.fixture(scope="module", params=[(case, size) for case in sorted(CASES) for size in (4, 30)],
                ids=[f"{case}-{path}" for case in sorted(CASES) for path in ("peers", "benchmark")])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Each case built once for the module's tests (treat it as read-only), twice: engagement ranked among peers
    (groups of 4 are enough) and against the public benchmarks (groups this small are not)."""
    case, group_min_size = request.param
    tmp_path = tmp_path_factory.mktemp(case)
    inputs = CASES[case]()
    folder = inputs.write(tmp_path / "data")
    settings = Settings(cache_path=tmp_path / "cache.sqlite", indexes_dir=tmp_path / "indexes",
                        tier_group_min_size=group_min_size, vocab_min_df=1)
    encoder = FakeEncoder()
    bundle = build_bundle(folder, tmp_path / "indexes", settings, encoder=encoder).bundle
    return Built(inputs, bundle, pl.read_parquet(bundle / "creators.parquet"),
                 pl.from_arrow(read_posts(bundle / "posts.arrow")), Ranker(load_bundle(bundle, encoder), encoder))


def test_the_bundle_holds_only_finite_numbers(built: Built) -> None:
    assert built.creators.height == len(built.inputs.creators)
    assert_finite_floats(built.creators, "creators.parquet")
    assert_finite_floats(built.posts, "posts.arrow")
    for name in ("creator_vectors.npy", "term_vectors.npy"):
        assert np.isfinite(np.load(built.bundle / name)).all(), name
    reasons = [r for rs in built.creators.get_column("authenticity_reasons").to_list() for r in rs or []]
    assert_no_nan_words(reasons, "authenticity_reasons")


@pytest.mark.parametrize("filters", [Filters(), Filters(tiers=list(ALL_TIERS)), Filters(min_followers=0)],
                         ids=["default", "all_tiers", "min_followers_0"])
def test_match_responses_hold_only_finite_numbers(built: Built, filters: Filters) -> None:
    response = built.ranker.match(MatchRequest(brief=Brief(text="anything"), filters=filters, limit=100))
    body = response.model_dump_json()
    assert "NaN" not in body and "Infinity" not in body
    json.loads(body)
    assert_no_nan_words([r for result in response.results for r in result.reasons], "match reasons")
    if filters.tiers == list(ALL_TIERS):  # every creator with any text; one without has nothing to match on
        assert response.total_candidates == built.creators.get_column("has_text").sum()


def test_each_case_keeps_its_rule(built: Built, request: pytest.FixtureRequest) -> None:
    case = request.node.callspec.params["built"][0]
    ordinary_ig = built.creator("ig0")
    assert ordinary_ig["engagement_rate"] is not None and ordinary_ig["authenticity_score"] is not None
    if case == "zero_engagement":
        zero = built.creator("zero")
        assert zero["engagement_rate"] == 0.0 and zero["post_count"] == 4
        # Comments per like has no denominator when nobody liked anything: unknown, not a red flag.
        assert zero["comments_to_likes"] is None and zero["signal_few_comments"] is None
    elif case == "no_comments_column":
        assert built.creators.get_column("comments_to_likes").null_count() == built.creators.height
        assert built.creators.get_column("engagement_rate").null_count() == 0
    elif case == "zero_followers":
        nobody = built.creator("nofollowers")
        assert nobody["following_ratio"] is None and nobody["signal_following_ratio"] is None
        assert nobody["engagement_basis"] == "views"
        assert nobody["engagement_rate"] == pytest.approx((3 + 1) / 40)
    elif case == "hidden_likes_group":
        hidden = built.creators.filter(pl.col("platform") == "tiktok")
        for column in ("engagement_rate", "engagement_vs_tier", "comments_to_likes"):
            assert hidden.get_column(column).null_count() == hidden.height, column
    elif case == "one_post_each":
        assert built.creators.get_column("post_count").to_list() == [1] * built.creators.height
    elif case == "empty_captions":
        silent = built.creator("silent")
        assert silent["post_count"] == 2 and silent["engagement_rate"] is not None
        kept = built.posts.filter(pl.col("creator_id") == "silent")
        assert kept.height == 2
    elif case == "follower_jump":
        for creator_id in ("jumper", "jumper_long"):
            jumper = built.creator(creator_id)
            assert jumper["follower_jump_anomaly"] and jumper["signal_follower_jump"] > 0, creator_id
            # Relative to max(previous, 100): a rise from 0 is a large, finite jump.
            assert jumper["max_follower_jump"] == pytest.approx(50.0)
            assert any("followers jumped 5000 %" in reason for reason in jumper["authenticity_reasons"])
        # Steady growth is evidence of no jump.
        assert built.creator("ig0")["signal_follower_jump"] == 0.0
    elif case == "unknown_followers":
        views_only = built.creator("viewsonly")
        assert views_only["followers"] is None and views_only["reach"] == 4000
        assert views_only["reach_basis"] == "views" and views_only["engagement_basis"] == "views"
        assert views_only["following_ratio"] is None and views_only["tier"] == "nano"
        # An unknown tier is counted as "unknown" among the search facets (it was an empty name).
        assert built.creator("noreach")["tier"] is None
        every_tier = Filters(tiers=list(ALL_TIERS))
        tiers = built.ranker.search(SearchRequest(q="recipes", filters=every_tier, limit=100)).facets["tier"]
        assert tiers.get("unknown") == 1 and "" not in tiers, tiers
    elif case == "youtube_comments_disabled":
        for i in range(4):
            tube = built.creator(f"yt{i}")
            assert tube["engagement_basis"] == "views" and tube["comments_to_likes"] is None
            per_view = sorted((views // (25 + i)) / (views * (i + 1)) for views in (10_000, 20_000, 15_000))
            assert tube["engagement_rate"] == pytest.approx(per_view[1])
    elif case == "no_text":
        assert not built.creator("blank")["has_text"]
        every_tier = Filters(tiers=list(ALL_TIERS))
        found = built.ranker.match(MatchRequest(brief=Brief(text="sourdough baking"), filters=every_tier, limit=100))
        assert found.results and "blank" not in {r.creator_id for r in found.results}
        alike = built.ranker.similar("ig0", every_tier, limit=100)
        assert alike.results and "blank" not in {r.creator_id for r in alike.results}
        assert built.ranker.similar("blank", every_tier, limit=100).results == []  # nothing to be like
    else:  # pragma: no cover
        pytest.fail(f"no expectation for case {case}")


def test_keywords_in_scripts_without_spaces_find_their_creators(tmp_path: Path) -> None:
    """Japanese, Chinese and Thai captions have no spaces and Korean ones glue particles to words: a keyword search
    still finds them and shows the word it matched (with the fake encoder's random vectors, only the keyword index
    decides)."""
    inputs = ordinary()
    captions = {"jp": "東京のラーメン屋さん巡り！今日は味噌ラーメン", "kr": "맛있는 라면을 먹방 리뷰",
                "cn": "在家做饭：简单的番茄炒蛋", "th": "วันนี้กินอาหารไทยอร่อยมาก"}
    for creator_id, caption in captions.items():
        inputs.creator(creator_id, followers=8000)
        for n in range(2):
            inputs.post(creator_id, n, likes=300, comments=20, views=9000, caption=caption)
    folder = inputs.write(tmp_path / "data")
    settings = Settings(cache_path=tmp_path / "cache.sqlite", indexes_dir=tmp_path / "indexes", vocab_min_df=1,
                        search_lexical_weight=1.0)
    encoder = FakeEncoder()
    bundle = build_bundle(folder, tmp_path / "indexes", settings, encoder=encoder).bundle
    ranker = Ranker(load_bundle(bundle, encoder), encoder, settings)
    for query, creator_id, word in (("ラーメン", "jp", "ラーメン"), ("라면", "kr", "라면"), ("番茄", "cn", "番茄"),
                                     ("อาหารไทย", "th", "อาหารไทย")):
        top = ranker.search(SearchRequest(q=query, filters=Filters(tiers=list(ALL_TIERS)), limit=5)).results[0]
        assert top.creator_id == creator_id, query
        assert [e.matched_terms for e in top.evidence] == [[word], [word]], query
