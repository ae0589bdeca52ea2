"""The `model` commands: export the embedding model to ONNX ahead of time (setup, image builds)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import fail, interrupt_on_sigterm, load_settings

app = typer.Typer(no_args_is_help=True, help="The embedding model and its ONNX export.")


@app.command("export")
def model_export(
    int8: Annotated[bool, typer.Option("--int8", help="Also make the checked int8 model that query paths use "
                                       "with CREATORMATCH_ENCODER_PRECISION=int8 (also made when that is set).")
                    ] = False,
) -> None:
    """Export the configured model (CREATORMATCH_MODEL_PATH) to ONNX into CREATORMATCH_MODEL_CACHE_DIR, unless a
    verified export is already there; the first build or query would otherwise do it."""
    settings = load_settings()
    interrupt_on_sigterm()
    from creatormatch.encoder import EncoderError, default_model_path, weights_sha256
    from creatormatch.onnx_encoder import HASH_MEMO, export_onnx, read_export

    try:
        path = settings.model_path or default_model_path()
        weights = weights_sha256(path, settings.model_cache_dir / HASH_MEMO)
        export = read_export(settings.model_cache_dir, weights)
        state = "already exported"
        if export is None:
            export = export_onnx(path, settings.model_cache_dir, settings.model_name, weights)
            state = "exported"
    except EncoderError as exc:
        fail(str(exc))
    typer.echo(f"{state}: {export.folder} (onnx sha256 {export.onnx_sha256[:12]}…, weights "
               f"{export.weights_sha256[:12]}…, {export.dimension} dimensions, {export.max_seq_length} tokens)")
    if int8 or settings.encoder_precision == "int8":
        from training.quantize import ensure_int8

        try:
            made = ensure_int8(export, settings.model_cache_dir)
        except EncoderError as exc:
            fail(str(exc))
        typer.echo(f"int8 model: {made}")
