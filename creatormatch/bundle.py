"""The index bundle: its files, its manifest, the atomic write, and loading it checked for queries."""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import sparse

from creatormatch.index import read_index
from creatormatch.lexical import load_lexical

if TYPE_CHECKING:
    from creatormatch.encoder import Encoder

logger = logging.getLogger(__name__)

# 2: creator documents in the vectors; post offsets no longer in creators.parquet (derived from posts at load).
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
INDEX_FILE = "index.faiss"
CREATOR_VECTORS = "creator_vectors.npy"
CREATORS_FILE = "creators.parquet"
POSTS_FILE = "posts.parquet"
POST_TERMS = "post_terms.npz"
TERMS_FILE = "terms.parquet"
TERM_VECTORS = "term_vectors.npy"
REJECTS_FILE = "rejects.csv"
REPORT_FILE = "build_report.json"
REQUIRED_FILES = (INDEX_FILE, CREATOR_VECTORS, CREATORS_FILE, POSTS_FILE, POST_TERMS, TERMS_FILE, TERM_VECTORS,
                  REJECTS_FILE, REPORT_FILE)
CURRENT = "current"
TMP_PREFIX = ".tmp-"


class BundleError(Exception):
    """A bundle is missing, incomplete, or does not match what the service loaded."""


@dataclass
class Manifest:
    """manifest.json: what a bundle holds and how it was made."""

    version: str
    model_name: str
    model_weights_sha256: str
    dimension: int
    creators: int
    posts: int
    terms: int
    index_factory: str
    index_metric: str
    index_nprobe: int | None
    recall_at_10: float
    recall_queries: int
    data_sha256: str
    code_version: str
    built_at: str
    as_of: str
    format_version: int = FORMAT_VERSION
    settings: dict[str, Any] = field(default_factory=dict)
    # How this build encoded: "onnx" (with the export's sha256) or "torch"; cached vectors of either agree to
    # cosine 0.9999, so a bundle is served by either backend.
    encoder_backend: str = ""
    model_onnx_sha256: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def read(cls, bundle_dir: Path) -> Manifest:
        """Read and check the manifest of a bundle folder.

        Raises:
            BundleError: missing or malformed manifest, or a format this code does not read.
        """
        path = bundle_dir / MANIFEST
        if not path.is_file():
            raise BundleError(f"{bundle_dir}: not a bundle (no {MANIFEST}); build one with `creatormatch build`")
        try:
            data = json.loads(path.read_text())
            manifest = cls(**data)
        except (json.JSONDecodeError, TypeError) as exc:
            raise BundleError(f"{path}: malformed manifest ({exc})") from exc
        if manifest.format_version != FORMAT_VERSION:
            raise BundleError(f"{path}: bundle format {manifest.format_version}, this code reads {FORMAT_VERSION}; "
                              "rebuild the bundle")
        missing = [name for name in REQUIRED_FILES if not (bundle_dir / name).is_file()]
        if missing:
            raise BundleError(f"{bundle_dir}: incomplete bundle, missing {', '.join(missing)}")
        return manifest


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
            if pid.isdigit() and _alive(int(pid)):
                continue
            logger.info("removing the unfinished build %s", path)
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
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
        raise BundleError(f"{final} already exists; bundles are never overwritten")
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
    """Remove all but the newest `keep` bundles, never the one `current` points at.

    Returns:
        The removed folders.
    """
    current = (root / CURRENT).resolve() if (root / CURRENT).exists() else None
    removed = []
    bundles = list_bundles(root)
    for path in bundles[: max(0, len(bundles) - keep)]:
        if current is not None and path.resolve() == current:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed



@dataclass
class LoadedBundle:
    """Everything a query needs, in memory, read-only."""

    path: Path
    manifest: Manifest
    index: Any
    vectors: npt.NDArray[np.float32]
    creators: pl.DataFrame
    posts: pl.DataFrame
    post_terms: sparse.csr_matrix
    post_norms: npt.NDArray[np.float32]
    term_vectors: npt.NDArray[np.float32]
    row_of: dict[str, int]
    post_start: npt.NDArray[np.int64]  # creator row -> its first row in posts (posts are in creator order)
    post_rows: npt.NDArray[np.int64]  # creator row -> how many posts it has
    lexical: Any | None = None

    @property
    def version(self) -> str:
        return self.manifest.version


def check_model_weights(path: Path, manifest: Manifest, weights_sha256: str, model_name: str) -> None:
    """Refuse a bundle built with other model weights than the ones about to embed the queries.

    Raises:
        BundleError: the weights differ, with what to do about it.
    """
    if weights_sha256 != manifest.model_weights_sha256:
        raise BundleError(
            f"{path}: built with model weights {manifest.model_weights_sha256[:12]}… ({manifest.model_name}) "
            f"but the model loaded here is {weights_sha256[:12]}… ({model_name}); "
            "set CREATORMATCH_MODEL_PATH to the bundle's model or rebuild the bundle")


def load_bundle(path: Path, encoder: Encoder | None = None) -> LoadedBundle:
    """Load a bundle and check it against itself and against the encoder that will embed the queries.

    Args:
        path: the bundle folder (or a link to it, such as indexes/current).
        encoder: the query encoder; its weights hash and dimension must match the manifest.

    Returns:
        The loaded bundle.

    Raises:
        BundleError: missing or incomplete bundle, or a mismatch with the manifest or the encoder.
    """
    path = path.resolve()
    manifest = Manifest.read(path)
    if encoder is not None:
        check_model_weights(path, manifest, encoder.weights_sha256, encoder.name)
        if encoder.dimension != manifest.dimension:
            raise BundleError(f"{path}: bundle dimension {manifest.dimension} but the model gives {encoder.dimension}")
    index = read_index(path / INDEX_FILE, manifest.index_nprobe)
    # Memory-mapped, read-only: nothing is copied at start-up, and worker processes share the pages.
    vectors = np.load(path / CREATOR_VECTORS, mmap_mode="r")
    creators = pl.read_parquet(path / CREATORS_FILE)
    posts = pl.read_parquet(path / POSTS_FILE)
    post_terms = sparse.load_npz(path / POST_TERMS).tocsr()
    term_vectors = np.load(path / TERM_VECTORS, mmap_mode="r")
    checks = {
        "index rows": (index.ntotal, manifest.creators),
        "index dimension": (index.d, manifest.dimension),
        "vector rows": (vectors.shape[0], manifest.creators),
        "creator rows": (creators.height, manifest.creators),
        "post rows": (posts.height, manifest.posts),
        "post-term rows": (post_terms.shape[0], manifest.posts),
        "terms": (term_vectors.shape[0], manifest.terms),
    }
    wrong = [f"{name} {got} (manifest says {expected})" for name, (got, expected) in checks.items() if got != expected]
    if wrong:
        raise BundleError(f"{path}: bundle does not match its manifest: {'; '.join(wrong)}")
    counts = np.bincount(posts.get_column("creator_row").to_numpy().astype(np.int64), minlength=creators.height)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    ids = creators.get_column("creator_id").to_list()
    logger.info("loaded bundle %s: %d creators, %d posts", manifest.version, len(ids), posts.height)
    return LoadedBundle(
        path=path, manifest=manifest, index=index, vectors=vectors, creators=creators, posts=posts,
        post_terms=post_terms, post_norms=posts.get_column("post_norm").to_numpy().astype(np.float32),
        term_vectors=term_vectors, row_of={cid: i for i, cid in enumerate(ids)}, post_start=starts,
        post_rows=counts, lexical=load_lexical(path),
    )
