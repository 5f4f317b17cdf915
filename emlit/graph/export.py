"""``export_graph``: one entry point for every format of contracts 4 and 14."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from emlit.errors import EmlitError
from emlit.graph.build import GraphFilter, build_graph

if TYPE_CHECKING:
    import networkx as nx

    from emlit.store import Store

GRAPH_FORMATS = ("graphml", "gexf", "cytoscape", "dot", "json", "turtle", "jsonld", "html")
# Obsidian (contract 14): a folder of notes and a JSON Canvas, written into a vault a person
# also edits, so they touch only what emlit wrote (emlit/graph/vault.py).
VAULT_FORMATS = ("obsidian", "canvas")
# Figures of the debate map for slides and papers (emlit/graph/figure.py, matplotlib).
FIGURE_FORMATS = ("svg", "png")
FORMATS = GRAPH_FORMATS + VAULT_FORMATS + FIGURE_FORMATS
# Written as the store is read, in bounded memory, when the whole graph is exported
# (emlit/graph/stream.py); a filtered export builds the graph as the other formats do.
STREAM_FORMATS = ("graphml", "turtle", "json")


@dataclass
class Exported:
    graph: nx.MultiDiGraph | None  # None when the export was streamed from the store
    summary: str  # what was written, for "wrote OUT: SUMMARY"
    warnings: list[str] = field(default_factory=list)


def write_graph(g: nx.MultiDiGraph, fmt: str, out: Path) -> None:
    import networkx as nx

    from emlit.graph import formats, html, rdf

    if fmt not in GRAPH_FORMATS:
        raise EmlitError(f"--format: {fmt!r} is not one of {', '.join(GRAPH_FORMATS)}")
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
) -> nx.MultiDiGraph | None:
    """Build the (filtered) graph and write it; returns the graph written (None when it
    was streamed)."""
    return export(store, fmt, out, flt).graph


def export(
    store: Store,
    fmt: str,
    out: str | Path,
    flt: GraphFilter | None = None,
    *,
    size: str = "slide",
    workers: int | None = None,
) -> Exported:
    """Build the (filtered) graph and write it in ``fmt``; says what was written.

    ``size`` (``slide`` or ``column``) is for the figure formats, svg and png; ``workers``
    (default: every core) the processes that write a big streamed export in parts."""
    out = Path(out)
    if fmt not in FORMATS:
        raise EmlitError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt in VAULT_FORMATS:
        from emlit.graph.to_obsidian import export_vault

        return export_vault(store, fmt, out, flt)
    if not out.parent.exists():
        raise EmlitError(f"{out}: folder {out.parent} does not exist")
    if out.is_dir():
        raise EmlitError(f"{out}: is a folder; --format {fmt} writes one file")
    if fmt in STREAM_FORMATS and (flt is None or flt == GraphFilter(depth=flt.depth)):
        return _stream(store, fmt, out, workers)
    g = build_graph(store, flt)
    if fmt in FIGURE_FORMATS:
        return _figure(g, fmt, out, flt, size)
    write_graph(g, fmt, out)
    return Exported(g, f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges ({fmt})")


def _stream(store: Store, fmt: str, out: Path, workers: int | None) -> Exported:
    from emlit.graph import stream
    from emlit.graph.parts import default_workers

    n = default_workers() if workers is None else workers
    warnings: list[str] = []
    try:
        # A large buffer: a big export is hundreds of MB, written in fewer system calls.
        with open(out, "w", encoding="utf-8", buffering=1 << 20) as fh:
            source = stream.MapStream(store)
            if fmt == "turtle":
                triples = stream.write_turtle(source, fh, n, warnings=warnings)
                return Exported(None, f"{triples} triples ({fmt}, streamed)", warnings)
            writer = stream.write_graphml if fmt == "graphml" else stream.write_json
            nodes, edges = writer(source, fh, n, warnings=warnings)
    except OSError as exc:
        raise EmlitError(f"{out}: cannot write ({exc.strerror})") from None
    return Exported(None, f"{nodes} nodes, {edges} edges ({fmt}, streamed)", warnings)


def _figure(
    g: nx.MultiDiGraph, fmt: str, out: Path, flt: GraphFilter | None, size: str
) -> Exported:
    from emlit.graph.build import claim_node
    from emlit.graph.figure import write_figure

    focus = claim_node(flt.claim) if flt and flt.claim else None
    title = None
    if flt and flt.claim:
        away = f"{flt.depth} link{'s' if flt.depth != 1 else ''}"
        title = f"Claim {flt.claim} and the claims up to {away} away, by definition"
    info = write_figure(g, out, fmt, size=size, focus=focus, title=title)
    summary = (
        f"debate map, {info.drawn} of {info.claims} claims, {info.counters} counter and "
        f"{info.talking_past} talking-past links ({fmt}, {size})"
    )
    return Exported(g, summary)
