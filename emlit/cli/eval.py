"""``emlit eval``: the tagger against two baselines on the held-out development split."""

from __future__ import annotations

import click

from emlit.cli.options import encoder_option


@click.command("eval")
@encoder_option
@click.option(
    "--cv",
    is_flag=True,
    help="Instead: 5-fold cross-validation on the train split (for development).",
)
def eval_(cv: bool) -> None:
    """Per-class precision / recall / F1 and macro-F1 on the held-out split.

    Compares a keyword baseline, nearest-prototype by embedding similarity and the tagger,
    on all held-out items, on English and on Chinese.

    \b
    Examples:
        emlit eval
        emlit eval --cv
    """
    from emlit.tagging.evaluate import cv_predictions, heldout_predictions, report_markdown

    held, preds = cv_predictions() if cv else heldout_predictions()
    click.echo(report_markdown(held, preds, "train split, 5-fold CV" if cv else "held-out split"))
