"""What every platform importer shares: the output tables' schemas, the rejects list, and the staged writer."""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from creatormatch.dataset import InputError, load_dataset

logger = logging.getLogger(__name__)

CREATORS_FILE = "creators.parquet"
POSTS_FILE = "posts.parquet"
LABELS_FILE = "labels.parquet"
REJECTS_FILE = "import_rejects.csv"
REPORT_FILE = "import_report.json"
OUTPUT_FILES: tuple[str, ...] = (CREATORS_FILE, POSTS_FILE, LABELS_FILE, REJECTS_FILE, REPORT_FILE)

# The contract's types (creatormatch/schemas.py), spelled out so an importer never depends on inference.
CREATOR_SCHEMA: dict[str, pl.DataType] = {
    "creator_id": pl.Utf8(), "handle": pl.Utf8(), "display_name": pl.Utf8(), "platform": pl.Utf8(),
    "bio": pl.Utf8(), "followers": pl.Int64(), "following": pl.Int64(), "posts_count": pl.Int64(),
    "country": pl.Utf8(), "language": pl.Utf8(), "categories": pl.List(pl.Utf8),
}
POST_SCHEMA: dict[str, pl.DataType] = {
    "post_id": pl.Utf8(), "creator_id": pl.Utf8(), "posted_at": pl.Datetime("us", "UTC"), "caption": pl.Utf8(),
    "title": pl.Utf8(), "tags": pl.List(pl.Utf8), "likes": pl.Int64(), "comments": pl.Int64(),
    "views": pl.Int64(), "format": pl.Utf8(), "is_sponsored": pl.Boolean(), "comments_sample": pl.List(pl.Utf8),
}
LABEL_SCHEMA: dict[str, pl.DataType] = {"creator_id": pl.Utf8(), "category_id": pl.Utf8(), "category": pl.Utf8()}
REJECT_SCHEMA: dict[str, pl.DataType] = {
    "file": pl.Utf8(), "line": pl.Int64(), "id": pl.Utf8(), "field": pl.Utf8(), "reason": pl.Utf8(),
}


@dataclass
class Rejects:
    """Input records set aside, each with where it was and why; written as import_rejects.csv."""

    rows: list[tuple[str, int | None, str | None, str, str]] = field(default_factory=list)

    def add(self, file: str, line: int | None, record_id: str | None, field_name: str, reason: str) -> None:
        """Set one record aside.

        Args:
            file: the input file's name.
            line: the physical line the record starts on (null when the format has no lines to point at).
            record_id: the record's id when it has one.
            field_name: the field at fault (empty when the whole record is).
            reason: what is wrong, in words a user can act on.
        """
        self.rows.append((file, line, record_id or None, field_name, reason))

    def __len__(self) -> int:
        return len(self.rows)

    def frame(self) -> pl.DataFrame:
        """The rejects as a frame with columns file, line, id, field, reason."""
        return pl.DataFrame(self.rows, schema=REJECT_SCHEMA, orient="row")


@dataclass
class ImportedTables:
    """An importer's output before it is written: contract tables, optional labels, rejects and the report."""

    creators: pl.DataFrame
    posts: pl.DataFrame
    labels: pl.DataFrame | None
    rejects: Rejects
    report: dict[str, Any]


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote, for the command line's summary and for tests."""

    platform: str
    out_dir: Path
    creators: int
    posts: int
    duplicates_merged: int
    rejected: int
    labels: int | None
    rows_read: Mapping[str, int]

    @property
    def rejects_path(self) -> Path:
        """The import_rejects.csv written next to the tables."""
        return self.out_dir / REJECTS_FILE


def frame_from_rows(rows: Sequence[Mapping[str, Any]], schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """A frame with exactly the schema's columns and types; keys missing from a row are null.

    Args:
        rows: one mapping per row.
        schema: column name to type.

    Returns:
        The frame, columns in the schema's order.
    """
    columns = {name: [row.get(name) for row in rows] for name in schema}
    return pl.DataFrame(columns, schema=dict(schema))


def check_out_dir(out_dir: Path) -> None:
    """Refuse an output folder that holds anything the importer would not write itself.

    Args:
        out_dir: the folder the import will replace.

    Raises:
        InputError: when out_dir is a file, or a folder with other files in it.
    """
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise InputError(str(out_dir), "output path exists and is not a folder")
    foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in OUTPUT_FILES or not p.is_file())
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise InputError(str(out_dir), f"output folder holds files the importer did not write ({shown}); "
                         "choose a new or empty folder")


def _sibling(out_dir: Path, purpose: str) -> Path:
    """A new hidden folder next to out_dir, `.NAME.PURPOSE-PID-RANDOM` (created with the usual permissions,
    unlike mkdtemp's 0700)."""
    while True:
        folder = out_dir.parent / f".{out_dir.name}.{purpose}-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder


def _recover_killed_import(out_dir: Path) -> None:
    """Tidy what an import killed outright (SIGKILL, power loss) left beside out_dir: a previous import held aside
    while the new one moved in goes back when out_dir is missing; the rest of its hidden folders are removed."""
    from creatormatch.bundle import process_alive

    for purpose in ("previous", "importing"):  # the held import first: it may be the only copy
        for folder in sorted(out_dir.parent.glob(f".{out_dir.name}.{purpose}-*")):
            pid = folder.name[len(f".{out_dir.name}.{purpose}-"):].split("-", 1)[0]
            if not folder.is_dir() or not pid.isdigit() or process_alive(int(pid)):
                continue
            held = folder / "previous"
            if purpose == "previous" and held.is_dir() and not out_dir.exists():
                held.replace(out_dir)
                logger.warning("%s: put back the import that a stopped run had moved aside", out_dir)
            shutil.rmtree(folder, ignore_errors=True)


def write_import(tables: ImportedTables, out_dir: Path) -> None:
    """Write the tables into a temporary sibling folder, check them against the contract, then swap it in.

    Nothing in out_dir changes unless every file was written and the creators and posts load with
    `load_dataset(strict=True)`; a previous import in out_dir is replaced as a whole.

    Args:
        tables: what the importer produced.
        out_dir: the output folder.

    Raises:
        InputError: when out_dir holds files the importer did not write.
        RuntimeError: when the importer produced rows the data contract rejects (a bug in the importer).
    """
    if out_dir.absolute().parent.is_dir():
        _recover_killed_import(out_dir.absolute())
    check_out_dir(out_dir)
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = _sibling(out_dir, "importing")
    # Holds the previous import while the new one moves in, so a failure can put it back.
    holder: Path | None = None
    try:
        tables.creators.write_parquet(staging / CREATORS_FILE)
        tables.posts.write_parquet(staging / POSTS_FILE)
        if tables.labels is not None:
            tables.labels.write_parquet(staging / LABELS_FILE)
        tables.rejects.frame().write_csv(staging / REJECTS_FILE)
        (staging / REPORT_FILE).write_text(json.dumps(tables.report, indent=2, ensure_ascii=False) + "\n")
        try:
            load_dataset(staging, strict=True)
        except InputError as exc:
            raise RuntimeError(f"the import produced rows the data contract rejects: {exc}") from exc
        check_out_dir(out_dir)
        if out_dir.exists():
            holder = _sibling(out_dir, "previous")
            out_dir.replace(holder / "previous")
        staging.replace(out_dir)
    except BaseException:
        if holder is not None and (holder / "previous").exists() and not out_dir.exists():
            (holder / "previous").replace(out_dir)
        shutil.rmtree(staging, ignore_errors=True)
        if holder is not None:
            shutil.rmtree(holder, ignore_errors=True)
        raise
    if holder is not None:
        shutil.rmtree(holder, ignore_errors=True)
    logger.info("wrote %d creators and %d posts to %s", tables.creators.height, tables.posts.height, out_dir)
