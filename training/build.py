"""The offline build: validate inputs, compute features, embed, index, and write a versioned bundle."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from tqdm import tqdm

from creatormatch import __version__
from creatormatch.authenticity import authenticity_signals
from creatormatch.bundle import file_checksums, new_version, prune_bundles, staged_bundle, work_folder, write_posts
from creatormatch.config import Settings
from creatormatch.dataset import Dataset, load_dataset
from creatormatch.encoder import (
    EmbeddingCache,
    Encoder,
    EncoderError,
    cache_key,
    encoder_from_settings,
    precision_of,
    preload,
)
from creatormatch.features import creator_aggregates, default_as_of, newest_post_date, peer_features
from creatormatch.follower_model import FollowerModel, audience_credibility
from creatormatch.index import IndexInfo, build_index, write_index
from creatormatch.lexical import LEXICAL_DIR, LexicalBuilder
from creatormatch.manifest import (
    CREATOR_VECTORS,
    CREATORS_FILE,
    INDEX_FILE,
    MANIFEST,
    POST_TERMS,
    POSTS_FILE,
    REJECTS_FILE,
    REPORT_FILE,
    TERM_VECTORS,
    TERMS_FILE,
    Manifest,
)
from creatormatch.text import bio_document, clean_document_expr, creator_document, post_document_expr, term_text
from creatormatch.vectors import CreatorVectors, Vectors
from training.chunked import CHUNK_POSTS, Terms, chunks, term_pass, vector_pass
from training.engines import Engine, LocalEngine

logger = logging.getLogger(__name__)


@dataclass
class BuildResult:
    """What a build produced."""

    bundle: Path
    manifest: Manifest
    report: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)


STAGES = ["validate", "load model", "features", "vocabulary", "lexical", "embed bios", "embed documents",
          "embed terms", "vectors", "index", "write"]
# Settings that shape a bundle's content, recorded in its manifest.
BUILD_SETTINGS = ("vocab_min_df", "vocab_max_terms", "recent_posts", "tier_group_min_size", "exact_search_max_rows",
                  "ivf_recall_target",
                  "creator_doc_chars", "creator_doc_weight", "bio_weight")
# Newest posts per creator read into the creator document (its length is capped by the creator_doc_chars setting).
DOC_POSTS = 12


def _preload_if_needed(encoder: Encoder, cache: EmbeddingCache, texts: list[str]) -> None:
    """Start loading the model in the background when some of texts are not cached (and the encoder can)."""
    if cache.missing(texts):
        preload(encoder)


class _Stages:
    """Times each stage and shows it on a progress bar."""

    def __init__(self, names: list[str], show: bool) -> None:
        self.timings: dict[str, float] = {}
        self.bar = tqdm(total=len(names), desc="build", unit="stage", disable=not show, leave=show)
        self.show = show

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.bar.set_postfix_str(name)
        started = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - started, 3)
        self.bar.update(1)

    def counter(self, total: int, desc: str) -> tqdm:
        return tqdm(total=total, desc=desc, unit="text", disable=not self.show, leave=False)


@dataclass
class Prepared:
    """Everything the build computes before the index: features, posts in bundle order, terms, vectors.

    The post-term matrix and the keyword index are already on disk, in the work folder (work/post_terms,
    work/lexical), and move into the bundle as they are.
    """

    dataset: Dataset
    data_hash: str
    features: pl.DataFrame
    posts: pl.DataFrame
    terms: Terms
    term_vectors: Vectors
    vectors: CreatorVectors
    work: Path
    with_lexical: bool
    encoder: Encoder
    as_of: datetime | None
    report: dict[str, Any]


def prepare(data_dir: Path, settings: Settings, stages: _Stages, work: Path, encoder: Encoder | None = None,
            strict: bool = False, with_lexical: bool = True, engine: Engine | None = None) -> Prepared:
    """Validate, compute features, embed bios, documents and caption terms, and form creator vectors.

    Creators are in bundle order (sorted by id) throughout: row i of every table and array is creator i. The
    posts are tokenised and weighted a chunk of creators at a time (training.chunked).

    Args:
        data_dir: folder with creators.*, posts.* and the optional tables.
        settings: model, cache and feature settings.
        stages: stage timer and progress bar.
        work: an empty folder for intermediate files (the caller removes it).
        encoder: the text encoder; None loads the one the settings name.
        strict: fail on any rejected row.
        with_lexical: also build the keyword index (the feature table alone does not need it).
        engine: where features and embedding run (default: this process).

    Returns:
        The prepared tables and vectors.

    Raises:
        InputError: unusable input.
        EncoderError: the model cannot be loaded.
    """
    with stages.stage("validate"):
        dataset = load_dataset(data_dir, strict=strict)
        data_hash = dataset.content_hash()
    engine = engine or LocalEngine()
    with stages.stage("load model"):
        # The int8 model is made (when a setting asks for it) before an int8 encoder is asked for, so that the
        # first int8 build does not say it falls back to fp32 and then embed in int8.
        active: Encoder = encoder or encoder_from_settings(settings.model_copy(update={"build_precision": "fp32"}),
                                                           encode_only=True)
        made = "int8" in (settings.encoder_precision, settings.build_precision) and _ensure_int8(active, settings)
        if encoder is None and settings.build_precision == "int8":
            if made:
                active = encoder_from_settings(settings, encode_only=True)
            else:
                logger.warning("build_precision is int8 but there is no int8 model; embedding in fp32")
    creators = dataset.creators.sort("creator_id")
    bio_docs = [bio_document(b, c) for b, c in zip(creators.get_column("bio").to_list(),
                                                    creators.get_column("categories").to_list(), strict=True)]
    cache = EmbeddingCache(settings.cache_path, cache_key(active), active.dimension)
    try:
        # The model loads while features and vocabulary run.
        _preload_if_needed(active, cache, [d for d in bio_docs if d and settings.bio_weight > 0])
        with stages.stage("features"):
            posts = bundle_posts(dataset.posts, creators)
            # The bundle's copy is the one used from here on: the validated one is dropped (several GB at 1M).
            files = dataset.report()
            dataset.posts = dataset.posts.clear()
            newest = newest_post_date(posts)  # once: the features' as-of date and the manifest's
            features = engine.features(creators, posts, dataset, settings, newest or datetime.now(UTC))
            rows = posts.get_column("creator_row").to_numpy()
            text = posts.get_column("caption").str.len_bytes().fill_null(0).to_numpy()
            parts = chunks(np.bincount(rows, minlength=creators.height).astype(np.int64),
                           text_bytes=np.bincount(rows, weights=text, minlength=creators.height).astype(np.int64))
        with stages.stage("vocabulary"):
            # Tokenised once, a chunk at a time: the vocabulary's statistics and the keyword index both read it.
            lexical = LexicalBuilder(work, creators.height) if with_lexical else None
            terms = term_pass(posts, profile_texts(creators), parts, work, settings.vocab_min_df,
                              settings.vocab_max_terms, lexical)
            term_texts = [term_text(t) for t in terms.terms]
            _preload_if_needed(active, cache, term_texts)
        with stages.stage("lexical"):
            # Needs no embeddings: it runs while the model loads in the background.
            if lexical is not None:
                lexical.write(work / LEXICAL_DIR)
        with stages.stage("embed bios"):
            # A weight of 0 skips the stage: nothing embedded is wasted on a share that counts for nothing.
            bios = _embed_per_creator(engine, active, bio_docs if settings.bio_weight > 0 else [],
                                      creators.height, cache, stages, "embed bios")
        with stages.stage("embed documents"):
            texts = (creator_documents(creators, posts, settings.creator_doc_chars)
                     if settings.creator_doc_weight > 0 else [])
            documents = _embed_per_creator(engine, active, texts, creators.height, cache, stages, "embed documents")
        with stages.stage("embed terms"):
            bar = stages.counter(len(set(term_texts)), "embed terms")
            term_vectors, terms_encoded = engine.encode(active, term_texts, cache, progress=bar.update)
            term_vectors = term_vectors.reshape(len(term_texts), active.dimension)
            bar.close()
    finally:
        cache.close()
    with stages.stage("vectors"):
        result = vector_pass(posts, parts, work, terms, term_vectors, (bios.vectors, bios.present),
                             settings.bio_weight, documents.vectors, settings.creator_doc_weight)
        features = features.with_columns(
            pl.Series("niche_focus", result.niche_focus).fill_nan(None),
            pl.Series("has_text", bios.present | documents.present | (np.linalg.norm(result.vectors, axis=1) > 0)),
        )
    report = _report(dataset, files, features, posts, len(terms.terms), bios, documents,
                     (len(set(term_texts)), terms_encoded))
    return Prepared(dataset, data_hash, features, posts, terms, term_vectors, result, work, with_lexical, active,
                    newest, report)


def bundle_posts(posts: pl.DataFrame, creators: pl.DataFrame) -> pl.DataFrame:
    """Posts in bundle order: grouped by creator row, newest first; `caption` holds the whole post text.

    Args:
        posts: validated posts.
        creators: creators in bundle order.

    Returns:
        The posts with `creator_row`.
    """
    rows = creators.select("creator_id", pl.int_range(pl.len(), dtype=pl.Int64).alias("creator_row"))
    # A post's text is its title, tags and caption (videos have all three; most posts only a caption).
    return (posts.with_columns(post_document_expr().alias("caption"))
            .join(rows, on="creator_id", how="inner")
            .sort(["creator_row", "posted_at", "post_id"], descending=[False, True, False], nulls_last=True))


def creator_features(creators: pl.DataFrame, posts: pl.DataFrame, dataset: Dataset, settings: Settings,
                     as_of: datetime | None = None, chunk_posts: int = CHUNK_POSTS) -> pl.DataFrame:
    """Every creator feature, audience credibility and the authenticity signals, in bundle order.

    The per-creator aggregates run a chunk of creators at a time (their posts, history and follower samples),
    so memory follows the chunk, not the corpus; the comparisons with peers run once over all of them.

    Args:
        creators: creators in bundle order.
        posts: bundle_posts (grouped by creator_row).
        dataset: the validated input (follower history and samples).
        settings: recent_posts and tier_group_min_size.
        as_of: the date recency is measured from; default default_as_of(posts).
        chunk_posts: posts per chunk.

    Raises:
        FollowerModelError: the follower model cannot be loaded.
    """
    history, samples = dataset.follower_history, dataset.follower_samples
    model = FollowerModel.load() if samples is not None else None
    as_of = as_of or default_as_of(posts)
    counts = np.bincount(posts.get_column("creator_row").to_numpy(), minlength=creators.height).astype(np.int64)
    aggregates, credibility = [], []
    for part in chunks(counts, chunk_posts):
        mine = creators.slice(part.first, part.end - part.first)
        ids = mine.get_column("creator_id").implode()
        aggregates.append(creator_aggregates(
            mine, posts.slice(part.first_post, part.end_post - part.first_post).drop("creator_row"),
            history.filter(pl.col("creator_id").is_in(ids)) if history is not None else None,
            as_of=as_of, recent_posts=settings.recent_posts))
        if samples is not None and model is not None:
            credibility.append(audience_credibility(samples.filter(pl.col("creator_id").is_in(ids)), model))
    return assemble_features(creators, aggregates, credibility, settings.tier_group_min_size)


def assemble_features(creators: pl.DataFrame, aggregates: list[pl.DataFrame], credibility: list[pl.DataFrame],
                      tier_group_min_size: int) -> pl.DataFrame:
    """The second pass over the parts' results (chunks here, partitions on Ray): the comparisons with peers over
    every creator, audience credibility and the authenticity signals, in bundle order.

    Args:
        creators: creators in bundle order.
        aggregates: creator_aggregates of each part.
        credibility: audience_credibility of each part (empty without follower samples).
        tier_group_min_size: creators needed in a platform+tier group to rank within it.
    """
    features = peer_features(pl.concat(aggregates), tier_group_min_size)
    features = creators.select("creator_id").join(features, on="creator_id", how="left", maintain_order="left")
    if credibility:
        features = features.join(pl.concat(credibility), on="creator_id", how="left", maintain_order="left")
    features = features.join(authenticity_signals(features), on="creator_id", how="left", maintain_order="left")
    if not features.get_column("creator_id").equals(creators.get_column("creator_id")):
        raise AssertionError("features lost the bundle order")  # row i must stay creator i
    return features


def _ensure_int8(encoder: Encoder, settings: Settings) -> bool:
    """Make the int8 model that encoder_precision or build_precision int8 asks for; whether it exists. A log line
    when it cannot be made, and the build goes on in fp32."""
    from creatormatch.onnx_encoder import OnnxEncoder
    from training.quantize import ensure_int8

    if not isinstance(encoder, OnnxEncoder):
        return False  # sentence-transformers: no int8 model applies (the callers say so)
    try:
        ensure_int8(encoder.export, settings.model_cache_dir)
    except EncoderError as exc:
        logger.warning("%s; encoding in fp32", exc)
        return False
    return True


def profile_texts(creators: pl.DataFrame) -> list[pl.Series]:
    """The texts of each creator's profile that go into the keyword index beside their posts: bio and name
    (channel names often say the niche), and topics."""
    names = pl.concat_str([pl.col("display_name").fill_null(""), pl.col("handle").fill_null("")], separator=" ")
    profile = creators.select(pl.concat_str([pl.col("bio").fill_null(""), names], separator=" ")).to_series()
    topics = creators.select(pl.col("categories").list.join(" ").fill_null("")).to_series()
    return [profile, topics]


@dataclass
class PerCreator:
    """One embedded text per creator: vectors (zero rows where a creator has no text) and the encoder's work."""

    vectors: Vectors
    present: npt.NDArray[np.bool_]
    distinct: int
    encoded: int


def _embed_per_creator(engine: Engine, encoder: Encoder, texts: list[str], n_creators: int, cache: EmbeddingCache,
                       stages: _Stages, name: str) -> PerCreator:
    """The vectors of one text per creator (texts empty: none embedded, every row zero)."""
    present = np.array([bool(t) for t in texts], dtype=bool) if texts else np.zeros(n_creators, dtype=bool)
    given = [t for t in texts if t]
    bar = stages.counter(len(set(given)), name)
    found, encoded = engine.encode(encoder, given, cache, progress=bar.update)
    bar.close()
    vectors = np.zeros((n_creators, encoder.dimension), dtype=np.float32)
    if given:
        vectors[present] = found
    return PerCreator(vectors, present, len(set(given)), encoded)


def _report(dataset: Dataset, files: dict[str, dict[str, int]], features: pl.DataFrame, posts: pl.DataFrame,
            n_terms: int, bios: PerCreator, documents: PerCreator, terms: tuple[int, int]) -> dict[str, Any]:
    distinct_terms, terms_encoded = terms
    return {
        "files": files,
        "rejected_rows": dataset.rejects.height,
        "creators_indexed": features.height,
        "creators_without_text": int((~features.get_column("has_text")).sum()),
        "posts_indexed": posts.height,
        "terms": n_terms,
        "bios_encoded": bios.encoded,
        "bios_from_cache": bios.distinct - bios.encoded,
        "documents_encoded": documents.encoded,
        "documents_from_cache": documents.distinct - documents.encoded,
        "terms_encoded": terms_encoded,
        "terms_from_cache": distinct_terms - terms_encoded,
    }


def creator_documents(creators: pl.DataFrame, posts: pl.DataFrame, max_chars: int) -> list[str]:
    """The creator_document of each creator row: name, bio, topics and their newest posts' text (cleaned).

    Args:
        creators: creators in bundle order.
        posts: bundle_posts (with `creator_row`, newest first within each creator).
        max_chars: longest document.

    Returns:
        One text per creator row (empty for a creator with no text at all).
    """
    # Links, handles and calls to action are left out of what is embedded (clean_document_expr); a post left
    # with no text takes no place.
    newest = (posts.select("creator_row", clean_document_expr(pl.col("caption")).alias("caption"))
              .group_by("creator_row", maintain_order=True)
              .agg(pl.col("caption").filter(pl.col("caption") != "").head(DOC_POSTS)))
    by_row = dict(zip(newest.get_column("creator_row").to_list(), newest.get_column("caption").to_list(),
                      strict=True))
    names = creators.select(pl.coalesce(pl.col("display_name"), pl.col("handle"))).to_series().to_list()
    return [creator_document(name, bio, categories, by_row.get(row) or [], max_chars)
            for row, (name, bio, categories) in enumerate(zip(names, creators.get_column("bio").to_list(),
                                                              creators.get_column("categories").to_list(),
                                                              strict=True))]


def build_features(data_dir: Path, settings: Settings, encoder: Encoder | None = None, strict: bool = False,
                   progress: bool = False) -> pl.DataFrame:
    """The creator feature table alone (what `creatormatch features` writes), niche focus included.

    Raises:
        InputError: unusable input.
        EncoderError: the model cannot be loaded.
    """
    stages = _Stages(STAGES[:STAGES.index("vectors") + 1], progress)
    with tempfile.TemporaryDirectory(prefix="creatormatch-features-") as work:
        prepared = prepare(data_dir, settings, stages, Path(work), encoder, strict, with_lexical=False)
    stages.bar.close()
    return prepared.features


def build_bundle(data_dir: Path, out_root: Path, settings: Settings, encoder: Encoder | None = None,
                 strict: bool = False, progress: bool = False, engine: Engine | None = None) -> BuildResult:
    """Build a bundle from the input folder and make it current.

    Args:
        data_dir: folder with creators.*, posts.* and the optional tables.
        out_root: bundles folder; the bundle is written to out_root/<version> and out_root/current points at it.
        settings: model, cache and index settings.
        encoder: the text encoder; None loads the one the settings name.
        strict: fail on any rejected row.
        progress: show progress bars (on stderr).
        engine: where features and embedding run (default: this process; see training.engines).

    Returns:
        Where the bundle is and what it holds.

    Raises:
        InputError: unusable input (nothing is written).
        EncoderError: the model cannot be loaded (nothing is written).
        BundleError: the bundle folder cannot be written.
    """
    stages = _Stages(STAGES, progress)
    written: Path | None = None  # the new bundle, once `current` names it
    try:
        with work_folder(out_root) as work:
            prepared = prepare(data_dir, settings, stages, work, encoder, strict, engine=engine)
            with stages.stage("index"):
                index, info = build_index(prepared.vectors.vectors, settings.exact_search_max_rows, settings.ivf_nprobe,
                                          recall_target=settings.ivf_recall_target)
            version = new_version(prepared.data_hash)
            manifest = _manifest(version, prepared, info, settings)
            with stages.stage("write"), staged_bundle(out_root, version) as staging:
                write_index(index, staging / INDEX_FILE)
                _write_tables(staging, prepared)
                prepared.report["timings_s"] = stages.timings
                (staging / REPORT_FILE).write_text(json.dumps(prepared.report, indent=2, sort_keys=True))
                # Checked at every load and by `creatormatch verify`: a file changed or damaged after the build is
                # refused.
                manifest.files = file_checksums(staging)
                # The manifest goes last: a folder without one is never taken for a bundle.
                (staging / MANIFEST).write_text(manifest.to_json())
            written = out_root / version
        stages.bar.close()
        # Never the bundle `current` names, nor one a running service marked as the one it serves.
        prune_bundles(out_root, settings.keep_bundles)
    except KeyboardInterrupt:
        if written is not None:
            raise InterruptedAfterWrite(written) from None
        raise
    return BuildResult(bundle=out_root / version, manifest=manifest, report=prepared.report, timings=stages.timings)


class InterruptedAfterWrite(KeyboardInterrupt):
    """An interrupt once the new bundle was written and `current` named it (while the build's work folder or old
    bundles were removed)."""

    def __init__(self, bundle: Path) -> None:
        super().__init__(f"interrupted after {bundle} was written")
        self.bundle = bundle


def _write_tables(staging: Path, prepared: Prepared) -> None:
    """Every file of the bundle but the index, the report and the manifest."""
    result = prepared.vectors
    # Written to the work folder by the chunked passes, on the same file system: moved, not copied.
    os.replace(prepared.work / POST_TERMS, staging / POST_TERMS)
    if prepared.with_lexical:
        os.replace(prepared.work / LEXICAL_DIR, staging / LEXICAL_DIR)
    np.save(staging / CREATOR_VECTORS, result.vectors)
    np.save(staging / TERM_VECTORS, prepared.term_vectors)
    pl.DataFrame({"term": prepared.terms.terms, "idf": prepared.terms.idf},
                 schema={"term": pl.String, "idf": pl.Float32}).write_parquet(staging / TERMS_FILE)
    prepared.features.write_parquet(staging / CREATORS_FILE)
    write_posts(prepared.posts.select(
        "post_id", "creator_id", "creator_row", "posted_at", "caption", "format", "likes", "comments", "views",
        pl.Series("post_norm", result.post_norms),
    ), staging / POSTS_FILE)
    prepared.dataset.rejects.write_csv(staging / REJECTS_FILE)


def _manifest(version: str, prepared: Prepared, info: IndexInfo, settings: Settings) -> Manifest:
    encoder = prepared.encoder
    return Manifest(
        version=version,
        model_name=encoder.name,
        model_weights_sha256=encoder.weights_sha256,
        dimension=encoder.dimension,
        creators=prepared.features.height,
        posts=prepared.posts.height,
        terms=len(prepared.terms.terms),
        index_factory=info.factory,
        index_metric=info.metric,
        index_nprobe=info.nprobe,
        recall_at_10=round(info.recall_at_10, 4),
        recall_queries=info.recall_queries,
        data_sha256=prepared.data_hash,
        code_version=__version__,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        as_of=prepared.as_of.isoformat() if prepared.as_of else "",
        settings={name: getattr(settings, name) for name in BUILD_SETTINGS},
        encoder_backend=str(getattr(encoder, "backend", "")),
        model_onnx_sha256=str(getattr(encoder, "model_sha256", "")),  # the int8 model's for an int8 build
        encoder_precision=precision_of(encoder),
    )
