"""A self-contained, offline HTML view of the graph: data and script inline, no CDN."""

from __future__ import annotations

import json
from importlib import resources
from typing import IO, TYPE_CHECKING, Any

from emlit.evidence.balance import balance, talking_past
from emlit.vocab import COUNTERS, DEFINITIONS, SUPPORTS

if TYPE_CHECKING:
    import networkx as nx

PLACEHOLDER = "/*GRAPH_DATA*/"
NODE_FIELDS = (
    "kind",
    "label",
    "text",
    "lang",
    "document",
    "section",
    "labels",
    "supports",
    "counters",
)


def view_data(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes and edges (by node index) as the page's script reads them."""
    index = {n: i for i, n in enumerate(g.nodes)}
    nodes = [{"id": n, **{k: d[k] for k in NODE_FIELDS if k in d}} for n, d in g.nodes(data=True)]
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
    return {
        "nodes": nodes,
        "edges": edges,
        "definitions": list(DEFINITIONS),
        "balance": graph_balance(g),
    }


def graph_balance(g: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """The balance per definition of the evidence drawn (the rule ``emlit analyze`` uses)."""
    kinds = {"supports": SUPPORTS, "counters": COUNTERS}
    links = [(s, t, kinds[d["kind"]]) for s, t, d in g.edges(data=True) if d.get("kind") in kinds]
    labels = {
        n: [x for x in d.get("labels", "").split(",") if x]
        for n, d in g.nodes(data=True)
        if d.get("kind") == "claim"
    }
    return balance(links, labels)


def write_html(g: nx.MultiDiGraph, out: IO[str]) -> None:
    template = resources.files("emlit.graph").joinpath("view.html").read_text(encoding="utf-8")
    # "</" inside a script element would end it early; JSON allows "<\/" for "</".
    data = json.dumps(view_data(g), ensure_ascii=False).replace("</", "<\\/")
    head, _, tail = template.partition(PLACEHOLDER)
    out.write(head)
    out.write(data)
    out.write(tail)
