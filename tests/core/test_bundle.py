"""The atomic bundle write: nothing changes unless the build completes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from creatormatch.bundle import CURRENT, clean_stale_temporaries, list_bundles, prune_bundles, staged_bundle
from creatormatch.manifest import MANIFEST, BundleError, Manifest


def make(root: Path, version: str) -> None:
    with staged_bundle(root, version) as staging:
        (staging / MANIFEST).write_text("{}")


def test_success_renames_into_place_and_moves_current(tmp_path: Path) -> None:
    make(tmp_path, "v1")
    make(tmp_path, "v2")
    assert os.readlink(tmp_path / CURRENT) == "v2"
    assert [p.name for p in list_bundles(tmp_path)] == ["v1", "v2"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_failure_leaves_nothing_and_keeps_current(tmp_path: Path) -> None:
    make(tmp_path, "v1")
    with pytest.raises(RuntimeError), staged_bundle(tmp_path, "v2") as staging:
        (staging / "half.bin").write_bytes(b"x")
        raise RuntimeError("disk full")
    assert os.readlink(tmp_path / CURRENT) == "v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == [CURRENT, "v1"]


def test_existing_bundle_is_never_overwritten(tmp_path: Path) -> None:
    make(tmp_path, "v1")
    with pytest.raises(BundleError, match="already exists"), staged_bundle(tmp_path, "v1"):
        pass


def test_leftovers_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / ".tmp-v9-999999999"
    dead.mkdir()
    clean_stale_temporaries(tmp_path)
    assert not dead.exists()


def test_prune_keeps_newest_and_current(tmp_path: Path) -> None:
    for version in ("v1", "v2", "v3", "v4"):
        make(tmp_path, version)
    os.remove(tmp_path / CURRENT)
    os.symlink("v1", tmp_path / CURRENT)
    removed = prune_bundles(tmp_path, keep=2)
    assert sorted(p.name for p in removed) == ["v2"]
    assert [p.name for p in list_bundles(tmp_path)] == ["v1", "v3", "v4"]


def test_a_prune_cut_short_leaves_no_half_deleted_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An old bundle leaves the listing in one rename before its files go: an interrupt in the deletion leaves a
    `.tmp-` folder the next build removes (it used to leave a folder with its manifest and part of its files)."""
    for version in ("v1", "v2", "v3"):
        make(tmp_path, version)
    deleting: list[Path] = []

    def interrupted(path: Path, ignore_errors: bool = False) -> None:  # noqa: ARG001
        deleting.append(path)
        raise KeyboardInterrupt

    monkeypatch.setattr("creatormatch.bundle.shutil.rmtree", interrupted)
    with pytest.raises(KeyboardInterrupt):
        prune_bundles(tmp_path, keep=1)
    assert [p.name for p in list_bundles(tmp_path)] == ["v2", "v3"]
    assert len(deleting) == 1 and deleting[0].name.startswith(".tmp-pruned-v1-") and deleting[0].is_dir()
    monkeypatch.undo()
    os.rename(deleting[0], tmp_path / ".tmp-pruned-v1-999999999")  # as left by a process that has ended
    clean_stale_temporaries(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [CURRENT, "v2", "v3"]


def test_reading_a_folder_that_is_not_a_bundle(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="not a bundle"):
        Manifest.read(tmp_path)
    (tmp_path / MANIFEST).write_text("{not json")
    with pytest.raises(BundleError, match="malformed manifest"):
        Manifest.read(tmp_path)
