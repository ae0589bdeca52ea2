"""Creator features, checked by hand on tiny frames."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from creatormatch.features import benchmark_percentile, compute_features, default_as_of, tier_expr
from creatormatch.schemas import tier_of

AS_OF = datetime(2026, 6, 1, tzinfo=UTC)


def creators(*rows: tuple[str, str, int, int | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"creator_id": [r[0] for r in rows], "handle": [r[0] for r in rows], "platform": [r[1] for r in rows],
         "followers": [r[2] for r in rows], "following": [r[3] for r in rows]},
        schema={"creator_id": pl.Utf8, "handle": pl.Utf8, "platform": pl.Utf8, "followers": pl.Int64,
                "following": pl.Int64},
    )


def posts(rows: list[tuple[str, int, str, int, int, str]]) -> pl.DataFrame:
    """(creator_id, days before AS_OF, caption, likes, comments, format)."""
    return pl.DataFrame(
        {"post_id": [f"p{i}" for i in range(len(rows))], "creator_id": [r[0] for r in rows],
         "posted_at": [AS_OF - timedelta(days=r[1]) for r in rows], "caption": [r[2] for r in rows],
         "likes": [r[3] for r in rows], "comments": [r[4] for r in rows], "format": [r[5] for r in rows],
         "is_sponsored": [None] * len(rows)},
        schema={"post_id": pl.Utf8, "creator_id": pl.Utf8, "posted_at": pl.Datetime("us", "UTC"),
                "caption": pl.Utf8, "likes": pl.Int64, "comments": pl.Int64, "format": pl.Utf8,
                "is_sponsored": pl.Boolean},
    )


def by_id(frame: pl.DataFrame) -> dict[str, dict[str, object]]:
    return {row["creator_id"]: row for row in frame.iter_rows(named=True)}


def test_tiers_follow_the_documented_bounds() -> None:
    counts = [0, 999, 1_000, 9_999, 10_000, 99_999, 100_000, 499_999, 500_000, 999_999, 1_000_000]
    expected = ["sub_nano", "sub_nano", "nano", "nano", "micro", "micro", "mid", "mid", "macro", "macro", "mega"]
    assert [tier_of(c) for c in counts] == expected
    frame = pl.DataFrame({"followers": counts}).select(tier_expr(pl.col("followers")).alias("tier"))
    assert frame.get_column("tier").to_list() == expected
    with pytest.raises(ValueError, match="followers must be >= 0"):
        tier_of(-1)


def test_engagement_rate_is_the_median_so_one_viral_post_does_not_dominate() -> None:
    frame = compute_features(
        creators(("a", "instagram", 10_000, 500)),
        posts([("a", 1, "x", 190, 10, "photo"), ("a", 2, "x", 290, 10, "photo"), ("a", 3, "x", 9_000, 1_000, "reel")]),
        as_of=AS_OF,
    )
    row = by_id(frame)["a"]
    # per-post rates 0.02, 0.03, 1.0 -> median 0.03
    assert row["engagement_rate"] == pytest.approx(0.03)
    assert row["comments_to_likes"] == pytest.approx(1_020 / 9_480)
    assert row["tier"] == "micro"
    assert row["following_ratio"] == pytest.approx(0.05)


def test_only_the_most_recent_posts_count_towards_engagement() -> None:
    rows = [("a", d, "x", 100, 0, "photo") for d in range(1, 4)] + [("a", 100, "x", 900, 0, "photo")]
    frame = compute_features(creators(("a", "instagram", 1_000, None)), posts(rows), as_of=AS_OF, recent_posts=3)
    assert by_id(frame)["a"]["engagement_rate"] == pytest.approx(0.1)


def test_cadence_recency_formats_and_sponsorship() -> None:
    rows = [
        ("a", 5, "Loving this serum #ad @glowco", 100, 10, "photo"),
        ("a", 20, "use code ANNA10 for 10% off @glowco", 50, 5, "shoppable"),
        ("a", 40, "morning routine, paid partnership with @dewlab", 120, 12, "reel"),
        ("a", 70, "live Q&A on Thursday", 200, 20, "live"),
        ("a", 200, "old post", 200, 20, "photo"),
    ]
    frame = compute_features(creators(("a", "instagram", 2_000, 100)), posts(rows), as_of=AS_OF)
    row = by_id(frame)["a"]
    assert row["post_count"] == 5
    assert row["days_since_last_post"] == 5
    assert row["posts_per_month"] == pytest.approx(4 / 6)  # 4 posts in the last 180 days
    assert row["sponsored_posts"] == 3
    assert row["sponsored_share"] == pytest.approx(3 / 5)
    assert row["disclosure_rate"] == pytest.approx(2 / 3)  # the discount-code post does not disclose
    assert row["interactive_share"] == pytest.approx(2 / 5)
    assert row["brands_worked_with"] == 2
    assert row["repeat_partnerships"] == 1
    assert row["partner_brands"][0] == "glowco"
    # sponsored rates 0.055, 0.0275, 0.066 -> 0.055; organic 0.11, 0.11 -> 0.11
    assert row["sponsored_engagement_ratio"] == pytest.approx(0.5)


def test_engagement_vs_tier_ranks_within_platform_and_tier_when_the_group_is_big_enough() -> None:
    ids = [(f"c{i}", "instagram", 5_000, None) for i in range(4)]
    rows = [(f"c{i}", 1, "x", 50 * (i + 1), 0, "photo") for i in range(4)]
    frame = compute_features(creators(*ids), posts(rows), as_of=AS_OF, tier_group_min_size=4)
    got = by_id(frame)
    assert [got[f"c{i}"]["engagement_vs_tier"] for i in range(4)] == pytest.approx([0.125, 0.375, 0.625, 0.875])
    assert {r["engagement_vs_tier_basis"] for r in got.values()} == {"peers"}


def test_small_groups_fall_back_to_the_public_benchmark() -> None:
    ids = [("ig", "instagram", 5_000, None), ("tt", "tiktok", 5_000, None)]
    rows = [("ig", 1, "x", 150, 0, "photo"), ("tt", 1, "x", 150, 0, "video")]
    got = by_id(compute_features(creators(*ids), posts(rows), as_of=AS_OF, tier_group_min_size=30))
    # 3 % is the Instagram nano median, so the 50th percentile; on TikTok the same rate is below its median.
    assert got["ig"]["engagement_vs_tier"] == pytest.approx(0.5, abs=1e-6)
    assert got["ig"]["engagement_vs_tier_basis"] == "benchmark"
    assert got["tt"]["engagement_vs_tier"] == pytest.approx(benchmark_percentile(0.03, "tiktok", "nano"), abs=1e-6)
    assert got["tt"]["engagement_vs_tier"] < 0.15


def test_follower_jump_is_flagged_against_the_creators_normal_growth() -> None:
    history = pl.DataFrame({
        "creator_id": ["a"] * 6 + ["b"] * 6,
        "date": [date(2026, 1, 1) + timedelta(weeks=w) for w in range(6)] * 2,
        "followers": [1000, 1010, 1020, 1500, 1510, 1520, 1000, 1010, 1020, 1030, 1041, 1050],
    })
    rows = [("a", 1, "x", 10, 1, "photo"), ("b", 1, "x", 10, 1, "photo")]
    got = by_id(compute_features(creators(("a", "instagram", 1520, 1), ("b", "instagram", 1050, 1)), posts(rows),
                                 history, as_of=AS_OF))
    assert got["a"]["max_follower_jump"] == pytest.approx(1500 / 1020 - 1)
    assert got["a"]["max_follower_jump_date"] == date(2026, 1, 22)
    assert got["a"]["follower_jump_anomaly"] is True
    assert got["b"]["follower_jump_anomaly"] is False


def test_creator_without_posts_keeps_a_row_with_empty_features() -> None:
    got = by_id(compute_features(creators(("a", "instagram", 100, 1), ("b", "youtube", 0, 1)),
                                 posts([("a", 1, "x", 10, 1, "photo")]), as_of=AS_OF))
    assert got["b"]["post_count"] == 0 and got["b"]["engagement_rate"] is None
    assert got["b"]["engagement_vs_tier"] is None and got["b"]["tier"] == "sub_nano"


def test_comment_signals_show_pods() -> None:
    rows = [("pod", d, "x", 100, 3, "photo") for d in range(1, 5)] + [("fan", d, "x", 100, 3, "photo")
                                                                       for d in range(1, 5)]
    frame = posts(rows).with_columns(pl.Series("comments_sample", [
        ["@ann: great post!!", "@bo: love this 🔥", "@cy: amazing content 👏"],
        ["@ann: Great post", "@bo: 🔥🔥", "@cy: so good"],
        ["@ann: nice pic", "@bo: love this", "@zed: where is this trail?"],
        ["@ann: wow", "@bo: amazing", "@cy: great post"],
        ["@a1: which flour did you use for this?", "@a2: love this"],
        ["@a3: did you proof it overnight in the fridge?"],
        ["@a1: my starter died again, any tips?", "@a4: looks delicious"],
        ["no author given here: still counted"],
    ]))
    got = by_id(compute_features(creators(("pod", "instagram", 5_000, 1), ("fan", "instagram", 5_000, 1)), frame,
                                 as_of=AS_OF))
    assert got["pod"]["comments_sampled"] == 12
    assert got["pod"]["generic_comment_share"] == pytest.approx(11 / 12)
    assert got["pod"]["repeat_commenter_share"] == pytest.approx(11 / 12)  # ann, bo (4 posts), cy (3 posts)
    assert got["pod"]["pod_comment_share"] == pytest.approx(11 / 12)
    assert got["fan"]["generic_comment_share"] == pytest.approx(1 / 6)  # "love this" only
    assert got["fan"]["repeat_commenter_share"] == 0.0
    assert got["fan"]["pod_comment_share"] == 0.0


def test_a_post_dated_in_the_future_does_not_make_everyone_else_inactive(caplog: pytest.LogCaptureFixture) -> None:
    rows = [("a", 3, "x", 10, 1, "photo"), ("b", 10, "x", 10, 1, "photo"), ("c", 5, "x", 10, 1, "photo")]
    frame = posts(rows)
    typo = AS_OF + timedelta(days=365 * 73)  # 2099: a mistyped year
    frame = frame.with_columns(pl.when(pl.col("creator_id") == "c").then(pl.lit(typo)).otherwise(pl.col("posted_at"))
                               .cast(pl.Datetime("us", "UTC")).alias("posted_at"))
    with caplog.at_level("WARNING"):
        assert default_as_of(frame, now=AS_OF) == AS_OF - timedelta(days=3)
    assert "1 post(s) are dated after today" in caplog.text
    got = by_id(compute_features(creators(("a", "instagram", 1_000, 10), ("b", "instagram", 1_000, 10),
                                          ("c", "instagram", 1_000, 10)), frame,
                                 as_of=default_as_of(frame, now=AS_OF)))
    assert [got[c]["days_since_last_post"] for c in "abc"] == [0, 7, 0]  # the future post counts as today
    # Only future posts, or none dated: the newest of them, or now.
    assert default_as_of(frame.filter(pl.col("creator_id") == "c"), now=AS_OF) == typo
    assert default_as_of(frame.with_columns(pl.lit(None, pl.Datetime("us", "UTC")).alias("posted_at")),
                         now=AS_OF) == AS_OF
