"""The data contract: the input tables, their columns and types, and the domain vocabularies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PLATFORMS: tuple[str, ...] = ("instagram", "tiktok", "youtube", "twitter", "other")
# How a platform is written in a sentence a user reads ("other" is left out).
PLATFORM_LABELS: dict[str, str] = {"instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube",
                                   "twitter": "Twitter", "other": ""}
PLATFORM_ALIASES: dict[str, str] = {
    "ig": "instagram", "insta": "instagram", "tik tok": "tiktok", "tt": "tiktok", "yt": "youtube",
    "x": "twitter", "x.com": "twitter",
}
POST_FORMATS: tuple[str, ...] = ("photo", "video", "reel", "story", "live", "shoppable", "ugc", "other")
FORMAT_ALIASES: dict[str, str] = {
    "image": "photo", "carousel": "photo", "album": "photo", "sidecar": "photo", "graphimage": "photo",
    "clip": "reel", "reels": "reel", "short": "video", "shorts": "video", "graphvideo": "video",
    "livestream": "live", "live_video": "live", "stream": "live", "product": "shoppable",
}
INTERACTIVE_FORMATS: tuple[str, ...] = ("live", "shoppable", "ugc")

# Tier boundaries in reach (followers, or median views where followers are unknown): [low, high).
TIER_BOUNDS: dict[str, tuple[int, int | None]] = {
    "sub_nano": (0, 1_000),
    "nano": (1_000, 10_000),
    "micro": (10_000, 100_000),
    "mid": (100_000, 500_000),
    "macro": (500_000, 1_000_000),
    "mega": (1_000_000, None),
}
TIER_ORDER: tuple[str, ...] = tuple(TIER_BOUNDS)  # smallest first
UNKNOWN_TIER = "unknown"  # a creator whose reach the data does not give
# Tiers a filter or a brand's constraints may name.
FILTER_TIERS: tuple[str, ...] = (*TIER_ORDER, UNKNOWN_TIER)

ColumnKind = Literal["str", "int", "float", "bool", "datetime", "date", "str_list"]


@dataclass(frozen=True)
class Column:
    """One column of an input table."""

    name: str
    kind: ColumnKind
    required: bool = False
    non_negative: bool = False


@dataclass(frozen=True)
class TableSpec:
    """An input table: its file stem, id column and columns."""

    name: str
    columns: tuple[Column, ...]
    id_column: str | None
    required_file: bool

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


CREATORS = TableSpec(
    name="creators",
    id_column="creator_id",
    required_file=True,
    columns=(
        Column("creator_id", "str", required=True),
        Column("handle", "str"),
        Column("display_name", "str"),
        Column("platform", "str", required=True),
        Column("bio", "str"),
        # Unknown (null) is allowed: a YouTube trending export has no subscriber counts. Reach then comes
        # from views (features.py).
        Column("followers", "int", non_negative=True),
        Column("following", "int", non_negative=True),
        Column("posts_count", "int", non_negative=True),
        Column("country", "str"),
        Column("language", "str"),
        Column("categories", "str_list"),
    ),
)

POSTS = TableSpec(
    name="posts",
    id_column="post_id",
    required_file=True,
    columns=(
        Column("post_id", "str", required=True),
        Column("creator_id", "str", required=True),
        Column("posted_at", "datetime"),
        # A post with no text at all is kept: its engagement still counts.
        Column("caption", "str"),
        Column("title", "str"),
        Column("tags", "str_list"),
        Column("likes", "int", non_negative=True),
        Column("comments", "int", non_negative=True),
        Column("views", "int", non_negative=True),
        Column("format", "str"),
        Column("is_sponsored", "bool"),
        Column("comments_sample", "str_list"),
    ),
)

FOLLOWER_SAMPLES = TableSpec(
    name="follower_samples",
    id_column=None,
    required_file=False,
    columns=(
        Column("creator_id", "str", required=True),
        Column("followers", "int", non_negative=True),
        Column("following", "int", non_negative=True),
        Column("posts", "int", non_negative=True),
        Column("has_profile_pic", "bool"),
        Column("is_private", "bool"),
        Column("bio_length", "int", non_negative=True),
        Column("username_length", "int", non_negative=True),
        Column("username_digits", "int", non_negative=True),
    ),
)

FOLLOWER_HISTORY = TableSpec(
    name="follower_history",
    id_column=None,
    required_file=False,
    columns=(
        Column("creator_id", "str", required=True),
        Column("date", "date", required=True),
        Column("followers", "int", required=True, non_negative=True),
    ),
)

BRANDS = TableSpec(
    name="brands",
    id_column="brand_id",
    required_file=False,
    columns=(
        Column("brand_id", "str", required=True),
        Column("name", "str"),
        Column("values", "str"),
        Column("product", "str"),
        Column("audience", "str"),
        Column("keywords", "str_list"),
        Column("platforms", "str_list"),
        Column("tiers", "str_list"),
        Column("countries", "str_list"),
        Column("languages", "str_list"),
        Column("min_followers", "int", non_negative=True),
        Column("max_followers", "int", non_negative=True),
    ),
)

TABLES: tuple[TableSpec, ...] = (CREATORS, POSTS, FOLLOWER_SAMPLES, FOLLOWER_HISTORY, BRANDS)
FILE_EXTENSIONS: tuple[str, ...] = (".parquet", ".pq", ".csv", ".jsonl", ".ndjson")


def tier_of(followers: int) -> str:
    """The follower tier of a follower count.

    Args:
        followers: the creator's follower count (>= 0).

    Returns:
        One of sub_nano, nano, micro, mid, macro, mega.

    Raises:
        ValueError: if followers is negative.
    """
    if followers < 0:
        raise ValueError(f"followers must be >= 0, got {followers}")
    for tier, (low, high) in TIER_BOUNDS.items():
        if followers >= low and (high is None or followers < high):
            return tier
    raise AssertionError("tier bounds cover every count")  # pragma: no cover
