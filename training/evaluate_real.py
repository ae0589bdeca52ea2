"""Evaluation on real labelled creators: search and /match precision beside a plain-embedding baseline, one run."""

from __future__ import annotations

import json
import logging
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from creatormatch.api_models import ALL_TIERS, Brief, Filters, MatchRequest, SearchRequest, describe_errors
from creatormatch.bundle import load_bundle
from creatormatch.config import Settings
from creatormatch.dataset import InputError, find_table_file, load_dataset, read_raw
from creatormatch.encoder import (
    EmbeddingCache,
    Encoder,
    cache_key,
    encode_cached,
    encoder_from_settings,
    precision_of,
)
from creatormatch.ranking import Ranker
from creatormatch.schemas import CREATORS, FILE_EXTENSIONS
from creatormatch.text import brief_document, post_document_expr
from training.build import build_bundle
from training.importers import ImportResult, import_youtube

K = 10
logger = logging.getLogger(__name__)

# How each kind of query is named in the printed figures (the first word alone in the shorter lines).
KIND_NAMES = {"search": "search (GET /search)", "match": "briefs (POST /match)"}
LABELS_NAME = "labels"  # labels.parquet as `creatormatch import` writes it, or .csv / .jsonl


class RealQuery(BaseModel):
    """One line of a queries file: a keyword search or a structured brief, and the labels that count as relevant."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["search", "match"]
    q: str | None = Field(default=None, description="Keywords (kind search).")
    brief: Brief | None = Field(default=None, description="The brand brief (kind match).")
    relevant: list[str] = Field(min_length=1, description="Creator labels (categories) that count as relevant.")

    def text(self) -> str:
        """What the plain baseline embeds: the keywords, or the brief as one text."""
        if self.kind == "search":
            return self.q or ""
        assert self.brief is not None
        return brief_document(**self.brief.model_dump())


def read_queries(path: Path, name: str | None = None) -> list[RealQuery]:
    """Queries from a JSONL file, one object a line (blank lines and lines starting with # are skipped).

    Args:
        path: the file.
        name: what errors call the file (default: its name; the path where several files share a name).

    Raises:
        InputError: unreadable file, or a line that is not a valid query (its line number is named).
    """
    where = name or path.name
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(where, f"cannot read the queries file: {exc}") from exc
    queries: list[RealQuery] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            query = RealQuery.model_validate(json.loads(line))
            if query.kind == "search" and query.q is not None:
                SearchRequest(q=query.q)  # what GET /search would refuse (a blank q, too long, no word); briefs
                # are validated as /match's by RealQuery itself
        except json.JSONDecodeError as exc:
            raise InputError(where, f"line {number}: not JSON ({exc.msg})") from exc
        except ValidationError as exc:
            raise InputError(where, f"line {number}: {describe_errors(exc)}") from exc
        if (query.kind == "search") != (query.q is not None) or (query.kind == "match") != (query.brief is not None):
            raise InputError(where, f"line {number}: a search needs q, a match needs brief (and not the other)")
        queries.append(query)
    if not queries:
        raise InputError(where, "no queries in the file")
    return queries


def precision_and_ndcg(ranked_labels: Sequence[str | frozenset[str] | None], relevant: set[str], n_relevant: int,
                       k: int = K) -> tuple[float, float]:
    """P@k and binary nDCG@k of one ranking; a result counts when its label (or any of its labels) is relevant.

    P@k divides by k even when fewer than k results came back (a short list is not a precise one). nDCG@k is 0
    when nothing in the collection is relevant.
    """
    gains = [1.0 if _relevant(label, relevant) else 0.0 for label in ranked_labels[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, n_relevant)))
    return sum(gains) / k, (dcg / ideal if ideal > 0 else 0.0)


def _relevant(label: str | frozenset[str] | None, relevant: set[str]) -> bool:
    if label is None:
        return False
    return label in relevant if isinstance(label, str) else not relevant.isdisjoint(label)


@dataclass
class Scores:
    """Mean P@10 and nDCG@10 of one system over one kind of query."""

    precision: list[float] = field(default_factory=list)
    ndcg: list[float] = field(default_factory=list)

    def add(self, pair: tuple[float, float]) -> None:
        self.precision.append(pair[0])
        self.ndcg.append(pair[1])

    @property
    def p10(self) -> float:
        return float(np.mean(self.precision)) if self.precision else 0.0

    @property
    def ndcg10(self) -> float:
        return float(np.mean(self.ndcg)) if self.ndcg else 0.0


def gain_interval(system: Sequence[float], baseline: Sequence[float], level: float = 0.95, rounds: int = 10_000,
                  seed: int = 0) -> tuple[float, float]:
    """A paired bootstrap interval for the mean gain of system over baseline: queries are resampled with
    replacement, each keeping its own pair of scores, so a query that is hard for both weighs on neither side.
    Seeded, so the same scores always print the same interval; (0, 0) without queries.

    Args:
        system: one score per query.
        baseline: the baseline's score on the same queries, in the same order.
        level: the interval's coverage.
        rounds: bootstrap resamples.
        seed: the resampling's random seed.
    """
    gains = np.asarray(system, dtype=np.float64) - np.asarray(baseline, dtype=np.float64)
    if gains.size == 0:
        return 0.0, 0.0
    picks = np.random.default_rng(seed).integers(0, gains.size, size=(rounds, gains.size))
    means = gains[picks].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


@dataclass
class RealQuality:
    """What `creatormatch evaluate --real` prints: each kind of query, the system beside the baseline."""

    creators: int
    labelled: int
    queries: dict[str, int]
    system: dict[str, Scores]
    baseline: dict[str, Scores]
    per_query: list[dict[str, Any]] = field(default_factory=list)
    query_precision: str = "fp32"  # how the system's queries were encoded (the baseline's always fp32)
    bundle_precision: str = "fp32"  # how the bundle's vectors were embedded (build_precision)
    left_out: int = 0  # queries whose relevant labels no creator has: they cannot be scored
    sets: list[str] = field(default_factory=list)  # the queries files, when there were several (in order)

    def lines(self) -> list[str]:
        out = [f"creators: {self.creators} ({self.labelled} labelled); every tier included; P@{K} and nDCG@{K}; "
               f"system queries encoded in {self.query_precision}, creators in {self.bundle_precision}",
               f"{'queries':<22} {'n':>3}  {'system P@10':>11} {'baseline P@10':>13} {'gain':>6}  "
               f"{'system nDCG':>11} {'baseline nDCG':>13}"]
        for kind, count in self.queries.items():
            system, baseline = self.system[kind], self.baseline[kind]
            out.append(f"{KIND_NAMES[kind]:<22} {count:>3}  {system.p10:>11.3f} {baseline.p10:>13.3f} "
                       f"{system.p10 - baseline.p10:>+6.3f}  {system.ndcg10:>11.3f} {baseline.ndcg10:>13.3f}")
        for kind in self.queries:
            ours, theirs = self.system[kind].precision, self.baseline[kind].precision
            low, high = gain_interval(ours, theirs)
            better = sum(a > b for a, b in zip(ours, theirs, strict=True))
            worse = sum(a < b for a, b in zip(ours, theirs, strict=True))
            out.append(f"{KIND_NAMES[kind].split()[0]} P@{K} gain, 95 % paired bootstrap interval over {len(ours)} "
                       f"queries: {low:+.3f} to {high:+.3f}; better on {better}, worse on {worse}, "
                       f"level on {len(ours) - better - worse}")
        out.extend(self._set_lines())
        if self.left_out:
            out.append(f"left out: {self.left_out} queries whose relevant labels no creator has (n counts the "
                       "others)")
        return out

    def _set_lines(self) -> list[str]:
        """P@10 of each queries file apart, when there were several (the table above pools them), so that a set
        the ranking was tuned on and one it was not are seen apart."""
        if len(self.sets) < 2:
            return []
        out = []
        for name in self.sets:
            parts = []
            for kind in self.queries:
                rows = [q for q in self.per_query if q.get("set") == name and q["kind"] == kind]
                if rows:
                    ours = float(np.mean([q["system_p10"] for q in rows]))
                    theirs = float(np.mean([q["baseline_p10"] for q in rows]))
                    parts.append(f"{KIND_NAMES[kind].split()[0]} ({len(rows)}) {ours:.3f} against {theirs:.3f}, "
                                 f"{ours - theirs:+.3f}")
            out.append(f"{name}: P@{K} " + "; ".join(parts) if parts
                       else f"{name}: no query could be scored (no creator has their relevant labels)")
        return out


def _labels(data_dir: Path) -> dict[str, frozenset[str]]:
    """Each creator's labels from labels.parquet, .csv or .jsonl (creator_id, category): a creator may have
    several, in several rows or as a list (in CSV a JSON array, as the data's own list columns); blank ones are
    left out. Ids are read as text, as the data's own tables read them ("00123" stays "00123").

    Raises:
        InputError: no labels file, more than one, an unreadable one, or one without those columns or with
            categories that are not text.
    """
    found = [data_dir / f"{LABELS_NAME}{ext}" for ext in FILE_EXTENSIONS
             if (data_dir / f"{LABELS_NAME}{ext}").is_file()]
    if not found:
        raise InputError(f"{LABELS_NAME}.*", f"not found in {data_dir}: real evaluation needs creator labels "
                         f"(creator_id, category) in {', '.join(LABELS_NAME + e for e in FILE_EXTENSIONS)}, as "
                         "`creatormatch import` writes them")
    if len(found) > 1:
        raise InputError(LABELS_NAME, f"more than one file holds the labels ({', '.join(p.name for p in found)}); "
                         "keep one")
    path = found[0]
    frame = read_raw(path)  # CSV as text: ids such as 00123 are kept
    missing = [c for c in ("creator_id", "category") if c not in frame.columns]
    if missing:
        raise InputError(path.name, "required column is missing", column=missing[0])
    labels: dict[str, set[str]] = {}
    for row, (creator_id, category) in enumerate(frame.select("creator_id", "category").iter_rows(), start=1):
        if isinstance(creator_id, list | dict):
            raise InputError(f"{path.name} row {row}", f"must be text, found {type(creator_id).__name__}",
                             column="creator_id")
        creator_id = _as_text(creator_id)
        for label in _label_values(category, path, row):
            if creator_id and label:
                labels.setdefault(creator_id, set()).add(label)
    return {creator_id: frozenset(found_labels) for creator_id, found_labels in labels.items()}


def _as_text(value: object) -> str:
    """An id or label as text: a whole float (1.0, from JSON numbers mixed with fractions) without its ".0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _label_values(value: object, path: Path, row: int) -> list[str]:
    """The labels one row gives: a text, a list of texts, or (CSV) a JSON array of texts."""
    if isinstance(value, str) and value.strip().startswith("[") and value.strip().endswith("]"):
        try:
            value = json.loads(value)
        except ValueError:
            pass  # a label that only looks like an array: "[Gaming]"
    if isinstance(value, list):
        if not all(isinstance(v, str | int) or v is None for v in value):
            raise InputError(f"{path.name} row {row}", "must be text or a list of texts", column="category")
        return [_as_text(v) for v in value]
    if isinstance(value, dict | bool):
        raise InputError(f"{path.name} row {row}", f"must be text or a list of texts, found {type(value).__name__}",
                         column="category")
    return [_as_text(value)]


def _data_creator_ids(data_dir: Path) -> set[str] | None:
    """The ids of the data's creators, read as the build reads them (as text); None without a creators file."""
    try:
        path = find_table_file(data_dir, CREATORS)
    except InputError:
        return None
    if path is None:
        return None
    try:
        frame = read_raw(path).select("creator_id")
    except (pl.exceptions.PolarsError, InputError):
        return None  # the build says what is wrong with the creators file, with its own checks
    return {_as_text(v) for v in frame.get_column("creator_id").to_list()}


def same_label(label: str) -> str:
    """A label as queries and data are compared: "music" in a queries file is the data's "Music"."""
    return " ".join(label.split()).casefold()


def checked_labels(data_dir: Path, queries: Sequence[RealQuery], source: Path | None = None,
                   warn: bool = True) -> dict[str, frozenset[str]]:
    """Each creator's labels; warns about a query whose relevant labels no creator has (it cannot be scored, and
    is left out of the means).

    Args:
        data_dir: the data folder with a labels file (labels.parquet, .csv or .jsonl).
        queries: the queries to check.
        source: the exports data_dir was imported from, for the messages (data_dir may be a temporary folder).
        warn: warn about each query that cannot be scored (evaluate_real does, after the build).

    Raises:
        InputError: no labels file, no creator has a category title, or no query can be scored.
    """
    labels = _labels(data_dir)
    where = f"the import of {source}" if source is not None else str(data_dir)
    in_data = _data_creator_ids(data_dir)
    if in_data is not None:  # labels of creators the data does not hold count for neither side
        outside = [creator_id for creator_id in labels if creator_id not in in_data]
        if outside and warn:
            logger.warning("%d labelled creator ids are not in the data's creators (such as %r); their labels are "
                           "left out", len(outside), outside[0])
        labels = {creator_id: found for creator_id, found in labels.items() if creator_id in in_data}
        if not labels and outside:
            raise InputError(LABELS_NAME, f"none of the {len(outside)} labelled creator ids is in {where}'s "
                             f"creators (such as {outside[0]!r}): the labels are for other data")
    if not labels:
        raise InputError(LABELS_NAME, f"no creator in {where} has a category title, so there is nothing to judge "
                         "against: put the category titles beside the exports (categories.json, id -> title, or a "
                         "youtube#videoCategoryListResponse such as Kaggle's US_category_id.json)")
    known = {same_label(label) for creator_labels in labels.values() for label in creator_labels}
    listed = ", ".join(sorted({label for creator_labels in labels.values() for label in creator_labels}))
    unscorable = [query for query in queries if not known.intersection(map(same_label, query.relevant))]
    for query in unscorable if warn else ():
        logger.warning("no creator is labelled %s, so the query %r cannot be scored and is left out (labels "
                       "here: %s)", " or ".join(query.relevant), query.text()[:40], listed)
    if queries and len(unscorable) == len(queries):
        raise InputError("queries", f"none of the {len(queries)} queries can be scored: no creator in {where} has "
                         f"any of their relevant labels; the labels there are: {listed}")
    return labels


def baseline_documents(data_dir: Path) -> tuple[list[str], list[str]]:
    """The plain baseline's text of each creator: every post's title, tags and caption, concatenated.

    Returns:
        Creator ids and their texts (the encoder truncates long texts at its own limit).
    """
    dataset = load_dataset(data_dir)
    texts = (dataset.posts.sort(["creator_id", "posted_at", "post_id"], descending=[False, True, False],
                                nulls_last=True)
             .with_columns(post_document_expr().alias("text"))
             .group_by("creator_id", maintain_order=True).agg(pl.col("text").str.join(" ")))
    joined = dataset.creators.select("creator_id").join(texts, on="creator_id", how="left")
    return joined.get_column("creator_id").to_list(), joined.get_column("text").fill_null("").to_list()


def evaluate_real(data_dir: Path, bundle: Path, queries: Sequence[RealQuery], encoder: Encoder,
                  settings: Settings, query_encoder: Encoder | None = None,
                  sets: Sequence[str] | None = None) -> RealQuality:
    """Run every query through the ranker and through the plain baseline, and score both against the labels.

    The baseline is the naive approach: cosine between the query text and the embedding of each creator's
    concatenated post texts, top 10 over every creator. The system runs GET /search for keyword queries and
    POST /match (default weights) for briefs, with every tier included.

    Args:
        data_dir: the data contract folder the bundle was built from, with labels.parquet.
        bundle: the bundle folder.
        queries: the queries.
        encoder: the text encoder (the bundle's model, fp32): the baseline's and, by default, the system's.
        settings: for the embedding cache.
        query_encoder: the system's query encoder when it differs from `encoder` (the int8 model of
            encoder_precision int8). The baseline and the embedding cache always use `encoder`.
        sets: the name of the set (queries file) of each query, in order, to report each set apart as well;
            None for one set.

    Returns:
        The figures.

    Raises:
        ValueError: `sets` not of the same length as `queries`.
    """
    if sets is not None and len(sets) != len(queries):
        raise ValueError(f"{len(sets)} set names for {len(queries)} queries")
    labelled = checked_labels(data_dir, queries)
    creator_ids, texts = baseline_documents(data_dir)
    # Labels of creators the data does not hold (rejected rows, a labels file for a larger set) count for neither
    # (checked_labels has left them out; the validated data may have rejected a few more).
    in_data = set(creator_ids)
    labels = {creator_id: frozenset(map(same_label, creator_labels))
              for creator_id, creator_labels in labelled.items() if creator_id in in_data}
    loaded = load_bundle(bundle, encoder)
    ranker = Ranker(loaded, query_encoder or encoder)
    cache = EmbeddingCache(settings.cache_path, cache_key(encoder), encoder.dimension)
    try:
        creator_vectors, _ = encode_cached(encoder, texts, cache)
        query_vectors, _ = encode_cached(encoder, [q.text() for q in queries], cache)
    finally:
        cache.close()
    label_of_row: list[frozenset[str] | None] = [labels.get(c) for c in creator_ids]
    every_tier = Filters(tiers=list(ALL_TIERS))
    system = {"search": Scores(), "match": Scores()}
    baseline = {"search": Scores(), "match": Scores()}
    per_query: list[dict[str, Any]] = []
    left_out = 0
    names = list(sets) if sets is not None else [""] * len(queries)
    for query, vector, name in zip(queries, query_vectors, names, strict=True):
        relevant = {same_label(label) for label in query.relevant}
        n_relevant = sum(not relevant.isdisjoint(creator_labels) for creator_labels in labels.values())
        if n_relevant == 0:  # told by checked_labels; a 0 for both would only pull both means down
            left_out += 1
            continue
        if query.kind == "search":
            results = ranker.search(SearchRequest(q=query.q or "", filters=every_tier, limit=K)).results
        else:
            assert query.brief is not None
            results = ranker.match(MatchRequest(brief=query.brief, filters=every_tier, limit=K)).results
        ours = precision_and_ndcg([labels.get(r.creator_id) for r in results], relevant, n_relevant)
        similarity: npt.NDArray[np.float32] = creator_vectors @ vector
        top = np.argsort(-similarity, kind="stable")[:K]
        theirs = precision_and_ndcg([label_of_row[i] for i in top], relevant, n_relevant)
        system[query.kind].add(ours)
        baseline[query.kind].add(theirs)
        per_query.append({"kind": query.kind, "set": name, "query": query.text()[:60], "relevant": query.relevant,
                          "system_p10": ours[0], "baseline_p10": theirs[0]})
    if left_out == len(queries) and queries:
        raise InputError("queries", f"none of the {len(queries)} queries can be scored: no creator the build kept "
                         "has any of their relevant labels")
    kinds = {kind: len(system[kind].precision) for kind in ("search", "match") if system[kind].precision}
    return RealQuality(creators=len(creator_ids), labelled=len(labels), queries=kinds, system=system,
                       baseline=baseline, per_query=per_query, query_precision=precision_of(query_encoder or encoder),
                       bundle_precision=loaded.manifest.encoder_precision, left_out=left_out,
                       sets=list(dict.fromkeys(sets)) if sets is not None else [])


def is_contract_folder(folder: Path) -> bool:
    """Whether a folder already holds the data contract (a creators file) rather than raw exports."""
    try:
        return find_table_file(folder, CREATORS) is not None
    except InputError:
        return False


@dataclass
class RealRun:
    """What `creatormatch evaluate --real` did: the import (None when given a data folder) and the figures."""

    imported: ImportResult | None
    quality: RealQuality


def evaluate_real_folder(real: Path, queries: Path | Sequence[Path], settings: Settings, work: Path | None = None,
                         progress: bool = False) -> RealRun:
    """Import raw exports when needed, build a bundle from them, and evaluate it beside the plain baseline.

    Args:
        real: a data contract folder with a labels file (labels.parquet, .csv or .jsonl), or raw YouTube exports (a
            file or a folder of them).
        queries: the queries file (JSONL, see `read_queries`), or several: their queries are pooled, and each
            file is also reported apart (named by its file name without the extension).
        settings: for the encoder, the build and the embedding cache.
        work: folder for the imported data and the bundle; None for a temporary folder, removed afterwards.
        progress: show the build's progress bars (on stderr).

    Returns:
        The import's counts and the figures.

    Raises:
        InputError: unusable queries, exports or data.
        EncoderError: the model cannot be loaded.
    """
    files = [queries] if isinstance(queries, Path) else list(queries)
    seen: dict[Path, Path] = {}
    for path in files:
        where = path.resolve()
        if where in seen:  # counted twice, each query would weigh double and narrow the interval
            raise InputError(str(path), f"this queries file is given twice (also as {seen[where]})")
        seen[where] = path
    stems = [path.stem for path in files]
    names = stems if len(set(stems)) == len(stems) else [str(path) for path in files]  # a.jsonl, b/a.jsonl
    parsed: list[RealQuery] = []
    sets: list[str] = []
    for path, name in zip(files, names, strict=True):
        read = read_queries(path, name if name != path.stem else None)
        parsed.extend(read)
        sets.extend([name] * len(read))
    with tempfile.TemporaryDirectory(prefix="creatormatch-real-") as scratch:
        folder = work or Path(scratch)
        data_dir, imported = real, None
        if not is_contract_folder(real):
            data_dir = folder / "data"
            imported = import_youtube([real], data_dir)
        # Before the build: a missing categories file, or queries none of which can be scored, are told at once.
        checked_labels(data_dir, parsed, source=real if imported is not None else None, warn=False)
        # encode_only: the build's threads spin, as in `creatormatch build`; the 30-odd queries after it do not mind.
        # The baseline is always fp32. With build_precision int8 the build embeds with the int8 model, and with
        # encoder_precision int8 the system's queries are encoded as a served bundle's would be, so either use of
        # the int8 model is judged by this command. (A build with either setting makes the int8 model when it is
        # missing, so the build makes its own encoder and the query encoder comes after it.)
        encoder = encoder_from_settings(settings.model_copy(update={"build_precision": "fp32"}), encode_only=True)
        built = build_bundle(data_dir, folder / "indexes", settings, progress=progress,
                             encoder=None if settings.build_precision == "int8" else encoder)
        queries_encoder = encoder_from_settings(settings) if settings.encoder_precision == "int8" else None
        return RealRun(imported=imported, quality=evaluate_real(data_dir, built.bundle, parsed, encoder, settings,
                                                                queries_encoder, sets if len(files) > 1 else None))
