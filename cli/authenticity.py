"""The `authenticity` commands: train the follower-level fake-account model, score account files with it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import fail, load_settings, show_progress

app = typer.Typer(no_args_is_help=True, help="The follower-level fake-account model.")


@app.command("train")
def authenticity_train(
    data: Annotated[Path, typer.Option(help="Labelled accounts CSV (source, platform, account columns, is_fake), "
                                       "e.g. ../shared/data/authenticity/accounts.csv.")],
    out: Annotated[Path, typer.Option(help="Folder for follower_authenticity.json and MODEL_CARD.md "
                                      "(creatormatch/models holds the committed model).")],
    base_rate: Annotated[float, typer.Option(help="Share of fakes among real followers to calibrate to.")] = 0.2,
) -> None:
    """Compare candidate models leaving one source out (also with each optional column removed), keep the one
    with the best worst-source ROC-AUC, calibrate it, and write it with its model card."""
    load_settings()
    from creatormatch.dataset import InputError
    from training.authenticity import (
        candidates_table,
        columns_table,
        sources_table,
        summary,
        train_follower_model,
        write_model,
    )

    try:
        model = train_follower_model(data, base_rate=base_rate, progress=show_progress())
    except (InputError, ValueError) as exc:
        fail(str(exc))
    model_path, card_path = write_model(model, out)
    typer.echo("Held-out ROC-AUC of each candidate (leave one source out):\n" + candidates_table(model))
    typer.echo("\nKept model, held-out ROC-AUC by column set:\n" + columns_table(model))
    typer.echo("\nKept model at its operating point, all columns:\n" + sources_table(model))
    typer.echo(f"\n{summary(model)}")
    typer.echo(f"wrote {model_path} and {card_path}")


@app.command("score")
def authenticity_score(
    input: Annotated[Path, typer.Option("--input", help="Account rows (CSV, JSONL or Parquet) with any of "
                                        "followers, following, posts, has_profile_pic, is_private, bio_length, "
                                        "username_length, username_digits.")],
    out: Annotated[Path, typer.Option(help="Output file; its extension picks the format (.csv, .jsonl, .parquet).")],
) -> None:
    """Add fake_probability and columns_used (the columns each score rests on) to account rows; other columns
    are kept."""
    load_settings()
    from creatormatch.dataset import InputError, write_any
    from creatormatch.follower_model import FollowerModel, FollowerModelError, read_accounts, score_accounts

    try:
        rows, accounts = read_accounts(input)
        scored = rows.with_columns(score_accounts(accounts, FollowerModel.load()))
        write_any(scored, out)
    except (InputError, FollowerModelError) as exc:
        fail(str(exc))
    unscored = scored.get_column("fake_probability").null_count()
    typer.echo(f"scored {scored.height - unscored} accounts into {out}"
               + (f"; {unscored} with no account value left unscored (null)" if unscored else ""))
