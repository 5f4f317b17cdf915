"""Layouts for the HTML view, computed once at export time (contract 11).

Both are deterministic: the same graph gives the same numbers, so the same file (a fixed
seed, a fixed order of work, coordinates rounded to 0.1). Units are CSS pixels at zoom 1;
the page only scales and pans them.

``evidence_layout`` places every node of the graph: a force layout per connected component
(springs along the edges, short-range repulsion found with a k-d tree, long-range repulsion
from the mass of a coarse grid, a little gravity), then overlap removal with the nodes' radii
(no two discs closer than ``r1 + r2 + GAP``), then the components packed in rows, largest
first. It is O(n log n) a step, so 100,000 nodes take seconds, not hours.

``debate_layout`` places the claims on the debate map: one lane per definition D1-D6 (then
"no definition" when some claim uses none), stacked top to bottom; in a lane, claims that
affirm emergence on the left, neutral ones and those whose stance is unknown in the middle,
claims that dispute it on the right. A claim using several definitions is drawn in each of its
lanes: in its first lane under its own id, in the others as ``claim:<id>@D4``.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from emlit.evidence.balance import talking_past
from emlit.vocab import DEFINITIONS, STANCES

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

SEED = 11
GAP = 3.0  # the least room between two discs, in px at zoom 1
GRAVITY = 0.3  # pull towards the centre of a component, per px away
FORCE_LIMIT = 20_000  # more nodes than a browser draws usably: placed on a curve instead

# How strongly each edge kind pulls its ends together, and how long it likes to be (beyond
# the two radii). A claim sits by its work and its evidence; the six definitions are hubs
# that almost every claim uses, so their pull is weak or they would crush the map into one
# ball around them.
EDGE_PULL = {
    "contains": (1.0, 26.0),
    "authored": (1.0, 18.0),
    "supports": (0.7, 40.0),
    "counters": (0.7, 40.0),
    "cites_as_evidence": (0.3, 60.0),
    "links_to": (0.3, 60.0),
    "uses_definition": (0.03, 120.0),
}


def node_radius(data: dict[str, Any]) -> float:
    """The drawn radius of a node, in px at zoom 1: by kind, larger with more to show."""
    kind = data.get("kind")
    if kind == "definition":
        return 16.0
    if kind == "document":
        return 8.0
    if kind == "author":
        return 4.0
    links = int(data.get("supports", 0) or 0) + int(data.get("counters", 0) or 0)
    return round(5.0 + min(5.0, 1.5 * math.sqrt(links)), 1)


# -- the evidence map ----------------------------------------------------------------------


def evidence_layout(g: nx.MultiDiGraph, seed: int = SEED) -> dict[str, tuple[float, float, float]]:
    """Node -> (x, y, r) for every node of ``g``; no two discs overlap."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes = list(g.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    radii = np.array([node_radius(d) for _, d in g.nodes(data=True)], dtype=float)
    if n > FORCE_LIMIT:
        return _curve_layout(g, nodes, index, radii)
    # One undirected spring per pair of nodes: the strongest pull of the edges between them.
    springs: dict[tuple[int, int], tuple[float, float]] = {}
    for s, t, d in g.edges(data=True):
        i, j = index[s], index[t]
        if i == j:
            continue
        key = (i, j) if i < j else (j, i)
        pull = EDGE_PULL.get(str(d.get("kind", "")), (0.3, 60.0))
        if key not in springs or pull[0] > springs[key][0]:
            springs[key] = pull
    keys = sorted(springs)
    pairs = np.array(keys, dtype=np.int64).reshape(-1, 2)
    pulls = np.array([springs[key] for key in keys], dtype=float).reshape(-1, 2)
    adjacency = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, labels = connected_components(adjacency, directed=False)
    members: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(labels.tolist()):
        members[c].append(i)
    springs_of: dict[int, list[int]] = defaultdict(list)
    for e, c in enumerate(labels[pairs[:, 0]].tolist()):
        springs_of[c].append(e)
    local = np.zeros(n, dtype=np.int64)  # a node's index inside its component
    # Largest component first, then by first node (the graph's own order): a stable order.
    comps = sorted(members.items(), key=lambda item: (-len(item[1]), item[1][0]))
    pos = np.zeros((n, 2))
    boxes = []
    for k, (c, comp) in enumerate(comps):
        idx = np.array(comp, dtype=np.int64)
        local[idx] = np.arange(len(idx))
        mine = np.array(springs_of[c], dtype=np.int64)
        p = _force_layout(radii[idx], local[pairs[mine]].reshape(-1, 2), pulls[mine], seed + k)
        p = remove_overlaps(p, radii[idx])
        lo = (p - radii[idx, None]).min(axis=0)
        hi = (p + radii[idx, None]).max(axis=0)
        pos[idx] = p - lo
        boxes.append((idx, hi - lo))
    _pack(pos, boxes)
    pos = np.round(pos, 1)
    return {v: (float(pos[i, 0]), float(pos[i, 1]), float(radii[i])) for i, v in enumerate(nodes)}


def _force_layout(radii: np.ndarray, pairs: np.ndarray, pull: np.ndarray, seed: int) -> np.ndarray:
    """Positions of one connected component (m nodes, springs ``pairs`` with (weight,
    length) ``pull``)."""
    import numpy as np
    from scipy.spatial import cKDTree

    m = len(radii)
    if m == 1:
        return np.zeros((1, 2))
    k = 2.0 * float(radii.mean()) + 18.0  # the spacing the repulsion aims at
    rng = np.random.default_rng(seed)
    spread = k * math.sqrt(m)
    angle = rng.random(m) * 2 * math.pi
    dist = spread * np.sqrt(rng.random(m)) * 0.5
    pos = np.column_stack([dist * np.cos(angle), dist * np.sin(angle)])
    i, j = pairs[:, 0], pairs[:, 1]
    weight, length = pull[:, 0], pull[:, 1] + radii[i] + radii[j]
    steps = int(min(250, max(60, 250 * math.sqrt(300 / m))))
    cutoff = 2.0 * k
    skin = 0.4 * k
    temperature = spread * 0.1
    cool = (0.02 * k / temperature) ** (1.0 / steps)
    near: np.ndarray = np.zeros((0, 2), dtype=np.int64)
    grid_n = int(min(24, max(1, math.sqrt(m) / 3)))
    for step in range(steps):
        force = np.zeros((m, 2))
        # Short-range repulsion k^2/d, from a neighbour list rebuilt every few steps.
        if step % 5 == 0:
            near = cKDTree(pos).query_pairs(cutoff + skin, output_type="ndarray")
        if len(near):
            a, b = near[:, 0], near[:, 1]
            delta = pos[a] - pos[b]
            d2 = np.maximum((delta**2).sum(axis=1), 0.01)
            close = d2 < cutoff * cutoff
            _scatter(force, a[close], b[close], (k * k / d2)[close, None] * delta[close])
        # Long-range repulsion from the mass of each cell of a coarse grid.
        if grid_n > 1:
            force += _grid_repulsion(pos, grid_n, k, cutoff)
        # Attraction along the edges, w * d^2 / length (Fruchterman-Reingold's d^2 / k with a
        # length per edge kind): two nodes alone settle near their edge's length.
        delta = pos[j] - pos[i]
        d = np.sqrt((delta**2).sum(axis=1))
        _scatter(force, i, j, (weight * d / length)[:, None] * delta)
        # A little gravity keeps loosely tied parts near the rest.
        force -= GRAVITY * (pos - pos.mean(axis=0))
        size = np.maximum(np.sqrt((force**2).sum(axis=1)), 1e-9)
        pos += force * (np.minimum(size, temperature) / size)[:, None]
        temperature *= cool
    return _landscape(pos - pos.mean(axis=0))


def _scatter(force: np.ndarray, a: np.ndarray, b: np.ndarray, f: np.ndarray) -> None:
    """force[a] += f and force[b] -= f, for pairs (a, b) (bincount: faster than add.at)."""
    import numpy as np

    m = len(force)
    for axis in (0, 1):
        force[:, axis] += np.bincount(a, weights=f[:, axis], minlength=m)
        force[:, axis] -= np.bincount(b, weights=f[:, axis], minlength=m)


def _landscape(pos: np.ndarray) -> np.ndarray:
    """Turn a centred layout so that its longest axis is horizontal, as screens are wide."""
    import numpy as np

    if len(pos) < 3:
        return pos
    _, vectors = np.linalg.eigh(np.cov(pos.T))
    main = vectors[:, -1]
    turn = np.array([[main[0], main[1]], [-main[1], main[0]]])
    return pos @ turn.T


def _grid_repulsion(pos: np.ndarray, grid_n: int, k: float, near: float) -> np.ndarray:
    """Far-field repulsion on a coarse grid: each cell's nodes are pushed by k^2 * mass / d
    from the centre of mass of every other cell (d at least ``near``: closer nodes repel one
    by one). O(cells^2 + n) a step instead of O(n^2)."""
    import numpy as np

    lo, hi = pos.min(axis=0), pos.max(axis=0)
    span = np.maximum(hi - lo, 1e-6)
    cell = np.minimum((grid_n * (pos - lo) / span).astype(np.int64), grid_n - 1)
    cid = cell[:, 0] * grid_n + cell[:, 1]
    size = grid_n * grid_n
    mass = np.bincount(cid, minlength=size).astype(float)
    used = np.flatnonzero(mass)
    mass = mass[used]
    centre = (
        np.column_stack(
            [
                np.bincount(cid, weights=pos[:, 0], minlength=size)[used],
                np.bincount(cid, weights=pos[:, 1], minlength=size)[used],
            ]
        )
        / mass[:, None]
    )
    delta = centre[:, None, :] - centre[None, :, :]
    d2 = np.maximum((delta**2).sum(axis=2), near * near)
    np.fill_diagonal(d2, np.inf)
    field = np.zeros((size, 2))
    field[used] = ((k * k * mass[None, :] / d2)[:, :, None] * delta).sum(axis=1)
    return field[cid]


def remove_overlaps(pos: np.ndarray, radii: np.ndarray, gap: float = GAP) -> np.ndarray:
    """Push overlapping discs apart until every pair is at least r1 + r2 + gap apart."""
    import numpy as np
    from scipy.spatial import cKDTree

    pos = pos.copy()
    m = len(pos)
    if m < 2:
        return pos
    reach = 2 * float(radii.max()) + gap
    for attempt in range(1000):
        for _ in range(60):
            found = cKDTree(pos).query_pairs(reach, output_type="ndarray")
            if not len(found):
                return pos
            a, b = found[:, 0], found[:, 1]
            delta = pos[b] - pos[a]
            d = np.sqrt((delta**2).sum(axis=1))
            need = radii[a] + radii[b] + gap
            bad = d < need
            if not bad.any():
                return pos
            a, b, delta, d, need = a[bad], b[bad], delta[bad], d[bad], need[bad]
            # Discs on the same spot part along a direction fixed by their indices.
            same = d < 1e-6
            turn = (a[same] * 0.618034 + b[same] * 0.414214) * 2 * math.pi
            delta[same] = np.column_stack([np.cos(turn), np.sin(turn)])
            d[same] = 1.0
            push = ((need - d) / d * 0.5 * 1.02)[:, None] * delta
            move = np.zeros_like(pos)
            _scatter(move, b, a, push)
            pos += move
        # Still crowded: give the whole component a little more room and go on.
        centre = pos.mean(axis=0)
        pos = centre + (pos - centre) * (1.05 + 0.01 * attempt)
    raise RuntimeError("overlap removal did not converge")  # pragma: no cover


def _pack(pos: np.ndarray, boxes: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """Rows of component boxes (already in order), about as wide as a 16:9 screen."""
    margin = 30.0
    area = sum(float((w + margin) * (h + margin)) for _, (w, h) in boxes)
    widest = max(float(w) for _, (w, _h) in boxes)
    row_width = max(widest, math.sqrt(area * 16 / 9))
    x = y = row_h = 0.0
    for idx, (w, h) in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + margin, 0.0
        pos[idx] += (x, y)
        x += float(w) + margin
        row_h = max(row_h, float(h))


def _curve_layout(
    g: nx.MultiDiGraph, nodes: list[str], index: dict[str, int], radii: np.ndarray
) -> dict[str, tuple[float, float, float]]:
    """More than FORCE_LIMIT nodes: no browser draws such a map usably (filter the export), so
    they are only placed, fast: in breadth-first order from each component's first node, along
    a Hilbert curve of equal cells, so neighbours stay near one another and nothing overlaps."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import breadth_first_order, connected_components

    n = len(nodes)
    pairs = np.array(
        [(index[s], index[t]) for s, t in g.edges() if s != t], dtype=np.int64
    ).reshape(-1, 2)
    adjacency = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n)).tocsr()
    _, labels = connected_components(adjacency, directed=False)
    seen = np.zeros(n, dtype=bool)
    order: list[int] = []
    for start in range(n):
        if not seen[start]:
            found = breadth_first_order(adjacency, start, directed=False, return_predecessors=False)
            seen[found] = True
            order.extend(found.tolist())
    del labels
    cell = 2 * float(radii.max()) + GAP
    side = 1 << max(1, math.ceil(math.log2(math.sqrt(n))))
    out = {}
    for d, i in enumerate(order):
        x, y = _hilbert(side, d)
        out[nodes[i]] = (round(x * cell, 1), round(y * cell, 1), float(radii[i]))
    return out


def _hilbert(side: int, d: int) -> tuple[int, int]:
    """The d-th cell along a Hilbert curve filling a side x side square."""
    x = y = 0
    s, t = 1, d
    while s < side:
        rx = 1 & (t // 2)
        ry = 1 & (t ^ rx)
        if ry == 0:
            if rx == 1:
                x, y = s - 1 - x, s - 1 - y
            x, y = y, x
        x += s * rx
        y += s * ry
        t //= 4
        s *= 2
    return x, y


def label_order(g: nx.MultiDiGraph) -> list[int]:
    """Node indices, the label most worth showing first: definitions, works by their number of
    claims, claims by their evidence, then authors (the page places labels greedily)."""
    rank = {"definition": 0, "document": 1, "claim": 2, "author": 3}
    claims_of: dict[str, int] = defaultdict(int)
    for s, _t, d in g.edges(data=True):
        if d.get("kind") == "contains":
            claims_of[s] += 1
    keys = []
    for i, (v, d) in enumerate(g.nodes(data=True)):
        kind = str(d.get("kind", ""))
        weight = claims_of[v] if kind == "document" else node_radius(d)
        keys.append((rank.get(kind, 4), -weight, i))
    return [i for *_, i in sorted(keys)]


# -- the debate map ------------------------------------------------------------------------

NO_DEFINITION = "none"
SIDES = ("affirms", "centre", "disputes")  # left to right; centre = neutral, then unknown
SIDE_TITLES = {
    "affirms": "◀ affirms emergence",
    "centre": "neutral · stance unknown",
    "disputes": "disputes emergence ▶",
}
UNKNOWN = "unknown"
CELL_W, CELL_H = 104.0, 46.0  # one claim and its work's label under it
TITLE_W = 250.0  # the lane titles, left of the claims (at least; a sixth of a wide map)
ASPECT = 1.6  # the debate map's width / height, about a window's
COLUMN_GAP = 36.0
LANE_PAD = 14.0
HEAD_H = 44.0
DEBATE_R = 7.0


@dataclass(frozen=True)
class DebateNode:
    id: str  # claim:<id> in the claim's first lane, claim:<id>@D4 in another
    claim: str  # the graph node, claim:<id>
    lane: str
    stance: str  # affirms, disputes, neutral or unknown
    x: float
    y: float
    r: float
    work: str


@dataclass(frozen=True)
class DebateEdge:
    source: str  # DebateNode ids
    target: str
    kind: str  # supports, counters
    past: bool  # a counter that talks past its target


@dataclass(frozen=True)
class DebateLane:
    id: str  # D1..D6 or "none"
    title: str
    x: float
    y: float
    width: float
    height: float
    claims: int


@dataclass
class DebateMap:
    lanes: list[DebateLane] = field(default_factory=list)
    columns: list[tuple[str, str, float, float]] = field(default_factory=list)  # side, title, x, w
    nodes: list[DebateNode] = field(default_factory=list)
    edges: list[DebateEdge] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    title_width: float = TITLE_W


def claim_lanes(labels: str) -> list[str]:
    lanes = [d for d in DEFINITIONS if d in str(labels).split(",")]
    return lanes or [NO_DEFINITION]


def stance_of(data: dict[str, Any]) -> str:
    stance = data.get("stance")
    return stance if stance in STANCES else UNKNOWN


def side_of(stance: str) -> str:
    return stance if stance in ("affirms", "disputes") else "centre"


def _surname(name: str) -> str:
    name = name.strip()
    return name.split(",")[0].strip() if "," in name else (name.split() or [""])[-1]


def work_name(data: dict[str, Any]) -> str:
    """A work as a short label: "Wei et al. 2022", else its title cut short."""
    year = str(data.get("year", "") or "")
    authors = [a for a in str(data.get("authors", "") or "").split(";") if a.strip()]
    if authors:
        who = _surname(authors[0])
        if len(authors) == 2:
            who += " & " + _surname(authors[1])
        elif len(authors) > 2:
            who += " et al."
        return f"{who} {year}".strip()
    title = str(data.get("label") or data.get("path") or "")
    return shorten(title, 24)


def shorten(text: str, width: float) -> str:
    """``text`` cut to about ``width`` Latin characters (a CJK character counts two)."""
    text = " ".join(text.split())
    out, used = "", 0.0
    for ch in text:
        w = 2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0
        if used + w > width:
            return out.rstrip() + "…"
        out += ch
        used += w
    return out


def debate_layout(g: nx.MultiDiGraph) -> DebateMap:
    """The debate map of the claims of ``g`` (see the module's docstring)."""
    work_of: dict[str, str] = {}
    for s, t, d in g.edges(data=True):
        if d.get("kind") == "contains" and g.nodes[t].get("kind") == "claim":
            work_of.setdefault(t, s)
    claims = [(v, d) for v, d in g.nodes(data=True) if d.get("kind") == "claim"]
    groups: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    lanes_of: dict[str, list[str]] = {}
    order = {"affirms": 0, "neutral": 0, "disputes": 0, UNKNOWN: 1}
    for v, d in claims:
        lanes = claim_lanes(str(d.get("labels", "")))
        lanes_of[v] = lanes
        stance = stance_of(d)
        work = work_of.get(v, "")
        links = int(d.get("supports", 0) or 0) + int(d.get("counters", 0) or 0)
        for lane in lanes:
            groups[lane, side_of(stance)].append((order[stance], work, -links, v, stance))
    lane_ids = [
        *DEFINITIONS,
        *([NO_DEFINITION] if any(k[0] == NO_DEFINITION for k in groups) else []),
    ]
    cols = _debate_columns(lane_ids, groups)
    out = DebateMap()
    out.title_width = x = title_width(cols)
    col_x = {}
    for s in SIDES:
        w = cols[s] * CELL_W
        col_x[s] = x
        out.columns.append((s, SIDE_TITLES[s], x, w))
        x += w + COLUMN_GAP
    out.width = x - COLUMN_GAP
    y = HEAD_H
    where: dict[tuple[str, str], str] = {}  # (claim, lane) -> debate node id
    for lane in lane_ids:
        rows = max(1, *(math.ceil(len(groups[lane, s]) / cols[s]) for s in SIDES))
        height = 2 * LANE_PAD + rows * CELL_H
        n_claims = len({m[3] for s in SIDES for m in groups[lane, s]})
        out.lanes.append(
            DebateLane(lane, _lane_title(g, lane), 0.0, y, out.width, height, n_claims)
        )
        for s in SIDES:
            for i, (_o, work, _l, v, stance) in enumerate(sorted(groups[lane, s])):
                cx = col_x[s] + (i % cols[s] + 0.5) * CELL_W
                cy = y + LANE_PAD + (i // cols[s]) * CELL_H + DEBATE_R + 4
                vid = v if lanes_of[v][0] == lane else f"{v}@{lane}"
                where[v, lane] = vid
                work_data = g.nodes[work] if work in g else {}
                out.nodes.append(
                    DebateNode(
                        vid,
                        v,
                        lane,
                        stance,
                        round(cx, 1),
                        round(cy, 1),
                        DEBATE_R,
                        work_name(work_data) if work_data else "",
                    )
                )
        y += height
    out.height = y
    out.edges = _debate_edges(g, lanes_of, where)
    return out


def _debate_columns(
    lanes: list[str], groups: dict[tuple[str, str], list[tuple[Any, ...]]]
) -> dict[str, int]:
    """Grid columns per side: as many as make the map about ASPECT times as wide as high, each
    side's share after the most claims it has in one lane; a side nobody is on keeps two
    columns, so its title still says where such claims would go."""
    fullest = {s: max([len(groups[ln, s]) for ln in lanes] + [0]) for s in SIDES}
    most = max(1, *fullest.values())
    best: tuple[float, dict[str, int]] | None = None
    for c in range(2, 61):
        cols = {s: max(2, math.ceil(c * fullest[s] / most)) for s in SIDES}
        width = title_width(cols) + sum(cols.values()) * CELL_W + (len(SIDES) - 1) * COLUMN_GAP
        height = HEAD_H + sum(
            2 * LANE_PAD
            + CELL_H * max(2, *(math.ceil(len(groups[ln, s]) / cols[s]) for s in SIDES))
            for ln in lanes
        )
        miss = abs(math.log(width / height / ASPECT))
        if best is None or miss < best[0] - 1e-9:
            best = (miss, cols)
    assert best is not None
    return best[1]


def title_width(cols: dict[str, int]) -> float:
    """Room for the lane titles: at least TITLE_W, a sixth of the claims' width on a wide map
    (the page draws them at a fixed size in px, so a map shown small needs more)."""
    claims = sum(cols.values()) * CELL_W + (len(SIDES) - 1) * COLUMN_GAP
    return max(TITLE_W, round(claims / 6, 1))


def _lane_title(g: nx.MultiDiGraph, lane: str) -> str:
    if lane == NO_DEFINITION:
        return "no definition"
    node = g.nodes.get(f"def:{lane}", {})
    return str(node.get("label") or lane)


def _debate_edges(
    g: nx.MultiDiGraph, lanes_of: dict[str, list[str]], where: dict[tuple[str, str], str]
) -> list[DebateEdge]:
    """Each evidence link between two claims once: inside the first lane both claims share,
    else between their first lanes (a counter that talks past its target crosses lanes)."""
    seen = set()
    out = []
    for s, t, d in g.edges(data=True):
        kind = d.get("kind")
        if kind not in ("supports", "counters") or s not in lanes_of or t not in lanes_of:
            continue
        shared = [ln for ln in lanes_of[s] if ln in lanes_of[t]]
        if shared:
            a, b = where[s, shared[0]], where[t, shared[0]]
        else:
            a, b = where[s, lanes_of[s][0]], where[t, lanes_of[t][0]]
        past = kind == "counters" and talking_past(
            g.nodes[s].get("labels", ""), g.nodes[t].get("labels", "")
        )
        key = (a, b, str(kind))
        if key in seen:
            continue
        seen.add(key)
        out.append(DebateEdge(a, b, str(kind), past))
    return out
