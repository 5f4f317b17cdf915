"""Streamed exports (emlit/graph/stream.py) write the graph ``build_graph`` makes: node-link
JSON and Turtle byte for byte as the networkx path writes them, GraphML read back into the
same nodes and edges, on a store with every kind of node and edge (curated map with authors and cited
works, notes with wikilinks, a Zotero comment on a highlight, human links, tags and stances,
a claim with two relations to the same target), and on a store of awkward text (quotes,
backslashes, control characters, Chinese, emoji, URLs with spaces, odd claim ids), where
the files are also read back: rdflib's graph of the streamed Turtle is isomorphic to the
networkx path's and gives back every text, node-link JSON loads into networkx."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic

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
    section: str = "Notes",
    lang: str = "en",
) -> list[str]:
    text, blocks, claims = "", [], []
    for i, s in enumerate(sentences):
        start = len(text) + (2 if text else 0)
        text += ("\n\n" if text else "") + s
        blocks.append(Block(start, len(text), "paragraph", section, 2 if i else None))
        claims.append(Claim(f"{name}-{i}", s, lang, start, len(text), section))
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
    scores = {"affirms": 0.1234567890123456, "disputes": 0.7, "neutral": 0.1765432109876544}
    s.save_machine_stances({c: {"stance": "disputes", "scores": scores} for c in (a[0], b[0])})
    s.set_human_stance(b[0], "affirms")  # a human row: the effective view is read
    return s


AWKWARD = [
    'He said "emergence" is a \\mirage\\ of C:\\metrics\\ and "scale".',
    "Line one\nline two\ttabbed\r\nend, a bell \x07 and a delete \x7f here.",
    "大语言模型的涌现能力是真实的吗？",
    "大语言模型在规模扩大时表现出突然的能力跃迁，" * 6,  # long: its label is cut, with "…"
    "Emoji 🚀 and a jump 😀 at scale.",
    "See https://example.org/a path with spaces?x=1&y=2#frag <here>.",
    "  Leading,  double   spaces and trailing  ",
    "A long English claim about scale that goes on and on without any special character at all.",
    "   ",  # whitespace only: no label
    "Tab\tand no-break\u00a0space and ideographic\u3000space.",
]


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Machine rows only (the store reads the tables, not the effective views), text that
    needs every escape, a claim id that needs percent-escaping in an IRI."""
    s = Store(tmp_path_factory.mktemp("awkward") / "a.db")
    odd = _note(s, 'odd név/ "1"', AWKWARD, section='Part "A" \\ 第一节')
    zh = _note(s, "中文", ["另一个说法：涌现只是度量的假象。"], lang="zh", section="")
    s.add_model_links(
        [
            ModelLink(odd[0], odd[1], "SUPPORTS", 0.1234567890123456, 'm"1"'),
            ModelLink(odd[0], odd[1], "COUNTERS", 0.5, "m"),  # parallel edges
            ModelLink(odd[3], zh[0], "COUNTERS", 0.875, "m"),
            ModelLink(zh[0], odd[2], "SUPPORTS", 0.6, "m"),
            ModelLink(odd[5], odd[4], "SUPPORTS", 0.7, "m"),
        ]
    )
    s.bulk_add_machine_tags(
        [
            (odd[0], "D3", True, 0.9, "m"),
            (odd[0], "D1", True, 0.8, "m"),
            (zh[0], "D4", True, 0.7, "m"),
        ]
        + [(c, "D6", False, 0.1, "m") for c in odd]
    )
    scores = {"affirms": 0.2, "disputes": 0.30000000000000004, "neutral": 0.5}
    s.save_machine_stances({c: {"stance": "neutral", "scores": scores} for c in odd[:4]})
    return s


def test_awkward_text_json_reads_back_as_the_networkx_graph(awkward: Store) -> None:
    g = build_graph(awkward)
    before, after = io.StringIO(), io.StringIO()
    formats.write_json(formats.node_link(g), before)
    stream.write_json(stream.MapStream(awkward), after)
    assert after.getvalue() == before.getvalue()
    data = json.loads(after.getvalue())
    assert data == json.loads(json.dumps(nx.node_link_data(g, edges="edges")))
    back = nx.node_link_graph(data, edges="edges")
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert _edges(back) == _edges(g)
    texts = {d["text"] for _, d in back.nodes(data=True) if d.get("kind") == "claim"}
    assert set(AWKWARD) <= texts
    # The whitespace-only claim has no label; a long one is cut with "…".
    labels = {d["text"]: d.get("label") for _, d in back.nodes(data=True) if "text" in d}
    assert labels["   "] is None and labels[AWKWARD[3]].endswith("…")
    assert labels[AWKWARD[6]] == "Leading, double spaces and trailing"


def test_awkward_text_turtle_is_the_rdf_graph_of_the_networkx_path(awkward: Store) -> None:
    import pyoxigraph as ox

    before, after = io.StringIO(), io.StringIO()
    n = rdf.write_turtle(build_graph(awkward), before)
    assert stream.write_turtle(stream.MapStream(awkward), after) == n
    assert after.getvalue() == before.getvalue()
    streamed = rdflib.Graph().parse(data=after.getvalue(), format="turtle")
    built = rdflib.Graph().parse(data=before.getvalue(), format="turtle")
    assert len(streamed) == n and isomorphic(streamed, built)
    assert len(list(ox.parse(after.getvalue(), format=ox.RdfFormat.TURTLE))) == n
    # Every text comes back from the parser exactly as stored (the escaping round-trips).
    oa = rdflib.Namespace(rdf.PREFIXES["oa"])
    exact = {str(o) for o in streamed.objects(None, oa.exact)}
    assert set(AWKWARD) <= exact
    odd = rdflib.URIRef(rdf.node_iri('claim:odd név/ "1"-0'))
    assert " " not in str(odd) and (odd, rdflib.RDF.type, oa.Annotation) in streamed
    cito = rdflib.Namespace(rdf.PREFIXES["cito"])
    assert {p for p in streamed.predicates(odd) if str(p).startswith(str(cito))} == {
        cito.supports,
        cito.disputes,
    }


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
