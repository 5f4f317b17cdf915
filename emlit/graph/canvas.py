"""The debate map as a JSON Canvas 1.0 file (https://jsoncanvas.org/spec/1.0/), the open
format of Obsidian Canvas (contract 14).

One group node per definition lane (D1-D6, then claims that use none), stacked top to
bottom; inside a lane, claims sit by stance: affirms on the left, neutral or unknown in the
middle, disputes on the right. A claim using several definitions sits in the lane of its
first one. Every SUPPORTS (green, preset colour "4") and COUNTERS (red, "1") link between
two claims of the canvas is an edge. The layout is a grid, so it is the same on every run and
no two cards overlap.

A canvas a person has rearranged in Obsidian is theirs: the file carries a hash of what emlit
wrote (top-level key ``emlit``), and emlit overwrites only a canvas that still matches it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from emlit.errors import EmlitError
from emlit.graph.notenames import note_names, stem
from emlit.graph.obsidian import UNKNOWN_STANCE, md_text
from emlit.graph.vault import read_manifest
from emlit.vocab import DEFINITIONS, STANCES

if TYPE_CHECKING:
    import networkx as nx

CARD_W, CARD_H, GAP = 360, 220, 40  # a claim card and the space between cards
PAD, SIDE_GAP, LANE_GAP, HEAD_H = 40, 160, 120, 80
NO_DEFINITION = "none"
SIDES = ("affirms", "neutral", "disputes")  # left to right
SIDE_TITLES = {
    "affirms": "← **affirms** emergence",
    "neutral": "**neutral** or stance unknown",
    "disputes": "**disputes** emergence →",
}
STANCE_COLOURS = {"affirms": "5", "disputes": "2"}  # cyan, orange: red/green mean links
EDGE_COLOURS = {"supports": "4", "counters": "1"}  # green, red


@dataclass(frozen=True)
class Card:
    node: str
    lane: str
    side: str
    links: int  # evidence links, to put the most connected claims first


def debate_canvas(g: nx.MultiDiGraph, note_links: dict[str, str] | None = None) -> dict[str, Any]:
    """JSON Canvas data for the claims of ``g``; ``note_links`` (claim node -> note name) adds a
    wikilink to each claim's note when the notes lie in the same vault."""
    cards = _cards(g)
    lanes = [*DEFINITIONS, NO_DEFINITION]
    count: dict[tuple[str, str], int] = defaultdict(int)
    for c in cards:
        count[c.lane, c.side] += 1
    # Columns per side: enough for the fullest lane to be roughly square.
    cols = {s: max(1, math.ceil(math.sqrt(max(count[ln, s] for ln in lanes)))) for s in SIDES}
    side_x, x = {}, PAD
    for s in SIDES:
        side_x[s] = x
        x += cols[s] * (CARD_W + GAP) - GAP + SIDE_GAP
    width = x - SIDE_GAP + PAD

    nodes: list[dict[str, Any]] = [
        {
            "id": f"side-{s}",
            "type": "text",
            "text": SIDE_TITLES[s],
            "x": side_x[s],
            "y": -HEAD_H - LANE_GAP // 2,
            "width": cols[s] * (CARD_W + GAP) - GAP,
            "height": HEAD_H,
        }
        for s in SIDES
    ]
    place: dict[str, tuple[int, int]] = {}
    y = 0
    for lane in lanes:
        rows = max(1, *(math.ceil(count[lane, s] / cols[s]) for s in SIDES))
        height = 2 * PAD + rows * (CARD_H + GAP) - GAP
        nodes.append(_lane_node(g, lane, y, width, height, sum(count[lane, s] for s in SIDES)))
        for s in SIDES:
            mine = sorted((c for c in cards if (c.lane, c.side) == (lane, s)), key=_order)
            for i, c in enumerate(mine):
                cx = side_x[s] + (i % cols[s]) * (CARD_W + GAP)
                cy = y + PAD + (i // cols[s]) * (CARD_H + GAP)
                place[c.node] = (cx, cy)
                nodes.append(_claim_node(g, c, cx, cy, (note_links or {}).get(c.node)))
        y += height + LANE_GAP
    return {"nodes": nodes, "edges": _edges(g, place)}


def _order(c: Card) -> tuple[int, str]:
    return (-c.links, c.node)


def _cards(g: nx.MultiDiGraph) -> list[Card]:
    cards = []
    for n, d in g.nodes(data=True):
        if d.get("kind") != "claim":
            continue
        defs = [x for x in str(d.get("labels", "")).split(",") if x in DEFINITIONS]
        stance = str(d.get("stance", UNKNOWN_STANCE))
        side = stance if stance in STANCES and stance in SIDES else "neutral"
        links = int(d.get("supports", 0)) + int(d.get("counters", 0))
        cards.append(Card(n, defs[0] if defs else NO_DEFINITION, side, links))
    return cards


def _lane_node(
    g: nx.MultiDiGraph, lane: str, y: int, width: int, height: int, n: int
) -> dict[str, Any]:
    if lane == NO_DEFINITION:
        label = "No definition"
    else:
        label = str(g.nodes[f"def:{lane}"].get("label", lane)) if f"def:{lane}" in g else lane
    return {
        "id": f"lane-{lane}",
        "type": "group",
        "label": f"{label} ({n} claim{'s' if n != 1 else ''})",
        "x": 0,
        "y": y,
        "width": width,
        "height": height,
    }


def _claim_node(g: nx.MultiDiGraph, c: Card, x: int, y: int, note: str | None) -> dict[str, Any]:
    d = g.nodes[c.node]
    defs = str(d.get("labels", "")).replace(",", " · ") or "no definition"
    head = f"**{defs}**"
    if d.get("stance") in STANCES:
        head += f" · {d['stance']}"
    work = next(
        (
            g.nodes[s].get("label", "")
            for s, _, e in g.in_edges(c.node, data=True)
            if e.get("kind") == "contains"
        ),
        "",
    )
    source = f"*{md_text(str(work))}*" + (f", p. {md_text(str(d['page']))}" if "page" in d else "")
    if note:
        source += f" · [[{note}|note]]"
    node: dict[str, Any] = {
        "id": c.node.split(":", 1)[1],
        "type": "text",
        "text": f"{head}\n\n{md_text(str(d.get('text', '')))}\n\n{source}",
        "x": x,
        "y": y,
        "width": CARD_W,
        "height": CARD_H,
    }
    if c.side in STANCE_COLOURS:
        node["color"] = STANCE_COLOURS[c.side]
    return node


def _edges(g: nx.MultiDiGraph, place: dict[str, tuple[int, int]]) -> list[dict[str, Any]]:
    edges, seen = [], set()
    for s, t, e in g.edges(data=True):
        kind = e.get("kind")
        if kind not in EDGE_COLOURS or s not in place or t not in place:
            continue
        base = hashlib.sha256(f"{kind}:{s}:{t}".encode()).hexdigest()[:16]
        eid, i = base, 2
        while eid in seen:  # the same pair twice (curated and human): keep both edges
            eid, i = f"{base}-{i}", i + 1
        seen.add(eid)
        from_side, to_side = _sides(place[s], place[t])
        edges.append(
            {
                "id": eid,
                "fromNode": s.split(":", 1)[1],
                "fromSide": from_side,
                "toNode": t.split(":", 1)[1],
                "toSide": to_side,
                "color": EDGE_COLOURS[kind],
                "label": kind,
            }
        )
    return edges


def _sides(a: tuple[int, int], b: tuple[int, int]) -> tuple[str, str]:
    """Attach an edge on the facing sides of two cards."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if abs(dx) >= abs(dy) and dx != 0:
        return ("right", "left") if dx > 0 else ("left", "right")
    return ("bottom", "top") if dy >= 0 else ("top", "bottom")


# -- writing ------------------------------------------------------------------------------


def check_file(out: Path) -> None:
    if out.is_dir():
        raise EmlitError(f"{out}: is a folder; --format canvas writes one .canvas file")
    if not out.parent.is_dir():
        raise EmlitError(f"{out}: folder {out.parent} does not exist")


def notes_beside(g: nx.MultiDiGraph, out: Path) -> dict[str, str]:
    """Claim node -> note name, for the claims whose note emlit wrote in the folder named
    like the canvas (``VAULT/emlit`` for ``VAULT/emlit.canvas``)."""
    folder = out.with_suffix("")
    if not (folder / ".emlit-manifest.json").is_file():
        return {}
    written = read_manifest(folder).files
    return {
        n: stem(path)
        for n, path in note_names(g).items()
        if n.startswith("claim:") and f"{path}.md" in written and (folder / f"{path}.md").is_file()
    }


def _digest(data: dict[str, Any]) -> str:
    body = {"nodes": data.get("nodes"), "edges": data.get("edges")}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_canvas(out: Path, data: dict[str, Any]) -> bool:
    """Write the canvas unless the file already says exactly that; returns whether it wrote.
    Refuses to replace a file emlit did not write or that was changed since."""
    check_file(out)
    data = {
        **data,
        "emlit": {"written_by": "emlit export --format canvas", "sha256": _digest(data)},
    }
    content = (json.dumps(data, ensure_ascii=False, indent="\t") + "\n").encode("utf-8")
    if out.exists():
        try:
            old = out.read_bytes()
        except OSError as exc:
            raise EmlitError(f"{out}: cannot read ({exc.strerror})") from None
        if old == content:
            return False
        try:
            before = json.loads(old)
        except (UnicodeDecodeError, json.JSONDecodeError):
            before = None
        mark = before.get("emlit") if isinstance(before, dict) else None
        if not (isinstance(mark, dict) and mark.get("sha256") == _digest(before or {})):
            raise EmlitError(
                f"{out}: not written by emlit, or changed since (say, rearranged in Obsidian); "
                "not overwritten: rename it, or choose another --out"
            )
    tmp = out.with_name(f".{out.name}.emlit-tmp")
    try:
        tmp.write_bytes(content)
        os.replace(tmp, out)
    except OSError as exc:
        raise EmlitError(f"{out}: cannot write ({exc.strerror})") from None
    return True
