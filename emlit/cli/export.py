"""``emlit export``: write the evidence graph in a graph or RDF format (contract 4), or into
an Obsidian vault as notes or a canvas (contract 14)."""

from __future__ import annotations

import click

from emlit.cli import common
from emlit.cli.options import workers_option
from emlit.graph.export import FORMATS


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Output format.")
@click.option(
    "--out",
    "out_path",
    type=click.Path(),
    required=True,
    help="File to write (for obsidian: the folder of notes, e.g. VAULT/emlit).",
)
@click.option(
    "--definition", help="Only claims using this definition (D1-D6), with their direct evidence."
)
@click.option(
    "--document",
    help="Only claims of this document (path as shown, or its end), with their direct evidence.",
)
@click.option("--claim", "claim_id", help="Only the neighbourhood of this claim id ...")
@click.option(
    "--depth",
    type=int,
    default=1,
    show_default=True,
    help="... up to this many evidence links away.",
)
@click.option(
    "--size",
    type=click.Choice(["slide", "column"]),
    default="slide",
    show_default=True,
    help="For svg/png: a 16:9 slide (13.33 x 7.5 in) or a single-column figure (3.5 x 4 in).",
)
@workers_option(
    "Processes that write a big graphml, turtle or json export of the whole graph in "
    "parts (default: every core; a small store is written by one). The file is the same.",
)
@click.pass_context
def export(
    ctx: click.Context,
    fmt: str,
    out_path: str,
    definition: str | None,
    document: str | None,
    claim_id: str | None,
    depth: int,
    size: str,
    workers: int | None,
) -> None:
    """Write the evidence graph: documents, claims, definitions, authors and their links.

    Formats: graphml, gexf, json (networkx node-link), cytoscape (Cytoscape.js), dot
    (Graphviz), turtle and jsonld (RDF: CiTO, SKOS, PROV-O, Web Annotation, Dublin Core),
    html (an interactive page that works offline: the evidence map and the debate map),
    svg and png (the debate map as a figure for slides or papers, see --size); for an
    Obsidian vault, obsidian (a folder
    of notes, one per claim, work and definition, with frontmatter and wikilinks; only files
    emlit wrote are ever changed) and canvas (a JSON Canvas of the debate map).

    \b
    Examples:
        emlit export --format html --out graph.html --definition D4
        emlit export --format graphml --out graph.graphml
        emlit export --format svg --out map.svg --size slide
        emlit export --format png --out claim.png --claim 3f9a2c1d --depth 2 --size column
        emlit export --format obsidian --out ~/vault/emlit
        emlit export --format canvas --out ~/vault/emlit.canvas
    """
    from emlit.graph.build import GraphFilter
    from emlit.graph.export import export

    with common.open_store(ctx, required=True) as store:
        done = export(
            store,
            fmt,
            out_path,
            GraphFilter(definition, document, claim_id, depth),
            size=size,
            workers=workers,
        )
    for warning in done.warnings:
        click.echo(f"emlit: warning: {warning}", err=True)
    click.echo(f"wrote {out_path}: {done.summary}")
