"""The command line: `match --json` prints what POST /match returns; errors are one line (exit 1, 2 or 130)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from creatormatch.config import Settings, get_settings
from creatormatch.encoder import Encoder
from creatormatch.onnx_encoder import OnnxEncoder
from service.main import create_app

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


def test_match_json_is_the_api_response(real_bundle: Path, real_encoder: Encoder, tmp_path: Path) -> None:
    brief = {"product": "trail running shoes", "keywords": ["#trailrunning"]}
    brief_file = tmp_path / "brief.json"
    brief_file.write_text(json.dumps(brief))
    filters = {"platforms": ["instagram", "tiktok"]}
    done = cli("match", "--bundle", str(real_bundle), "--brief-file", str(brief_file), "--filters",
               json.dumps(filters), "--limit", "7", "--json")
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    app = create_app(Settings(jobs_path=tmp_path / "jobs.sqlite"), bundle_path=real_bundle, encoder=real_encoder,
                     load_in_background=False)
    with TestClient(app, base_url="http://localhost") as client:  # a Host the service answers to by default
        served = client.post("/match", json={"brief": brief, "filters": filters, "limit": 7}).json()
    printed.pop("took_ms")
    served.pop("took_ms")
    assert printed == served and len(printed["results"]) == 7


def test_match_text_output_lists_reasons(real_bundle: Path) -> None:
    done = cli("match", "--bundle", str(real_bundle), "--brief", "vegan recipes", "--limit", "3")
    assert done.returncode == 0, done.stderr
    assert "creators with text pass the filters" in done.stdout
    assert "  1. " in done.stdout and "       - " in done.stdout


def test_match_reports_bad_requests_and_bundles(real_bundle: Path, tmp_path: Path) -> None:
    done = cli("match", "--bundle", str(real_bundle), "--brief", "x", "--filters", '{"tiers": ["huge"]}')
    assert done.returncode == 2 and "error: filters.tiers.0: Input should be 'sub_nano', 'nano'" in done.stderr
    assert "Traceback" not in done.stderr
    done = cli("match", "--bundle", str(tmp_path), "--brief", "x")
    assert done.returncode == 2 and f"error: {tmp_path}: not a bundle" in done.stderr
    done = cli("match", "--bundle", str(real_bundle))
    assert done.returncode == 2 and "give a brief" in done.stderr
    latin1 = tmp_path / "latin1.json"
    text = '{"brief": {"product": "crème brûlée"}}'
    latin1.write_bytes(text.encode("latin-1"))
    done = cli("match", "--bundle", str(real_bundle), "--brief-file", str(latin1))
    assert done.returncode == 2, done.stderr
    assert f"error: {latin1}: not UTF-8 text (byte 0xe8 at offset {text.index('è')})" in done.stderr
    for value, kind in (('"vegan"', "a string"), ('""', "a string"), ("[]", "an array"), ("3", "a number")):
        odd = tmp_path / "odd.json"
        odd.write_text(f'{{"brief": {value}}}')
        done = cli("match", "--bundle", str(real_bundle), "--brief-file", str(odd), "--brief", "dog toys")
        assert done.returncode == 2 and f"should be a JSON object (its fields), found {kind}" in done.stderr, \
            done.stderr


def test_a_missing_bundle_is_said_before_any_model_work(tmp_path: Path) -> None:
    """A wrong --bundle fails at once: no ONNX export is made first (~10 s on a fresh machine)."""
    models = tmp_path / "models"
    done = cli("match", "--bundle", str(tmp_path / "nowhere"), "--brief", "x",
               env={"CREATORMATCH_MODEL_CACHE_DIR": str(models)})
    assert done.returncode == 2 and "no such bundle folder" in done.stderr, done.stderr
    assert not models.exists()


def test_a_damaged_bundle_exits_2_while_the_model_loads_beside_it(real_bundle: Path, tmp_path: Path) -> None:
    """The bundle is refused (checksums) while the model session is still being created on its own thread: the
    process ends with exit 2 and one line. It used to abort in about a third of runs (exit 134, "terminate called
    without an active exception") because the exit stopped that thread inside onnxruntime."""
    damaged = tmp_path / "bundle"
    shutil.copytree(real_bundle, damaged)
    target = damaged / "creators.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    for _ in range(3):
        done = cli("match", "--bundle", str(damaged), "--brief", "x")
        assert done.returncode == 2, done.stderr
        assert "differs from the manifest" in done.stderr and "terminate" not in done.stderr


def test_a_damaged_tokenizer_in_the_model_cache_is_one_line(real_bundle: Path, real_encoder: Encoder,
                                                             tmp_path: Path) -> None:
    """It used to print the preload thread's traceback, then "internal error" (exit 1). An export that records
    its tokenizer's sha256 is exported again instead (test_onnx_encoder); this one is from before that record."""
    assert isinstance(real_encoder, OnnxEncoder)
    export = real_encoder.export.folder
    models = tmp_path / "models"
    shutil.copytree(export, models / export.name)
    meta_path = models / export.name / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.pop("tokenizer_sha256", None)
    meta_path.write_text(json.dumps(meta))
    (models / export.name / "tokenizer.json").write_bytes(b"\xff\xfe not a tokenizer")
    done = cli("match", "--bundle", str(real_bundle), "--brief", "vegan recipes",
               env={"CREATORMATCH_MODEL_CACHE_DIR": str(models)})
    assert done.returncode == 2, done.stderr
    assert "tokenizer.json: cannot be read as a tokenizer" in done.stderr
    assert "Traceback" not in done.stderr and "Exception in thread" not in done.stderr


def test_serve_refuses_a_folder_that_is_not_a_bundle(tmp_path: Path) -> None:
    done = cli("serve", "--bundle", str(tmp_path), "--port", "8765")
    assert done.returncode == 2 and "not a bundle" in done.stderr and "Traceback" not in done.stderr


def test_features_command_writes_the_table_in_the_format_asked(tmp_path: Path) -> None:
    env = {"CREATORMATCH_CACHE_PATH": str(tmp_path / "cache.sqlite")}
    out = tmp_path / "features.csv"
    done = cli("features", "--data", str(ROOT / "examples" / "data"), "--out", str(out), env=env)
    assert done.returncode == 0, done.stderr
    import polars as pl

    table = pl.read_csv(out)
    assert table.get_column("creator_id").to_list() == ["c001", "c002", "c003"]
    assert {"tier", "engagement_rate", "engagement_vs_tier", "niche_focus", "authenticity_score"} <= set(table.columns)
    done = cli("features", "--data", str(ROOT / "examples" / "data"), "--out", str(tmp_path / "f.xlsx"), env=env)
    assert done.returncode == 2 and "error: f.xlsx: unknown file type" in done.stderr


def test_shortlist_writes_rows_and_rejects(brands_file: Callable[..., Path],
                                           real_bundle: Path, tmp_path: Path) -> None:
    import polars as pl

    brands = brands_file(tmp_path, tiers=["huge"])
    out = tmp_path / "out" / "shortlists.parquet"
    done = cli("shortlist", "--bundle", str(real_bundle), "--brands", str(brands), "--out", str(out), "--limit", "5")
    assert done.returncode == 0, done.stderr
    assert "8 brands shortlisted (40 rows)" in done.stdout and "2 rejected" in done.stdout
    rows = pl.read_parquet(out)
    assert rows.columns[:4] == ["brand_id", "rank", "creator_id", "handle"] and rows.height == 40
    rejects = pl.read_csv(tmp_path / "out" / "shortlists.rejects.csv")
    assert rejects.get_column("brand_id").to_list() == ["nothing", "bad"]
    assert "brand has no text" in rejects.item(0, "reason") and "unknown tier in huge" in rejects.item(1, "reason")
    assert not (tmp_path / "out" / "shortlists.parquet.progress.sqlite").exists()


def test_shortlist_resumes_an_interrupted_run(brands_file: Callable[..., Path],
                                              real_bundle: Path, tmp_path: Path) -> None:
    import polars as pl

    from creatormatch.shortlist import ShortlistStore

    brands = brands_file(tmp_path, tiers=["huge"])
    clean = tmp_path / "clean.csv"
    assert cli("shortlist", "--bundle", str(real_bundle), "--brands", str(brands), "--out", str(clean),
               "--limit", "5").returncode == 0
    out = tmp_path / "resumed.csv"
    first = cli("shortlist", "--bundle", str(real_bundle), "--brands", str(brands), "--out", str(out), "--limit", "5")
    assert first.returncode == 0
    # Recreate the state of a run stopped after three brands: the progress file with three results, no output.
    done = pl.read_csv(out)
    out.unlink()
    store = ShortlistStore(tmp_path / "resumed.csv.progress.sqlite")
    import hashlib
    import json

    version = json.loads((real_bundle / "manifest.json").read_text())["version"]
    fingerprint = hashlib.sha256(brands.read_bytes() + f"|{version}|5|None".encode()).hexdigest()
    store.create("cli", pl.read_parquet(brands).to_dicts(), 5, None, fingerprint)
    for position, brand_id in enumerate(done.get_column("brand_id").unique(maintain_order=True).to_list()[:3]):
        rows = done.filter(pl.col("brand_id") == brand_id).with_columns(
            pl.col("reasons").str.json_decode(pl.List(pl.Utf8))).to_dicts()
        store.add_result("cli", position, brand_id, rows)
    store.close()
    resumed = cli("shortlist", "--bundle", str(real_bundle), "--brands", str(brands), "--out", str(out),
                  "--limit", "5")
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed: 3 of 10 brands were already done" in resumed.stdout
    assert pl.read_csv(out).equals(pl.read_csv(clean))
    # Different options do not reuse a stale progress file.
    ShortlistStore(tmp_path / "other.csv.progress.sqlite").create("cli", [], 5, None, "stale")
    fresh = cli("shortlist", "--bundle", str(real_bundle), "--brands", str(brands), "--out",
                str(tmp_path / "other.csv"), "--limit", "5")
    assert "started over" in fresh.stdout and pl.read_csv(tmp_path / "other.csv").equals(pl.read_csv(clean))


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    """Settings read again from the environment, before and after the test (they are cached per process)."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the real entry point in this process, as `creatormatch ARGS`: the exit code and what went to stderr."""
    from cli.main import main

    monkeypatch.setattr(sys, "argv", ["creatormatch", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    code = exited.value.code
    return code if isinstance(code, int) else 0, capsys.readouterr().err


def break_features(monkeypatch: pytest.MonkeyPatch, error: BaseException | None = None) -> None:
    """Make `creatormatch features` fail inside creatormatch/features.py (a KeyError), or raise the given error."""
    import training.build
    from creatormatch.features import benchmark_percentile

    def broken(*args: object, **kwargs: object) -> None:  # noqa: ARG001
        if error is not None:
            raise error
        benchmark_percentile(0.01, "instagram", "no_such_tier")

    monkeypatch.setattr(training.build, "build_features", broken)


@pytest.mark.usefixtures("fresh_settings")
def test_an_internal_error_is_one_line_and_a_hint(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    monkeypatch.delenv("CREATORMATCH_DEBUG", raising=False)
    break_features(monkeypatch)
    code, err = run_main(monkeypatch, capsys, "features", "--data", str(tmp_path), "--out", str(tmp_path / "f.csv"))
    lines = err.strip().splitlines()
    assert code == 1 and "Traceback" not in err and len(lines) == 2, err
    assert re.fullmatch(r"error: internal error in features: KeyError: 'no_such_tier' "
                        r"\(at creatormatch/features\.py:\d+\)", lines[0]), lines[0]
    assert lines[1] == "hint: run again with --debug (or CREATORMATCH_DEBUG=1) to see the traceback, and report it"


@pytest.mark.usefixtures("fresh_settings")
def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                   tmp_path: Path) -> None:
    monkeypatch.delenv("CREATORMATCH_DEBUG", raising=False)
    break_features(monkeypatch, RuntimeError("disk on fire\nsecond line"))
    args = ("features", "--data", str(tmp_path), "--out", str(tmp_path / "f.csv"))
    code, err = run_main(monkeypatch, capsys, "--debug", *args)
    assert code == 1 and "Traceback (most recent call last)" in err and "RuntimeError: disk on fire" in err
    assert "error: internal error in features: RuntimeError: disk on fire (at cli/data.py:" in err
    assert "hint:" not in err
    # The setting does the same; without either, the next run is back to one line.
    monkeypatch.setenv("CREATORMATCH_DEBUG", "1")
    get_settings.cache_clear()
    code, err = run_main(monkeypatch, capsys, *args)
    assert code == 1 and "Traceback (most recent call last)" in err
    monkeypatch.delenv("CREATORMATCH_DEBUG")
    get_settings.cache_clear()
    code, err = run_main(monkeypatch, capsys, *args)
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 2


@pytest.mark.usefixtures("fresh_settings")
def test_an_internal_error_in_a_nested_command_names_it(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from creatormatch.follower_model import FollowerModel

    def broken() -> None:
        raise RuntimeError("model file is corrupt")

    monkeypatch.setattr(FollowerModel, "load", staticmethod(broken))
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("followers,following\n10,2000\n")
    code, err = run_main(monkeypatch, capsys, "authenticity", "score", "--input", str(accounts), "--out",
                         str(tmp_path / "scored.csv"))
    assert code == 1 and err.startswith("error: internal error in authenticity score: RuntimeError: model file is "
                                        "corrupt (at cli/authenticity.py:"), err


@pytest.mark.usefixtures("fresh_settings")
def test_ctrl_c_is_one_line_and_exit_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    break_features(monkeypatch, KeyboardInterrupt())
    code, err = run_main(monkeypatch, capsys, "features", "--data", str(tmp_path), "--out", str(tmp_path / "f.csv"))
    assert (code, err) == (130, "error: interrupted\n")


@pytest.fixture
def sigterm_restored() -> Iterator[None]:
    """The SIGTERM handler as it was before the test (commands replace it in this process)."""
    import signal

    before = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, before)


@pytest.mark.usefixtures("fresh_settings", "sigterm_restored")
@pytest.mark.parametrize(("target", "args"), [
    ("training.importers.importer_for", ["import", "youtube", "--input", "x.csv", "--out", "out"]),
    ("creatormatch.onnx_encoder.read_export", ["model", "export"]),
])
def test_sigterm_unwinds_like_ctrl_c(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                     target: str, args: list[str]) -> None:
    """So that an import or an export killed by `docker stop` or a scheduler removes its work folders."""
    import signal
    import time

    def terminated(*_: object, **__: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises in this frame
        pytest.fail("SIGTERM did not interrupt the command")

    monkeypatch.setattr(target, terminated)
    code, err = run_main(monkeypatch, capsys, *args)
    assert (code, err) == (130, "error: interrupted\n")


@pytest.mark.parametrize("args", [["model", "export"], ["--help"], ["search", "--help"]])
def test_a_reader_that_went_away_is_exit_141_without_a_word(args: list[str]) -> None:
    """`creatormatch search ... | head`: click exits 1 there, which this command line keeps for its own bugs. Help
    is written by click before any command runs."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes a line
    try:
        done = subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == 141, done.stderr
    assert "error" not in done.stderr.lower() and "Traceback" not in done.stderr


def test_a_closed_stderr_is_not_taken_for_a_closed_output() -> None:
    """rich points stdout at /dev/null whichever stream broke: a usage error written to a closed stderr keeps its
    exit code rather than becoming the 141 of a reader of the output that went away."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "cli", "search", "--limit", "abc"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=write_end, timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode not in (0, 141)


def test_ctrl_c_while_the_command_is_still_importing_is_one_line_and_exit_130() -> None:
    """The entry point (`cli:run`) imports the command's modules itself: a Ctrl-C there was a traceback."""
    interrupt_the_import = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'cli.main':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from cli import run\n"
        "run()\n")
    done = subprocess.run([sys.executable, "-c", interrupt_the_import, "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert (done.returncode, done.stderr, done.stdout) == (130, "error: interrupted\n", "")


@pytest.mark.usefixtures("fresh_settings")
def test_a_broken_pipe_that_is_not_the_output_is_an_internal_error(monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path) -> None:
    """Exit 141 is for a reader of the output that went away, not for a subprocess's or a socket's pipe."""
    break_features(monkeypatch, BrokenPipeError(32, "Broken pipe"))
    code, err = run_main(monkeypatch, capsys, "features", "--data", str(tmp_path), "--out", str(tmp_path / "f.csv"))
    assert code == 1 and err.startswith("error: internal error in features: BrokenPipeError"), err


@pytest.mark.usefixtures("fresh_settings")
def test_bad_input_still_exits_2_through_the_entry_point(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, err = run_main(monkeypatch, capsys, "features", "--data", str(tmp_path), "--out", str(tmp_path / "f.xlsx"))
    assert code == 2 and err.startswith("error: f.xlsx: unknown file type;") and len(err.splitlines()) == 1
    code, _ = run_main(monkeypatch, capsys, "--help")
    assert code == 0


@pytest.mark.usefixtures("fresh_settings")
def test_sample_takes_its_defaults_from_the_settings(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import polars as pl

    monkeypatch.setenv("CREATORMATCH_SAMPLE_CREATORS", "40")
    monkeypatch.setenv("CREATORMATCH_SAMPLE_SEED", "3")
    monkeypatch.setenv("CREATORMATCH_SAMPLE_DIR", str(tmp_path / "sample"))
    code, err = run_main(monkeypatch, capsys, "sample")
    assert code == 0, err
    assert pl.read_parquet(tmp_path / "sample" / "creators.parquet").height == 40
    monkeypatch.setenv("CREATORMATCH_SAMPLE_SEED", "-1")
    get_settings.cache_clear()
    code, err = run_main(monkeypatch, capsys, "sample")
    assert code == 2 and err.startswith("error: invalid setting: CREATORMATCH_SAMPLE_SEED: Input should be greater "
                                        "than or equal to 0"), err


def test_model_export_reuses_a_verified_export_and_refuses_a_folder_without_weights(real_encoder: Encoder,
                                                                                     tmp_path: Path) -> None:
    assert real_encoder.dimension == 384  # made the session's export, which the conftest points every command at
    done = cli("model", "export")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("already exported:") and "384 dimensions" in done.stdout
    (tmp_path / "config.json").write_text("{}")
    done = cli("model", "export", env={"CREATORMATCH_MODEL_PATH": str(tmp_path)})
    assert done.returncode == 2
    assert "no weight file" in done.stderr and "Traceback" not in done.stderr


def test_verify_passes_a_sound_bundle_and_names_each_damaged_file(real_bundle: Path, tmp_path: Path) -> None:
    import shutil

    done = cli("verify", str(real_bundle))
    assert done.returncode == 0, done.stderr
    files = len(json.loads((real_bundle / "manifest.json").read_text())["files"])
    assert done.stdout.startswith(f"ok: bundle {real_bundle.name} (800 creators): {files} files match their sha256")
    copy = tmp_path / "bundle"
    shutil.copytree(real_bundle, copy)
    for name in ("index.faiss", "lexical/tokens.parquet"):
        data = bytearray((copy / name).read_bytes())
        data[10] ^= 0xFF
        (copy / name).write_bytes(bytes(data))
    done = cli("verify", str(copy))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert [line.split(": sha256 ")[0] for line in lines] == [f"error: {copy}: index.faiss",
                                                              f"error: {copy}: lexical/tokens.parquet"], lines


def test_verify_reports_a_malformed_manifest_and_an_unverifiable_bundle(real_bundle: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "bundle"
    shutil.copytree(real_bundle, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    del manifest["files"]  # as bundles built before checksums were recorded
    (copy / "manifest.json").write_text(json.dumps(manifest))
    done = cli("verify", str(copy))
    assert done.returncode == 0, done.stderr
    assert "no checksums to compare" in done.stdout and "has no checksums" in done.stderr
    (copy / "manifest.json").write_bytes(b'{"version": "\xff"}')
    done = cli("verify", str(copy))
    assert done.returncode == 2
    assert done.stderr == f"error: {copy}: manifest.json: malformed manifest: not UTF-8 text (byte 0xff at offset " \
        "13)\n"


def test_evaluate_real_takes_several_queries_files_and_names_the_bad_one(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """`--queries` given twice reads both files, before any build: a bad line in either is told by its file and
    line number; one file given twice is refused (its queries would count double); without `--queries` the
    command says what it needs."""
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "US.csv").write_text("video_id,channel_title,category_id,title\nv1,Chan,10,Song\n")
    (exports / "categories.json").write_text('{"10": "Music"}')
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_text('{"kind": "search", "q": "pop songs", "relevant": ["Music"]}\n')
    bad.write_text('{"kind": "search", "q": "rock", "relevant": ["Music"]}\n{"kind": "search", "relevant": []}\n')
    for first, second in ((bad, good), (good, bad)):
        code, err = run_main(monkeypatch, capsys, "evaluate", "--real", str(exports), "--queries", str(first),
                             "--queries", str(second), "--work", str(tmp_path / "work"))
        assert code == 2 and "bad.jsonl" in err and "line 2" in err, err
        assert not (tmp_path / "work" / "indexes").exists()
    code, err = run_main(monkeypatch, capsys, "evaluate", "--real", str(exports), "--queries", str(good),
                         "--queries", str(tmp_path / "." / "good.jsonl"), "--work", str(tmp_path / "work"))
    assert code == 2 and "given twice" in err, err
    code, err = run_main(monkeypatch, capsys, "evaluate", "--real", str(exports))
    assert code == 2 and "--real needs --queries FILE" in err, err
