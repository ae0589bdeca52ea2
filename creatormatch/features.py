"""Creator features: engagement judged against the creator's own tier, cadence, sponsorship and growth."""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime, timedelta

import polars as pl

from creatormatch.schemas import INTERACTIVE_FORMATS, TIER_BOUNDS
from creatormatch.sponsorship import detect_sponsorship

logger = logging.getLogger(__name__)

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
JUMP_BASE_FLOOR = 100


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


def reach_expr() -> pl.Expr:
    """How many people a creator reaches: followers where known, else the median views of their videos.

    Needs the columns followers and median_views. Null when both are unknown.
    """
    return pl.coalesce(pl.col("followers"), pl.col("median_views").round(0).cast(pl.Int64))


def engagement_basis_expr() -> pl.Expr:
    """What engagement is divided by: views on YouTube (or wherever followers are unknown), else followers.

    YouTube reach is per video rather than per subscriber, and trending exports carry no subscriber counts.
    """
    known_followers = pl.col("followers").fill_null(0) > 0
    return (pl.when(pl.col("platform") == "youtube").then(pl.lit("views"))
            .when(known_followers).then(pl.lit("followers"))
            .otherwise(pl.lit("views")))


def post_engagement(posts: pl.LazyFrame, creators: pl.LazyFrame) -> pl.LazyFrame:
    """Per-post engagement rate, (likes + comments) / followers or / views (see engagement_basis_expr).

    Null (unknown) when likes are hidden or the denominator is 0 or unknown; unknown comments count as 0.
    """
    detected = detect_sponsorship(posts)
    denominator = (pl.when(pl.col("engagement_basis") == "views").then(pl.col("views"))
                   .otherwise(pl.col("followers")))
    return (
        detected
        .join(creators.select("creator_id", "followers", "engagement_basis"), on="creator_id", how="inner")
        .with_columns(
            pl.when((denominator.fill_null(0) > 0) & pl.col("likes").is_not_null())
            .then((pl.col("likes") + pl.col("comments").fill_null(0)) / denominator)
            .otherwise(None)
            .alias("post_engagement_rate")
        )
    )


def safe_ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator / denominator, null (unknown) when either is null or the denominator is 0."""
    return pl.when(denominator.fill_null(0) != 0).then(numerator / denominator).otherwise(None)


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
            # Relative to at least JUMP_BASE_FLOOR followers: a rise from 0 is a finite (large) jump, and ten new
            # followers of a brand-new account are not one.
            ((pl.col("followers") - pl.col("followers").shift(1).over("creator_id"))
             / pl.max_horizontal(pl.col("followers").shift(1).over("creator_id"), pl.lit(JUMP_BASE_FLOOR)))
            .alias("change"),
            (pl.col("date") - pl.col("date").shift(1).over("creator_id")).dt.total_days().alias("gap_days"),
        )
        .filter(pl.col("change").is_not_null() & (pl.col("gap_days") <= JUMP_MAX_GAP_DAYS))
    )
    return steps.group_by("creator_id").agg(
        pl.col("change").max().alias("max_follower_jump"),
        pl.col("date").sort_by(["change", "date"]).last().alias("max_follower_jump_date"),
        # Typical change leaves the largest rise out: counted in, a jump in a short history is its own "normal"
        # and 0 -> 5,000 between two points would never be flagged.
        pl.col("change").sort_by(["change", "date"]).head(pl.len() - 1).abs().median()
        .alias("typical_follower_change"),
        pl.len().alias("history_points"),
    ).with_columns(
        # Rule: a jump is an anomaly at >= 20 % and >= 5x the typical change; with no other step (typical
        # unknown) the 20 % alone decides.
        ((pl.col("max_follower_jump") >= JUMP_ANOMALY_MIN)
         & (pl.col("max_follower_jump") >= JUMP_ANOMALY_RATIO * pl.col("typical_follower_change").fill_null(0.0)))
        .alias("follower_jump_anomaly")
    )


def compute_features(creators: pl.DataFrame, posts: pl.DataFrame, follower_history: pl.DataFrame | None = None,
                     as_of: datetime | None = None, recent_posts: int = 30,
                     tier_group_min_size: int = 30) -> pl.DataFrame:
    """Every creator feature the ranking and the reasons use, one row per creator.

    The per-creator aggregates (creator_aggregates) followed by the comparisons with peers (peer_features): the
    first splits by creator, so a distributed build runs it per partition of creators and the second once over
    all of them.

    Args:
        creators: validated creators.
        posts: validated posts (sponsorship is detected here, the one place it is).
        follower_history: validated history (creator_id, date, followers), if any.
        as_of: the date recency is measured from; default the newest post in the data (default_as_of).
        recent_posts: how many of the newest posts count towards engagement rate.
        tier_group_min_size: creators needed in a platform+tier group to rank within it.

    Returns:
        The creators with their features (see README, "Creator features"), in no particular order.
    """
    aggregates = creator_aggregates(creators, posts, follower_history,
                                    as_of=default_as_of(posts) if as_of is None else as_of,
                                    recent_posts=recent_posts)
    return peer_features(aggregates, tier_group_min_size)


def default_as_of(posts: pl.DataFrame, now: datetime | None = None) -> datetime:
    """The date recency is measured from: the newest post in the data (newest_post_date), so that an old export
    does not make everyone look inactive; now when no post has a date."""
    now = now or datetime.now(UTC)
    return newest_post_date(posts, now) or now


def newest_post_date(posts: pl.DataFrame, now: datetime | None = None) -> datetime | None:
    """The newest post's date; None when no post has one.

    Posts dated more than a day after now (a mistyped year, a scheduled post) are left out of that choice, with a
    warning, so one of them cannot make every other creator look inactive; they count as posted today. When every
    dated post is in the future, the newest of them.
    """
    dates = posts.get_column("posted_at") if posts.height else None
    if dates is None or not isinstance(dates.dtype, pl.Datetime):
        return None
    dates = dates.dt.convert_time_zone("UTC") if dates.dtype.time_zone else dates.dt.replace_time_zone("UTC")
    limit = (now or datetime.now(UTC)) + timedelta(days=1)
    future = dates.filter(dates > limit)
    newest = dates.filter(dates <= limit).max()
    if isinstance(newest, datetime):
        if future.len():
            logger.warning("%d post(s) are dated after today (the latest %s); recency is measured from the newest "
                           "post dated before today", future.len(), future.max())
        return newest
    newest = dates.max()  # every dated post is in the future: measure from the newest of them
    return newest if isinstance(newest, datetime) else None


def creator_aggregates(creators: pl.DataFrame, posts: pl.DataFrame, follower_history: pl.DataFrame | None,
                       as_of: datetime, recent_posts: int = 30) -> pl.DataFrame:
    """The features that depend on one creator's own rows only: reach, tier, engagement, cadence, partners,
    comments and follower growth. Any subset of creators with all their posts and history gives the same rows
    for those creators as the whole data does.

    Args:
        creators: validated creators.
        posts: validated posts of those creators.
        follower_history: validated history of those creators, if any.
        as_of: the date recency is measured from (the same for every subset: see default_as_of).
        recent_posts: how many of the newest posts count towards engagement rate.

    Returns:
        One row per creator, in no particular order; peer_features adds the rest.
    """
    posts = _with_optional_columns(posts)
    # Reach and the engagement basis come first: the tier, and so every peer group, depend on them.
    lazy_creators = _with_reach(creators.lazy(), posts.lazy(), recent_posts)
    enriched = post_engagement(posts.lazy(), lazy_creators)
    frame = (
        lazy_creators.with_columns(tier_expr(pl.col("reach")).alias("tier"))
        .join(_engagement(enriched, recent_posts), on="creator_id", how="left")
        .join(_activity(enriched, as_of), on="creator_id", how="left")
        .join(_partners(enriched, lazy_creators), on="creator_id", how="left")
        .join(_comment_features(enriched), on="creator_id", how="left")
        .with_columns(
            pl.col("comments_sampled").fill_null(0),
            safe_ratio(pl.col("_comments"), pl.col("_likes")).alias("comments_to_likes"),
            safe_ratio(pl.col("_er_sponsored"), pl.col("_er_organic")).alias("sponsored_engagement_ratio"),
            pl.col("post_count").fill_null(0),
            pl.col("sponsored_posts").fill_null(0),
            pl.col("brands_worked_with").fill_null(0),
            pl.col("repeat_partnerships").fill_null(0),
            pl.col("partner_brands").fill_null([]),
            safe_ratio(pl.col("following"), pl.col("followers")).alias("following_ratio"),
        )
        .drop("_er_sponsored", "_er_organic", "_comments", "_likes")
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
    return frame.collect()


def peer_features(aggregates: pl.DataFrame, tier_group_min_size: int = 30) -> pl.DataFrame:
    """What compares a creator with its peers (engagement against the platform and tier), over every creator.

    Args:
        aggregates: creator_aggregates of all creators (rows of several subsets concatenated, in any order).
        tier_group_min_size: creators needed in a platform+tier group to rank within it.

    Returns:
        The features of compute_features, NaN and infinities as null.
    """
    return finite_or_null(aggregates.with_columns(_engagement_vs_tier(tier_group_min_size)))


def _with_optional_columns(posts: pl.DataFrame) -> pl.DataFrame:
    """Optional post columns the export left out, as unknown (null)."""
    optional: dict[str, pl.DataType] = {"comments_sample": pl.List(pl.Utf8), "format": pl.Utf8(),
                                        "is_sponsored": pl.Boolean(), "views": pl.Int64(), "likes": pl.Int64(),
                                        "comments": pl.Int64()}
    missing = [pl.lit(None, dtype=dtype).alias(name) for name, dtype in optional.items() if name not in posts.columns]
    return posts.with_columns(missing) if missing else posts


def _newest(posts: pl.LazyFrame, count: int) -> pl.LazyFrame:
    """Each creator's `count` newest posts (undated posts last)."""
    return (posts.sort(["posted_at", "post_id"], descending=[True, False], nulls_last=True)
            .group_by("creator_id", maintain_order=True).head(count))


def _with_reach(creators: pl.LazyFrame, posts: pl.LazyFrame, recent_posts: int) -> pl.LazyFrame:
    """Creators with reach, reach_basis and engagement_basis (see reach_expr and engagement_basis_expr)."""
    median_views = _newest(posts, recent_posts).group_by("creator_id").agg(
        pl.col("views").median().alias("median_views"))
    return (
        creators.join(median_views, on="creator_id", how="left")
        .with_columns(reach_expr().alias("reach"), engagement_basis_expr().alias("engagement_basis"))
        .with_columns(
            pl.when(pl.col("followers").is_not_null()).then(pl.lit("followers"))
            .when(pl.col("reach").is_not_null()).then(pl.lit("views")).otherwise(None).alias("reach_basis"),
        )
        .drop("median_views")
    )


def _engagement(enriched: pl.LazyFrame, recent_posts: int) -> pl.LazyFrame:
    """Median engagement over the newest posts with known engagement, and the sums behind comments per like."""
    recent = _newest(enriched.filter(pl.col("post_engagement_rate").is_not_null()), recent_posts)
    both_counts = pl.col("likes").is_not_null() & pl.col("comments").is_not_null()
    return recent.group_by("creator_id").agg(
        pl.col("post_engagement_rate").median().alias("engagement_rate"),
        pl.col("post_engagement_rate").filter(pl.col("is_sponsored")).median().alias("_er_sponsored"),
        pl.col("post_engagement_rate").filter(~pl.col("is_sponsored")).median().alias("_er_organic"),
        # Only posts whose likes and comments are both known: hidden comments are not zero comments.
        pl.col("comments").filter(both_counts).sum().alias("_comments"),
        pl.col("likes").filter(both_counts).sum().alias("_likes"),
        _per_view("likes").alias("likes_per_view"),
        _per_view("comments").alias("comments_per_view"),
        pl.len().alias("engagement_posts"),
    )


def _per_view(count: str) -> pl.Expr:
    """Median of count / views over posts with both known and views > 0; null when the count is 0 on every such
    post (likes or comments turned off: exports without the flags give 0) or no post has both."""
    known = pl.col(count).is_not_null() & (pl.col("views").fill_null(0) > 0)
    return (pl.when(pl.col(count).filter(known).max() > 0)
            .then((pl.col(count) / pl.col("views")).filter(known).median()).otherwise(None))


def _activity(enriched: pl.LazyFrame, as_of: datetime) -> pl.LazyFrame:
    """Cadence, recency, sponsorship and formats of every creator's posts."""
    days_ago = (pl.lit(as_of).cast(pl.Datetime("us", "UTC")) - pl.col("posted_at")).dt.total_days()
    return enriched.group_by("creator_id").agg(
        pl.len().alias("post_count"),
        days_ago.min().clip(lower_bound=0).alias("days_since_last_post"),  # a post dated after as_of: today
        # Null when no post has a date: unknown cadence is not zero cadence.
        pl.when(pl.col("posted_at").is_not_null().any()).then(days_ago.is_between(0, 180).sum() / 6.0)
        .otherwise(None).alias("posts_per_month"),
        pl.col("is_sponsored").mean().alias("sponsored_share"),
        pl.col("is_sponsored").sum().alias("sponsored_posts"),
        pl.col("discloses").filter(pl.col("is_sponsored")).mean().alias("disclosure_rate"),
        pl.col("format").is_in(INTERACTIVE_FORMATS).mean().alias("interactive_share"),
    )


def _partners(enriched: pl.LazyFrame, creators: pl.LazyFrame) -> pl.LazyFrame:
    """Brands a creator was paid by: the @handles of their sponsored posts, other than their own."""
    return (
        enriched.filter(pl.col("is_sponsored"))
        .select("creator_id", "mentions")
        .explode("mentions")
        .drop_nulls("mentions")
        .join(creators.select("creator_id", pl.col("handle").str.to_lowercase().alias("_own")),
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


def _engagement_vs_tier(tier_group_min_size: int) -> list[pl.Expr]:
    """engagement_vs_tier and its basis: rank among peers, else the public benchmark, else unknown."""
    peers = ["platform", "tier", "engagement_basis"]
    group_size = pl.col("engagement_rate").count().over(peers)
    in_group_rank = (pl.col("engagement_rate").rank("average").over(peers) - 0.5) / group_size
    # Public benchmarks are per follower; per-view engagement in a small group has no benchmark to fall back on.
    has_benchmark = (pl.col("engagement_basis") == "followers") & pl.col("tier").is_not_null()
    return [
        pl.when(pl.col("engagement_rate").is_null()).then(None)
        .when(group_size >= tier_group_min_size).then(in_group_rank)
        .when(has_benchmark).then(_benchmark_expr())
        .otherwise(None)
        .alias("engagement_vs_tier"),
        pl.when(pl.col("engagement_rate").is_null()).then(None)
        .when(group_size >= tier_group_min_size).then(pl.lit("peers"))
        .when(has_benchmark).then(pl.lit("benchmark"))
        .otherwise(None)
        .alias("engagement_vs_tier_basis"),
    ]


def finite_or_null(frame: pl.DataFrame) -> pl.DataFrame:
    """Every NaN or infinite float in the frame as null (unknown): no NaN or inf may reach a bundle or a user."""
    floats = [name for name, dtype in frame.schema.items() if dtype in (pl.Float32, pl.Float64)]
    return frame.with_columns(pl.when(pl.col(c).is_finite()).then(pl.col(c)).otherwise(None).alias(c)
                              for c in floats)
