"""Build throughput, cold and warm, and peak memory; appends the figures to benchmarks/RESULTS.md.

Usage: python benchmarks/bench_build.py [--sizes 5000 20000] [--precisions fp32 int8] [--no-record]

Each build runs in its own process so its peak memory (max RSS) is its own. With several precisions
(build_precision), each builds its own copy of the same sample with its own embedding cache, one after the other.
Compare figures within one run as ratios: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"


def one_build(data: Path, out: Path, cache: Path) -> None:
    """Child mode: run one build and print its figures as JSON."""
    from creatormatch.config import Settings
    from training.build import build_bundle

    settings = Settings(cache_path=cache, indexes_dir=out)
    started = time.perf_counter()
    result = build_bundle(data, out, settings)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, "report": result.report}))


def run_child(data: Path, out: Path, cache: Path, precision: str = "fp32") -> dict[str, object]:
    command = [sys.executable, __file__, "--child", str(data), str(out), str(cache)]
    env = {**os.environ, "CREATORMATCH_BUILD_PRECISION": precision}
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def change_one_percent(data: Path, seed: int) -> int:
    """Rewrite the bios and the newest caption of 1 % of creators, as a daily refresh would."""
    creators = pl.read_parquet(data / "creators.parquet")
    changed = creators.sample(fraction=0.01, seed=seed).get_column("creator_id")
    creators = creators.with_columns(
        pl.when(pl.col("creator_id").is_in(changed.implode()))
        .then(pl.col("bio") + pl.lit(" | new collab drops soon"))
        .otherwise(pl.col("bio")).alias("bio"))
    creators.write_parquet(data / "creators.parquet")
    posts = pl.read_parquet(data / "posts.parquet")
    newest = pl.col("posted_at") == pl.col("posted_at").max().over("creator_id")
    posts = posts.with_columns(
        pl.when(pl.col("creator_id").is_in(changed.implode()) & newest)
        .then(pl.col("caption") + pl.lit(" #refreshweek tried a brandnewthing today"))
        .otherwise(pl.col("caption")).alias("caption"))
    posts.write_parquet(data / "posts.parquet")
    return changed.len()


def sample_and_build(work: Path, size: int, seed: int, cache: Path | None = None) -> tuple[Path, Path]:
    """Write a sample of `size` creators under work and build its bundle (embedding cache shared in work, or the
    given cache file, which makes the build warm: for benchmarks of what happens after the build)."""
    from creatormatch.config import Settings
    from training.build import build_bundle
    from training.sample import generate_sample, write_sample

    data = work / f"data{size}"
    write_sample(generate_sample(size, seed=seed), data)
    bundle = build_bundle(data, work / f"indexes{size}", Settings(cache_path=cache or work / "cache.sqlite")).bundle
    return data, bundle


def machine() -> str:
    """Host, CPU model, the vector instructions that set the encoder's speed, cores and Python: "AMD EPYC" alone
    names CPUs whose figures differ 2x (AVX2 only, or AVX-512 with VNNI for int8)."""
    info: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())  # the first CPU's, as every core's are the same
    except OSError:
        pass
    cpu = info.get("model name", "unknown CPU")
    family = f" (family {info['cpu family']} model {info.get('model', '?')})" if "cpu family" in info else ""
    flags = set(info.get("flags", "").split())
    shown = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if f in flags]
    isa = f" · {' '.join(shown)}" if shown else ""
    return f"{platform.node()} · {cpu}{family}{isa} · {os.cpu_count()} cores · Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000], help="creators per sample")
    parser.add_argument("--seed", type=int, default=7, help="sample seed")
    parser.add_argument("--precisions", nargs="+", choices=["fp32", "int8"], default=["fp32"],
                        help="build_precision of each build (the int8 model is made beforehand, not timed)")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        one_build(*(Path(p) for p in args.child))
        return
    from training.sample import generate_sample, write_sample

    if "int8" in args.precisions:
        make_int8()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            started = time.perf_counter()
            write_sample(generate_sample(size, seed=args.seed), work / "sample")
            sample_s = time.perf_counter() - started
            for precision in args.precisions:
                own = work / precision
                data, out, cache = own / "data", own / "indexes", own / "cache.sqlite"
                shutil.copytree(work / "sample", data)
                cold = run_child(data, out, cache, precision)
                warm = run_child(data, out, cache, precision)
                changed = change_one_percent(data, args.seed)
                delta = run_child(data, out, cache, precision)
                rows.append({
                    "creators": size, "precision": precision, "sample_s": sample_s,
                    "cold_s": cold["seconds"], "warm_s": warm["seconds"], "changed_1pct_s": delta["seconds"],
                    "changed": changed, "peak_mb": max(float(cold["peak_mb"]), float(warm["peak_mb"])),  # type: ignore[arg-type]
                    "cold_report": cold["report"], "delta_report": delta["report"],
                })
                show(rows[-1])
    if args.no_record:
        return
    lines = [f"\n### {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — build", "",
             f"- machine: {machine()}", f"- command: `python benchmarks/bench_build.py --sizes "
             f"{' '.join(map(str, args.sizes))} --precisions {' '.join(args.precisions)}`", "",
             "| creators | build_precision | sample s | cold s | creators/s cold "
             "| embed bios / documents / terms s (cold) | warm s (no change) | 1 % changed s | changed / cold "
             "| peak MB | bios / terms re-embedded after the change |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        c, d = float(row["cold_s"]), float(row["changed_1pct_s"])  # type: ignore[arg-type]
        rep, stages = row["delta_report"], row["cold_report"]["timings_s"]  # type: ignore[index]
        embed = " / ".join(f"{stages[name]:.1f}" for name in ("embed bios", "embed documents", "embed terms"))
        lines.append(f"| {row['creators']} | {row['precision']} | {float(row['sample_s']):.1f} | {c:.1f} "  # type: ignore[arg-type]
                     f"| {int(row['creators']) / c:.0f} | {embed} "  # type: ignore[call-overload]
                     f"| {float(row['warm_s']):.1f} | {d:.1f} | {d / c:.2f} | {float(row['peak_mb']):.0f} "  # type: ignore[arg-type]
                     f"| {rep['bios_encoded']} / {rep['terms_encoded']} |")  # type: ignore[index]
    with RESULTS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"recorded in {RESULTS}")


def make_int8() -> None:
    """The int8 model in the model cache of the benchmarks' servers and builds (working directory ROOT), made
    before anything is timed, as `creatormatch model export --int8` does; exits when it cannot be made."""
    from creatormatch.config import Settings
    from creatormatch.encoder import encoder_from_settings
    from creatormatch.onnx_encoder import OnnxEncoder
    from training.quantize import ensure_int8

    settings = Settings()
    settings = settings.model_copy(update={"model_cache_dir": ROOT / settings.model_cache_dir})  # the builds' cwd
    encoder = encoder_from_settings(settings, encode_only=True)
    if not isinstance(encoder, OnnxEncoder):
        raise SystemExit("build_precision int8 needs the ONNX backend")
    ensure_int8(encoder.export, settings.model_cache_dir)


def show(row: dict[str, object]) -> None:
    """One build's figures on stdout."""
    size, changed = int(row["creators"]), row["changed"]  # type: ignore[call-overload]
    cold_s, delta_s = float(row["cold_s"]), float(row["changed_1pct_s"])  # type: ignore[arg-type]
    cold, delta = row["cold_report"], row["delta_report"]
    print(f"{size} creators, {row['precision']}: sample {float(row['sample_s']):.1f} s; cold {cold_s:.1f} s "  # type: ignore[arg-type]
          f"({size / cold_s:.0f} creators/s); warm {float(row['warm_s']):.1f} s; after changing {changed} creators "  # type: ignore[arg-type]
          f"{delta_s:.1f} s (ratio to cold {delta_s / cold_s:.2f}); peak {float(row['peak_mb']):.0f} MB")  # type: ignore[arg-type]
    print("  cold stages:", json.dumps(cold["timings_s"]))  # type: ignore[index]
    print("  delta re-embedded:", {k: delta[k] for k in ("bios_encoded", "terms_encoded")})  # type: ignore[index]


if __name__ == "__main__":
    main()
