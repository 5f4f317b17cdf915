"""``emlit claims`` (contract 8)."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from emlit.cli.common import open_store
from emlit.store import DEFINITIONS

FIELDS = (
    "id",
    "text",
    "lang",
    "document",
    "section",
    "page",
    "start",
    "end",
    "labels",
    "supports",
    "counters",
)


@click.command()
@click.option(
    "--definition", type=click.Choice(DEFINITIONS), help="Only claims tagged with this definition."
)
@click.option("--lang", help="Only claims in this language (en, zh).")
@click.option("--document", help="Only claims from this document (path as shown, or its end).")
@click.option("--search", help="Full-text search, English or Chinese (e.g. 涌现能力).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many claims.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True
)
@click.pass_context
def claims(
    ctx: click.Context,
    definition: str | None,
    lang: str | None,
    document: str | None,
    search: str | None,
    limit: int | None,
    fmt: str,
) -> None:
    """List stored claims, each quotable to its source (document, offsets, section, page).

    \b
    Examples:
        emlit claims --definition D4 --lang zh
        emlit claims --search 涌现能力 --format jsonl
    """
    with open_store(ctx) as store:
        rows = store.claims(
            definition=definition, lang=lang, document=document, search=search, limit=limit
        )
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps({k: row[k] for k in FIELDS}, ensure_ascii=False))
        return
    table = Table(show_lines=False, expand=True)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("lang", no_wrap=True)
    table.add_column("defs", no_wrap=True)
    table.add_column("+/-", no_wrap=True)
    table.add_column("document", overflow="fold", max_width=28)
    table.add_column("claim", ratio=1)
    for row in rows:
        table.add_row(
            row["id"],
            row["lang"],
            ",".join(row["labels"]) or "-",
            f"{row['supports']}/{row['counters']}",
            row["document"] + (f" p.{row['page']}" if row["page"] else ""),
            row["text"],
        )
    console = Console()
    console.print(table)
    console.print(f"{len(rows)} claims", style="dim")
