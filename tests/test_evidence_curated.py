"""The starter evidence map: bibliography, curated claims, definitions, links."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from emlit.errors import EmlitError
from emlit.evidence.curated import load_curated_map
from emlit.store import Store
from tests.evidence_support import EVIDENCE, curated_store, local_ids


def _counts() -> tuple[int, int, int]:
    bib = (EVIDENCE / "bibliography.bib").read_text(encoding="utf-8")
    claims = yaml.safe_load((EVIDENCE / "claims.yaml").read_text(encoding="utf-8"))["claims"]
    links = yaml.safe_load((EVIDENCE / "links.yaml").read_text(encoding="utf-8"))["links"]
    return len(re.findall(r"^@\w+\{", bib, re.M)), len(claims), len(links)


def test_map_is_big_enough_and_bilingual() -> None:
    works, claims, links = _counts()
    assert works >= 40
    data = yaml.safe_load((EVIDENCE / "claims.yaml").read_text(encoding="utf-8"))["claims"]
    assert {c["lang"] for c in data} == {"en", "zh"}
    assert all(c.get("section") for c in data), "every claim names where in the work it is made"
    assert links >= 40 and claims >= 40


def test_load_stores_everything_quotable(tmp_path: Path) -> None:
    works, claims, links = _counts()
    store = curated_store(tmp_path / "e.db")
    q = store.conn.execute
    assert (
        q("SELECT count(*) FROM documents WHERE format = 'evidence-curated'").fetchone()[0] == works
    )
    assert q("SELECT count(*) FROM claims WHERE provenance = 'curated'").fetchone()[0] == claims
    assert q("SELECT count(*) FROM links WHERE provenance = 'curated'").fetchone()[0] == links
    for text, doc_text, start, end in q(
        'SELECT c.text, d.text, c.start, c."end" FROM claims c JOIN documents d ON d.id = c.document_id'
    ):
        assert doc_text[start:end] == text
    stats = store.stats()
    curated_rel = dict(
        q(
            "SELECT relation, count(*) FROM links WHERE provenance = 'curated' "
            "AND relation != 'CITES_AS_EVIDENCE' GROUP BY relation"
        ).fetchall()
    )
    assert stats["links_by_relation"] == curated_rel
    assert stats["links"] == sum(curated_rel.values())


def test_definitions_become_tags_and_links_carry_their_source(tmp_path: Path) -> None:
    store = curated_store(tmp_path / "e.db")
    ids = local_ids(store)
    assert store.labels_for([ids["wei2022.sharp"]])[ids["wei2022.sharp"]] == ["D3", "D4"]
    assert store.labels_for([ids["steinhardt.anderson"]])[ids["steinhardt.anderson"]] == []
    row = store.conn.execute(
        "SELECT relation, source_note FROM links WHERE source_id = ? AND target_id = ?",
        [ids["schaeffer2023.metric"], ids["wei2022.sharp"]],
    ).fetchone()
    assert row[0] == "COUNTERS" and row[1].startswith("schaeffer2023mirage")
    rows = store.claims(document="evidence/bibliography.bib#wei2022emergent")
    sharp = next(r for r in rows if r["id"] == ids["wei2022.sharp"])
    assert sharp["counters"] >= 3  # Schaeffer (x2), Wei's own blog, BIG-bench
    assert sharp["supports"] >= 2  # BIG-bench breakthroughs, PaLM


def test_reload_is_idempotent_and_keeps_human_decisions(tmp_path: Path) -> None:

    store = curated_store(tmp_path / "e.db")
    ids = local_ids(store)
    store.set_human_link(ids["schaeffer2023.metric"], ids["wei2022.sharp"], None, False)
    before = store.stats()
    load_curated_map(store, EVIDENCE)
    assert store.stats() == before
    human = store.conn.execute("SELECT count(*) FROM links WHERE provenance = 'human'").fetchone()[
        0
    ]
    assert human == 1


def test_corpus_folder_is_accepted_too(tmp_path: Path) -> None:
    with Store(tmp_path / "e.db") as store:
        report = load_curated_map(store, EVIDENCE.parent)
        assert report.claims == _counts()[1]


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "links.yaml",
            "target: wei2022.sharp, relation: COUNTERS",
            "target: nobody.claim, relation: COUNTERS",
            r"links.yaml: links\[0\].target: 'nobody.claim' is not a claim id",
        ),
        (
            "links.yaml",
            "relation: COUNTERS",
            "relation: REFUTES",
            r"links\[0\].relation: 'REFUTES' is not one of",
        ),
        (
            "claims.yaml",
            "cite: wei2022emergent",
            "cite: nobody2099",
            r"claim wei2022.def.cite: 'nobody2099' is not a key",
        ),
        (
            "claims.yaml",
            "definitions: [D3]",
            "definitions: [D9]",
            r"definitions: expected a list of D1",
        ),
        ("claims.yaml", "claims:", "claims: [", r"claims.yaml: not valid YAML"),
        (
            "claims.yaml",
            "text: On many BIG-bench tasks performance stays near random",
            "text: Which abilities will appear at the next scale cannot currently be predicted from the scaling curves of smaller models.\n    xx: On many",
            r"claim wei2022.unpredictable.text: same text as claim wei2022.sharp",
        ),
        (
            "bibliography.bib",
            "@article{wei2022emergent,",
            "@article{wei2022emergent",
            r"bibliography.bib: BibTeX syntax error",
        ),
    ],
)
def test_bad_map_is_refused_and_nothing_stored_is_lost(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    store = curated_store(tmp_path / "e.db")
    before = store.stats()
    broken = tmp_path / "broken"
    shutil.copytree(EVIDENCE, broken)
    text = (broken / file).read_text(encoding="utf-8")
    assert old in text
    (broken / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(EmlitError, match=message):
        load_curated_map(store, broken)
    assert store.stats() == before
