"""Reading and validating the input tables: bad files fail loudly, bad rows are set aside with a reason."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from creatormatch.schemas import (
    BRANDS,
    CREATORS,
    FILE_EXTENSIONS,
    FILTER_TIERS,
    FOLLOWER_HISTORY,
    FOLLOWER_SAMPLES,
    FORMAT_ALIASES,
    PLATFORM_ALIASES,
    PLATFORMS,
    POST_FORMATS,
    POSTS,
    Column,
    TableSpec,
)

logger = logging.getLogger(__name__)

ROW = "_row"
# A row check: the field it concerns, whether the row fails it, and the reason shown to the user.
Check = tuple[str | pl.Expr, pl.Expr, str | pl.Expr]
REASON = "_reason"
FIELD = "_field"
REJECT_SCHEMA = {"file": pl.Utf8, "row": pl.Int64, "id": pl.Utf8, "field": pl.Utf8, "reason": pl.Utf8}
_TRUE = ("true", "t", "yes", "y", "1")
_FALSE = ("false", "f", "no", "n", "0")
_DATETIME_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f%z",
                     "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M%z", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


class InputError(Exception):
    """A whole input file is unusable: missing, unreadable, or a column is missing or of the wrong type."""

    def __init__(self, file: str, message: str, column: str | None = None) -> None:
        self.file = file
        self.column = column
        where = f"{file}: column '{column}'" if column else file
        super().__init__(f"{where}: {message}")


@dataclass
class Table:
    """The good rows of one input file, and the rows that were rejected."""

    name: str
    path: Path
    frame: pl.DataFrame
    rejects: pl.DataFrame
    rows_read: int


@dataclass
class Dataset:
    """Every input table after validation, ready for the feature and embedding stages."""

    creators: pl.DataFrame
    posts: pl.DataFrame
    follower_samples: pl.DataFrame | None
    follower_history: pl.DataFrame | None
    brands: pl.DataFrame | None
    rejects: pl.DataFrame
    files: list[Path] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)

    def report(self) -> dict[str, dict[str, int]]:
        """Rows read, kept and rejected per file, for build_report.json."""
        kept = {"creators": self.creators.height, "posts": self.posts.height}
        for name, frame in (("follower_samples", self.follower_samples),
                            ("follower_history", self.follower_history), ("brands", self.brands)):
            if frame is not None:
                kept[name] = frame.height
        counts = self.rejects.group_by("file").len() if self.rejects.height else None
        rejected = dict(counts.iter_rows()) if counts is not None else {}
        report: dict[str, dict[str, int]] = {}
        for name, read in self.rows_read.items():
            file = next((p.name for p in self.files if p.name.split(".")[0] == name), name)
            report[name] = {"read": read, "kept": kept.get(name, 0), "rejected": int(rejected.get(file, 0))}
        return report

    def content_hash(self) -> str:
        """sha256 over the input files' names and bytes: the bundle's data hash."""
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(path.name.encode())
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        return digest.hexdigest()


def find_table_file(data_dir: Path, spec: TableSpec) -> Path | None:
    """The one file in data_dir holding the table, found by name (creators.csv, creators.parquet, ...).

    Raises:
        InputError: when the folder is missing, a required table is missing, or two files hold the same table.
    """
    if not data_dir.is_dir():
        raise InputError(str(data_dir), "data folder does not exist")
    found = [data_dir / f"{spec.name}{ext}" for ext in FILE_EXTENSIONS if (data_dir / f"{spec.name}{ext}").is_file()]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise InputError(spec.name, f"more than one file holds this table ({names}); keep one")
    if not found:
        if spec.required_file:
            raise InputError(f"{spec.name}.*", f"required file not found in {data_dir} "
                             f"(looked for {', '.join(spec.name + e for e in FILE_EXTENSIONS)})")
        return None
    return found[0]


def read_raw(path: Path) -> pl.DataFrame:
    """A CSV (every column as text), JSONL or Parquet file as a frame, before any contract checks.

    Raises:
        InputError: the file cannot be read in its format.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            return pl.scan_parquet(path).collect()
        if suffix == ".csv":
            return pl.scan_csv(path, infer_schema=False).collect()
        return pl.read_ndjson(path, infer_schema_length=None)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(path.name, f"cannot read as {suffix.lstrip('.').upper()}: {first_line}") from exc


def read_any(path: Path) -> pl.DataFrame:
    """Any CSV, JSONL or Parquet file as a frame, types as the file gives them.

    Raises:
        InputError: unknown extension or unreadable file.
    """
    if path.suffix.lower() not in FILE_EXTENSIONS:
        raise InputError(path.name, f"unknown file type; use one of {', '.join(FILE_EXTENSIONS)}")
    if not path.is_file():
        raise InputError(path.name, "file not found")
    if path.suffix.lower() == ".csv":
        try:
            return pl.read_csv(path, infer_schema_length=None)
        except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
            raise InputError(path.name, f"cannot read as CSV: {exc}") from exc
    return read_raw(path)


def flat_for_csv(frame: pl.DataFrame) -> pl.DataFrame:
    """List columns as JSON arrays, the form the CSV reader accepts back."""
    nested = [c for c, t in frame.schema.items() if isinstance(t, pl.List | pl.Array)]
    return frame.with_columns(
        pl.col(c).map_elements(lambda v: json.dumps(list(v)), return_dtype=pl.Utf8, skip_nulls=True) for c in nested)


def write_any(frame: pl.DataFrame, path: Path) -> None:
    """Write a frame as CSV, JSONL or Parquet by the file's extension, atomically (temporary file, then rename).

    Raises:
        InputError: unknown extension.
    """
    suffix = path.suffix.lower()
    if suffix not in FILE_EXTENSIONS:
        raise InputError(path.name, f"unknown file type; use one of {', '.join(FILE_EXTENSIONS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.partial")
    if suffix in (".parquet", ".pq"):
        frame.write_parquet(temporary)
    elif suffix == ".csv":
        flat_for_csv(frame).write_csv(temporary)
    else:
        frame.write_ndjson(temporary)
    temporary.replace(path)


def _split_list(value: str | None) -> list[str] | None:
    if value is None:
        return None
    text = value.strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            return None
        if isinstance(parsed, list):
            return [str(item) for item in parsed if item is not None]
        return None
    return [part.strip() for part in text.split("|") if part.strip()]


def _coerce(name: str, source: pl.DataType, column: Column, file: str) -> pl.Expr:
    """An expression turning the raw column into the contract's type; unparseable values become null."""
    col = pl.col(name)
    nested = isinstance(source, (pl.List, pl.Array, pl.Struct))
    if column.kind == "str_list":
        if isinstance(source, (pl.List, pl.Array)):
            return col.cast(pl.List(pl.Utf8), strict=False)
        if source == pl.Utf8:
            return col.map_elements(_split_list, return_dtype=pl.List(pl.Utf8), skip_nulls=True)
        raise InputError(file, f"expected a list of strings, found {source}", column=name)
    if nested:
        raise InputError(file, f"expected a single {column.kind} value per row, found {source}", column=name)
    if column.kind == "str":
        return col.cast(pl.Utf8, strict=False)
    text = col.cast(pl.Utf8, strict=False).str.strip_chars()
    if column.kind in ("int", "float"):
        if source.is_numeric():
            as_float = col.cast(pl.Float64, strict=False)
        else:
            as_float = text.str.replace_all(r"[,_ ]", "").cast(pl.Float64, strict=False)
        if column.kind == "float":
            return as_float
        return pl.when(as_float.is_finite()).then(as_float.round(0)).cast(pl.Int64, strict=False)
    if column.kind == "bool":
        if source == pl.Boolean:
            return col
        if source.is_numeric():
            return col.cast(pl.Float64, strict=False) != 0
        lowered = text.str.to_lowercase()
        return pl.when(lowered.is_in(_TRUE)).then(True).when(lowered.is_in(_FALSE)).then(False).otherwise(None)
    if column.kind == "datetime":
        if isinstance(source, pl.Datetime):
            if source.time_zone is None:
                return col.dt.replace_time_zone("UTC").dt.cast_time_unit("us")
            return col.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
        if source == pl.Date:
            return col.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
        normalised = text.str.replace(r"Z$", "+00:00")
        attempts = [
            normalised.str.to_datetime(fmt, strict=False, time_unit="us", time_zone="UTC")
            if "%z" in fmt
            else normalised.str.to_datetime(fmt, strict=False, time_unit="us").dt.replace_time_zone("UTC")
            for fmt in _DATETIME_FORMATS
        ]
        return pl.coalesce(attempts)
    # date
    if source == pl.Date:
        return col
    if isinstance(source, pl.Datetime):
        return col.dt.date()
    return pl.coalesce([text.str.to_date("%Y-%m-%d", strict=False),
                        text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)])


_KIND_WORDS = {"int": "an integer", "float": "a number", "bool": "true or false", "datetime":
               "an ISO 8601 date-time", "date": "an ISO 8601 date (YYYY-MM-DD)", "str_list": "a list of strings",
               "str": "text"}


def _first_failure(checks: list[Check]) -> tuple[pl.Expr, pl.Expr]:
    """Field and reason of the first failing check of each row (null where every check passes)."""
    field_expr: pl.Expr = pl.lit(None, dtype=pl.Utf8)
    reason_expr: pl.Expr = pl.lit(None, dtype=pl.Utf8)
    for name, failed, reason in reversed(checks):
        reason_value = pl.lit(reason) if isinstance(reason, str) else reason
        name_value = pl.lit(name) if isinstance(name, str) else name
        field_expr = pl.when(failed).then(name_value).otherwise(field_expr)
        reason_expr = pl.when(failed).then(reason_value).otherwise(reason_expr)
    return field_expr, reason_expr


def read_table(path: Path, spec: TableSpec) -> tuple[pl.DataFrame, list[Check], int]:
    """Read a file, check its columns and coerce them to the contract's types.

    Args:
        path: the CSV, JSONL or Parquet file.
        spec: the table it should hold.

    Returns:
        The coerced frame (with a 1-based `_row` column and the first parse failure of each row), the check
        that rejects rows whose values could not be parsed, and the rows read.

    Raises:
        InputError: unreadable file, missing required column, or a column whose values are all of the wrong type.
    """
    raw = read_raw(path)
    raw = raw.rename({c: c.strip().lower() for c in raw.columns if c != c.strip().lower()})
    missing = [c for c in spec.required_columns if c not in raw.columns]
    if missing:
        raise InputError(path.name, "required column is missing "
                         f"(required: {', '.join(spec.required_columns)})", column=missing[0])
    raw = raw.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    exprs: list[pl.Expr] = [pl.col(ROW)]
    parsed_names: list[tuple[Column, str]] = []
    for column in spec.columns:
        if column.name not in raw.columns:
            dtype = _dtype(column)
            exprs.append(pl.lit(None, dtype=dtype).alias(column.name))
            continue
        source = raw.schema[column.name]
        exprs.append(_coerce(column.name, source, column, path.name).alias(column.name))
        exprs.append(pl.col(column.name).alias(f"_raw_{column.name}"))
        parsed_names.append((column, f"_raw_{column.name}"))
    frame = raw.select(exprs)
    parse_checks: list[Check] = []
    for column, raw_name in parsed_names:
        raw_col = pl.col(raw_name)
        blank = raw_col.is_null()
        if frame.schema[raw_name] == pl.Utf8:
            blank = blank | (raw_col.str.strip_chars() == "")
        failed = (~blank) & pl.col(column.name).is_null()
        n_given = frame.select((~blank).sum()).item()
        n_failed = frame.select(failed.sum()).item()
        if n_given and n_failed == n_given and column.kind != "str":
            example = frame.filter(failed).select(raw_col.cast(pl.Utf8, strict=False)).item(0, 0)
            raise InputError(path.name, f"expected {_KIND_WORDS[column.kind]}, found values such as {example!r}",
                             column=column.name)
        if n_failed:
            shown = raw_col.cast(pl.Utf8, strict=False).str.slice(0, 40)
            parse_checks.append((column.name, failed, pl.format("{} is not {} ('{}')", pl.lit(column.name),
                                                                pl.lit(_KIND_WORDS[column.kind]), shown)))
    parse_field, parse_reason = _first_failure(parse_checks)
    frame = frame.with_columns(parse_field.alias(FIELD), parse_reason.alias(REASON))
    frame = frame.drop([raw_name for _, raw_name in parsed_names])
    checks: list[Check] = [(pl.col(FIELD), pl.col(REASON).is_not_null(), pl.col(REASON))]
    return frame, checks, raw.height


def _dtype(column: Column) -> pl.DataType:
    return {
        "str": pl.Utf8(), "int": pl.Int64(), "float": pl.Float64(), "bool": pl.Boolean(),
        "datetime": pl.Datetime("us", "UTC"), "date": pl.Date(), "str_list": pl.List(pl.Utf8),
    }[column.kind]


def _common_checks(spec: TableSpec) -> list[Check]:
    checks: list[Check] = []
    for column in spec.columns:
        if column.required and column.kind == "str":
            checks.append((column.name, pl.col(column.name).is_null() | (pl.col(column.name).str.strip_chars() == ""),
                           f"{column.name} is empty"))
        elif column.required:
            checks.append((column.name, pl.col(column.name).is_null(), f"{column.name} is required"))
        if column.non_negative:
            checks.append((column.name, pl.col(column.name) < 0, f"{column.name} must be >= 0"))
    return checks


def _table_checks(spec: TableSpec) -> list[Check]:
    """Checks beyond types and signs, specific to one table."""
    if spec is BRANDS:
        text_cols = ["name", "values", "product", "audience"]
        has_text = pl.any_horizontal([pl.col(c).fill_null("").str.strip_chars() != "" for c in text_cols])
        has_text = has_text | (pl.col("keywords").list.len().fill_null(0) > 0)
        bad_tier = pl.col("tiers").list.eval(~pl.element().str.to_lowercase().is_in(FILTER_TIERS)).list.any()
        bad_platform = pl.col("platforms").list.eval(~pl.element().str.to_lowercase().is_in(PLATFORMS)).list.any()
        return [
            ("values", ~has_text, "brand has no text (name, values, product, audience or keywords)"),
            ("tiers", bad_tier.fill_null(False),
             pl.format("unknown tier in {} (allowed: {})", pl.col("tiers").list.join(", "),
                       pl.lit(", ".join(FILTER_TIERS)))),
            ("platforms", bad_platform.fill_null(False),
             pl.format("unknown platform in {} (allowed: {})", pl.col("platforms").list.join(", "),
                       pl.lit(", ".join(PLATFORMS)))),
            ("min_followers", (pl.col("min_followers") > pl.col("max_followers")).fill_null(False),
             "min_followers is greater than max_followers"),
        ]
    return []


def _normalise(spec: TableSpec, frame: pl.DataFrame) -> pl.DataFrame:
    """Canonical spellings for enumerations and codes (Instagram -> instagram, en-US -> en)."""
    if spec is CREATORS:
        platform = pl.col("platform").str.strip_chars().str.to_lowercase().replace(PLATFORM_ALIASES)
        return frame.with_columns(
            pl.col("creator_id").str.strip_chars(),
            pl.when(platform.is_in(PLATFORMS)).then(platform).otherwise(pl.lit("other")).alias("platform"),
            pl.col("bio").fill_null(""),
            pl.col("country").str.strip_chars().str.to_uppercase().str.extract(r"^([A-Z]{2})$", 1).alias("country"),
            pl.col("language").str.strip_chars().str.to_lowercase().str.extract(r"^([a-z]{2})(?:[-_].*)?$", 1)
            .alias("language"),
            pl.col("categories").fill_null([]),
        )
    if spec is POSTS:
        fmt = pl.col("format").str.strip_chars().str.to_lowercase().replace(FORMAT_ALIASES)
        return frame.with_columns(
            pl.col("post_id").str.strip_chars(),
            pl.col("creator_id").str.strip_chars(),
            pl.col("caption").fill_null(""),
            pl.col("title").fill_null(""),
            pl.col("tags").fill_null([]),
            pl.when(fmt.is_in(POST_FORMATS)).then(fmt).when(fmt.is_null()).then(None).otherwise(pl.lit("other"))
            .alias("format"),
            pl.col("comments_sample").fill_null([]),
        )
    if spec is BRANDS:
        lower_list = pl.element().str.strip_chars().str.to_lowercase()
        return frame.with_columns(
            pl.col("brand_id").str.strip_chars(),
            pl.col("tiers").list.eval(lower_list),
            pl.col("platforms").list.eval(lower_list.replace(PLATFORM_ALIASES)),
            pl.col("countries").list.eval(pl.element().str.strip_chars().str.to_uppercase()),
            pl.col("languages").list.eval(lower_list),
            pl.col("keywords").fill_null([]),
        )
    return frame.with_columns(pl.col("creator_id").str.strip_chars())


def _rejects_frame(file: str, rejected: pl.DataFrame, id_column: str | None) -> pl.DataFrame:
    id_expr = pl.col(id_column).cast(pl.Utf8) if id_column else pl.col("creator_id").cast(pl.Utf8)
    return rejected.select(
        pl.lit(file).alias("file"), pl.col(ROW).alias("row"), id_expr.alias("id"),
        pl.col(FIELD).alias("field"), pl.col(REASON).alias("reason"),
    )


def validate_table(path: Path, spec: TableSpec, extra: list[Check] | None = None,
                   key: list[str] | None = None) -> Table:
    """Read one file and split it into good rows and rejected rows with reasons.

    Args:
        path: the file.
        spec: the table it holds.
        extra: further (field, failed, reason) checks, such as "creator_id not found in creators".
        key: columns that must be unique together; later duplicates are rejected (default: the id column).

    Returns:
        The validated table.

    Raises:
        InputError: when the file as a whole is unusable.
    """
    frame, parse_checks, rows_read = read_table(path, spec)
    frame = _normalise(spec, frame)
    checks = parse_checks + _common_checks(spec) + _table_checks(spec) + (extra or [])
    frame = frame.rename({FIELD: "_parse_field", REASON: "_parse_reason"})
    checks[0] = (pl.col("_parse_field"), pl.col("_parse_reason").is_not_null(), pl.col("_parse_reason"))
    field_expr, reason_expr = _first_failure(checks)
    frame = frame.with_columns(field_expr.alias(FIELD), reason_expr.alias(REASON))
    key = key if key is not None else ([spec.id_column] if spec.id_column else [])
    if key:
        valid = pl.col(REASON).is_null()
        # Among rows that are otherwise valid, the first occurrence of a key wins.
        first = pl.struct(key).is_first_distinct().over(valid)
        duplicate_reason = f"duplicate {' and '.join(key)}" if len(key) > 1 else f"duplicate {key[0]}"
        frame = frame.with_columns(
            pl.when(valid & ~first).then(pl.lit(key[-1])).otherwise(pl.col(FIELD)).alias(FIELD),
            pl.when(valid & ~first).then(pl.lit(duplicate_reason)).otherwise(pl.col(REASON)).alias(REASON),
        )
    rejected = frame.filter(pl.col(REASON).is_not_null())
    good = frame.filter(pl.col(REASON).is_null()).drop(FIELD, REASON, "_parse_field", "_parse_reason")
    rejects = _rejects_frame(path.name, rejected, spec.id_column)
    if rejects.height:
        logger.warning("%s: %d of %d rows rejected", path.name, rejects.height, rows_read)
    return Table(spec.name, path, good, rejects, rows_read)


def load_dataset(data_dir: Path, strict: bool = False) -> Dataset:
    """Read and validate every input table found in data_dir.

    Args:
        data_dir: folder holding creators.* and posts.* and optionally follower_samples.*, follower_history.*,
            brands.* (CSV, JSONL or Parquet).
        strict: when true, any rejected row fails the load.

    Returns:
        The validated dataset; rejected rows are in `rejects`.

    Raises:
        InputError: a file is missing, unreadable or has a missing or mistyped column, or (strict) a row was rejected.
    """
    creators_path = find_table_file(data_dir, CREATORS)
    posts_path = find_table_file(data_dir, POSTS)
    assert creators_path is not None and posts_path is not None  # required files
    creators = validate_table(creators_path, CREATORS)
    known = creators.frame.get_column("creator_id").implode()
    unknown_creator: Check = ("creator_id", ~pl.col("creator_id").is_in(known),
                       "creator_id not found in creators (unknown or rejected creator)")
    posts = validate_table(posts_path, POSTS, extra=[unknown_creator])
    tables = [creators, posts]
    optional: dict[str, Table | None] = {}
    for spec, key in ((FOLLOWER_SAMPLES, []), (FOLLOWER_HISTORY, ["creator_id", "date"]), (BRANDS, None)):
        path = find_table_file(data_dir, spec)
        if path is None:
            optional[spec.name] = None
            continue
        extra = [unknown_creator] if spec is not BRANDS else []
        table = validate_table(path, spec, extra=extra, key=key)
        optional[spec.name] = table
        tables.append(table)
    non_empty = [t.rejects for t in tables if t.rejects.height]
    rejects = pl.concat(non_empty) if non_empty else pl.DataFrame(schema=REJECT_SCHEMA)
    if strict and rejects.height:
        first = rejects.row(0, named=True)
        raise InputError(first["file"], f"{rejects.height} row(s) rejected and --strict is set; first: row "
                         f"{first['row']} (id {first['id']}), field '{first['field']}': {first['reason']}")
    if creators.frame.height == 0:
        raise InputError(creators_path.name, "no valid creator rows")

    def frame_of(name: str) -> pl.DataFrame | None:
        table = optional[name]
        return table.frame.drop(ROW) if table is not None else None

    return Dataset(
        creators=creators.frame.drop(ROW),
        posts=posts.frame.drop(ROW),
        follower_samples=frame_of("follower_samples"),
        follower_history=frame_of("follower_history"),
        brands=frame_of("brands"),
        rejects=rejects,
        files=[t.path for t in tables],
        rows_read={t.name: t.rows_read for t in tables},
    )
