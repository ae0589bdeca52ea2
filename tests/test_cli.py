"""The command line: `match --json` prints what POST /match returns; errors are one line and exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from creatormatch.config import Settings
from creatormatch.encoder import Encoder
from service.main import create_app

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "creatormatch.cli", *args], cwd=ROOT, capture_output=True,
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
    with TestClient(app) as client:
        served = client.post("/match", json={"brief": brief, "filters": filters, "limit": 7}).json()
    printed.pop("took_ms")
    served.pop("took_ms")
    assert printed == served and len(printed["results"]) == 7


def test_match_text_output_lists_reasons(real_bundle: Path) -> None:
    done = cli("match", "--bundle", str(real_bundle), "--brief", "vegan recipes", "--limit", "3")
    assert done.returncode == 0, done.stderr
    assert "creators pass the filters" in done.stdout and "  1. " in done.stdout and "       - " in done.stdout


def test_match_reports_bad_requests_and_bundles(real_bundle: Path, tmp_path: Path) -> None:
    done = cli("match", "--bundle", str(real_bundle), "--brief", "x", "--filters", '{"tiers": ["huge"]}')
    assert done.returncode == 2 and "error: filters.tiers.0: Input should be 'nano'" in done.stderr
    assert "Traceback" not in done.stderr
    done = cli("match", "--bundle", str(tmp_path), "--brief", "x")
    assert done.returncode == 2 and f"error: {tmp_path}: not a bundle" in done.stderr
    done = cli("match", "--bundle", str(real_bundle))
    assert done.returncode == 2 and "give a brief" in done.stderr


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


def brands_file(small_sample_dir: Path, folder: Path) -> Path:
    import polars as pl

    brands = pl.read_parquet(small_sample_dir / "brands.parquet").head(8)
    bad = pl.DataFrame({"brand_id": ["nothing", "giant"], "name": [None, "Giant"], "tiers": [None, ["huge"]]},
                       schema={"brand_id": pl.Utf8, "name": pl.Utf8, "tiers": pl.List(pl.Utf8)})
    path = folder / "brands.parquet"
    pl.concat([brands, bad], how="diagonal_relaxed").write_parquet(path)
    return path


def test_shortlist_writes_rows_and_rejects(real_bundle: Path, small_sample_dir: Path, tmp_path: Path) -> None:
    import polars as pl

    brands = brands_file(small_sample_dir, tmp_path)
    out = tmp_path / "out" / "shortlists.parquet"
    done = cli("shortlist", "--bundle", str(real_bundle), "--brands", str(brands), "--out", str(out), "--limit", "5")
    assert done.returncode == 0, done.stderr
    assert "8 brands shortlisted (40 rows)" in done.stdout and "2 rejected" in done.stdout
    rows = pl.read_parquet(out)
    assert rows.columns[:4] == ["brand_id", "rank", "creator_id", "handle"] and rows.height == 40
    rejects = pl.read_csv(tmp_path / "out" / "shortlists.rejects.csv")
    assert rejects.get_column("brand_id").to_list() == ["nothing", "giant"]
    assert "brand has no text" in rejects.item(0, "reason") and "unknown tier in huge" in rejects.item(1, "reason")
    assert not (tmp_path / "out" / "shortlists.parquet.progress.sqlite").exists()


def test_shortlist_resumes_an_interrupted_run(real_bundle: Path, small_sample_dir: Path, tmp_path: Path) -> None:
    import polars as pl

    from creatormatch.shortlist import ShortlistStore

    brands = brands_file(small_sample_dir, tmp_path)
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
    assert "resuming: 3 of 10 brands already done" in resumed.stdout
    assert pl.read_csv(out).equals(pl.read_csv(clean))
    # Different options do not reuse a stale progress file.
    ShortlistStore(tmp_path / "other.csv.progress.sqlite").create("cli", [], 5, None, "stale")
    fresh = cli("shortlist", "--bundle", str(real_bundle), "--brands", str(brands), "--out",
                str(tmp_path / "other.csv"), "--limit", "5")
    assert "starting over" in fresh.stdout and pl.read_csv(tmp_path / "other.csv").equals(pl.read_csv(clean))
