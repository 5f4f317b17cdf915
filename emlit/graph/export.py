"""``export_graph``: one entry point for every format of contract 4."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from emlit.errors import EmlitError
from emlit.graph.build import GraphFilter, build_graph

if TYPE_CHECKING:
    import networkx as nx

    from emlit.store import Store

FORMATS = ("graphml", "gexf", "cytoscape", "dot", "json", "turtle", "jsonld", "html")


def write_graph(g: nx.MultiDiGraph, fmt: str, out: Path) -> None:
    import networkx as nx

    from emlit.graph import formats, html, rdf

    if fmt not in FORMATS:
        raise EmlitError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    try:
        if fmt == "graphml":
            nx.write_graphml(g, out)
        elif fmt == "gexf":
            nx.write_gexf(g, out)
        else:
            with open(out, "w", encoding="utf-8") as fh:
                if fmt == "json":
                    formats.write_json(formats.node_link(g), fh)
                elif fmt == "cytoscape":
                    formats.write_json(formats.cytoscape(g), fh)
                elif fmt == "dot":
                    formats.write_dot(g, fh)
                elif fmt == "turtle":
                    rdf.write_turtle(g, fh)
                elif fmt == "jsonld":
                    rdf.write_jsonld(g, fh)
                else:
                    html.write_html(g, fh)
    except OSError as exc:
        raise EmlitError(f"{out}: cannot write ({exc.strerror})") from None


def export_graph(
    store: Store, fmt: str, out: str | Path, flt: GraphFilter | None = None
) -> nx.MultiDiGraph:
    """Build the (filtered) graph and write it; returns the graph written."""
    out = Path(out)
    if fmt not in FORMATS:
        raise EmlitError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if not out.parent.exists():
        raise EmlitError(f"{out}: folder {out.parent} does not exist")
    g = build_graph(store, flt)
    write_graph(g, fmt, out)
    return g
