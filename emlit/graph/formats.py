"""Writers for the graph formats that are not RDF: GraphML, GEXF, node-link JSON,
Cytoscape.js JSON and Graphviz DOT."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

# Colours shared by DOT and the HTML view.
NODE_COLOURS = {
    "document": "#8fa9c8",
    "claim": "#f2c36b",
    "definition": "#9ccf8f",
    "author": "#d0b3e0",
}
EDGE_COLOURS = {
    "supports": "#2e8b57",
    "counters": "#c0392b",
    "cites_as_evidence": "#7f6a93",
    "contains": "#b0b0b0",
    "uses_definition": "#6aa84f",
    "authored": "#c9b2d9",
    "links_to": "#5b7db1",
    "comments_on": "#d4a017",
}


def node_link(g: nx.MultiDiGraph) -> dict[str, Any]:
    """networkx node-link data with the key "edges" (read back with node_link_graph(..., edges="edges"))."""
    import networkx as nx

    return nx.node_link_data(g, edges="edges")


def cytoscape(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Cytoscape.js elements JSON: {"elements": {"nodes": [{"data": ...}], "edges": [...]}}."""
    nodes = [{"data": {"id": n, **data}} for n, data in g.nodes(data=True)]
    edges = [
        {"data": {"id": f"e{i}", "source": s, "target": t, **data}}
        for i, (s, t, data) in enumerate(g.edges(data=True))
    ]
    return {"data": {"name": g.graph.get("name", "")}, "elements": {"nodes": nodes, "edges": edges}}


def _dot_id(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_dot(g: nx.MultiDiGraph, out: IO[str]) -> None:
    """Graphviz DOT (one statement per line; attributes quoted and escaped)."""
    out.write(
        "digraph emlit {\n  graph [overlap=false, rankdir=LR];\n  node [style=filled, shape=box, fontsize=10];\n"
    )
    for n, data in g.nodes(data=True):
        kind = data.get("kind", "")
        attrs = {
            "label": data.get("label", n),
            "kind": kind,
            "fillcolor": NODE_COLOURS.get(kind, "#dddddd"),
        }
        if kind == "claim":
            attrs["tooltip"] = data.get("text", "")
        out.write(
            f"  {_dot_id(n)} ["
            + ", ".join(f"{k}={_dot_id(str(v))}" for k, v in attrs.items())
            + "];\n"
        )
    for s, t, data in g.edges(data=True):
        kind = data.get("kind", "")
        attrs = {"kind": kind, "color": EDGE_COLOURS.get(kind, "#999999")}
        if kind in ("supports", "counters", "cites_as_evidence"):
            attrs["label"] = kind + (
                f" {data['score']:.2f}" if isinstance(data.get("score"), float) else ""
            )
            attrs["provenance"] = data.get("provenance", "")
        out.write(
            f"  {_dot_id(s)} -> {_dot_id(t)} ["
            + ", ".join(f"{k}={_dot_id(str(v))}" for k, v in attrs.items())
            + "];\n"
        )
    out.write("}\n")


def write_json(data: Any, out: IO[str]) -> None:
    json.dump(data, out, ensure_ascii=False)
    out.write("\n")
