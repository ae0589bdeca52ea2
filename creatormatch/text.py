"""How creators, posts and briefs become text: the bio document, caption terms and the brief query."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import polars as pl
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# A term is a word or a hashtag: letters and digits (any script), with inner apostrophes or hyphens.
TERM_PATTERN = r"#?[^\W_](?:[\w'\-]*[^\W_])?"
_TERM_RE = re.compile(TERM_PATTERN)
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_MENTION_RE = re.compile(r"@[\w.]+")
STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    {"im", "i'm", "it's", "don't", "can't", "i've", "i'll", "you're", "that's", "let's", "got", "just", "like",
     "today", "really", "new", "day", "time", "going", "know", "make", "want", "link", "bio"}
)


def caption_terms(caption: str) -> list[str]:
    """The terms of one caption: lowercased words and hashtags, without stop words, URLs, @mentions or numbers.

    Args:
        caption: the post text.

    Returns:
        Terms in order of appearance (repeats kept).
    """
    text = _MENTION_RE.sub(" ", _URL_RE.sub(" ", caption.lower()))
    terms = []
    for term in _TERM_RE.findall(text):
        bare = term.lstrip("#")
        if len(bare) < 2 or bare.isdigit() or term in STOP_WORDS:
            continue
        terms.append(term)
    return terms


def caption_terms_frame(captions: Sequence[str | None]) -> pl.DataFrame:
    """caption_terms for many captions at once, in polars (Rust) rather than Python: one row per (post, term).

    The same definition as caption_terms (a test holds them equal); this one is what the build uses.

    Args:
        captions: post texts, in post order.

    Returns:
        Columns post (row number of the caption) and term, in order of appearance.
    """
    low = pl.col("caption").fill_null("").str.to_lowercase()
    low = low.str.replace_all(_URL_RE.pattern, " ").str.replace_all(_MENTION_RE.pattern, " ")
    terms = (
        pl.DataFrame({"caption": list(captions)}, schema={"caption": pl.Utf8}).with_row_index("post")
        .select("post", low.str.extract_all(TERM_PATTERN).alias("term"))
        .explode("term")
        .drop_nulls("term")
    )
    bare = pl.col("term").str.strip_chars_start("#")
    return terms.filter((bare.str.len_chars() >= 2) & ~bare.str.contains(r"^\d+$")
                        & ~pl.col("term").is_in(sorted(STOP_WORDS)))


def term_text(term: str) -> str:
    """The text embedded for a vocabulary term: hashtags lose their '#', separators become spaces."""
    return term.lstrip("#").replace("_", " ").replace("-", " ")


def bio_document(bio: str | None, categories: Iterable[str] | None) -> str:
    """What the encoder reads for a creator's profile: the bio and the self-declared categories.

    Args:
        bio: the profile bio (may be empty).
        categories: self-declared tags.

    Returns:
        One line of text, empty when the creator wrote nothing.
    """
    parts = [(bio or "").strip()]
    tags = [c.strip() for c in (categories or []) if c and c.strip()]
    if tags:
        parts.append("Topics: " + ", ".join(tags))
    return " ".join(p for p in parts if p).strip()


def brief_document(text: str | None = None, brand: str | None = None, values: str | None = None,
                   product: str | None = None, audience: str | None = None,
                   keywords: Iterable[str] | None = None) -> str:
    """The query text for a brand brief: what the brand sells, to whom, what it stands for and its keywords.

    Args:
        text: free text.
        brand: the brand's name.
        values: the brand's value statement.
        product: the product.
        audience: the target audience.
        keywords: niche keywords or hashtags.

    Returns:
        One text for the encoder; empty when every part is empty.
    """
    words = [k.strip() for k in (keywords or []) if k and k.strip()]
    parts = [text, product, audience, values, ", ".join(words) if words else None, brand]
    return ". ".join(p.strip() for p in parts if p and p.strip())
