"""``emlit analyze``: the definition-aware reading of the evidence."""

from __future__ import annotations

import json

import click

from emlit.cli import common


@click.command("analyze")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many contested claims.",
)
@click.pass_context
def analyze(ctx: click.Context, as_json: bool, top: int) -> None:
    """Counters that talk past each other, evidence per definition, most contested claims.

    A COUNTERS link between claims that use different definitions of emergence is not
    evidence against the claim in its own sense; it is listed apart.

    \b
    Example:
        emlit analyze --top 5
    """
    from emlit.evidence.analysis import analyze as run
    from emlit.evidence.analysis import format_analysis

    with common.open_store(ctx, reading=True) as store:
        rep = run(store, top=top)
    click.echo(json.dumps(rep, ensure_ascii=False, indent=1) if as_json else format_analysis(rep))
