"""Keyword-index tokenising (creator_tokens) of English and of Japanese text, rows and seconds; appends to
RESULTS.md.

Usage: python benchmarks/bench_tokens.py [--posts 5000] [--chars 2000] [--no-record]

Japanese is written without spaces, so its runs of letters are cut into letter pairs: about one keyword token a
letter, where English gives one a word. This measures what that costs the build per post: synthetic text (seeded
random kana and 3,000 kanji with occasional punctuation, a worst case for distinct tokens; English words from a
small vocabulary), ten posts a creator, the whole of `creator_tokens` (terms, letter pairs, stems, phrases,
counts) against the same call with `letter_pairs=False`.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_build import machine  # noqa: E402

WORDS = ("the quick brown fox jumps over lazy dog coffee latte art travel vanlife camping trailer sketch painting "
         "recipe ramen tokyo street food review unboxing").split()


def japanese(rng: random.Random, chars: int) -> str:
    kana = [chr(c) for c in (*range(0x3041, 0x3094), *range(0x30A1, 0x30F7))]
    kanji = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    out: list[str] = []
    while len(out) < chars:
        out.append(rng.choice(kanji) if rng.random() < 0.4 else rng.choice(kana))
        if rng.random() < 0.05:
            out.append(rng.choice("、。 "))
    return "".join(out[:chars])


def english(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    while sum(len(w) + 1 for w in out) < chars:
        out.append(rng.choice(WORDS) + rng.choice(["", "s", "ing", str(rng.randint(0, 99))]))
    return " ".join(out)[:chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000, help="posts of each language")
    parser.add_argument("--chars", type=int, default=2000, help="characters a post")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    from creatormatch.lexical import STEMMER, Stems, creator_tokens
    from creatormatch.text import caption_terms_frame

    rng = random.Random(1)
    stems = Stems(STEMMER)
    owners = np.arange(args.posts, dtype=np.int64) // 10
    rows = []
    for language, make in (("English", english), ("Japanese", japanese)):
        terms = caption_terms_frame([make(rng, args.chars) for _ in range(args.posts)])
        figures = {}
        for pairs in (True, False):
            started = time.perf_counter()
            tokens = creator_tokens(terms, owners, stems, letter_pairs=pairs)
            figures[pairs] = (time.perf_counter() - started, tokens.height)
        rows.append((language, figures))
        print(f"{language}: {args.posts} posts x {args.chars} characters: {figures[True][0]:.2f} s, "
              f"{figures[True][1]:,} creator-token rows (without letter pairs {figures[False][0]:.2f} s, "
              f"{figures[False][1]:,})")
    if args.no_record:
        return
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — keyword tokenising, English and Japanese", "",
             f"- machine: {machine()}",
             f"- command: `python benchmarks/bench_tokens.py --posts {args.posts} --chars {args.chars}`", "",
             "| text | creator_tokens s | creator-token rows | without letter pairs: s | rows |",
             "| --- | --- | --- | --- | --- |"]
    lines += [f"| {language} | {f[True][0]:.2f} | {f[True][1]:,} | {f[False][0]:.2f} | {f[False][1]:,} |"
              for language, f in rows]
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
