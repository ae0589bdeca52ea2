"""The build's chunked passes give what one pass over everything gives: features, vocabulary, vectors, keyword
index and post terms do not depend on the chunk size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from creatormatch.bundle import load_post_terms
from creatormatch.config import Settings
from creatormatch.dataset import load_dataset
from creatormatch.features import compute_features
from creatormatch.lexical import LexicalBuilder, load_lexical, query_tokens
from creatormatch.vectors import build_vocabulary
from tests.conftest import FakeEncoder
from training.build import bundle_posts, creator_features, profile_texts
from training.chunked import chunks, term_pass, vector_pass


def test_chunks_cover_every_creator_once_and_never_split_one() -> None:
    counts = np.array([3, 0, 5, 1, 0, 0, 7, 2], dtype=np.int64)
    parts = chunks(counts, chunk_posts=4)
    assert parts[0].first == 0 and parts[-1].end == len(counts)
    assert all(a.end == b.first and a.end_post == b.first_post for a, b in zip(parts, parts[1:], strict=False))
    assert parts[-1].end_post == counts.sum()
    for part in parts:
        assert part.end_post - part.first_post == counts[part.first:part.end].sum()
    assert chunks(np.zeros(0, dtype=np.int64)) == []


def test_chunks_hold_no_more_text_than_asked_unless_one_creator_does() -> None:
    counts = np.array([2, 2, 2, 2, 2], dtype=np.int64)
    text = np.array([100, 5000, 100, 100, 100], dtype=np.int64)
    parts = chunks(counts, chunk_posts=1_000, text_bytes=text, chunk_bytes=250)
    assert [(p.first, p.end) for p in parts] == [(0, 1), (1, 2), (2, 4), (4, 5)]  # creator 1 alone is over
    assert [(p.first_post, p.end_post) for p in parts] == [(0, 2), (2, 4), (4, 8), (8, 10)]
    assert chunks(counts, chunk_posts=1_000) == chunks(counts, chunk_posts=1_000, text_bytes=text, chunk_bytes=10**9)


@pytest.fixture(scope="module")
def prepared(small_sample_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame, object]:
    dataset = load_dataset(small_sample_dir)
    creators = dataset.creators.sort("creator_id")
    return creators, bundle_posts(dataset.posts, creators), dataset


def test_features_in_chunks_equal_features_in_one_pass(prepared: tuple[pl.DataFrame, pl.DataFrame, object]
                                                       ) -> None:
    creators, posts, dataset = prepared
    settings = Settings()
    whole = creator_features(creators, posts, dataset, settings, chunk_posts=10**9)  # type: ignore[arg-type]
    small = creator_features(creators, posts, dataset, settings, chunk_posts=2_000)  # type: ignore[arg-type]
    assert_frame_equal(whole, small)
    # And one pass is the library's compute_features.
    direct = compute_features(creators, posts.drop("creator_row"), dataset.follower_history)  # type: ignore[attr-defined]
    assert_frame_equal(whole.select(direct.columns), creators.select("creator_id").join(
        direct, on="creator_id", how="left", maintain_order="left"), rel_tol=1e-12)


def test_term_and_vector_passes_do_not_depend_on_the_chunk_size(
        prepared: tuple[pl.DataFrame, pl.DataFrame, object], tmp_path: Path) -> None:
    creators, posts, _ = prepared
    encoder = FakeEncoder()
    results = []
    for size in (10**9, 1_500):
        work = tmp_path / str(size)
        work.mkdir()
        parts = chunks(np.bincount(posts.get_column("creator_row").to_numpy(), minlength=creators.height)
                       .astype(np.int64), size)
        lexical = LexicalBuilder(work, creators.height)
        terms = term_pass(posts, profile_texts(creators), parts, work, 2, 100_000, lexical)
        lexical.write(work / "lexical")
        term_vectors = encoder.encode(terms.terms)
        n = creators.height
        bios = (np.zeros((n, encoder.dimension), dtype=np.float32), np.zeros(n, dtype=bool))
        result = vector_pass(posts, parts, work, terms, term_vectors, bios, 0.3, None, 0.8)
        matrix = load_post_terms(work / "post_terms", (posts.height, len(terms.terms)))
        results.append((len(parts), terms, result, matrix, load_lexical(work)))
    (one, terms_a, a, matrix_a, lex_a), (many, terms_b, b, matrix_b, lex_b) = results
    assert one == 1 and many > 3
    assert terms_a.terms == terms_b.terms and np.array_equal(terms_a.idf, terms_b.idf)
    reference = build_vocabulary(posts.get_column("caption"), min_df=2)
    assert reference.terms == terms_a.terms
    assert (matrix_a != reference.post_terms).nnz == 0 and (matrix_a != matrix_b).nnz == 0
    assert np.allclose(a.vectors, b.vectors, atol=1e-6)
    assert np.allclose(a.post_norms, b.post_norms, atol=1e-6)
    assert np.allclose(np.nan_to_num(a.niche_focus, nan=-9), np.nan_to_num(b.niche_focus, nan=-9), atol=1e-6)
    assert lex_a is not None and lex_b is not None
    for query in ("sourdough", "trail running", "skincare routine"):
        tokens = query_tokens(query)
        assert np.allclose(lex_a.scores(tokens), lex_b.scores(tokens), atol=1e-6), query
