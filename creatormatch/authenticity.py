"""Creator authenticity: audience credibility from the follower model plus fraud signals from the features.

Each fraud signal is scaled to [0, 1] (0 = no sign, 1 = strong sign) or null when the data cannot tell (no
evidence: neither a red flag nor a pass); authenticity_score = 1 - the strongest known signal, so one clear red
flag is enough to sink a creator, and null when no signal is known. Each signal comes with a plain reason.
Confidence says how much evidence there was: a follower sample and a follower history, one of them, or neither.
"""

from __future__ import annotations

import polars as pl

SIGNALS = ("fake_followers", "low_engagement", "few_comments", "follower_jump", "pod_comments", "following_ratio")
MIN_SAMPLES_FOR_HIGH = 30
MIN_HISTORY_FOR_HIGH = 8
# Creators with known comments per like needed for a peer median; smaller groups use the whole platform's.
MIN_PEERS = 10


def authenticity_signals(creators: pl.DataFrame) -> pl.DataFrame:
    """Fraud signals, the authenticity score and its reasons for each creator.

    Args:
        creators: the bundle's creator feature table.

    Returns:
        creator_id, one `signal_*` column per signal, authenticity_score, authenticity_confidence,
        authenticity_reasons.
    """
    optional: dict[str, pl.DataType] = {
        "audience_credibility": pl.Float64(), "credibility_low": pl.Float64(), "credibility_high": pl.Float64(),
        "followers_sampled": pl.Int64(), "history_points": pl.UInt32(), "engagement_basis": pl.Utf8()}
    missing = [pl.lit(None, dtype=dtype).alias(name) for name, dtype in optional.items()
               if name not in creators.columns]
    frame = creators.with_columns(missing).select(
        "creator_id", *_signals(), pl.col("max_follower_jump"), pl.col("max_follower_jump_date"),
        pl.col("pod_comment_share"), _comments_vs_peers().alias("_comments_vs_peers"), pl.col("engagement_vs_tier"),
        pl.col("following_ratio"), "audience_credibility", "credibility_low", "credibility_high", "followers_sampled",
        pl.col("history_points").fill_null(0).alias("_history_points"),
    )
    signal_cols = [f"signal_{s}" for s in SIGNALS]
    # max_horizontal skips nulls and is null only when every signal is: then the score is unknown.
    return frame.with_columns(
        (1 - pl.max_horizontal(signal_cols)).alias("authenticity_score"),
        _confidence().alias("authenticity_confidence"),
        _reasons().alias("authenticity_reasons"),
    ).select("creator_id", *signal_cols, "authenticity_score", "authenticity_confidence", "authenticity_reasons")


def _comments_vs_peers() -> pl.Expr:
    """Comments per like against the median of the same platform, tier and engagement basis (the platform's
    when fewer than MIN_PEERS peers have one; null when neither has, or the median is 0)."""
    ratio = pl.col("comments_to_likes")
    by_group = ["platform", "tier", "engagement_basis"]
    peer_median = (pl.when(ratio.count().over(by_group) >= MIN_PEERS).then(ratio.median().over(by_group))
                   .when(ratio.count().over("platform") >= MIN_PEERS).then(ratio.median().over("platform"))
                   .otherwise(None))
    return pl.when(peer_median > 0).then(ratio / peer_median).otherwise(None)


def _signals() -> list[pl.Expr]:
    """The six signals in [0, 1], each null when the data cannot tell."""
    return [
        # Real followers under 90 % starts to count, under 65 % is a full red flag (vendors flag < 75 %). The
        # top of the interval is used, so a small sample gets the benefit of the doubt.
        ((0.9 - pl.col("credibility_high")) / 0.25).clip(0, 1).alias("signal_fake_followers"),
        # Bottom 15 % of the tier: bought followers inflate the denominator.
        ((0.15 - pl.col("engagement_vs_tier")) / 0.15).clip(0, 1).alias("signal_low_engagement"),
        # Comments per like under half the peers' median (genuine creators rarely fall below 0.55x): likes
        # bought without comments. Full strength at a quarter.
        ((0.5 - _comments_vs_peers()) / 0.25).clip(0, 1).alias("signal_few_comments"),
        # A history without an anomaly is evidence of none; no history is no evidence.
        pl.when(pl.col("follower_jump_anomaly")).then(((pl.col("max_follower_jump") - 0.1) / 0.3).clip(0.5, 1))
        .when(pl.col("follower_jump_anomaly").is_not_null()).then(0.0).otherwise(None).alias("signal_follower_jump"),
        # Generic comments from the same few accounts on post after post.
        ((pl.col("pod_comment_share") - 0.1) / 0.25).clip(0, 1).alias("signal_pod_comments"),
        ((pl.col("following_ratio") - 2.0) / 3.0).clip(0, 1).alias("signal_following_ratio"),
    ]


def _percent(expr: pl.Expr) -> pl.Expr:
    return (expr * 100).round(0).cast(pl.Int64)


def _reasons() -> pl.Expr:
    """A plain sentence for each signal that fired (null signals say nothing)."""
    return pl.concat_list(
        pl.when(pl.col("signal_fake_followers") > 0)
        .then(pl.format("about {} % of {} sampled followers look fake (95 % interval {}–{} %)",
                        _percent(1 - pl.col("audience_credibility")), pl.col("followers_sampled"),
                        _percent(1 - pl.col("credibility_high")), _percent(1 - pl.col("credibility_low")))),
        pl.when(pl.col("signal_low_engagement") > 0.3)
        .then(pl.format("engagement in the bottom {} % of its tier",
                        (pl.col("engagement_vs_tier") * 100).ceil().cast(pl.Int64).clip(1, 100))),
        pl.when(pl.col("signal_few_comments") > 0.3)
        .then(pl.format("comments per like at {} % of similar creators' (likes may be bought)",
                        _percent(pl.col("_comments_vs_peers")))),
        pl.when(pl.col("signal_follower_jump") > 0)
        .then(pl.format("followers jumped {} % around {}", _percent(pl.col("max_follower_jump")),
                        pl.col("max_follower_jump_date").cast(pl.Utf8))),
        pl.when(pl.col("signal_pod_comments") > 0.3)
        .then(pl.format("{} % of sampled comments are generic praise from the same few accounts",
                        _percent(pl.col("pod_comment_share")))),
        pl.when(pl.col("signal_following_ratio") > 0.3)
        .then(pl.format("follows {} accounts for every follower", pl.col("following_ratio").round(1))),
    ).list.drop_nulls()


def _confidence() -> pl.Expr:
    """high: a follower sample and a history; medium: either; low: neither."""
    sampled = pl.col("followers_sampled").fill_null(0)
    return (
        pl.when((sampled >= MIN_SAMPLES_FOR_HIGH) & (pl.col("_history_points") >= MIN_HISTORY_FOR_HIGH))
        .then(pl.lit("high"))
        .when((sampled > 0) | (pl.col("_history_points") > 0)).then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
    )
