"""``emlit train``: refit the definition tagger on the researcher's decisions in the store."""

from __future__ import annotations

import json
from typing import Any

import click

from emlit.cli.common import open_store
from emlit.cli.options import encoder_option


@click.command("train")
@click.option("--rollback", is_flag=True, help="Put the model in use before the current one back.")
@click.option("--list", "list_", is_flag=True, help="List the trained versions of this store.")
@click.option(
    "--holdout",
    type=click.FloatRange(0.0, 0.5),
    default=0.2,
    show_default=True,
    help="Share of the decided claims (whole documents) held out for the before/after report.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--model",
    "which",
    type=click.Choice(["tagger", "relation", "stance"]),
    default="tagger",
    show_default=True,
    help="Which model learns: the definition tagger (tag decisions), the relation model "
    "(link decisions) or the stance model (stance decisions).",
)
@encoder_option
@click.pass_context
def train(
    ctx: click.Context, rollback: bool, list_: bool, holdout: float, as_json: bool, which: str
) -> None:
    """Refit the definition tagger on the bundled set plus your tag decisions.

    Every definition you accept, reject or add in the TUI (emlit tui) is a human decision in
    the store. This refits the tagger's heads on the bundled development set plus those
    decisions, reports macro-F1 before and after on a held-out part of them (20% of the
    decided claims, whole documents), saves the new version beside the store
    (<db>.models/) and puts it in use: every claim is re-tagged with it. Your decisions are
    never changed and stay in effect. --rollback goes back to the version in use before
    (the bundled model after the first training); no version file is deleted.

    --model relation refits the evidence relation model on your link decisions (confirmed,
    corrected or rejected links) and uses it for this store's linking; --model stance refits
    the stance model on your stance decisions and recomputes the machine stances. Both keep
    versions and roll back the same way (docs/evidence.md, docs/stance.md).

    \b
    Example:
        emlit tui                  # review: accept (a), toggle definitions (1-6)
        emlit train                # refit, report, re-tag the store
        emlit train --list
        emlit train --rollback     # back to the previous model
        emlit train --model relation             # learn from your link decisions
        emlit train --model stance --rollback
    """
    if which != "tagger":
        _train_other(ctx, which, rollback, list_, holdout, as_json)
        return
    from emlit.tagging import learn

    with open_store(ctx) as store:
        if list_:
            active, models = learn.list_models(store.path)
            _echo_models(active, models, "in use", as_json)
            return
        if rollback:
            old, new, n = learn.rollback(store)
            click.echo(
                f"rolled back {old} -> {new or 'the bundled model'}; re-tagged {n} claims "
                "(human decisions kept)"
            )
            return
        report = learn.train(
            store,
            holdout=holdout,
            progress=lambda msg: click.echo(f"emlit train: {msg} ...", err=True),
        )
    _echo_report(report, "tagger", as_json)


def _train_other(
    ctx: click.Context, which: str, rollback: bool, list_: bool, holdout: float, as_json: bool
) -> None:
    """``--model relation`` / ``--model stance``: the same cycle as the tagger's."""
    from emlit.evidence import learn as relation_learn
    from emlit.stance import learn as stance_learn

    mod: Any = relation_learn if which == "relation" else stance_learn
    with open_store(ctx) as store:
        if list_:
            active, models = mod.list_models(store.path)
            _echo_models(active, models, f"{which} model in use", as_json)
            return
        if rollback:
            out = mod.rollback(store)
            click.echo(f"rolled back the {which} model {out[0]} -> {out[1] or 'the bundled model'}")
            return
        report = mod.train(
            store,
            holdout=holdout,
            progress=lambda msg: click.echo(f"emlit train: {msg} ...", err=True),
        )
    _echo_report(report, which, as_json)


def _echo_report(report: Any, which: str, as_json: bool) -> None:
    """A training run's report, the same for the three models: the decisions used, macro-F1
    before and after on the held-out ones, what was saved and redone, how to undo it."""
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    tagger = which == "tagger"
    what = "claims with human tag decisions" if tagger else f"human {which} decisions"
    documents = f" ({report.held_documents} document(s))" if tagger else ""
    click.echo(
        f"{report.n_decided} {what}: {report.n_fit} for fitting, {report.n_held} held out"
        f"{documents}"
    )
    if report.before:
        over = " over D1-D6 and none" if tagger else ""
        version = f"  ({report.before_version})" if tagger else ""
        click.echo(f"held-out decisions, macro-F1{over} [95% interval]:")
        click.echo(f"  before  {_fmt(report.before)}{version}")
        click.echo(f"  after   {_fmt(report.after)}  (bundled set + {report.n_fit} decisions)")
        d = getattr(report, "difference", None)
        if d:
            click.echo(f"  change  {d['macro_f1']:+.3f} [{d['ci95'][0]:+.3f}, {d['ci95'][1]:+.3f}]")
    if tagger:
        redone = f"; re-tagged {report.retagged} claims, human decisions kept"
    elif which == "stance":
        redone = f" for this store; recomputed {report.restanced} machine stances"
    else:
        redone = " for this store's linking"
    click.echo(
        f"saved {report.model_id} (fitted on the bundled set + all {report.n_decided} "
        f"decisions) and put it in use{redone}"
    )
    click.echo(
        "undo: emlit train --rollback"
        if tagger
        else f"undo: emlit train --model {which} --rollback"
    )


def _echo_models(
    active: str | None, models: list[dict[str, Any]], title: str, as_json: bool
) -> None:
    """``--list``: the saved versions of one model, the one in use starred."""
    if as_json:
        click.echo(json.dumps({"active": active, "models": models}, ensure_ascii=False))
        return
    click.echo(f"{title}: {active or 'the bundled model'}")
    for m in models:
        mark = "*" if m["id"] == active else " "
        diff = (m.get("report") or {}).get("difference") or {}
        gain = f", held-out macro-F1 {diff['macro_f1']:+.3f}" if diff else ""
        click.echo(
            f"{mark} {m['id']}  {m['created']}  {m['n_decided']} decisions{gain}"
            f"  (previous: {m.get('previous') or 'bundled'})"
        )


def _fmt(s: dict[str, Any]) -> str:
    return f"{s['macro_f1']:.3f} [{s['ci95'][0]:.3f}, {s['ci95'][1]:.3f}]"
