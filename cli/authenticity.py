"""The `authenticity` commands: train the follower-level fake-account model, score account files with it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import fail, load_settings

app = typer.Typer(no_args_is_help=True, help="The follower-level fake-account model.")


@app.command("train")
def authenticity_train(
    data: Annotated[Path, typer.Option(help="Labelled accounts CSV (source, platform, account columns, is_fake), "
                                       "e.g. ../shared/data/authenticity/accounts.csv.")],
    out: Annotated[Path, typer.Option(help="Folder for follower_authenticity.json and MODEL_CARD.md "
                                      "(creatormatch/models holds the committed model).")],
    base_rate: Annotated[float, typer.Option(help="Share of fakes among real followers to calibrate to.")] = 0.2,
) -> None:
    """Train the model with leave-one-source-out validation; write it with its model card."""
    load_settings()
    from creatormatch.dataset import InputError
    from training.authenticity import model_card, train_follower_model

    try:
        model, results = train_follower_model(data, base_rate=base_rate)
    except (InputError, ValueError) as exc:
        fail(str(exc))
    model.save(out / "follower_authenticity.json")
    (out / "MODEL_CARD.md").write_text(model_card(model, results))
    for r in results:
        typer.echo(f"{r.source:<18} {r.platform:<9} ROC-AUC {r.roc_auc:.3f}  recall {r.recall:.3f}  "
                   f"FPR {r.false_positive_rate:.3f}  precision at base rate {r.precision_at_base_rate:.3f}")
    typer.echo(f"wrote {out / 'follower_authenticity.json'} and {out / 'MODEL_CARD.md'}")


@app.command("score")
def authenticity_score(
    input: Annotated[Path, typer.Option("--input", help="Account rows (CSV, JSONL or Parquet).")],
    out: Annotated[Path, typer.Option(help="Output file; its extension picks the format (.csv, .jsonl, .parquet).")],
) -> None:
    """Add a fake_probability column to account rows (extra columns are kept)."""
    load_settings()
    import polars as pl

    from creatormatch.dataset import InputError, read_any, write_any
    from creatormatch.follower_model import ACCOUNT_COLUMNS, FollowerModel, FollowerModelError, account_features
    from creatormatch.follower_model import usable_columns as usable

    try:
        accounts = read_any(input)
        if not usable(accounts):
            fail(f"{input.name}: no usable account column; expected any of {', '.join(ACCOUNT_COLUMNS)}")
        model = FollowerModel.load()
        probability = model.fake_probability(account_features(accounts))
        scored = accounts.with_columns(pl.Series("fake_probability", probability))
        write_any(scored, out)
    except (InputError, FollowerModelError) as exc:
        fail(str(exc))
    typer.echo(f"scored {scored.height} accounts into {out}")
