"""The lexical index (BM25 via bm25s) over each creator's bio, categories, captions and hashtags.

Tokens are caption terms with the '#' folded away (so "#vanlife" and "vanlife" meet) plus every pair of adjacent
terms joined by '_' (so "latte art" as a phrase outranks the two words apart).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl

from creatormatch.text import caption_terms, caption_terms_frame

if TYPE_CHECKING:
    import bm25s

LEXICAL_DIR = "lexical"


def query_tokens(text: str) -> list[str]:
    """The tokens of a search query: its terms without '#', and its adjacent pairs as phrases."""
    words = [t.lstrip("#") for t in caption_terms(text)]
    return list(dict.fromkeys(words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]))


def creator_tokens(documents: Sequence[str | None], owners: Sequence[int], n_creators: int) -> list[list[str]]:
    """Token lists per creator from many texts (bio, categories, captions), each text owned by one creator.

    Args:
        documents: texts.
        owners: creator row of each text.
        n_creators: number of creators.

    Returns:
        One token list per creator row (empty for a creator with no text).
    """
    words = caption_terms_frame(documents).with_columns(pl.col("term").str.strip_chars_start("#"))
    pairs = (words.with_columns(pl.col("term").shift(-1).over("post").alias("next"))
             .drop_nulls("next").select("post", pl.format("{}_{}", "term", "next").alias("term")))
    owner = pl.DataFrame({"post": np.arange(len(owners), dtype=np.uint32), "creator": np.asarray(owners)},
                         schema={"post": pl.UInt32, "creator": pl.Int64})
    grouped = (pl.concat([words.select("post", "term"), pairs]).join(owner, on="post")
               .group_by("creator").agg("term"))
    tokens: list[list[str]] = [[] for _ in range(n_creators)]
    for creator, terms in grouped.iter_rows():
        tokens[creator] = terms
    return tokens


def build_lexical(tokens: list[list[str]]) -> bm25s.BM25:
    """A BM25 index with one document per creator row."""
    import bm25s

    retriever = bm25s.BM25()
    # bm25s needs at least one token per document to keep row numbers aligned.
    retriever.index([t if t else ["__empty__"] for t in tokens], show_progress=False)
    return retriever


def save_lexical(retriever: bm25s.BM25, folder: Path) -> None:
    """Write the index into the bundle folder."""
    retriever.save(str(folder / LEXICAL_DIR))


def load_lexical(bundle_dir: Path) -> Any | None:
    """The bundle's lexical index, or None when the bundle predates it."""
    import bm25s

    path = bundle_dir / LEXICAL_DIR
    return bm25s.BM25.load(str(path)) if path.is_dir() else None


def lexical_scores(retriever: Any, tokens: list[str]) -> npt.NDArray[np.float32]:
    """BM25 score of every creator for the query tokens (0 where nothing matches)."""
    known = [t for t in tokens if t in retriever.vocab_dict]
    if not known:
        return np.zeros(retriever.scores["num_docs"], dtype=np.float32)
    return np.asarray(retriever.get_scores(known), dtype=np.float32)
