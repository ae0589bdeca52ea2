"""Creator features: engagement judged against the creator's own tier, cadence, sponsorship and growth."""

from __future__ import annotations

import math
from datetime import datetime

import polars as pl

from creatormatch.schemas import INTERACTIVE_FORMATS, TIER_BOUNDS
from creatormatch.sponsorship import detect_sponsorship

# Median engagement rate ((likes + comments) / followers per post) by platform and tier, taken from the middle
# of the public ranges in shared/data/engagement_benchmarks.md. YouTube, Twitter and other platforms have no
# figures there: they use Instagram's, an assumption the README states.
BENCHMARK_MEDIAN_ER: dict[str, dict[str, float]] = {
    "instagram": {"sub_nano": 0.05, "nano": 0.03, "micro": 0.015, "mid": 0.011, "macro": 0.01, "mega": 0.007},
    "tiktok": {"sub_nano": 0.09, "nano": 0.075, "micro": 0.055, "mid": 0.045, "macro": 0.04, "mega": 0.03},
}
# Spread of log engagement rate within a tier (the benchmark ranges span about a factor of 4).
BENCHMARK_LOG_SIGMA = 0.7
# Words of generic praise: a comment made only of these (and emoji) says nothing about the post. Pods and bots
# write them; real fans mostly do not. English only for now (a limit the README states).
GENERIC_COMMENT_WORDS: frozenset[str] = frozenset(
    "a amazing awesome beautiful best bro cool content cute dope epic ever fire follow for gorgeous great good "
    "incredible insane inspiring inspo it keep legend lit love lovely me my nice omg page perfect photo pic post "
    "queen king shot so stunning super the this top up vibes wonderful wow yes yay goals obsessed with check out "
    "dm collab u you wow".split()
)
GENERIC_COMMENT_MAX_WORDS = 6
REPEAT_COMMENTER_MIN_POSTS = 3
JUMP_MAX_GAP_DAYS = 21
JUMP_ANOMALY_MIN = 0.2
JUMP_ANOMALY_RATIO = 5.0


def tier_expr(followers: pl.Expr) -> pl.Expr:
    """The tier name of each follower count, as a polars expression."""
    expr: pl.Expr = pl.lit(None, dtype=pl.Utf8)
    for tier, (low, _high) in TIER_BOUNDS.items():
        expr = pl.when(followers >= low).then(pl.lit(tier)).otherwise(expr)
    return expr


def benchmark_percentile(engagement_rate: float, platform: str, tier: str) -> float:
    """Where an engagement rate sits among the public benchmark for its platform and tier, in [0, 1].

    Engagement rate is modelled as log-normal around the benchmark median with BENCHMARK_LOG_SIGMA.

    Args:
        engagement_rate: (likes + comments) / followers per post, > 0.
        platform: the creator's platform.
        tier: the creator's tier.

    Returns:
        The estimated percentile.
    """
    medians = BENCHMARK_MEDIAN_ER.get(platform, BENCHMARK_MEDIAN_ER["instagram"])
    if engagement_rate <= 0:
        return 0.0
    z = (math.log(engagement_rate) - math.log(medians[tier])) / BENCHMARK_LOG_SIGMA
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def _benchmark_expr() -> pl.Expr:
    from scipy.special import ndtr

    median: pl.Expr = pl.col("tier").replace_strict(BENCHMARK_MEDIAN_ER["instagram"], default=None,
                                                     return_dtype=pl.Float64)
    for platform, by_tier in BENCHMARK_MEDIAN_ER.items():
        by_tier_expr = pl.col("tier").replace_strict(by_tier, default=None, return_dtype=pl.Float64)
        median = pl.when(pl.col("platform") == platform).then(by_tier_expr).otherwise(median)
    z = (pl.col("engagement_rate").log() - median.log()) / BENCHMARK_LOG_SIGMA
    return z.map_batches(lambda s: pl.Series(ndtr(s.to_numpy())), return_dtype=pl.Float64)


def post_engagement(posts: pl.LazyFrame, creators: pl.LazyFrame) -> pl.LazyFrame:
    """Per-post engagement rate, (likes + comments) / followers, with sponsorship detected."""
    detected = posts if "discloses" in posts.collect_schema().names() else detect_sponsorship(posts)
    return (
        detected
        .join(creators.select("creator_id", "followers"), on="creator_id", how="inner")
        .with_columns(
            pl.when((pl.col("followers") > 0) & pl.col("likes").is_not_null())
            .then((pl.col("likes") + pl.col("comments").fill_null(0)) / pl.col("followers"))
            .otherwise(None)
            .alias("post_engagement_rate")
        )
    )


def _comment_features(posts: pl.LazyFrame) -> pl.LazyFrame:
    """Signals of engagement pods from sampled comments written "@author: text" (authors are optional)."""
    comments = (
        posts.select("creator_id", "post_id", pl.col("comments_sample").alias("comment"))
        .explode("comment")
        .drop_nulls("comment")
        .with_columns(
            pl.col("comment").str.extract(r"^\s*@([\w.]+)\s*:", 1).str.to_lowercase().alias("author"),
            pl.col("comment").str.replace(r"^\s*@[\w.]+\s*:", "").str.to_lowercase()
            .str.replace_all(r"[^\p{L}\s]", " ").str.split(" ").list.eval(pl.element().filter(pl.element() != ""))
            .alias("words"),
        )
        .with_columns(
            ((pl.col("words").list.len() <= GENERIC_COMMENT_MAX_WORDS)
             & pl.col("words").list.eval(pl.element().is_in(GENERIC_COMMENT_WORDS)).list.all()).alias("generic"),
            (pl.col("post_id").n_unique().over("creator_id", "author") >= REPEAT_COMMENTER_MIN_POSTS)
            .and_(pl.col("author").is_not_null()).alias("repeat_author"),
        )
    )
    return comments.group_by("creator_id").agg(
        pl.len().alias("comments_sampled"),
        pl.col("generic").mean().alias("generic_comment_share"),
        pl.col("repeat_author").mean().alias("repeat_commenter_share"),
        (pl.col("generic") & pl.col("repeat_author")).mean().alias("pod_comment_share"),
    )


def _history_features(history: pl.LazyFrame) -> pl.LazyFrame:
    steps = (
        history.sort("creator_id", "date")
        .with_columns(
            (pl.col("followers") / pl.col("followers").shift(1).over("creator_id") - 1.0).alias("change"),
            (pl.col("date") - pl.col("date").shift(1).over("creator_id")).dt.total_days().alias("gap_days"),
        )
        .filter(pl.col("change").is_not_null() & pl.col("change").is_finite()
                & (pl.col("gap_days") <= JUMP_MAX_GAP_DAYS))
    )
    return steps.group_by("creator_id").agg(
        pl.col("change").max().alias("max_follower_jump"),
        pl.col("date").sort_by(["change", "date"]).last().alias("max_follower_jump_date"),
        pl.col("change").abs().median().alias("typical_follower_change"),
        pl.len().alias("history_points"),
    ).with_columns(
        ((pl.col("max_follower_jump") >= JUMP_ANOMALY_MIN)
         & (pl.col("max_follower_jump") >= JUMP_ANOMALY_RATIO * pl.col("typical_follower_change")))
        .alias("follower_jump_anomaly")
    )


def compute_features(creators: pl.DataFrame, posts: pl.DataFrame, follower_history: pl.DataFrame | None = None,
                     as_of: datetime | None = None, recent_posts: int = 30,
                     tier_group_min_size: int = 30) -> pl.DataFrame:
    """Every creator feature the ranking and the reasons use, one row per creator.

    Args:
        creators: validated creators.
        posts: validated posts.
        follower_history: validated history (creator_id, date, followers), if any.
        as_of: the date recency is measured from; default the newest post in the data, so that an old export
            does not make everyone look inactive.
        recent_posts: how many of the newest posts count towards engagement rate.
        tier_group_min_size: creators needed in a platform+tier group to rank within it.

    Returns:
        The creators with their features (see README, "Creator features").
    """
    if as_of is None:
        newest = posts.get_column("posted_at").max() if posts.height else None
        as_of = newest if isinstance(newest, datetime) else datetime.now().astimezone()
    as_of_lit = pl.lit(as_of).cast(pl.Datetime("us", "UTC"))
    for name, dtype in (("comments_sample", pl.List(pl.Utf8)), ("format", pl.Utf8), ("is_sponsored", pl.Boolean)):
        if name not in posts.columns:
            posts = posts.with_columns(pl.lit(None, dtype=dtype).alias(name))
    lazy_creators = creators.lazy()
    enriched = post_engagement(posts.lazy(), lazy_creators)
    recent = (
        enriched.filter(pl.col("post_engagement_rate").is_not_null())
        .sort(["posted_at", "post_id"], descending=[True, False], nulls_last=True)
        .group_by("creator_id", maintain_order=True)
        .head(recent_posts)
    )
    engagement = recent.group_by("creator_id").agg(
        pl.col("post_engagement_rate").median().alias("engagement_rate"),
        pl.col("post_engagement_rate").filter(pl.col("is_sponsored")).median().alias("_er_sponsored"),
        pl.col("post_engagement_rate").filter(~pl.col("is_sponsored")).median().alias("_er_organic"),
        (pl.col("comments").fill_null(0).sum() / pl.col("likes").sum()).alias("comments_to_likes"),
        pl.len().alias("engagement_posts"),
    )
    days_ago = (as_of_lit - pl.col("posted_at")).dt.total_days()
    activity = enriched.group_by("creator_id").agg(
        pl.len().alias("post_count"),
        days_ago.min().alias("days_since_last_post"),
        (days_ago.is_between(0, 180).sum() / 6.0).alias("posts_per_month"),
        pl.col("is_sponsored").mean().alias("sponsored_share"),
        pl.col("is_sponsored").sum().alias("sponsored_posts"),
        pl.col("discloses").filter(pl.col("is_sponsored")).mean().alias("disclosure_rate"),
        pl.col("format").is_in(INTERACTIVE_FORMATS).mean().alias("interactive_share"),
    )
    partners = (
        enriched.filter(pl.col("is_sponsored"))
        .select("creator_id", "mentions")
        .explode("mentions")
        .drop_nulls("mentions")
        .join(lazy_creators.select("creator_id", pl.col("handle").str.to_lowercase().alias("_own")),
              on="creator_id", how="left")
        .filter(pl.col("mentions") != pl.col("_own").fill_null(""))
        .group_by("creator_id", "mentions")
        .len()
        .group_by("creator_id")
        .agg(
            pl.len().alias("brands_worked_with"),
            (pl.col("len") >= 2).sum().alias("repeat_partnerships"),
            pl.col("mentions").sort_by(["len", "mentions"], descending=[True, False]).head(5).alias("partner_brands"),
        )
    )
    frame = (
        lazy_creators.with_columns(tier_expr(pl.col("followers")).alias("tier"))
        .join(engagement, on="creator_id", how="left")
        .join(activity, on="creator_id", how="left")
        .join(partners, on="creator_id", how="left")
        .join(_comment_features(enriched), on="creator_id", how="left")
        .with_columns(
            pl.col("comments_sampled").fill_null(0),
            (pl.col("_er_sponsored") / pl.col("_er_organic")).alias("sponsored_engagement_ratio"),
            pl.col("post_count").fill_null(0),
            pl.col("sponsored_posts").fill_null(0),
            pl.col("brands_worked_with").fill_null(0),
            pl.col("repeat_partnerships").fill_null(0),
            pl.col("partner_brands").fill_null([]),
            (pl.col("following") / pl.col("followers")).alias("following_ratio"),
        )
        .drop("_er_sponsored", "_er_organic")
    )
    if follower_history is not None and follower_history.height:
        frame = frame.join(_history_features(follower_history.lazy()), on="creator_id", how="left")
    else:
        frame = frame.with_columns(
            pl.lit(None, dtype=pl.Float64).alias("max_follower_jump"),
            pl.lit(None, dtype=pl.Date).alias("max_follower_jump_date"),
            pl.lit(None, dtype=pl.Float64).alias("typical_follower_change"),
            pl.lit(None, dtype=pl.UInt32).alias("history_points"),
            pl.lit(None, dtype=pl.Boolean).alias("follower_jump_anomaly"),
        )
    group_size = pl.col("engagement_rate").count().over("platform", "tier")
    in_group_rank = (pl.col("engagement_rate").rank("average").over("platform", "tier") - 0.5) / group_size
    frame = frame.with_columns(
        pl.when(pl.col("engagement_rate").is_null()).then(None)
        .when(group_size >= tier_group_min_size).then(in_group_rank)
        .otherwise(_benchmark_expr())
        .alias("engagement_vs_tier"),
        pl.when(pl.col("engagement_rate").is_null()).then(None)
        .when(group_size >= tier_group_min_size).then(pl.lit("peers"))
        .otherwise(pl.lit("benchmark"))
        .alias("engagement_vs_tier_basis"),
    )
    return frame.collect()
