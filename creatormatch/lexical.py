"""The lexical index: BM25 over one document per creator (bio, name, categories, post texts and hashtags).

Tokens are caption terms with the '#' folded away (so "#vanlife" and "vanlife" meet), reduced to their Snowball
stem (so "trailers" meets "trailer" and "sketches" "sketch"), plus every pair of adjacent stems joined by '_' (so
"latte art" as a phrase outranks the two words apart). Runs of scripts written without spaces (Han, kana, Hangul,
Thai, ...) become overlapping letter pairs first (`split_unspaced`), so "ラーメン" meets "東京のラーメン屋さん". The
index records its stemmer and whether it cut such runs, and treats queries the same way, so a bundle built before
either (none recorded) answers as it was built.

The scores are bm25s's "lucene" BM25 with k1 0.9 and b 0.4 (a test holds them equal to bm25s), but the index is built
in polars, a chunk of creators at a time, and written straight to disk: bm25s builds from Python lists of token
ids, which took 15 GB for 100,000 creators. On disk it is bm25s's score matrix layout (a tokens x creators CSC
matrix in three .npy files) and a sorted token list; the service memory-maps the matrix, so a query reads only
the columns of its own tokens.
"""

from __future__ import annotations

import bisect
import json
import math
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl

from creatormatch.text import UNSPACED_CLASS, UNSPACED_RE, caption_terms, split_unspaced

if TYPE_CHECKING:
    import pyarrow as pa

LEXICAL_DIR = "lexical"
DATA_FILE = "data.csc.index.npy"
INDICES_FILE = "indices.csc.index.npy"
INDPTR_FILE = "indptr.csc.index.npy"
TOKENS_FILE = "tokens.parquet"
PARAMS_FILE = "params.index.json"
# Anserini's BM25 defaults (Lin et al.), not bm25s's 1.5 / 0.75: a creator's document is all of its posts, so a
# long one is more evidence rather than verbosity, and full length normalisation (b 0.75) held prolific creators
# back. On the real channels every k1 in 0.6-1.2 with b in 0.2-0.5 did better than (1.5, 0.75) (RESULTS.md,
# 2026-11-22 16:55 UTC).
K1 = 0.9
B = 0.4
# bm25s gives a creator without text this one placeholder token (it counts in the average length).
EMPTY_TOKEN = "__empty__"
# Snowball's English stemmer (PyStemmer): the language of most exports seen. It leaves words of other scripts as
# they are; words of other Latin-script languages lose English endings (Spanish "nacional" becomes "nacion"), the
# same way in the index and in queries, so they still meet their own forms that end alike.
STEMMER = "english"

FloatArray = npt.NDArray[np.float32]


def query_words(text: str) -> list[str]:
    """The words of a search query as a person reads them: its terms without '#', each once."""
    return list(dict.fromkeys(t.lstrip("#") for t in caption_terms(text)))


def query_tokens(text: str, letter_pairs: bool = True) -> list[str]:
    """The tokens of a search query: its terms without '#' (runs of scripts without spaces cut into letter pairs
    where the index cut them, `Lexical.letter_pairs`), and its adjacent pairs as phrases (not stemmed: the index
    stems them with its own stemmer, `Lexical.scores`)."""
    words = [t.lstrip("#") for t in caption_terms(text)]
    if letter_pairs and not all(_unchanged_by_split(w) for w in words):
        words = split_unspaced(pl.DataFrame({"post": [0] * len(words), "token": words},
                                            schema={"post": pl.UInt32, "token": pl.String})
                               ).get_column("token").to_list()
    # Letter pairs make no phrases: a pair of pairs would double their tokens for little (see creator_tokens).
    phrases = [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)
               if not (letter_pairs and (UNSPACED_RE.search(a) or UNSPACED_RE.search(b)))]
    return list(dict.fromkeys(words + phrases))


def _unchanged_by_split(word: str) -> bool:
    """Whether split_unspaced leaves this term as it is, known without it (~3 ms a call in polars): ASCII, or a
    word of spaced scripts already in NFKC ("café", "дом", "naïve_test"), which its word pattern takes whole."""
    return word.isascii() or (not UNSPACED_RE.search(word) and unicodedata.normalize("NFKC", word) == word)


class Stems:
    """Snowball stems of index tokens in one language, with one PyStemmer object per thread (they keep state
    between calls and are not safe to share)."""

    def __init__(self, language: str) -> None:
        """Args:
            language: a Snowball algorithm name ("english").

        Raises:
            ValueError: a language Snowball does not have.
        """
        import Stemmer

        if language not in Stemmer.algorithms():
            raise ValueError(f"no Snowball stemmer for {language!r}")
        self.language = language
        self._local = threading.local()

    def words(self, words: Iterable[str]) -> list[str]:
        """The stem of each token; a phrase token ("latte_art") is stemmed word by word, as it was indexed."""
        stemmer = getattr(self._local, "stemmer", None)
        if stemmer is None:
            import Stemmer

            stemmer = self._local.stemmer = Stemmer.Stemmer(self.language)
        return ["_".join(stemmer.stemWords(w.split("_"))) if "_" in w else stemmer.stemWord(w) for w in words]


def creator_tokens(terms: pl.DataFrame, owners: npt.NDArray[np.int64], stems: Stems | None = None,
                   letter_pairs: bool = True) -> pl.DataFrame:
    """Each creator's token counts from the terms of texts they own.

    Args:
        terms: caption_terms_frame of some texts: columns post (the text's number) and term, in order of
            appearance.
        owners: creator row of each text, by text number.
        stems: the stemmer of the index, or None to keep the words as they are.
        letter_pairs: cut runs of scripts written without spaces into letter pairs (`text.split_unspaced`).

    Returns:
        Columns creator (Int64), token (String) and tf (UInt32): one row per creator and token.
    """
    words = terms.select("post", pl.col("term").str.strip_chars_start("#").alias("token"))
    if letter_pairs:
        words = split_unspaced(words)
    if stems is not None:
        # Each distinct word is stemmed once (a chunk repeats its words many times over); letter pairs are no
        # words of the stemmer's language (it leaves them as they are), and a Japanese text has millions.
        distinct = words.get_column("token").unique()
        if letter_pairs:
            distinct = distinct.filter(~distinct.str.contains(UNSPACED_CLASS))
        stem_of = pl.DataFrame({"token": distinct, "stem": stems.words(distinct.to_list())},
                               schema={"token": pl.String, "stem": pl.String})
        words = words.join(stem_of, on="token", how="left", maintain_order="left").select(
            "post", pl.coalesce("stem", "token").alias("token"))
    pairs = words.with_columns(pl.col("token").shift(-1).over("post").alias("next")).drop_nulls("next")
    if letter_pairs:
        # No phrase of letter pairs: with long Japanese text they would double the rows (and the memory) of a
        # chunk, and the pairs themselves already say which letters stand together.
        pairs = pairs.filter(~pl.col("token").str.contains(UNSPACED_CLASS)
                             & ~pl.col("next").str.contains(UNSPACED_CLASS))
    pairs = pairs.select("post", pl.format("{}_{}", "token", "next").alias("token"))
    owner = pl.DataFrame({"post": np.arange(len(owners), dtype=np.uint32), "creator": np.asarray(owners)},
                         schema={"post": pl.UInt32, "creator": pl.Int64})
    return (pl.concat([words, pairs]).with_columns(pl.col("post").cast(pl.UInt32)).join(owner, on="post")
            .group_by("creator", "token").agg(pl.len().cast(pl.UInt32).alias("tf")))


class LexicalBuilder:
    """Builds the index from chunks of texts (each creator's texts in one chunk only), spilled to a folder.

    add() tokenises the chunk (creator_tokens, with the index's stemmer), keeps it on disk and only the per-token
    document frequencies in memory; write() computes the scores chunk by chunk into memory-mapped output files.
    """

    def __init__(self, work: Path, n_creators: int, stemmer: str | None = STEMMER, letter_pairs: bool = True) -> None:
        """Args:
            work: a folder for the spilled chunks (removed by the caller).
            n_creators: documents in the index (creator rows 0..n-1).
            stemmer: the Snowball language the tokens are stemmed in; None keeps words whole.
            letter_pairs: cut runs of scripts written without spaces into letter pairs (`text.split_unspaced`).
        """
        self.work = work
        self.n_creators = n_creators
        self.stemmer = stemmer
        self.letter_pairs = letter_pairs
        self._stems = Stems(stemmer) if stemmer else None
        self.lengths = np.zeros(n_creators, dtype=np.int64)
        self._df: pl.DataFrame = pl.DataFrame(schema={"token": pl.String, "df": pl.UInt32})
        self._parts: list[Path] = []

    def add(self, terms: pl.DataFrame, owners: npt.NDArray[np.int64]) -> None:
        """One chunk of texts.

        Args:
            terms: caption_terms_frame of the chunk's texts (columns post and term).
            owners: creator row of each text, by text number.
        """
        counts = creator_tokens(terms, owners, self._stems, self.letter_pairs)
        path = self.work / f"lexical-{len(self._parts):05d}.parquet"
        counts.write_parquet(path)
        self._parts.append(path)
        lengths = counts.group_by("creator").agg(pl.col("tf").sum())
        self.lengths[lengths.get_column("creator").to_numpy()] += lengths.get_column("tf").to_numpy()
        self._df = (pl.concat([self._df, counts.group_by("token").agg(pl.len().cast(pl.UInt32).alias("df"))])
                    .group_by("token").agg(pl.col("df").sum()))

    def write(self, folder: Path) -> None:
        """Write the index into folder (created)."""
        folder.mkdir(parents=True, exist_ok=True)
        vocabulary = self._df.sort("token").with_row_index("id")
        self._df = pl.DataFrame(schema={"token": pl.String, "df": pl.UInt32})
        df = vocabulary.get_column("df").to_numpy().astype(np.int64)
        n = self.n_creators
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        # A creator without text is one placeholder token long, as in bm25s.
        average = float(np.where(self.lengths > 0, self.lengths, 1).mean()) if n else 1.0
        norm = (K1 * ((1 - B) + B * self.lengths / average)).astype(np.float32)
        indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
        nnz = int(indptr[-1])
        data = np.lib.format.open_memmap(folder / DATA_FILE, mode="w+", dtype=np.float32, shape=(nnz,))
        indices = np.lib.format.open_memmap(folder / INDICES_FILE, mode="w+", dtype=np.int32, shape=(nnz,))
        filled = np.zeros(len(df), dtype=np.int64)
        ids = vocabulary.select("token", "id")
        for path in self._parts:
            part = (pl.read_parquet(path).join(ids, on="token").select("id", "creator", "tf")
                    .sort("id", "creator"))
            token = part.get_column("id").to_numpy().astype(np.int64)
            creator = part.get_column("creator").to_numpy()
            tf = part.get_column("tf").to_numpy().astype(np.float32)
            # Within a token's column the chunks come in creator order: each lands after the ones before.
            first = np.searchsorted(token, token, side="left")
            at = indptr[token] + filled[token] + (np.arange(token.size) - first)
            data[at] = idf[token] * tf / (norm[creator] + tf)
            indices[at] = creator
            filled += np.bincount(token, minlength=len(df))
            path.unlink()
        data.flush()
        indices.flush()
        del data, indices
        np.save(folder / INDPTR_FILE, indptr)
        vocabulary.select("token").write_parquet(folder / TOKENS_FILE)
        params = {"k1": K1, "b": B, "method": "lucene", "num_docs": n, "average_length": average,
                  "stemmer": self.stemmer, "letter_pairs": self.letter_pairs}
        (folder / PARAMS_FILE).write_text(json.dumps(params, indent=2))


@dataclass
class Lexical:
    """A loaded lexical index (the score matrix memory-mapped)."""

    tokens: pa.Array  # sorted, large_string: read once, searched by _SortedStrings without a copy
    data: FloatArray
    indices: npt.NDArray[np.int32]
    indptr: npt.NDArray[np.int64]
    n_creators: int
    stems: Stems | None = None  # the stemmer the tokens were indexed with (None: whole words)
    letter_pairs: bool = False  # runs of scripts without spaces were cut into letter pairs (query_tokens must too)

    def __post_init__(self) -> None:
        self._sorted = _SortedStrings(self.tokens)

    def ids(self, tokens: Sequence[str]) -> npt.NDArray[np.int64]:
        """Column numbers of the tokens the index knows (unknown ones left out)."""
        # Binary search in Python over the Arrow strings: ~20 reads of a microsecond a token. polars' own
        # search_sorted runs on its thread pool, which waits behind the encoder's threads under load (~3 ms a
        # call measured during a shortlist run, against 0.3 ms idle).
        found = {self._sorted.find(token) for token in tokens}
        found.discard(-1)
        return np.array(sorted(found), dtype=np.int64)

    def scores(self, tokens: Sequence[str]) -> FloatArray:
        """BM25 of every creator for the tokens (query_tokens; stemmed here as the index was), 0 where nothing
        matches."""
        out = np.zeros(self.n_creators, dtype=np.float32)
        for column in self.ids(self.stems.words(tokens) if self.stems is not None else tokens):
            start, end = int(self.indptr[column]), int(self.indptr[column + 1])
            out[self.indices[start:end]] += self.data[start:end]  # a creator appears once per column
        return out


class _SortedStrings:
    """A sorted string column, searched by bisection over its UTF-8 bytes (byte order is code point order, the
    order polars sorted it in); nothing is turned into Python strings but the ~20 values a search compares."""

    def __init__(self, values: pa.Array) -> None:
        _, offsets, data = values.buffers()
        # Not a Python list of ints: at a million creators the index has tens of millions of tokens.
        self._offsets = np.frombuffer(offsets, dtype=np.int64)[values.offset:values.offset + len(values) + 1]
        self._data = memoryview(data) if data is not None else memoryview(b"")
        self._length = len(values)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i: int) -> bytes:
        return bytes(self._data[self._offsets[i]:self._offsets[i + 1]])

    def find(self, value: str) -> int:
        """The position of value, or -1 when it is absent."""
        key = value.encode()
        at = bisect.bisect_left(self, key)
        return at if at < self._length and self[at] == key else -1


def build_lexical(terms: pl.DataFrame, owners: Sequence[int], n_creators: int, work: Path) -> Lexical:
    """The index over some texts in one chunk, written to work/lexical and loaded (tests, small corpora).

    Args:
        terms: caption_terms_frame of the texts (columns post and term).
        owners: creator row of each text, by text number.
        n_creators: number of creators.
        work: a folder to write into.
    """
    builder = LexicalBuilder(work, n_creators)
    builder.add(terms, np.asarray(owners, dtype=np.int64))
    builder.write(work / LEXICAL_DIR)
    loaded = load_lexical(work)
    if loaded is None:
        raise AssertionError("the index just written is missing")
    return loaded


def load_lexical(bundle_dir: Path) -> Lexical | None:
    """The bundle's lexical index (matrix memory-mapped), or None when the bundle has none.

    Raises:
        ValueError, OSError, polars.exceptions.PolarsError: a damaged index (the caller names the file).
    """
    folder = bundle_dir / LEXICAL_DIR
    if not folder.is_dir():
        return None
    params: dict[str, Any] = json.loads((folder / PARAMS_FILE).read_text())
    import pyarrow as pa

    # Read with polars: pyarrow.parquet imports pyarrow.dataset, 50-90 ms of every command's start-up. (polars
    # gives large_string already, so there is nothing to cast.)
    tokens = pl.read_parquet(folder / TOKENS_FILE, columns=["token"]).get_column("token").to_arrow(
        compat_level=pl.CompatLevel.oldest())
    if tokens.type != pa.large_string():
        tokens = tokens.cast(pa.large_string())
    data = np.load(folder / DATA_FILE, mmap_mode="r")
    indices = np.load(folder / INDICES_FILE, mmap_mode="r")
    indptr = np.load(folder / INDPTR_FILE)
    n_creators = int(params["num_docs"])
    if indptr.shape != (len(tokens) + 1,) or data.shape != indices.shape or int(indptr[-1]) != data.shape[0]:
        raise ValueError("lexical index arrays do not agree")
    if not math.isfinite(float(params.get("average_length", 1.0))):
        raise ValueError("lexical index parameters are not finite")
    stemmer = params.get("stemmer")  # absent in bundles built before stemming
    return Lexical(tokens=tokens, data=data, indices=indices, indptr=indptr, n_creators=n_creators,
                   stems=Stems(str(stemmer)) if stemmer else None,
                   letter_pairs=params.get("letter_pairs") is True)  # absent before letter pairs


def lexical_scores(lexical: Lexical, tokens: list[str]) -> FloatArray:
    """BM25 score of every creator for the query tokens (0 where nothing matches)."""
    return lexical.scores(tokens)
