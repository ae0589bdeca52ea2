"""The build's two passes over the posts, a chunk of creators at a time, so memory does not grow with the corpus.

Pass one tokenises each chunk's post texts once: it spills the term counts to the work folder, adds them to the
corpus-wide term statistics (the vocabulary needs every post's terms before any weight is known), and hands the
chunk's creator tokens to the keyword index builder. Pass two, after the vocabulary's terms are embedded, reads
each spilled chunk back, weights it into post-term rows, forms the chunk's creator vectors, and appends the rows
to the bundle's post-term matrix on disk. A creator's posts are never split between chunks, and nothing in a
creator's vector depends on other creators, so the result does not depend on the chunk size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import sparse

from creatormatch.lexical import LexicalBuilder
from creatormatch.manifest import POST_TERMS
from creatormatch.text import caption_terms_frame
from creatormatch.vectors import (
    CreatorVectors,
    Vectors,
    creator_vectors,
    kept_terms,
    post_term_matrix,
    term_counts,
    term_idf,
    term_statistics,
)

# Posts tokenised at a time: ~1 GB of polars frames at ~15 terms a post.
CHUNK_POSTS = 1_000_000
# ... and no more text than this in one chunk: real video descriptions run to thousands of characters, and text
# without spaces gives a keyword token for nearly every letter (letter pairs), so posts alone do not bound memory.
CHUNK_TEXT_BYTES = 128 * 2**20


@dataclass(frozen=True)
class Chunk:
    """Creators first..end-1 and their posts first_post..end_post-1."""

    number: int
    first: int
    end: int
    first_post: int
    end_post: int


def chunks(post_counts: npt.NDArray[np.int64], chunk_posts: int = CHUNK_POSTS,
           text_bytes: npt.NDArray[np.int64] | None = None, chunk_bytes: int = CHUNK_TEXT_BYTES) -> list[Chunk]:
    """Consecutive creator ranges holding about chunk_posts posts each, and at most about chunk_bytes of text when
    the text's size is given (a creator is never split).

    Args:
        post_counts: posts of each creator row (posts are stored grouped by creator row).
        chunk_posts: posts wanted per chunk.
        text_bytes: UTF-8 bytes of each creator row's post text, or None to count posts only.
        chunk_bytes: text wanted per chunk.
    """
    ends = np.cumsum(post_counts)
    text_ends = np.cumsum(text_bytes) if text_bytes is not None else None
    out: list[Chunk] = []
    first = 0
    n = len(post_counts)
    while first < n:
        start_post = int(ends[first - 1]) if first else 0
        end = int(np.searchsorted(ends, start_post + chunk_posts, side="right"))
        if text_ends is not None:
            start_text = int(text_ends[first - 1]) if first else 0
            end = min(end, int(np.searchsorted(text_ends, start_text + chunk_bytes, side="right")))
        end = min(n, max(end, first + 1))
        out.append(Chunk(len(out), first, end, start_post, int(ends[end - 1])))
        first = end
    return out


@dataclass
class Terms:
    """Pass one's result: the kept terms and their IDF, and the post count."""

    kept: pl.DataFrame  # index, term, df
    idf: npt.NDArray[np.float32]
    n_posts: int

    @property
    def terms(self) -> list[str]:
        return self.kept.get_column("term").to_list()


def term_pass(posts: pl.DataFrame, profiles: list[pl.Series], parts: list[Chunk], work: Path, min_df: int,
              max_terms: int, lexical: LexicalBuilder | None) -> Terms:
    """Tokenise every chunk once: spill its term counts, gather term statistics, feed the keyword index.

    Args:
        posts: bundle posts (grouped by creator_row, with `caption` the whole post text).
        profiles: texts with one value per creator row that also go into the keyword index (profile, topics).
        parts: the chunks.
        work: folder for the spilled counts.
        min_df: a term must appear in this many posts to be kept.
        max_terms: most terms kept.
        lexical: the keyword index builder, or None.
    """
    stats: pl.DataFrame | None = None
    creator_row = posts.get_column("creator_row")
    for part in parts:
        size = part.end_post - part.first_post
        terms = caption_terms_frame(posts.get_column("caption").slice(part.first_post, size))
        counts = term_counts(terms.with_columns(pl.col("post").cast(pl.Int64) + part.first_post))
        counts.write_parquet(_spill(work, part))
        stats = term_statistics(counts, stats)
        if lexical is not None:
            owners = [creator_row.slice(part.first_post, size).to_numpy().astype(np.int64)]
            texts = [terms]
            offset = size
            for profile in profiles:
                count = part.end - part.first
                texts.append(caption_terms_frame(profile.slice(part.first, count))
                             .with_columns(pl.col("post") + offset))
                owners.append(np.arange(part.first, part.end, dtype=np.int64))
                offset += count
            lexical.add(pl.concat(texts), np.concatenate(owners))
    n_posts = posts.height
    if stats is None:
        stats = pl.DataFrame(schema={"term": pl.String, "df": pl.UInt64, "total": pl.UInt64})
    kept = kept_terms(stats, n_posts, min_df, max_terms)
    return Terms(kept, term_idf(kept, n_posts), n_posts)


class PostTermsWriter:
    """Appends chunks of post-term rows to raw files, then writes them as the three arrays of one CSR matrix.

    Index arrays are int32 while they can be (scipy then wraps the memory-mapped arrays without a copy).
    """

    def __init__(self, folder: Path, n_terms: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.n_terms = n_terms
        self._data = (folder / "data.raw").open("wb")
        self._indices = (folder / "indices.raw").open("wb")
        self._row_counts: list[npt.NDArray[np.int64]] = []

    def add(self, matrix: sparse.csr_matrix) -> None:
        matrix.sort_indices()
        np.asarray(matrix.data, dtype=np.float32).tofile(self._data)
        np.asarray(matrix.indices, dtype=np.int64).tofile(self._indices)
        self._row_counts.append(np.diff(matrix.indptr).astype(np.int64))

    def finish(self) -> None:
        self._data.close()
        self._indices.close()
        counts = np.concatenate(self._row_counts) if self._row_counts else np.zeros(0, dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        nnz = int(indptr[-1])
        index_type = np.int32 if nnz < np.iinfo(np.int32).max and self.n_terms < np.iinfo(np.int32).max else np.int64
        np.save(self.folder / "indptr.npy", indptr.astype(index_type))
        for name, kind in (("data", np.float32), ("indices", index_type)):
            raw = self.folder / f"{name}.raw"
            out = np.lib.format.open_memmap(self.folder / f"{name}.npy", mode="w+", dtype=kind, shape=(nnz,))
            block = 16_000_000
            stored = np.float32 if name == "data" else np.int64
            with raw.open("rb") as handle:
                for start in range(0, nnz, block):
                    values = np.fromfile(handle, dtype=stored, count=min(block, nnz - start))
                    out[start:start + values.size] = values
            out.flush()
            del out
            raw.unlink()


def vector_pass(posts: pl.DataFrame, parts: list[Chunk], work: Path, terms: Terms, term_vectors: Vectors,
                bios: tuple[Vectors, npt.NDArray[np.bool_]], bio_weight: float, documents: Vectors | None,
                doc_weight: float, progress: Callable[[int], None] | None = None) -> CreatorVectors:
    """Weight each spilled chunk into post-term rows (appended to work/post_terms) and form its creator vectors.

    Args:
        posts: bundle posts.
        parts: the chunks term_pass spilled.
        work: the work folder.
        terms: term_pass's result.
        term_vectors: the kept terms' vectors, in their order.
        bios: bio vectors and whether each creator has one.
        bio_weight: the bio's share.
        documents: creator document vectors (zero rows for none), or None.
        doc_weight: the document's share.
        progress: called with the creators finished after each chunk.

    Returns:
        Every creator's vector and niche focus, and every post's norm.
    """
    n_creators = parts[-1].end if parts else 0
    dimension = term_vectors.shape[1]
    vectors = np.zeros((n_creators, dimension), dtype=np.float32)
    focus = np.full(n_creators, np.nan, dtype=np.float64)
    post_norms = np.zeros(posts.height, dtype=np.float32)
    creator_row = posts.get_column("creator_row")
    writer = PostTermsWriter(work / POST_TERMS, terms.kept.height)
    bio_vectors, has_bio = bios
    for part in parts:
        spill = _spill(work, part)
        size = part.end_post - part.first_post
        matrix = post_term_matrix(pl.read_parquet(spill), terms.kept, terms.idf, size, first_post=part.first_post)
        local = creator_row.slice(part.first_post, size).to_numpy().astype(np.int64) - part.first
        span = slice(part.first, part.end)
        result = creator_vectors(matrix, term_vectors, local, bio_vectors[span], has_bio[span],
                                 bio_weight=bio_weight, doc_vectors=None if documents is None else documents[span],
                                 doc_weight=doc_weight)
        vectors[span] = result.vectors
        focus[span] = result.niche_focus
        post_norms[part.first_post:part.end_post] = result.post_norms
        writer.add(matrix)
        spill.unlink()
        if progress is not None:
            progress(part.end - part.first)
    writer.finish()
    return CreatorVectors(vectors, focus, post_norms)


def _spill(work: Path, part: Chunk) -> Path:
    return work / f"terms-{part.number:05d}.parquet"

