"""Creator authenticity: audience credibility from the follower model plus fraud signals from the features.

Each fraud signal is scaled to [0, 1] (0 = no sign, 1 = strong sign) or null when the data cannot tell (no
evidence: neither a red flag nor a pass); authenticity_score = 1 - the strongest known signal, so one clear red
flag is enough to sink a creator, and null when no signal is known. Each signal comes with a plain reason, and the
reasons also say when the follower sample was too thin to say much. Confidence says how much evidence there was: a
follower sample and a follower history, one of them, or neither.

Where engagement is judged per view (followers unknown, views known, as in YouTube exports), likes and comments per
view are judged against peers: the same platform and reach tier in the same data, in units of the peers' own spread.
"""

from __future__ import annotations

import polars as pl

from creatormatch.schemas import PLATFORM_LABELS

SIGNALS = ("fake_followers", "low_engagement", "low_engagement_per_view", "few_comments", "follower_jump",
           "pod_comments", "following_ratio")
# Sampled followers with usable counts (follower_model.USABLE_COLUMNS) for high confidence; fewer is thin evidence.
MIN_SAMPLES_FOR_HIGH = 30
MIN_HISTORY_FOR_HIGH = 8
# Creators with a known value needed for a peer median; smaller groups use the whole platform's.
MIN_PEERS = 10
# Per view, a value counts against a creator from PER_VIEW_START robust standard deviations of its peers (in log
# scale: 1.4826 x the median absolute log deviation from their median) under their median, fully at PER_VIEW_FULL.
# Two is about the 2nd percentile of a log-normal group. The spread has a floor, so that near-identical peers do not
# turn a small difference into a red flag.
PER_VIEW_START = 2.0
PER_VIEW_FULL = 3.5
MIN_LOG_SPREAD = 0.25
PER_VIEW_GROUP = ["platform", "tier"]


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
        "followers_sampled": pl.Int64(), "followers_usable": pl.Int64(), "history_points": pl.UInt32(),
        "engagement_basis": pl.Utf8(), "likes_per_view": pl.Float64(), "comments_per_view": pl.Float64()}
    missing = [pl.lit(None, dtype=dtype).alias(name) for name, dtype in optional.items()
               if name not in creators.columns]
    frame = _per_view_vs_peers(creators.with_columns(missing)).with_columns(
        _comments_vs_peers().alias("_comments_vs_peers"))
    frame = frame.select(
        "creator_id", *_signals(), pl.col("max_follower_jump"), pl.col("max_follower_jump_date"),
        pl.col("pod_comment_share"), "_comments_vs_peers", pl.col("engagement_vs_tier"), pl.col("following_ratio"),
        "audience_credibility", "credibility_low", "credibility_high", "followers_sampled", "followers_usable",
        "likes_per_view", "comments_per_view", "_peer_likes", "_peer_comments", "_ratio_likes",
        "_ratio_comments_per_like", "_peers", pl.col("history_points").fill_null(0).alias("_history_points"),
    )
    signal_cols = [f"signal_{s}" for s in SIGNALS]
    # max_horizontal skips nulls and is null only when every signal is: then the score is unknown.
    return frame.with_columns(
        (1 - pl.max_horizontal(signal_cols)).alias("authenticity_score"),
        _confidence().alias("authenticity_confidence"),
        _reasons().alias("authenticity_reasons"),
    ).select("creator_id", *signal_cols, "authenticity_score", "authenticity_confidence", "authenticity_reasons")


def _peer_median(value: pl.Expr, group: list[str]) -> pl.Expr:
    """The median of value over the group when at least MIN_PEERS have one, else over the platform, else null."""
    return (pl.when(value.count().over(group) >= MIN_PEERS).then(value.median().over(group))
            .when(value.count().over("platform") >= MIN_PEERS).then(value.median().over("platform"))
            .otherwise(None))


def _comments_vs_peers() -> pl.Expr:
    """Comments per like against the median of the same platform, tier and engagement basis (the platform's
    when fewer than MIN_PEERS peers have one; null when neither has, or the median is 0)."""
    ratio = pl.col("comments_to_likes")
    peer_median = _peer_median(ratio, ["platform", "tier", "engagement_basis"])
    return pl.when(peer_median > 0).then(ratio / peer_median).otherwise(None)


def _per_view_vs_peers(creators: pl.DataFrame) -> pl.DataFrame:
    """Likes per view, comments per view and comments per like of the creators judged per view, against their
    peers (same platform and tier, judged per view; the platform's when fewer than MIN_PEERS have a value).

    Adds, for those creators (null for the others): _peer_likes, _peer_comments, _peer_comments_per_like (the
    peers' medians), _ratio_likes and _ratio_comments_per_like (the creator's over the median), _z_likes,
    _z_comments and _z_comments_per_like (log distance from the median in robust standard deviations of the
    peers), and _peers (the peer group in words with its size: the benchmark a reason states).

    Per view, no comment at all beside likes is unknown rather than few: exports without a comments_disabled
    flag give 0 for comments turned off.
    """
    per_view = pl.col("engagement_basis") == "views"
    values = {
        "likes": pl.col("likes_per_view"), "comments": pl.col("comments_per_view"),
        "comments_per_like": pl.when(pl.col("comments_to_likes") > 0).then(pl.col("comments_to_likes")),
    }
    frame = creators.with_columns(pl.when(per_view & (v > 0)).then(v).otherwise(None).alias(f"_value_{name}")
                                  for name, v in values.items())
    frame = frame.with_columns(_peer_median(pl.col(f"_value_{name}"), PER_VIEW_GROUP).alias(f"_peer_{name}")
                               for name in values)
    frame = frame.with_columns(
        (pl.col(f"_value_{name}") / pl.col(f"_peer_{name}")).alias(f"_ratio_{name}") for name in values)
    frame = frame.with_columns(
        pl.max_horizontal(pl.lit(MIN_LOG_SPREAD), 1.4826 * _peer_median(pl.col(f"_ratio_{name}").log().abs(),
                                                                        PER_VIEW_GROUP)).alias(f"_spread_{name}")
        for name in values)
    likes = pl.col("_value_likes")
    in_group = likes.count().over(PER_VIEW_GROUP) >= MIN_PEERS
    label = pl.col("platform").replace_strict(PLATFORM_LABELS, default="", return_dtype=pl.Utf8)
    tier = pl.col("tier").fill_null("").str.replace("sub_nano", "sub-1k")
    peers = pl.concat_str([
        pl.when(in_group).then(likes.count().over(PER_VIEW_GROUP)).otherwise(likes.count().over("platform"))
        .cast(pl.Utf8),
        pl.when(label != "").then(pl.lit(" ") + label).otherwise(pl.lit("")),
        pl.when(in_group & (tier != "")).then(pl.lit(" ") + tier).otherwise(pl.lit("")),
        pl.lit(" creators judged per view in this data"),
    ])
    return frame.with_columns(
        *[(pl.col(f"_ratio_{name}").log() / pl.col(f"_spread_{name}")).alias(f"_z_{name}") for name in values],
        pl.when(per_view).then(peers).otherwise(None).alias("_peers"),
    )


def _per_view_strength(z: pl.Expr) -> pl.Expr:
    """0 above PER_VIEW_START robust standard deviations under the peers' median, 1 from PER_VIEW_FULL under it."""
    return ((-z - PER_VIEW_START) / (PER_VIEW_FULL - PER_VIEW_START)).clip(0, 1)


def _signals() -> list[pl.Expr]:
    """The seven signals in [0, 1], each null when the data cannot tell."""
    per_view = pl.col("engagement_basis") == "views"
    return [
        # Real followers under 90 % starts to count, under 65 % is a full red flag (vendors flag < 75 %). The
        # top of the interval is used, so a small sample gets the benefit of the doubt.
        ((0.9 - pl.col("credibility_high")) / 0.25).clip(0, 1).alias("signal_fake_followers"),
        # Bottom 15 % of the tier: bought followers inflate the denominator. Per view there are no followers to
        # inflate, and a rank always puts someone at the bottom: the next signal judges those creators.
        pl.when(per_view).then(None)
        .otherwise(((0.15 - pl.col("engagement_vs_tier")) / 0.15).clip(0, 1)).alias("signal_low_engagement"),
        # Views bought from bots bring neither likes nor comments; viewers who rarely like (news, trailers) still
        # comment, or the other way round. So the higher of the two counts.
        _per_view_strength(pl.max_horizontal("_z_likes", "_z_comments")).alias("signal_low_engagement_per_view"),
        # Followers: comments per like under half the peers' median (genuine creators rarely fall below 0.55x),
        # full strength at a quarter. Per view, where real audiences differ far more, bought likes must show
        # twice: comments per like far under the peers' and likes per view as far above theirs (a loyal audience
        # that likes more than it comments does not raise likes per view as much).
        pl.when(per_view & pl.col("_z_comments_per_like").is_not_null() & pl.col("_z_likes").is_not_null())
        .then(_per_view_strength(pl.max_horizontal("_z_comments_per_like", -pl.col("_z_likes"))))
        .when(per_view).then(None)
        .otherwise(((0.5 - pl.col("_comments_vs_peers")) / 0.25).clip(0, 1)).alias("signal_few_comments"),
        # A history without an anomaly is evidence of none; no history is no evidence.
        pl.when(pl.col("follower_jump_anomaly")).then(((pl.col("max_follower_jump") - 0.1) / 0.3).clip(0.5, 1))
        .when(pl.col("follower_jump_anomaly").is_not_null()).then(0.0).otherwise(None).alias("signal_follower_jump"),
        # Generic comments from the same few accounts on post after post.
        ((pl.col("pod_comment_share") - 0.1) / 0.25).clip(0, 1).alias("signal_pod_comments"),
        ((pl.col("following_ratio") - 2.0) / 3.0).clip(0, 1).alias("signal_following_ratio"),
    ]


def _percent(expr: pl.Expr) -> pl.Expr:
    return (expr * 100).round(0).cast(pl.Int64)


def _per_view_percent(expr: pl.Expr) -> pl.Expr:
    """A per-view share as a percentage: two decimals ("2.07"), three under 0.1 % ("0.005")."""
    percent = expr * 100
    return pl.when(percent >= 0.1).then(percent.round(2)).otherwise(percent.round(3)).cast(pl.Utf8)


def _reasons() -> pl.Expr:
    """A plain sentence for each signal that fired (null signals say nothing), and for thin follower samples."""
    usable, sampled = pl.col("followers_usable").fill_null(0), pl.col("followers_sampled").fill_null(0)
    both = pl.col("comments_per_view").is_not_null() & pl.col("_peer_comments").is_not_null()
    comments_per_view = (pl.when(both).then(pl.format(" and {} % comments",
                                                      _per_view_percent(pl.col("comments_per_view"))))
                         .otherwise(pl.lit("")))
    peer_medians = (pl.when(both).then(pl.format("medians of {} % and {} %", _per_view_percent(pl.col("_peer_likes")),
                                                 _per_view_percent(pl.col("_peer_comments"))))
                    .otherwise(pl.format("a median of {} %", _per_view_percent(pl.col("_peer_likes")))))
    return pl.concat_list(
        pl.when(pl.col("signal_fake_followers") > 0)
        .then(pl.format("about {} % of {} sampled followers look fake (95 % interval {}–{} %)",
                        _percent(1 - pl.col("audience_credibility")), pl.col("followers_usable"),
                        _percent(1 - pl.col("credibility_high")), _percent(1 - pl.col("credibility_low")))),
        pl.when((usable > 0) & (usable < MIN_SAMPLES_FOR_HIGH))
        .then(pl.format("audience credibility rests on only {} sampled followers with usable counts "
                        "(95 % interval {}–{} % real)", usable, _percent(pl.col("credibility_low")),
                        _percent(pl.col("credibility_high")))),
        pl.when((usable == 0) & (sampled > 0))
        .then(pl.format("none of the {} sampled followers has both follower and following counts: audience "
                        "credibility unknown", sampled)),
        pl.when(pl.col("signal_low_engagement") > 0.3)
        .then(pl.format("engagement in the bottom {} % of its tier",
                        (pl.col("engagement_vs_tier") * 100).ceil().cast(pl.Int64).clip(1, 100))),
        pl.when(pl.col("signal_low_engagement_per_view") > 0.3)
        .then(pl.format("{} % likes{} per view, against {} among {}: views may be bought",
                        _per_view_percent(pl.col("likes_per_view")), comments_per_view, peer_medians,
                        pl.col("_peers"))),
        pl.when((pl.col("signal_few_comments") > 0.3) & pl.col("_peers").is_not_null())
        .then(pl.format("comments per like at {} % of the median and likes per view at {}× the median of {}: likes "
                        "may be bought", _percent(pl.col("_ratio_comments_per_like")),
                        pl.col("_ratio_likes").round(1), pl.col("_peers")))
        .when(pl.col("signal_few_comments") > 0.3)
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
    """high: a follower sample (with usable counts) and a history; medium: either; low: neither."""
    sampled = pl.col("followers_usable").fill_null(0)
    return (
        pl.when((sampled >= MIN_SAMPLES_FOR_HIGH) & (pl.col("_history_points") >= MIN_HISTORY_FOR_HIGH))
        .then(pl.lit("high"))
        .when((sampled > 0) | (pl.col("_history_points") > 0)).then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
    )
