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

_HASHTAG_ALT = "|".join(sorted(DISCLOSURE_HASHTAGS, key=len, reverse=True))
DISCLOSURE_PATTERN = "(?i)(?:#(?:" + _HASHTAG_ALT + r")\b)|(?:" + "|".join(DISCLOSURE_PHRASES) + ")"
COMMERCIAL_PATTERN = "(?i)" + "|".join(f"(?:{p})" for p in COMMERCIAL_PHRASES)
MENTION_PATTERN = r"@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)"


def detect_sponsorship(posts: pl.LazyFrame | pl.DataFrame) -> pl.LazyFrame:
    """Add `discloses`, `is_sponsored` and `mentions` to a posts frame.

    A post is sponsored when the input says so (`is_sponsored` true or false); where the input leaves it empty,
    when its caption carries a disclosure or a commercial indicator. `discloses` is true when the caption carries
    an explicit disclosure.

    Args:
        posts: posts with `caption` and `is_sponsored` (nullable) columns.

    Returns:
        The lazy frame with the three columns added (`mentions`: lowercase @handles in the caption).
    """
    caption = pl.col("caption").fill_null("")
    discloses = caption.str.contains(DISCLOSURE_PATTERN)
    commercial = caption.str.contains(COMMERCIAL_PATTERN)
    return posts.lazy().with_columns(
        discloses.alias("discloses"),
        pl.coalesce(pl.col("is_sponsored"), discloses | commercial).alias("is_sponsored"),
        caption.str.extract_all(MENTION_PATTERN).list.eval(pl.element().str.slice(1).str.to_lowercase())
        .alias("mentions"),
    )
