"""The HTML view's layouts (contract 11), computed at export time: deterministic, no overlap,
lanes by definition and sides by stance on the debate map."""

from __future__ import annotations

import io
import itertools
import math
from pathlib import Path

import networkx as nx
import pytest

from emlit.graph.build import build_graph
from emlit.graph.html import view_data, write_html
from emlit.graph.layout import (
    DEBATE_R,
    NO_DEFINITION,
    debate_layout,
    evidence_layout,
    remove_overlaps,
)
from emlit.vocab import DEFINITIONS
from tests.evidence_support import curated_store


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    store = curated_store(tmp_path_factory.mktemp("layout") / "g.db")
    g = build_graph(store)
    store.close()
    return g


def assert_apart(placed: list[tuple[float, float, float]]) -> None:
    """No two discs overlap: centres at least r1 + r2 apart."""
    import numpy as np
    from scipy.spatial import cKDTree

    xy = np.array([(x, y) for x, y, _ in placed])
    r = np.array([r for *_, r in placed])
    pairs = cKDTree(xy).query_pairs(2 * r.max())
    close = [
        (a, b) for a, b in pairs if math.dist(xy[a], xy[b]) < r[a] + r[b]
    ]  # fmt: skip
    assert close == [], f"{len(close)} overlapping pairs, e.g. {close[:3]}"


def test_evidence_layout_places_every_node_apart_the_same_way_each_time(
    graph: nx.MultiDiGraph,
) -> None:
    placed = evidence_layout(graph)
    assert set(placed) == set(graph.nodes)
    assert_apart(list(placed.values()))
    assert evidence_layout(graph) == placed
    # Rounded to 0.1 px, so the file does not depend on the last bits of a float.
    assert all(round(x, 1) == x and round(y, 1) == y for x, y, _ in placed.values())
    # Wider than high, as windows are; every component packed near the others.
    xs = [x for x, _, _ in placed.values()]
    ys = [y for _, y, _ in placed.values()]
    assert max(xs) - min(xs) >= 0.8 * (max(ys) - min(ys))


def test_the_same_graph_gives_the_same_file(graph: nx.MultiDiGraph) -> None:
    first, second = io.StringIO(), io.StringIO()
    write_html(graph, first)
    write_html(graph, second)
    assert first.getvalue() == second.getvalue()


def test_disconnected_parts_and_lone_nodes_are_packed_apart() -> None:
    g = nx.MultiDiGraph()
    for k in range(40):  # forty lone works, three small stars, a pair on the same spot
        g.add_node(f"doc:{k}", kind="document")
    for hub in range(3):
        for leaf in range(12):
            g.add_node(f"claim:{hub}-{leaf}", kind="claim", supports=leaf % 3)
            g.add_edge(f"doc:{hub}", f"claim:{hub}-{leaf}", kind="contains")
    placed = evidence_layout(g)
    assert set(placed) == set(g.nodes)
    assert_apart(list(placed.values()))


def test_overlap_removal_parts_discs_on_the_same_spot() -> None:
    import numpy as np

    pos = np.zeros((30, 2))
    radii = np.full(30, 5.0)
    out = remove_overlaps(pos, radii)
    assert_apart([(x, y, 5.0) for x, y in out])


def test_a_graph_of_two_thousand_nodes_is_laid_out_quickly() -> None:
    import sys
    import time

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from bench_html_view import generated_graph

    g = generated_graph(2000)
    t = time.perf_counter()
    placed = evidence_layout(g)
    assert time.perf_counter() - t < 60
    assert_apart(list(placed.values()))


# -- the debate map ------------------------------------------------------------------------


def stance_graph() -> nx.MultiDiGraph:
    """Claims with known definitions and stance (the store has no stance yet, so the graph
    nodes get the attribute directly)."""
    g = nx.MultiDiGraph()
    g.add_node("doc:1", kind="document", label="Alpha", authors="Alpha, Ann", year="2022")
    g.add_node("doc:2", kind="document", label="Beta", authors="Beta, Bob; Gamma, G", year="2023")
    claims = {
        "a1": ("D3", "affirms"),
        "a2": ("D3,D4", "affirms"),
        "n1": ("D3", "neutral"),
        "d1": ("D3", "disputes"),
        "d2": ("D4", "disputes"),
        "u1": ("D1", None),
        "x1": ("", "disputes"),
        "z6": ("D6", "affirms"),
    }
    for name, (labels, stance) in claims.items():
        attrs = {"kind": "claim", "labels": labels, "text": f"claim {name}", "label": name}
        if stance:
            attrs["stance"] = stance
        g.add_node(f"claim:{name}", **attrs)
        g.add_edge("doc:1" if name < "n" else "doc:2", f"claim:{name}", kind="contains")
    g.add_edge("claim:d1", "claim:a2", kind="counters")  # shares D3
    g.add_edge("claim:d2", "claim:a2", kind="counters")  # shares D4
    g.add_edge("claim:u1", "claim:a1", kind="counters")  # D1 vs D3: talks past
    g.add_edge("claim:n1", "claim:a1", kind="supports")
    return g


def test_debate_lanes_run_d1_to_d6_then_no_definition() -> None:
    m = debate_layout(stance_graph())
    assert [lane.id for lane in m.lanes] == [*DEFINITIONS, NO_DEFINITION]
    for upper, lower in itertools.pairwise(m.lanes):
        assert upper.y + upper.height <= lower.y
    for node in m.nodes:
        lane = next(lane for lane in m.lanes if lane.id == node.lane)
        assert lane.y < node.y - node.r and node.y + node.r < lane.y + lane.height
    assert next(lane for lane in m.lanes if lane.id == "D3").claims == 4


def test_debate_sides_affirms_left_of_neutral_left_of_disputes() -> None:
    m = debate_layout(stance_graph())
    by_id = {n.id: n for n in m.nodes}
    d3 = {n.claim: n for n in m.nodes if n.lane == "D3"}
    assert d3["claim:a1"].x < d3["claim:n1"].x < d3["claim:d1"].x
    assert d3["claim:a2"].x < d3["claim:n1"].x
    assert by_id["claim:d2"].x > by_id["claim:a2@D4"].x
    # Every affirming claim is left of every neutral one, left of every disputing one.
    xs = {s: [n.x for n in m.nodes if n.stance == s] for s in ("affirms", "neutral", "disputes")}
    assert max(xs["affirms"]) < min(xs["neutral"]) and max(xs["neutral"]) < min(xs["disputes"])
    # Unknown stance: the middle, marked as such.
    u1 = by_id["claim:u1"]
    assert u1.stance == "unknown" and u1.lane == "D1"
    assert min(xs["affirms"]) < u1.x < max(xs["disputes"])
    assert by_id["claim:x1"].lane == NO_DEFINITION


def test_a_claim_with_two_definitions_is_drawn_in_both_lanes() -> None:
    m = debate_layout(stance_graph())
    copies = [n for n in m.nodes if n.claim == "claim:a2"]
    assert [(n.id, n.lane) for n in copies] == [("claim:a2", "D3"), ("claim:a2@D4", "D4")]
    assert len({n.id for n in m.nodes}) == len(m.nodes)
    assert all(n.r == DEBATE_R for n in m.nodes)
    assert_apart([(n.x, n.y, n.r) for n in m.nodes])
    assert copies[0].work == "Alpha 2022"


def test_debate_links_stay_in_a_shared_lane_and_talking_past_crosses_lanes() -> None:
    m = debate_layout(stance_graph())
    edges = {(e.source, e.target): e for e in m.edges}
    assert edges["claim:d1", "claim:a2"].kind == "counters"  # in D3, a2's first lane
    assert edges["claim:d2", "claim:a2@D4"].past is False  # in D4, where both are
    past = edges["claim:u1", "claim:a1"]
    assert past.past is True and past.kind == "counters"
    assert edges["claim:n1", "claim:a1"].kind == "supports"


def test_without_stance_every_claim_is_drawn_in_the_middle(graph: nx.MultiDiGraph) -> None:
    m = debate_layout(graph)
    claims = [n for n, d in graph.nodes(data=True) if d["kind"] == "claim"]
    assert {n.claim for n in m.nodes} == set(claims)
    assert {n.stance for n in m.nodes} == {"unknown"}
    middle = next(c for c in m.columns if c[0] == "centre")
    assert all(middle[2] <= n.x <= middle[2] + middle[3] for n in m.nodes)
    assert_apart([(n.x, n.y, n.r) for n in m.nodes])
    # The page carries the same map.
    data = view_data(graph)["debate"]
    assert [lane["id"] for lane in data["lanes"]][:6] == list(DEFINITIONS)
    assert len(data["nodes"]) == len(m.nodes)
