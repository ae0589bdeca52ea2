"""Creator and post vectors from embedded bios and an embedded caption vocabulary (TF-IDF-weighted terms).

Encoding every caption costs ~30 model calls per creator; instead each distinct caption term is embedded once
(amortised over the whole corpus and cached), a post's vector is the TF-IDF-weighted sum of its term vectors, and
a creator's content vector is a robust mean of their post vectors. Post vectors never need storing: the service
scores a post against a brief as (post_terms @ (term_vectors @ brief)) / post_norm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import sparse

from creatormatch.text import caption_terms_frame

Vectors = npt.NDArray[np.float32]
BIO_WEIGHT = 0.3
# Share of the embedded creator document in the creator vector by default (setting creator_doc_weight).
DOC_WEIGHT = 0.8
_CHUNK = 50_000


@dataclass
class Vocabulary:
    """The caption terms that get embedded, their IDF weights, and each post's weighted terms."""

    terms: list[str]
    idf: npt.NDArray[np.float32]
    post_terms: sparse.csr_matrix  # posts x terms, sublinear TF times IDF


def build_vocabulary(captions: Sequence[str] | pl.Series, min_df: int = 2, max_terms: int = 100_000,
                     terms: pl.DataFrame | None = None) -> Vocabulary:
    """Tokenise captions and weight their terms by TF-IDF.

    The weights are scikit-learn's TfidfVectorizer(sublinear_tf=True, norm=None, smooth_idf=True): idf =
    ln((1 + n) / (1 + df)) + 1 and tf = 1 + ln(count). They are computed with polars because tokenising in
    Python was the slowest fixed cost of a rebuild (a test holds the two equal). The build does the same in
    chunks of posts: term_statistics per chunk, kept_terms once, post_term_matrix per chunk.

    Args:
        captions: one caption per post, in the bundle's post order.
        min_df: a term must appear in at least this many posts (at least 1 when there are few posts).
        max_terms: keep at most this many terms, the most frequent first.
        terms: caption_terms_frame(captions), when the caller has it already.

    Returns:
        The vocabulary, terms in alphabetical order; posts with no kept terms have an empty row.
    """
    n_posts = len(captions)
    counts = term_counts(terms if terms is not None else caption_terms_frame(captions))
    kept = kept_terms(term_statistics(counts), n_posts, min_df, max_terms)
    idf = term_idf(kept, n_posts)
    return Vocabulary(kept.get_column("term").to_list(), idf, post_term_matrix(counts, kept, idf, n_posts))


def term_counts(terms: pl.DataFrame) -> pl.DataFrame:
    """How often each term occurs in each post: columns post, term, tf."""
    return terms.group_by("post", "term").len("tf")


def term_statistics(counts: pl.DataFrame, merged: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per term: the posts it occurs in (df) and its occurrences (total), added to `merged` from other chunks."""
    stats = counts.group_by("term").agg(pl.len().cast(pl.UInt64).alias("df"),
                                        pl.col("tf").sum().cast(pl.UInt64).alias("total"))
    if merged is None:
        return stats
    return pl.concat([merged, stats]).group_by("term").agg(pl.col("df").sum(), pl.col("total").sum())


def kept_terms(stats: pl.DataFrame, n_posts: int, min_df: int, max_terms: int) -> pl.DataFrame:
    """The terms kept (min_df, then the max_terms most frequent), alphabetical: columns index, term, df."""
    effective_min_df = min(min_df, max(1, n_posts // 50)) if n_posts else 1
    return (stats.filter(pl.col("df") >= effective_min_df)
            .sort(["total", "term"], descending=[True, False]).head(max_terms)
            .sort("term").with_row_index("index").select("index", "term", "df"))


def term_idf(kept: pl.DataFrame, n_posts: int) -> npt.NDArray[np.float32]:
    """Smoothed IDF of the kept terms, in their order."""
    idf: npt.NDArray[np.float32] = (np.log((1 + n_posts) / (1 + kept.get_column("df").to_numpy())) + 1
                                    ).astype(np.float32)
    return idf


def post_term_matrix(counts: pl.DataFrame, kept: pl.DataFrame, idf: npt.NDArray[np.float32], n_posts: int,
                     first_post: int = 0) -> sparse.csr_matrix:
    """Posts x kept terms, sublinear TF times IDF, for the posts first_post .. first_post + n_posts - 1."""
    cells = counts.join(kept.select("term", "index"), on="term", how="inner")
    columns = cells.get_column("index").to_numpy().astype(np.int64)
    values = (1 + np.log(cells.get_column("tf").to_numpy())).astype(np.float32) * idf[columns]
    rows = cells.get_column("post").to_numpy().astype(np.int64) - first_post
    matrix = sparse.csr_matrix((values, (rows, columns)), shape=(n_posts, kept.height), dtype=np.float32)
    matrix.sort_indices()
    return matrix


def _normalise(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: Vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0).astype(np.float32)
    return unit


@dataclass
class CreatorVectors:
    """Per-creator outputs of the vector stage."""

    vectors: Vectors  # creators x dim, unit length (zero when a creator has no text at all)
    niche_focus: npt.NDArray[np.float64]  # mean cosine of posts to the creator's centroid; NaN without posts
    post_norms: npt.NDArray[np.float32]  # norm of each post's unnormalised vector (0 for posts without terms)


def creator_vectors(post_terms: sparse.csr_matrix, term_vectors: Vectors, post_creator: npt.NDArray[np.int64],
                    bio_vectors: Vectors, has_bio: npt.NDArray[np.bool_], bio_weight: float = BIO_WEIGHT,
                    doc_vectors: Vectors | None = None, doc_weight: float | None = None) -> CreatorVectors:
    """Combine post evidence and bios into one vector per creator.

    The content vector is the mean of a creator's unit post vectors, re-weighted once by each post's (positive)
    cosine to that mean squared, so off-topic posts pull less; niche focus is the mean cosine of posts to the
    first mean. The creator vector is (1 - bio_weight) * content + bio_weight * bio, renormalised.

    Args:
        post_terms: posts x terms weights.
        term_vectors: terms x dim unit vectors.
        post_creator: the creator row of each post.
        bio_vectors: creators x dim unit bio vectors (any value where has_bio is false).
        has_bio: whether each creator has bio text.
        bio_weight: share of the bio in the creator vector.
        doc_vectors: creators x dim unit vectors of the embedded creator documents (zero rows for none).
        doc_weight: share of the document in the creator vector (default DOC_WEIGHT).

    Returns:
        Creator vectors, niche focus and post norms.
    """
    n_creators, dim = bio_vectors.shape
    n_posts = post_terms.shape[0]
    post_norms = np.zeros(n_posts, dtype=np.float32)
    centroid_sum = np.zeros((n_creators, dim), dtype=np.float32)
    with_terms = np.zeros(n_creators, dtype=np.float64)

    def chunks() -> list[tuple[int, int]]:
        return [(s, min(s + _CHUNK, n_posts)) for s in range(0, n_posts, _CHUNK)]

    def unit_posts(start: int, end: int) -> Vectors:
        raw = np.asarray(post_terms[start:end] @ term_vectors, dtype=np.float32)
        post_norms[start:end] = np.linalg.norm(raw, axis=1)
        return _normalise(raw)

    def by_creator(start: int, end: int, weights: npt.NDArray[np.float32]) -> sparse.csr_matrix:
        rows = post_creator[start:end]
        return sparse.csr_matrix((weights, (rows, np.arange(end - start))), shape=(n_creators, end - start))

    for start, end in chunks():
        unit = unit_posts(start, end)
        present = (post_norms[start:end] > 0).astype(np.float32)
        centroid_sum += by_creator(start, end, present) @ unit
        with_terms += np.bincount(post_creator[start:end], weights=present, minlength=n_creators)
    centroids = _normalise(centroid_sum)
    focus_sum = np.zeros(n_creators, dtype=np.float64)
    content = np.zeros((n_creators, dim), dtype=np.float32)
    for start, end in chunks():
        unit = _normalise(np.asarray(post_terms[start:end] @ term_vectors, dtype=np.float32))
        cosine = np.einsum("ij,ij->i", unit, centroids[post_creator[start:end]])
        focus_sum += np.bincount(post_creator[start:end], weights=cosine, minlength=n_creators)
        content += by_creator(start, end, (np.clip(cosine, 0, None) ** 2).astype(np.float32)) @ unit
    combined = _blend(_normalise(content), bio_vectors, has_bio, bio_weight, doc_vectors,
                      DOC_WEIGHT if doc_weight is None else doc_weight)
    with np.errstate(invalid="ignore", divide="ignore"):
        niche_focus = np.where(with_terms > 0, focus_sum / with_terms, np.nan)
    return CreatorVectors(combined, niche_focus, post_norms)


def _blend(content: Vectors, bio_vectors: Vectors, has_bio: npt.NDArray[np.bool_], bio_weight: float,
           doc_vectors: Vectors | None, doc_weight: float) -> Vectors:
    """(1 - bio_weight) x content + bio_weight x bio (the bio alone without content), then the document's share."""
    bio = np.where(has_bio[:, None], bio_vectors, 0).astype(np.float32)
    has_content = np.linalg.norm(content, axis=1) > 0
    weight_bio = np.where(has_content, bio_weight, 1.0)[:, None]
    combined = _normalise((weight_bio * bio + (1 - weight_bio) * content).astype(np.float32))
    if doc_vectors is None:
        return combined
    return _normalise((doc_weight * doc_vectors + (1 - doc_weight) * combined).astype(np.float32))


def post_similarities(post_terms: sparse.csr_matrix, post_norms: npt.NDArray[np.float32],
                      term_similarity: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Cosine of each post to a query, given the query's cosine to every term (term_vectors @ query).

    Args:
        post_terms: the posts to score (rows of the bundle's post-term matrix).
        post_norms: their vector norms.
        term_similarity: the query's similarity to each vocabulary term.

    Returns:
        One cosine per post (0 for posts without terms).
    """
    raw = np.asarray(post_terms @ term_similarity, dtype=np.float32).ravel()
    return np.divide(raw, post_norms, out=np.zeros_like(raw), where=post_norms > 0)
