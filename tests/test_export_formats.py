"""Contract 4: every export loads in its usual reader, and they agree on counts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from emlit.graph.build import build_graph
from emlit.graph.export import FORMATS, export_graph
from tests.evidence_support import curated_store

CITO = rdflib.Namespace("http://purl.org/spar/cito/")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
EMLIT = rdflib.Namespace("https://w3id.org/emlit/vocab#")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[nx.MultiDiGraph, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("export")
    store = curated_store(folder / "g.db")
    files = {fmt: folder / f"graph.{fmt}" for fmt in FORMATS}
    for fmt, path in files.items():
        export_graph(store, fmt, path)
    g = build_graph(store)
    store.close()
    return g, files


def edge_kinds(g: nx.MultiDiGraph) -> Counter:
    return Counter(d["kind"] for *_, d in g.edges(data=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_networkx_reads_it_back(exported, fmt: str) -> None:  # type: ignore[no-untyped-def]
    g, files = exported
    if fmt == "graphml":
        back = nx.read_graphml(files[fmt])
    elif fmt == "gexf":
        back = nx.read_gexf(files[fmt])
    else:
        back = nx.node_link_graph(json.loads(files[fmt].read_text(encoding="utf-8")), edges="edges")
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    assert edge_kinds(back) == edge_kinds(g)
    claim = next(n for n, d in g.nodes(data=True) if d["kind"] == "claim")
    assert back.nodes[claim]["text"] == g.nodes[claim]["text"]


def test_cytoscape_elements(exported) -> None:  # type: ignore[no-untyped-def]
    g, files = exported
    data = json.loads(files["cytoscape"].read_text(encoding="utf-8"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    ids = {n["data"]["id"] for n in nodes}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)


def test_graphviz_renders_dot(exported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    g, files = exported
    dot = shutil.which("dot")
    assert dot, "Graphviz 'dot' is needed (apt-get install graphviz)"
    svg = subprocess.run(
        [dot, "-Tsvg", str(files["dot"])], capture_output=True, text=True, check=True
    ).stdout
    assert len(re.findall(r'class="node"', svg)) == g.number_of_nodes()
    assert len(re.findall(r'class="edge"', svg)) == g.number_of_edges()


def _rdf(files: dict[str, Path], fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(files[fmt], format="turtle" if fmt == "turtle" else "json-ld")


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_rdflib_reads_rdf_with_standard_vocabularies(exported, fmt: str) -> None:  # type: ignore[no-untyped-def]
    g, files = exported
    r = _rdf(files, fmt)
    kinds = edge_kinds(g)
    assert len(list(r.triples((None, CITO.supports, None)))) == kinds["supports"]
    assert len(list(r.triples((None, CITO.disputes, None)))) == kinds["counters"]
    assert len(list(r.triples((None, CITO.citesAsEvidence, None)))) == kinds["cites_as_evidence"]
    claims = [n for n, d in g.nodes(data=True) if d["kind"] == "claim"]
    assert len(set(r.subjects(rdflib.RDF.type, OA.Annotation))) == len(claims)
    concepts = set(r.subjects(rdflib.RDF.type, SKOS.Concept))
    assert len(concepts) == 6
    for c in concepts:
        langs = {lit.language for lit in r.objects(c, SKOS.prefLabel)}
        assert langs == {"en", "zh"}
    assert len(set(r.subjects(rdflib.RDF.type, SKOS.ConceptScheme))) == 1
    # Web Annotation selectors quote the claim and its position.
    exact = {str(o) for o in r.objects(None, OA.exact)}
    assert {g.nodes[c]["text"] for c in claims} == exact


def test_turtle_and_jsonld_hold_the_same_triples(exported) -> None:  # type: ignore[no-untyped-def]
    _, files = exported
    assert set(_rdf(files, "turtle")) == set(_rdf(files, "jsonld"))


def test_oxigraph_parses_both_and_answers_sparql(exported) -> None:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    g, files = exported
    n_rdflib = len(_rdf(files, "turtle"))
    for fmt, rdf_format in (("turtle", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD)):
        store = ox.Store()
        store.load(path=str(files[fmt]), format=rdf_format)
        assert len(store) == n_rdflib
        rows = list(
            store.query(
                "SELECT (COUNT(*) AS ?n) WHERE { ?a <http://purl.org/spar/cito/disputes> ?b }"
            )
        )
        assert int(rows[0]["n"].value) == edge_kinds(g)["counters"]


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.data_script: list[str] = []
        self._in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("src", "href"):
            if a.get(key):
                self.refs.append(f"{tag}.{key}={a[key]}")
        self._in_data = tag == "script" and a.get("id") == "graph-data"

    def handle_endtag(self, tag: str) -> None:
        self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data_script.append(data)


def test_html_is_self_contained_and_carries_the_graph(exported) -> None:  # type: ignore[no-untyped-def]
    g, files = exported
    text = files["html"].read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(text)
    assert parser.refs == [], "no external scripts, styles or images"
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text
    data = json.loads("".join(parser.data_script))
    assert len(data["nodes"]) == g.number_of_nodes()
    assert len(data["edges"]) == g.number_of_edges()
    assert sum(1 for e in data["edges"] if e["kind"] == "counters") == edge_kinds(g)["counters"]
    assert any(e.get("past") for e in data["edges"]), "talking-past counters are marked"
