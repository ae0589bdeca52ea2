"""Bundle integrity: checksums written at build and checked at load, clean errors for damaged files and manifests,
and the marks that keep a served bundle from being pruned."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from creatormatch.bundle import (
    CURRENT,
    SERVING_PREFIX,
    list_bundles,
    load_bundle,
    mark_serving,
    prune_bundles,
    served_bundles,
    staged_bundle,
    unmark_serving,
    verify_bundle,
    verify_files,
)
from creatormatch.encoder import Encoder
from creatormatch.manifest import MANIFEST, BundleError, Manifest


@pytest.fixture
def bundle_copy(real_bundle: Path, tmp_path: Path) -> Path:
    """A private copy of the session's real bundle, to damage."""
    copy = tmp_path / real_bundle.name
    shutil.copytree(real_bundle, copy)
    return copy


def rewrite_manifest(bundle: Path, **changes: object) -> None:
    manifest = json.loads((bundle / MANIFEST).read_text())
    for name, value in changes.items():
        if value is None:
            manifest.pop(name, None)
        else:
            manifest[name] = value
    (bundle / MANIFEST).write_text(json.dumps(manifest))


def flip_a_byte(path: Path, offset: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_the_build_records_the_sha256_of_every_file(real_bundle: Path) -> None:
    files = json.loads((real_bundle / MANIFEST).read_text())["files"]
    on_disk = {p.relative_to(real_bundle).as_posix() for p in real_bundle.rglob("*") if p.is_file()} - {MANIFEST}
    assert set(files) == on_disk and any(name.startswith("lexical/") for name in files)
    for name, digest in files.items():
        assert hashlib.sha256((real_bundle / name).read_bytes()).hexdigest() == digest, name
    assert verify_bundle(real_bundle).problems == []


@pytest.mark.parametrize("name", ["index.faiss", "creators.parquet", "lexical/tokens.parquet"])
def test_a_file_changed_after_the_build_is_refused_naming_it(bundle_copy: Path, real_encoder: Encoder,
                                                             name: str) -> None:
    flip_a_byte(bundle_copy / name)
    with pytest.raises(BundleError) as refused:
        load_bundle(bundle_copy, real_encoder)
    assert refused.value.reason.startswith(f"{name}: sha256 ") and "changed or was damaged" in refused.value.reason
    assert str(bundle_copy) not in refused.value.reason  # the reason is for the API: no absolute path
    assert verify_bundle(bundle_copy).problems == [refused.value.reason]


def test_a_missing_file_is_named(bundle_copy: Path) -> None:
    (bundle_copy / "lexical" / "params.index.json").unlink()
    with pytest.raises(BundleError, match=r"lexical/params.index.json: missing \(the manifest lists it\)"):
        load_bundle(bundle_copy)
    (bundle_copy / "index.faiss").unlink()
    with pytest.raises(BundleError, match="incomplete bundle, missing index.faiss"):
        load_bundle(bundle_copy)


@pytest.mark.parametrize(("name", "kind"), [
    ("index.faiss", "a FAISS index"), ("creator_vectors.npy", "a NumPy array"), ("posts.arrow", "an Arrow table"),
    ("post_terms/indices.npy", "a sparse matrix"), ("lexical/data.csc.index.npy", "a BM25 index"),
])
def test_a_damaged_file_in_a_bundle_without_checksums_is_named_without_library_internals(
        bundle_copy: Path, name: str, kind: str) -> None:
    rewrite_manifest(bundle_copy, files=None)  # as bundles built before checksums were recorded
    path = bundle_copy / name
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])  # truncated, as by a full disk
    with pytest.raises(BundleError) as refused:
        load_bundle(bundle_copy)
    reason = refused.value.reason
    shown = name.split("/")[0]  # a file inside a folder (post_terms/, lexical/) is named by its folder
    assert reason == f"{shown}: cannot be read as {kind} (damaged, or not written by creatormatch build)"
    assert str(bundle_copy) in str(refused.value)  # the command line says which folder


@pytest.mark.parametrize(("name", "damage"), [
    ("indices", lambda a: np.where(np.arange(a.size) == a.size // 2, 10**6, a)),  # a term past the last
    ("indices", lambda a: np.where(np.arange(a.size) == 3, -5, a)),
    ("indptr", lambda a: np.where(np.arange(a.size) == a.size // 2, 0, a)),  # rows going backwards
    ("data", lambda a: np.where(np.arange(a.size) == 7, np.nan, a)),
])
def test_post_term_arrays_that_would_read_out_of_bounds_are_refused(
        bundle_copy: Path, name: str, damage: Callable[[np.ndarray], np.ndarray]) -> None:
    """Damage that keeps a valid .npy (and, on a bundle already verified, its size and time, so the remembered
    checksum is not redone) used to crash the process in scipy: a segmentation fault, a corrupted heap."""
    rewrite_manifest(bundle_copy, files=None)
    path = bundle_copy / "post_terms" / f"{name}.npy"
    array = np.load(path)
    np.save(path, damage(array).astype(array.dtype))
    with pytest.raises(BundleError, match=r"post_terms: cannot be read as a sparse matrix"):
        load_bundle(bundle_copy)


def test_a_bundle_without_checksums_still_loads(bundle_copy: Path, real_encoder: Encoder,
                                                caplog: pytest.LogCaptureFixture) -> None:
    rewrite_manifest(bundle_copy, files=None)
    with caplog.at_level("INFO", logger="creatormatch.bundle"):
        bundle = load_bundle(bundle_copy, real_encoder)
    assert bundle.manifest.files == {} and bundle.manifest.creators == 800
    assert "has no checksums" in caplog.text
    assert verify_bundle(bundle_copy).files_checked == 0


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe{}", "not UTF-8 text (byte 0xff at offset 0)"),
    (b"{\"version\": ", "not JSON (Expecting value at line 1, column 13)"),
    (b"[1, 2]", "expected a JSON object, found an array"),
    (json.dumps({"version": "v"}).encode(),
     "missing field 'model_name', 'model_weights_sha256', 'dimension' and 12 more"),
])
def test_a_malformed_manifest_is_one_clean_error(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / MANIFEST).write_bytes(content)
    with pytest.raises(BundleError) as refused:
        Manifest.read(tmp_path)
    assert refused.value.reason == f"{MANIFEST}: malformed manifest: {message}"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("creators", "800", "field 'creators' should be an integer, found '800' (a string)"),
    ("index_nprobe", 2.5, "field 'index_nprobe' should be an integer or null, found 2.5 (a number)"),
    ("creators", True, "field 'creators' should be an integer, found true (a boolean)"),
    ("files", {"../../etc/passwd": "0" * 64}, "files: '../../etc/passwd' is not a file inside the bundle"),
    ("files", {"index.faiss": "abc"}, "files: the checksum of 'index.faiss' is not a sha256 (64 hex digits)"),
    ("colour", "red", "unknown field 'colour' (built by a newer creatormatch?)"),
    ("encoder_precision", "int4", "encoder_precision should be fp32 or int8, found 'int4'"),
])
def test_a_manifest_field_of_the_wrong_type_is_named(bundle_copy: Path, field: str, value: object,
                                                     message: str) -> None:
    rewrite_manifest(bundle_copy, **{field: value})
    with pytest.raises(BundleError) as refused:
        load_bundle(bundle_copy)
    assert refused.value.reason == f"{MANIFEST}: malformed manifest: {message}"


def test_an_fp32_manifest_leaves_out_encoder_precision_so_earlier_releases_read_it(bundle_copy: Path) -> None:
    """Releases before the field refuse unknown fields: an fp32 bundle does not write it, an int8 one must."""
    manifest = Manifest.read(bundle_copy)
    assert manifest.encoder_precision == "fp32" and "encoder_precision" not in json.loads(manifest.to_json())
    int8 = dataclasses.replace(manifest, encoder_precision="int8")
    assert json.loads(int8.to_json())["encoder_precision"] == "int8"
    (bundle_copy / MANIFEST).write_text(int8.to_json())
    assert Manifest.read(bundle_copy).encoder_precision == "int8"


def test_a_deleted_bundle_folder_is_named(tmp_path: Path) -> None:
    os.symlink("gone", tmp_path / CURRENT)
    with pytest.raises(BundleError, match="no such bundle folder") as refused:
        load_bundle(tmp_path / CURRENT)
    assert refused.value.public == "gone: no such bundle folder"


def make(root: Path, version: str) -> None:
    with staged_bundle(root, version) as staging:
        (staging / MANIFEST).write_text("{}")


def dead_pid() -> int:
    """The id of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


def test_prune_never_removes_a_bundle_a_live_process_serves(tmp_path: Path) -> None:
    for version in ("v1", "v2", "v3", "v4"):
        make(tmp_path, version)
    mark = mark_serving(tmp_path / "v1")  # this process serves v1, which is no longer current
    assert mark is not None and mark.name == f"{SERVING_PREFIX}{os.getpid()}-v1"
    stale = tmp_path / f"{SERVING_PREFIX}{dead_pid()}-v2"  # a service that was killed before it could clean up
    stale.write_text(socket.gethostname() + "\n")
    assert served_bundles(tmp_path) == {"v1"} and not stale.exists()
    removed = prune_bundles(tmp_path, keep=1)
    assert sorted(p.name for p in removed) == ["v2", "v3"]
    assert [p.name for p in list_bundles(tmp_path)] == ["v1", "v4"]
    unmark_serving(mark)
    assert [p.name for p in prune_bundles(tmp_path, keep=1)] == ["v1"]


def test_a_mark_from_another_host_is_kept(tmp_path: Path) -> None:
    make(tmp_path, "v1")
    make(tmp_path, "v2")
    (tmp_path / f"{SERVING_PREFIX}{dead_pid()}-v1").write_text("some-other-host\n")  # its process cannot be checked
    assert prune_bundles(tmp_path, keep=1) == []


def test_a_folder_that_cannot_be_written_serves_unmarked(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Where no mark can be written (a read-only volume; here a parent that is a file, which fails even for root).
    not_a_folder = tmp_path / "parent"
    not_a_folder.write_text("")
    with caplog.at_level("WARNING", logger="creatormatch.bundle"):
        assert mark_serving(not_a_folder / "v1") is None
    assert "cannot mark bundle v1 as served" in caplog.text


def test_a_load_hashes_each_file_once_and_rehashes_a_file_that_changed(
        bundle_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import creatormatch.bundle as bundle_module

    hashed: list[str] = []
    real_sha256 = bundle_module.file_sha256

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return real_sha256(path)

    monkeypatch.setattr(bundle_module, "file_sha256", counting)
    manifest = Manifest.read(bundle_copy)
    verify_files(bundle_copy, manifest)
    assert len(hashed) == len(manifest.files)
    hashed.clear()
    verify_files(bundle_copy, manifest)  # unchanged since: nothing hashed again
    assert hashed == []
    # A file rewritten after the build (new mtime) is hashed again and refused.
    target = bundle_copy / "rejects.csv"
    target.write_text(target.read_text() + "x\n")
    with pytest.raises(BundleError, match="rejects.csv: sha256"):
        verify_files(bundle_copy, manifest)
    assert hashed == ["rejects.csv"]
    # `creatormatch verify` hashes everything, whatever the memo says.
    hashed.clear()
    assert verify_bundle(bundle_copy).problems and len(hashed) == len(manifest.files)


def test_a_format_3_bundle_still_loads_unstemmed_and_an_unknown_format_is_refused(
        bundle_copy: Path, real_encoder: Encoder) -> None:
    # Format 3 is what builds wrote before the keyword index was stemmed: its params name no stemmer.
    params_path = bundle_copy / "lexical" / "params.index.json"
    params = json.loads(params_path.read_text())
    assert params.pop("stemmer") == "english"
    params_path.write_text(json.dumps(params))
    files = json.loads((bundle_copy / MANIFEST).read_text())["files"]
    files["lexical/params.index.json"] = hashlib.sha256(params_path.read_bytes()).hexdigest()
    rewrite_manifest(bundle_copy, format_version=3, files=files)
    old = load_bundle(bundle_copy, real_encoder)
    assert old.lexical is not None and old.lexical.stems is None
    rewrite_manifest(bundle_copy, format_version=2)
    with pytest.raises(BundleError, match="bundle format 2, this code reads 3 and 4; rebuild the bundle"):
        load_bundle(bundle_copy, real_encoder)
