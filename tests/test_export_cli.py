"""`emlit export` (contract 4) and `emlit sparql` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from emlit.cli.main import cli, main
from tests.evidence_support import curated_store, local_ids


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "e.db"
    curated_store(path).close()
    return path


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def test_export_with_filters(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "d5.json"
    code, text = run(db, "export", "--format", "json", "--out", str(out), "--definition", "D5")
    assert code == 0 and text.startswith(f"wrote {out}:")
    g = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    claims = [d for _, d in g.nodes(data=True) if d["kind"] == "claim"]
    assert sum("D5" in d.get("labels", "") for d in claims) == 2
    assert f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges" in text

    store = curated_store(tmp_path / "ids.db")
    start = local_ids(store)["sap2022.tom"]
    store.close()
    out = tmp_path / "n.graphml"
    code, _ = run(
        db, "export", "--format", "graphml", "--out", str(out), "--claim", start, "--depth", "0"
    )
    assert code == 0
    g = nx.read_graphml(out)
    assert [n for n, d in g.nodes(data=True) if d["kind"] == "claim"] == [f"claim:{start}"]


def test_export_bad_usage(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(db, "export", "--format", "pdf", "--out", str(tmp_path / "x"))
    assert code == 2 and "'pdf' is not one of" in text
    with pytest.raises(SystemExit) as exc:
        main(
            ["--db", str(db), "export", "--format", "dot", "--out", str(tmp_path / "no" / "g.dot")]
        )
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"emlit: error: {tmp_path / 'no' / 'g.dot'}: folder {tmp_path / 'no'} does not exist"
    ]
    with pytest.raises(SystemExit):
        main(
            [
                "--db",
                str(db),
                "export",
                "--format",
                "dot",
                "--out",
                str(tmp_path / "g.dot"),
                "--definition",
                "D9",
            ]
        )
    assert "--definition: 'D9' is not one of" in capsys.readouterr().err


def test_sparql_select_and_ask(db: Path) -> None:
    code, text = run(db, "sparql", "SELECT ?a ?b WHERE { ?a cito:disputes ?b }", "--format", "json")
    assert code == 0
    rows = [json.loads(line) for line in text.splitlines()]
    from emlit.store import Store

    with Store(db) as store:
        counters = store.stats()["links_by_relation"]["COUNTERS"]
    assert len(rows) == counters
    assert all(r["a"].startswith("https://w3id.org/emlit/claim/") for r in rows)
    code, text = run(
        db,
        "sparql",
        'SELECT ?label WHERE { ?d a skos:Concept ; skos:notation "D4" ; skos:prefLabel ?label . FILTER(lang(?label) = "zh") }',
    )
    assert code == 0 and len(text.strip().splitlines()) == 2  # header and one Chinese label
    code, text = run(db, "sparql", "ASK { ?c a oa:Annotation }")
    assert text.strip().splitlines()[-1] == "true"


def test_sparql_syntax_error_is_one_line(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "sparql", "SELECT ?a WHERE { ?a cito:disputes "])
    assert exc.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("emlit: error: QUERY: SPARQL syntax error")
