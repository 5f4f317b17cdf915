"""``emlit eval``: the tagger against two baselines on the held-out development split."""

from __future__ import annotations

import click


@click.command("eval")
@click.option(
    "--encoder", default=None, help="Sentence-transformers model path or name ($EMLIT_ENCODER)."
)
def eval_(encoder: str | None) -> None:
    """Per-class precision / recall / F1 and macro-F1 on the held-out split.

    Compares a keyword baseline, nearest-prototype by embedding similarity and the tagger,
    on all held-out items, on English and on Chinese. Example:

        emlit eval
    """
    from emlit.tagging.evaluate import heldout_predictions, report_markdown

    held, preds = heldout_predictions(encoder)
    click.echo(report_markdown(held, preds))
