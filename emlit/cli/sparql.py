"""``emlit sparql``: run a SPARQL query over the evidence graph's RDF."""

from __future__ import annotations

import csv
import json
import sys

import click

from emlit.cli import common


@click.command("sparql")
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.pass_context
def sparql(ctx: click.Context, query: str, fmt: str) -> None:
    """Run QUERY (SPARQL 1.1; a file name or '-' reads it from there) over the graph.

    The prefixes cito, skos, prov, oa, dcterms, foaf, rdf, rdfs, xsd and emlit are
    predefined.

    \b
    Example (the claims that dispute another claim):
        emlit sparql 'SELECT ?a ?b WHERE { ?a cito:disputes ?b }'
    """
    from pathlib import Path

    from emlit.errors import EmlitError
    from emlit.graph.sparql import run_query

    if query == "-":
        query = sys.stdin.read()
    elif (
        not any(w in query.upper() for w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"))
        and Path(query).is_file()
    ):
        try:
            query = Path(query).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EmlitError(f"{query}: cannot read ({exc})") from None
    with common.open_store(ctx, reading=True) as store:
        cols, rows = run_query(store, query)
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(dict(zip(cols, row, strict=True)), ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(cols)
        writer.writerows(rows)
    else:
        click.echo("\t".join(cols))
        for row in rows:
            click.echo("\t".join(row))
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)
