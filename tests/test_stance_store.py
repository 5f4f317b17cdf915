"""Contract 9 in the store and the CLI: a stance per claim, a human decision wins, machine
re-runs never overwrite it, ``emlit claims`` shows and filters it, the exports carry it, and
``emlit analyze`` counts it per definition (no model is loaded here)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from tui_data import STANCES, build_sample

from emlit.cli.main import cli
from emlit.evidence.analysis import analyze
from emlit.graph.build import build_graph
from emlit.store import Store


def machine(stance: str, p: float = 0.8) -> dict:
    rest = round((1 - p) / 2, 3)
    scores = {s: (p if s == stance else rest) for s in ("affirms", "disputes", "neutral")}
    return {"stance": stance, "scores": scores, "model": "m1", "explanation": {"cue": "x"}}


def sample(tmp_path: Path) -> str:
    db = tmp_path / "s.db"
    with Store(db) as store:
        build_sample(store)
    return str(db)


def test_a_human_stance_wins_and_machine_reruns_never_overwrite_it(tmp_path: Path) -> None:
    with Store(sample(tmp_path)) as store:
        assert store.stances_for(["c01", "c03"]) == {"c01": "affirms"}  # c03: none yet
        store.set_human_stance("c01", "disputes")
        store.save_machine_stances({"c01": machine("affirms", 0.99)})  # a machine re-run
        assert store.stances_for(["c01"]) == {"c01": "disputes"}
        rows = store.stances("c01")
        assert [(r["provenance"], r["stance"], r["effective"]) for r in rows] == [
            ("human", "disputes", True),
            ("model", "affirms", False),
        ]
        assert rows[1]["scores"]["affirms"] == 0.99 and rows[1]["explanation"] == {"cue": "x"}
        assert store.human_stance_decisions()[0]["stance"] == "disputes"
        store.clear_human_stance("c01")
        assert store.stances_for(["c01"]) == {"c01": "affirms"}
        assert store.human_stance("c01") is None


def test_machine_stances_of_vanished_claims_go_human_ones_stay(tmp_path: Path) -> None:
    with Store(sample(tmp_path)) as store:
        store.set_human_stance("c02", "neutral")
        with store.transaction():
            store.delete_claims(["c01", "c02"])
        rows = store.conn.execute("SELECT claim_id, provenance FROM stances").fetchall()
    assert ("c01", "model") not in rows and ("c02", "model") not in rows
    assert ("c02", "human") in rows


def test_claims_jsonl_has_stance_and_the_stance_filter(tmp_path: Path) -> None:
    db = sample(tmp_path)
    with Store(db) as store:
        store.set_human_stance("c05", "disputes")  # the model said neutral: the human wins
    runner = CliRunner()
    out = runner.invoke(cli, ["--db", db, "claims", "--format", "jsonl"], catch_exceptions=False)
    rows = {r["id"]: r for r in map(json.loads, out.output.splitlines())}
    assert rows["c01"]["stance"] == "affirms" and rows["c03"]["stance"] is None
    assert rows["c05"]["stance"] == "disputes"
    out = runner.invoke(
        cli,
        ["--db", db, "claims", "--stance", "disputes", "--format", "jsonl"],
        catch_exceptions=False,
    )
    ids = {json.loads(line)["id"] for line in out.output.splitlines()}
    assert ids == {c for c, (s, _) in STANCES.items() if s == "disputes"} | {"c05"}
    table = runner.invoke(
        cli, ["--db", db, "claims", "--stance", "neutral"], catch_exceptions=False
    )
    assert table.exit_code == 0 and "0 claims" in table.output
    bad = runner.invoke(cli, ["--db", db, "claims", "--stance", "maybe"])
    assert bad.exit_code == 2
    explained = runner.invoke(
        cli, ["--db", db, "claims", "--search", "mirage", "--explain"], catch_exceptions=False
    )
    assert "stance: disputes (model; affirms 0.0" in explained.output
    assert "disputes 0.91" in explained.output and "cue: cue for disputes" in explained.output


def test_exports_carry_the_stance(tmp_path: Path) -> None:
    import networkx as nx
    import rdflib

    db = sample(tmp_path)
    runner = CliRunner()
    for fmt in ("graphml", "gexf", "turtle", "json"):
        out = tmp_path / f"g.{fmt}"
        result = runner.invoke(
            cli, ["--db", db, "export", "--format", fmt, "--out", str(out)], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.nodes["claim:c07"]["stance"] == "disputes"
    assert abs(g.nodes["claim:c07"]["stance_score"] - 0.91) < 1e-9
    assert "stance" not in g.nodes["claim:c03"]
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    assert gexf.nodes["claim:c01"]["stance"] == "affirms"
    rdf = rdflib.Graph().parse(tmp_path / "g.turtle", format="turtle")
    vocab = rdflib.Namespace("https://w3id.org/emlit/vocab#")
    c07 = rdflib.URIRef("https://w3id.org/emlit/claim/c07")
    assert (c07, vocab.stance, rdflib.Literal("disputes")) in rdf
    assert float(rdf.value(c07, vocab.stanceScore)) == 0.91
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    node = next(n for n in data["nodes"] if n["id"] == "claim:c08")
    assert node["stance"] == "disputes"


def test_html_data_and_obsidian_notes_carry_the_stance(tmp_path: Path) -> None:
    from emlit.graph.html import view_data
    from emlit.graph.obsidian import vault_notes

    with Store(sample(tmp_path)) as store:
        g = build_graph(store)
    nodes = {n["id"]: n for n in view_data(g)["nodes"]}
    assert nodes["claim:c10"]["stance"] == "disputes"
    notes = vault_notes(g)
    note = next(
        v.decode()
        for k, v in notes.items()
        if "\nid: c06\n" in v.decode() and k.startswith("claims/")
    )
    assert "stance: affirms" in note


def test_analyze_counts_stances_per_definition(tmp_path: Path) -> None:
    with Store(sample(tmp_path)) as store:
        rep = analyze(store)
    # D4 claims: c03 (none), c04 affirms, c07/c09/c10 dispute; D2: c08, c11 dispute
    assert {k: rep["by_definition"]["D4"][k] for k in ("affirms", "disputes", "neutral")} == {
        "affirms": 1,
        "disputes": 3,
        "neutral": 0,
    }
    assert rep["by_definition"]["D2"]["disputes"] == 2
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.db"), "analyze"])
    assert "affirm" in result.output and "dispute" in result.output
