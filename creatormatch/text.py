"""How creators, posts and briefs become text: the bio document, caption terms and the brief query."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import polars as pl

# A term is a word or a hashtag: letters and digits (any script), with inner apostrophes or hyphens.
TERM_PATTERN = r"#?[^\W_](?:[\w'\-]*[^\W_])?"
_TERM_RE = re.compile(TERM_PATTERN)
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_MENTION_RE = re.compile(r"@[\w.]+")
# scikit-learn's English stop words (sklearn.feature_extraction.text.ENGLISH_STOP_WORDS, BSD-3-Clause), copied
# so that answering a query does not import scikit-learn (1.5 s); a test holds the copy equal to the original.
ENGLISH_STOP_WORDS: frozenset[str] = frozenset({
    "a", "about", "above", "across", "after", "afterwards", "again", "against", "all", "almost", "alone", "along",
    "already", "also", "although", "always", "am", "among", "amongst", "amoungst", "amount", "an", "and", "another",
    "any", "anyhow", "anyone", "anything", "anyway", "anywhere", "are", "around", "as", "at", "back", "be", "became",
    "because", "become", "becomes", "becoming", "been", "before", "beforehand", "behind", "being", "below", "beside",
    "besides", "between", "beyond", "bill", "both", "bottom", "but", "by", "call", "can", "cannot", "cant", "co",
    "con", "could", "couldnt", "cry", "de", "describe", "detail", "do", "done", "down", "due", "during", "each",
    "eg", "eight", "either", "eleven", "else", "elsewhere", "empty", "enough", "etc", "even", "ever", "every",
    "everyone", "everything", "everywhere", "except", "few", "fifteen", "fifty", "fill", "find", "fire", "first",
    "five", "for", "former", "formerly", "forty", "found", "four", "from", "front", "full", "further", "get", "give",
    "go", "had", "has", "hasnt", "have", "he", "hence", "her", "here", "hereafter", "hereby", "herein", "hereupon",
    "hers", "herself", "him", "himself", "his", "how", "however", "hundred", "i", "ie", "if", "in", "inc", "indeed",
    "interest", "into", "is", "it", "its", "itself", "keep", "last", "latter", "latterly", "least", "less", "ltd",
    "made", "many", "may", "me", "meanwhile", "might", "mill", "mine", "more", "moreover", "most", "mostly", "move",
    "much", "must", "my", "myself", "name", "namely", "neither", "never", "nevertheless", "next", "nine", "no",
    "nobody", "none", "noone", "nor", "not", "nothing", "now", "nowhere", "of", "off", "often", "on", "once", "one",
    "only", "onto", "or", "other", "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own", "part",
    "per", "perhaps", "please", "put", "rather", "re", "same", "see", "seem", "seemed", "seeming", "seems",
    "serious", "several", "she", "should", "show", "side", "since", "sincere", "six", "sixty", "so", "some",
    "somehow", "someone", "something", "sometime", "sometimes", "somewhere", "still", "such", "system", "take",
    "ten", "than", "that", "the", "their", "them", "themselves", "then", "thence", "there", "thereafter", "thereby",
    "therefore", "therein", "thereupon", "these", "they", "thick", "thin", "third", "this", "those", "though",
    "three", "through", "throughout", "thru", "thus", "to", "together", "too", "top", "toward", "towards", "twelve",
    "twenty", "two", "un", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what",
    "whatever", "when", "whence", "whenever", "where", "whereafter", "whereas", "whereby", "wherein", "whereupon",
    "wherever", "whether", "which", "while", "whither", "who", "whoever", "whole", "whom", "whose", "why", "will",
    "with", "within", "without", "would", "yet", "you", "your", "yours", "yourself", "yourselves",
})
STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    {"im", "i'm", "it's", "don't", "can't", "i've", "i'll", "you're", "that's", "let's", "got", "just", "like",
     "today", "really", "new", "day", "time", "going", "know", "make", "want", "link", "bio"}
)


def caption_terms(caption: str) -> list[str]:
    """The terms of one caption: lowercased words and hashtags, without stop words, URLs, @mentions or numbers.

    Exactly the terms caption_terms_frame gives (the index is built with it), so a query meets the index.
    Python's word class leaves out combining marks such as Devanagari and Thai vowel signs, which the Rust
    regex of polars keeps inside the word; on ASCII text the two agree, so only other text goes through
    polars (about 1 ms a call, as the regex is compiled each time).

    Args:
        caption: the post text.

    Returns:
        Terms in order of appearance (repeats kept).
    """
    if not caption.isascii():
        return caption_terms_frame([caption]).get_column("term").to_list()
    text = _MENTION_RE.sub(" ", _URL_RE.sub(" ", caption.lower()))
    terms = []
    for term in _TERM_RE.findall(text):
        bare = term.lstrip("#")
        if len(bare) < 2 or bare.isdigit() or term in STOP_WORDS:
            continue
        terms.append(term)
    return terms


def caption_terms_frame(captions: Sequence[str | None] | pl.Series) -> pl.DataFrame:
    """caption_terms for many captions at once, in polars (Rust) rather than Python: one row per (post, term).

    The same definition as caption_terms (a test holds them equal); this one is what the build uses.

    Args:
        captions: post texts, in post order.

    Returns:
        Columns post (row number of the caption) and term, in order of appearance.
    """
    low = pl.col("caption").fill_null("").str.to_lowercase()
    low = _without_links(low)
    terms = (
        (captions.cast(pl.Utf8).alias("caption").to_frame() if isinstance(captions, pl.Series)
         else pl.DataFrame({"caption": list(captions)}, schema={"caption": pl.Utf8})).with_row_index("post")
        .select("post", low.str.extract_all(TERM_PATTERN).alias("term"))
        .explode("term")
        .drop_nulls("term")
    )
    bare = pl.col("term").str.strip_chars_start("#")
    return terms.filter((bare.str.len_chars() >= 2) & ~bare.str.contains(r"^\d+$")
                        & ~pl.col("term").is_in(sorted(STOP_WORDS)))


def _without_links(text: pl.Expr) -> pl.Expr:
    """The text with URLs and @mentions replaced by spaces."""
    return text.str.replace_all(_URL_RE.pattern, " ").str.replace_all(_MENTION_RE.pattern, " ")


# Scripts written without spaces between words: Han, Hiragana, Katakana and Hangul, as Lucene's CJKBigramFilter
# takes them (Korean spaces its phrases, but particles stick to the word: "라면을" is "라면" plus "을"), and Thai,
# Lao, Myanmar and Khmer.
_UNSPACED_RANGES = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1100, 0x11FF), (0x1780, 0x17FF), (0x3005, 0x3007),
                    (0x3040, 0x309F), (0x30A0, 0x30FF), (0x3130, 0x318F), (0x31F0, 0x31FF), (0x3400, 0x4DBF),
                    (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF66, 0xFF9F),
                    (0x20000, 0x3134F))
UNSPACED_SET = "".join(f"{chr(a)}-{chr(b)}" for a, b in _UNSPACED_RANGES)  # for inside [...]
UNSPACED_CLASS = f"[{UNSPACED_SET}]"  # the same characters for Python's re and polars' Rust regex
UNSPACED_RE = re.compile(UNSPACED_CLASS)
_LETTER = r"\P{M}\p{M}*"  # a letter with its combining marks (Thai vowel and tone marks)
# A word of the other scripts, as TERM_PATTERN has it (letters and digits, inner apostrophes and hyphens), ending
# where a run of the unspaced scripts or an underscore begins.
_SPACED_WORD = f"[^\\W_{UNSPACED_SET}](?:(?:[^\\W{UNSPACED_SET}]|['\\-])*[^\\W_{UNSPACED_SET}])?"


def split_unspaced(tokens: pl.DataFrame) -> pl.DataFrame:
    """Keyword tokens with every run of a script written without spaces cut into overlapping pairs of letters,
    after folding every token that is not plain ASCII to its compatibility form (NFKC: fullwidth "ｉｐｈｏｎｅ" is
    "iphone", halfwidth "ｶﾞﾝﾀﾞﾑ" is "ガンダム", a decomposed "é" is "é"), as Lucene's CJKWidthFilter and ICU folding.

    Japanese, Chinese and Thai write no spaces, so a caption's term is a whole clause ("東京のラーメン屋さん") that a
    query word ("ラーメン") never equals. Like Elasticsearch's cjk analyzer, each such run becomes its overlapping
    bigrams (東京, 京の, のラ, ラー, ...), a letter keeping its combining marks (Thai "กิน" is กิ + น); a lone
    letter stays as it is. The rest of such a term ("iphone用ケース", "東京_tokyo") is cut into words as
    TERM_PATTERN cuts text, each kept when it would be a term alone (two letters or more, not only digits, not a
    stop word). ASCII tokens pass through unchanged (hashtags of stop words included), in order.

    Args:
        tokens: columns post and token (terms without '#'), in order of appearance.

    Returns:
        The same columns, one row per token after the split, in order.
    """
    other = pl.col("token").str.contains(r"[^\x00-\x7f]")
    if tokens.is_empty() or not tokens.select(other.any()).item():
        return tokens
    # Only the tokens that are not ASCII are worked on (a few in most English text), then put back in place.
    numbered = tokens.with_row_index("_at")
    pieces = (numbered.filter(other)
              .with_columns(pl.col("token").str.normalize("NFKC")
                            .str.extract_all(f"{UNSPACED_CLASS}+|{_SPACED_WORD}"))
              .explode("token").drop_nulls("token"))
    unspaced = pl.col("token").str.contains(f"^{UNSPACED_CLASS}")
    term = ((pl.col("token").str.len_chars() >= 2) & ~pl.col("token").str.contains(r"^\d+$")
            & ~pl.col("token").is_in(sorted(STOP_WORDS)))
    letters = pl.col("token").str.extract_all(_LETTER)
    pairs = (letters.list.eval(pl.concat_str([pl.element(), pl.element().shift(-1)]))
             .list.slice(0, letters.list.len() - 1))
    cut = (pieces.filter(unspaced | term)
           .with_columns(pl.when(unspaced & (letters.list.len() > 1)).then(pairs)
                         .otherwise(pl.concat_list("token")).alias("token"))
           .explode("token"))
    return (pl.concat([numbered.filter(~other), cut.select(numbered.columns)])
            .sort("_at", maintain_order=True).select("post", "token"))


def term_text(term: str) -> str:
    """The text embedded for a vocabulary term: hashtags lose their '#', separators become spaces."""
    return term.lstrip("#").replace("_", " ").replace("-", " ")


def post_document_expr() -> pl.Expr:
    """The text of each post, over the columns title, tags and caption: title, then tags, then the caption or
    description, joined by ". ", empty parts left out (empty when the post has no text at all)."""

    def part(expr: pl.Expr) -> pl.Expr:
        stripped = expr.fill_null("").str.strip_chars()
        return pl.when(stripped != "").then(stripped).otherwise(None)

    tag = pl.element().str.strip_chars()
    tags = pl.col("tags").fill_null([]).list.eval(tag.filter(tag != ""))
    return pl.concat_str([part(pl.col("title")), part(tags.list.join(", ")), part(pl.col("caption"))],
                         separator=". ", ignore_nulls=True).fill_null("")


# Calls to action that fill the end of video descriptions and captions ("Subscribe ➡", "Follow us on Instagram",
# "Click the bell"), as whole words, in the languages of the exports seen; a short line holding one says nothing
# about the content.
_PROMO_RE = (r"(?i)\b(subscribe[ds]?|subscription|abonne[rz]?|abonnez|abonniert?|suscr[ií]bete|iscriviti|follow|"
             r"folgt|suivez|s[ií]gueme|click|notifications?|merch|patreon|instagram|insta|twitter|facebook|"
             r"snapchat|tiktok|twitch|discord|website|business inquiries)\b")
_PROMO_MAX_WORDS = 12  # a line with more words is content that happens to name one of those words
_PROMO_MAX_CHARS = 80  # ... and so is a longer line (text without spaces, such as Chinese, has few "words")


def clean_document_expr(text: pl.Expr) -> pl.Expr:
    """Post text for the embedded creator document: links, @handles and promotional lines removed.

    Video descriptions end in lines of links and calls to action (subscribe, social accounts, the bell) that
    crowd the content out of a short document and pull every channel's vector towards the same boilerplate.
    A line with a link or a handle, or a short line with a call to action, is dropped whole when what is left
    of it is short; otherwise only its links and handles go. The first line (title and tags) is never dropped.
    The post's stored text, its terms and the evidence shown to users keep everything (disclosures and
    mentions live in those lines).

    Args:
        text: post texts (post_document_expr).

    Returns:
        The cleaned texts (empty stays empty, null stays null).
    """
    line = pl.element()
    bare = _without_links(line)
    # Words; in scripts written without spaces (Chinese, Japanese, Thai) every two letters count as one.
    words = (bare.str.count_matches(r"[^\W\d_]{2,}")
             + bare.str.count_matches(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]") // 2)
    had_link = line.str.contains(_URL_RE.pattern) | line.str.contains(_MENTION_RE.pattern)
    promo = bare.str.contains(_PROMO_RE)
    short = (words <= _PROMO_MAX_WORDS) & (bare.str.strip_chars().str.len_chars() <= _PROMO_MAX_CHARS)
    drop = (words == 0) | ((had_link | promo) & short)
    lines = text.str.replace_all(r"\r\n?", "\n").str.split("\n")
    first = _without_links(lines.list.first())
    rest = lines.list.slice(1).list.eval(bare.filter(~drop).str.strip_chars()).list.join("\n")
    return (pl.when(rest == "").then(first).otherwise(pl.concat_str([first, rest], separator="\n"))
            .str.replace_all(r"[ \t]+", " ").str.replace_all(r" ?\n ?", "\n").str.strip_chars())


def creator_document(name: str | None, bio: str | None, categories: Iterable[str] | None,
                     posts: Iterable[str], max_chars: int) -> str:
    """What the encoder reads for a creator: name, bio, declared topics, then their newest posts' text.

    The text is cut at max_chars (at a word boundary), newest posts first: the encoder's cost grows with
    length and its window is short, so the most recent content is what counts.

    Args:
        name: the display name (channel names often say the niche: "Tasty", "FIFA Clips").
        bio: the profile bio.
        categories: self-declared tags.
        posts: post texts (post_document_expr), newest first.
        max_chars: longest text.

    Returns:
        One text, empty when the creator wrote nothing at all.
    """
    head = [p for p in ((name or "").strip(), bio_document(bio, categories)) if p]
    text = ". ".join(head)
    for post in posts:
        if len(text) >= max_chars:
            break
        if post:
            text = f"{text}. {post}" if text else post
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > max_chars // 2 else max_chars]
    return text.strip()


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


# How much each field of a brief says about the creators to find. Content fields (what to promote, the niche's
# words) say most; the audience somewhat; the brand's values a little; its name nothing (a brand's name rarely
# appears in the content of the creators it wants). Measured on real channels: README, "Quality on real creators".
BRIEF_FIELD_WEIGHTS: dict[str, float] = {"text": 1.0, "product": 1.0, "keywords": 1.0, "audience": 0.5,
                                         "values": 0.25}


def brief_fields(text: str | None = None, brand: str | None = None, values: str | None = None,
                 product: str | None = None, audience: str | None = None,
                 keywords: Iterable[str] | None = None) -> list[tuple[str, float]]:
    """The texts of a brief that are embedded one by one, with their weights (BRIEF_FIELD_WEIGHTS).

    The brief's vector is the normalised weighted sum of their vectors, so a long value statement cannot drown
    the product and the keywords, as it does when the whole brief is one text.

    Args:
        text: free text.
        brand: the brand's name (used only when the brief has nothing else).
        values: the brand's value statement.
        product: the product.
        audience: the target audience.
        keywords: niche keywords or hashtags.

    Returns:
        (text, weight) pairs; empty when every part is empty.
    """
    words = [k.strip() for k in (keywords or []) if k and k.strip()]
    given = {"text": text, "product": product, "keywords": ", ".join(words), "audience": audience, "values": values}
    fields = [(value.strip(), BRIEF_FIELD_WEIGHTS[name]) for name, value in given.items() if value and value.strip()]
    if not fields and brand and brand.strip():
        fields = [(brand.strip(), 1.0)]
    return fields


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
