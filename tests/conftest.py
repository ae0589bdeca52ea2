"""Shared fixtures: a deterministic fake encoder, the real encoder (loaded once), and sample corpora."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from creatormatch.bundle import load_bundle
from creatormatch.config import Settings
from creatormatch.encoder import Encoder, SentenceEncoder, Vectors, encoder_from_settings
from creatormatch.ranking import Ranker


class FakeEncoder:
    """Deterministic bag-of-words hashing encoder for tests that do not care about meaning."""

    name = "fake-hashing-encoder"
    weights_sha256 = "0" * 64
    dimension = 32

    def __init__(self) -> None:
        self.calls = 0
        self.texts_encoded = 0

    def encode(self, texts: Sequence[str], progress: bool = False) -> Vectors:  # noqa: ARG002
        self.calls += 1
        self.texts_encoded += len(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for token in text.lower().split():
                seed = int.from_bytes(hashlib.sha1(token.encode()).digest()[:4], "little")
                out[i] += np.random.default_rng(seed).normal(size=self.dimension).astype(np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


ROOT = Path(__file__).resolve().parents[1]
# One ONNX export of the model for the whole run, command-line subprocesses included (made on first use, like a
# user's first build; kept in the project's gitignored indexes/ folder between runs).
os.environ.setdefault("CREATORMATCH_MODEL_CACHE_DIR", str(ROOT / "indexes" / "models"))


@pytest.fixture(scope="session")
def real_encoder() -> Encoder:
    """The bundled all-MiniLM-L6-v2 as users get it by default (its ONNX export), loaded once per test session."""
    return encoder_from_settings(Settings())


@pytest.fixture(scope="session")
def reference_encoder() -> SentenceEncoder:
    """The same model through sentence-transformers, the reference the ONNX export is held to."""
    return SentenceEncoder()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose cache lives in the test's own folder."""
    return Settings(cache_path=tmp_path / "cache.sqlite", indexes_dir=tmp_path / "indexes")


@pytest.fixture(scope="session")
def small_sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An 800-creator sample corpus written once per session (seed 11); copy it before changing it."""
    from training.sample import generate_sample, write_sample

    out = tmp_path_factory.mktemp("sample800")
    write_sample(generate_sample(800, seed=11), out)
    return out


@pytest.fixture(scope="session")
def real_bundle(small_sample_dir: Path, real_encoder: Encoder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small sample built once per session with the real encoder; treat it as read-only."""
    from training.build import build_bundle

    work = tmp_path_factory.mktemp("real_bundle")
    settings = Settings(cache_path=work / "cache.sqlite")
    return build_bundle(small_sample_dir, work / "indexes", settings, encoder=real_encoder).bundle


@pytest.fixture(scope="session")
def ranker(real_bundle: Path, real_encoder: Encoder) -> Ranker:
    """A ranker over the real bundle, shared by the session."""
    return Ranker(load_bundle(real_bundle, real_encoder), real_encoder)


@pytest.fixture
def sample_copy(small_sample_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the small sample's input files (without the label files)."""
    out = tmp_path / "data"
    out.mkdir()
    for name in ("creators", "posts", "follower_samples", "follower_history", "brands"):
        shutil.copy(small_sample_dir / f"{name}.parquet", out / f"{name}.parquet")
    return out


BrandsFile = Callable[..., Path]


@pytest.fixture
def brands_file(small_sample_dir: Path) -> BrandsFile:
    """Writes eight sample brands, then one the data contract rejects (no text) and one ranking rejects (a bad
    constraint given as a keyword, e.g. countries=["ZZZ"] or tiers=["huge"]), into a folder; returns the file."""
    import polars as pl

    def write(folder: Path, **bad_constraint: list[str]) -> Path:
        (name, values), = bad_constraint.items()
        brands = pl.read_parquet(small_sample_dir / "brands.parquet").head(8)
        bad = pl.DataFrame({"brand_id": ["nothing", "bad"], "name": [None, "Bad"], name: [None, values]},
                           schema={"brand_id": pl.Utf8, "name": pl.Utf8, name: pl.List(pl.Utf8)})
        path = folder / "brands.parquet"
        pl.concat([brands, bad], how="diagonal_relaxed").write_parquet(path)
        return path

    return write
