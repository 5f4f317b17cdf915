from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from emlit.errors import EmlitError
from emlit.models import Block, Claim, ParsedDocument
from emlit.store import Store

TEXT = (
    "涌现能力是小模型中没有出现但是大模型中出现的能力。\n\nScaling laws are smooth and predictable."
)


def _doc() -> ParsedDocument:
    return ParsedDocument(
        path="a.md",
        format="markdown",
        text=TEXT,
        blocks=[Block(0, 25, "paragraph", "定义"), Block(27, len(TEXT), "paragraph", "定义")],
        title="A",
    )


def _claims(texts: list[str]) -> list[Claim]:
    out = []
    for t in texts:
        start = TEXT.index(t)
        out.append(
            Claim(
                id="c-" + t[:4], text=t, lang="zh", start=start, end=start + len(t), section="定义"
            )
        )
    return out


def test_migrations_are_recorded_and_idempotent(tmp_path):
    path = tmp_path / "e.db"
    Store(path).close()
    with Store(path) as store:
        names = [r["name"] for r in store.db.query("SELECT name FROM migrations ORDER BY name")]
        assert "core/0001_initial" in names
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_save_document_stores_quotable_claims(store):
    store.save_document(
        _doc(), path="/a.md", display_path="a.md", content_hash="h1", claims=_claims([TEXT[:25]])
    )
    (row,) = store.claims()
    doc = store.document_by_path("/a.md")
    assert doc["text"][row["start"] : row["end"]] == row["text"]
    assert row["document"] == "a.md" and row["section"] == "定义"
    assert store.stats()["claims_by_lang"] == {"zh": 1}


def test_human_tags_override_machine_tags_and_survive_retagging(store):
    claim = _claims([TEXT[:25]])
    store.save_document(_doc(), path="/a.md", display_path="a.md", content_hash="h", claims=claim)
    cid = claim[0].id
    store.set_machine_tags(
        cid,
        [
            {"label": "D3", "assigned": True, "score": 0.9},
            {"label": "D4", "assigned": False, "score": 0.1},
        ],
    )
    assert store.labels_for([cid]) == {cid: ["D3"]}
    store.set_human_tag(cid, "D3", False)
    store.set_human_tag(cid, "D4", True)
    store.set_machine_tags(cid, [{"label": "D3", "assigned": True, "score": 0.95}])
    assert store.labels_for([cid]) == {cid: ["D4"]}
    store.clear_human_tag(cid, "D3")
    assert store.labels_for([cid]) == {cid: ["D3", "D4"]}
    with pytest.raises(EmlitError, match="D9"):
        store.set_human_tag(cid, "D9", True)


def test_resaving_keeps_ids_of_unchanged_claims_and_drops_vanished_ones(store):
    first = _claims([TEXT[:25], TEXT[27:]])
    store.save_document(_doc(), path="/a.md", display_path="a.md", content_hash="h1", claims=first)
    store.set_human_tag(first[0].id, "D3", True)
    store.set_machine_tags(first[1].id, [{"label": "D1", "assigned": True}])
    result = store.save_document(
        _doc(), path="/a.md", display_path="a.md", content_hash="h2", claims=first[:1]
    )
    assert result.status == "updated" and result.new_claim_ids == []
    assert [c["id"] for c in store.claims()] == [first[0].id]
    assert store.labels_for([first[0].id])[first[0].id] == ["D3"]
    machine_left = store.conn.execute(
        "SELECT count(*) FROM tags WHERE claim_id = ?", [first[1].id]
    ).fetchone()[0]
    assert machine_left == 0
    assert store.claims(search="scaling") == []


def test_filters(store):
    store.save_document(
        _doc(),
        path="/a.md",
        display_path="notes/a.md",
        content_hash="h",
        claims=_claims([TEXT[:25]]),
    )
    assert len(store.claims(lang="zh")) == 1
    assert store.claims(lang="en") == []
    assert len(store.claims(document="a.md")) == 1
    assert store.claims(definition="D1") == []
    with pytest.raises(EmlitError, match="--definition"):
        store.claims(definition="D7")
    assert store.count_claims(lang="zh") == 1


def test_not_a_database_is_a_clear_error(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(EmlitError, match=r"notes.db: not an SQLite database"):
        Store(bogus)
    assert bogus.read_bytes().startswith(b"this is not sqlite")  # untouched


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(EmlitError, match="does not exist"):
        Store(tmp_path / "nope" / "e.db")


def test_locked_database_is_a_clear_error_and_loses_nothing(tmp_path):
    path = tmp_path / "e.db"
    with Store(path) as store:
        store.save_document(
            _doc(), path="/a.md", display_path="a.md", content_hash="h", claims=_claims([TEXT[:25]])
        )
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with Store(path, busy_timeout=0.1) as store, pytest.raises(EmlitError, match="locked"):
            store.set_human_tag("c-涌现能力", "D3", True)
    finally:
        blocker.rollback()
        blocker.close()
    with Store(path) as store:
        assert store.stats()["claims"] == 1


def test_a_database_from_an_older_emlit_is_not_taken_as_migrated(tmp_path: Path) -> None:
    """The TUI reads without the Store; it must notice a migration this version added."""
    from emlit.store.migrate import all_migrations
    from emlit.store.sql import is_migrated

    db = tmp_path / "old.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    assert is_migrated(conn)
    newest = all_migrations()[-1][0]
    with conn:
        conn.execute("DELETE FROM migrations WHERE name = ?", [newest])  # as an older emlit left it
    assert not is_migrated(conn)
    conn.close()
