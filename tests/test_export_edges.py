"""Contract 4: hand-picked edges, their direction and the claims' labels, in every export.

The other export tests compare each file with ``build_graph()``, the code the exporters use,
so a bug there (an edge turned round, a human decision ignored) would pass them. Here a tiny
store is built from known input: three claims, two curated links, one human link and one
human tag, and each exported file is read back with its usual reader and checked against
that input, not against the graph builder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from emlit.evidence.curated import load_curated_map
from emlit.graph.export import export_graph
from emlit.store import Store

BIB = """
@article{alpha2022,
  author = {Alpha, Ann},
  title = {Abilities Appear at Scale},
  journal = {Journal of Tests},
  year = {2022}
}

@article{beta2023,
  author = {Beta, Bob},
  title = {It Was the Metric},
  journal = {Journal of Tests},
  year = {2023}
}
"""

CLAIMS = """
claims:
  - id: a
    cite: beta2023
    lang: en
    definitions: [D4]
    text: The sharp jumps come from the choice of metric, not from the models.
  - id: b
    cite: alpha2022
    lang: en
    definitions: [D3, D4]
    text: Abilities appear suddenly once models pass a critical size.
  - id: c
    cite: alpha2022
    lang: zh
    definitions: [D3]
    text: 模型规模超过临界点后，能力会突然出现。
"""

LINKS = """
links:
  - {source: a, target: b, relation: COUNTERS, established_by: beta2023}
  - {source: c, target: b, relation: SUPPORTS, established_by: alpha2022}
"""

# What the store holds once a researcher has also said "c counters a" and "a uses D5":
# (source, target, kind, provenance) of every claim-to-claim evidence edge, and each claim's
# definitions.
EDGES = {
    ("a", "b", "counters", "curated"),
    ("c", "b", "supports", "curated"),
    ("c", "a", "counters", "human"),
}
LABELS = {"a": "D4,D5", "b": "D3,D4", "c": "D3"}
EVIDENCE = ("supports", "counters")

CITO = rdflib.Namespace("http://purl.org/spar/cito/")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
EMLIT = rdflib.Namespace("https://w3id.org/emlit/vocab#")
BASE = "https://w3id.org/emlit/"
PREDICATE = {"supports": CITO.supports, "counters": CITO.disputes}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, Path]]:
    """Local claim name -> stored id, and format -> exported file."""
    folder = tmp_path_factory.mktemp("edges")
    evidence = folder / "evidence"
    evidence.mkdir()
    (evidence / "bibliography.bib").write_text(BIB, encoding="utf-8")
    (evidence / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    (evidence / "links.yaml").write_text(LINKS, encoding="utf-8")
    files = {fmt: folder / f"graph.{fmt}" for fmt in ("graphml", "gexf", "json", "cytoscape")}
    files |= {"dot": folder / "graph.dot", "turtle": folder / "graph.ttl"}
    files |= {"jsonld": folder / "graph.jsonld", "html": folder / "graph.html"}
    with Store(folder / "e.db") as store:
        load_curated_map(store, evidence)
        by_text = {row["text"]: row["id"] for row in store.claims()}
        ids = {
            name: by_text[text]
            for name, text in (
                ("a", "The sharp jumps come from the choice of metric, not from the models."),
                ("b", "Abilities appear suddenly once models pass a critical size."),
                ("c", "模型规模超过临界点后，能力会突然出现。"),
            )
        }
        store.set_human_link(ids["c"], ids["a"], "COUNTERS", True)
        store.set_human_tag(ids["a"], "D5", True)
        # The store's own read of the same facts (contract 8), so a wrong fixture fails here.
        rows = {row["id"]: row for row in store.claims()}
        assert {n: ",".join(rows[i]["labels"]) for n, i in ids.items()} == LABELS
        assert [(rows[ids[n]]["supports"], rows[ids[n]]["counters"]) for n in "abc"] == [
            (0, 1),
            (1, 1),
            (0, 0),
        ]
        for fmt, path in files.items():
            export_graph(store, fmt, path)
    return ids, files


def named(ids: dict[str, str], node: str) -> str:
    """``claim:<stored id>`` (or its IRI) -> the local name a, b or c; others unchanged."""
    for name, cid in ids.items():
        if node in (f"claim:{cid}", f"{BASE}claim/{cid}"):
            return name
    return node


def evidence_edges(ids: dict[str, str], edges: Iterable[tuple[str, str, dict]]) -> set[tuple]:
    """(source, target, kind, provenance) of the claim-to-claim evidence edges."""
    out = set()
    for s, t, d in edges:
        if d.get("kind") in EVIDENCE:
            out.add((named(ids, s), named(ids, t), d["kind"], d.get("provenance")))
    return out


def read_networkx(fmt: str, path: Path) -> nx.Graph:
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path)
    return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_networkx_formats_keep_direction_and_labels(exported, fmt: str) -> None:  # type: ignore[no-untyped-def]
    ids, files = exported
    g = read_networkx(fmt, files[fmt])
    assert g.is_directed()
    assert evidence_edges(ids, g.edges(data=True)) == EDGES
    # Spelled out, the link the issue names: a counters b, and b does not counter a.
    assert g.has_edge(f"claim:{ids['a']}", f"claim:{ids['b']}")
    assert not g.has_edge(f"claim:{ids['b']}", f"claim:{ids['a']}")
    for name, labels in LABELS.items():
        assert g.nodes[f"claim:{ids[name]}"]["labels"] == labels
    assert g.nodes[f"claim:{ids['b']}"]["supports"] == 1
    assert g.nodes[f"claim:{ids['b']}"]["counters"] == 1


def test_cytoscape_keeps_direction_and_labels(exported) -> None:  # type: ignore[no-untyped-def]
    ids, files = exported
    data = json.loads(files["cytoscape"].read_text(encoding="utf-8"))["elements"]
    edges = [(e["data"]["source"], e["data"]["target"], e["data"]) for e in data["edges"]]
    assert evidence_edges(ids, edges) == EDGES
    labels = {named(ids, n["data"]["id"]): n["data"].get("labels") for n in data["nodes"]}
    assert {n: labels[n] for n in LABELS} == LABELS


def test_dot_keeps_direction(exported) -> None:  # type: ignore[no-untyped-def]
    ids, files = exported
    edge = re.compile(r'^\s*"([^"]+)" -> "([^"]+)" \[kind="([^"]+)".*provenance="([^"]*)"')
    found = set()
    for line in files["dot"].read_text(encoding="utf-8").splitlines():
        m = edge.match(line)
        if m and m[3] in EVIDENCE:
            found.add((named(ids, m[1]), named(ids, m[2]), m[3], m[4]))
    assert found == EDGES


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_rdf_keeps_direction_provenance_and_definitions(exported, fmt: str) -> None:  # type: ignore[no-untyped-def]
    ids, files = exported
    r = rdflib.Graph().parse(files[fmt], format="turtle" if fmt == "turtle" else "json-ld")
    iri = {name: rdflib.URIRef(f"{BASE}claim/{cid}") for name, cid in ids.items()}
    found = set()
    for kind, predicate in PREDICATE.items():
        for s, o in r.subject_objects(predicate):
            # Each link is also reified, with its provenance.
            statements = set(r.subjects(rdflib.RDF.subject, s)) & set(
                r.subjects(rdflib.RDF.object, o)
            )
            statements &= set(r.subjects(rdflib.RDF.predicate, predicate))
            assert len(statements) == 1, (s, predicate, o)
            provenance = str(r.value(statements.pop(), EMLIT.provenance))
            found.add((named(ids, str(s)), named(ids, str(o)), kind, provenance))
    assert found == EDGES
    assert (iri["a"], CITO.disputes, iri["b"]) in r
    assert (iri["b"], CITO.disputes, iri["a"]) not in r
    for name, labels in LABELS.items():
        subjects = {str(d).rsplit("/", 1)[-1] for d in r.objects(iri[name], DCTERMS.subject)}
        assert subjects == set(labels.split(","))


class _GraphData(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and dict(attrs).get("id") == "graph-data"

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.text.append(data)


def test_html_view_data_keeps_direction_and_labels(exported) -> None:  # type: ignore[no-untyped-def]
    ids, files = exported
    parser = _GraphData()
    parser.feed(files["html"].read_text(encoding="utf-8"))
    data = json.loads("".join(parser.text))
    node_ids = [n["id"] for n in data["nodes"]]
    edges = [(node_ids[e["source"]], node_ids[e["target"]], e) for e in data["edges"]]
    assert evidence_edges(ids, edges) == EDGES
    labels = {named(ids, n["id"]): n.get("labels") for n in data["nodes"]}
    assert {n: labels[n] for n in LABELS} == LABELS
    past = {(named(ids, s), named(ids, t)) for s, t, e in edges if e.get("past")}
    # A counter between claims that share no definition talks past its target: c (D3)
    # against a (D4, D5) does, a against b (both D4) does not.
    assert past == {("c", "a")}
