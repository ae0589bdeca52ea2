"""The ONNX encoder against sentence-transformers (the reference), its cached export, and the fallbacks."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from creatormatch.config import Settings
from creatormatch.encoder import Encoder, EncoderError, SentenceEncoder, cache_key, encoder_from_settings, file_sha256
from creatormatch.onnx_encoder import (
    INT8_FILE,
    INT8_META_FILE,
    INT8_MIN_COSINE,
    META_FILE,
    ONNX_FILE,
    OnnxEncoder,
    OnnxExport,
    export_folder,
    int8_kernels,
    length_batches,
    read_export,
    read_int8,
)

ROOT = Path(__file__).resolve().parents[2]
YOUTUBE = ROOT.parent / "shared" / "data" / "real" / "youtube_trending"
SCRIPTS = [
    "การทำอาหารไทยง่ายๆ ที่บ้าน", "घर पर आसान भारतीय खाना", "日本のストリートフードを食べ歩き", "한국 뷰티 루틴 리뷰",
    "Приготовление борща дома", "وصفات طبخ عربية سهلة", "Ελληνική κουζίνα για αρχάριους", "מתכונים טבעוניים",
    "家常菜做法大全 简单易学", "Receitas veganas fáceis", "Çocuklar için oyuncak incelemesi", "Bánh mì Việt Nam",
]
EMOJI = ["🐶🐾", "💪🔥🏋️‍♀️", "🌱✨💚", "🎮🕹️", "👩🏽‍🍳🥘", "🇬🇧🇨🇦", "😂😂😂"]


def parity_texts() -> list[str]:
    """At least 1,000 varied texts: sample bios, captions and briefs; real YouTube titles and tags when the shared
    data is beside the project; texts far past the 256-token limit; emoji; twelve scripts; empty and odd ones."""
    from training.sample import generate_sample

    corpus = generate_sample(60, seed=5)
    texts: list[str] = [t for t in corpus.creators.get_column("bio").to_list() if t]
    captions = [t for t in corpus.posts.get_column("caption").to_list() if t]
    texts += captions[:400]
    for brand in corpus.brands.head(40).iter_rows(named=True):
        texts += [brand["product"], brand["audience"], brand["values"], ", ".join(brand["keywords"])]
        texts.append(" ".join([brand["name"], brand["values"], brand["product"], brand["audience"]]))
    texts += [" ".join(captions[i:i + 30]) for i in range(0, 300, 30)]  # long: truncated at the token limit
    for i, script in enumerate(SCRIPTS):
        emoji = EMOJI[i % len(EMOJI)]
        texts += [script, f"{script} {emoji}", f"{emoji} {captions[i]} {script}", (script + " ") * 60]
    texts += EMOJI + ["", " ", "a", "#", "   padded text   ", "ALL CAPS BRIEF", "x" * 3000, "🙂" * 400]
    if YOUTUBE.is_dir():
        videos = pl.read_csv(YOUTUBE / "GB_2017.csv", infer_schema=False, truncate_ragged_lines=True)
        texts += videos.get_column("title").unique(maintain_order=True).head(300).to_list()
        texts += [t.replace("|", " ") for t in videos.get_column("tags").unique(maintain_order=True).head(200)]
    return [str(t) for t in texts]


@pytest.fixture(scope="module")
def onnx_encoder(real_encoder: Encoder) -> OnnxEncoder:
    assert isinstance(real_encoder, OnnxEncoder), "the default encoder of these machines is the ONNX export"
    return real_encoder


def test_onnx_matches_sentence_transformers_on_varied_texts(onnx_encoder: OnnxEncoder,
                                                            reference_encoder: SentenceEncoder) -> None:
    texts = parity_texts()
    assert len(texts) >= 1000
    got = onnx_encoder.encode(texts)
    want = reference_encoder.encode(texts)
    cosine = np.sum(got * want, axis=1)
    worst = int(np.argmin(cosine))
    assert cosine[worst] >= 0.9999, f"cosine {cosine[worst]:.6f} on {texts[worst][:80]!r}"
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    # Batching by length must not change a text's vector: one at a time gives the same.
    alone = np.stack([onnx_encoder.encode([t])[0] for t in texts[::97]])
    assert np.allclose(alone, got[::97], atol=1e-5)


class CountingSession:
    """An onnxruntime session that counts its passes (and takes `delay` seconds longer over each)."""

    def __init__(self, session: Any, delay: float = 0.0) -> None:
        self.session, self.delay, self.passes = session, delay, 0

    def run(self, *args: Any) -> Any:
        self.passes += 1
        time.sleep(self.delay)
        return self.session.run(*args)


def test_several_sessions_encode_as_one_does(onnx_encoder: OnnxEncoder) -> None:
    """The build's sessions (one thread each, passes shared out as they finish) give each text its vector."""
    texts = parity_texts()[:600]
    parallel = OnnxEncoder(onnx_encoder.export, batch_size=16, threads=1, sessions=3)
    got = parallel.encode(texts)
    assert len(parallel._extra) == 2  # all three were made: 600 texts make many passes

    counted = [CountingSession(parallel._session), *(CountingSession(extra) for extra in parallel._extra)]
    parallel._session, parallel._extra = counted[0], counted[1:]  # type: ignore[assignment]
    assert np.allclose(parallel.encode(texts), got, atol=1e-6)
    assert all(c.passes > 0 for c in counted), [c.passes for c in counted]  # each session ran passes
    assert np.allclose(got, onnx_encoder.encode(texts), atol=1e-5)
    assert np.allclose(parallel.encode(texts[:1]), got[:1], atol=1e-5)  # one pass: the first session alone
    with pytest.raises(ValueError, match="at least 1"):
        OnnxEncoder(onnx_encoder.export, sessions=0)


def test_a_failing_session_fails_the_call(onnx_encoder: OnnxEncoder, monkeypatch: pytest.MonkeyPatch) -> None:
    parallel = OnnxEncoder(onnx_encoder.export, batch_size=4, threads=1, sessions=2)

    class Broken:
        def run(self, *args: object) -> None:
            raise RuntimeError("session broke")

    slow = CountingSession(parallel._ready()[0], delay=0.05)
    monkeypatch.setattr(parallel, "_session", slow)
    monkeypatch.setattr(parallel, "_extra", [Broken()])
    with pytest.raises(RuntimeError, match="session broke"):
        parallel.encode(parity_texts()[:64])  # 16 passes or more: the broken session takes one
    # The others stop after their current pass (an interrupt sets the same flag), not after every pass left.
    assert slow.passes <= 3, slow.passes


@pytest.mark.parametrize(("precision", "sessions", "threads", "want"), [
    ("int8", 0, 0, "auto"),  # an int8 build's default: one session a core (at most 4), one thread each
    ("fp32", 0, 0, (1, 0)),  # fp32 gained nothing from it (bench_sessions.py): one session
    ("int8", 0, 1, (1, 1)),  # threads pinned (Ray's encoder actors, `serve --workers`): one session
    ("int8", 0, 3, (1, 3)),
    ("fp32", 3, 6, (3, 2)),
    ("fp32", 2, 0, "two"),
    ("int8", 4, 2, (4, 1)),
])
def test_build_sessions_and_threads_follow_the_settings(onnx_encoder: OnnxEncoder, precision: str, sessions: int,
                                                          threads: int, want: object) -> None:
    from training.quantize import ensure_int8

    ensure_int8(onnx_encoder.export, onnx_encoder.export.folder.parent)
    cores = len(os.sched_getaffinity(0))
    settings = Settings(encoder_sessions=sessions, encoder_threads=threads, build_precision=precision,
                        encoder_precision=precision, model_cache_dir=onnx_encoder.export.folder.parent)
    build = encoder_from_settings(settings, encode_only=True)
    query = encoder_from_settings(settings)
    assert isinstance(build, OnnxEncoder) and isinstance(query, OnnxEncoder)
    assert build.precision == precision
    auto = min(cores, 4)
    expected = {"auto": (auto, max(1, cores // auto)) if auto > 1 else (1, 0),
                "two": (2, max(1, cores // 2))}.get(want, want) if isinstance(want, str) else want
    assert (build.sessions, build.threads) == expected
    assert (query.sessions, query.threads) == (1, threads)  # queries: one session, the threads as set


def _cost(lengths: list[int], slices: list[tuple[int, int]], overhead: int) -> int:
    return sum(overhead + (end - start) * lengths[start] for start, end in slices)


def _every_split(n: int) -> list[list[tuple[int, int]]]:
    """Every way to cut range(n) into consecutive slices."""
    if n == 0:
        return [[]]
    return [[*rest, (cut, n)] for cut in range(n) for rest in _every_split(cut)]


@pytest.mark.parametrize("seed", range(40))
def test_length_batches_are_the_cheapest_split_within_the_row_cap(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, max_rows, overhead = int(rng.integers(0, 9)), int(rng.integers(1, 5)), int(rng.integers(0, 30))
    lengths = sorted(rng.integers(1, 80, size=n).tolist(), reverse=True)
    got = length_batches(lengths, max_rows, overhead)
    assert [i for start, end in got for i in range(start, end)] == list(range(n))  # in order, each once
    assert all(0 < end - start <= max_rows for start, end in got)
    allowed = [split for split in _every_split(n) if all(end - start <= max_rows for start, end in split)]
    assert _cost(lengths, got, overhead) == min(_cost(lengths, split, overhead) for split in allowed)


def test_a_brief_of_short_and_long_fields_is_not_padded_to_the_longest() -> None:
    lengths = [60, 12, 10, 9, 8]
    assert length_batches(lengths, 64, 10) == [(0, 1), (1, 5)]
    assert length_batches([8] * 5, 64, 10) == [(0, 5)]  # alike lengths: one pass


def test_work_folders_of_exports_whose_process_is_gone_are_removed(tmp_path: Path) -> None:
    """A `model export` killed by SIGTERM left a ~170 MB work folder in the model cache that nothing removed."""
    from creatormatch.onnx_encoder import EXPORT_WORK_PREFIX, _remove_stale_exports

    gone = tmp_path / f"{EXPORT_WORK_PREFIX}999999999-k3x9a1"
    running = tmp_path / f"{EXPORT_WORK_PREFIX}{os.getpid()}-q8w2e0"
    for folder in (gone, running):
        folder.mkdir()
        (folder / ONNX_FILE).write_bytes(b"half a graph")
    _remove_stale_exports(tmp_path)
    assert not gone.exists() and (running / ONNX_FILE).exists()


def test_export_is_cached_verified_and_redone_when_damaged(tmp_path: Path, onnx_encoder: OnnxEncoder,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    cache = tmp_path / "models"
    folder = export_folder(cache, onnx_encoder.weights_sha256)
    folder.parent.mkdir(parents=True)
    import shutil

    shutil.copytree(onnx_encoder.export.folder, folder)
    settings = Settings(model_cache_dir=cache)
    encoder = encoder_from_settings(settings)
    assert isinstance(encoder, OnnxEncoder) and encoder.export.folder == folder
    meta = json.loads((folder / META_FILE).read_text())
    assert meta["weights_sha256"] == onnx_encoder.weights_sha256 and len(meta["onnx_sha256"]) == 64
    assert len(meta["tokenizer_sha256"]) == 64

    # A tokenizer that still parses but is not the one exported (here: lower-casing switched off).
    tokenizer = folder / "tokenizer.json"
    original = tokenizer.read_bytes()
    tokenizer.write_bytes(original.replace(b'"lowercase": true', b'"lowercase": false'))
    assert tokenizer.read_bytes() != original
    with caplog.at_level(logging.WARNING):
        assert read_export(cache, onnx_encoder.weights_sha256) is None
    assert "tokenizer.json does not match the sha256" in caplog.text
    tokenizer.write_bytes(original)
    assert read_export(cache, onnx_encoder.weights_sha256) is not None

    with (folder / ONNX_FILE).open("r+b") as handle:  # flip bytes in the middle of the graph's weights
        handle.seek(1 << 20)
        handle.write(b"\x00" * 64)
    with caplog.at_level(logging.WARNING):
        assert read_export(cache, onnx_encoder.weights_sha256) is None
    assert "does not match the sha256" in caplog.text
    (folder / META_FILE).write_text("{not json")
    assert read_export(cache, onnx_encoder.weights_sha256) is None


def test_the_shipped_model_is_exported_with_fused_attention(onnx_encoder: OnnxEncoder) -> None:
    import onnx

    assert onnx_encoder.export.fused
    graph = onnx.load(str(onnx_encoder.export.folder / ONNX_FILE), load_external_data=False).graph
    assert sum(node.op_type == "Attention" for node in graph.node) == 6  # one per layer of all-MiniLM-L6-v2


def test_a_model_the_optimizer_does_not_know_is_left_unfused(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from creatormatch.onnx_encoder import _fuse

    graph = tmp_path / ONNX_FILE
    graph.write_bytes(b"not even a graph")
    unknown = SimpleNamespace(config=SimpleNamespace(model_type="gpt_neox", num_attention_heads=8, hidden_size=512))
    assert not _fuse(graph, unknown)
    assert not _fuse(graph, SimpleNamespace(config=SimpleNamespace(model_type="bert")))  # no sizes
    bert = SimpleNamespace(config=SimpleNamespace(model_type="bert", num_attention_heads=12, hidden_size=384))
    levels = {name: logging.getLogger(name).level for name in ("onnx_model", "fusion_attention")}
    assert not _fuse(graph, bert)  # the optimizer cannot read it: kept as it was, with a log line
    assert graph.read_bytes() == b"not even a graph"
    assert [p.name for p in tmp_path.iterdir()] == [ONNX_FILE]
    assert {name: logging.getLogger(name).level for name in levels} == levels


@pytest.mark.parametrize("damage", ["unloadable", "different"])
def test_a_fused_graph_that_fails_its_check_gives_way_to_the_plain_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, damage: str) -> None:
    import onnx
    from onnx import numpy_helper

    import creatormatch.onnx_encoder as onnx_module
    from creatormatch.encoder import default_model_path

    def bad_fusion(path: Path, _transformer: object) -> bool:
        if damage == "unloadable":
            path.write_bytes(b"\x08\x07 a truncated graph")
        else:  # loads and runs, but every word embedding is scaled: other vectors
            model = onnx.load(str(path))
            biggest = max(model.graph.initializer, key=lambda t: np.prod(t.dims))
            biggest.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(biggest) * 3 + 0.1, biggest.name))
            onnx.save(model, str(path))
        return True

    monkeypatch.setattr(onnx_module, "_fuse", bad_fusion)
    with caplog.at_level(logging.INFO, logger="creatormatch.onnx_encoder"):
        export = onnx_module.export_onnx(default_model_path(), tmp_path / "models", "all-MiniLM-L6-v2")
    assert not export.fused and "keeping the ONNX graph unfused" in caplog.text
    assert sorted(p.name for p in export.folder.iterdir()) == [META_FILE, ONNX_FILE, "tokenizer.json"]
    assert read_export(tmp_path / "models", export.weights_sha256) == export
    assert OnnxEncoder(export).encode(["dog toys"]).shape == (1, export.dimension)


def test_threads_spin_only_for_the_build_unless_the_setting_says(onnx_encoder: OnnxEncoder) -> None:
    settings = Settings(model_cache_dir=onnx_encoder.export.folder.parent)
    queries, build = encoder_from_settings(settings), encoder_from_settings(settings, encode_only=True)
    assert isinstance(queries, OnnxEncoder) and isinstance(build, OnnxEncoder)
    assert (queries.spin_wait, build.spin_wait) == (False, True)
    forced = settings.model_copy(update={"encoder_spin_wait": True})
    assert isinstance(spinning := encoder_from_settings(forced), OnnxEncoder) and spinning.spin_wait
    texts = ["organic dog treats", "marathon training plans for beginners"]
    # The session option is taken, and vectors do not depend on it.
    assert np.allclose(queries.encode(texts), build.encode(texts), atol=1e-6)
    options = queries._ready()[0].get_session_options()
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


def test_a_model_that_cannot_be_exported_falls_back_unless_onnx_is_required(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import creatormatch.onnx_encoder as onnx_module

    def refuse(*_: object) -> None:
        raise EncoderError("the model has no fast (tokenizers) tokenizer")

    monkeypatch.setattr(onnx_module, "export_onnx", refuse)
    with caplog.at_level(logging.WARNING):
        encoder = encoder_from_settings(Settings(model_cache_dir=tmp_path / "none"))
    assert isinstance(encoder, SentenceEncoder)
    assert "encoding with sentence-transformers instead" in caplog.text
    with pytest.raises(EncoderError, match="fast"):
        encoder_from_settings(Settings(model_cache_dir=tmp_path / "none", encoder_backend="onnx"))
    assert isinstance(encoder_from_settings(Settings(encoder_backend="torch")), SentenceEncoder)


def test_a_folder_without_weights_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(EncoderError, match="no weight file"):
        encoder_from_settings(Settings(model_path=tmp_path, model_cache_dir=tmp_path / "models"))


def test_query_commands_never_import_torch(real_bundle: Path, real_encoder: Encoder) -> None:
    assert isinstance(real_encoder, OnnxEncoder)
    script = (
        "import sys\n"
        "import creatormatch.encoder\n"
        "preload = creatormatch.encoder.preload\n"
        "def spy(encoder):\n"
        "    print('AT PRELOAD', sorted(m for m in ('polars', 'faiss', 'scipy', 'pyarrow') if m in sys.modules))\n"
        "    preload(encoder)\n"
        "creatormatch.encoder.preload = spy\n"
        "from cli.main import main\n"
        "bundle = sys.argv[1]\n"
        "for args in (['match', '--brief', 'dog toys', '--json'], ['search', '--query', 'running shoes']):\n"
        "    sys.argv = ['creatormatch', *args, '--bundle', bundle]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as exc:\n"
        "        assert not exc.code, exc.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'torch', 'transformers', "
        "'sentence_transformers'})\n"
        "print('HEAVY', heavy)\n"
        # Start-up: the keyword index is read without pyarrow.parquet, whose pyarrow.dataset took 50-90 ms.
        "print('DATASET', 'pyarrow.dataset' in sys.modules)\n")
    env = {**os.environ, "CREATORMATCH_MODEL_CACHE_DIR": str(real_encoder.export.folder.parent)}
    done = subprocess.run([sys.executable, "-c", script, str(real_bundle)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[:2000]
    assert '"results"' in done.stdout
    assert "HEAVY []" in done.stdout, done.stdout[-500:]
    assert "DATASET False" in done.stdout, done.stdout[-500:]
    # Start-up: the model session is started before the bundle's libraries are imported (they load side by side);
    # the first command shows it (the second runs in the same process, with them imported).
    at_preload = [line for line in done.stdout.splitlines() if line.startswith("AT PRELOAD")]
    assert at_preload[0] == "AT PRELOAD []", at_preload


def test_a_process_that_exits_while_the_model_preloads_exits_cleanly(real_encoder: Encoder) -> None:
    """preload() creates the session on a thread; leaving at once (as a command refusing its bundle does) must
    end with the exit code given, not an abort (134) from a thread stopped inside onnxruntime at exit."""
    assert isinstance(real_encoder, OnnxEncoder)
    script = ("import sys, time\n"
              "import onnxruntime, tokenizers\n"
              "from creatormatch.config import Settings\n"
              "from creatormatch.encoder import encoder_from_settings, preload\n"
              "encoder = encoder_from_settings(Settings())\n"
              "preload(encoder)\n"
              "time.sleep(float(sys.argv[1]))\n"
              "sys.exit(2)\n")
    env = {**os.environ, "CREATORMATCH_MODEL_CACHE_DIR": str(real_encoder.export.folder.parent)}
    for delay in ("0", "0.05"):
        done = subprocess.run([sys.executable, "-c", script, delay], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=300)
        assert done.returncode == 2, (delay, done.returncode, done.stderr[-500:])


def test_an_unwritable_model_cache_falls_back_with_a_reason(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    with caplog.at_level(logging.WARNING):
        encoder = encoder_from_settings(Settings(model_cache_dir=blocked / "models"))
    assert isinstance(encoder, SentenceEncoder)
    assert "cannot write the ONNX export there" in caplog.text


def test_int8_model_is_made_once_checked_and_close_to_fp32_on_the_parity_set(onnx_encoder: OnnxEncoder) -> None:
    """The opt-in int8 model holds cosine >= 0.99 to fp32 on every parity text, is made once by an offline command,
    and is used where queries are answered with encoder_precision=int8, and by the build only with
    build_precision=int8."""
    from training.quantize import ensure_int8

    settings = Settings(encoder_precision="int8")
    made = ensure_int8(onnx_encoder.export, settings.model_cache_dir)
    stamp = made.stat().st_mtime_ns
    assert ensure_int8(onnx_encoder.export, settings.model_cache_dir) == made and made.stat().st_mtime_ns == stamp
    quick = encoder_from_settings(settings)
    assert isinstance(quick, OnnxEncoder) and quick.precision == "int8" and quick.model_file == INT8_FILE
    build = encoder_from_settings(settings, encode_only=True)
    assert isinstance(build, OnnxEncoder) and build.precision == "fp32"
    # build_precision is the build's own choice, and only the build's; the cache keeps the two apart.
    int8_build = encoder_from_settings(Settings(build_precision="int8"), encode_only=True)
    assert isinstance(int8_build, OnnxEncoder) and int8_build.precision == "int8"
    assert encoder_from_settings(Settings(build_precision="int8")).precision == "fp32"
    assert cache_key(build) == build.weights_sha256
    assert cache_key(int8_build) == f"{build.weights_sha256}:int8:{file_sha256(made)}"
    texts = parity_texts()
    cosine = np.sum(quick.encode(texts) * onnx_encoder.encode(texts), axis=1)
    worst = int(np.argmin(cosine))
    assert cosine[worst] >= INT8_MIN_COSINE, f"cosine {cosine[worst]:.4f} on {texts[worst][:80]!r}"
    assert cosine.mean() < 0.99999  # it is another model, not the fp32 one under another name
    # Frozen activation scales: a text encodes the same alone as beside others of any length (it did not with
    # dynamic scales, down to cosine 0.993), so a brief does not rank differently next to other requests.
    for text in ("dog toys", texts[len(texts) // 2], "日本のストリートフード"):
        alone = quick.encode([text])[0]
        for others in (texts[:7], texts[-20:], ["x " * 300]):
            beside = quick.encode([text, *others])[0]
            assert float(alone @ beside) >= 0.99999, (text[:40], float(alone @ beside))
    assert not list(made.parent.glob(".quantize-*"))  # no scratch file left behind


def _copied_cache(tmp_path: Path, onnx_encoder: OnnxEncoder) -> tuple[Path, OnnxExport]:
    """A model cache holding a copy of the export and of its int8 model."""
    from training.quantize import ensure_int8

    ensure_int8(onnx_encoder.export, Settings().model_cache_dir)
    cache = tmp_path / "models"
    folder = cache / onnx_encoder.export.folder.name
    shutil.copytree(onnx_encoder.export.folder, folder)
    return cache, dataclasses.replace(onnx_encoder.export, folder=folder)


def test_a_damaged_or_foreign_int8_model_is_ignored(tmp_path: Path, onnx_encoder: OnnxEncoder,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    cache, export = _copied_cache(tmp_path, onnx_encoder)
    assert read_int8(export, cache) == INT8_FILE
    meta = json.loads((export.folder / INT8_META_FILE).read_text())
    (export.folder / INT8_META_FILE).write_text(json.dumps({**meta, "format": meta["format"] + 1}))
    with caplog.at_level(logging.WARNING):
        assert read_int8(export, cache) is None  # made by another recipe
    (export.folder / INT8_META_FILE).write_text(json.dumps(meta))
    with (export.folder / INT8_FILE).open("r+b") as handle:
        handle.seek(5000)
        handle.write(b"\0" * 64)
    with caplog.at_level(logging.WARNING):
        assert read_int8(export, cache) is None
    assert "does not match" in caplog.text


def test_an_int8_model_checked_on_another_cpu_is_checked_again_here(tmp_path: Path, onnx_encoder: OnnxEncoder,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    """int8 kernels differ by CPU (AVX2 without VNNI saturates where VNNI does not), so a model checked elsewhere
    is not used here until it passes here; the check adds this machine to its record, the model is not remade."""
    from training.quantize import ensure_int8

    cache, export = _copied_cache(tmp_path, onnx_encoder)
    meta_path = export.folder / INT8_META_FILE
    meta = json.loads(meta_path.read_text())
    elsewhere = "onnxruntime 1.0 x86_64 avx2+avx512_vnni"
    meta_path.write_text(json.dumps({**meta, "checks": {elsewhere: 0.995}}))
    with caplog.at_level(logging.WARNING):
        assert read_int8(export, cache) is None
    assert "not with this machine's" in caplog.text and elsewhere in caplog.text
    stamp = (export.folder / INT8_FILE).stat().st_mtime_ns
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert ensure_int8(export, cache) == export.folder / INT8_FILE
    assert "ignoring" not in caplog.text  # checked, not first told it is not used
    assert (export.folder / INT8_FILE).stat().st_mtime_ns == stamp  # checked, not remade
    record = json.loads(meta_path.read_text())
    checks = record["checks"]
    assert checks[elsewhere] == 0.995 and checks[int8_kernels()] >= INT8_MIN_COSINE
    assert (record["worst_cosine"], record["check_texts"]) == (meta["worst_cosine"], meta["check_texts"])  # as made
    assert read_int8(export, cache) == INT8_FILE


def test_an_int8_model_that_failed_here_is_not_used_or_checked_again(tmp_path: Path, onnx_encoder: OnnxEncoder,
                                                                     caplog: pytest.LogCaptureFixture,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import training.quantize

    cache, export = _copied_cache(tmp_path, onnx_encoder)
    meta_path = export.folder / INT8_META_FILE
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "checks": {int8_kernels(): 0.9862}}))
    with caplog.at_level(logging.WARNING):
        assert read_int8(export, cache) is None
    assert "cosine 0.9862" in caplog.text
    assert encoder_from_settings(Settings(encoder_precision="int8", model_cache_dir=cache)).precision == "fp32"

    def not_again(*_: object) -> None:
        raise AssertionError("checked again")

    monkeypatch.setattr(training.quantize, "_worst_cosine", not_again)
    with pytest.raises(EncoderError, match="failed its check on this machine"):
        training.quantize.ensure_int8(export, cache)
    # A model this machine's onnxruntime cannot run is an EncoderError saying so, and nothing is recorded.
    meta_path.write_text(json.dumps({**meta, "checks": {}}))

    def cannot_run(*_: object) -> None:
        raise RuntimeError("[ONNXRuntimeError] : 9 : NOT_IMPLEMENTED")

    monkeypatch.setattr(training.quantize, "_worst_cosine", cannot_run)
    with pytest.raises(EncoderError, match="cannot check the int8 model .* NOT_IMPLEMENTED"):
        training.quantize.ensure_int8(export, cache)
    assert json.loads(meta_path.read_text())["checks"] == {}


def test_queries_without_an_int8_model_encode_in_fp32_and_say_so(tmp_path: Path, onnx_encoder: OnnxEncoder,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    cache, export = _copied_cache(tmp_path, onnx_encoder)
    (export.folder / INT8_FILE).unlink()
    with caplog.at_level(logging.WARNING):
        encoder = encoder_from_settings(Settings(encoder_precision="int8", model_cache_dir=cache))
    assert isinstance(encoder, OnnxEncoder) and encoder.precision == "fp32"
    assert "no int8 model that passed its check on this machine" in caplog.text
    assert not (export.folder / INT8_FILE).exists()  # not made here
