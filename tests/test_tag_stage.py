"""The ingest stage: machine tags with provenance, human decisions kept, results cached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emlit.models import Block, Claim, ParsedDocument
from emlit.store import Store
from emlit.tagging.explain import format_explanation
from emlit.tagging.stage import get_tagger, tag_claims
from emlit.tagging.tagger import model_version

pytestmark = pytest.mark.slow

TEXTS = [
    ("c1", "en", "Below 10B parameters the models fail; only the largest ones succeed."),
    ("c2", "zh", "这种能力并没有经过专门训练，而是自发出现的。"),
    ("c3", "en", "Loss decreases as a power law of compute."),
]


def make_store(path: Path) -> Store:
    store = Store(path / "t.db")
    text = " ".join(t for _, _, t in TEXTS)
    claims, pos = [], 0
    for cid, lang, t in TEXTS:
        claims.append(Claim(id=cid, text=t, lang=lang, start=pos, end=pos + len(t)))
        pos += len(t) + 1
    doc = ParsedDocument(
        path="notes.md",
        format="markdown",
        text=text,
        blocks=[Block(start=0, end=len(text), kind="paragraph")],
    )
    store.save_document(
        doc, path="/x/notes.md", display_path="notes.md", content_hash="h", claims=claims
    )
    return store


def effective(store: Store) -> dict[tuple[str, str], tuple[int, str]]:
    rows = store.conn.execute("SELECT claim_id, label, assigned, provenance FROM effective_tags")
    return {(c, lab): (a, p) for c, lab, a, p in rows}


def test_tags_human_decision_survives_and_cache_skips_encoding(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    advanced: list[int] = []
    tag_claims(store, ["c1", "c2", "c3"], advanced.append)
    assert sum(advanced) == 3
    eff = effective(store)
    assert eff[("c1", "D3")] == (1, "model")
    assert eff[("c2", "D1")] == (1, "model")
    assert not any(eff[("c3", d)][0] for d in ("D1", "D2", "D3", "D4", "D5", "D6"))
    row = store.conn.execute(
        "SELECT label, assigned, score, provenance, model, explanation FROM tags "
        "WHERE claim_id = 'c2' AND label = 'D1'"
    ).fetchone()
    assert row[4] == model_version() and 0.5 <= row[2] <= 1.0
    assert json.loads(row[5])["cues"]
    text = format_explanation(
        dict(
            zip(
                ["label", "assigned", "score", "provenance", "model", "explanation"],
                row,
                strict=True,
            )
        )
    )
    assert text.startswith("D1: uses") and "cues:" in text

    # A researcher rejects D3 on c1 and adds D6 on c3; re-tagging must not undo that.
    store.set_human_tag("c1", "D3", False)
    store.set_human_tag("c3", "D6", True)
    calls = get_tagger().encoder.encode_calls
    tag_claims(store, ["c1", "c2", "c3"], lambda n: None)
    assert get_tagger().encoder.encode_calls == calls  # all three came from tag_cache
    eff = effective(store)
    assert eff[("c1", "D3")] == (0, "human")
    assert eff[("c3", "D6")] == (1, "human")
    assert eff[("c2", "D1")] == (1, "model")
    assert store.labels_for(["c1", "c3"]) == {"c1": [], "c3": ["D6"]}
    assert store.conn.execute("SELECT count(*) FROM tag_cache").fetchone()[0] == 3


def test_new_text_is_encoded_once(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.conn.execute("DELETE FROM tag_cache")
    tagger = get_tagger()
    before = tagger.encoder.encode_calls
    tag_claims(store, ["c1", "c3"], lambda n: None)  # two English texts, one batch
    assert tagger.encoder.encode_calls == before + 1
    tag_claims(store, ["c2"], lambda n: None)  # Chinese: the multilingual encoder reads it
    assert tagger.encoder.encode_calls == before + 2
    tag_claims(store, ["c1", "c2", "c3"], lambda n: None)  # all cached now
    assert tagger.encoder.encode_calls == before + 2
