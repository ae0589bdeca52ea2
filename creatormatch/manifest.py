"""A bundle's manifest and file names: reading manifest.json checked field by field, and checking it against the
model that will embed the queries. Kept apart from creatormatch.bundle, which needs polars, FAISS and Arrow to load
the rest: a command reads the manifest and starts loading the model before it imports those.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Union, get_args, get_origin, get_type_hints

# 2: creator documents in the vectors; post offsets no longer in creators.parquet (derived from posts at load).
# 3: posts in Arrow IPC, post terms and the keyword index as memory-mapped arrays, IVF-PQ re-ranked past 200k.
# 4: keyword index tokens stemmed (its params name the stemmer). Code that reads only 3 would search a format-4
#    index with unstemmed words and miss silently, so the number changes; format 3 is still read (no stemmer).
FORMAT_VERSION = 4
READABLE_FORMATS = (3, 4)
PRECISIONS = ("fp32", "int8")  # what encoder_precision may say
MANIFEST = "manifest.json"
INDEX_FILE = "index.faiss"
CREATOR_VECTORS = "creator_vectors.npy"
CREATORS_FILE = "creators.parquet"
POSTS_FILE = "posts.arrow"  # Arrow IPC, uncompressed: memory-mapped, a response reads only its posts
POST_TERMS = "post_terms"  # a folder: the CSR arrays of the posts x terms weights, memory-mapped
POST_TERMS_FILES = ("data.npy", "indices.npy", "indptr.npy")
TERMS_FILE = "terms.parquet"
TERM_VECTORS = "term_vectors.npy"
REJECTS_FILE = "rejects.csv"
REPORT_FILE = "build_report.json"
REQUIRED_FILES = (INDEX_FILE, CREATOR_VECTORS, CREATORS_FILE, POSTS_FILE,
                  *(f"{POST_TERMS}/{name}" for name in POST_TERMS_FILES), TERMS_FILE, TERM_VECTORS, REJECTS_FILE,
                  REPORT_FILE)
_SHA256 = re.compile(r"[0-9a-f]{64}")


class BundleError(Exception):
    """A bundle is missing, incomplete, damaged, or does not match what the service loaded.

    `reason` names files by their place in the bundle (`index.faiss`, `lexical/vocab.index.json`) and holds no
    absolute path and no library internals: the service shows it in /readyz and in its answers. `str()` puts the
    bundle folder in front, for the command line.
    """

    def __init__(self, reason: str, bundle: Path | None = None) -> None:
        super().__init__(f"{bundle}: {reason}" if bundle is not None else reason)
        self.reason = reason
        self.bundle = bundle

    @property
    def public(self) -> str:
        """The error as the API shows it: the bundle's folder name (its version), then the reason."""
        return f"{self.bundle.name}: {self.reason}" if self.bundle is not None else self.reason


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
    # How this build encoded: "onnx" (with the sha256 of the graph that ran: the export, or its int8 model) or
    # "torch"; cached vectors of either fp32 backend agree to cosine 0.9999, so a bundle is served by either.
    encoder_backend: str = ""
    model_onnx_sha256: str = ""
    # The precision the vectors were embedded in: "fp32", or "int8" (build_precision; within cosine 0.99 of fp32,
    # so either query precision serves it), when model_onnx_sha256 is the int8 model's. Written only for int8, so
    # that the releases before it still read fp32 bundles (they refuse unknown fields); absent means fp32.
    encoder_precision: str = "fp32"
    # sha256 of every file but the manifest, by its path in the bundle ("lexical/params.index.json"); checked
    # at load. Empty in bundles built before checksums were recorded (they load, unverified, with a log line).
    files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        fields = asdict(self)
        if fields["encoder_precision"] == "fp32":
            del fields["encoder_precision"]
        return json.dumps(fields, indent=2, sort_keys=True)

    @classmethod
    def read(cls, bundle_dir: Path) -> Manifest:
        """Read and check the manifest of a bundle folder.

        Raises:
            BundleError: no such folder, a missing or malformed manifest, a format this code does not read, or a
                required file missing.
        """
        if not bundle_dir.is_dir():
            raise BundleError("no such bundle folder" if not bundle_dir.exists() else "not a folder", bundle_dir)
        path = bundle_dir / MANIFEST
        if not path.is_file():
            raise BundleError(f"not a bundle (no {MANIFEST}); build one with `creatormatch build`", bundle_dir)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise BundleError(f"{MANIFEST}: cannot be read ({exc.strerror})", bundle_dir) from None
        manifest = _parse_manifest(raw, bundle_dir)
        if manifest.format_version not in READABLE_FORMATS:
            raise BundleError(f"bundle format {manifest.format_version}, this code reads "
                              f"{' and '.join(map(str, READABLE_FORMATS))}; rebuild the bundle", bundle_dir)
        missing = [name for name in REQUIRED_FILES if not (bundle_dir / name).is_file()]
        if missing:
            raise BundleError(f"incomplete bundle, missing {', '.join(missing)}", bundle_dir)
        return manifest


_TYPE_WORDS = {str: "a string", int: "an integer", float: "a number", dict: "an object", type(None): "null"}


def _parse_manifest(raw: bytes, bundle_dir: Path) -> Manifest:
    """The manifest from the bytes of manifest.json, each field checked for its type.

    Raises:
        BundleError: not UTF-8, not JSON, not an object, a field missing, unknown or of the wrong type.
    """
    def malformed(what: str) -> BundleError:
        return BundleError(f"{MANIFEST}: malformed manifest: {what}", bundle_dir)

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise malformed(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise malformed(f"not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise malformed(f"expected a JSON object, found {_json_kind(data)}")
    hints = get_type_hints(Manifest)
    unknown = sorted(set(data) - set(hints))
    if unknown:
        raise malformed(f"unknown field {', '.join(map(repr, unknown))} (built by a newer creatormatch?)")
    missing = [f.name for f in dataclasses.fields(Manifest) if f.name not in data
               and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    if missing:
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise malformed(f"missing field {', '.join(map(repr, missing[:3]))}{more}")
    for name, value in data.items():
        if not _has_type(value, hints[name]):
            raise malformed(f"field '{name}' should be {_describe(hints[name])}, found {_json_kind(value)}")
    if data.get("encoder_precision", "fp32") not in PRECISIONS:
        raise malformed(f"encoder_precision should be {' or '.join(PRECISIONS)}, found {data['encoder_precision']!r}")
    for name, digest in data.get("files", {}).items():
        inside = PurePosixPath(name)
        if inside.is_absolute() or ".." in inside.parts or not inside.parts or name == MANIFEST:
            raise malformed(f"files: {name!r} is not a file inside the bundle")
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise malformed(f"files: the checksum of {name!r} is not a sha256 (64 hex digits)")
    return Manifest(**data)


def _has_type(value: Any, hint: Any) -> bool:
    if get_origin(hint) in (Union, types.UnionType):
        return any(_has_type(value, option) for option in get_args(hint))
    expected = get_origin(hint) or hint
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected in _TYPE_WORDS:
        return isinstance(value, expected)
    return True  # Any


def _describe(hint: Any) -> str:
    if get_origin(hint) in (Union, types.UnionType):
        return " or ".join(_describe(option) for option in get_args(hint))
    return _TYPE_WORDS.get(get_origin(hint) or hint, "a value")


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    for kind, word in ((dict, "an object"), (list, "an array"), (type(None), "null")):
        if isinstance(value, kind):
            return word
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    return f"{shown} ({_TYPE_WORDS.get(type(value), 'a value')})"


def check_model_weights(path: Path, manifest: Manifest, weights_sha256: str, model_name: str) -> None:
    """Refuse a bundle built with other model weights than the ones about to embed the queries.

    Raises:
        BundleError: the weights differ, with what to do about it.
    """
    if weights_sha256 != manifest.model_weights_sha256:
        raise BundleError(
            f"built with model weights {manifest.model_weights_sha256[:12]}… ({manifest.model_name}) "
            f"but the model loaded here is {weights_sha256[:12]}… ({model_name}); "
            "set CREATORMATCH_MODEL_PATH to the bundle's model or rebuild the bundle", path)
