"""Definition-aware analysis: talking past each other, balance per definition, contested claims."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from emlit.cli.main import cli
from emlit.evidence.analysis import analyze, talking_past
from emlit.evidence.curated import load_curated_map
from emlit.store import Store
from tests.evidence_support import EVIDENCE

CLAIMS = """
claims:
  - {id: big, cite: wei2022emergent, section: "§2", lang: en, definitions: [D3], text: "Only large models can do it."}
  - {id: sharp, cite: wei2022emergent, section: "§3", lang: en, definitions: [D4], text: "It jumps suddenly at scale."}
  - {id: metric, cite: schaeffer2023mirage, section: "§2", lang: en, definitions: [D4], text: "The jump is a metric artefact."}
  - {id: data, cite: mccoy2023embers, section: "§1", lang: en, definitions: [D2], text: "It comes from training data."}
  - {id: untrained, cite: bommasani2021opportunities, section: "§1", lang: en, definitions: [D1], text: "Nobody trained it for this."}
  - {id: plain, cite: kaplan2020scaling, section: "§1", lang: en, definitions: [], text: "Loss is a power law."}
"""
LINKS = """
links:
  - {source: metric, target: sharp, relation: COUNTERS, established_by: schaeffer2023mirage}
  - {source: metric, target: big, relation: COUNTERS, established_by: schaeffer2023mirage}
  - {source: data, target: untrained, relation: COUNTERS, established_by: mccoy2023embers}
  - {source: plain, target: sharp, relation: COUNTERS, established_by: kaplan2020scaling}
  - {source: big, target: sharp, relation: SUPPORTS, established_by: wei2022emergent}
"""


def small_map(tmp_path: Path) -> Path:
    folder = tmp_path / "evidence"
    folder.mkdir()
    shutil.copy(EVIDENCE / "bibliography.bib", folder)
    (folder / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    (folder / "links.yaml").write_text(LINKS, encoding="utf-8")
    return folder


def test_talking_past_needs_two_known_disjoint_definitions() -> None:
    assert talking_past(["D4"], ["D3"])
    assert talking_past("D2", "D1,D5")
    assert not talking_past(["D3", "D4"], ["D4"])
    assert not talking_past([], ["D4"])
    assert not talking_past("", "")


def test_analysis_of_a_small_map(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        load_curated_map(store, small_map(tmp_path))
        rep = analyze(store)
    assert rep["counters"] == {
        "total": 4,
        "same_definition": 1,
        "talking_past": 2,
        "undetermined": 1,
    }
    pairs = {(p["source_text"][:10], p["target_text"][:10]) for p in rep["talking_past"]}
    assert pairs == {("The jump i", "Only large"), ("It comes f", "Nobody tra")}
    d4 = rep["by_definition"]["D4"]
    # "sharp" (D4) gets one support, one genuine counter (metric, D4) and one undetermined
    # counter (plain, no definition); "metric" (D4) receives nothing.
    no_stance = {"affirms": 0, "disputes": 0, "neutral": 0}  # the stance model has not run
    assert d4 == {
        "claims": 2,
        "supports": 1,
        "counters": 2,
        "talking_past": 0,
        "balance": -0.333,
        **no_stance,
    }
    assert rep["by_definition"]["D1"] == {
        "claims": 1,
        "supports": 0,
        "counters": 0,
        "talking_past": 1,
        "balance": None,
        **no_stance,
    }
    top = rep["most_contested"][0]
    assert (
        top["text"] == "It jumps suddenly at scale."
        and top["counters"] == 2
        and top["supports"] == 1
    )


def test_analyze_command(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Store(db) as store:
        load_curated_map(store, small_map(tmp_path))
    result = CliRunner().invoke(
        cli, ["--db", str(db), "analyze", "--top", "1"], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert "talking past each other 2" in result.output
    assert "[D4] The jump is a metric artefact." in result.output


def test_one_balance_for_analyze_the_html_view_and_the_tui(tmp_path: Path) -> None:
    """'Balance' is one rule: analyze, the HTML view's legend and the TUI's evidence tree of a
    claim count the same links the same way (by the target's definitions, talking past apart)
    and the claims' stances the same way (each claim under every definition it uses)."""
    from emlit.evidence.balance import balance, stance_counts, with_stances
    from emlit.graph.build import build_graph
    from emlit.graph.html import view_data
    from emlit.store import tree_links

    with Store(tmp_path / "a.db") as store:
        load_curated_map(store, small_map(tmp_path))
        ids = {c["text"][:8]: c["id"] for c in store.claims()}
        stance = {"It jumps": "affirms", "The jump": "disputes", "Only lar": "affirms"}
        store.save_machine_stances(
            {ids[k]: {"stance": v, "scores": {v: 0.9}, "model": "m"} for k, v in stance.items()}
        )
        store.set_human_stance(ids["It comes"], "disputes")
        rep = analyze(store)
        html = view_data(build_graph(store))["balance"]
        sharp = ids["It jumps"]
        tree = store.evidence_tree(sharp, 1)
        labels = {sharp: store.labels_for([sharp])[sharp]}
        labels |= {n.item.claim_id: n.item.labels for n in tree}
        tui = with_stances(
            balance(tree_links(sharp, tree), labels),
            stance_counts(store.stances_for(list(labels)), labels),
        )
    keys = ("supports", "counters", "talking_past", "affirms", "disputes", "neutral")
    for d, counts in rep["by_definition"].items():
        assert html[d] == {k: counts[k] for k in keys}
    # the neighbourhood of "sharp" holds every link it receives: its D4 row is analyze's
    # minus what "metric" (the other D4 claim) receives, which is nothing; both D4 claims
    # are in it, one affirming, one disputing
    assert tui["D4"] == {
        "supports": 1,
        "counters": 2,
        "talking_past": 0,
        "affirms": 1,
        "disputes": 1,
        "neutral": 0,
    }
    assert html["D4"] == tui["D4"]
    assert html["D1"] == {k: 0 for k in keys} | {"talking_past": 1}
    assert html["D2"]["disputes"] == 1  # the human decision counts
    assert html["D3"]["affirms"] == 1
