"""The offline build: the bundle it writes, the cache, bad input, and builds that fail or are killed halfway."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from creatormatch.bundle import CURRENT, list_bundles, load_bundle
from creatormatch.config import Settings
from creatormatch.encoder import Encoder
from creatormatch.manifest import BundleError, Manifest
from tests.conftest import FakeEncoder
from training.build import InterruptedAfterWrite, build_bundle, build_features

ROOT = Path(__file__).resolve().parents[2]


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file in a bundle, subfolders included."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_bundle_holds_manifest_tables_and_index(real_bundle: Path, small_sample_dir: Path) -> None:
    manifest = Manifest.read(real_bundle)
    creators_in = pl.read_parquet(small_sample_dir / "creators.parquet")
    assert manifest.creators == creators_in.height
    assert manifest.model_weights_sha256 == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    assert manifest.dimension == 384 and manifest.index_factory == "Flat" and manifest.recall_at_10 == 1.0
    assert len(manifest.data_sha256) == 64 and manifest.code_version
    creators = pl.read_parquet(real_bundle / "creators.parquet")
    for column in ("creator_id", "platform", "followers", "tier", "engagement_rate", "engagement_vs_tier",
                   "comments_to_likes", "days_since_last_post", "disclosure_rate", "interactive_share",
                   "repeat_partnerships", "max_follower_jump", "niche_focus"):
        assert column in creators.columns, column
    assert creators.get_column("creator_id").to_list() == sorted(creators_in.get_column("creator_id").to_list())
    vectors = np.load(real_bundle / "creator_vectors.npy")
    assert vectors.shape == (creators.height, 384)
    report = json.loads((real_bundle / "build_report.json").read_text())
    assert report["files"]["creators"] == {"read": creators.height, "kept": creators.height, "rejected": 0}
    assert (real_bundle.parent / CURRENT).resolve() == real_bundle.resolve()


def test_label_files_are_never_read(real_bundle: Path, small_sample_dir: Path) -> None:
    inputs = {"creators.parquet", "posts.parquet", "follower_samples.parquet", "follower_history.parquet",
              "brands.parquet"}
    digest = hashlib.sha256()
    for name in sorted(inputs):
        digest.update(name.encode())
        digest.update((small_sample_dir / name).read_bytes())
    assert Manifest.read(real_bundle).data_sha256 == digest.hexdigest()


def test_creator_vectors_put_the_right_niche_first(real_bundle: Path, small_sample_dir: Path,
                                                    real_encoder: Encoder) -> None:
    creators = pl.read_parquet(real_bundle / "creators.parquet").select("creator_id")
    labels = creators.join(pl.read_parquet(small_sample_dir / "labels.parquet"), on="creator_id", how="left")
    vectors = np.load(real_bundle / "creator_vectors.npy")
    queries = {"baking": "sourdough bread and pastry baking at home",
               "running": "marathon training and trail running shoes",
               "personal_finance": "budgeting, investing and saving money"}
    for niche, query in queries.items():
        top = np.argsort(-(vectors @ real_encoder.encode([query])[0]))[:10]
        niches = labels[top.tolist()].get_column("primary_niche").to_list()
        assert niches.count(niche) >= 8, (niche, niches)


def test_posts_are_grouped_by_creator_for_evidence(real_bundle: Path) -> None:
    loaded = load_bundle(real_bundle)
    row = loaded.creators.row(5, named=True)
    assert "post_start" not in loaded.creators.columns  # bookkeeping stays out of the public table
    mine = pl.from_arrow(loaded.posts.slice(int(loaded.post_start[5]), int(loaded.post_rows[5])))
    assert isinstance(mine, pl.DataFrame)
    assert set(mine.get_column("creator_id").to_list()) == {row["creator_id"]}
    assert mine.get_column("posted_at").is_sorted(descending=True)


def test_rebuild_reembeds_only_what_changed(sample_copy: Path, settings: Settings, fake_encoder: FakeEncoder,
                                            tmp_path: Path) -> None:
    first = build_bundle(sample_copy, tmp_path / "indexes", settings, encoder=fake_encoder)
    assert first.report["bios_encoded"] > 0 and first.report["terms_encoded"] > 0
    again = build_bundle(sample_copy, tmp_path / "indexes", settings, encoder=fake_encoder)
    assert again.report["bios_encoded"] == 0 and again.report["terms_encoded"] == 0
    assert np.array_equal(np.load(first.bundle / "creator_vectors.npy"), np.load(again.bundle / "creator_vectors.npy"))
    creators = pl.read_parquet(sample_copy / "creators.parquet")
    creators = creators.with_columns(
        pl.when(pl.col("creator_id") == creators.item(0, "creator_id")).then(pl.lit("Brand new bio about kayaks"))
        .otherwise(pl.col("bio")).alias("bio"))
    creators.write_parquet(sample_copy / "creators.parquet")
    third = build_bundle(sample_copy, tmp_path / "indexes", settings, encoder=fake_encoder)
    assert third.report["bios_encoded"] == 1 and third.report["terms_encoded"] == 0
    assert third.manifest.data_sha256 != first.manifest.data_sha256


def test_a_build_that_fails_while_writing_leaves_the_previous_bundle(sample_copy: Path, settings: Settings,
                                                                    fake_encoder: FakeEncoder, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "indexes"
    good = build_bundle(sample_copy, root, settings, encoder=fake_encoder).bundle
    before = tree_digest(good)

    def interrupted(index: object, path: Path) -> None:  # noqa: ARG001
        path.write_bytes(b"half an index")
        raise KeyboardInterrupt

    monkeypatch.setattr("training.build.write_index", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_bundle(sample_copy, root, settings, encoder=fake_encoder)
    assert list_bundles(root) == [good]
    assert (root / CURRENT).resolve() == good.resolve()
    assert tree_digest(good) == before
    assert sorted(p.name for p in root.iterdir()) == sorted([CURRENT, good.name])


def test_an_output_folder_that_cannot_hold_bundles_is_named(sample_copy: Path, settings: Settings,
                                                             fake_encoder: FakeEncoder, tmp_path: Path) -> None:
    """It used to be an internal error (FileExistsError, NotADirectoryError) from inside the build."""
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    for out in (a_file, a_file / "indexes"):
        with pytest.raises(BundleError, match=r"cannot write bundles there \(") as refused:
            build_bundle(sample_copy, out, settings, encoder=fake_encoder)
        assert str(out) in str(refused.value)


def test_an_interrupt_while_old_bundles_are_removed_says_the_new_one_is_in_place(
        sample_copy: Path, settings: Settings, fake_encoder: FakeEncoder, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "indexes"
    build_bundle(sample_copy, root, settings, encoder=fake_encoder)

    def interrupted(root: Path, keep: int) -> None:  # noqa: ARG001
        raise KeyboardInterrupt

    monkeypatch.setattr("training.build.prune_bundles", interrupted)
    with pytest.raises(InterruptedAfterWrite) as stopped:
        build_bundle(sample_copy, root, settings, encoder=fake_encoder)
    assert (root / CURRENT).resolve() == stopped.value.bundle.resolve()
    assert len(list_bundles(root)) == 2
    load_bundle(stopped.value.bundle, fake_encoder)


def test_a_build_killed_halfway_leaves_the_previous_bundle_untouched(sample_copy: Path, tmp_path: Path) -> None:
    root = tmp_path / "indexes"
    settings = Settings(cache_path=tmp_path / "cache.sqlite")
    good = build_bundle(sample_copy, root, settings, encoder=FakeEncoder()).bundle
    before = tree_digest(good)
    # A child process starts a build and is killed (SIGKILL, no clean-up) while writing the index.
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        import training.build as build
        from creatormatch.config import Settings
        from tests.conftest import FakeEncoder

        def killed(index, path):
            path.write_bytes(b"half an index")
            os.kill(os.getpid(), signal.SIGKILL)

        build.write_index = killed
        build.build_bundle(Path({str(sample_copy)!r}), Path({str(root)!r}),
                           Settings(cache_path=Path({str(tmp_path / "cache.sqlite")!r})), encoder=FakeEncoder())
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == -9, done.stderr
    leftovers = [p for p in root.iterdir() if p.name.startswith(".tmp-")]
    # The half-written bundle and the build's work folder, both temporary.
    staging = [p for p in leftovers if (p / "index.faiss").is_file()]
    assert len(leftovers) == 2 and len(staging) == 1
    assert (staging[0] / "index.faiss").read_bytes() == b"half an index"
    assert list_bundles(root) == [good] and (root / CURRENT).resolve() == good.resolve()
    assert tree_digest(good) == before
    # The next build clears the leftovers and succeeds.
    newer = build_bundle(sample_copy, root, settings, encoder=FakeEncoder()).bundle
    assert not [p for p in root.iterdir() if p.name.startswith(".tmp-")]
    assert (root / CURRENT).resolve() == newer.resolve()


def test_features_table_matches_the_bundle(sample_copy: Path, settings: Settings, fake_encoder: FakeEncoder,
                                           tmp_path: Path) -> None:
    table = build_features(sample_copy, settings, encoder=fake_encoder)
    bundle = build_bundle(sample_copy, tmp_path / "indexes", settings, encoder=fake_encoder).bundle
    in_bundle = pl.read_parquet(bundle / "creators.parquet")
    assert table.equals(in_bundle)


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


def test_cli_reports_bad_input_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "creators.csv").write_text("creator_id,followers\nc1,10\n")
    (data / "posts.csv").write_text("post_id,creator_id,caption\np1,c1,hi\n")
    done = cli("build", "--data", str(data), "--out", str(tmp_path / "indexes"), cwd=tmp_path,
               env={"CREATORMATCH_CACHE_PATH": str(tmp_path / "cache.sqlite")})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == ("error: creators.csv: column 'platform': required column is "
                                                    "missing (required: creator_id, platform)")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "indexes").exists() or not any((tmp_path / "indexes").iterdir())


def test_cli_rejects_a_bad_setting(tmp_path: Path) -> None:
    done = cli("build", "--data", str(tmp_path), cwd=tmp_path, env={"CREATORMATCH_BATCH_SIZE": "0"})
    assert done.returncode == 2
    assert "error: invalid setting: CREATORMATCH_BATCH_SIZE: Value error, must be >= 1" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_strict_fails_on_a_rejected_row(sample_copy: Path, tmp_path: Path) -> None:
    posts = pl.read_parquet(sample_copy / "posts.parquet")
    posts = posts.with_columns(pl.when(pl.int_range(pl.len()) == 3).then(-1).otherwise(pl.col("likes"))
                               .alias("likes"))
    posts.write_parquet(sample_copy / "posts.parquet")
    done = cli("build", "--data", str(sample_copy), "--out", str(tmp_path / "indexes"), "--strict", cwd=tmp_path,
               env={"CREATORMATCH_CACHE_PATH": str(tmp_path / "cache.sqlite")})
    assert done.returncode == 2
    assert "posts.parquet: 1 row(s) rejected and --strict is set; first: row 4" in done.stderr
    assert "likes must be >= 0" in done.stderr
