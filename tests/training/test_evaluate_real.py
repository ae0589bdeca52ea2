"""Quality on real labelled YouTube channels, beside the plain-embedding baseline, and the queries file contract."""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import polars as pl
import pytest

from creatormatch.bundle import read_posts
from creatormatch.config import Settings
from creatormatch.dataset import InputError
from creatormatch.encoder import Encoder, cache_key, encoder_from_settings
from creatormatch.onnx_encoder import OnnxEncoder
from training.build import build_bundle
from training.evaluate_real import (
    RealQuality,
    RealQuery,
    Scores,
    checked_labels,
    evaluate_real,
    evaluate_real_folder,
    gain_interval,
    precision_and_ndcg,
    read_queries,
)
from training.importers import import_youtube
from training.importers.youtube import csv_creator_id
from training.quantize import ensure_int8

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "data" / "real" / "youtube_trending"
QUERIES = ROOT / "benchmarks" / "real" / "youtube_queries.jsonl"
# Written after every ranking setting had been chosen on QUERIES, and committed before it was first run.
QUERIES_2 = ROOT / "benchmarks" / "real" / "youtube_queries_2.jsonl"


def test_precision_and_ndcg_by_hand() -> None:
    assert precision_and_ndcg(["a", "b", "a"], {"a"}, n_relevant=2, k=3) == pytest.approx(
        (2 / 3, (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))))
    # A short list is not a precise one; nothing relevant in the collection gives nDCG 0.
    assert precision_and_ndcg(["a"], {"a"}, n_relevant=5, k=10)[0] == pytest.approx(0.1)
    assert precision_and_ndcg(["b"], {"a"}, n_relevant=0, k=10) == (0.0, 0.0)


def test_gain_interval_is_a_seeded_paired_bootstrap() -> None:
    system, baseline = [0.9, 0.5, 0.3, 0.0, 1.0], [0.8, 0.5, 0.1, 0.0, 0.6]
    low, high = gain_interval(system, baseline)
    assert (low, high) == gain_interval(system, baseline)  # seeded: the same scores print the same interval
    # Inside the smallest and the largest gain of a query, around the mean gain.
    assert 0.0 <= low < float(np.mean(np.subtract(system, baseline))) < high <= 0.4
    assert gain_interval([0.5, 0.7], [0.4, 0.6]) == pytest.approx((0.1, 0.1))  # every query gains the same
    assert gain_interval([], []) == (0.0, 0.0)
    # Paired: a query hard for both (0, 0) adds no spread, unlike resampling the two lists apart.
    wide = gain_interval([1.0, 0.0, 1.0, 0.0], [0.9, 0.0, 0.9, 0.0])
    assert wide[1] - wide[0] <= 0.1


def test_queries_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"kind": "search", "q": "football", "relevant": ["Sports"]}\n{"kind": "search"}\n')
    with pytest.raises(InputError, match=r"q.jsonl: line 2: relevant: Field required"):
        read_queries(path)
    path.write_text('# comment\n\n{"kind": "match", "q": "x", "relevant": ["Sports"]}\n')
    with pytest.raises(InputError, match="line 3: a search needs q, a match needs brief"):
        read_queries(path)
    assert len(read_queries(QUERIES)) >= 30
    # What GET /search and POST /match would refuse is refused here, before any import or build.
    path.write_text('{"kind": "search", "q": "football", "relevant": ["Sports"]}\n'
                    '{"kind": "search", "q": "   ", "relevant": ["Music"]}\n')
    with pytest.raises(InputError, match="line 2: q: "):
        read_queries(path)
    path.write_text(json.dumps({"kind": "search", "q": "x" * 501, "relevant": ["Music"]}) + "\n")
    with pytest.raises(InputError, match="line 1: q: "):
        read_queries(path)
    path.write_bytes(b"\xef\xbb\xbf" + QUERIES.read_bytes())  # a byte-order mark, as Windows editors write
    assert len(read_queries(path)) == len(read_queries(QUERIES))


def test_nothing_labelled_is_an_input_error_not_a_row_of_zeros(real_encoder: Encoder, tmp_path: Path) -> None:
    pl.DataFrame({"creator_id": ["a", "b"], "category_id": ["10", "24"], "category": [None, None]},
                 schema={"creator_id": pl.Utf8, "category_id": pl.Utf8, "category": pl.Utf8}
                 ).write_parquet(tmp_path / "labels.parquet")
    with pytest.raises(InputError, match="no creator in .* has a category title"):
        evaluate_real(tmp_path, tmp_path / "no-bundle", read_queries(QUERIES), real_encoder, Settings())


def test_missing_labels_are_told_before_the_build_and_unknown_labels_warned(tmp_path: Path,
                                                                            caplog: pytest.LogCaptureFixture) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "US.csv").write_text("video_id,channel_title,category_id,title\nv1,Chan,10,Song\n")
    with pytest.raises(InputError, match="has a category title"):  # no categories.json: refused, nothing built
        evaluate_real_folder(exports, QUERIES, Settings(cache_path=tmp_path / "c.sqlite"), work=tmp_path / "work")
    assert not (tmp_path / "work" / "indexes").exists()
    (exports / "categories.json").write_text('{"10": "Music"}')
    import_youtube([exports], tmp_path / "data")
    with caplog.at_level("WARNING"):
        assert checked_labels(tmp_path / "data", read_queries(QUERIES)) == {csv_creator_id("Chan"): {"Music"}}
    assert "no creator is labelled Sports, so the query 'football' cannot be scored and is left out (labels " \
           "here: Music)" in caplog.text
    # A label differing only in case or spacing is the same label.
    lower = tmp_path / "lower.jsonl"
    lower.write_text('{"kind": "search", "q": "songs", "relevant": ["  music "]}\n')
    caplog.clear()
    with caplog.at_level("WARNING"):
        checked_labels(tmp_path / "data", read_queries(lower))
    assert "cannot be scored" not in caplog.text


def test_labels_in_csv_or_jsonl_with_several_labels_a_creator(tmp_path: Path, caplog: pytest.LogCaptureFixture
                                                              ) -> None:
    """Real users bring their own labels: CSV, JSONL or Parquet, a label a row or a list of them, ids as numbers."""
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"kind": "search", "q": "songs", "relevant": ["Music"]}\n')
    data = tmp_path / "data"
    data.mkdir()
    (data / "labels.csv").write_text("creator_id,category\nc1,Music\nc1,Comedy\nc2, \n7,Music\n")
    assert checked_labels(data, read_queries(queries)) == {"c1": {"Music", "Comedy"}, "7": {"Music"}}
    (data / "labels.jsonl").write_text('{"creator_id": "c3", "category": ["Music", "Gaming"]}\n')
    with pytest.raises(InputError, match="more than one file holds the labels"):
        checked_labels(data, read_queries(queries))
    (data / "labels.csv").unlink()
    assert checked_labels(data, read_queries(queries)) == {"c3": {"Music", "Gaming"}}
    (data / "labels.jsonl").unlink()
    (data / "labels.parquet").write_bytes(b"PAR1 not really parquet")
    with pytest.raises(InputError, match="labels.parquet.*cannot read"):
        checked_labels(data, read_queries(queries))
    assert precision_and_ndcg([frozenset({"comedy", "music"}), None, "music"], {"music"}, n_relevant=2, k=3)[0] == \
        pytest.approx(2 / 3)
    (data / "labels.parquet").unlink()
    # Ids stay text ("00123"), a CSV list is a JSON array as the data's own CSV lists are, JSON rows may mix a
    # label and a list, and a category that is neither is refused with its row.
    (data / "labels.csv").write_text('creator_id,category\n00123,"[""Music"",""Gaming""]"\n2.50,[Gaming]\n')
    assert checked_labels(data, read_queries(queries)) == {"00123": {"Music", "Gaming"}, "2.50": {"[Gaming]"}}
    (data / "labels.csv").unlink()
    (data / "labels.jsonl").write_text('{"creator_id": 1, "category": "Music"}\n'
                                       '{"creator_id": 2, "category": ["Music", "Gaming"]}\n')
    assert checked_labels(data, read_queries(queries)) == {"1": {"Music"}, "2": {"Music", "Gaming"}}
    (data / "labels.jsonl").write_text('{"creator_id": "c1", "category": {"name": "Music"}}\n')
    with pytest.raises(InputError, match="labels.jsonl row 1: column 'category'.*text or a list of texts"):
        checked_labels(data, read_queries(queries))
    # With the data's creators beside them, labels of other creators are left out (with a warning), before any
    # build; labels only for other creators are refused.
    (data / "labels.jsonl").write_text('{"creator_id": "00123", "category": "Music"}\n'
                                       '{"creator_id": "elsewhere", "category": "Music"}\n')
    (data / "creators.csv").write_text("creator_id,platform\n00123,youtube\n")
    with caplog.at_level("WARNING"):
        assert checked_labels(data, read_queries(queries)) == {"00123": {"Music"}}
    assert "1 labelled creator ids are not in the data's creators (such as 'elsewhere')" in caplog.text
    (data / "creators.csv").write_text("creator_id,platform\nsomeone,youtube\n")
    with pytest.raises(InputError, match="none of the 2 labelled creator ids is in"):
        checked_labels(data, read_queries(queries))
    (data / "creators.csv").write_text("id,platform\n00123,youtube\n")  # the build's checks tell this one
    assert checked_labels(data, read_queries(queries)) == {"00123": {"Music"}, "elsewhere": {"Music"}}


def test_queries_none_of_which_can_be_scored_are_refused_before_the_build(tmp_path: Path) -> None:
    """They used to give a table of zeros (and an interval of +0.000 to +0.000) with exit 0."""
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "US.csv").write_text("video_id,channel_title,category_id,title\nv1,Chan,10,Song\n")
    (exports / "categories.json").write_text('{"10": "Music", "17": "Sports"}')
    absent = tmp_path / "absent.jsonl"
    absent.write_text('{"kind": "search", "q": "football", "relevant": ["Sports"]}\n'
                      '{"kind": "search", "q": "trailers", "relevant": ["Trailers"]}\n')
    with pytest.raises(InputError, match="none of the 2 queries can be scored: no creator in the import of "
                                         f"{exports} has any of their relevant labels; the labels there are: Music"):
        evaluate_real_folder(exports, absent, Settings(cache_path=tmp_path / "c.sqlite"), work=tmp_path / "work")
    assert not (tmp_path / "work" / "indexes").exists()


def test_several_queries_files_are_pooled_and_each_reported_apart(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import training.evaluate_real as module

    seen: dict[str, Any] = {}

    def build(data_dir: Path, out: Path, settings: Settings, **options: Any) -> SimpleNamespace:  # noqa: ARG001
        return SimpleNamespace(bundle=out / "current")

    def judge(*arguments: Any) -> str:  # (data_dir, bundle, queries, encoder, settings, query_encoder, sets)
        seen["queries"], seen["sets"] = arguments[2], arguments[6]
        return "judged"

    monkeypatch.setattr(module, "build_bundle", build)
    monkeypatch.setattr(module, "evaluate_real", judge)
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "US.csv").write_text("video_id,channel_title,category_id,title\nv1,Chan,10,Song\n")
    (exports / "categories.json").write_text('{"10": "Music"}')
    other = tmp_path / "other"
    other.mkdir()
    (other / "youtube_queries.jsonl").write_text('{"kind": "search", "q": "pop songs", "relevant": ["Music"]}\n')
    settings = Settings(cache_path=tmp_path / "c.sqlite")
    evaluate_real_folder(exports, [QUERIES, QUERIES_2], settings, work=tmp_path / "work")
    first, second = len(read_queries(QUERIES)), len(read_queries(QUERIES_2))
    assert len(seen["queries"]) == first + second
    assert seen["sets"] == ["youtube_queries"] * first + ["youtube_queries_2"] * second
    # Two files of the same name are told apart by their paths; one file is one set, reported as before.
    evaluate_real_folder(exports, [QUERIES, other / "youtube_queries.jsonl"], settings, work=tmp_path / "work")
    assert seen["sets"] == [str(QUERIES)] * first + [str(other / "youtube_queries.jsonl")]
    evaluate_real_folder(exports, QUERIES, settings, work=tmp_path / "work")
    assert seen["sets"] is None
    # An error in one of two same-named files names it by its path.
    (other / "youtube_queries.jsonl").write_text('{"kind": "search", "relevant": ["Music"]}\n')
    with pytest.raises(InputError, match=f"{other / 'youtube_queries.jsonl'}.*line 1"):
        evaluate_real_folder(exports, [QUERIES, other / "youtube_queries.jsonl"], settings, work=tmp_path / "work")


def test_each_queries_file_gets_its_own_line_beside_the_pooled_table() -> None:
    def scores(values: list[float]) -> Scores:
        return Scores(precision=values, ndcg=values)

    per_query = [{"kind": "search", "set": "tuned", "system_p10": 0.8, "baseline_p10": 0.5},
                 {"kind": "match", "set": "tuned", "system_p10": 0.6, "baseline_p10": 0.4},
                 {"kind": "search", "set": "blind", "system_p10": 0.4, "baseline_p10": 0.5}]
    quality = RealQuality(creators=3, labelled=3, queries={"search": 2, "match": 1},
                          system={"search": scores([0.8, 0.4]), "match": scores([0.6])},
                          baseline={"search": scores([0.5, 0.5]), "match": scores([0.4])}, per_query=per_query,
                          sets=["tuned", "blind"])
    lines = quality.lines()
    assert lines[-2:] == ["tuned: P@10 search (1) 0.800 against 0.500, +0.300; briefs (1) 0.600 against 0.400, +0.200",
                          "blind: P@10 search (1) 0.400 against 0.500, -0.100"]
    assert lines[2].split()[3:6] == ["2", "0.600", "0.500"]  # the pooled row: both files' searches
    none_scored = RealQuality(creators=3, labelled=3, queries={"search": 2, "match": 1},
                              system=quality.system, baseline=quality.baseline, per_query=per_query,
                              sets=["tuned", "blind", "unknown labels"])
    assert none_scored.lines()[-1] == "unknown labels: no query could be scored (no creator has their relevant labels)"
    one_set = RealQuality(creators=3, labelled=3, queries={"search": 1}, system={"search": scores([0.8])},
                          baseline={"search": scores([0.5])}, per_query=[{**per_query[0], "set": ""}])
    assert not any(line.startswith(("tuned", ":")) for line in one_set.lines())


def test_an_int8_build_is_judged_against_an_fp32_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With build_precision int8 the build makes its own (int8) encoder, while the plain baseline, measured with
    the encoder handed to evaluate_real, stays fp32: otherwise the baseline would move with the setting."""
    import training.evaluate_real as module

    seen: dict[str, Any] = {}

    def build(data_dir: Path, out: Path, settings: Settings, **options: Any) -> SimpleNamespace:  # noqa: ARG001
        seen["build"], seen["build_precision"] = options.get("encoder"), settings.build_precision
        return SimpleNamespace(bundle=out / "current")

    def judge(*arguments: Any) -> str:  # evaluate_real(data_dir, bundle, queries, encoder, settings, query_encoder)
        seen["baseline"] = arguments[3]
        return "judged"

    monkeypatch.setattr(module, "build_bundle", build)
    monkeypatch.setattr(module, "evaluate_real", judge)
    export = encoder_from_settings(Settings())
    if isinstance(export, OnnxEncoder):  # with the int8 model there, an int8 setting would give an int8 encoder
        ensure_int8(export.export, Settings().model_cache_dir)
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "US.csv").write_text("video_id,channel_title,category_id,title\nv1,Chan,10,Song\n")
    (exports / "categories.json").write_text('{"10": "Music"}')
    settings = Settings(build_precision="int8", cache_path=tmp_path / "c.sqlite")
    run = evaluate_real_folder(exports, QUERIES, settings, work=tmp_path / "work")
    assert run.quality == "judged"
    assert seen["build"] is None and seen["build_precision"] == "int8"
    assert getattr(seen["baseline"], "precision", "fp32") == "fp32"


@pytest.mark.skipif(not REAL.is_dir(), reason="needs ../shared/data/real/youtube_trending")
def test_real_channels_beat_or_match_the_plain_baseline(real_encoder: Encoder, tmp_path: Path) -> None:
    data = tmp_path / "data"
    imported = import_youtube(sorted(REAL.glob("*.csv")), data)
    assert (imported.creators, imported.rejected) == (776, 2)
    settings = Settings(cache_path=tmp_path / "cache.sqlite")
    bundle = build_bundle(data, tmp_path / "indexes", settings, encoder=real_encoder).bundle
    for name, frame in (("creators.parquet", pl.read_parquet(bundle / "creators.parquet")),
                        ("posts.arrow", pl.from_arrow(read_posts(bundle / "posts.arrow")))):
        assert isinstance(frame, pl.DataFrame)
        floats = [c for c, t in frame.schema.items() if t in (pl.Float32, pl.Float64)]
        assert frame.select(pl.any_horizontal(~pl.col(floats).is_finite()).sum()).item() == 0, name
    assert np.isfinite(np.load(bundle / "creator_vectors.npy")).all()
    quality = evaluate_real(data, bundle, read_queries(QUERIES), real_encoder, settings)
    search, briefs = quality.system["search"], quality.system["match"]
    # Looser than the goals recorded in benchmarks/RESULTS.md (search +0.08, not met; briefs +0.05; measured
    # +0.068 and +0.082): the system must stay above the baseline on both. The first version (term-composed
    # creator vectors, rank fusion, the brief as one text) was below it on both.
    assert search.p10 >= quality.baseline["search"].p10 + 0.02, quality.lines()
    assert briefs.p10 >= quality.baseline["match"].p10 + 0.02, quality.lines()
    # The queries written after those settings were chosen (measured: search +0.005, briefs +0.109): briefs stay
    # above the baseline; search, level with it there, must not fall below it by more than a few results.
    blind = evaluate_real(data, bundle, read_queries(QUERIES_2), real_encoder, settings)
    assert blind.system["match"].p10 >= blind.baseline["match"].p10 + 0.02, blind.lines()
    assert blind.system["search"].p10 >= blind.baseline["search"].p10 - 0.03, blind.lines()
    # Both sets in one run: pooled in the table, each set's line the figures of its own run.
    pooled = [*read_queries(QUERIES), *read_queries(QUERIES_2)]
    names = ["tuned"] * len(read_queries(QUERIES)) + ["blind"] * len(read_queries(QUERIES_2))
    both = evaluate_real(data, bundle, pooled, real_encoder, settings, sets=names)
    assert both.system["search"].precision == quality.system["search"].precision + blind.system["search"].precision
    for name, alone in (("tuned", quality), ("blind", blind)):
        line = next(line for line in both.lines() if line.startswith(f"{name}: "))
        figures = (alone.system["search"].p10, alone.baseline["search"].p10, alone.system["match"].p10,
                   alone.baseline["match"].p10)
        assert line == (f"{name}: P@10 search ({alone.queries['search']}) {figures[0]:.3f} against "
                        f"{figures[1]:.3f}, {figures[0] - figures[1]:+.3f}; briefs ({alone.queries['match']}) "
                        f"{figures[2]:.3f} against {figures[3]:.3f}, {figures[2] - figures[3]:+.3f}")
    with pytest.raises(ValueError, match="1 set names for"):
        evaluate_real(data, bundle, pooled, real_encoder, settings, sets=["tuned"])
    body = json.dumps([q["query"] for q in quality.per_query])
    assert "NaN" not in body
    assert quality.query_precision == "fp32" and "system queries encoded in fp32" in quality.lines()[0]
    assert sum("paired bootstrap interval over" in line for line in quality.lines()) == 2
    # A query with a label in another case is scored; one with a label no creator has is left out of the means.
    extra = [*read_queries(QUERIES), RealQuery(kind="search", q="pop music videos", relevant=["music"]),
             RealQuery(kind="search", q="movie trailers", relevant=["Trailers"])]
    judged = evaluate_real(data, bundle, extra, real_encoder, settings)
    assert (judged.queries["search"], judged.left_out) == (quality.queries["search"] + 1, 1)
    assert judged.system["search"].precision[:-1] == quality.system["search"].precision
    assert judged.system["search"].precision[-1] > 0
    assert judged.lines()[-1].startswith("left out: 1 queries whose relevant labels no creator has")

    # The same labels as CSV, plus labels of a creator the data does not hold: they count for neither side, so a
    # query only that creator's label answers is left out rather than scored 0 for both.
    labels = pl.read_parquet(data / "labels.parquet").select("creator_id", "category")
    (data / "labels.parquet").rename(tmp_path / "labels.parquet")
    ghost = pl.DataFrame({"creator_id": ["yt-not-in-the-data"], "category": ["Trailers"]})
    pl.concat([labels, ghost]).write_csv(data / "labels.csv")
    as_csv = evaluate_real(data, bundle, extra, real_encoder, settings)
    assert as_csv.system["search"].precision == judged.system["search"].precision and as_csv.left_out == 1
    assert as_csv.baseline["search"].ndcg == judged.baseline["search"].ndcg
    (data / "labels.csv").unlink()
    (tmp_path / "labels.parquet").rename(data / "labels.parquet")

    # The opt-in int8 query encoder, judged the same way: the baseline is untouched (fp32, its cache not mixed
    # with int8 vectors) and the system's quality does not drop beyond a few results (measured: level).
    if not isinstance(real_encoder, OnnxEncoder):
        return
    ensure_int8(real_encoder.export, Settings().model_cache_dir)
    int8 = encoder_from_settings(Settings(encoder_precision="int8"))
    assert isinstance(int8, OnnxEncoder) and int8.precision == "int8"
    quantised = evaluate_real(data, bundle, read_queries(QUERIES), real_encoder, settings, query_encoder=int8)
    assert quantised.query_precision == "int8"
    for kind in ("search", "match"):
        assert quantised.baseline[kind].precision == quality.baseline[kind].precision
        assert quantised.system[kind].p10 >= quality.system[kind].p10 - 0.03, (quantised.lines(), quality.lines())

    # build_precision int8: the build embeds with the int8 model too. Its vectors are cached under their own key
    # (the fp32 ones are neither reused nor overwritten), stay close to fp32 and keep the quality within a few
    # results (measured: within 0.018 on the three real data sets, RESULTS.md 22:08 UTC).
    int8_settings = settings.model_copy(update={"build_precision": "int8"})
    int8_bundle = build_bundle(data, tmp_path / "indexes-int8", int8_settings).bundle
    with sqlite3.connect(settings.cache_path) as db:
        keys = {model for (model,) in db.execute("SELECT DISTINCT model FROM embeddings")}
    assert keys == {real_encoder.weights_sha256, cache_key(int8)}, keys
    manifests = [json.loads((b / "manifest.json").read_text()) for b in (bundle, int8_bundle)]
    assert "encoder_precision" not in manifests[0] and manifests[1]["encoder_precision"] == "int8"
    assert manifests[1]["model_onnx_sha256"] == int8.model_sha256 != manifests[0]["model_onnx_sha256"]
    fp32_vectors, int8_vectors = (np.load(b / "creator_vectors.npy") for b in (bundle, int8_bundle))
    cosine = np.sum(fp32_vectors * int8_vectors, axis=1)
    assert 0.98 <= cosine.min() and cosine.mean() < 0.99999, (cosine.min(), cosine.mean())
    built_int8 = evaluate_real(data, int8_bundle, read_queries(QUERIES), real_encoder, settings, query_encoder=int8)
    assert built_int8.bundle_precision == "int8" and "creators in int8" in built_int8.lines()[0]
    for kind in ("search", "match"):
        assert built_int8.baseline[kind].precision == quality.baseline[kind].precision
        assert built_int8.system[kind].p10 >= quality.system[kind].p10 - 0.03, (built_int8.lines(), quality.lines())
