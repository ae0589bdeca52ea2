"""Caption vocabulary, creator vectors and niche focus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from creatormatch.text import caption_terms, caption_terms_frame
from creatormatch.vectors import build_vocabulary, creator_vectors, post_similarities
from tests.conftest import FakeEncoder


def test_vocabulary_weights_terms_and_respects_min_df() -> None:
    captions = ["sourdough bread", "sourdough starter", "bread crumb", "unique"] * 25 + ["one-off words"]
    vocab = build_vocabulary(captions, min_df=2)
    assert vocab.terms == ["bread", "crumb", "sourdough", "starter", "unique"]
    assert vocab.post_terms.shape == (101, 5)
    assert vocab.post_terms[100].nnz == 0
    # bread and sourdough are equally common, so they weigh the same in a post.
    row = vocab.post_terms[0].toarray().ravel()
    assert row[0] == row[2] > 0


def test_tiny_corpora_keep_terms_seen_once() -> None:
    vocab = build_vocabulary(["sourdough bread", "latte art"], min_df=2)
    assert vocab.terms == ["art", "bread", "latte", "sourdough"]


def test_vocabulary_of_stop_words_only_is_empty() -> None:
    vocab = build_vocabulary(["the and of", "a an the"], min_df=1)
    assert vocab.terms == [] and vocab.post_terms.shape == (2, 0)


def test_focused_creator_has_higher_niche_focus_and_vector_follows_posts() -> None:
    captions = ["sourdough bread crumb", "sourdough starter bread", "bread sourdough oven",  # creator 0: focused
                "sourdough bread", "gaming stream tonight", "marathon training run"]     # creator 1: scattered
    vocab = build_vocabulary(captions, min_df=1)
    encoder = FakeEncoder()
    terms = encoder.encode(vocab.terms)
    post_creator = np.array([0, 0, 0, 1, 1, 1])
    bios = np.zeros((2, encoder.dimension), dtype=np.float32)
    result = creator_vectors(vocab.post_terms, terms, post_creator, bios, np.array([False, False]))
    assert result.niche_focus[0] > result.niche_focus[1]
    assert np.allclose(np.linalg.norm(result.vectors, axis=1), 1.0, atol=1e-5)
    query = encoder.encode(["sourdough bread"])[0]
    sims = result.vectors @ query
    assert sims[0] > sims[1]
    post_sims = post_similarities(vocab.post_terms, result.post_norms, terms @ query)
    assert post_sims[3] == pytest.approx(1.0, abs=0.01)
    assert post_sims[4] < 0.5


def test_bio_only_creator_gets_the_bio_vector() -> None:
    vocab = build_vocabulary(["the", "the"], min_df=1)
    bios = FakeEncoder().encode(["vegan baker", "x"])
    result = creator_vectors(vocab.post_terms, np.zeros((0, 32), dtype=np.float32), np.array([0, 1]), bios,
                             np.array([True, False]))
    assert np.allclose(result.vectors[0], bios[0], atol=1e-6)
    assert not result.vectors[1].any()
    assert np.isnan(result.niche_focus).all()


def test_vocabulary_weights_match_scikit_learn(small_sample_dir: Path) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    captions = pl.read_parquet(small_sample_dir / "posts.parquet").get_column("caption").to_list()[:5000]
    ours = build_vocabulary(captions, min_df=2)
    reference = TfidfVectorizer(analyzer=caption_terms, min_df=2, sublinear_tf=True, norm=None, dtype=np.float32)
    matrix = reference.fit_transform(captions)
    assert ours.terms == list(reference.get_feature_names_out())
    assert np.allclose(ours.idf, reference.idf_, atol=1e-5)
    assert abs(ours.post_terms - matrix).max() < 1e-4


def test_polars_tokenisation_is_caption_terms(small_sample_dir: Path) -> None:
    captions = pl.read_parquet(small_sample_dir / "posts.parquet").get_column("caption").to_list()[:3000]
    captions += ["Café au lait für alle — こんにちは #Zero_Waste 2026 @someone https://x.co/a ²"]
    frame = caption_terms_frame(captions)
    grouped = dict(frame.group_by("post", maintain_order=True).agg("term").iter_rows())
    for post, caption in enumerate(captions):
        assert grouped.get(post, []) == caption_terms(caption), caption


def test_cache_reports_only_uncached_texts(tmp_path: Path) -> None:
    from creatormatch.encoder import EmbeddingCache, encode_cached

    encoder = FakeEncoder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite", encoder.weights_sha256, encoder.dimension)
    encode_cached(encoder, ["vegan baker", "trail runner"], cache)
    assert cache.missing(["trail runner", "gamer", "gamer", "vegan baker", "book lover"]) == ["gamer", "book lover"]
    other_model = EmbeddingCache(tmp_path / "cache.sqlite", "f" * 64, encoder.dimension)
    assert other_model.missing(["vegan baker"]) == ["vegan baker"]


def test_a_cache_read_cut_short_then_closed_leaves_nothing_to_raise(tmp_path: Path) -> None:
    """An interrupted build leaves a cache read suspended and closes the cache; collecting the read later printed
    "Exception ignored ... Cannot operate on a closed database" after the one-line error."""
    from creatormatch.encoder import EmbeddingCache, encode_cached, text_key

    encoder = FakeEncoder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite", encoder.weights_sha256, encoder.dimension)
    texts = [f"text {i}" for i in range(1200)]  # more than one chunk of keys
    encode_cached(encoder, texts, cache)
    reading = cache._select("key", [text_key(t) for t in texts])
    next(reading)
    cache.close()
    reading.close()  # raised sqlite3.ProgrammingError


def test_a_damaged_embedding_cache_is_named_with_what_to_do(tmp_path: Path) -> None:
    """It used to end a build as an internal error (sqlite3.DatabaseError, exit 1)."""
    from creatormatch.encoder import EmbeddingCache, EncoderError, encode_cached

    encoder = FakeEncoder()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 300)
    folder = tmp_path / "a-folder.sqlite"
    folder.mkdir()
    under_a_file = junk / "cache.sqlite"
    for path in (junk, folder, under_a_file):
        with pytest.raises(EncoderError, match="the embedding cache cannot be used") as refused:
            EmbeddingCache(path, encoder.weights_sha256, encoder.dimension)
        assert str(path) in str(refused.value) and "CREATORMATCH_CACHE_PATH" in str(refused.value)
    # Damage found after the file opened (its pages overwritten) is said the same way on the next read.
    good = tmp_path / "cache.sqlite"
    cache = EmbeddingCache(good, encoder.weights_sha256, encoder.dimension)
    encode_cached(encoder, [f"text {i}" for i in range(3000)], cache)
    cache.close()
    data = bytearray(good.read_bytes())
    data[4096:len(data) - 4096] = b"\xee" * (len(data) - 8192)
    good.write_bytes(bytes(data))
    cache = EmbeddingCache(good, encoder.weights_sha256, encoder.dimension)
    with pytest.raises(EncoderError, match="the embedding cache cannot be used"):
        encode_cached(encoder, [f"text {i}" for i in range(3000)], cache)


def test_batching_encoder_batches_a_brief_s_fields_with_other_threads() -> None:
    import threading
    import time
    from collections.abc import Sequence

    from creatormatch.encoder import BatchingEncoder
    from tests.conftest import FakeEncoder

    class SlowEncoder(FakeEncoder):
        def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
            time.sleep(0.2)  # while one batch runs, the other callers' texts queue up for the next
            return super().encode(texts, progress)

    inner = SlowEncoder()
    batching = BatchingEncoder(inner, max_batch=32)
    texts = [["vegan recipes", "plant based", "meal prep"], ["trail running"], ["sourdough", "bread baking"]]
    results: dict[int, np.ndarray] = {}
    go = threading.Event()

    def ask(i: int) -> None:
        go.wait()
        results[i] = batching.encode(texts[i])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    go.set()
    for thread in threads:
        thread.join()
    for i, group in enumerate(texts):  # each caller gets its own texts' vectors, in order
        np.testing.assert_allclose(results[i], FakeEncoder().encode(group), atol=1e-6)
    # Three callers, six texts, at most two forward passes: multi-text calls share the batches too (calling the
    # encoder directly, as before, took three).
    assert inner.texts_encoded == 6 and inner.calls <= 2


def test_batching_encoder_submit_returns_at_once_and_its_result_waits_or_raises() -> None:
    import threading
    from collections.abc import Sequence

    from creatormatch.encoder import BatchingEncoder
    from tests.conftest import FakeEncoder

    release = threading.Event()

    class HeldEncoder(FakeEncoder):
        def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
            assert release.wait(10)
            if "boom" in texts:
                raise RuntimeError("model failed")
            return super().encode(texts, progress)

    batching = BatchingEncoder(HeldEncoder(), max_batch=32)
    result = batching.submit(["vegan recipes", "meal prep"])  # back at once: the encoder is held
    release.set()
    np.testing.assert_allclose(result(), FakeEncoder().encode(["vegan recipes", "meal prep"]), atol=1e-6)
    release.clear()
    failed = batching.submit(["boom"])
    release.set()
    with pytest.raises(RuntimeError, match="model failed"):
        failed()
