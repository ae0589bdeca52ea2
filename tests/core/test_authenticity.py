"""Creator authenticity signals on hand-built creator tables: engagement per view judged against peers, thin follower
samples said plainly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
import pytest

from creatormatch.authenticity import MIN_PEERS, authenticity_signals
from creatormatch.features import compute_features

AS_OF = datetime(2026, 6, 1, tzinfo=UTC)


def youtube(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Creators judged per view (YouTube, no followers), with the features the signals read."""
    base = {"platform": "youtube", "tier": "mid", "engagement_basis": "views", "engagement_vs_tier": 0.5,
            "comments_to_likes": 0.15, "likes_per_view": 0.02, "comments_per_view": 0.003, "following_ratio": None,
            "pod_comment_share": None, "max_follower_jump": None, "max_follower_jump_date": None,
            "follower_jump_anomaly": None, "history_points": None}
    schema = {"creator_id": pl.Utf8, "platform": pl.Utf8, "tier": pl.Utf8, "engagement_basis": pl.Utf8,
              "engagement_vs_tier": pl.Float64, "comments_to_likes": pl.Float64, "likes_per_view": pl.Float64,
              "comments_per_view": pl.Float64, "following_ratio": pl.Float64, "pod_comment_share": pl.Float64,
              "max_follower_jump": pl.Float64, "max_follower_jump_date": pl.Date,
              "follower_jump_anomaly": pl.Boolean, "history_points": pl.UInt32}
    return pl.DataFrame([{**base, **row} for row in rows], schema=schema)


def peers(n: int = 30) -> list[dict[str, Any]]:
    """Genuine channels whose likes and comments per view spread by up to 2x around the median, as real ones do."""
    return [{"creator_id": f"peer{i}", "likes_per_view": 0.02 * 2 ** ((i % 5 - 2) / 2),
             "comments_per_view": 0.003 * 2 ** ((i % 3 - 1) / 2),
             "comments_to_likes": 0.15 * 2 ** ((i % 4 - 1.5) / 2), "engagement_vs_tier": (i + 0.5) / n}
            for i in range(n)]


def signals(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["creator_id"]: r for r in authenticity_signals(youtube(rows)).iter_rows(named=True)}


def test_bought_views_are_flagged_against_the_peers_median_and_the_reason_states_it() -> None:
    got = signals([*peers(), {"creator_id": "botted", "likes_per_view": 0.0004, "comments_per_view": 0.00005,
                              "engagement_vs_tier": 0.01}])
    botted = got["botted"]
    assert botted["signal_low_engagement_per_view"] == 1.0 and botted["authenticity_score"] == 0.0
    (reason,) = botted["authenticity_reasons"]
    assert reason.startswith("0.04 % likes and 0.005 % comments per view, against medians of 2.0 % and 0.3 % among "
                             "31 YouTube mid creators judged per view in this data")
    # Per view, the bottom of a rank is not evidence: no genuine channel is flagged, whatever its rank.
    assert all(got[f"peer{i}"]["signal_low_engagement_per_view"] == 0.0 for i in range(30))
    assert all(row["signal_low_engagement"] is None for row in got.values())
    assert min(got[f"peer{i}"]["authenticity_score"] for i in range(30)) == 1.0


def test_a_quiet_audience_is_not_bought_likes_but_likes_far_above_peers_with_few_comments_are() -> None:
    got = signals([
        *peers(),
        # Few comments per like because few comments per view: likes per view are ordinary.
        {"creator_id": "quiet", "comments_to_likes": 0.01, "comments_per_view": 0.0002},
        # Likes per view 10x the peers' while comments per view stay ordinary: likes were added.
        {"creator_id": "bought_likes", "likes_per_view": 0.2, "comments_to_likes": 0.015},
        # Comments turned off show as 0 comments in exports without the flag: unknown, not few.
        {"creator_id": "comments_off", "likes_per_view": 0.2, "comments_to_likes": 0.0, "comments_per_view": None},
    ])
    assert got["quiet"]["signal_few_comments"] == 0.0
    assert got["bought_likes"]["signal_few_comments"] == 1.0
    assert any("likes per view at 10.0× the median" in r for r in got["bought_likes"]["authenticity_reasons"])
    assert got["comments_off"]["signal_few_comments"] is None


def test_without_enough_peers_per_view_engagement_is_no_evidence() -> None:
    got = signals([*peers(MIN_PEERS - 2), {"creator_id": "botted", "likes_per_view": 0.0004,
                                           "comments_per_view": 0.00005}])
    assert got["botted"]["signal_low_engagement_per_view"] is None
    assert got["botted"]["authenticity_score"] is None


def test_thin_and_unusable_follower_samples_are_said_in_the_reasons() -> None:
    rows = [{"creator_id": "thin", "followers_sampled": 12, "followers_usable": 12, "audience_credibility": 0.95,
             "credibility_low": 0.7, "credibility_high": 1.0},
            {"creator_id": "unusable", "followers_sampled": 40, "followers_usable": 0},
            {"creator_id": "solid", "followers_sampled": 45, "followers_usable": 40, "audience_credibility": 0.97,
             "credibility_low": 0.88, "credibility_high": 1.0, "history_points": 12}]
    frame = youtube([{**peers()[0], "creator_id": r["creator_id"]} for r in rows]).join(
        pl.DataFrame(rows, schema={"creator_id": pl.Utf8, "followers_sampled": pl.Int64, "followers_usable": pl.Int64,
                                   "audience_credibility": pl.Float64, "credibility_low": pl.Float64,
                                   "credibility_high": pl.Float64, "history_points": pl.UInt32}),
        on="creator_id").drop("history_points").rename({"history_points_right": "history_points"})
    got = {r["creator_id"]: r for r in authenticity_signals(frame).iter_rows(named=True)}
    assert got["thin"]["authenticity_reasons"] == [
        "audience credibility rests on only 12 sampled followers with usable counts (95 % interval 70–100 % real)"]
    assert got["thin"]["authenticity_confidence"] == "medium"
    assert got["unusable"]["authenticity_reasons"] == [
        "none of the 40 sampled followers has both follower and following counts: audience credibility unknown"]
    assert got["unusable"]["signal_fake_followers"] is None and got["unusable"]["authenticity_confidence"] == "low"
    assert got["solid"]["authenticity_reasons"] == [] and got["solid"]["authenticity_confidence"] == "high"


def test_likes_and_comments_per_view_are_medians_and_unknown_when_turned_off() -> None:
    creators = pl.DataFrame({"creator_id": ["tube", "off"], "handle": ["tube", "off"],
                             "platform": ["youtube", "youtube"], "followers": [None, None], "following": [None, None]},
                            schema={"creator_id": pl.Utf8, "handle": pl.Utf8, "platform": pl.Utf8,
                                    "followers": pl.Int64, "following": pl.Int64})
    rows = [("tube", 1000, 20, 3), ("tube", 2000, 60, 2), ("tube", 4000, 40, 0), ("off", 5000, 0, 0),
            ("off", 8000, 0, 0)]
    posts = pl.DataFrame(
        {"post_id": [f"p{i}" for i in range(len(rows))], "creator_id": [r[0] for r in rows],
         "posted_at": [AS_OF - timedelta(days=i) for i in range(len(rows))], "caption": ["video"] * len(rows),
         "views": [r[1] for r in rows], "likes": [r[2] for r in rows], "comments": [r[3] for r in rows],
         "format": ["video"] * len(rows), "is_sponsored": [None] * len(rows)},
        schema={"post_id": pl.Utf8, "creator_id": pl.Utf8, "posted_at": pl.Datetime("us", "UTC"),
                "caption": pl.Utf8, "views": pl.Int64, "likes": pl.Int64, "comments": pl.Int64, "format": pl.Utf8,
                "is_sponsored": pl.Boolean})
    got = {r["creator_id"]: r for r in compute_features(creators, posts, as_of=AS_OF).iter_rows(named=True)}
    assert got["tube"]["likes_per_view"] == pytest.approx(0.02)  # 0.02, 0.03, 0.01
    assert got["tube"]["comments_per_view"] == pytest.approx(0.001)  # 0.003, 0.001, 0
    # No like and no comment on any video: ratings and comments turned off, not zero engagement per view.
    assert got["off"]["likes_per_view"] is None and got["off"]["comments_per_view"] is None
