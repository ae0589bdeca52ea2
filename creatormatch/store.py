"""A bundle loaded for querying: index, vectors, creator table and evidence, checked against the encoder."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import sparse

from creatormatch.bundle import (
    CREATOR_VECTORS,
    CREATORS_FILE,
    INDEX_FILE,
    POST_TERMS,
    POSTS_FILE,
    TERM_VECTORS,
    BundleError,
    Manifest,
)
from creatormatch.encoder import Encoder
from creatormatch.index import read_index
from creatormatch.lexical import load_lexical

logger = logging.getLogger(__name__)


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
    lexical: Any | None = None

    @property
    def version(self) -> str:
        return self.manifest.version


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
        if encoder.weights_sha256 != manifest.model_weights_sha256:
            raise BundleError(
                f"{path}: built with model weights {manifest.model_weights_sha256[:12]}… ({manifest.model_name}) "
                f"but the service loaded {encoder.weights_sha256[:12]}… ({encoder.name}); "
                "set CREATORMATCH_MODEL_PATH to the bundle's model or rebuild the bundle")
        if encoder.dimension != manifest.dimension:
            raise BundleError(f"{path}: bundle dimension {manifest.dimension} but the model gives {encoder.dimension}")
    index = read_index(path / INDEX_FILE, manifest.index_nprobe)
    vectors = np.load(path / CREATOR_VECTORS)
    creators = pl.read_parquet(path / CREATORS_FILE)
    posts = pl.read_parquet(path / POSTS_FILE)
    post_terms = sparse.load_npz(path / POST_TERMS).tocsr()
    term_vectors = np.load(path / TERM_VECTORS)
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
    ids = creators.get_column("creator_id").to_list()
    logger.info("loaded bundle %s: %d creators, %d posts", manifest.version, len(ids), posts.height)
    return LoadedBundle(
        path=path, manifest=manifest, index=index, vectors=vectors, creators=creators, posts=posts,
        post_terms=post_terms, post_norms=posts.get_column("post_norm").to_numpy().astype(np.float32),
        term_vectors=term_vectors, row_of={cid: i for i, cid in enumerate(ids)}, lexical=load_lexical(path),
    )
