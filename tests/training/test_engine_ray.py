"""The Ray engine: a bundle built on Ray equals the local engine's; a missing Ray, address or model is one line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from creatormatch.bundle import load_bundle
from creatormatch.config import Settings
from creatormatch.dataset import load_dataset
from creatormatch.encoder import EmbeddingCache, Encoder, EncoderError, encode_cached
from creatormatch.manifest import BundleError, Manifest
from creatormatch.ranking import Ranker
from creatormatch.shortlist import run_shortlist_file
from tests.conftest import FakeEncoder
from training.build import BuildResult, build_bundle, bundle_posts
from training.engines import LocalEngine

pytest.importorskip("ray", reason="the ray extra is not installed (pip install -e '.[ray]')")

from training.engine_ray import EngineError, RayBrandRanker, RayEngine  # noqa: E402

# Manifest fields that differ between any two builds, whatever built them; `files` holds the sha256 of the build
# report (which records timings) and of vectors that may differ in the last bits.
PER_BUILD = {"version", "built_at", "files"}
# Creator columns computed from the embeddings.
EMBEDDED = ["niche_focus"]


def assert_same_features(got: pl.DataFrame, want: pl.DataFrame) -> None:
    """Same columns, order, dtypes and values; floats within 1e-9. Not bit for bit: polars may round a division
    one unit in the last place differently when a partition holds a single creator."""
    assert_frame_equal(got, want, check_exact=False, rel_tol=0, abs_tol=1e-9)


@pytest.fixture(scope="module")
def ray_engine() -> Iterator[RayEngine]:
    """One local Ray (2 CPUs) for the module; the first start takes a few seconds."""
    engine = RayEngine(settings=Settings(), num_cpus=2)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def tiny_sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120 creators: enough for every stage, small enough to embed twice from an empty cache."""
    from training.sample import generate_sample, write_sample

    out = tmp_path_factory.mktemp("sample120")
    write_sample(generate_sample(120, seed=11), out)
    return out


@pytest.fixture(scope="module")
def both_builds(tiny_sample_dir: Path, real_encoder: Encoder, ray_engine: RayEngine,
                tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, BuildResult]:
    """The sample built by the local engine and by Ray, each with its own empty embedding cache."""
    work = tmp_path_factory.mktemp("engines")
    built = []
    for name, engine in (("local", LocalEngine()), ("ray", ray_engine)):
        settings = Settings(cache_path=work / f"{name}.sqlite")
        built.append(build_bundle(tiny_sample_dir, work / name, settings, encoder=real_encoder, engine=engine))
    return built[0], built[1]


def test_a_bundle_built_on_ray_equals_the_local_one(both_builds: tuple[BuildResult, BuildResult]) -> None:
    local, remote = both_builds
    assert remote.report["documents_encoded"] == local.report["documents_encoded"] > 100  # encoded on the actors
    assert remote.report["terms_encoded"] == local.report["terms_encoded"] > 100
    got, want = (pl.read_parquet(b.bundle / "creators.parquet") for b in (remote, local))
    assert_same_features(got.drop(EMBEDDED), want.drop(EMBEDDED))
    # Niche focus comes from the vectors, which two encoder processes may round differently in the last bits.
    assert_frame_equal(got.select(EMBEDDED), want.select(EMBEDDED), check_exact=False, rel_tol=0, abs_tol=1e-5)
    for vectors in ("creator_vectors.npy", "term_vectors.npy"):
        got, want = np.load(remote.bundle / vectors), np.load(local.bundle / vectors)
        assert got.shape == want.shape and np.allclose(got, want, atol=1e-5), vectors
    manifests = [json.loads((b.bundle / "manifest.json").read_text()) for b in (local, remote)]
    assert manifests[1]["index_factory"] == manifests[0]["index_factory"] == "Flat"
    assert {k: v for k, v in manifests[1].items() if k not in PER_BUILD} == \
        {k: v for k, v in manifests[0].items() if k not in PER_BUILD}
    assert set(manifests[1]["files"]) == set(manifests[0]["files"])
    assert Manifest.read(remote.bundle).creators == 120


def test_features_are_the_same_however_the_creators_are_partitioned(small_sample_dir: Path,
                                                                     ray_engine: RayEngine) -> None:
    dataset = load_dataset(small_sample_dir)
    creators = dataset.creators.sort("creator_id")
    posts = bundle_posts(dataset.posts, creators)
    settings = Settings()
    local = LocalEngine().features(creators, posts, dataset, settings)
    # 13 partitions of ~62 creators: every tier group is split across tasks, so only the second pass can rank it.
    with RayEngine(settings=settings, partitions=13) as engine:
        assert_same_features(engine.features(creators, posts, dataset, settings), local)
    assert_same_features(ray_engine.features(creators, posts, dataset, settings), local)


def test_embedding_on_actors_fills_the_cache_and_reports_progress(ray_engine: RayEngine, tmp_path: Path) -> None:
    texts = [f"post number {i % 700} about sourdough" for i in range(1000)]
    encoder = FakeEncoder()  # not built from settings: the actors receive this object
    cache = EmbeddingCache(tmp_path / "cache.sqlite", encoder.weights_sha256, encoder.dimension)
    seen: list[int] = []
    vectors, encoded = ray_engine.encode(encoder, texts, cache, progress=seen.append)
    want, _ = encode_cached(FakeEncoder(), texts, None)
    assert encoded == 700 and sum(seen) == 700 and np.array_equal(vectors, want)
    assert encoder.calls == 0  # every text was encoded on the actors, none here
    again, encoded = ray_engine.encode(encoder, texts[:10], cache)
    assert encoded == 0 and np.array_equal(again, want[:10])
    cache.close()


def test_shortlists_on_ray_equal_the_local_ones(both_builds: tuple[BuildResult, BuildResult], tiny_sample_dir: Path,
                                               real_encoder: Encoder, ray_engine: RayEngine, tmp_path: Path) -> None:
    bundle = both_builds[0].bundle
    brands = next(tiny_sample_dir.glob("brands.*"))
    settings = Settings()
    # A cap of one shortlist per creator over 120 creators: later brands pass over most of their first candidates,
    # so the actors are asked to rank them deeper.
    options = {"limit": 5, "max_per_creator": 1, "batch_size": 4}
    local = run_shortlist_file(brands, tmp_path / "local.parquet",
                               Ranker(load_bundle(bundle, real_encoder), real_encoder, settings), **options)
    on_ray = RayBrandRanker(ray_engine, bundle, settings)
    try:
        remote = run_shortlist_file(brands, tmp_path / "ray.parquet", on_ray, **options)
    finally:
        on_ray.close()
    got, want = (pl.read_parquet(tmp_path / f"{name}.parquet") for name in ("ray", "local"))
    assert remote.rows == local.rows == want.height > 5 * 10 and remote.rejected == local.rejected
    assert want.get_column("creator_id").is_unique().all()  # the cap held
    assert got.drop("score").equals(want.drop("score"))  # same creators, ranks, components and reasons
    assert np.allclose(got.get_column("score").to_numpy(), want.get_column("score").to_numpy(), atol=1e-5)


def test_shortlists_on_ray_refuse_a_missing_bundle_in_one_line(ray_engine: RayEngine, tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="no-bundle"):
        RayBrandRanker(ray_engine, tmp_path / "no-bundle", Settings())


def test_workers_that_cannot_load_the_model_say_why(real_encoder: Encoder, tmp_path: Path,
                                                    ray_engine: RayEngine) -> None:
    assert ray_engine.cpus == 2
    with RayEngine(settings=Settings(model_path=tmp_path / "no-model")) as engine, \
            pytest.raises(EncoderError, match=r"^on a Ray worker: .*no-model: no weight file"):
        engine.encode(real_encoder, ["dog toys"], None)


def test_an_address_that_cannot_be_reached_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import ray

    monkeypatch.setattr(ray, "is_initialized", lambda: False)  # as in a fresh process
    with pytest.raises(EngineError, match=r"^cannot reach the Ray cluster at 127\.0\.0\.1:1: "):
        RayEngine("127.0.0.1:1")
    with pytest.raises(EngineError, match=r"^nonsense: not a Ray address; use auto, HOST:PORT or ray://HOST:PORT$"):
        RayEngine("nonsense")


def test_build_on_ray_without_ray_installed_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import training.engine_ray
    from cli.main import main

    monkeypatch.setattr(training.engine_ray, "ray_available", lambda: False)
    monkeypatch.setattr(sys, "argv", ["creatormatch", "build", "--data", str(tmp_path), "--engine", "ray"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    assert capsys.readouterr().err == "error: ray is not installed: pip install -e '.[ray]'\n"


def test_the_shortlist_command_ranks_on_ray(both_builds: tuple[BuildResult, BuildResult], tiny_sample_dir: Path,
                                            ray_engine: RayEngine, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from cli.main import main

    assert ray_engine.cpus == 2  # the module's Ray is up: the command connects to it instead of starting one
    out = tmp_path / "shortlists.csv"
    monkeypatch.setattr(sys, "argv", ["creatormatch", "shortlist", "--brands", str(next(tiny_sample_dir.glob(
        "brands.*"))), "--out", str(out), "--limit", "3", "--bundle", str(both_builds[1].bundle), "--engine", "ray"])
    with pytest.raises(SystemExit) as exited:
        main()
    printed = capsys.readouterr()
    assert exited.value.code in (0, None), printed.err
    brands = pl.read_parquet(next(tiny_sample_dir.glob("brands.*"))).height
    assert f"{brands} brands shortlisted ({3 * brands} rows) into {out}" in printed.out
    assert pl.read_csv(out).height == 3 * brands
