"""``emlit stats`` (contract 6)."""

from __future__ import annotations

import json

import click

from emlit.cli.common import open_store


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (contract 6).")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts of documents, claims (by language and definition) and evidence links.

    \b
    Example:
        emlit stats --json
    """
    with open_store(ctx, reading=True) as store:
        data = store.stats()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(f"documents  {data['documents']}")
    click.echo(f"claims     {data['claims']}  " + _pairs(data["claims_by_lang"]))
    click.echo("definitions " + _pairs(data["claims_by_definition"]))
    click.echo(f"links      {data['links']}  " + _pairs(data["links_by_relation"]))


def _pairs(counts: dict[str, int]) -> str:
    return "  ".join(f"{k}: {v}" for k, v in counts.items())
