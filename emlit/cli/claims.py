"""``emlit claims`` (contract 8)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from emlit.cli.common import open_store
from emlit.stance.explain import format_stance
from emlit.store import DEFINITIONS
from emlit.tagging.explain import format_explanation
from emlit.vocab import STANCES

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
    "stance",  # contract 9: affirms | disputes | neutral (null before the stance model ran)
    "supports",
    "counters",
)


@click.command()
@click.option(
    "--definition", type=click.Choice(DEFINITIONS), help="Only claims tagged with this definition."
)
@click.option("--lang", help="Only claims in this language (en, zh).")
@click.option(
    "--stance",
    type=click.Choice(STANCES),
    help="Only claims with this stance toward emergence (a human decision over the model's).",
)
@click.option("--document", help="Only claims from this document (path as shown, or its end).")
@click.option("--search", help="Full-text search, English or Chinese (e.g. 涌现能力).")
@click.option(
    "--zotero-collection",
    "collection",
    metavar="NAME",
    help="Only claims of Zotero items in this collection (name or path), sub-collections included.",
)
@click.option("--tag", help="Only claims of documents with this tag (Zotero or note tags).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many claims.")
@click.option(
    "--explain",
    is_flag=True,
    help="Say why each definition was given: score, threshold, cues, nearest examples.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True
)
@click.pass_context
def claims(
    ctx: click.Context,
    definition: str | None,
    lang: str | None,
    stance: str | None,
    document: str | None,
    search: str | None,
    collection: str | None,
    tag: str | None,
    limit: int | None,
    explain: bool,
    fmt: str,
) -> None:
    """List stored claims, each quotable to its source (document, offsets, section, page).

    \b
    Examples:
        emlit claims --definition D4 --lang zh
        emlit claims --stance disputes --definition D4
        emlit claims --search 涌现能力 --format jsonl
        emlit claims --definition D4 --limit 5 --explain
        emlit claims --document zotero:ABCD1234 --zotero-collection Emergence
    """
    with open_store(ctx, reading=True) as store:
        rows = store.claims(
            definition=definition,
            lang=lang,
            document=document,
            search=search,
            limit=limit,
            collection=collection,
            tag=tag,
            stance=stance,
        )
        tag_rows = store.tag_rows([r["id"] for r in rows]) if explain else {}
        stance_rows = store.stance_rows([r["id"] for r in rows]) if explain else {}
    if fmt == "jsonl":
        for row in rows:
            out = {k: row[k] for k in FIELDS}
            if explain:
                out["explain"] = [_explain_json(t) for t in tag_rows[row["id"]]]
                out["stance_explain"] = stance_rows.get(row["id"])
            click.echo(json.dumps(out, ensure_ascii=False))
        return
    if explain:
        _print_explained(rows, tag_rows, stance_rows)
        return
    table = Table(show_lines=False, expand=True)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("lang", no_wrap=True)
    table.add_column("defs", no_wrap=True)
    table.add_column("stance", no_wrap=True)
    table.add_column("+/-", no_wrap=True)
    table.add_column("document", overflow="fold", max_width=28)
    table.add_column("claim", ratio=1)
    for row in rows:
        table.add_row(
            row["id"],
            row["lang"],
            ",".join(row["labels"]) or "-",
            row["stance"] or "-",
            f"{row['supports']}/{row['counters']}",
            row["document"] + (f" p.{row['page']}" if row["page"] else ""),
            row["text"],
        )
    console = Console()
    console.print(table)
    console.print(f"{len(rows)} claims", style="dim")


def _explain_json(tag: dict[str, Any]) -> dict[str, Any]:
    """A stored tag row for JSON output: the explanation parsed, not a JSON string."""
    out = dict(tag)
    out["assigned"] = bool(out["assigned"])
    if isinstance(out.get("explanation"), str):
        with contextlib.suppress(json.JSONDecodeError):  # shown as stored if not JSON
            out["explanation"] = json.loads(out["explanation"])
    return out


def _print_explained(
    rows: list[dict[str, Any]],
    tag_rows: dict[str, list[dict[str, Any]]],
    stance_rows: dict[str, dict[str, Any]],
) -> None:
    """Each claim, then one paragraph per definition the tagger gave or a human decided, and
    its stance with the reason."""
    for row in rows:
        where = row["document"] + (f" p.{row['page']}" if row["page"] else "")
        click.echo(f"{row['id']}  [{row['lang']}]  {where}  {row['start']}-{row['end']}")
        click.echo(f"  {row['text']}")
        tags = tag_rows[row["id"]]
        shown = [t for t in tags if t["assigned"] or t["provenance"] == "human"]
        if not tags:
            click.echo("  not tagged yet")
        elif not shown:
            # Uses none of D1-D6: the closest call says how far from a definition it was.
            shown = [max(tags, key=lambda t: t["score"] or 0.0)]
        for tag in shown:
            click.echo("  " + format_explanation(tag).replace("\n", "\n  "))
        click.echo("  " + format_stance(stance_rows.get(row["id"])))
        click.echo()
    click.echo(f"{len(rows)} claims")
