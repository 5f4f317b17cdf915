"""``emlit eval``: the tagger on the frozen v2 test split (or CV, v1 held-out, real text)."""

from __future__ import annotations

import click

from emlit.cli.options import encoder_option


@click.command("eval")
@encoder_option
@click.option(
    "--cv",
    is_flag=True,
    help="Instead: 5-fold cross-validation on the training items, folds grouped by source "
    "work (what development choices are made on).",
)
@click.option("--v1", is_flag=True, help="Instead: v1's held-out split (a secondary report).")
@click.option(
    "--real",
    "real",
    metavar="PATH",
    help="Instead: labelled JSON lines kept outside the repository ({id, text, labels[, lang,"
    " source]}; intervals resample the 'source' field).",
)
def eval_(cv: bool, v1: bool, real: str | None) -> None:
    """Per-class precision / recall / F1 and macro-F1 (D1-D6 and none) with 95% intervals.

    By default on the frozen v2 test split (never fitted, tuned or selected on), for all
    items, English and Chinese, the tagger against a keyword baseline. Intervals: bootstrap,
    resampling source works.

    \b
    Examples:
        emlit eval
        emlit eval --cv
        emlit eval --real ~/real-sentences.jsonl
    """
    from emlit.tagging import devset
    from emlit.tagging.evaluate import (
        cv_predictions,
        fit_tagger,
        keyword_predict,
        load_external,
        report_markdown,
        tagger_predict,
    )
    from emlit.tagging.stage import get_tagger

    if cv:
        items = devset.training_items()
        preds = {
            "keyword": keyword_predict(items),
            "tagger": cv_predictions(items, fit_tagger()),
        }
        what = "training items, 5-fold CV grouped by work"
    else:
        if real:
            items, what = load_external(real), f"{real}"
        elif v1:
            items, what = devset.v1_heldout_items(), "v1 held-out split"
        else:
            items, what = devset.frozen_test_items(), "frozen v2 test split"
        preds = {"keyword": keyword_predict(items), "tagger": tagger_predict(get_tagger())(items)}
    click.echo(report_markdown(items, preds, what))
