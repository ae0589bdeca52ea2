"""Tests for the sample generator: exact schemas, determinism, and the realism the build relies on."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from training.sample import NICHES, SampleCorpus, generate_sample, lexicon, stream_sample, write_sample
from training.sample import generator as sample_generator

SEED = 2024
N_CREATORS = 2000
AS_OF = date(2026, 11, 1)
AS_OF_UTC = datetime(2026, 11, 1, tzinfo=UTC)

UTF8 = pl.String()
LIST_UTF8 = pl.List(pl.String)
EXPECTED_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "creators": {
        "creator_id": UTF8, "handle": UTF8, "display_name": UTF8, "platform": UTF8, "bio": UTF8,
        "followers": pl.Int64(), "following": pl.Int64(), "posts_count": pl.Int64(), "country": UTF8,
        "language": UTF8, "categories": LIST_UTF8,
    },
    "posts": {
        "post_id": UTF8, "creator_id": UTF8, "posted_at": pl.Datetime("us", "UTC"), "caption": UTF8,
        "likes": pl.Int64(), "comments": pl.Int64(), "views": pl.Int64(), "format": UTF8,
        "is_sponsored": pl.Boolean(), "comments_sample": LIST_UTF8,
    },
    "follower_samples": {
        "creator_id": UTF8, "followers": pl.Int64(), "following": pl.Int64(), "posts": pl.Int64(),
        "has_profile_pic": pl.Int8(), "is_private": pl.Int8(), "bio_length": pl.Int64(),
        "username_length": pl.Int64(), "username_digits": pl.Int64(),
    },
    "follower_history": {"creator_id": UTF8, "date": pl.Date(), "followers": pl.Int64()},
    "brands": {
        "brand_id": UTF8, "name": UTF8, "values": UTF8, "product": UTF8, "audience": UTF8,
        "keywords": LIST_UTF8, "platforms": LIST_UTF8, "tiers": LIST_UTF8, "countries": LIST_UTF8,
        "languages": LIST_UTF8,
        "min_followers": pl.Int64(), "max_followers": pl.Int64(),
    },
    "labels": {
        "creator_id": UTF8, "primary_niche": UTF8, "secondary_niche": UTF8, "is_fraud": pl.Boolean(),
        "fraud_kind": UTF8, "true_fake_follower_share": pl.Float64(),
    },
    "brand_labels": {"brand_id": UTF8, "target_niches": LIST_UTF8},
}
FRAME_NAMES = tuple(EXPECTED_SCHEMAS)

TIER = (
    pl.when(pl.col("followers") < 1_000).then(pl.lit("sub_nano"))
    .when(pl.col("followers") < 10_000).then(pl.lit("nano"))
    .when(pl.col("followers") < 100_000).then(pl.lit("micro"))
    .when(pl.col("followers") < 500_000).then(pl.lit("mid"))
    .when(pl.col("followers") < 1_000_000).then(pl.lit("macro"))
    .otherwise(pl.lit("mega"))
    .alias("tier")
)
DISCLOSURE = r"(?i)#ad\b|#sponsored\b|paid partnership|#werbung\b|^ad \|"
DISCOUNT_CODE = r"\b[A-Z]+\d{2}\b.{0,30}% off|% off with my code"
FOREIGN_MARKERS = {
    "es": {"hoy", "gracias", "ustedes", "domingo", "después", "qué"},
    "de": {"heute", "endlich", "danke", "sonntag", "für", "ihr"},
    "fr": {"aujourd'hui", "merci", "vous", "dimanche", "pour", "enfin"},
    "pt": {"hoje", "obrigada", "vocês", "amei", "pra", "dicas"},
    "it": {"oggi", "grazie", "anche", "domenica", "consigli", "dopo"},
}


def _median(frame: pl.DataFrame, column: str) -> float:
    value = frame.get_column(column).median()
    assert isinstance(value, float | int), f"no median for {column}"
    return float(value)


@pytest.fixture(scope="module")
def corpus() -> SampleCorpus:
    return generate_sample(N_CREATORS, seed=SEED)


@pytest.fixture(scope="module")
def creators(corpus: SampleCorpus) -> pl.DataFrame:
    """Creators with their tier and ground-truth labels."""
    return corpus.creators.with_columns(TIER).join(corpus.labels, on="creator_id")


@pytest.fixture(scope="module")
def posts(corpus: SampleCorpus, creators: pl.DataFrame) -> pl.DataFrame:
    """Posts with their creator's followers, platform, tier, labels and the post's engagement rate."""
    return corpus.posts.join(
        creators.select(
            "creator_id", pl.col("followers").alias("creator_followers"), "platform", "tier", "country",
            "language", "primary_niche", "secondary_niche", "is_fraud", "fraud_kind",
        ),
        on="creator_id",
    ).with_columns(((pl.col("likes") + pl.col("comments")) / pl.col("creator_followers")).alias("er"))


@pytest.fixture(scope="module")
def comments(corpus: SampleCorpus, creators: pl.DataFrame) -> pl.DataFrame:
    """One row per sampled comment, with author, text and the creator's fraud kind."""
    return (
        corpus.posts.select("creator_id", "comments_sample")
        .explode("comments_sample")
        .drop_nulls("comments_sample")
        .with_columns(
            pl.col("comments_sample").str.extract(r"^@([^:]+): ", 1).alias("author"),
            pl.col("comments_sample").str.replace(r"^@[^:]+: ", "").alias("text"),
        )
        .join(creators.select("creator_id", "fraud_kind"), on="creator_id")
    )


def _niche_vocabulary(niche: str) -> list[str]:
    words = [topic.lower() for topic in lexicon.NICHE_VOCAB[niche]["topics"]]
    for a, b, shared in lexicon.NEIGHBOUR_VOCAB:
        if niche in (a, b):
            words.extend(word.lower() for word in shared)
    return words


# --- shape of the data --------------------------------------------------------------------------------------


def test_niches_are_the_24_ids_in_order() -> None:
    assert NICHES == (
        "vegan_food", "baking", "coffee", "fitness", "running", "yoga", "skincare", "makeup",
        "sustainable_fashion", "streetwear", "hiking_camping", "cycling", "travel", "parenting", "pets",
        "home_decor", "gardening", "diy_crafts", "personal_finance", "tech_gadgets", "gaming", "photography",
        "books", "zero_waste",
    )


def test_schemas_are_exact(corpus: SampleCorpus) -> None:
    for name, expected in EXPECTED_SCHEMAS.items():
        frame: pl.DataFrame = getattr(corpus, name)
        assert dict(frame.schema) == expected, name


def test_ids_are_unique_and_tables_link_up(corpus: SampleCorpus) -> None:
    creator_ids = corpus.creators.get_column("creator_id")
    assert creator_ids.n_unique() == N_CREATORS
    assert creator_ids.str.contains(r"^c\d{7}$").all()
    assert corpus.creators.get_column("handle").n_unique() == N_CREATORS
    assert corpus.posts.get_column("post_id").n_unique() == corpus.posts.height
    assert corpus.labels.get_column("creator_id").equals(creator_ids)
    for name in ("posts", "follower_samples", "follower_history"):
        frame: pl.DataFrame = getattr(corpus, name)
        assert frame.get_column("creator_id").is_in(creator_ids.implode()).all(), name
    brand_ids = corpus.brands.get_column("brand_id")
    assert brand_ids.str.contains(r"^b\d{4}$").all()
    assert brand_ids.n_unique() == corpus.brands.height
    assert corpus.brand_labels.get_column("brand_id").equals(brand_ids)


def test_every_niche_is_present_and_roughly_balanced(creators: pl.DataFrame) -> None:
    shares = creators.get_column("primary_niche").value_counts(normalize=True)
    assert set(shares.get_column("primary_niche").to_list()) == set(NICHES)
    uniform = 1 / len(NICHES)
    assert shares.get_column("proportion").min() > 0.6 * uniform  # type: ignore[operator]
    assert shares.get_column("proportion").max() < 1.4 * uniform  # type: ignore[operator]


def test_about_half_of_creators_have_a_related_secondary_niche(creators: pl.DataFrame) -> None:
    with_secondary = creators.filter(pl.col("secondary_niche").is_not_null())
    assert 0.45 <= with_secondary.height / creators.height <= 0.65
    assert (with_secondary.get_column("secondary_niche") != with_secondary.get_column("primary_niche")).all()
    pairs = [(a, b) for a, b, _ in lexicon.NEIGHBOUR_VOCAB]
    neighbours = set(pairs) | {(b, a) for a, b in pairs}
    niche_pairs = with_secondary.select("primary_niche", "secondary_niche").rows()
    related = sum(pair in neighbours for pair in niche_pairs)
    assert related / with_secondary.height > 0.5


def test_tier_shares_are_mostly_nano_and_micro(creators: pl.DataFrame) -> None:
    shares = dict(creators.get_column("tier").value_counts(normalize=True).rows())
    assert 0.04 <= shares["sub_nano"] <= 0.12
    assert 0.40 <= shares["nano"] <= 0.60
    assert 0.25 <= shares["micro"] <= 0.40
    assert 0.04 <= shares["mid"] <= 0.11
    assert 0.005 <= shares["macro"] <= 0.04
    assert 0.003 <= shares["mega"] <= 0.025
    assert shares["nano"] + shares["micro"] >= 0.7


def test_platform_mix(creators: pl.DataFrame) -> None:
    shares = dict(creators.get_column("platform").value_counts(normalize=True).rows())
    assert 0.55 <= shares["instagram"] <= 0.65
    assert 0.23 <= shares["tiktok"] <= 0.33
    assert 0.08 <= shares["youtube"] <= 0.16


def test_posts_per_creator_and_active_window(corpus: SampleCorpus, posts: pl.DataFrame) -> None:
    per_creator = posts.group_by("creator_id").agg(
        pl.len().alias("n"), pl.col("posted_at").min().alias("first"), pl.col("posted_at").max().alias("last")
    )
    assert per_creator.height == N_CREATORS
    assert per_creator.get_column("n").min() >= 10  # type: ignore[operator]
    assert per_creator.get_column("n").max() <= 60  # type: ignore[operator]
    counts = corpus.creators.join(per_creator, on="creator_id")
    assert (counts.get_column("posts_count") >= counts.get_column("n")).all()
    assert posts.get_column("posted_at").max() < AS_OF_UTC  # type: ignore[operator]
    span_days = per_creator.select((pl.col("last") - pl.col("first")).dt.total_days()).to_series()
    assert 330 <= span_days.median() <= 560  # type: ignore[operator]
    idle_days = per_creator.select((pl.lit(AS_OF_UTC) - pl.col("last")).dt.total_days()).to_series()
    assert 0.05 <= (idle_days >= 90).mean() <= 0.15  # type: ignore[operator]
    assert (idle_days < 20).mean() >= 0.8  # type: ignore[operator]


# --- engagement ---------------------------------------------------------------------------------------------


def test_instagram_engagement_matches_benchmarks_and_falls_with_tier(posts: pl.DataFrame) -> None:
    genuine = posts.filter(~pl.col("is_fraud"))
    instagram = genuine.filter(pl.col("platform") == "instagram")
    nano = _median(instagram.filter(pl.col("tier") == "nano"), "er")
    micro = _median(instagram.filter(pl.col("tier") == "micro"), "er")
    mid_macro = _median(instagram.filter(pl.col("tier").is_in(["mid", "macro"])), "er")
    assert 0.02 <= nano <= 0.045
    assert 0.01 <= micro <= 0.025
    assert 0.007 <= mid_macro <= 0.016
    assert nano > micro > mid_macro
    # Few mega accounts at this size: pool Instagram with YouTube, which behaves alike.
    mega = _median(genuine.filter((pl.col("platform") != "tiktok") & (pl.col("tier") == "mega")), "er")
    assert 0.003 <= mega < micro


def test_tiktok_engagement_is_several_times_instagram_in_the_same_tier(posts: pl.DataFrame) -> None:
    genuine = posts.filter(~pl.col("is_fraud"))
    for tier in ("nano", "micro", "mid"):
        in_tier = genuine.filter(pl.col("tier") == tier)
        instagram = _median(in_tier.filter(pl.col("platform") == "instagram"), "er")
        tiktok = _median(in_tier.filter(pl.col("platform") == "tiktok"), "er")
        assert 1.5 * instagram < tiktok < 4.5 * instagram, tier


def test_creator_engagement_varies_log_normally(posts: pl.DataFrame) -> None:
    per_creator = (
        posts.filter(~pl.col("is_fraud") & (pl.col("platform") == "instagram") & (pl.col("tier") == "nano"))
        .group_by("creator_id")
        .agg(pl.col("er").median())
    )
    log_rates = np.log(per_creator.get_column("er").to_numpy())
    assert 0.35 <= float(np.std(log_rates)) <= 0.8
    per_post = posts.filter(pl.col("creator_id") == per_creator.get_column("creator_id")[0])
    assert per_post.get_column("er").n_unique() > 5


def test_comments_are_a_few_percent_of_likes_for_genuine_creators(posts: pl.DataFrame) -> None:
    ratio = (
        posts.filter(~pl.col("is_fraud"))
        .group_by("creator_id")
        .agg((pl.col("comments").sum() / pl.col("likes").sum()).alias("ratio"))
    )
    assert 0.02 <= _median(ratio, "ratio") <= 0.05


def test_views_only_for_video_and_several_times_likes(posts: pl.DataFrame) -> None:
    instagram = posts.filter(pl.col("platform") == "instagram")
    assert instagram.filter(pl.col("format") == "photo").get_column("views").is_null().all()
    videos = posts.filter(pl.col("format").is_in(["video", "reel", "live"]))
    assert videos.get_column("views").is_not_null().all()
    assert posts.filter(pl.col("platform") != "instagram").get_column("views").is_not_null().all()
    ratio = posts.filter(~pl.col("is_fraud") & pl.col("views").is_not_null() & (pl.col("likes") > 0)).select(
        (pl.col("views") / pl.col("likes")).alias("ratio")
    )
    assert 5 <= _median(ratio, "ratio") <= 30


# --- fraud --------------------------------------------------------------------------------------------------


def test_fraud_share_and_kinds(creators: pl.DataFrame) -> None:
    assert 0.20 <= creators.get_column("is_fraud").mean() <= 0.35  # type: ignore[operator]
    assert (creators.get_column("is_fraud") == creators.get_column("fraud_kind").is_not_null()).all()
    fraudulent = creators.filter(pl.col("is_fraud"))
    kinds = dict(fraudulent.get_column("fraud_kind").value_counts(normalize=True).rows())
    assert set(kinds) == {"bought_followers", "engagement_pod", "inflated_likes"}
    assert min(kinds.values()) >= 0.15
    share = creators.group_by("fraud_kind").agg(pl.col("true_fake_follower_share").min().alias("low"),
                                                 pl.col("true_fake_follower_share").max().alias("high"))
    bounds = {row[0]: (row[1], row[2]) for row in share.rows()}
    assert 0.02 <= bounds[None][0] and bounds[None][1] <= 0.15
    assert 0.35 <= bounds["bought_followers"][0] and bounds["bought_followers"][1] <= 0.85


def test_follower_history_is_weekly_and_ends_at_todays_count(corpus: SampleCorpus) -> None:
    history = corpus.follower_history.sort("creator_id", "date")
    covered = history.get_column("creator_id").n_unique() / N_CREATORS
    assert 0.75 <= covered <= 0.85
    steps = history.select(pl.col("date").diff().over("creator_id")).to_series().drop_nulls().unique()
    assert steps.to_list() == [timedelta(days=7)]
    last = history.group_by("creator_id").agg(pl.col("date").last(), pl.col("followers").last())
    assert (last.get_column("date") == AS_OF).all()
    now = corpus.creators.select("creator_id", pl.col("followers").alias("now"))
    current = last.join(now, on="creator_id")
    assert (current.get_column("followers") == current.get_column("now")).all()


def test_bought_followers_show_a_jump_in_follower_history(
    corpus: SampleCorpus, creators: pl.DataFrame
) -> None:
    two_week_growth = (
        corpus.follower_history.sort("creator_id", "date")
        .with_columns((pl.col("followers") / pl.col("followers").shift(2).over("creator_id")).alias("growth"))
        .group_by("creator_id")
        .agg(pl.col("growth").max())
        .join(creators.select("creator_id", "fraud_kind"), on="creator_id")
    )
    bought = two_week_growth.filter(pl.col("fraud_kind") == "bought_followers").get_column("growth")
    organic = two_week_growth.filter(pl.col("fraud_kind").is_null()).get_column("growth")
    assert len(bought) > 50
    assert (bought >= 1.3).mean() >= 0.95  # type: ignore[operator]
    assert (organic >= 1.25).mean() <= 0.02  # type: ignore[operator]
    assert organic.median() < 1.1  # type: ignore[operator]


def test_bought_followers_have_engagement_far_below_their_tier(posts: pl.DataFrame) -> None:
    per_creator = posts.group_by("creator_id", "platform", "tier", "fraud_kind").agg(pl.col("er").median())
    tier_norm = per_creator.filter(pl.col("fraud_kind").is_null()).group_by("platform", "tier").agg(
        pl.col("er").median().alias("norm")
    )
    relative = per_creator.join(tier_norm, on=["platform", "tier"]).with_columns(
        (pl.col("er") / pl.col("norm")).alias("relative")
    )
    bought = relative.filter(pl.col("fraud_kind") == "bought_followers")
    genuine = relative.filter(pl.col("fraud_kind").is_null())
    assert _median(bought, "relative") < 0.6
    assert 0.8 < _median(genuine, "relative") < 1.2


def test_follower_samples_are_drawn_with_the_true_fake_share(
    corpus: SampleCorpus, creators: pl.DataFrame
) -> None:
    samples = corpus.follower_samples
    per_creator = samples.group_by("creator_id").len()
    assert 0.65 <= per_creator.height / N_CREATORS <= 0.75
    assert per_creator.get_column("len").min() >= 20  # type: ignore[operator]
    assert per_creator.get_column("len").max() <= 60  # type: ignore[operator]
    assert set(samples.get_column("has_profile_pic").unique().to_list()) == {0, 1}
    assert samples.get_column("is_private").null_count() > 0
    assert samples.get_column("bio_length").null_count() > 0
    assert (samples.get_column("username_digits") < samples.get_column("username_length")).all()
    # A public-data heuristic: a fake follower follows far more than follow it and barely posts.
    follows_many = pl.col("following") > 5 * pl.col("followers").clip(lower_bound=1)
    bare = (pl.col("has_profile_pic") == 0) & (pl.col("posts") < 5)
    looks_fake = (follows_many & (pl.col("posts") < 10)) | bare
    share = (
        samples.group_by("creator_id")
        .agg(looks_fake.mean().alias("looks_fake"))
        .join(creators.select("creator_id", "fraud_kind", "true_fake_follower_share"), on="creator_id")
    )
    bought = _median(share.filter(pl.col("fraud_kind") == "bought_followers"), "looks_fake")
    genuine = _median(share.filter(pl.col("fraud_kind").is_null()), "looks_fake")
    assert bought > 3 * genuine
    correlation = np.corrcoef(share.get_column("looks_fake"), share.get_column("true_fake_follower_share"))
    assert correlation[0, 1] > 0.7


def test_inflated_likes_have_few_comments_per_like(posts: pl.DataFrame) -> None:
    ratio = posts.group_by("creator_id", "fraud_kind").agg(
        (pl.col("comments").sum() / pl.col("likes").sum()).alias("ratio")
    )
    inflated = _median(ratio.filter(pl.col("fraud_kind") == "inflated_likes"), "ratio")
    genuine = _median(ratio.filter(pl.col("fraud_kind").is_null()), "ratio")
    assert inflated < 0.35 * genuine


def test_engagement_pods_repeat_a_small_circle_of_generic_commenters(comments: pl.DataFrame) -> None:
    top_authors = (
        comments.group_by("creator_id", "fraud_kind", "author")
        .len()
        .sort("len", descending=True)
        .group_by("creator_id", "fraud_kind")
        .agg((pl.col("len").head(15).sum() / pl.col("len").sum()).alias("top15_share"))
    )
    pods = _median(top_authors.filter(pl.col("fraud_kind") == "engagement_pod"), "top15_share")
    genuine = _median(top_authors.filter(pl.col("fraud_kind").is_null()), "top15_share")
    assert pods > 0.45
    assert pods > 1.8 * genuine
    generic = (
        comments.with_columns(pl.col("text").is_in(list(lexicon.POD_COMMENTS)).alias("generic"))
        .group_by("creator_id", "fraud_kind")
        .agg(pl.col("generic").mean())
    )
    assert _median(generic.filter(pl.col("fraud_kind") == "engagement_pod"), "generic") > 0.3
    assert _median(generic.filter(pl.col("fraud_kind").is_null()), "generic") < 0.15


def test_comment_samples_are_formatted_and_bounded(corpus: SampleCorpus, comments: pl.DataFrame) -> None:
    lengths = corpus.posts.select(pl.col("comments_sample").list.len().alias("n"), "comments")
    assert lengths.get_column("n").max() <= 8  # type: ignore[operator]
    assert (lengths.get_column("n") <= lengths.get_column("comments")).all()
    assert comments.get_column("comments_sample").str.contains(r"^@[A-Za-z0-9_.]+: \S").all()
    assert comments.get_column("author").n_unique() > 1000


# --- text ---------------------------------------------------------------------------------------------------


def test_captions_are_varied_within_every_niche(posts: pl.DataFrame) -> None:
    captions = posts.get_column("caption")
    assert not captions.str.contains(r"\{[A-Za-z0-9]*\}").any(), "an unfilled template slot"
    assert captions.n_unique() / len(captions) > 0.95
    for niche in NICHES:
        texts = posts.filter(pl.col("primary_niche") == niche).get_column("caption")
        hashtags = texts.str.extract_all(r"#\w+").explode().drop_nulls().n_unique()
        words = texts.str.to_lowercase().str.replace_all(r"#\w+", "").str.extract_all(r"[a-z']+").to_list()
        bigrams = {pair for caption in words for pair in zip(caption, caption[1:], strict=False)}
        assert hashtags >= 100, niche
        assert len(bigrams) >= 1000, niche


def test_about_a_quarter_of_posts_are_off_niche(posts: pl.DataFrame) -> None:
    vocabulary = {niche: _niche_vocabulary(niche) for niche in NICHES}
    on_niche = 0
    secondary_only = 0
    secondary_posts = 0
    for caption, primary, secondary in posts.select(
        pl.col("caption").str.to_lowercase(), "primary_niche", "secondary_niche"
    ).rows():
        words = vocabulary[primary] + (vocabulary[secondary] if secondary else [])
        on_niche += any(word in caption for word in words)
        if secondary:
            secondary_posts += 1
            secondary_topics = [t.lower() for t in lexicon.NICHE_VOCAB[secondary]["topics"]]
            secondary_only += any(t in caption for t in secondary_topics) and not any(
                word in caption for word in vocabulary[primary]
            )
    assert 0.15 <= 1 - on_niche / posts.height <= 0.35
    # A secondary niche gets 20-30 % of the on-topic posts (about 15-22 % of all posts).
    assert 0.08 <= secondary_only / secondary_posts <= 0.35


def test_neighbouring_niches_share_vocabulary(posts: pl.DataFrame) -> None:
    for a, b, shared in lexicon.NEIGHBOUR_VOCAB:
        pattern = "|".join(re.escape(word.lower()) for word in shared)
        for niche in (a, b):
            texts = posts.filter(pl.col("primary_niche") == niche).get_column("caption").str.to_lowercase()
            assert texts.str.contains(pattern).sum() > 0, (a, b, niche)


def test_some_captions_are_in_other_languages(posts: pl.DataFrame) -> None:
    words = posts.get_column("caption").str.to_lowercase().str.extract_all(r"[\w']+")
    found: dict[str, float] = {}
    for language, markers in FOREIGN_MARKERS.items():
        found[language] = words.list.eval(pl.element().is_in(list(markers))).list.any().mean()  # type: ignore[assignment]
    any_foreign = words.list.eval(
        pl.element().is_in([marker for markers in FOREIGN_MARKERS.values() for marker in markers])
    ).list.any().mean()
    assert 0.01 <= any_foreign <= 0.08  # type: ignore[operator]
    assert sum(share > 0 for share in found.values()) >= 4


def test_formats_include_live_shoppable_and_ugc(posts: pl.DataFrame) -> None:
    shares = dict(posts.get_column("format").value_counts(normalize=True).rows())
    assert set(shares) <= {"photo", "video", "reel", "story", "live", "shoppable", "ugc", "other"}
    for interactive in ("live", "shoppable", "ugc"):
        assert shares.get(interactive, 0.0) >= 0.01, interactive
    live = posts.filter(pl.col("format") == "live").get_column("caption")
    assert live.str.contains(r"(?i)\blive\b").mean() > 0.9  # type: ignore[operator]
    assert live.str.contains("Q&A").sum() > 20


def test_sponsored_posts_with_and_without_disclosure(posts: pl.DataFrame) -> None:
    assert posts.get_column("is_sponsored").is_null().all()
    flagged = posts.with_columns(
        pl.col("caption").str.contains(DISCLOSURE).alias("discloses"),
        pl.col("caption").str.contains(DISCOUNT_CODE).alias("has_code"),
        pl.col("caption").str.contains(r"(?i)link in (my )?bio|bio link|linked in my bio").alias("has_link"),
    )
    disclosed = flagged.get_column("discloses").mean()
    undisclosed_code = (flagged.get_column("has_code") & ~flagged.get_column("discloses")).mean()
    assert 0.03 <= disclosed <= 0.12  # type: ignore[operator]
    assert 0.01 <= undisclosed_code <= 0.08  # type: ignore[operator]
    is_ad = pl.col("discloses") | pl.col("has_code") | pl.col("has_link")
    commercial = flagged.with_columns(is_ad.alias("ad"))
    assert 0.07 <= commercial.get_column("ad").mean() <= 0.18  # type: ignore[operator]
    per_creator = commercial.group_by("creator_id").agg(
        pl.col("ad").sum().alias("ads"),
        pl.col("discloses").filter(pl.col("has_code") | pl.col("discloses")).mean().alias("disclosed_share"),
        (pl.col("has_code") | pl.col("discloses")).sum().alias("coded"),
    )
    assert (per_creator.get_column("ads") == 0).mean() >= 0.05  # type: ignore[operator]
    # Disclosure is a habit: some creators always disclose, some never do.
    regular = per_creator.filter(pl.col("coded") >= 3)
    assert (regular.get_column("disclosed_share") == 1.0).mean() >= 0.1  # type: ignore[operator]
    assert (regular.get_column("disclosed_share") == 0.0).mean() >= 0.05  # type: ignore[operator]


def test_repeat_partnerships_with_the_same_brand(posts: pl.DataFrame) -> None:
    partnerships = (
        posts.filter(
            pl.col("caption").str.contains(DISCLOSURE) | pl.col("caption").str.contains(DISCOUNT_CODE)
        )
        .select("post_id", "creator_id", pl.col("caption").str.extract_all(r"@[\w.]+").alias("brand"))
        .explode("brand")
        .drop_nulls("brand")
        .unique(["post_id", "brand"])
        .group_by("creator_id", "brand")
        .len()
    )
    assert partnerships.filter(pl.col("len") >= 3).height >= 200


def test_handles_bios_and_profiles_look_real(creators: pl.DataFrame) -> None:
    handles = creators.get_column("handle")
    assert handles.str.contains(r"^[a-z0-9._]{3,30}$").all()
    with_niche_id = creators.select(
        pl.struct("handle", "primary_niche").map_elements(
            lambda row: row["primary_niche"] in row["handle"], return_dtype=pl.Boolean
        )
    ).to_series()
    assert with_niche_id.mean() < 0.1  # type: ignore[operator]
    bios = creators.get_column("bio")
    assert 0.05 <= (bios == "").mean() <= 0.15  # type: ignore[operator]
    assert bios.is_in(list(lexicon.GENERIC_BIOS)).sum() > 100
    assert bios.str.contains(r" \| | • |\n").sum() > 300
    assert creators.get_column("categories").list.len().max() <= 3  # type: ignore[operator]
    assert (creators.get_column("categories").list.len() == 0).sum() > 0
    assert creators.get_column("country").str.contains(r"^[A-Z]{2}$").all()
    languages = dict(creators.get_column("language").value_counts(normalize=True).rows())
    assert set(languages) <= {"en", "es", "de", "fr", "pt", "it"}
    assert 0.6 <= languages["en"] <= 0.85
    home = {"es": {"ES", "MX"}, "de": {"DE", "AT", "CH"}, "fr": {"FR"}, "pt": {"BR", "PT"}, "it": {"IT"}}
    for language, country in creators.filter(pl.col("language") != "en").select("language", "country").rows():
        assert country in home[language]
    assert creators.get_column("following").median() > 100  # type: ignore[operator]


# --- brands -------------------------------------------------------------------------------------------------


def test_brands_are_about_their_target_niches(corpus: SampleCorpus) -> None:
    brands = corpus.brands.join(corpus.brand_labels, on="brand_id")
    assert brands.height == min(300, max(24, N_CREATORS // 20))
    assert brands.get_column("name").n_unique() == brands.height
    covered = {niche for targets in brands.get_column("target_niches").to_list() for niche in targets}
    assert covered == set(NICHES)
    for row in brands.iter_rows(named=True):
        targets = row["target_niches"]
        assert 1 <= len(targets) <= 2 and set(targets) <= set(NICHES)
        vocab = [lexicon.NICHE_VOCAB[niche] for niche in targets]
        allowed = {w.lower() for v in vocab for w in (*v["topics"], *v["hashtags"], *v["categories"])}
        assert 3 <= len(row["keywords"]) <= 8
        assert set(row["keywords"]) <= allowed, row["brand_id"]
        assert any(product in row["product"] for v in vocab for product in v["products"]), row["brand_id"]
        assert any(value in row["values"] for v in vocab for value in v["values"]), row["brand_id"]
        assert 1 <= row["values"].count(".") <= 4
        assert any(audience in row["audience"] for v in vocab for audience in v["audiences"]), row["brand_id"]


def test_brand_constraints_are_mostly_null_and_loose(corpus: SampleCorpus, creators: pl.DataFrame) -> None:
    brands = corpus.brands.join(corpus.brand_labels, on="brand_id")
    for column in ("platforms", "tiers", "countries", "languages", "min_followers", "max_followers"):
        assert brands.get_column(column).is_null().mean() >= 0.6, column  # type: ignore[operator]
    tiers = brands.get_column("tiers").explode().drop_nulls()
    assert tiers.is_in(["nano", "micro", "mid", "macro", "mega"]).all()
    for row in brands.iter_rows(named=True):
        matching = creators.filter(pl.col("primary_niche").is_in(row["target_niches"]))
        for key, column in (("platforms", "platform"), ("tiers", "tier"), ("countries", "country"),
                            ("languages", "language")):
            if row[key] is not None:
                matching = matching.filter(pl.col(column).is_in(row[key]))
        if row["min_followers"] is not None:
            matching = matching.filter(pl.col("followers") >= row["min_followers"])
        if row["max_followers"] is not None:
            matching = matching.filter(pl.col("followers") <= row["max_followers"])
        assert matching.height >= 15, row["brand_id"]


def test_brand_count_defaults_and_override() -> None:
    assert generate_sample(60, seed=1).brands.height == 24
    small = generate_sample(30, seed=1, n_brands=3)
    assert small.brands.height == 3
    assert small.brand_labels.height == 3


# --- determinism, arguments and files -----------------------------------------------------------------------


def test_same_seed_gives_identical_frames_and_another_seed_differs() -> None:
    first = generate_sample(300, seed=5)
    second = generate_sample(300, seed=5)
    other = generate_sample(300, seed=6)
    for name in FRAME_NAMES:
        assert getattr(first, name).equals(getattr(second, name)), name
    for name in ("creators", "posts", "follower_history", "labels"):
        assert not getattr(first, name).equals(getattr(other, name)), name


def test_everything_is_relative_to_as_of() -> None:
    later = generate_sample(80, seed=3)
    earlier = generate_sample(80, seed=3, as_of=date(2020, 1, 1))
    shift = datetime(2026, 11, 1) - datetime(2020, 1, 1)
    assert earlier.posts.drop("posted_at").equals(later.posts.drop("posted_at"))
    moved = earlier.posts.select(pl.col("posted_at") + shift).to_series()
    assert moved.equals(later.posts.get_column("posted_at"))
    assert earlier.follower_history.get_column("date").max() == date(2020, 1, 1)
    assert earlier.creators.equals(later.creators)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_creators": 0}, ValueError, "n_creators"),
        ({"n_creators": -5}, ValueError, "n_creators"),
        ({"n_creators": 2.5}, ValueError, "n_creators"),
        ({"n_creators": True}, ValueError, "n_creators"),
        ({"n_creators": 10, "n_brands": 0}, ValueError, "n_brands"),
        ({"n_creators": 10, "seed": "x"}, ValueError, "seed"),
        ({"n_creators": 10, "as_of": "2026-11-01"}, TypeError, "as_of"),
        ({"n_creators": 10, "chunk_creators": 0}, ValueError, "chunk_creators"),
    ],
)
def test_invalid_arguments_raise_clear_errors(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        generate_sample(**kwargs)  # type: ignore[arg-type]


def test_tiny_samples_still_work() -> None:
    single = generate_sample(1, seed=0)
    assert single.creators.height == 1
    assert 10 <= single.posts.height <= 60
    for name, expected in EXPECTED_SCHEMAS.items():
        assert dict(getattr(single, name).schema) == expected, name


def test_write_sample_writes_seven_parquet_files_that_read_back_identically(
    corpus: SampleCorpus, tmp_path: Path
) -> None:
    small = generate_sample(120, seed=8)
    paths = write_sample(small, tmp_path / "out")
    assert [path.name for path in paths] == [f"{name}.parquet" for name in FRAME_NAMES]
    for name, path in zip(FRAME_NAMES, paths, strict=True):
        assert pl.read_parquet(path).equals(getattr(small, name)), name
    assert math.isclose(len(corpus.posts) / N_CREATORS, 35, rel_tol=0.1)
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    with pytest.raises(NotADirectoryError, match="not a folder"):
        write_sample(small, not_a_folder)


# --- chunks: a large corpus is drawn and written one chunk of creators at a time ----------------------------

CHUNKED = {"n_creators": 1000, "seed": 3, "chunk_creators": 300}


@pytest.fixture(scope="module")
def chunked() -> SampleCorpus:
    """1,000 creators in four chunks (300, 300, 300, 100)."""
    return generate_sample(**CHUNKED)


def test_a_corpus_within_one_chunk_does_not_depend_on_the_chunk_size() -> None:
    whole = generate_sample(300, seed=5)
    exactly_one_chunk = generate_sample(300, seed=5, chunk_creators=300)
    for name in FRAME_NAMES:
        assert getattr(whole, name).equals(getattr(exactly_one_chunk, name)), name


def test_chunked_corpus_links_up_with_consecutive_post_ids(chunked: SampleCorpus) -> None:
    creator_ids = chunked.creators.get_column("creator_id")
    assert creator_ids.to_list() == [f"c{i:07d}" for i in range(1, 1001)]
    assert chunked.labels.get_column("creator_id").equals(creator_ids)
    post_ids = chunked.posts.get_column("post_id")
    assert post_ids.to_list() == [f"p{i:09d}" for i in range(1, chunked.posts.height + 1)]
    for name in ("posts", "follower_samples", "follower_history"):
        frame: pl.DataFrame = getattr(chunked, name)
        assert frame.get_column("creator_id").is_in(creator_ids.implode()).all(), name
        # Creators stay in id order across chunk boundaries.
        assert frame.get_column("creator_id").is_sorted(), name


def test_every_chunk_has_its_creators_posts_and_followers(chunked: SampleCorpus) -> None:
    per_creator = chunked.posts.group_by("creator_id").len()
    assert per_creator.height == 1000
    assert per_creator.get_column("len").min() >= 10  # type: ignore[operator]
    assert per_creator.get_column("len").max() <= 60  # type: ignore[operator]
    assert math.isclose(chunked.posts.height / 1000, 35, rel_tol=0.1)
    # Posts, history and samples landed on the right creator: counts and today's followers agree.
    counts = chunked.creators.join(per_creator, on="creator_id")
    assert (counts.get_column("posts_count") >= counts.get_column("len")).all()
    history = chunked.follower_history.group_by("creator_id").agg(pl.col("date").last(), pl.col("followers").last())
    now = history.join(chunked.creators.select("creator_id", pl.col("followers").alias("now")), on="creator_id")
    assert (now.get_column("date") == AS_OF).all()
    assert (now.get_column("followers") == now.get_column("now")).all()
    number = pl.col("creator_id").str.slice(1).cast(pl.Int64)
    chunk = ((number - 1) // 300).alias("chunk")
    for name in ("posts", "follower_samples", "follower_history"):
        frame = getattr(chunked, name)
        assert frame.select(chunk.unique().sort()).to_series().to_list() == [0, 1, 2, 3], name
    sizes = pl.DataFrame({"chunk": [0, 1, 2, 3], "size": [300, 300, 300, 100]})
    for name, share in (("follower_samples", 0.7), ("follower_history", 0.8)):
        covered = getattr(chunked, name).group_by(chunk).agg(pl.col("creator_id").n_unique()).join(sizes, on="chunk")
        shares = (covered.get_column("creator_id") / covered.get_column("size")).to_list()
        assert all(abs(value - share) < 0.15 for value in shares), (name, shares)


def test_chunks_are_drawn_independently(chunked: SampleCorpus) -> None:
    captions = chunked.posts.with_columns(
        ((pl.col("creator_id").str.slice(1).cast(pl.Int64) - 1) // 300).alias("chunk")
    )
    by_chunk = [captions.filter(pl.col("chunk") == k).get_column("caption") for k in range(3)]
    assert by_chunk[1].head(50).to_list() != by_chunk[2].head(50).to_list()
    # About as varied in a later chunk as in the first.
    variety = [series.n_unique() / series.len() for series in by_chunk]
    assert min(variety) > 0.9 * max(variety)


def test_same_seed_gives_the_same_chunked_corpus_and_another_seed_differs(chunked: SampleCorpus) -> None:
    again = generate_sample(**CHUNKED)
    other = generate_sample(**{**CHUNKED, "seed": 4})
    for name in FRAME_NAMES:
        assert getattr(chunked, name).equals(getattr(again, name)), name
    last_chunk = pl.col("creator_id") > "c0000900"
    assert not chunked.posts.filter(last_chunk).equals(other.posts.filter(last_chunk))
    assert not chunked.follower_history.filter(last_chunk).equals(other.follower_history.filter(last_chunk))


def test_stream_sample_writes_the_corpus_generate_sample_returns(chunked: SampleCorpus, tmp_path: Path) -> None:
    written = stream_sample(CHUNKED["n_creators"], tmp_path / "first", seed=CHUNKED["seed"],
                            chunk_creators=CHUNKED["chunk_creators"])
    assert [path.name for path in written.paths] == [f"{name}.parquet" for name in FRAME_NAMES]
    assert (written.creators, written.posts, written.brands) == (1000, chunked.posts.height, chunked.brands.height)
    for name, path in zip(FRAME_NAMES, written.paths, strict=True):
        assert pl.read_parquet(path).equals(getattr(chunked, name)), name
    again = stream_sample(CHUNKED["n_creators"], tmp_path / "again", seed=CHUNKED["seed"],
                          chunk_creators=CHUNKED["chunk_creators"])
    for first, second in zip(written.paths, again.paths, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    assert sorted(path.name for path in (tmp_path / "first").iterdir()) == sorted(p.name for p in written.paths)


def test_an_interrupted_stream_leaves_the_previous_sample_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "sample"
    before = generate_sample(40, seed=1)
    write_sample(before, out)
    draw_posts = sample_generator._draw_posts
    calls = {"n": 0}

    def fail_in_the_second_chunk(*args: object, **kwargs: object) -> pl.DataFrame:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return draw_posts(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sample_generator, "_draw_posts", fail_in_the_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        stream_sample(100, out, seed=2, chunk_creators=50)
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{name}.parquet" for name in FRAME_NAMES)
    for name in FRAME_NAMES:
        assert pl.read_parquet(out / f"{name}.parquet").equals(getattr(before, name)), name
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    with pytest.raises(NotADirectoryError, match="not a folder"):
        stream_sample(10, not_a_folder)


def test_a_ctrl_c_while_the_finished_tables_are_renamed_waits_for_the_last_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """Otherwise the folder would hold some tables of the new sample beside the rest of the old one."""
    import os
    import signal

    out = tmp_path / "sample"
    write_sample(generate_sample(40, seed=1), out)
    replace = Path.replace
    renamed: list[str] = []

    def interrupted_after_the_first(self: Path, target: Path) -> Path:
        done = replace(self, target)
        renamed.append(target.name)
        if len(renamed) == 1:
            os.kill(os.getpid(), signal.SIGINT)
        return done

    monkeypatch.setattr(Path, "replace", interrupted_after_the_first)
    # Python's own Ctrl-C handler, whatever this process inherited (a shell's background job starts with SIGINT
    # ignored, and then Python installs none).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    request.addfinalizer(lambda: signal.signal(signal.SIGINT, previous))
    with pytest.raises(KeyboardInterrupt):
        stream_sample(60, out, seed=2, chunk_creators=50)
    assert len(renamed) == len(FRAME_NAMES)
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{name}.parquet" for name in FRAME_NAMES)
    assert pl.read_parquet(out / "creators.parquet").height == 60
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler

    # A rename that fails while a signal is held: the failure is what the caller sees, and the handlers are back.
    def failing_after_an_interrupt(self: Path, target: Path) -> Path:  # noqa: ARG001
        os.kill(os.getpid(), signal.SIGINT)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", failing_after_an_interrupt)
    with pytest.raises(OSError, match="No space left"):
        stream_sample(60, out, seed=3, chunk_creators=50)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
