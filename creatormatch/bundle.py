"""The index bundle: checksums, the atomic write, and loading it checked for queries (its file names and manifest
are in creatormatch.manifest)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import sparse

from creatormatch.encoder import file_sha256
from creatormatch.index import read_index
from creatormatch.lexical import LEXICAL_DIR, Lexical, load_lexical
from creatormatch.manifest import (
    CREATOR_VECTORS,
    CREATORS_FILE,
    INDEX_FILE,
    MANIFEST,
    POST_TERMS,
    POST_TERMS_FILES,
    POSTS_FILE,
    TERM_VECTORS,
    BundleError,
    Manifest,
    check_model_weights,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from creatormatch.encoder import Encoder

logger = logging.getLogger(__name__)

CURRENT = "current"
TMP_PREFIX = ".tmp-"
# A serving process's mark beside a bundle: `.serving-<pid>-<bundle folder name>`, holding the host name.
SERVING_PREFIX = ".serving-"
T = TypeVar("T")


def file_checksums(bundle_dir: Path) -> dict[str, str]:
    """sha256 of every file in a bundle folder but the manifest, by its path in the folder (what a build records).

    Args:
        bundle_dir: the (staged) bundle folder.

    Returns:
        Path inside the bundle (POSIX, such as "lexical/params.index.json") -> hex sha256.
    """
    files = (p for p in sorted(bundle_dir.rglob("*")) if p.is_file())
    return {p.relative_to(bundle_dir).as_posix(): file_sha256(p) for p in files
            if p.relative_to(bundle_dir).as_posix() != MANIFEST}


def verified_memo(bundle_dir: Path) -> Path:
    """Where loads remember the files they hashed: beside the bundle (a bundle is never modified)."""
    return bundle_dir.parent / f".verified-{bundle_dir.name}.json"


def _stat_key(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def checksum_problems(bundle_dir: Path, manifest: Manifest, memo: Path | None = None) -> list[str]:
    """Every file that differs from the checksums in the manifest, one line each, naming the file.

    Args:
        bundle_dir: the bundle folder.
        manifest: its manifest; one without checksums (an older bundle) has no problems to find.
        memo: a file of (size, mtime, inode) of files already found to match; those are not hashed again, and the
            files that match now are added. None hashes every file (`creatormatch verify`).

    Returns:
        Lines such as "index.faiss: sha256 differs from the manifest ..."; empty when every file matches.
    """
    known: dict[str, list[Any]] = {}
    if memo is not None:
        try:
            known = json.loads(memo.read_text())
        except (OSError, ValueError):
            known = {}
    matched: dict[str, list[Any]] = {}

    def problem(name: str, expected: str) -> str | None:
        path = bundle_dir / name
        if not path.is_file():
            return f"{name}: missing (the manifest lists it)"
        try:
            key = _stat_key(path)
            if known.get(name) == [*key, expected]:
                matched[name] = known[name]
                return None
            actual = file_sha256(path)
        except OSError as exc:
            return f"{name}: cannot be read ({exc.strerror})"
        if actual != expected:
            return (f"{name}: sha256 {actual[:12]}… differs from the manifest's {expected[:12]}…: the file changed or "
                    "was damaged after the build")
        matched[name] = [*key, expected]
        return None

    # Files are hashed in parallel (hashlib releases the GIL): a 1M-creator bundle is several GB.
    with ThreadPoolExecutor(max_workers=max(1, min(8, os.cpu_count() or 1))) as pool:
        problems = [p for p in pool.map(lambda item: problem(*item), sorted(manifest.files.items())) if p is not None]
    if memo is not None and matched != known:
        try:
            temporary = memo.with_name(f"{memo.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps(matched))
            os.replace(temporary, memo)
        except OSError:  # a read-only folder: the next load hashes again
            pass
    return problems


def verify_files(bundle_dir: Path, manifest: Manifest, memo: bool = True) -> None:
    """Check every file against the manifest's sha256 (bundles without checksums pass, with a log line).

    With memo, a file hashed by an earlier load and unchanged since (same size, mtime and inode) is not hashed
    again: a replaced, truncated or rewritten file is still caught, and hashing gigabytes does not delay every
    start. `creatormatch verify` hashes everything (memo False), which also catches silent corruption.

    Raises:
        BundleError: a file is missing or differs, naming it (the first three, and how many more).
    """
    if not manifest.files:
        logger.info("bundle %s has no checksums (built before they were recorded): its files are not verified; "
                    "rebuild it to record them", manifest.version)
        return
    problems = checksum_problems(bundle_dir, manifest, verified_memo(bundle_dir) if memo else None)
    if problems:
        more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise BundleError("; ".join(problems[:3]) + more, bundle_dir)


@dataclass
class Verification:
    """What `verify_bundle` found."""

    manifest: Manifest
    files_checked: int  # files whose sha256 was compared (0 for a bundle without checksums)
    problems: list[str]  # one line each, naming the file; empty when the bundle is sound


def verify_bundle(path: Path, weights_sha256: str | None = None, model_name: str = "") -> Verification:
    """Check a bundle as the service does before serving it: every file against its sha256, then every file read
    and counted against the manifest, then (when given) the model weights the queries would be embedded with.

    Args:
        path: the bundle folder (or a link to it).
        weights_sha256: sha256 of the model weights that would embed queries; None skips that check.
        model_name: the model's name, for the message.

    Returns:
        The manifest, how many files were checked, and the problems.

    Raises:
        BundleError: no bundle there, or a manifest that cannot be read (nothing else can be checked).
    """
    path = path.resolve()
    manifest = Manifest.read(path)
    problems = checksum_problems(path, manifest)
    if not problems:  # reading damaged files would only repeat what the checksums said
        try:
            load_bundle(path, verify=False)
        except BundleError as exc:
            problems.append(exc.reason)
    if weights_sha256 is not None:
        try:
            check_model_weights(path, manifest, weights_sha256, model_name)
        except BundleError as exc:
            problems.append(exc.reason)
    return Verification(manifest, len(manifest.files), problems)


def new_version(data_sha256: str, now: datetime | None = None) -> str:
    """A sortable bundle version: build time (UTC) and the start of the data hash."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{moment}-{data_sha256[:8]}"


def clean_stale_temporaries(root: Path) -> None:
    """Remove temporary folders that builds killed before they could clean up left behind."""
    if not root.is_dir():
        return
    for path in root.iterdir():
        if path.is_dir() and path.name.startswith(TMP_PREFIX):
            pid = path.name.rsplit("-", 1)[-1]
            if pid.isdigit() and process_alive(int(pid)):
                continue
            logger.info("removing the unfinished build %s", path)
            shutil.rmtree(path, ignore_errors=True)


def process_alive(pid: int) -> bool:
    """Whether a process of this id runs on this host (this process counts as alive)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def work_folder(root: Path) -> Iterator[Path]:
    """A build's folder for intermediate files under root (the bundle's file system, so its results move into
    the bundle without a copy); removed afterwards, and by the next build if this process is killed.

    Raises:
        BundleError: root cannot hold bundles (a file, under a file, not writable).
    """
    work = root / f"{TMP_PREFIX}work-{uuid.uuid4().hex[:8]}-{os.getpid()}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        work.mkdir()
    except OSError as exc:
        raise BundleError(f"cannot write bundles there ({exc.strerror or exc})", root) from None
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def staged_bundle(root: Path, version: str) -> Iterator[Path]:
    """A temporary folder beside the final bundle; on success it is renamed into place and `current` moves.

    Nothing under root changes unless the block completes: on an exception the temporary folder is removed,
    and a process killed outright leaves only a `.tmp-*` folder that the next build removes.

    Args:
        root: the bundles folder (e.g. indexes/).
        version: the new bundle's name.

    Yields:
        The temporary folder to write into.
    """
    root.mkdir(parents=True, exist_ok=True)
    clean_stale_temporaries(root)
    final = root / version
    if final.exists():
        raise BundleError("already exists; bundles are never overwritten", final)
    staging = root / f"{TMP_PREFIX}{version}-{os.getpid()}"
    staging.mkdir()
    try:
        yield staging
        _fsync_tree(staging)
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    point_current(root, version)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())


def point_current(root: Path, version: str) -> None:
    """Atomically point root/current at root/version (a relative symlink replaced in one rename)."""
    link = root / CURRENT
    temporary = root / f"{TMP_PREFIX}link-{uuid.uuid4().hex}"
    os.symlink(version, temporary)
    os.replace(temporary, link)


def list_bundles(root: Path) -> list[Path]:
    """Finished bundles under root, oldest first."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and not p.is_symlink() and not p.name.startswith(".") and (p / MANIFEST).is_file())


def prune_bundles(root: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` bundles, never the one `current` points at nor one a live process serves
    (see mark_serving).

    Returns:
        The removed folders.
    """
    current = (root / CURRENT).resolve() if (root / CURRENT).exists() else None
    served = served_bundles(root)
    removed = []
    bundles = list_bundles(root)
    for path in bundles[: max(0, len(bundles) - keep)]:
        if current is not None and path.resolve() == current:
            continue
        if path.name in served:
            logger.info("keeping %s: a service is serving it", path.name)
            continue
        # Renamed first, in one step, then deleted: an interrupt midway leaves a `.tmp-` folder that the next build
        # removes, never a half-deleted folder that still looks like a bundle.
        doomed = root / f"{TMP_PREFIX}pruned-{path.name}-{os.getpid()}"
        try:
            os.rename(path, doomed)
        except OSError as exc:
            logger.warning("cannot remove the old bundle %s (%s)", path.name, exc.strerror)
            continue
        verified_memo(path).unlink(missing_ok=True)
        removed.append(path)
        shutil.rmtree(doomed, ignore_errors=True)
    return removed


def mark_serving(bundle: Path) -> Path | None:
    """Leave a mark beside a bundle saying this process serves it, so that builds do not prune it.

    The mark is `.serving-<pid>-<bundle name>` in the bundle's parent folder, holding the host name. Remove it
    with unmark_serving when the bundle is no longer served; a process that dies leaves a mark that
    served_bundles ignores (and removes) once the process is gone.

    Args:
        bundle: the (resolved) bundle folder.

    Returns:
        The mark, or None when the folder cannot be written (a read-only volume: logged, and serving goes on).
    """
    mark = bundle.parent / f"{SERVING_PREFIX}{os.getpid()}-{bundle.name}"
    try:
        mark.write_text(socket.gethostname() + "\n")
    except OSError as exc:
        logger.warning("cannot mark bundle %s as served (%s): a build writing beside it may prune it after "
                       "keep_bundles more builds", bundle.name, exc.strerror)
        return None
    return mark


def unmark_serving(mark: Path | None) -> None:
    """Remove a mark left by mark_serving (nothing when None or already gone)."""
    if mark is None:
        return
    try:
        mark.unlink(missing_ok=True)
    except OSError as exc:
        logger.warning("cannot remove the serving mark %s (%s)", mark.name, exc.strerror)


def served_bundles(root: Path) -> set[str]:
    """Names of the bundles under root that a live process marked as served.

    A mark whose process is gone is removed. A mark left by another host cannot be checked from here and counts
    as live (delete it by hand once that service is gone).
    """
    if not root.is_dir():
        return set()
    host = socket.gethostname()
    served = set()
    for mark in root.glob(f"{SERVING_PREFIX}*"):
        pid, _, name = mark.name.removeprefix(SERVING_PREFIX).partition("-")
        try:
            owner = mark.read_text().strip()
        except OSError:
            continue  # removed meanwhile
        if not pid.isdigit() or not name:
            continue
        if owner != host or process_alive(int(pid)):
            served.add(name)
        else:
            unmark_serving(mark)
    return served



@dataclass
class LoadedBundle:
    """Everything a query needs, in memory, read-only."""

    path: Path
    manifest: Manifest
    index: Any
    vectors: npt.NDArray[np.float32]
    creators: pl.DataFrame
    posts: pa.Table  # memory-mapped
    post_terms: sparse.csr_matrix  # memory-mapped
    post_norms: npt.NDArray[np.float32]
    term_vectors: npt.NDArray[np.float32]
    row_of: dict[str, int]
    post_start: npt.NDArray[np.int64]  # creator row -> its first row in posts (posts are in creator order)
    post_rows: npt.NDArray[np.int64]  # creator row -> how many posts it has
    lexical: Lexical | None = None

    @property
    def version(self) -> str:
        return self.manifest.version


def check_bundle(path: Path, weights_sha256: str, model_name: str, verify: bool = True) -> Manifest:
    """The checks that need no loading: the manifest, the model weights, and (verify) every file's sha256. What
    `serve` runs before it starts, and what its parent process runs before it moves its workers to a new bundle.

    Args:
        path: the bundle folder (or a link to it).
        weights_sha256: sha256 of the model weights that will embed the queries.
        model_name: the model's name, for the message.
        verify: compare every file with the manifest's sha256.

    Returns:
        The manifest.

    Raises:
        BundleError: what is wrong, naming the file.
    """
    manifest = Manifest.read(path)
    check_model_weights(path, manifest, weights_sha256, model_name)
    if verify:
        verify_files(path, manifest)
    return manifest


def load_bundle(path: Path, encoder: Encoder | None = None, verify: bool = True) -> LoadedBundle:
    """Load a bundle and check it against itself and against the encoder that will embed the queries.

    Args:
        path: the bundle folder (or a link to it, such as indexes/current).
        encoder: the query encoder; its weights hash and dimension must match the manifest.
        verify: check every file against the manifest's sha256 first (bundles without checksums are loaded
            unverified, with a log line).

    Returns:
        The loaded bundle.

    Raises:
        BundleError: missing, incomplete or damaged bundle, or a mismatch with the manifest or the encoder; the
            reason names the file and what is wrong.
    """
    path = path.resolve()
    manifest = Manifest.read(path)
    if encoder is not None:
        check_model_weights(path, manifest, encoder.weights_sha256, encoder.name)
        if encoder.dimension != manifest.dimension:
            raise BundleError(f"bundle dimension {manifest.dimension} but the model gives {encoder.dimension}", path)
    if verify:
        verify_files(path, manifest)
    index = _read(path, INDEX_FILE, "a FAISS index", lambda: read_index(path / INDEX_FILE, manifest.index_nprobe))
    # Memory-mapped, read-only: nothing is copied at start-up, and worker processes share the pages.
    vectors = _read(path, CREATOR_VECTORS, "a NumPy array", lambda: np.load(path / CREATOR_VECTORS, mmap_mode="r"))
    creators = _read(path, CREATORS_FILE, "a Parquet table", lambda: pl.read_parquet(path / CREATORS_FILE))
    posts = _read(path, POSTS_FILE, "an Arrow table", lambda: read_posts(path / POSTS_FILE))
    term_vectors = _read(path, TERM_VECTORS, "a NumPy array", lambda: np.load(path / TERM_VECTORS, mmap_mode="r"))
    post_terms = _read(path, POST_TERMS, "a sparse matrix",
                       lambda: load_post_terms(path / POST_TERMS, (posts.num_rows, term_vectors.shape[0])))
    lexical = _read(path, LEXICAL_DIR, "a BM25 index", lambda: load_lexical(path))
    for name, columns, wanted in ((CREATORS_FILE, creators.columns, ("creator_id",)),
                                  (POSTS_FILE, posts.column_names, ("creator_row", "post_norm"))):
        absent = [c for c in wanted if c not in columns]
        if absent:
            raise BundleError(f"{name}: no column {', '.join(absent)}", path)
    for name, array in ((CREATOR_VECTORS, vectors), (TERM_VECTORS, term_vectors)):
        if array.ndim != 2:
            raise BundleError(f"{name}: a {array.ndim}-dimensional array where a table of vectors belongs", path)
    checks = {
        "index rows": (index.ntotal, manifest.creators),
        "index dimension": (index.d, manifest.dimension),
        "vector rows": (vectors.shape[0], manifest.creators),
        "vector dimension": (vectors.shape[1], manifest.dimension),
        "creator rows": (creators.height, manifest.creators),
        "post rows": (posts.num_rows, manifest.posts),
        "post-term rows": (post_terms.shape[0], manifest.posts),
        "terms": (term_vectors.shape[0], manifest.terms),
    }
    wrong = [f"{name} {got} (manifest says {expected})" for name, (got, expected) in checks.items() if got != expected]
    if wrong:
        raise BundleError(f"bundle does not match its manifest: {'; '.join(wrong)}", path)
    creator_rows = posts.column("creator_row").to_numpy().astype(np.int64, copy=False)
    if creator_rows.size and (creator_rows.min() < 0 or creator_rows.max() >= creators.height):
        raise BundleError(f"{POSTS_FILE}: creator_row outside the {creators.height} creators", path)
    counts = np.bincount(creator_rows, minlength=creators.height)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    ids = creators.get_column("creator_id").to_list()
    logger.info("loaded bundle %s: %d creators, %d posts", manifest.version, len(ids), posts.num_rows)
    return LoadedBundle(
        path=path, manifest=manifest, index=index, vectors=vectors, creators=creators, posts=posts,
        post_terms=post_terms, post_norms=posts.column("post_norm").to_numpy().astype(np.float32, copy=False),
        term_vectors=term_vectors, row_of={cid: i for i, cid in enumerate(ids)}, post_start=starts,
        post_rows=counts, lexical=lexical,
    )


def write_posts(posts: pl.DataFrame, path: Path) -> None:
    """Write the bundle's post table as uncompressed Arrow IPC (read_posts memory-maps it)."""
    import pyarrow as pa
    import pyarrow.ipc

    table = posts.to_arrow(compat_level=pl.CompatLevel.oldest())
    with pa.OSFile(str(path), "wb") as sink, pyarrow.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=1_000_000)


def read_posts(path: Path) -> pa.Table:
    """The post table write_posts wrote, memory-mapped: pages are read when a response shows their posts."""
    import pyarrow as pa
    import pyarrow.ipc

    return pyarrow.ipc.open_file(pa.memory_map(str(path), "r")).read_all()


def load_post_terms(folder: Path, shape: tuple[int, int]) -> sparse.csr_matrix:
    """The posts x terms CSR matrix from its three arrays, memory-mapped (scipy wraps them without a copy).

    Raises:
        ValueError, OSError: damaged or inconsistent arrays.
    """
    data, indices, indptr = (np.load(folder / name, mmap_mode="r") for name in POST_TERMS_FILES)
    if indptr.shape != (shape[0] + 1,) or data.shape != indices.shape or int(indptr[-1]) != data.shape[0]:
        raise ValueError("post-term arrays do not agree with each other")
    # scipy trusts these: a column index out of range or rows that go backwards read outside the arrays (a
    # segmentation fault, or a corrupted heap). The checksums catch damage, but an unchanged file's check is
    # remembered by its size, time and inode, so damage that keeps all three would get through. One pass each.
    if not (np.issubdtype(indices.dtype, np.integer) and np.issubdtype(indptr.dtype, np.integer)):
        raise ValueError("post-term index arrays are not integers")
    if int(indptr[0]) != 0 or (indptr.size > 1 and bool((np.diff(indptr) < 0).any())):
        raise ValueError("post-term row pointers do not rise from 0")
    if indices.size and (int(indices.min()) < 0 or int(indices.max()) >= shape[1]):
        raise ValueError(f"post-term column indices outside the {shape[1]} terms")
    if not bool(np.isfinite(data).all()):
        raise ValueError("post-term weights that are not finite")
    return sparse.csr_matrix((data, indices, indptr), shape=shape, copy=False)


def _read(bundle: Path, name: str, kind: str, reader: Callable[[], T]) -> T:
    """Read one file of a bundle; any failure becomes a BundleError naming the file, in words (the library's own
    message, which may hold paths and C++ source locations, goes to the log)."""
    try:
        return reader()
    except MemoryError:
        raise
    except FileNotFoundError:
        raise BundleError(f"{name}: missing", bundle) from None
    except Exception as exc:  # faiss, numpy, polars, scipy and bm25s each fail in their own way
        logger.warning("bundle %s: %s: %s: %s", bundle, name, type(exc).__name__, exc)
        raise BundleError(f"{name}: cannot be read as {kind} (damaged, or not written by creatormatch build)",
                          bundle) from None
