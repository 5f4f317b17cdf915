"""``emlit eval``: the tagger against two baselines on the held-out development split."""

from __future__ import annotations

import click


@click.command("eval")
@click.option(
    "--encoder", default=None, help="Sentence-transformers model path or name ($EMLIT_ENCODER)."
)
@click.option(
    "--cv",
    is_flag=True,
    help="Instead: 5-fold cross-validation on the train split (for development).",
)
def eval_(encoder: str | None, cv: bool) -> None:
    """Per-class precision / recall / F1 and macro-F1 on the held-out split.

    Compares a keyword baseline, nearest-prototype by embedding similarity and the tagger,
    on all held-out items, on English and on Chinese. Example:

        emlit eval
    """
    from emlit.tagging.evaluate import cv_predictions, heldout_predictions, report_markdown

    held, preds = cv_predictions(encoder) if cv else heldout_predictions(encoder)
    click.echo(report_markdown(held, preds, "train split, 5-fold CV" if cv else "held-out split"))
