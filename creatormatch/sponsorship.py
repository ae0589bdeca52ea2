"""Sponsored-post detection: a documented list of disclosure and commercial indicators in captions."""

from __future__ import annotations

import polars as pl

# Explicit disclosure, as platform rules and advertising standards ask (FTC, ASA, Germany's "Werbung"):
# a post carrying one of these both is sponsored and discloses it.
DISCLOSURE_HASHTAGS: tuple[str, ...] = (
    "ad", "advert", "advertisement", "sponsored", "spon", "paidpartnership", "paidpartner", "paidad",
    "brandpartner", "gifted", "werbung", "anzeige", "publicidad", "publi", "patrocinado", "publicidade",
    "sponsorisé", "sponsorise", "partenariat", "collaborationcommerciale", "pubblicità", "adv",
)
DISCLOSURE_PHRASES: tuple[str, ...] = (
    r"paid partnership", r"sponsored by", r"this post is sponsored", r"in partnership with",
    r"thanks to @\w[\w.]* for sponsoring", r"gifted by @", r"^\s*ad\s*[|:\-]", r"\[ad\]", r"\(ad\)",
    r"bezahlte partnerschaft", r"colaboración pagada", r"partenariat rémunéré",
)
# Commercial signals without a disclosure: the post sells something for someone (codes, affiliate links).
COMMERCIAL_PHRASES: tuple[str, ...] = (
    r"\buse (?:my |the )?code\b", r"\b(?:discount|promo|coupon) code\b", r"\bcode [a-z0-9]{3,}\b.{0,20}\d+ ?% off",
    r"\d+ ?% off with (?:my )?code", r"\baffiliate link", r"\bamzn\.to/", r"\bliketoknow\.it\b", r"\bltk\.app\b",
    r"\brstyle\.me\b", r"\bshop my\b", r"\bcode in (?:my )?bio\b", r"\bcódigo\b", r"\bgutscheincode\b",
    r"\brabattcode\b", r"\bcode promo\b",
)

# Literal hints that must appear before the (slower) commercial patterns are tried.
COMMERCIAL_HINTS: tuple[str, ...] = (
    "code", "% off", "affiliate", "amzn.to", "liketoknow", "ltk.app", "rstyle.me", "shop my", "código",
    "gutschein", "rabatt",
)
DISCLOSURE_PHRASE_PATTERN = "|".join(f"(?:{p})" for p in DISCLOSURE_PHRASES)
COMMERCIAL_PATTERN = "|".join(f"(?:{p})" for p in COMMERCIAL_PHRASES)
MENTION_PATTERN = r"@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)"
_ROW = "_sponsorship_row"


def detect_sponsorship(posts: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """Add `discloses`, `is_sponsored` and `mentions` to a posts frame.

    A post is sponsored when the input says so (`is_sponsored` true or false); where the input leaves it empty,
    when its caption carries a disclosure or a commercial indicator. `discloses` is true when the caption carries
    an explicit disclosure.

    Args:
        posts: posts with `caption` and `is_sponsored` (nullable) columns.

    Returns:
        The frame with the three columns added (`mentions`: lowercase @handles in the caption).
    """
    frame = posts.lazy().collect() if isinstance(posts, pl.LazyFrame) else posts
    low = pl.col("caption").fill_null("").str.to_lowercase()
    tags = low.str.extract_all(r"#[\p{L}\p{N}_]+").list.eval(pl.element().str.slice(1).is_in(DISCLOSURE_HASHTAGS))
    discloses = tags.list.any().fill_null(False) | low.str.contains(DISCLOSURE_PHRASE_PATTERN)
    frame = frame.with_row_index(_ROW).with_columns(discloses.alias("discloses"))
    # Only captions with a literal hint are run through the commercial patterns: one regex pass over every
    # caption costs more than the rest of detection together.
    hinted = frame.filter(low.str.contains_any(list(COMMERCIAL_HINTS)))
    commercial = hinted.select(_ROW, low.str.contains(COMMERCIAL_PATTERN).alias("_commercial"))
    frame = frame.join(commercial, on=_ROW, how="left").sort(_ROW)
    return frame.lazy().with_columns(
        pl.coalesce(pl.col("is_sponsored"), pl.col("discloses") | pl.col("_commercial").fill_null(False))
        .alias("is_sponsored"),
        pl.col("caption").fill_null("").str.extract_all(MENTION_PATTERN)
        .list.eval(pl.element().str.slice(1).str.to_lowercase()).alias("mentions"),
    ).drop(_ROW, "_commercial")
