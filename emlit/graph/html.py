"""A self-contained, offline HTML view of the graph (contract 11): data, script and the graph
library inline, no CDN.

The page draws with Cytoscape.js (MIT, vendored in ``emlit/graph/vendor/`` with its licence;
chosen by measurement, see docs/evidence.md). Both layouts are computed here, at export time
(``emlit.graph.layout``): the evidence map of every node and the debate map of the claims by
definition and stance, so the page only draws, and the same graph gives the same file.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib import resources
from typing import IO, TYPE_CHECKING, Any

from emlit.evidence.balance import balance, stance_counts, talking_past, with_stances
from emlit.graph.layout import (
    HEAD_H,
    debate_layout,
    evidence_layout,
    label_order,
    shorten,
    work_name,
)
from emlit.vocab import COUNTERS, DEFINITIONS, SUPPORTS

if TYPE_CHECKING:
    import networkx as nx

PLACEHOLDER = "/*GRAPH_DATA*/"
SCRIPT_PLACEHOLDER = "/*CYTOSCAPE_JS*/"
LIBRARY = ("vendor", "cytoscape.min.js")  # Cytoscape.js 3.35.0, MIT (vendor/LICENSE-cytoscape)
NODE_FIELDS = (
    "kind",
    "label",
    "text",
    "lang",
    "document",
    "section",
    "labels",
    "stance",
    "supports",
    "counters",
)


def map_label(data: dict[str, Any]) -> str:
    """The short label drawn beside a node on the map."""
    kind = data.get("kind")
    if kind == "document":
        return work_name(data)
    if kind == "definition":
        return shorten(str(data.get("label", "")), 30)
    return shorten(str(data.get("label") or data.get("text") or ""), 34)


def view_data(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes (with their place on the map) and edges (by node index) as the page reads them,
    the debate map, the balance per definition and the order in which labels are placed."""
    index = {n: i for i, n in enumerate(g.nodes)}
    placed = evidence_layout(g)
    nodes = []
    for n, d in g.nodes(data=True):
        x, y, r = placed[n]
        node = {"id": n, **{k: d[k] for k in NODE_FIELDS if k in d}}
        node.update({"short": map_label(d), "x": x, "y": y, "r": r})
        nodes.append(node)
    edges = []
    for s, t, d in g.edges(data=True):
        e: dict[str, Any] = {"source": index[s], "target": index[t], "kind": d.get("kind", "")}
        for k in ("score", "provenance"):
            if k in d:
                e[k] = d[k]
        if d.get("kind") == "counters" and talking_past(
            g.nodes[s].get("labels", ""), g.nodes[t].get("labels", "")
        ):
            e["past"] = True
        edges.append(e)
    debate = debate_layout(g)
    return {
        "nodes": nodes,
        "edges": edges,
        "definitions": list(DEFINITIONS),
        "balance": graph_balance(g),
        "order": label_order(g),
        "debate": {
            "lanes": [asdict(lane) for lane in debate.lanes],
            "columns": [
                {"side": side, "title": title, "x": x, "width": w}
                for side, title, x, w in debate.columns
            ],
            "nodes": [asdict(node) for node in debate.nodes],
            "edges": [asdict(edge) for edge in debate.edges],
            "width": debate.width,
            "height": debate.height,
            "title_width": debate.title_width,
            "head_height": HEAD_H,
        },
    }


def graph_balance(g: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """The balance per definition of the evidence drawn and the stances of the claims drawn
    (the rule ``emlit analyze`` uses)."""
    kinds = {"supports": SUPPORTS, "counters": COUNTERS}
    links = [(s, t, kinds[d["kind"]]) for s, t, d in g.edges(data=True) if d.get("kind") in kinds]
    labels = {
        n: [x for x in d.get("labels", "").split(",") if x]
        for n, d in g.nodes(data=True)
        if d.get("kind") == "claim"
    }
    stances = {n: g.nodes[n].get("stance") for n in labels}
    return with_stances(balance(links, labels), stance_counts(stances, labels))


def library_js() -> str:
    """The vendored Cytoscape.js, safe inside a script element."""
    text = resources.files("emlit.graph").joinpath(*LIBRARY).read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script")


def write_html(g: nx.MultiDiGraph, out: IO[str]) -> None:
    template = resources.files("emlit.graph").joinpath("view.html").read_text(encoding="utf-8")
    # "</" inside a script element would end it early; JSON allows "<\/" for "</".
    data = json.dumps(view_data(g), ensure_ascii=False).replace("</", "<\\/")
    head, _, tail = template.partition(PLACEHOLDER)
    script_head, _, script_tail = tail.partition(SCRIPT_PLACEHOLDER)
    out.write(head)
    out.write(data)
    out.write(script_head)
    out.write(library_js())
    out.write(script_tail)
