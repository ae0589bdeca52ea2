"""Opening a bundle's post-term matrix with and without the checks that keep scipy from reading out of bounds;
appends to RESULTS.md.

Usage: python benchmarks/bench_post_terms.py [--posts 10000000] [--entries 100000000] [--rounds 3] [--no-record]

`bundle.load_post_terms` memory-maps the three CSR arrays and, before scipy wraps them, checks that row pointers
rise from 0, column indices are inside the vocabulary and weights are finite: one pass over each array, at every
bundle load. This writes random arrays of the given size (10 million posts and 100 million entries is about the
1M-creator sample's size at 10 posts a creator and 10 terms a post), then opens them in a fresh process each round,
the checked load and the bare scipy wrap in turn, and prints seconds and the process's peak and final resident
memory (MB). Pages of the memory-mapped files count in resident memory once read; the operating system can drop
them again.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_build import machine  # noqa: E402

TERMS = 100_000

OPEN = """
import json, sys, time
from pathlib import Path
import numpy as np
from scipy import sparse
from creatormatch.bundle import load_post_terms
from creatormatch.manifest import POST_TERMS_FILES
folder, posts, checked = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "checked"
TERMS = int(sys.argv[4])
started = time.perf_counter()
if checked:
    matrix = load_post_terms(folder, (posts, TERMS))
else:
    data, indices, indptr = (np.load(folder / name, mmap_mode="r") for name in POST_TERMS_FILES)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(posts, TERMS), copy=False)
seconds = time.perf_counter() - started
status = Path("/proc/self/status").read_text()
def mb(key):
    return int(status.split(key + ":")[1].split()[0]) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": mb("VmHWM"), "rss_mb": mb("VmRSS")}))
"""


def write_arrays(folder: Path, posts: int, entries: int) -> None:
    from creatormatch.manifest import POST_TERMS_FILES

    rng = np.random.default_rng(0)
    counts = rng.multinomial(entries, np.full(posts, 1 / posts))
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    del counts
    arrays = {"indptr.npy": indptr, "indices.npy": rng.integers(0, TERMS, entries, dtype=np.int32),
              "data.npy": rng.random(entries, dtype=np.float32)}
    for name in POST_TERMS_FILES:
        np.save(folder / name, arrays.pop(name))


def open_once(folder: Path, posts: int, checked: bool) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", OPEN, str(folder), str(posts), "checked" if checked else "bare",
                           str(TERMS)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000_000)
    parser.add_argument("--entries", type=int, default=100_000_000, help="non-zero post-term weights")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    runs: dict[bool, list[dict[str, float]]] = {True: [], False: []}
    with tempfile.TemporaryDirectory(prefix="bench-post-terms-") as name:
        folder = Path(name)
        write_arrays(folder, args.posts, args.entries)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        for _ in range(args.rounds):
            for checked in (True, False):
                runs[checked].append(open_once(folder, args.posts, checked))
    for checked, label in ((True, "checked (load_post_terms)"), (False, "bare scipy wrap")):
        seconds = ", ".join(f"{r['seconds']:.3f}" for r in runs[checked])
        print(f"{label}: {seconds} s; peak {max(r['peak_mb'] for r in runs[checked]):,.0f} MB, "
              f"resident after {max(r['rss_mb'] for r in runs[checked]):,.0f} MB")
    if args.no_record:
        return

    def median(checked: bool, key: str) -> float:
        return float(np.median([r[key] for r in runs[checked]]))

    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — opening the post-term matrix, checked and bare", "",
             f"- machine: {machine()}",
             f"- command: `python benchmarks/bench_post_terms.py --posts {args.posts} --entries {args.entries} "
             f"--rounds {args.rounds}` ({size:,.0f} MB of arrays, files in the page cache after the first round; "
             "a fresh process each round, in turn)", "",
             "| load | median s | peak MB | resident after MB |", "| --- | --- | --- | --- |"]
    lines += [f"| {label} | {median(checked, 'seconds'):.3f} | {median(checked, 'peak_mb'):,.0f} | "
              f"{median(checked, 'rss_mb'):,.0f} |"
              for checked, label in ((True, "checked (`load_post_terms`)"), (False, "bare scipy wrap"))]
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
