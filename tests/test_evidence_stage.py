"""The `link` stage of `emlit ingest`: model links from new claims, human rows left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from emlit.evidence.stage import link_claims, min_probability
from emlit.models import Block, Claim, ParsedDocument
from emlit.pipeline import STAGES
from emlit.store import Store
from tests.evidence_support import curated_store

pytestmark = pytest.mark.slow

SENTENCES = [
    "With a continuous metric, performance on BIG-bench tasks improves smoothly with scale: the sharp jump is a mirage.",
    "换用连续的评价指标之后，所谓的突然跃升消失了，涌现只是度量方式造成的假象。",
    "Our lab moved to a new building in the spring.",
]


def add_note(store: Store, name: str = "note.md") -> list[str]:
    text = "\n\n".join(SENTENCES)
    blocks, claims, pos = [], [], 0
    for i, s in enumerate(SENTENCES):
        blocks.append(Block(pos, pos + len(s), "paragraph"))
        lang = "zh" if i == 1 else "en"
        claims.append(Claim(f"{name}-{i}", s, lang, pos, pos + len(s)))
        pos += len(s) + 2
    doc = ParsedDocument(f"/notes/{name}", "markdown", text, blocks, title=name)
    result = store.save_document(
        doc, path=f"/notes/{name}", display_path=name, content_hash=name, claims=claims
    )
    return result.new_claim_ids


def note_with_stances(path: Path) -> tuple[Store, list[str], str]:
    """The evidence map plus the note, with the stances a researcher set on the note's two
    sceptical sentences and on Wei et al.'s sharp-jump claim: (store, new ids, Wei's id)."""
    store = curated_store(path)
    new = add_note(store)
    wei = store.conn.execute(
        "SELECT id FROM claims WHERE text LIKE 'On many BIG-bench tasks%'"
    ).fetchone()[0]
    for cid, stance in (("note.md-0", "disputes"), ("note.md-1", "disputes"), (wei, "affirms")):
        store.set_human_stance(cid, stance)
    return store, new, wei


def model_links(store: Store) -> list[tuple[str, str, str, float]]:
    return store.conn.execute(
        "SELECT source_id, target_id, relation, score FROM links WHERE provenance = 'model' ORDER BY 1, 2"
    ).fetchall()


def test_registered_as_ingest_stage() -> None:
    assert ("link", "emlit.evidence.stage:link_claims") in STAGES


def test_links_new_claims_and_respects_human_decisions(tmp_path: Path) -> None:
    # The linker reads the claims' stances from the store (issue 10): a researcher has set
    # those of the note and of Wei et al.'s claim, so no misread stance stands in the way.
    store, new, wei = note_with_stances(tmp_path / "s.db")
    advanced: list[int] = []
    written = link_claims(store, new, advanced.append)
    assert sum(advanced) == len(new)
    links = model_links(store)
    assert written == len(links) > 0
    docs = dict(store.conn.execute("SELECT id, document_id FROM claims"))
    for src, tgt, rel, score in links:
        assert src in new or tgt in new
        assert docs[src] != docs[tgt]
        assert (
            rel in ("SUPPORTS", "COUNTERS") and score >= min_probability(rel) >= min_probability()
        )
    off_topic = "note.md-2"
    assert all(off_topic not in (s, t) for s, t, *_ in links)
    # The metric sentence counters a sharp-jump claim (either direction): Wei et al.'s or
    # BIG-bench's "breakthrough" one; a claim keeps only its most confident model counter, and
    # which of the two ranks first moves with the stance model (stance-lr-v4 picks BIG-bench's).
    breakthrough = store.conn.execute(
        "SELECT id FROM claims WHERE text LIKE 'Some BIG-bench tasks show breakthrough%'"
    ).fetchone()[0]
    assert any(
        {s, t} in ({"note.md-0", wei}, {"note.md-0", breakthrough}) and r == "COUNTERS"
        for s, t, r, _ in links
    )
    # Every claim now has a cached embedding.
    n_claims = store.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    assert store.conn.execute("SELECT count(*) FROM claim_embeddings").fetchone()[0] == n_claims

    # A researcher rejects one model link; a re-run writes the same model links except that
    # pair (a human decided it), and the human row stays, hiding the pair. With at most one
    # model counter per claim, the rejected counter's place may go to the claim's next-best
    # counter (issue 10), so the re-run may add one link, never a second for that claim.
    src, tgt, _, _ = links[0]
    store.set_human_link(src, tgt, None, False)
    again = link_claims(store, new)
    rerun = model_links(store)
    assert set(links[1:]) <= set(rerun) and (src, tgt) not in {(s, t) for s, t, *_ in rerun}
    assert written - 1 <= again <= written and again == len(rerun)
    human = store.conn.execute(
        "SELECT relation, state FROM links WHERE provenance = 'human'"
    ).fetchall()
    assert human == [(links[0][2], "rejected")]
    counters_of_src = [r for r in rerun if src in r[:2] and r[2] == "COUNTERS"]
    assert len(counters_of_src) <= 1
    shown = store.conn.execute(
        "SELECT count(*) FROM effective_links WHERE source_id = ? AND target_id = ?", [src, tgt]
    ).fetchone()[0]
    assert shown == 0
    stats = store.stats()
    effective = store.conn.execute(
        "SELECT count(*) FROM effective_links WHERE relation IN ('SUPPORTS', 'COUNTERS')"
    ).fetchone()[0]
    assert stats["links"] == effective


def test_no_claims_no_work(tmp_path: Path) -> None:
    with Store(tmp_path / "e.db") as store:
        assert link_claims(store, [], lambda n: None) == 0
        new = add_note(store)
        assert link_claims(store, new) == 0  # nothing else in the store to link to


def test_workers_write_the_links_one_process_writes(tmp_path: Path, monkeypatch) -> None:
    # Blocks of new claims searched and classified in forked processes: the same links, the
    # counter cap and the writes kept in this process, in block order.
    import os
    import shutil

    import emlit.evidence.stage as stage

    store = curated_store(tmp_path / "one.db")
    add_note(store)
    ids = [row[0] for row in store.conn.execute("SELECT id FROM claims ORDER BY rowid")]
    store.close()
    shutil.copy(tmp_path / "one.db", tmp_path / "two.db")
    monkeypatch.setattr(stage, "BATCH", 8)  # ten blocks of the 75 claims
    pids = tmp_path / "pids"
    classify = stage._classify

    def noting_pid(*args, **kwargs):
        with pids.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        return classify(*args, **kwargs)

    monkeypatch.setattr(stage, "_classify", noting_pid)
    with Store(tmp_path / "one.db") as one:
        written_one = link_claims(one, ids, workers=1)
        links_one = model_links(one)
    assert set(pids.read_text().split()) == {str(os.getpid())}
    pids.unlink()
    with Store(tmp_path / "two.db") as two:
        advanced: list[int] = []
        written_two = link_claims(two, ids, advanced.append, workers=2)
        links_two = model_links(two)
    workers = set(pids.read_text().split())
    assert len(workers) == 2 and str(os.getpid()) not in workers
    assert sum(advanced) == len(ids)
    assert written_one == written_two == len(links_one) > 0
    assert links_two == links_one
