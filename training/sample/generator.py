"""Generate a deterministic synthetic corpus of creators, posts, followers and brands with true labels."""

from __future__ import annotations

import logging
import math
import random
import signal
import string
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from training.sample import lexicon as lx

logger = logging.getLogger(__name__)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

NICHES: tuple[str, ...] = lx.NICHES
FRAUD_KINDS: tuple[str, ...] = ("bought_followers", "engagement_pod", "inflated_likes")
TIER_NAMES: tuple[str, ...] = ("sub_nano", "nano", "micro", "mid", "macro", "mega")
PLATFORMS: tuple[str, ...] = ("instagram", "tiktok", "youtube")
FORMATS: tuple[str, ...] = ("photo", "video", "reel", "story", "live", "shoppable", "ugc", "other")

_N_NICHES = len(NICHES)
_DAY_US = 86_400_000_000
_EPOCH = date(1970, 1, 1)

# Follower tiers: share of creators, log10 follower range, and a skew that keeps most accounts near the bottom
# of their tier (follower counts are heavy-tailed within a tier too).
_TIER_SHARES = np.array([0.08, 0.50, 0.32, 0.07, 0.02, 0.01])
_TIER_LOG10 = np.array([[2.3, 3.0], [3.0, 4.0], [4.0, 5.0], [5.0, math.log10(5e5)], [math.log10(5e5), 6.0],
                        [6.0, 7.0]])
_TIER_SKEW = np.array([1.0, 1.4, 1.4, 1.3, 1.0, 2.0])
_PLATFORM_SHARES = np.array([0.60, 0.28, 0.12])

# Format mix per platform (rows: PLATFORMS, columns: FORMATS) and each format's engagement versus a photo.
_FORMAT_SHARES = np.array([
    [0.40, 0.04, 0.30, 0.08, 0.03, 0.06, 0.05, 0.04],
    [0.03, 0.78, 0.00, 0.00, 0.06, 0.05, 0.06, 0.02],
    [0.00, 0.76, 0.00, 0.00, 0.08, 0.03, 0.05, 0.08],
])
_FORMAT_ER = np.array([1.0, 0.95, 1.15, 0.45, 0.6, 0.75, 0.85, 0.8])
_F_VIDEO, _F_REEL, _F_STORY, _F_LIVE, _F_SHOP, _F_UGC = 1, 2, 3, 4, 5, 6

# Median engagement rate by log10(followers) on Instagram (engagement_benchmarks.md: about 3 % nano,
# 1.5 % micro, 1.1 % mid/macro, 0.8 % mega), TikTok's multiplier (2-3x, flatter with size) and YouTube's.
_ER_LOG10F = np.array([2.5, 3.45, 4.45, 5.3, 5.85, 6.5])
_ER_INSTAGRAM = np.array([0.048, 0.031, 0.0155, 0.0118, 0.0108, 0.0082])
_TIKTOK_LOG10F = np.array([3.0, 4.0, 5.0, 6.0, 7.0])
_TIKTOK_MULT = np.array([2.2, 2.5, 2.8, 3.0, 3.2])
_YOUTUBE_MULT = 0.95
# Offsets the formats, sponsored and off-niche posts and follower growth that pull the per-post median down.
_ER_CALIBRATION = 1.28
_CREATOR_ER_SIGMA = 0.5
_POST_ER_SIGMA = 0.4

_FRAUD_BY_TIER = np.array([0.20, 0.25, 0.29, 0.32, 0.38, 0.45])
_FRAUD_KIND_SHARES = np.array([0.40, 0.30, 0.30])
_GENUINE, _BOUGHT, _POD, _INFLATED = 0, 1, 2, 3

_PRIMARY, _SECONDARY, _LIFESTYLE, _FOREIGN = 0, 1, 2, 3
_FOREIGN_LANGUAGES: tuple[str, ...] = ("es", "de", "fr", "pt", "it")
_DISCLOSURE_STYLES: tuple[str, ...] = (
    "ad_hashtag", "sponsored_hashtag", "paid_partnership", "werbung", "ad_prefix",
)
_ALWAYS, _NEVER, _MIXED = 0, 1, 2

_BRAND_TIER_SETS: tuple[tuple[str, ...], ...] = (
    ("nano",), ("nano", "micro"), ("micro",), ("micro", "mid"), ("mid", "macro"), ("nano", "micro", "mid"),
    ("macro", "mega"),
)
_BRAND_COUNTRY_SETS: tuple[tuple[str, ...], ...] = (
    ("US",), ("US", "CA"), ("GB", "IE"), ("DE", "AT", "CH"), ("ES", "MX"), ("BR", "PT"), ("FR",),
    ("US", "GB", "CA", "AU"), ("IT",), ("IN",),
)
_COUNTRY_SET_LANGUAGES: dict[str, tuple[str, ...]] = {
    "DE": ("de",), "ES": ("es",), "BR": ("pt",), "FR": ("fr",), "IT": ("it",), "US": ("en",), "GB": ("en",),
    "IN": ("en",),
}
_MIN_FOLLOWER_CHOICES = (1_000, 2_000, 5_000, 10_000, 20_000)
_MAX_FOLLOWER_CHOICES = (50_000, 100_000, 250_000, 500_000)
_BRAND_MATCHES_WANTED = 15
_HANDLE_MAX = 30
_DROP_CHARS = str.maketrans("", "", " -'’()&,.:/!?%+")

# Creators whose posts, follower history and follower samples are drawn (and held in memory) together. A corpus
# of at most this many creators is exactly the one the generator made before it worked in chunks.
CHUNK_CREATORS = 100_000
_ROW_GROUP_ROWS = 128 * 1024


@dataclass(frozen=True)
class SampleCorpus:
    """The seven frames of a sample: the five input tables plus the creator and brand ground truth."""

    creators: pl.DataFrame
    posts: pl.DataFrame
    follower_samples: pl.DataFrame
    follower_history: pl.DataFrame
    brands: pl.DataFrame
    labels: pl.DataFrame
    brand_labels: pl.DataFrame


@dataclass(frozen=True)
class SampleFiles:
    """What `stream_sample` wrote: row counts and the seven files."""

    creators: int
    posts: int
    brands: int
    paths: list[Path]


@dataclass
class _Creators:
    """Per-creator draws, index-aligned arrays and lists."""

    n: int
    primary: IntArray
    secondary: IntArray
    platform: IntArray
    tier: IntArray
    followers: IntArray
    organic: FloatArray
    following: IntArray
    country: list[str]
    language: list[str]
    fraud: IntArray
    fake_share: FloatArray
    n_posts: IntArray
    last_age: FloatArray
    span: FloatArray
    has_history: BoolArray
    has_samples: BoolArray
    offniche_share: FloatArray
    secondary_share: FloatArray
    sponsor_rate: FloatArray
    disclose_mode: IntArray
    hashtag_mean: FloatArray
    emoji_pct: IntArray
    cta_pct: IntArray
    detail_pct: IntArray
    first_name: list[str] | None = None
    handle: list[str] | None = None

    def slice(self, start: int, stop: int) -> _Creators:
        """Creators start..stop-1, every array and list cut alike."""
        cut: dict[str, Any] = {
            field.name: getattr(self, field.name)[start:stop]
            for field in fields(self)
            if field.name != "n" and getattr(self, field.name) is not None
        }
        return replace(self, n=len(self.primary[start:stop]), **cut)


@dataclass
class _Paths:
    """Weekly follower paths for every creator, flattened: organic followers and reported followers."""

    offsets: IntArray
    weeks: IntArray
    organic: FloatArray
    reported: IntArray


@dataclass
class _Brands:
    """Brand rows (constraints not yet loosened) and the brand handles each niche's sponsored posts use."""

    frame_rows: list[dict[str, object]]
    targets: list[list[int]]
    handle_pool: list[list[str]]


def generate_sample(
    n_creators: int,
    seed: int = 0,
    n_brands: int | None = None,
    as_of: date = date(2026, 11, 1),
    chunk_creators: int = CHUNK_CREATORS,
) -> SampleCorpus:
    """Generate a realistic synthetic corpus with labelled niches, fraud and sponsorships.

    The same arguments always give identical frames. Nothing depends on today's date: every timestamp is
    relative to `as_of`. The whole corpus is held in memory; `stream_sample` writes a large one chunk by chunk.

    Args:
        n_creators: number of creators (>= 1); posts come to about 35 per creator.
        seed: random seed.
        n_brands: number of brands (>= 1); default min(300, max(24, n_creators // 20)).
        as_of: the day the data was "exported"; posts and follower history end before it.
        chunk_creators: creators whose posts and followers are drawn together. A corpus of more creators than
            this depends on it as it does on the seed; one of at most this many does not.

    Returns:
        The seven frames (creators, posts, follower_samples, follower_history, brands, labels, brand_labels).

    Raises:
        ValueError: if n_creators, n_brands or chunk_creators is not a positive integer, or seed is not an integer.
        TypeError: if as_of is not a date.
    """
    n_brands, as_of = _checked_arguments(n_creators, seed, n_brands, as_of, chunk_creators)
    pieces: dict[str, list[pl.DataFrame]] = {field.name: [] for field in fields(SampleCorpus)}
    for name, frame in _generate(n_creators, seed, n_brands, as_of, chunk_creators):
        pieces[name].append(frame)
    corpus = SampleCorpus(**{name: pl.concat(frames, rechunk=True) for name, frames in pieces.items()})
    logger.info("generated %d creators, %d posts, %d brands (seed %d)",
                n_creators, corpus.posts.height, n_brands, seed)
    return corpus


def stream_sample(
    n_creators: int,
    out_dir: Path,
    seed: int = 0,
    n_brands: int | None = None,
    as_of: date = date(2026, 11, 1),
    chunk_creators: int = CHUNK_CREATORS,
    progress: bool = False,
) -> SampleFiles:
    """Generate a corpus straight into `<out_dir>/<name>.parquet`, one chunk of creators' posts at a time.

    The files hold exactly the frames `generate_sample` returns for the same arguments, but memory stays bounded
    by one chunk's posts, follower history and follower samples (a 100,000-creator chunk peaks at about 5.5 GB)
    plus the creator-level tables: a million creators peak at about 6.2 GB. Each file is written under a
    `.partial` name and renamed when all seven are complete (Ctrl-C and SIGTERM held until the last rename), so an
    interrupted run replaces nothing or everything.

    Args:
        n_creators: number of creators (>= 1); posts come to about 35 per creator.
        out_dir: folder to write into; created if missing, existing files of the same names are replaced.
        seed: random seed; the same arguments write the same table contents.
        n_brands: number of brands (>= 1); default min(300, max(24, n_creators // 20)).
        as_of: the day the data was "exported"; posts and follower history end before it.
        chunk_creators: creators per chunk: lower it to use less memory (the corpus then differs beyond the
            first chunk).
        progress: show a progress bar over creators (on stderr).

    Returns:
        The row counts and the paths written, in the order of the corpus fields.

    Raises:
        ValueError: if n_creators, n_brands or chunk_creators is not a positive integer, or seed is not an integer.
        TypeError: if as_of is not a date.
        NotADirectoryError: if out_dir exists and is not a folder.
    """
    import pyarrow.parquet as pq
    from tqdm import tqdm

    n_brands, as_of = _checked_arguments(n_creators, seed, n_brands, as_of, chunk_creators)
    out_dir = _output_folder(out_dir)
    names = [field.name for field in fields(SampleCorpus)]
    final = {name: out_dir / f"{name}.parquet" for name in names}
    partial = {name: out_dir / f"{name}.parquet.partial" for name in names}
    rows = dict.fromkeys(names, 0)
    writers: dict[str, Any] = {}
    bar = tqdm(total=n_creators, desc="sample", unit="creator", disable=not progress, leave=progress)
    try:
        for name, frame in _generate(n_creators, seed, n_brands, as_of, chunk_creators):
            # Polars writes strings as large_string; the appended files keep the same Arrow schema.
            table = frame.to_arrow(compat_level=pl.CompatLevel.oldest())
            if name not in writers:
                writers[name] = pq.ParquetWriter(partial[name], table.schema, compression="zstd",
                                                 compression_level=3)
            writers[name].write_table(table, row_group_size=_ROW_GROUP_ROWS)
            rows[name] += frame.height
            if name == "follower_history":  # the last table of each chunk
                bar.update(min(bar.n + chunk_creators, n_creators) - bar.n)
            del frame, table  # the next chunk must not find this one's posts still alive
        for writer in writers.values():
            writer.close()
    except BaseException:
        for writer in writers.values():
            writer.close()
        for path in partial.values():
            path.unlink(missing_ok=True)
        raise
    finally:
        bar.close()
    with _interrupts_held():  # seven renames: a Ctrl-C between two would leave old and new tables side by side
        for name in names:
            partial[name].replace(final[name])
    logger.debug("wrote %d creators, %d posts, %d brands (seed %d) to %s",
                n_creators, rows["posts"], n_brands, seed, out_dir)
    return SampleFiles(creators=rows["creators"], posts=rows["posts"], brands=rows["brands"],
                       paths=[final[name] for name in names])


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then act on the first one that came.

    Only from the main thread (Python runs signal handlers nowhere else, so elsewhere there is nothing to hold),
    and only for a signal whose handler Python installed: one set by C code is left alone. When the block raises,
    its error is what the caller sees: a signal held meanwhile is dropped, with a warning.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    replaced: dict[int, Any] = {}
    failed = True
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous = signal.getsignal(signum)
            if previous is None:
                continue
            try:
                signal.signal(signum, lambda number, _frame: held.append(number))
            except ValueError:  # not the main interpreter: nothing can be held
                continue
            replaced[signum] = previous
        yield
        failed = False
    finally:
        for number, handler in replaced.items():
            signal.signal(number, handler)
        if held and not failed:
            signal.raise_signal(held[0])
        elif held:
            logger.warning("a signal came while the sample's tables were renamed and the renaming failed; the signal "
                           "was dropped so that the failure is what is told")


def write_sample(corpus: SampleCorpus, out_dir: Path) -> list[Path]:
    """Write each frame of a corpus to `<out_dir>/<name>.parquet`.

    Args:
        corpus: the corpus to write.
        out_dir: folder to write into; created if missing, existing files of the same names are replaced.

    Returns:
        The paths written, in the order of the corpus fields.

    Raises:
        NotADirectoryError: if out_dir exists and is not a folder.
    """
    out_dir = _output_folder(out_dir)
    paths: list[Path] = []
    for field in fields(corpus):
        frame: pl.DataFrame = getattr(corpus, field.name)
        path = out_dir / f"{field.name}.parquet"
        frame.write_parquet(path)
        paths.append(path)
    return paths


def _output_folder(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir} exists and is not a folder; pass a folder for the sample")
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


def _checked_arguments(
    n_creators: int, seed: int, n_brands: int | None, as_of: date, chunk_creators: int
) -> tuple[int, date]:
    """The brand count (defaulted) and as_of (as a date), or a clear error for a bad argument."""
    if isinstance(n_creators, bool) or not isinstance(n_creators, int) or n_creators < 1:
        raise ValueError(f"n_creators must be a positive integer (e.g. 2000), got {n_creators!r}")
    if n_brands is None:
        n_brands = min(300, max(24, n_creators // 20))
    if isinstance(n_brands, bool) or not isinstance(n_brands, int) or n_brands < 1:
        raise ValueError(f"n_brands must be a positive integer or None for the default, got {n_brands!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if isinstance(chunk_creators, bool) or not isinstance(chunk_creators, int) or chunk_creators < 1:
        raise ValueError(f"chunk_creators must be a positive integer (e.g. {CHUNK_CREATORS}), got {chunk_creators!r}")
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    if not isinstance(as_of, date):
        raise TypeError(f"as_of must be a datetime.date, got {type(as_of).__name__}")
    return n_brands, as_of


def _generate(
    n_creators: int, seed: int, n_brands: int, as_of: date, chunk_creators: int
) -> Iterator[tuple[str, pl.DataFrame]]:
    """The corpus as (frame name, piece) pairs: posts, follower samples and follower history come per chunk.

    The first chunk draws from the seed's generators in the order the generator has always used, so a corpus of
    at most `chunk_creators` creators is the one it always was; each later chunk has its own generator, seeded
    by (seed, chunk number).
    """
    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    creators = _draw_creators(n_creators, rng)
    _name_creators(creators, rng, pyrng)
    post_starts = np.concatenate(([0], np.cumsum(creators.n_posts))).astype(np.int64)

    first = creators.slice(0, min(chunk_creators, n_creators))
    paths = _follower_paths(first, rng)
    brands = _draw_brands(n_brands, rng, pyrng)
    commenters = pl.Series("commenter", _username_pool(max(20_000, 4 * n_creators), pyrng), dtype=pl.String)
    yield "posts", _draw_posts(first, paths, brands, commenters, rng, as_of, first_id=0, first_post=0)
    yield "creators", _creators_frame(creators, rng, pyrng)
    yield "follower_samples", _follower_samples_frame(first, rng, first_id=0)
    yield "follower_history", _history_frame(first, paths, as_of, first_id=0)
    del first, paths
    yield "brands", _brands_frame(brands, creators, rng)
    yield "labels", _labels_frame(creators)
    yield "brand_labels", pl.DataFrame(
        {
            "brand_id": [str(row["brand_id"]) for row in brands.frame_rows],
            "target_niches": [[NICHES[t] for t in targets] for targets in brands.targets],
        },
        schema={"brand_id": pl.String, "target_niches": pl.List(pl.String)},
    )
    for number, start in enumerate(range(chunk_creators, n_creators, chunk_creators), start=1):
        chunk = creators.slice(start, min(start + chunk_creators, n_creators))
        yield from _chunk_frames(chunk, start, int(post_starts[start]), brands, commenters,
                                 np.random.default_rng([seed, number]), as_of)


def _chunk_frames(
    creators: _Creators,
    first_id: int,
    first_post: int,
    brands: _Brands,
    commenters: pl.Series,
    rng: np.random.Generator,
    as_of: date,
) -> Iterator[tuple[str, pl.DataFrame]]:
    """Posts, follower samples and follower history of one chunk of creators (the first is `first_id`)."""
    paths = _follower_paths(creators, rng)
    yield "posts", _draw_posts(creators, paths, brands, commenters, rng, as_of, first_id, first_post)
    yield "follower_samples", _follower_samples_frame(creators, rng, first_id)
    yield "follower_history", _history_frame(creators, paths, as_of, first_id)


def _creator_ids(first_id: int, n: int) -> pl.Series:
    return pl.Series("creator_id", [f"c{i + 1:07d}" for i in range(first_id, first_id + n)], dtype=pl.String)


# --- creators -----------------------------------------------------------------------------------------------


def _neighbours() -> list[list[int]]:
    """For each niche, the niches it shares vocabulary with."""
    index = {niche: i for i, niche in enumerate(NICHES)}
    table: list[list[int]] = [[] for _ in NICHES]
    for a, b, _ in lx.NEIGHBOUR_VOCAB:
        table[index[a]].append(index[b])
        table[index[b]].append(index[a])
    return table


def _shared_vocab() -> list[tuple[str, ...]]:
    """For each niche, the vocabulary it shares with its neighbours."""
    index = {niche: i for i, niche in enumerate(NICHES)}
    shared: list[list[str]] = [[] for _ in NICHES]
    for a, b, words in lx.NEIGHBOUR_VOCAB:
        shared[index[a]].extend(words)
        shared[index[b]].extend(words)
    return [tuple(words) for words in shared]


def _draw_creators(n: int, rng: np.random.Generator) -> _Creators:
    weights = rng.uniform(0.92, 1.08, _N_NICHES)
    primary = rng.choice(_N_NICHES, size=n, p=weights / weights.sum()).astype(np.int64)
    neighbours = _neighbours()
    has_secondary = rng.random(n) < 0.55
    from_neighbours = rng.random(n) < 0.7
    pick = rng.integers(0, 1 << 30, size=n)
    secondary = np.full(n, -1, dtype=np.int64)
    for i in np.flatnonzero(has_secondary).tolist():
        p = int(primary[i])
        if from_neighbours[i]:
            secondary[i] = neighbours[p][int(pick[i]) % len(neighbours[p])]
        else:
            other = int(pick[i]) % (_N_NICHES - 1)
            secondary[i] = other if other < p else other + 1

    tier = rng.choice(len(_TIER_SHARES), size=n, p=_TIER_SHARES).astype(np.int64)
    low, high = _TIER_LOG10[tier, 0], _TIER_LOG10[tier, 1]
    u = rng.random(n) ** _TIER_SKEW[tier]
    followers = np.round(10 ** (low + u * (high - low)))
    followers = np.clip(followers, np.ceil(10**low), np.floor(10**high) - 1).astype(np.int64)
    platform = rng.choice(len(PLATFORMS), size=n, p=_PLATFORM_SHARES).astype(np.int64)

    codes = [code for code, _ in lx.COUNTRIES]
    shares = np.array([share for _, share in lx.COUNTRIES])
    country_idx = rng.choice(len(codes), size=n, p=shares / shares.sum())
    local_draw = rng.random(n)
    country = [codes[i] for i in country_idx.tolist()]
    language = []
    for code, draw in zip(country, local_draw.tolist(), strict=True):
        local = lx.COUNTRY_LANGUAGES.get(code)
        language.append(local[0] if local is not None and draw < local[1] else "en")

    is_fraud = rng.random(n) < _FRAUD_BY_TIER[tier]
    kind = rng.choice(3, size=n, p=_FRAUD_KIND_SHARES).astype(np.int64) + 1
    fraud = np.where(is_fraud, kind, _GENUINE).astype(np.int64)

    # Fake follower share: genuine audiences carry 2-15 % of bots; bought followers make up 40-80 %.
    fake_share = 0.02 + 0.13 * rng.beta(2.0, 3.0, n)
    fake_share = np.where(fraud == _POD, fake_share + 0.03, fake_share)
    target_share = rng.uniform(0.40, 0.80, n)
    baseline = rng.uniform(0.03, 0.10, n)
    bought = np.clip((target_share - baseline) / (1.0 - baseline), 0.0, 0.99)
    jump = np.clip(bought / (1.0 - bought), 0.30, 3.0)  # purchased / organic followers
    bought = jump / (1.0 + jump)
    fake_share = np.where(fraud == _BOUGHT, bought + (1.0 - bought) * baseline, fake_share)
    organic = np.where(fraud == _BOUGHT, followers / (1.0 + jump), followers.astype(np.float64))

    # Accounts that buy followers often follow-for-follow too.
    drawn_following = np.clip(np.round(rng.lognormal(math.log(550), 0.8, n)), 30, 7500)
    following: IntArray = np.where(
        fraud == _BOUGHT, np.minimum(drawn_following * 1.8, 7500), drawn_following
    ).astype(np.int64)

    inactive = rng.random(n) < 0.10
    last_age = np.where(inactive, rng.uniform(90, 270, n), rng.uniform(0, 12, n))
    span = rng.uniform(365, 548, n)
    n_posts = rng.integers(10, 61, size=n).astype(np.int64)

    no_sponsors = rng.random(n) < 0.15
    sponsor_by_tier = np.array([0.4, 0.9, 1.15, 1.3, 1.3, 1.2])
    sponsor_rate = np.where(no_sponsors, 0.0, rng.beta(2.5, 19.0, n) * sponsor_by_tier[tier])
    hashtag_median = np.array([5.0, 4.0, 1.5])[platform]
    return _Creators(
        n=n,
        primary=primary,
        secondary=secondary,
        platform=platform,
        tier=tier,
        followers=followers,
        organic=organic,
        following=following,
        country=country,
        language=language,
        fraud=fraud,
        fake_share=fake_share,
        n_posts=n_posts,
        last_age=last_age,
        span=span,
        has_history=rng.random(n) < 0.8,
        has_samples=rng.random(n) < 0.7,
        offniche_share=np.clip(rng.beta(5.0, 15.0, n), 0.05, 0.6),
        secondary_share=rng.uniform(0.2, 0.3, n),
        sponsor_rate=sponsor_rate,
        disclose_mode=rng.choice(3, size=n, p=[0.5, 0.2, 0.3]).astype(np.int64),
        hashtag_mean=np.clip(hashtag_median * rng.lognormal(0.0, 0.5, n), 0.3, 14.0),
        emoji_pct=rng.integers(20, 91, size=n).astype(np.int64),
        cta_pct=rng.integers(15, 71, size=n).astype(np.int64),
        detail_pct=rng.integers(15, 61, size=n).astype(np.int64),
    )


def _ascii_lower(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def _unique(candidate: str, used: set[str], pyrng: random.Random) -> str:
    candidate = candidate[:_HANDLE_MAX].strip("._")
    while candidate in used:
        candidate = f"{candidate[:_HANDLE_MAX - 3]}{pyrng.choice(('', '_', '.'))}{pyrng.randrange(10, 1000)}"
    used.add(candidate)
    return candidate


def _name_creators(creators: _Creators, rng: np.random.Generator, pyrng: random.Random) -> None:
    """Draw first names and realistic unique handles (mostly without the niche id in them)."""
    used: set[str] = set()
    first_names: list[str] = []
    handles: list[str] = []
    patterns = rng.choice(10, size=creators.n, p=[0.16, 0.14, 0.11, 0.08, 0.08, 0.09, 0.07, 0.13, 0.10, 0.04])
    for i, pattern in enumerate(patterns.tolist()):
        first = pyrng.choice(lx.FIRST_NAMES)
        last = _ascii_lower(pyrng.choice(lx.LAST_NAMES))
        niche = NICHES[int(creators.primary[i])]
        word = pyrng.choice(lx.NICHE_VOCAB[niche]["handle_words"])
        fl = first.lower()
        if word.endswith(("with", "by")):
            # Words such as "flowwith" or "milesby" only make sense before the name.
            handle = f"{word}{pyrng.choice(('', '_', '.'))}{fl}"
        elif pattern == 0:
            handle = f"{fl}.{word}"
        elif pattern == 1:
            handle = f"{word}_{fl}"
        elif pattern == 2:
            handle = f"{fl}{last}"
        elif pattern == 3:
            handle = f"{fl}_{last}"
        elif pattern == 4:
            handle = f"{fl}.{last}{pyrng.randrange(1, 100)}"
        elif pattern == 5:
            handle = f"{word}with{fl}"
        elif pattern == 6:
            handle = word if word.startswith("the") else f"the{word}"
        elif pattern == 7:
            extra = pyrng.choice(lx.USERNAME_WORDS)
            handle = f"{fl}{extra}" if pyrng.random() < 0.5 else f"{extra}{fl}"
        elif pattern == 8:
            handle = f"{pyrng.choice(lx.USERNAME_ADJECTIVES)}{pyrng.choice(('', '.', '_'))}{word}"
        else:
            handle = f"{niche.split('_')[0]}with{fl}"
        first_names.append(first)
        handles.append(_unique(handle, used, pyrng))
    creators.first_name = first_names
    creators.handle = handles


def _username_pool(size: int, pyrng: random.Random) -> list[str]:
    """Realistic follower and commenter usernames (not necessarily unique, as on the platforms)."""
    pool: list[str] = []
    first_names, last_names = lx.FIRST_NAMES, lx.LAST_NAMES
    for _ in range(size):
        pattern = pyrng.random()
        first = pyrng.choice(first_names).lower()
        if pattern < 0.25:
            name = f"{first}.{_ascii_lower(pyrng.choice(last_names))}"
        elif pattern < 0.45:
            name = f"{first}_{pyrng.choice(lx.USERNAME_WORDS)}"
        elif pattern < 0.6:
            name = f"{first}{_ascii_lower(pyrng.choice(last_names))}{pyrng.randrange(1, 100)}"
        elif pattern < 0.75:
            name = f"{pyrng.choice(lx.USERNAME_ADJECTIVES)}.{pyrng.choice(lx.USERNAME_NOUNS)}"
        elif pattern < 0.87:
            name = f"{first}{pyrng.randrange(1970, 2010)}"
        else:
            name = f"{pyrng.choice(lx.USERNAME_WORDS)}{first}{pyrng.choice(('', '_', 'x', 'xo'))}"
        pool.append(name)
    return pool


def _creators_frame(creators: _Creators, rng: np.random.Generator, pyrng: random.Random) -> pl.DataFrame:
    assert creators.first_name is not None and creators.handle is not None
    n = creators.n
    display_names: list[str] = []
    bios: list[str] = []
    categories: list[list[str]] = []
    bio_kind = rng.random(n)
    n_categories = rng.choice(4, size=n, p=[0.2, 0.3, 0.3, 0.2])
    for i in range(n):
        first = creators.first_name[i]
        handle = creators.handle[i]
        primary = lx.NICHE_VOCAB[NICHES[int(creators.primary[i])]]
        secondary_id = int(creators.secondary[i])
        secondary = lx.NICHE_VOCAB[NICHES[secondary_id]] if secondary_id >= 0 else None
        draw = pyrng.random()
        if draw < 0.45:
            display = f"{first} {pyrng.choice(lx.LAST_NAMES)}"
        elif draw < 0.6:
            display = f"{first} | {pyrng.choice(primary['categories'])}"
        elif draw < 0.75:
            display = f"{first} {pyrng.choice(lx.DISPLAY_EMOJI + primary['emoji'])}"
        elif draw < 0.85:
            display = f"{first} {pyrng.choice(lx.LAST_NAMES)[0]}."
        elif draw < 0.95:
            display = first
        else:
            display = f"{first} & {pyrng.choice(lx.FIRST_NAMES)}"
        display_names.append(display)

        language = creators.language[i]
        kind = float(bio_kind[i])
        if kind < 0.10:
            bio = ""
        elif kind < 0.42:
            if language != "en" and pyrng.random() < 0.4:
                bio = pyrng.choice(lx.FOREIGN_BIOS[language])
            else:
                bio = pyrng.choice(lx.GENERIC_BIOS)
            if pyrng.random() < 0.25:
                bio = f"{bio} | 📍 {pyrng.choice(lx.CITIES[creators.country[i]])}"
        else:
            lines = pyrng.sample(primary["bio_lines"], pyrng.choice((1, 1, 2, 2, 3)))
            if secondary is not None and pyrng.random() < 0.4:
                lines.append(pyrng.choice(secondary["bio_lines"]))
            if pyrng.random() < 0.35:
                lines.append(pyrng.choice(lx.BIO_EXTRAS).format(day=pyrng.choice(lx.DAYS), handle=handle))
            if pyrng.random() < 0.3:
                lines.append(f"📍 {pyrng.choice(lx.CITIES[creators.country[i]])}")
            bio = pyrng.choice((" | ", " • ", "\n", " ✦ ")).join(lines)
        bios.append(bio)

        tags: list[str] = []
        for _ in range(int(n_categories[i])):
            draw = pyrng.random()
            if draw < 0.55:
                source = secondary if secondary is not None and pyrng.random() < 0.25 else primary
                tag = pyrng.choice(source["categories"])
            elif draw < 0.9:
                tag = pyrng.choice(lx.VAGUE_CATEGORIES)
            else:
                tag = pyrng.choice(lx.NICHE_VOCAB[pyrng.choice(NICHES)]["categories"])
            if tag not in tags:
                tags.append(tag)
        categories.append(tags)

    extra_posts = np.round(rng.lognormal(math.log(150), 1.0, n)).astype(np.int64)
    return pl.DataFrame(
        {
            "creator_id": _creator_ids(0, n),
            "handle": creators.handle,
            "display_name": display_names,
            "platform": [PLATFORMS[p] for p in creators.platform.tolist()],
            "bio": bios,
            "followers": creators.followers,
            "following": creators.following,
            "posts_count": creators.n_posts + extra_posts,
            "country": creators.country,
            "language": creators.language,
            "categories": categories,
        },
        schema={
            "creator_id": pl.String, "handle": pl.String, "display_name": pl.String, "platform": pl.String,
            "bio": pl.String, "followers": pl.Int64, "following": pl.Int64, "posts_count": pl.Int64,
            "country": pl.String, "language": pl.String, "categories": pl.List(pl.String),
        },
    )


def _labels_frame(creators: _Creators) -> pl.DataFrame:
    kinds = (None, *FRAUD_KINDS)
    return pl.DataFrame(
        {
            "creator_id": _creator_ids(0, creators.n),
            "primary_niche": [NICHES[p] for p in creators.primary.tolist()],
            "secondary_niche": [NICHES[s] if s >= 0 else None for s in creators.secondary.tolist()],
            "is_fraud": creators.fraud != _GENUINE,
            "fraud_kind": [kinds[k] for k in creators.fraud.tolist()],
            "true_fake_follower_share": np.round(creators.fake_share, 4),
        },
        schema={
            "creator_id": pl.String, "primary_niche": pl.String, "secondary_niche": pl.String,
            "is_fraud": pl.Boolean, "fraud_kind": pl.String, "true_fake_follower_share": pl.Float64,
        },
    )


# --- followers ----------------------------------------------------------------------------------------------


def _follower_paths(creators: _Creators, rng: np.random.Generator) -> _Paths:
    """Weekly follower counts from the first post to as_of: smooth noisy organic growth, plus bought jumps."""
    n = creators.n
    weeks = (np.floor((creators.last_age + creators.span) / 7.0)).astype(np.int64) + 1
    points = weeks + 1
    offsets = np.concatenate(([0], np.cumsum(points)[:-1])).astype(np.int64)
    total = int(points.sum())
    owner = np.repeat(np.arange(n), points)
    t = (np.arange(total) - offsets[owner]).astype(np.float64)
    k_weeks = weeks[owner].astype(np.float64)

    growing = rng.random(n) < 0.95
    growth = np.where(
        growing, np.clip(rng.lognormal(math.log(0.35), 0.6, n), 0.02, 3.0), rng.uniform(-0.15, 0.0, n)
    )
    shape = rng.uniform(0.6, 1.6, n)
    last_post_week = np.maximum(weeks - creators.last_age / 7.0, 1.0)
    decline = np.where(creators.last_age > 60, rng.uniform(0.0, 0.05, n), 0.0)
    s = np.minimum(t, last_post_week[owner]) / last_post_week[owner]
    log_path = -np.log1p(growth[owner]) * (1.0 - s ** shape[owner])
    after = np.maximum(t - last_post_week[owner], 0.0) / np.maximum(k_weeks - last_post_week[owner], 1.0)
    log_path += decline[owner] * (1.0 - np.minimum(after, 1.0))

    # Noise anchored at the last point, so the path ends exactly at today's count.
    steps = rng.normal(0.0, 0.006, total)
    walk = np.cumsum(steps)
    ends = offsets + weeks
    log_path += walk - walk[ends[owner]]
    jitter = rng.normal(0.0, 0.002, total)
    jitter[ends] = 0.0
    log_path += jitter

    # A viral post now and then: an organic bump of 6-18 % over three weeks, well short of a purchase.
    viral = (rng.random(n) < 0.06) & (creators.fraud != _BOUGHT)
    viral_week = np.floor(rng.uniform(0.2, 0.9, n) * weeks)
    viral_size = np.log1p(rng.uniform(0.06, 0.18, n))
    ramp = np.clip((t - viral_week[owner]) / 3.0, 0.0, 1.0)
    log_path += np.where(viral[owner], viral_size[owner] * (ramp - 1.0), 0.0)
    organic = creators.organic[owner] * np.exp(log_path)

    # Bought followers arrive within one or two weeks, then a few get purged by the platform.
    bought = creators.fraud == _BOUGHT
    jump_week = np.floor(rng.uniform(0.15, 0.85, n) * weeks)
    jump_len = rng.integers(1, 3, size=n).astype(np.float64)
    purged = rng.uniform(0.0, 0.12, n)
    purchased = np.maximum(creators.followers - np.round(creators.organic), 0).astype(np.float64)
    arrived = np.clip((t - jump_week[owner] + 1.0) / jump_len[owner], 0.0, 1.0)
    remaining = 1.0 + purged[owner] * (k_weeks - t) / k_weeks
    extra = np.where(bought[owner], purchased[owner] * arrived * remaining, 0.0)
    counts = np.round(organic) + np.round(extra)
    counts[ends] = creators.followers
    reported: IntArray = np.maximum(counts, 0).astype(np.int64)
    return _Paths(offsets=offsets, weeks=weeks, organic=organic, reported=reported)


def _history_frame(creators: _Creators, paths: _Paths, as_of: date, first_id: int) -> pl.DataFrame:
    points = paths.weeks + 1
    owner = np.repeat(np.arange(creators.n), points)
    t = np.arange(len(owner)) - paths.offsets[owner]
    keep = creators.has_history[owner]
    as_of_day = (as_of - _EPOCH).days
    days = as_of_day - 7 * (paths.weeks[owner] - t)
    ids = _creator_ids(first_id, creators.n)
    return pl.DataFrame(
        {
            "creator_id": ids.gather(owner[keep]),
            "date": pl.Series(days[keep].astype(np.int32)).cast(pl.Date),
            "followers": pl.Series(paths.reported[keep], dtype=pl.Int64),
        }
    )


def _follower_samples_frame(creators: _Creators, rng: np.random.Generator, first_id: int) -> pl.DataFrame:
    """20-60 sampled followers for about 70 % of creators, fake with the creator's true fake share."""
    n_samples = np.where(creators.has_samples, rng.integers(20, 61, size=creators.n), 0)
    owner = np.repeat(np.arange(creators.n), n_samples)
    m = len(owner)
    fake = rng.random(m) < creators.fake_share[owner]

    def lognormal(median: float, sigma: float) -> FloatArray:
        return rng.lognormal(math.log(median), sigma, m)

    followers = np.where(fake, lognormal(30, 1.3), lognormal(300, 1.2))
    following = np.where(fake, lognormal(1500, 0.9), lognormal(400, 0.8))
    posts = np.where(fake, np.where(rng.random(m) < 0.35, 0.0, lognormal(6, 1.2)), lognormal(80, 1.3))
    has_pic = np.where(fake, rng.random(m) < 0.5, rng.random(m) < 0.95)
    private = np.where(fake, rng.random(m) < 0.12, rng.random(m) < 0.3)
    bio_length = np.where(
        fake,
        np.where(rng.random(m) < 0.8, 0, rng.integers(3, 61, size=m)),
        np.where(rng.random(m) < 0.25, 0, np.clip(np.round(lognormal(50, 0.6)), 1, 150)),
    )
    name_length = np.where(fake, np.round(rng.normal(12.5, 3.5, m)), np.round(rng.normal(11.0, 3.0, m)))
    name_length = np.clip(name_length, 4, 30)
    digits = np.where(
        fake,
        np.where(rng.random(m) < 0.3, 0, rng.integers(2, 9, size=m)),
        np.where(rng.random(m) < 0.8, 0, rng.integers(1, 5, size=m)),
    )
    digits = np.minimum(digits, name_length - 1)
    # Some exports do not say whether an account is private or how long its bio is.
    private_unknown = (rng.random(creators.n) < 0.2)[owner]
    bio_unknown = (rng.random(creators.n) < 0.1)[owner]
    ids = _creator_ids(first_id, creators.n)
    frame = pl.DataFrame(
        {
            "creator_id": ids.gather(owner),
            "followers": pl.Series(np.round(followers).astype(np.int64)),
            "following": pl.Series(np.clip(np.round(following), 0, 7500).astype(np.int64)),
            "posts": pl.Series(np.round(posts).astype(np.int64)),
            "has_profile_pic": pl.Series(has_pic.astype(np.int8)),
            "is_private": pl.Series(private.astype(np.int8)),
            "bio_length": pl.Series(bio_length.astype(np.int64)),
            "username_length": pl.Series(name_length.astype(np.int64)),
            "username_digits": pl.Series(digits.astype(np.int64)),
        }
    )
    return frame.with_columns(
        pl.when(pl.Series(private_unknown)).then(None).otherwise(pl.col("is_private")).alias("is_private"),
        pl.when(pl.Series(bio_unknown)).then(None).otherwise(pl.col("bio_length")).alias("bio_length"),
    )


# --- brands -------------------------------------------------------------------------------------------------


def _handle_of(name: str) -> str:
    return _ascii_lower(name.replace("&", "and"))


def _brand_name(stems: tuple[str, ...], pyrng: random.Random) -> str:
    stem, other = pyrng.sample(stems, 2)
    pattern = pyrng.randrange(6)
    suffix = pyrng.choice(lx.BRAND_SUFFIXES)
    if pattern == 0:
        return f"{stem} {suffix}"
    if pattern == 1:
        return f"{stem}{other.lower()}"
    if pattern == 2:
        return f"The {stem} {suffix.removeprefix('& ')}"
    if pattern == 3:
        return f"{stem}{pyrng.choice(lx.BRAND_ENDINGS)}"
    if pattern == 4:
        return f"{stem} & {other}"
    return f"{stem}{pyrng.choice(lx.BRAND_ENDINGS)} {suffix}"


def _draw_brands(n_brands: int, rng: np.random.Generator, pyrng: random.Random) -> _Brands:
    """Invented brands about one or two neighbouring niches, and the per-niche pool of brand handles."""
    neighbours = _neighbours()
    order: list[int] = []
    while len(order) < n_brands:
        order.extend(rng.permutation(_N_NICHES).tolist())
    used: set[str] = set()
    rows: list[dict[str, object]] = []
    targets: list[list[int]] = []
    pool: list[list[str]] = [[] for _ in NICHES]
    for b in range(n_brands):
        first = order[b]
        target = [first]
        if pyrng.random() < 0.3:
            target.append(pyrng.choice(neighbours[first]))
        vocab = [lx.NICHE_VOCAB[NICHES[t]] for t in target]
        name = _brand_name(vocab[0]["brand_stems"], pyrng)
        attempts = 0
        while _handle_of(name) in used:
            attempts += 1
            name = _brand_name(vocab[0]["brand_stems"], pyrng)
            if attempts > 20:
                name = f"{name} {pyrng.choice(lx.BRAND_SUFFIXES)} {attempts}"
        used.add(_handle_of(name))

        sentences = [pyrng.choice(vocab[0]["values"])]
        if len(vocab) > 1:
            sentences.append(pyrng.choice(vocab[1]["values"]))
        if pyrng.random() < 0.5 and len(sentences) < 3:
            sentences.append(pyrng.choice(lx.BRAND_GENERIC_VALUES))
        products = pyrng.sample(vocab[0]["products"], 3)
        if len(vocab) > 1:
            product = f"{products[0]} and {pyrng.choice(vocab[1]['products'])}"
        else:
            product = pyrng.choice((products[0], f"{products[0]} and {products[1]}",
                                    f"{products[0]}, {products[1]} and {products[2]}"))
        audience = pyrng.choice(vocab[0]["audiences"])
        if len(vocab) > 1:
            audience = f"{audience}, and {pyrng.choice(vocab[1]['audiences'])}"
        if pyrng.random() < 0.4:
            audience = f"{audience} {pyrng.choice(lx.AUDIENCE_MODIFIERS)}"
        keywords: list[str] = []
        for _ in range(pyrng.randint(3, 8)):
            source = vocab[1] if len(vocab) > 1 and pyrng.random() < 0.35 else vocab[0]
            draw = pyrng.random()
            if draw < 0.55:
                keyword = pyrng.choice(source["topics"]).lower()
            elif draw < 0.85:
                keyword = pyrng.choice(source["hashtags"])
            else:
                keyword = pyrng.choice(source["categories"]).lower()
            if keyword not in keywords:
                keywords.append(keyword)
        while len(keywords) < 3:
            keyword = pyrng.choice(vocab[0]["topics"]).lower()
            if keyword not in keywords:
                keywords.append(keyword)
        rows.append({
            "brand_id": f"b{b + 1:04d}", "name": name, "values": " ".join(sentences), "product": product,
            "audience": audience, "keywords": keywords,
        })
        targets.append(target)
        for t in target:
            pool[t].append(_handle_of(name))

    # Brands outside the table sponsor creators too; every niche gets at least eight handles to draw from.
    for niche_index, niche in enumerate(NICHES):
        stems = lx.NICHE_VOCAB[niche]["brand_stems"]
        while len(pool[niche_index]) < 8:
            handle = _handle_of(_brand_name(stems, pyrng))
            if handle not in used:
                used.add(handle)
                pool[niche_index].append(handle)
    return _Brands(frame_rows=rows, targets=targets, handle_pool=pool)


def _brands_frame(brands: _Brands, creators: _Creators, rng: np.random.Generator) -> pl.DataFrame:
    """Brand rows with mostly-null constraints, loosened until enough creators of the target niches match."""
    tiers = np.array(TIER_NAMES)[creators.tier]
    platforms = np.array(PLATFORMS)[creators.platform]
    countries = np.array(creators.country)
    languages = np.array(creators.language)
    wanted = min(_BRAND_MATCHES_WANTED, max(1, round(_BRAND_MATCHES_WANTED * creators.n / 2000)))
    rows: list[dict[str, object]] = []
    draws = rng.random((len(brands.frame_rows), 8))
    picks = rng.integers(0, 1 << 30, size=(len(brands.frame_rows), 8))
    for b, base in enumerate(brands.frame_rows):
        d, p = draws[b], picks[b]
        constraints: dict[str, object] = {
            "platforms": None, "tiers": None, "countries": None, "languages": None,
            "min_followers": None, "max_followers": None,
        }
        if d[0] < 0.2:
            constraints["platforms"] = [("instagram",), ("tiktok",), ("instagram", "tiktok"), ("youtube",),
                                        ("instagram", "youtube")][int(p[0]) % 5]
        if d[1] < 0.25:
            constraints["tiers"] = _BRAND_TIER_SETS[int(p[1]) % len(_BRAND_TIER_SETS)]
        if d[2] < 0.2:
            chosen = _BRAND_COUNTRY_SETS[int(p[2]) % len(_BRAND_COUNTRY_SETS)]
            constraints["countries"] = chosen
            if d[3] < 0.5:
                constraints["languages"] = _COUNTRY_SET_LANGUAGES.get(chosen[0])
        elif d[3] < 0.1:
            constraints["languages"] = (("en",), ("es",), ("en", "es"), ("de",))[int(p[3]) % 4]
        if d[4] < 0.15:
            constraints["min_followers"] = _MIN_FOLLOWER_CHOICES[int(p[4]) % len(_MIN_FOLLOWER_CHOICES)]
        if d[5] < 0.15:
            constraints["max_followers"] = _MAX_FOLLOWER_CHOICES[int(p[5]) % len(_MAX_FOLLOWER_CHOICES)]

        in_niche = np.isin(creators.primary, brands.targets[b])
        loosening_order = (
            "languages", "countries", "tiers", "min_followers", "max_followers", "platforms", None,
        )
        for loosen in loosening_order:
            mask = in_niche.copy()
            for key, column in (("platforms", platforms), ("tiers", tiers), ("countries", countries),
                                ("languages", languages)):
                allowed = constraints[key]
                if allowed is not None:
                    mask &= np.isin(column, list(allowed))  # type: ignore[call-overload]
            if constraints["min_followers"] is not None:
                mask &= creators.followers >= int(constraints["min_followers"])  # type: ignore[call-overload]
            if constraints["max_followers"] is not None:
                mask &= creators.followers <= int(constraints["max_followers"])  # type: ignore[call-overload]
            if int(mask.sum()) >= wanted or loosen is None:
                break
            constraints[loosen] = None
        row = dict(base)
        for key, value in constraints.items():
            row[key] = list(value) if isinstance(value, tuple) else value
        rows.append(row)
    list_type = pl.List(pl.String)
    return pl.DataFrame(
        rows,
        schema={
            "brand_id": pl.String, "name": pl.String, "values": pl.String, "product": pl.String,
            "audience": pl.String, "keywords": list_type, "platforms": list_type, "tiers": list_type,
            "countries": list_type, "languages": list_type,
            "min_followers": pl.Int64, "max_followers": pl.Int64,
        },
        orient="row",
    )


# --- posts --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pool:
    """Groups of strings laid end to end, so a vectorised (group, draw) pair picks one string per row."""

    items: tuple[str, ...]
    offsets: IntArray
    lengths: IntArray

    @classmethod
    def of(cls, groups: Sequence[Sequence[str]]) -> _Pool:
        lengths = np.array([len(group) for group in groups], dtype=np.int64)
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        return cls(tuple(item for group in groups for item in group), offsets, lengths)

    @property
    def values(self) -> pl.Series:
        return pl.Series(self.items, dtype=pl.String)

    def index(self, group: IntArray | int, draw: IntArray) -> IntArray:
        chosen: IntArray = self.offsets[group] + draw % self.lengths[group]
        return chosen

    def pick(self, group: IntArray | int, draw: IntArray) -> pl.Series:
        return self.values.gather(self.index(group, draw))


def _fill(frame: pl.DataFrame, template: IntArray, templates: Sequence[str]) -> pl.Series:
    """Fill row i's template, templates[template[i]] in str.format syntax, with row i's columns."""
    n = frame.height
    if n == 0:
        return pl.Series("text", [], dtype=pl.String)
    order = np.argsort(template, kind="stable")
    ordered = frame[order]
    sorted_ids = template[order]
    cuts = (np.flatnonzero(np.diff(sorted_ids)) + 1).tolist()
    filled: list[pl.Series] = []
    for start, stop in zip([0, *cuts], [*cuts, n], strict=True):
        pieces: list[pl.Expr] = []
        has_field = False
        for literal, field, _, _ in string.Formatter().parse(templates[int(sorted_ids[start])]):
            if literal:
                pieces.append(pl.lit(literal))
            if field is not None:
                pieces.append(pl.col(field))
                has_field = True
        if has_field:
            part = ordered.slice(start, stop - start).select(pl.concat_str(pieces).alias("text")).to_series()
        else:
            part = pl.Series("text", [templates[int(sorted_ids[start])]] * (stop - start), dtype=pl.String)
        filled.append(part)
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    return pl.concat(filled).gather(inverse)


def _capitalised(column: str) -> pl.Expr:
    return pl.col(column).str.slice(0, 1).str.to_uppercase() + pl.col(column).str.slice(1)


def _coprime_stride(length: int) -> int:
    return next(stride for stride in (11, 7, 5, 3, 13, 1) if math.gcd(stride, length) == 1)


def _scattered(size: int, rows: IntArray, values: pl.Series) -> pl.Series:
    """A string column of `size` nulls with `values` at `rows`."""
    column = pl.Series(values.name, [None] * size, dtype=pl.String)
    return column.scatter(rows, values) if len(rows) else column


def _base_engagement_rate(followers: FloatArray, platform: IntArray) -> FloatArray:
    log_followers = np.log10(np.maximum(followers, 1.0))
    rate = np.exp(np.interp(log_followers, _ER_LOG10F, np.log(_ER_INSTAGRAM)))
    multiplier = np.where(
        platform == 1,
        np.interp(log_followers, _TIKTOK_LOG10F, _TIKTOK_MULT),
        np.where(platform == 2, _YOUTUBE_MULT, 1.0),
    )
    result: FloatArray = rate * multiplier
    return result


def _draw_posts(
    creators: _Creators,
    paths: _Paths,
    brands: _Brands,
    commenters: pl.Series,
    rng: np.random.Generator,
    as_of: date,
    first_id: int,
    first_post: int,
) -> pl.DataFrame:
    """10-60 posts per creator over 12-18 months: timing, format, topics, sponsorship, engagement, text.

    The creators are numbered from `first_id` and their posts from `first_post` (both counting from 0).
    """
    n = creators.n
    owner = np.repeat(np.arange(n), creators.n_posts)
    total = len(owner)
    starts = np.concatenate(([0], np.cumsum(creators.n_posts)[:-1]))
    position = rng.random(total)
    position[starts] = 1.0
    position[starts + creators.n_posts - 1] = 0.0
    age_days = creators.last_age[owner] + creators.span[owner] * position
    evening = rng.random(total) < 0.6
    hour = np.where(evening, rng.normal(19.0, 2.5, total), rng.normal(12.0, 2.5, total)) % 24.0
    seconds = np.floor(hour * 3600.0).astype(np.int64)
    as_of_us = (as_of - _EPOCH).days * _DAY_US
    posted_us = as_of_us - (np.floor(age_days).astype(np.int64) + 1) * _DAY_US + seconds * 1_000_000
    posted_us = posted_us[np.lexsort((posted_us, owner))]
    exact_age = (as_of_us - posted_us) / _DAY_US
    week = np.clip(paths.weeks[owner] - np.floor(exact_age / 7.0).astype(np.int64), 0, paths.weeks[owner])
    organic_then = paths.organic[paths.offsets[owner] + week]

    platform = creators.platform[owner]
    cdf = np.cumsum(_FORMAT_SHARES, axis=1)[platform]
    fmt = np.minimum((rng.random(total)[:, None] > cdf).sum(axis=1), len(FORMATS) - 1).astype(np.int64)
    interactive = (fmt == _F_LIVE) | (fmt == _F_SHOP) | (fmt == _F_UGC)

    # Creators who write in another language do so now and then; a few English-speaking ones do too.
    local = np.array([_FOREIGN_LANGUAGES.index(lang) if lang in _FOREIGN_LANGUAGES else -1
                      for lang in creators.language])[owner]
    foreign = np.where(local >= 0, rng.random(total) < 0.12, rng.random(total) < 0.003) & ~interactive
    post_language = np.where(local >= 0, local, rng.integers(0, len(_FOREIGN_LANGUAGES), size=total))
    offniche = np.minimum(creators.offniche_share[owner] / 0.85, 0.9)
    lifestyle = ~foreign & ~interactive & (rng.random(total) < offniche)
    on_secondary = (creators.secondary[owner] >= 0) & (rng.random(total) < creators.secondary_share[owner])
    kind = np.select([foreign, lifestyle, on_secondary], [_FOREIGN, _LIFESTYLE, _SECONDARY], _PRIMARY)
    sponsor_chance = np.minimum(creators.sponsor_rate[owner] / 0.72, 0.6)
    sponsored = (kind <= _SECONDARY) & (rng.random(total) < sponsor_chance)
    mode = creators.disclose_mode[owner]
    discloses = np.where(mode == _ALWAYS, True, np.where(mode == _NEVER, False, rng.random(total) < 0.5))

    # Engagement: a creator-level rate around the tier benchmark, per-post noise, earned by organic followers.
    creator_rate = (_base_engagement_rate(creators.followers.astype(np.float64), creators.platform)
                    * rng.lognormal(0.0, _CREATOR_ER_SIGMA, n) * _ER_CALIBRATION)
    post_rate = (creator_rate[owner] * rng.lognormal(0.0, _POST_ER_SIGMA, total) * _FORMAT_ER[fmt]
                 * np.where(sponsored, 0.8, 1.0) * np.where(kind == _LIFESTYLE, 0.9, 1.0))
    engagement = post_rate * organic_then
    creator_comment_ratio = np.clip(rng.lognormal(math.log(0.035), 0.3, n), 0.01, 0.1)
    comment_ratio = creator_comment_ratio[owner] * rng.lognormal(0.0, 0.25, total)
    likes_mean = engagement / (1.0 + comment_ratio)
    comments_mean = engagement - likes_mean

    fraud = creators.fraud[owner]
    like_boost = np.where(
        (fraud == _INFLATED) & (rng.random(total) < 0.9),
        rng.uniform(3.0, 10.0, n)[owner] * rng.lognormal(0.0, 0.15, total),
        1.0,
    )
    likes = rng.poisson(likes_mean * like_boost).astype(np.int64)
    comments = rng.poisson(comments_mean).astype(np.int64)
    pod_size = rng.integers(5, 16, size=n).astype(np.int64)
    pod_active = (fraud == _POD) & (rng.random(total) < 0.85)
    pod_comments = np.where(pod_active, rng.binomial(pod_size[owner], rng.uniform(0.5, 0.9, n)[owner]), 0)
    pod_comments = pod_comments + rng.poisson(pod_comments * 0.6)
    comments = comments + pod_comments
    likes = likes + np.where(pod_active, pod_size[owner], 0)

    has_views = (platform != 0) | np.isin(fmt, [_F_VIDEO, _F_REEL, _F_STORY, _F_LIVE]) | (
        (fmt == _F_UGC) & (rng.random(total) < 0.5))
    view_ratio = (np.array([12.0, 16.0, 22.0])[creators.platform] * rng.lognormal(0.0, 0.25, n))[owner]
    views = np.round((likes_mean + comments_mean) * view_ratio * rng.lognormal(0.0, 0.3, total))
    views = views.astype(np.int64)
    views = np.maximum(views, likes + comments)

    cap = rng.choice(9, size=total, p=[0.08, 0.10, 0.14, 0.16, 0.15, 0.12, 0.10, 0.08, 0.07])
    cap = np.where(pod_active, np.maximum(cap, 3), cap)
    sample_size = np.minimum(cap, comments).astype(np.int64)
    pod_share = pod_comments / np.maximum(comments, 1)
    pod_in_sample = np.where(
        pod_comments > 0,
        np.clip(np.round(sample_size * pod_share), np.minimum(2, sample_size), sample_size),
        0,
    ).astype(np.int64)

    text = _caption_text(
        creators, brands, commenters, owner, kind, fmt, post_language, sponsored, discloses, rng
    )
    samples = _comment_lists(
        creators, commenters, owner, kind, post_language, sample_size, pod_in_sample, pod_size, text, rng
    )

    frame = pl.DataFrame(
        {
            "post_id": pl.int_range(first_post + 1, first_post + total + 1, eager=True).cast(pl.String).str.zfill(9),
            "creator_id": _creator_ids(first_id, n).gather(owner),
            "posted_at": pl.Series(posted_us, dtype=pl.Int64),
            "caption": text.get_column("caption"),
            "likes": pl.Series(likes, dtype=pl.Int64),
            "comments": pl.Series(comments, dtype=pl.Int64),
            "views": pl.Series(views, dtype=pl.Int64),
            "has_views": pl.Series(has_views, dtype=pl.Boolean),
            "format": pl.Series(FORMATS, dtype=pl.String).gather(fmt),
            "comments_sample": samples,
        }
    )
    return frame.select(
        ("p" + pl.col("post_id")).alias("post_id"),
        "creator_id",
        pl.col("posted_at").cast(pl.Datetime("us")).dt.replace_time_zone("UTC"),
        "caption",
        "likes",
        "comments",
        pl.when(pl.col("has_views")).then(pl.col("views")).otherwise(None).alias("views"),
        "format",
        pl.lit(None, dtype=pl.Boolean).alias("is_sponsored"),
        "comments_sample",
    )


def _zipf_table(max_partners: int) -> IntArray:
    """Row k: 100 slots over k partner brands in proportion to 1/rank; the first partner comes back most."""
    table = np.zeros((max_partners + 1, 100), dtype=np.int64)
    for k in range(1, max_partners + 1):
        weights = 1.0 / np.arange(1, k + 1) ** 1.2
        bounds = np.cumsum(weights / weights.sum()) * 100
        table[k] = np.minimum(np.searchsorted(bounds, np.arange(100), side="right"), k - 1)
    return table


def _sponsor_setup(
    creators: _Creators, brands: _Brands, rng: np.random.Generator
) -> tuple[list[list[str]], list[list[str]], list[str], IntArray]:
    """Each creator's partner brands in its primary and secondary niche, discount code and disclosure style.

    Partners are listed most frequent first; a creator without a secondary niche reuses its primary partners.
    """
    assert creators.first_name is not None
    n_partners = 1 + np.minimum(rng.poisson(1.0, (creators.n, 2)), 3)
    picks = rng.integers(0, 1 << 30, size=(creators.n, 2, 4))
    percents = rng.choice([10, 15, 20, 25], size=creators.n)
    german = np.array([language == "de" for language in creators.language])
    style_default = rng.choice(len(_DISCLOSURE_STYLES), size=creators.n, p=[0.35, 0.2, 0.3, 0.0, 0.15])
    style_german = rng.choice(len(_DISCLOSURE_STYLES), size=creators.n, p=[0.2, 0.0, 0.2, 0.6, 0.0])
    styles = np.where(german, style_german, style_default).astype(np.int64)
    partners: tuple[list[list[str]], list[list[str]]] = ([], [])
    codes: list[str] = []
    for i in range(creators.n):
        niches = (int(creators.primary[i]), int(creators.secondary[i]))
        for which, niche in enumerate(niches):
            if niche < 0:
                partners[which].append(partners[0][-1])
                continue
            pool = brands.handle_pool[niche]
            chosen: list[str] = []
            for j in range(int(n_partners[i, which])):
                handle = pool[int(picks[i, which, j]) % len(pool)]
                if handle not in chosen:
                    chosen.append(handle)
            partners[which].append(chosen)
        codes.append(f"{_ascii_lower(creators.first_name[i]).upper()}{int(percents[i])}")
    return partners[0], partners[1], codes, styles


def _caption_text(
    creators: _Creators,
    brands: _Brands,
    commenters: pl.Series,
    owner: IntArray,
    kind: IntArray,
    fmt: IntArray,
    post_language: IntArray,
    sponsored: BoolArray,
    discloses: BoolArray,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Every caption, built from the lexicon; also each post's main topic and descriptor (for comments)."""
    total = len(owner)
    vocab = [lx.NICHE_VOCAB[niche] for niche in NICHES]
    niche = np.where(kind == _SECONDARY, creators.secondary[owner], creators.primary[owner])
    on_topic = kind <= _SECONDARY
    lifestyle = kind == _LIFESTYLE
    foreign = kind == _FOREIGN

    def draw() -> IntArray:
        return rng.integers(0, 1 << 30, size=total)

    def chance(share: float | FloatArray) -> BoolArray:
        return rng.random(total) < share

    def single(words: Sequence[str], name: str) -> pl.Series:
        return _Pool.of([words]).pick(0, draw()).alias(name)

    topics = _Pool.of([v["topics"] for v in vocab] + _shared_vocab())
    descriptors = _Pool.of([v["descriptors"] for v in vocab])
    activities = _Pool.of([v["activities"] for v in vocab])
    emoji = _Pool.of([v["emoji"] + lx.GENERIC_EMOJI for v in vocab] + [lx.GENERIC_EMOJI])
    emoji_on = rng.integers(0, 100, size=total) < creators.emoji_pct[owner]
    slots = pl.DataFrame([
        topics.pick(np.where(chance(0.12), niche + _N_NICHES, niche), draw()).alias("t"),
        topics.pick(np.where(chance(0.25), niche + _N_NICHES, niche), draw()).alias("t2"),
        topics.pick(niche, draw()).alias("t3"),
        descriptors.pick(niche, draw()).alias("d"),
        descriptors.pick(niche, draw()).alias("d2"),
        activities.pick(niche, draw()).alias("a"),
        emoji.pick(np.where(lifestyle, _N_NICHES, niche), draw()).alias("e"),
        pl.Series("emoji_on", emoji_on),
        single(lx.OPENERS, "o"),
        single(lx.REACTIONS, "reaction"),
        single(lx.DAYS, "day"),
        single(lx.LIFESTYLE_THINGS, "thing"),
        single(lx.FEELINGS, "feeling"),
        single([weather.capitalize() for weather in lx.WEATHER], "Weather"),
        single(lx.PEOPLE, "person"),
        single(lx.PLACES, "place"),
        single(lx.MONTHS, "month"),
        pl.Series("n", 2 + draw() % 29).cast(pl.String),
        pl.Series("h", 5 + draw() % 5).cast(pl.String),
        commenters.gather(draw() % len(commenters)).alias("user"),
    ]).with_columns(
        pl.when(pl.col("emoji_on")).then(pl.col("e")).otherwise(pl.lit("")).alias("e"),
    ).with_columns(
        _capitalised("t").alias("T"),
        _capitalised("d").alias("D"),
        _capitalised("d2").alias("D2"),
        pl.when(pl.col("e") == "").then(pl.lit("🙌")).otherwise(pl.col("e")).alias("e_or_default"),
    )

    body_templates = _Pool.of([
        lx.GENERAL_TEMPLATES, lx.LIVE_TEMPLATES, lx.SHOP_TEMPLATES, lx.UGC_TEMPLATES, lx.LIFESTYLE_TEMPLATES,
        *(lx.FOREIGN_TEMPLATES[language] for language in _FOREIGN_LANGUAGES),
    ])
    body_group = np.select(
        [foreign, lifestyle, fmt == _F_LIVE, fmt == _F_SHOP, fmt == _F_UGC],
        [5 + post_language, 4, 1, 2, 3],
        0,
    )
    body = _fill(slots, body_templates.index(body_group, draw()), body_templates.items)
    body = body.to_frame("body").select(
        _capitalised("body").str.replace_all("  ", " ", literal=True).str.strip_chars()
    ).to_series()

    # Sponsored posts: a brand mention, then a disclosure, a discount code or an affiliate link, or nothing.
    primary_partners, secondary_partners, codes, styles = _sponsor_setup(creators, brands, rng)
    partner_pool = _Pool.of(primary_partners + secondary_partners)
    partner_group = np.where(kind == _SECONDARY, owner + creators.n, owner)
    rank = _zipf_table(4)[partner_pool.lengths[partner_group], draw() % 100]
    brand = partner_pool.values.gather(partner_pool.offsets[partner_group] + rank)
    style = np.where(chance(0.2), draw() % 3, styles[owner])
    disclosed = sponsored & discloses
    offer_roll = draw() % 100
    shows_code = sponsored & np.where(discloses, offer_roll < 40, offer_roll < 60)
    shows_link = sponsored & ~discloses & (offer_roll >= 60)
    rows = np.flatnonzero(sponsored)
    sponsored_slots = slots[rows].with_columns(
        brand.gather(rows).alias("b"),
        pl.Series(codes, dtype=pl.String).gather(owner[rows]).alias("code"),
        pl.Series(codes, dtype=pl.String).gather(owner[rows]).str.slice(-2).alias("pct"),
    )
    sub_draw = rng.integers(0, 1 << 30, size=(3, len(rows)))
    mention = _fill(sponsored_slots, sub_draw[0] % len(lx.BRAND_MENTIONS), lx.BRAND_MENTIONS)
    code_line = _fill(sponsored_slots, sub_draw[1] % len(lx.CODE_TEMPLATES), lx.CODE_TEMPLATES)
    link_line = _Pool.of([lx.AFFILIATE_LINES]).values.gather(sub_draw[2] % len(lx.AFFILIATE_LINES))
    offer = pl.DataFrame({
        "code": code_line, "link": link_line,
        "shows_code": shows_code[rows], "shows_link": shows_link[rows],
    }).select(
        pl.when(pl.col("shows_code")).then(pl.col("code"))
        .when(pl.col("shows_link")).then(pl.col("link")).otherwise(None)
    ).to_series()

    detail_rows = np.flatnonzero(on_topic & (rng.integers(0, 100, size=total) < creators.detail_pct[owner]))
    detail_template = draw()[: len(detail_rows)] % len(lx.DETAIL_TEMPLATES)
    detail = _fill(slots[detail_rows], detail_template, lx.DETAIL_TEMPLATES)
    cta_rows = np.flatnonzero(on_topic & (rng.integers(0, 100, size=total) < creators.cta_pct[owner]))
    cta_slots = slots[cta_rows].select("t2", pl.col("e_or_default").alias("e"))
    cta = _fill(cta_slots, draw()[: len(cta_rows)] % len(lx.CTA_TEMPLATES), lx.CTA_TEMPLATES)

    partnership = disclosed & (style == _DISCLOSURE_STYLES.index("paid_partnership"))
    prefix = disclosed & (style == _DISCLOSURE_STYLES.index("ad_prefix"))
    parts = pl.DataFrame({
        "body": body,
        "brand": brand,
        "prefix": prefix,
        "partnership": partnership,
        "detail": _scattered(total, detail_rows, detail),
        "mention": _scattered(total, rows, mention),
        "offer": _scattered(total, rows, offer),
        "cta": _scattered(total, cta_rows, cta),
    }).select(
        pl.concat_str(
            [
                pl.when(pl.col("prefix")).then(pl.lit("Ad |")).otherwise(None),
                pl.col("body"),
                pl.when(pl.col("partnership"))
                .then("Paid partnership with @" + pl.col("brand") + ".")
                .otherwise(None),
                pl.col("detail"),
                pl.col("mention"),
                pl.col("offer"),
                pl.col("cta"),
            ],
            separator=" ",
            ignore_nulls=True,
        ).alias("text")
    )

    tags = _hashtags(creators, owner, niche, kind, slots, disclosed, style, rng)
    captions = pl.concat([parts, tags], how="horizontal").select(
        pl.when(pl.col("tags").is_null()).then(pl.col("text"))
        .otherwise(pl.concat_str([pl.col("text"), pl.col("separator"), pl.col("tags")]))
        .alias("caption")
    )
    return pl.DataFrame({
        "caption": captions.to_series(),
        "topic": slots.get_column("t"),
        "descriptor": slots.get_column("d"),
    })


def _hashtags(
    creators: _Creators,
    owner: IntArray,
    niche: IntArray,
    kind: IntArray,
    slots: pl.DataFrame,
    disclosed: BoolArray,
    style: IntArray,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Each post's hashtags (null when none) and the separator before them."""
    total = len(owner)
    on_topic = kind <= _SECONDARY
    lifestyle = kind == _LIFESTYLE
    tag_pool = _Pool.of([lx.NICHE_VOCAB[n]["hashtags"] for n in NICHES] + [lx.LIFESTYLE_HASHTAGS])
    values = tag_pool.values
    strides = np.array([_coprime_stride(int(length)) for length in tag_pool.lengths])
    wanted = np.minimum(rng.poisson(creators.hashtag_mean[owner]), 15)
    count = np.where(on_topic, wanted, np.where(lifestyle, np.minimum(wanted, 4), np.minimum(wanted, 3)))
    group = np.where(lifestyle, _N_NICHES, niche)
    count = np.minimum(count, tag_pool.lengths[group])
    start = rng.integers(0, 1 << 30, size=total)
    offsets, lengths, stride = tag_pool.offsets[group], tag_pool.lengths[group], strides[group]

    def present(mask: BoolArray, tag: pl.Series) -> pl.Series:
        return pl.select(pl.when(pl.lit(pl.Series(mask))).then(pl.lit(tag)).otherwise(None)).to_series()

    # A stride coprime with the list length keeps a post's tags distinct.
    columns = [
        present(count > j, values.gather(offsets + (start + j * stride) % lengths))
        for j in range(int(count.max(initial=0)))
    ]
    # Personal posts sometimes still carry the creator's usual niche tag.
    columns.append(present(lifestyle & (rng.random(total) < 0.15),
                           tag_pool.pick(niche, rng.integers(0, 1 << 30, size=total))))
    combined = slots.select(
        "#" + (pl.col("d") + pl.col("t")).str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]", "")
    ).to_series()
    columns.append(present(on_topic & (count > 0) & (rng.random(total) < 0.2), combined))
    platform_tags = _Pool.of([lx.PLATFORM_HASHTAGS[p] for p in PLATFORMS])
    columns.append(present(on_topic & (rng.random(total) < 0.3),
                           platform_tags.pick(creators.platform[owner], rng.integers(0, 1 << 30, total))))
    tag_styles = [_DISCLOSURE_STYLES.index(name) for name in lx.DISCLOSURE_TAGS]
    style_tags = pl.Series([lx.DISCLOSURE_TAGS.get(name, "") for name in _DISCLOSURE_STYLES], dtype=pl.String)
    disclosure = disclosed & np.isin(style, tag_styles)
    disclosure_first = rng.random(total) < 0.5
    columns.insert(0, present(disclosure & disclosure_first, style_tags.gather(style)))
    columns.append(present(disclosure & ~disclosure_first, style_tags.gather(style)))
    tags = pl.DataFrame({f"tag{i}": column for i, column in enumerate(columns)}).select(
        pl.concat_str(pl.all(), separator=" ", ignore_nulls=True).alias("tags")
    )
    separator = pl.Series("separator", np.where(rng.random(total) < 0.5, "\n\n", " ")).cast(pl.String)
    has_tags = pl.col("tags") != ""
    return tags.select(separator, pl.when(has_tags).then(pl.col("tags")).otherwise(None).alias("tags"))


def _comment_lists(
    creators: _Creators,
    commenters: pl.Series,
    owner: IntArray,
    kind: IntArray,
    post_language: IntArray,
    sample_size: IntArray,
    pod_in_sample: IntArray,
    pod_size: IntArray,
    text: pl.DataFrame,
    rng: np.random.Generator,
) -> pl.Series:
    """Up to eight "@author: text" comments per post; pods repeat a small circle of authors and praise."""
    total = len(owner)
    n_pool = len(commenters)
    community_base = rng.integers(0, n_pool, size=creators.n)
    community_size = rng.integers(40, 251, size=creators.n)
    pod_base = rng.integers(0, n_pool, size=creators.n)
    post = np.repeat(np.arange(total), sample_size)
    m = len(post)
    within = np.arange(m) - np.repeat(np.cumsum(sample_size) - sample_size, sample_size)
    creator = owner[post]
    post_kind = kind[post]
    x = rng.integers(0, 1 << 30, size=m)
    y = rng.integers(0, 1 << 30, size=m)
    roll = rng.integers(0, 100, size=m)
    from_pod = within < pod_in_sample[post]
    # Real commenters: a creator's own community of regulars, or anyone.
    author = np.where(
        from_pod,
        (pod_base[creator] + (x % pod_size[creator]) * 7919) % n_pool,
        np.where(
            x % 100 < 35,
            (community_base[creator] + (y % community_size[creator]) * 104_729) % n_pool,
            y % n_pool,
        ),
    )
    pool = _Pool.of([
        lx.POD_COMMENTS, lx.SPAM_COMMENTS, lx.LIFESTYLE_COMMENTS, lx.GENERIC_COMMENTS, lx.GENUINE_COMMENTS,
        *(lx.FOREIGN_COMMENTS[language] for language in _FOREIGN_LANGUAGES),
    ])
    group = np.select(
        [from_pod, roll < 3, (post_kind == _LIFESTYLE) & (roll < 75), post_kind == _LIFESTYLE,
         (post_kind == _FOREIGN) & (roll < 60), roll < 78],
        [0, 1, 2, 3, 5 + post_language[post], 4],
        3,
    )
    names = commenters
    slots = pl.DataFrame({
        "t": text.get_column("topic").gather(post),
        "d": text.get_column("descriptor").gather(post),
        "x": names.gather((x + y) % n_pool),
    })
    comment_text = _fill(slots, pool.index(group, rng.integers(0, 1 << 30, size=m)), pool.items)
    comments = pl.DataFrame({"post": post, "comment": "@" + names.gather(author) + ": " + comment_text})
    grouped = comments.group_by("post", maintain_order=True).agg("comment")
    return (
        pl.DataFrame({"post": np.arange(total)})
        .join(grouped, on="post", how="left", maintain_order="left")
        .select(pl.col("comment").fill_null(pl.lit([], dtype=pl.List(pl.String))).alias("comments_sample"))
        .to_series()
    )
