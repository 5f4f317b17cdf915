"""The networkx evidence graph built from the store, and its filters."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from emlit.errors import EmlitError
from emlit.graph.build import GraphFilter, build_graph, claim_node
from emlit.store import Store
from tests.evidence_support import curated_store, local_ids


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return curated_store(tmp_path_factory.mktemp("graph") / "g.db")


def kinds(g, what: str = "node") -> Counter:  # type: ignore[no-untyped-def]
    items = g.nodes(data=True) if what == "node" else ((d) for *_, d in g.edges(data=True))
    if what == "node":
        return Counter(d["kind"] for _, d in items)
    return Counter(d["kind"] for d in items)


def test_whole_graph_matches_the_store(store: Store) -> None:
    g = build_graph(store)
    q = store.conn.execute
    n = kinds(g)
    assert n["claim"] == q("SELECT count(*) FROM claims").fetchone()[0]
    assert n["document"] == q("SELECT count(*) FROM documents").fetchone()[0]
    assert n["definition"] == 6
    assert n["author"] > 40
    e = kinds(g, "edge")
    rel = dict(q("SELECT relation, count(*) FROM effective_links GROUP BY relation").fetchall())
    assert e["supports"] == rel["SUPPORTS"]
    assert e["counters"] == rel["COUNTERS"]
    assert e["cites_as_evidence"] == rel["CITES_AS_EVIDENCE"]
    assert e["contains"] == n["claim"]
    assert (
        e["uses_definition"]
        == q("SELECT count(*) FROM effective_tags WHERE assigned = 1").fetchone()[0]
    )
    for node, data in g.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values()), node


def test_definition_filter_keeps_users_and_their_direct_evidence(store: Store) -> None:
    g = build_graph(store, GraphFilter(definition="D5"))
    claims = [d for _, d in g.nodes(data=True) if d["kind"] == "claim"]
    users = [d for d in claims if "D5" in d.get("labels", "").split(",")]
    assert len(users) == 2
    ids = local_ids(store)
    # Rogers' D5 claim counters Bommasani's and Kosinski's D1 claims: they stay in view.
    assert claim_node(ids["bommasani2021.fewshot"]) in g
    assert claim_node(ids["wei2022.sharp"]) not in g


def test_claim_neighbourhood_by_depth(store: Store) -> None:
    ids = local_ids(store)
    start = ids["kosinski2023.tom"]
    assert kinds(build_graph(store, GraphFilter(claim=start, depth=0)))["claim"] == 1
    one = build_graph(store, GraphFilter(claim=start, depth=1))
    two = build_graph(store, GraphFilter(claim=start, depth=2))
    for name in (
        "sap2022.tom",
        "ullman2023.alterations",
        "shapira2024.clever",
        "bubeck2023.sparks",
    ):
        assert claim_node(ids[name]) in one
    assert claim_node(ids["mccoy2023.cipher"]) not in one  # counters Bubeck: two steps away
    assert claim_node(ids["mccoy2023.cipher"]) in two
    assert kinds(two)["claim"] > kinds(one)["claim"]


def test_document_filter(store: Store) -> None:
    g = build_graph(store, GraphFilter(document="bibliography.bib#schaeffer2023mirage"))
    docs = {d["path"] for _, d in g.nodes(data=True) if d["kind"] == "document"}
    assert "evidence/bibliography.bib#schaeffer2023mirage" in docs
    assert "evidence/bibliography.bib#wei2022emergent" in docs  # the claims it counters


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        (GraphFilter(definition="D7"), "--definition: 'D7' is not one of"),
        (GraphFilter(claim="nope"), "--claim: no claim with id 'nope'"),
        (GraphFilter(document="no/such.md"), "--document: no document matches 'no/such.md'"),
    ],
)
def test_bad_filters_say_which_option(store: Store, flt: GraphFilter, message: str) -> None:
    with pytest.raises(EmlitError, match=message):
        build_graph(store, flt)


def test_negative_depth(store: Store) -> None:
    ids = local_ids(store)
    with pytest.raises(EmlitError, match="--depth"):
        build_graph(store, GraphFilter(claim=ids["kosinski2023.tom"], depth=-1))


def test_wikilinks_between_documents(tmp_path: Path) -> None:
    from emlit.models import Block, DocLink, ParsedDocument

    with Store(tmp_path / "w.db") as s:
        for name, link in (("alpha", "beta"), ("beta", "alpha|see alpha")):
            text = f"Emergent abilities appear in {name}."
            doc = ParsedDocument(
                f"/n/{name}.md",
                "markdown",
                text,
                [Block(0, len(text), "paragraph")],
                title=name,
                links=[DocLink(link, "wikilink")],
            )
            s.save_document(
                doc, path=f"/n/{name}.md", display_path=f"{name}.md", content_hash=name, claims=[]
            )
        g = build_graph(s)
        assert kinds(g, "edge")["links_to"] == 2
