"""The keyword index: built in chunks with polars, scored as bm25s scores, read memory-mapped."""

from __future__ import annotations

import json
import random
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from creatormatch.lexical import (
    EMPTY_TOKEN,
    K1,
    PARAMS_FILE,
    STEMMER,
    B,
    Lexical,
    LexicalBuilder,
    Stems,
    _unchanged_by_split,
    build_lexical,
    creator_tokens,
    load_lexical,
    query_tokens,
    query_words,
)
from creatormatch.text import UNSPACED_CLASS, caption_terms, caption_terms_frame, split_unspaced

TEXTS = ["sourdough bread and starter tips", "latte art at home #coffee", "coffee beans, sourdough toast",
         "trail running shoes", "#running with my dog", "", "bread bread bread", "दिल्ली का खाना", "coffee",
         "東京のラーメン屋さん #ラーメン", "맛있는 라면을 먹방"]
OWNERS = [0, 1, 1, 2, 2, 3, 4, 5, 4, 5, 3]
QUERIES = ["sourdough", "coffee", "latte art", "running dog", "bread", "खाना", "nothing here", "runs with dogs",
           "breads", "ラーメン", "라면", "ラーメン 라면"]


def _bm25s_scores(n_creators: int) -> list[np.ndarray]:
    """bm25s over the same stemmed tokens (a creator's token list, the placeholder for none)."""
    import bm25s
    from bm25s.tokenization import Tokenized

    stems = Stems(STEMMER)
    counts = creator_tokens(caption_terms_frame(TEXTS), np.array(OWNERS), stems)
    vocab = {t: i for i, t in enumerate(sorted({*counts.get_column("token").to_list(), EMPTY_TOKEN}))}
    docs: list[list[int]] = [[] for _ in range(n_creators)]
    for creator, token, tf in counts.iter_rows():
        docs[creator] += [vocab[token]] * tf
    docs = [d or [vocab[EMPTY_TOKEN]] for d in docs]
    retriever = bm25s.BM25(k1=K1, b=B)
    retriever.index(Tokenized(ids=docs, vocab=vocab), show_progress=False)
    out = []
    for query in QUERIES:
        known = [t for t in stems.words(query_tokens(query)) if t in vocab]
        out.append(np.asarray(retriever.get_scores(known), dtype=np.float32) if known
                   else np.zeros(n_creators, dtype=np.float32))
    return out


def test_scores_equal_bm25s_and_do_not_depend_on_the_chunks(tmp_path: Path) -> None:
    n_creators = 7  # creator 6 has no text at all
    terms = caption_terms_frame(TEXTS)
    whole = LexicalBuilder(tmp_path / "a", n_creators)
    (tmp_path / "a").mkdir()
    whole.add(terms, np.array(OWNERS))
    whole.write(tmp_path / "a" / "lexical")
    chunked = LexicalBuilder(tmp_path / "b", n_creators)
    (tmp_path / "b").mkdir()
    owners = np.array(OWNERS)
    for group in ([0, 1, 2], [3, 4], [5, 6]):  # each creator's texts in one chunk
        chosen = [i for i, o in enumerate(OWNERS) if o in group]
        part = caption_terms_frame([TEXTS[i] for i in chosen])
        chunked.add(part, owners[chosen])
    chunked.write(tmp_path / "b" / "lexical")
    one, many = load_lexical(tmp_path / "a"), load_lexical(tmp_path / "b")
    assert one is not None and many is not None
    for query, expected in zip(QUERIES, _bm25s_scores(n_creators), strict=True):
        tokens = query_tokens(query)
        assert np.allclose(one.scores(tokens), expected, rtol=1e-5, atol=1e-6), query
        assert np.array_equal(one.scores(tokens), many.scores(tokens)), query
    assert one.scores(query_tokens("latte art")).argmax() == 1
    assert not one.scores(["nothing"]).any() and not one.scores([]).any()
    assert isinstance(one.data, np.memmap)


def test_empty_index(tmp_path: Path) -> None:
    builder = LexicalBuilder(tmp_path, 2)
    builder.add(caption_terms_frame(["", "the"]), np.array([0, 1]))
    builder.write(tmp_path / "lexical")
    loaded = load_lexical(tmp_path)
    assert loaded is not None and len(loaded.tokens) == 0
    assert loaded.scores(["bread"]).tolist() == [0.0, 0.0]
    assert pl.read_parquet(tmp_path / "lexical" / "tokens.parquet").height == 0


def test_tokens_are_found_by_their_column_in_any_script(tmp_path: Path) -> None:
    captions = ["café crème brûlée #latteart", "猫 と 犬 のビデオ", "ไทย อาหาร street food", "emoji 🎮 gaming setup",
                "zebra zebra-crossing aardvark", "naïve résumé über straße"]
    index = build_lexical(caption_terms_frame(captions), list(range(len(captions))), len(captions), tmp_path)
    vocabulary = index.tokens.to_pylist()
    column_of = {token: column for column, token in enumerate(vocabulary)}
    asked = vocabulary + [t + "x" for t in vocabulary] + ["", "a", "zzzz", "\x00", "ü"]
    want = np.array(sorted({column_of[t] for t in asked if t in column_of}), dtype=np.int64)
    assert len(vocabulary) > 20 and np.array_equal(index.ids(asked), want)
    assert np.array_equal(index.ids(["zebra", "zebra", "missing"]), [column_of["zebra"]])
    assert index.ids([]).size == 0


def _older_index(folder: Path, captions: list[str], unrecorded: str, **builder: Any) -> Lexical:
    """An index of the captions built as an older release built it: `builder` settings, and no `unrecorded`
    parameter in its params file."""
    older = LexicalBuilder(folder, len(captions), **builder)
    folder.mkdir()
    older.add(caption_terms_frame(captions), np.arange(len(captions)))
    older.write(folder / "lexical")
    params = json.loads((folder / "lexical" / PARAMS_FILE).read_text())
    del params[unrecorded]
    (folder / "lexical" / PARAMS_FILE).write_text(json.dumps(params))
    loaded = load_lexical(folder)
    assert loaded is not None
    return loaded


def test_words_meet_their_other_forms_and_an_index_without_stems_keeps_whole_words(tmp_path: Path) -> None:
    captions = ["new movie trailer out now", "comedy sketch every friday", "my dog runs the trail",
                "#latteart and latte art"]
    index = build_lexical(caption_terms_frame(captions), list(range(4)), 4, tmp_path)
    assert index.scores(query_tokens("movie trailers")).argmax() == 0
    assert index.scores(query_tokens("Comedy Sketches")).argmax() == 1
    assert index.scores(query_tokens("dogs running")).argmax() == 2
    assert index.scores(query_tokens("latte arts")).argmax() == 3  # the phrase token is stemmed word by word
    # A bundle built before stemming records no stemmer: its queries are not stemmed either.
    old = _older_index(tmp_path / "plain", captions, "stemmer", stemmer=None)
    assert old.stems is None
    assert not old.scores(query_tokens("trailers")).any() and old.scores(query_tokens("trailer")).argmax() == 0


def test_stems_are_the_same_from_any_thread() -> None:
    stems = Stems(STEMMER)
    words = ["trailers", "sketches", "running", "latte_arts", "café", "दिल्ली", "zebra-crossings"] * 200
    expected = stems.words(words)
    assert expected[:4] == ["trailer", "sketch", "run", "latt_art"]
    with ThreadPoolExecutor(4) as pool:
        assert all(r == expected for r in pool.map(lambda _: stems.words(words), range(16)))


def test_runs_of_han_kana_and_hangul_are_cut_into_letter_pairs() -> None:
    captions = ["東京のラーメン屋さん 最高！ #ラーメン", "iphone用ケース 2017年 a猫", "맛있는 라면을 먹방",
                "plain words, no pairs"]
    terms = caption_terms_frame(captions).select("post", pl.col("term").str.strip_chars_start("#").alias("token"))
    split = split_unspaced(terms).group_by("post", maintain_order=True).agg("token")
    assert split.get_column("token").to_list() == [
        ["東京", "京の", "のラ", "ラー", "ーメ", "メン", "ン屋", "屋さ", "さん", "最高", "ラー", "ーメ", "メン"],
        ["iphone", "用ケ", "ケー", "ース", "年", "猫"],  # "2017" and "a" would be no term alone
        ["맛있", "있는", "라면", "면을", "먹방"],
        ["plain", "words", "pairs"],
    ]
    thai = pl.DataFrame({"post": [0], "token": ["กินข้าว"]}, schema={"post": pl.UInt32, "token": pl.String})
    assert split_unspaced(thai).get_column("token").to_list() == ["กิน", "นข้", "ข้า", "าว"]
    assert split_unspaced(terms.filter(pl.col("post") == 3)).equals(terms.filter(pl.col("post") == 3))
    # A query is cut the same way, its pairs of pairs included, so every one of its tokens can meet the index.
    indexed = set(creator_tokens(caption_terms_frame(captions), np.arange(4)).get_column("token").to_list())
    assert set(query_tokens("ラーメン屋")) <= indexed and query_tokens("ラーメン屋") == ["ラー", "ーメ", "メン", "ン屋"]
    assert "ラー_ーメ" not in indexed and "plain_words" in indexed  # letter pairs make no phrases
    assert query_tokens("ラーメン", letter_pairs=False) == ["ラーメン"]
    assert query_words("#ラーメン 東京") == ["ラーメン", "東京"]


def test_words_without_spaces_meet_the_clauses_that_hold_them(tmp_path: Path) -> None:
    captions = ["東京のラーメン屋さん巡り", "大阪でたこ焼きを食べる", "맛있는 라면을 먹방", "ramen at home",
                "ｶﾞﾝﾀﾞﾑのプラモ ＰＳ５ ｉＰｈｏｎｅ用ケース", "วันนี้กินอาหารไทยอร่อยมาก"]
    index = build_lexical(caption_terms_frame(captions), list(range(6)), 6, tmp_path)
    assert index.letter_pairs

    def found(query: str) -> list[int]:
        return np.flatnonzero(index.scores(query_tokens(query))).tolist()

    assert (found("ラーメン"), found("たこ焼き"), found("라면"), found("ramen")) == ([0], [1], [2], [3])
    # Halfwidth katakana and fullwidth Latin are folded to the usual letters, in the index and in queries.
    assert found("ガンダム") == found("ｶﾞﾝﾀﾞﾑ") == found("PS5") == found("ＰＳ５") == found("iphone ケース") == [4]
    # Thai: letters keep their vowel and tone marks (กิ + น), so a word meets the clause that holds it.
    assert found("อาหารไทย") == found("กิน") == [5] and not found("ก๋วยเตี๋ยว")
    assert not index.scores(query_tokens("寿司")).any()
    # An index built before letter pairs records none: its queries keep whole runs, as it was built.
    loaded = _older_index(tmp_path / "old", captions, "letter_pairs", letter_pairs=False)
    assert not loaded.letter_pairs
    assert not loaded.scores(query_tokens("ラーメン", loaded.letter_pairs)).any()
    assert np.flatnonzero(loaded.scores(query_tokens("大阪でたこ焼きを食べる", loaded.letter_pairs))).tolist() == [1]


@pytest.mark.parametrize(("captions", "query"), [
    (["#fire pit", "東京"], "#fire"),  # an ASCII hashtag is kept whatever else the chunk holds
    (["ｘㅋㅋ"], "ㅋㅋ"),  # folded whether or not a fullwidth letter shares the term
    (["ＰＣ방ㅋㅋㅋ"], "ㅋㅋㅋ"),
    (["ＰＳ５のケ\u3099ーム"], "ゲーム"),  # a decomposed voiced mark is composed
    (["ＰＳ５のケ\u3099ーム"], "ケ\u3099ーム"),
    (["東京_tokyo"], "tokyo"),  # the rest of a mixed term is cut as words are
    (["tokyo_東京"], "tokyo"),
    (["cafe\u0301 au lait"], "café"),
])
def test_a_word_of_the_caption_finds_it_whatever_its_neighbours(tmp_path: Path, captions: list[str],
                                                                  query: str) -> None:
    index = build_lexical(caption_terms_frame(captions), list(range(len(captions))), len(captions), tmp_path)
    assert index.scores(query_tokens(query))[0] > 0


def test_random_mixed_script_captions_meet_every_word_they_hold(tmp_path: Path) -> None:
    """A property check over seeded random captions mixing Latin (accented too), Cyrillic, Greek, fullwidth and
    halfwidth forms, kana, Han (astral
    too), Hangul, Thai, Devanagari, digits, emoji and punctuation: every token of a query made of one of a
    caption's words, or of any stretch of one of its unspaced runs, is in that caption's index entry. (Stretches
    that cut a letter from its combining mark are left out: they are no word.)"""
    rng = random.Random(7)
    groups = [list("abcdefghijklmnopqrstuvwxyzABCDEFG"), list("0123456789"), list("éñüßøДомΩ"),
              [chr(c) for c in (*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), *range(0xFF10, 0xFF1A))],
              [chr(c) for c in range(0xFF66, 0xFF9E)], [chr(c) for c in range(0x3041, 0x3097)],
              [chr(c) for c in range(0x30A1, 0x30FB)] + ["ー", "々", "ゟ", "ヿ"],
              list("東京都ラ麺屋猫茶酒年月日用版神社") + [chr(0xF900), chr(0xFA19), chr(0x20000), chr(0x2A6D6)],
              list("라면을먹다한국") + [chr(0x3131)], list("ภาษาไทย"), list("हिन्दी"),
              [" ", " ", " ", "#", "'", "-", "_", "🍜", "！", "・", "。", "ﬁ"]]

    def text() -> str:
        group, out = rng.choice(groups), []
        for _ in range(rng.randint(1, 25)):
            group = rng.choice(groups) if rng.random() < 0.35 else group
            out.append(rng.choice(group))
        return "".join(out)

    captions = [text() for _ in range(400)]
    index = build_lexical(caption_terms_frame(captions), list(range(400)), 400, tmp_path)
    missed = []
    for i, caption in enumerate(captions):
        low = caption.lower()
        words = set(caption_terms(low)) | {w for w in low.split() if w}
        for run in re.findall(UNSPACED_CLASS + "{2,}", low):
            start = rng.randrange(len(run) - 1)
            words.add(run[start:rng.randrange(start + 2, len(run) + 1)])
        for word in words:
            tokens = query_tokens(word)
            if tokens and any(index.scores([t])[i] <= 0 for t in tokens):
                missed.append((word, caption))
    assert not missed, missed[:10]


def test_query_words_that_the_split_leaves_alone_skip_it() -> None:
    words = ["café", "дом", "naïve", "東京", "ｐｓ５", "cafe\u0301", "naïve_test", "ﬁsh"]
    alone = [w for w in words if _unchanged_by_split(w)]
    assert alone == ["café", "дом", "naïve", "naïve_test"]
    frame = pl.DataFrame({"post": [0] * len(words), "token": words}, schema={"post": pl.UInt32, "token": pl.String})
    assert split_unspaced(frame).get_column("token").to_list() == [
        "café", "дом", "naïve", "東京", "ps5", "café", "naïve_test", "fish"]
    assert query_tokens("café дом") == ["café", "дом", "café_дом"]
