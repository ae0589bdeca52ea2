"""Explanations: a result's evidence posts and its reasons in plain sentences, from a typed creator row."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl

from creatormatch.api_models import CreatorResult, Evidence
from creatormatch.lexical import Stems
from creatormatch.ranking.scoring import EVIDENCE_POSTS, PostScores
from creatormatch.schemas import PLATFORM_LABELS
from creatormatch.text import UNSPACED_CLASS, UNSPACED_RE

if TYPE_CHECKING:
    import pyarrow as pa

FloatArray = npt.NDArray[np.float32]
Rows = npt.NDArray[np.int64]

RECENT_WINDOW = 20  # newest posts looked at for "n of the last posts match the brief"
ON_BRIEF_MARGIN = 0.85  # a post is "about the brief" at >= 85 % of the best post similarity in the pool
SNIPPET = 220  # characters of a caption shown as evidence
_UNSPACED_RUN = re.compile(f"({UNSPACED_CLASS}+)")


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _float(value: object) -> float | None:
    return value if isinstance(value, float) else None


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and math.isfinite(value) else None


def _texts(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


@dataclass(frozen=True, slots=True)
class CreatorRow:
    """What a result shows of one creator and what its reasons read; None where the data does not say."""

    creator_id: str
    handle: str | None
    platform: str
    followers: int | None
    reach: int | None
    reach_basis: str | None
    tier: str | None
    country: str | None
    engagement_rate: float | None
    engagement_basis: str | None
    engagement_vs_tier: float | None
    disclosure_rate: float | None
    sponsored_posts: int
    days_since_last_post: int | float | None
    posts_per_month: float | None
    interactive_share: float | None
    repeat_partnerships: int
    partner_brands: tuple[str, ...]
    authenticity_reasons: tuple[str, ...]
    authenticity_confidence: str | None
    authenticity_score: float | None
    audience_credibility: float | None

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> CreatorRow:
        """A row of the creator table as polars gives it (optional columns may be missing): the one place where
        its untyped values are checked and typed."""
        days = record.get("days_since_last_post")
        return cls(
            creator_id=str(record["creator_id"]), handle=_text(record.get("handle")),
            platform=str(record["platform"]), followers=_int(record.get("followers")),
            reach=_int(record.get("reach")), reach_basis=_text(record.get("reach_basis")),
            tier=_text(record.get("tier")), country=_text(record.get("country")),
            engagement_rate=_float(record.get("engagement_rate")),
            engagement_basis=_text(record.get("engagement_basis")),
            engagement_vs_tier=_float(record.get("engagement_vs_tier")),
            disclosure_rate=_float(record.get("disclosure_rate")),
            sponsored_posts=_int(record.get("sponsored_posts")) or 0,
            days_since_last_post=days if isinstance(days, int | float) else None,
            posts_per_month=_float(record.get("posts_per_month")),
            interactive_share=_float(record.get("interactive_share")),
            repeat_partnerships=_int(record.get("repeat_partnerships")) or 0,
            partner_brands=_texts(record.get("partner_brands")),
            authenticity_reasons=_texts(record.get("authenticity_reasons")),
            authenticity_confidence=_text(record.get("authenticity_confidence")),
            authenticity_score=_float(record.get("authenticity_score")),
            audience_credibility=_float(record.get("audience_credibility")),
        )


def reasons(creator: CreatorRow, sims: FloatArray, best_post: float) -> list[str]:
    """Why a creator is in the results, in plain sentences: on-brief posts, engagement, disclosure, activity,
    formats, audience, and any caution.

    Args:
        creator: the creator.
        sims: similarity of each of its posts to the query, newest first.
        best_post: the best post similarity over the candidates (the yardstick of "closely").
    """
    out: list[str] = []
    recent = sims[:RECENT_WINDOW]  # posts are stored newest first
    if recent.size and best_post > 0:
        on_brief = int((recent >= ON_BRIEF_MARGIN * best_post).sum())
        if on_brief:
            out.append(f"{on_brief} of the last {recent.size} posts match the brief closely")
    out.extend(_engagement_reasons(creator))
    out.extend(_record_reasons(creator))
    if creator.authenticity_score is None:
        out.append("no evidence on authenticity (no follower sample, history or comparable engagement)")
    elif creator.authenticity_confidence == "low":
        out.append("authenticity judged from engagement and comments only (no follower sample or history)")
    return out


def _engagement_reasons(creator: CreatorRow) -> list[str]:
    evt = creator.engagement_vs_tier
    if evt is None or not math.isfinite(evt):
        return []
    platform = PLATFORM_LABELS.get(creator.platform, "")
    group = " ".join(f"{platform} {creator.tier or ''} creators".replace("sub_nano", "sub-1k").split())
    what = "engagement per view" if creator.engagement_basis == "views" else "engagement"
    if evt >= 0.9:
        return [f"{what} in the top {max(1, math.ceil((1 - evt) * 100))} % of {group}"]
    if evt >= 0.5:
        return [f"{what} above the median of {group}"]
    if evt < 0.25:
        return [f"{what} below most {group}"]
    return []


def _record_reasons(creator: CreatorRow) -> list[str]:
    """Disclosure, partnerships, activity, formats, audience credibility and authenticity flags."""
    out: list[str] = []
    sponsored, rate = creator.sponsored_posts, creator.disclosure_rate
    if sponsored and rate is not None:
        if rate >= 1.0:
            out.append("discloses every sponsored post" if sponsored > 1 else "discloses its sponsored post")
        else:
            out.append(f"discloses {round(rate * sponsored)} of {sponsored} sponsored posts")
    if creator.repeat_partnerships and creator.partner_brands:
        out.append(f"repeat partnerships (e.g. @{creator.partner_brands[0]})")
    days, per_month = creator.days_since_last_post, creator.posts_per_month
    if days is not None:
        if days > 3650:  # a date that old is more likely a placeholder (0001-01-01) than a count to read out
            out.append("no post in over ten years")
        elif days > 90:
            out.append(f"no post in the last {int(days)} days")
        elif per_month is not None and per_month >= 1:
            out.append(f"active: about {round(per_month)} posts a month, last {int(days)} days ago")
    interactive = creator.interactive_share
    if interactive is not None and interactive >= 0.1:
        out.append(f"{round(interactive * 100)} % of posts are live, shoppable or UGC")
    credibility = creator.audience_credibility
    if credibility is not None and credibility >= 0.98:
        out.append("nearly all sampled followers look real")
    elif credibility is not None and credibility >= 0.9:
        out.append(f"about {round(credibility * 100)} % of sampled followers look real")
    out.extend(f"caution: {flag}" for flag in creator.authenticity_reasons)
    return out


class _Column:
    """One column of the memory-mapped post table, read for the few posts a response shows: each chunk the rows
    fall in is gathered on its own (a take over the whole chunked column may first join its chunks)."""

    def __init__(self, column: pa.ChunkedArray) -> None:
        self._chunks = column.chunks
        self._starts = np.cumsum([0] + [len(c) for c in self._chunks]).astype(np.int64)

    def take(self, rows: npt.NDArray[np.int64]) -> list[Any]:
        """The values at `rows` (post rows of the bundle), in that order, as Python objects."""
        if rows.size == 0:
            return []
        if len(self._chunks) == 1:
            return self._chunks[0].take(rows).to_pylist()  # type: ignore[no-any-return]
        chunk_of = np.searchsorted(self._starts, rows, side="right") - 1
        out: list[Any] = [None] * rows.size
        for chunk in np.unique(chunk_of).tolist():
            where = np.flatnonzero(chunk_of == chunk)
            values = self._chunks[chunk].take(rows[where] - self._starts[chunk]).to_pylist()
            for k, value in zip(where.tolist(), values, strict=True):
                out[k] = value
        return out


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked creator to explain: its bundle row, score, score parts and its place in the PostScores."""

    row: int
    score: float
    components: dict[str, float]
    position: int


class Explainer:
    """Turns ranked creators into results: their fields, their best evidence posts and their reasons."""

    def __init__(self, creators: pl.DataFrame, posts: pa.Table) -> None:
        """Args:
            creators: the bundle's creator table (row i = creator i).
            posts: the bundle's posts, in creator order (memory-mapped Arrow).
        """
        # Kept as columns and read for the creators and posts a response shows: nothing is turned into Python
        # objects at load, so start-up and memory do not grow with the posts of creators never shown. The creator
        # rows are gathered with Arrow's take, on the calling thread: polars gathers on its own thread pool, which
        # waits behind the encoder's threads under load (20 rows: 0.2 ms either way idle; with two threads
        # encoding, median 0.3-3.2 ms and p99 15.6 ms in polars against 0.24-0.38 and 0.9-1.9 ms in Arrow).
        self._creators = creators.select([f.name for f in fields(CreatorRow) if f.name in creators.columns]
                                         ).rechunk().to_arrow()
        self._post_ids = _Column(posts.column("post_id"))
        self._captions = _Column(posts.column("caption"))
        self._post_dates = _Column(posts.column("posted_at"))
        self._post_formats = _Column(posts.column("format"))

    def results(self, hits: Sequence[Hit], posts: PostScores, words: Sequence[str] = (), stems: Stems | None = None,
                evidence: bool = True) -> list[CreatorResult]:
        """The results for a page of ranked creators, each read from the bundle in one gather per column.

        Args:
            hits: the creators, in result order.
            posts: the similarity of every post of the ranked candidates (the hits among them) to the query; its
                best post is the yardstick of "closely" in the reasons.
            words: query words to find in the captions (search); their posts come first as evidence.
            stems: the keyword index's stemmer: a caption word with a query word's stem counts too ("trailer" for
                "trailers"), as it did in the index.
            evidence: pick each creator's evidence posts; off, `evidence` is empty and no post is read (the
                reasons do not depend on it).
        """
        if not hits:
            return []
        best_post = posts.best()
        rows = np.fromiter((h.row for h in hits), dtype=np.int64, count=len(hits))
        creators = [CreatorRow.from_record(r) for r in self._creators.take(rows).to_pylist()]
        scored = [posts.of(h.position) for h in hits]
        picks = self._pick_evidence(scored, words, stems) if evidence else [[] for _ in hits]
        chosen = np.array([post for pick in picks for post, _, _ in pick], dtype=np.int64)
        ids, captions, dates, formats = (column.take(chosen) for column in
                                         (self._post_ids, self._captions, self._post_dates, self._post_formats))
        out, k = [], 0
        for hit, creator, pick, (sims, _) in zip(hits, creators, picks, scored, strict=True):
            shown = []
            for _, similarity, matched in pick:
                shown.append(Evidence(post_id=str(ids[k]), caption=(captions[k] or "")[:SNIPPET],
                                      similarity=round(similarity, 4),
                                      posted_at=dates[k].isoformat() if dates[k] is not None else None,
                                      format=formats[k], matched_terms=matched))
                k += 1
            out.append(CreatorResult(
                creator_id=creator.creator_id, handle=creator.handle, platform=creator.platform,
                followers=creator.followers, reach=creator.reach, reach_basis=creator.reach_basis, tier=creator.tier,
                country=creator.country, score=round(hit.score, 4), components=hit.components,
                engagement_rate=creator.engagement_rate, engagement_vs_tier=creator.engagement_vs_tier,
                audience_credibility=creator.audience_credibility, authenticity_score=creator.authenticity_score,
                authenticity_confidence=creator.authenticity_confidence,
                evidence=shown, reasons=reasons(creator, sims, best_post)))
        return out

    def _pick_evidence(self, scored: Sequence[tuple[FloatArray, Rows]], words: Sequence[str],
                       stems: Stems | None = None) -> list[list[tuple[int, float, list[str]]]]:
        """Each creator's best EVIDENCE_POSTS posts as (post row, similarity, matched words): those holding the
        query's words first, then by similarity; posts with neither are left out."""
        picks: list[list[tuple[int, float, list[str]]]] = []
        if not words:
            for sims, index in scored:
                top = np.argsort(-sims)[:EVIDENCE_POSTS].tolist()
                picks.append([(int(index[j]), float(sims[j]), []) for j in top if sims[j] > 0])
            return picks
        matches = _word_matcher(words, stems)
        # The captions of all the creators' posts in one gather, then split back by creator.
        captions = iter(self._captions.take(np.concatenate([index for _, index in scored]).astype(np.int64)))
        for sims, index in scored:
            found = [matches((next(captions) or "").lower()) for _ in range(index.size)]
            rank_key = np.array([len(m) for m in found], dtype=np.float32) + sims
            top = np.argsort(-rank_key)[:EVIDENCE_POSTS].tolist()
            picks.append([(int(index[j]), float(sims[j]), found[j]) for j in top if sims[j] > 0 or found[j]])
        return picks


def _word_matcher(words: Sequence[str], stems: Stems | None) -> Callable[[str], list[str]]:
    """A function giving the words of a lowercased caption that the query's words matched, sorted: the words
    themselves, and with a stemmer the caption's words of the same stem. As in the keyword index, a word in a
    script written without spaces (Han, kana, Hangul, Thai, ...) is found inside longer runs of its script
    ("ラーメン" in "東京のラーメン屋さん"), such a run ends a word of another script ("iphone" in "iphone用ケース"),
    and text that is not plain ASCII is compared in its compatibility form (NFKC: fullwidth forms are the usual
    letters)."""
    words = [w if w.isascii() else unicodedata.normalize("NFKC", w) for w in words]
    unspaced = [w for w in words if UNSPACED_RE.search(w)]
    spaced = [w for w in words if w not in unspaced]
    alternatives = [re.escape(w) for w in spaced]
    wanted: set[str] = set()
    if stems is not None:
        wanted = set(stems.words(spaced))
        # Candidates start with a query word's stem less its last letter, which Snowball may have changed or
        # dropped ("citi" for "city", "bake" for "baking"); only those whose own stem is one of the query's count.
        alternatives += [re.escape(stem[:-1] if len(stem) > 2 else stem) + r"\w*" for stem in wanted]
    # Each query has its own patterns, so they hold no class of those scripts (compiling one takes ~4 ms).
    whole = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)") if alternatives else None
    inside = (re.compile("|".join(re.escape(w) for w in sorted(unspaced, key=len, reverse=True)))
              if unspaced else None)
    exact = set(words)

    def matches(caption: str) -> list[str]:
        plain = caption.isascii()
        if not plain and not unicodedata.is_normalized("NFKC", caption):
            caption = unicodedata.normalize("NFKC", caption)
        found: list[str] = []
        if whole is not None:
            # Spaces around the runs of those scripts, so that a run ends a word of another script for \w.
            text = caption if plain or not UNSPACED_RE.search(caption) else _UNSPACED_RUN.sub(r" \1 ", caption)
            found = sorted(set(whole.findall(text)))
            if stems is not None and not exact.issuperset(found):
                found = [w for w, stem in zip(found, stems.words(found), strict=True) if w in exact or stem in wanted]
        if inside is not None:
            found = sorted({*found, *inside.findall(caption)})
        return found

    return matches
