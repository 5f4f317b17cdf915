"""Streamed exports (emlit/graph/stream.py) write the graph ``build_graph`` makes: node-link
JSON and Turtle byte for byte as the networkx path writes them, GraphML read back into the
same nodes and edges, on a store with every kind of node and edge (curated map with authors and cited
works, notes with wikilinks, a Zotero comment on a highlight, human links and tags, a claim
with two relations to the same target)."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from emlit.graph import formats, rdf, stream
from emlit.graph.build import GraphFilter, build_graph
from emlit.graph.export import export
from emlit.models import Block, Claim, DocLink, ParsedDocument
from emlit.store import ModelLink, Store
from tests.evidence_support import curated_store


def _note(
    store: Store,
    name: str,
    sentences: list[str],
    *,
    links: list[DocLink] | None = None,
    fmt: str = "markdown",
    metadata: dict | None = None,
) -> list[str]:
    text, blocks, claims = "", [], []
    for i, s in enumerate(sentences):
        start = len(text) + (2 if text else 0)
        text += ("\n\n" if text else "") + s
        blocks.append(Block(start, len(text), "paragraph", "Notes", 2 if i else None))
        claims.append(Claim(f"{name}-{i}", s, "en", start, len(text), "Notes"))
    doc = ParsedDocument(
        f"/n/{name}", fmt, text, blocks, title=name, metadata=metadata or {}, links=links or []
    )
    store.save_document(
        doc, path=f"/n/{name}.md", display_path=f"{name}.md", content_hash=name, claims=claims
    )
    return [c.id for c in claims]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = curated_store(tmp_path_factory.mktemp("stream") / "s.db")
    a = _note(
        s,
        "alpha",
        ['Emergence is a "mirage" of <metrics> & scoring.', "Scale\tmatters\nsuddenly."],
        links=[DocLink("beta", "wikilink"), DocLink("beta#Part", "wikilink"), DocLink("x", "url")],
        metadata={"authors": ["Ann Alpha", "Bob Beta", "Ann Alpha"], "year": 2023},
    )
    b = _note(s, "beta", ["Beta says the jump is real."], links=[DocLink("alpha", "embed")])
    z = _note(
        s,
        "zot",
        ["A highlight.", "My comment on it."],
        fmt="zotero",
        metadata={"annotations": [{"claim": "zot-0", "comment": "zot-1"}]},
    )
    curated = s.claim_ids(provenance="curated")
    s.add_model_links(
        [
            ModelLink(a[0], b[0], "COUNTERS", 0.91, "m"),
            ModelLink(a[0], b[0], "SUPPORTS", 0.85, "m"),  # parallel edges, keys 0 and 1
            ModelLink(b[0], curated[0], "SUPPORTS", 0.9, "m"),
            ModelLink(z[1], z[0], "SUPPORTS", 0.8, "m"),  # evidence beside the comment
        ]
    )
    s.set_human_link(a[1], curated[1], "COUNTERS", True)
    s.set_human_tag(a[0], "D5", True)
    s.set_human_tag(a[0], "D2", True)
    return s


def test_json_is_byte_for_byte_the_networkx_output(store: Store) -> None:
    before = io.StringIO()
    formats.write_json(formats.node_link(build_graph(store)), before)
    after = io.StringIO()
    stream.write_json(stream.MapStream(store), after)
    assert after.getvalue() == before.getvalue()


def test_turtle_is_byte_for_byte_the_graph_writer_output(store: Store) -> None:
    before = io.StringIO()
    n = rdf.write_turtle(build_graph(store), before)
    after = io.StringIO()
    assert stream.write_turtle(stream.MapStream(store), after) == n
    assert after.getvalue() == before.getvalue()


def _edges(g: nx.MultiDiGraph) -> Counter:
    return Counter(
        (s, t, k, tuple(sorted(d.items()))) for s, t, k, d in g.edges(keys=True, data=True)
    )


def test_graphml_reads_back_as_the_same_graph(store: Store, tmp_path: Path) -> None:
    nx.write_graphml(build_graph(store), tmp_path / "before.graphml")
    with open(tmp_path / "after.graphml", "w", encoding="utf-8") as fh:
        stream.write_graphml(stream.MapStream(store), fh)
    before = nx.read_graphml(tmp_path / "before.graphml")
    after = nx.read_graphml(tmp_path / "after.graphml")
    assert after.graph == before.graph
    # The same nodes with the same attributes (GraphML is written in one pass, edges beside
    # their claims, so a reader may meet a node in an edge before its element: order differs).
    assert dict(after.nodes(data=True)) == dict(before.nodes(data=True))
    assert _edges(after) == _edges(before)
    kinds = Counter(d["kind"] for *_, d in after.edges(data=True))
    assert kinds["comments_on"] == 1 and kinds["links_to"] == 3 and kinds["authored"] >= 3


def test_export_streams_the_whole_graph_and_builds_a_filtered_one(
    store: Store, tmp_path: Path
) -> None:
    for fmt in ("graphml", "turtle", "json"):
        done = export(store, fmt, tmp_path / f"all.{fmt}")
        assert done.graph is None and "streamed" in done.summary
        part = export(store, fmt, tmp_path / f"d4.{fmt}", GraphFilter(definition="D4"))
        assert part.graph is not None and "streamed" not in part.summary


def test_a_store_without_human_rows_streams_the_same_graph(tmp_path: Path) -> None:
    # No human tag or link: the store reads the tables instead of the effective views (a
    # shortcut for big machine-built stores); the graph must not change.
    s = Store(tmp_path / "machine.db")
    a = _note(s, "one", ["Scale & <metrics> matter.", "The jump is sudden."])
    b = _note(s, "two", ["It is a mirage.", "Loss predicts it."])
    s.add_model_links(
        [
            ModelLink(a[0], b[0], "COUNTERS", 0.9, "m"),
            ModelLink(a[0], b[0], "SUPPORTS", 0.7, "m"),
            ModelLink(b[1], a[1], "SUPPORTS", 0.8, "m"),
        ]
    )
    s.bulk_add_machine_tags([(a[0], "D2", True, 0.9, "m"), (a[0], "D1", True, 0.8, "m")])
    g = build_graph(s)
    assert g.nodes[f"claim:{a[0]}"]["labels"] == "D1,D2"
    before, after = io.StringIO(), io.StringIO()
    formats.write_json(formats.node_link(g), before)
    stream.write_json(stream.MapStream(s), after)
    assert after.getvalue() == before.getvalue()
    before, after = io.StringIO(), io.StringIO()
    rdf.write_turtle(g, before)
    stream.write_turtle(stream.MapStream(s), after)
    assert after.getvalue() == before.getvalue()
    nx.write_graphml(g, tmp_path / "before.graphml")
    with open(tmp_path / "after.graphml", "w", encoding="utf-8") as fh:
        stream.write_graphml(stream.MapStream(s), fh)
    read_before = nx.read_graphml(tmp_path / "before.graphml")
    read_after = nx.read_graphml(tmp_path / "after.graphml")
    assert dict(read_after.nodes(data=True)) == dict(read_before.nodes(data=True))
    assert _edges(read_after) == _edges(read_before)
    assert g.nodes[f"claim:{a[1]}"]["supports"] == 1
