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

from creatormatch.text import caption_terms

if TYPE_CHECKING:
    import bm25s

LEXICAL_DIR = "lexical"
EMPTY = "__empty__"  # the token of a creator without text


def query_tokens(text: str) -> list[str]:
    """The tokens of a search query: its terms without '#', and its adjacent pairs as phrases."""
    words = [t.lstrip("#") for t in caption_terms(text)]
    return list(dict.fromkeys(words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]))


def build_lexical(terms: pl.DataFrame, owners: Sequence[int], n_creators: int) -> bm25s.BM25:
    """A BM25 index with one document per creator row, from the terms of many texts each owned by one creator.

    Numbering the tokens happens in polars; bm25s gets token ids, which skips its own (Python) vocabulary pass.

    Args:
        terms: caption_terms_frame of the texts (bios, categories, captions): columns post (the text's number)
            and term, in order of appearance, so the build can reuse the captions' terms from the vocabulary.
        owners: creator row of each text, by text number.
        n_creators: number of creators.

    Returns:
        The index; a creator without text has the placeholder token only, so row numbers stay aligned.
    """
    import bm25s
    from bm25s.tokenization import Tokenized

    words = terms.with_columns(pl.col("term").str.strip_chars_start("#"))
    pairs = (words.with_columns(pl.col("term").shift(-1).over("post").alias("next"))
             .drop_nulls("next").select("post", pl.format("{}_{}", "term", "next").alias("term")))
    owner = pl.DataFrame({"post": np.arange(len(owners), dtype=np.uint32), "creator": np.asarray(owners)},
                         schema={"post": pl.UInt32, "creator": pl.Int64})
    tokens = pl.concat([words.select("post", "term"), pairs]).join(owner, on="post")
    vocabulary = (pl.concat([tokens.select("term"), pl.DataFrame({"term": [EMPTY]})])
                  .unique().sort("term").with_row_index("id"))
    ids = tokens.join(vocabulary, on="term").group_by("creator").agg(pl.col("id").cast(pl.Int64))
    empty = int(vocabulary.filter(pl.col("term") == EMPTY).item(0, "id"))
    per_creator: list[list[int]] = [[empty] for _ in range(n_creators)]
    for creator, creator_ids in ids.iter_rows():
        per_creator[creator] = creator_ids
    retriever = bm25s.BM25()
    retriever.index(Tokenized(ids=per_creator, vocab=dict(vocabulary.select("term", "id").iter_rows())),
                    show_progress=False)
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
