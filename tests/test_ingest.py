from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from emlit.ingest import ingest_paths
from emlit.store import Store

# The six definitions as the Rogers post (seed 003) states them, one phrase from each.
ROGERS_DEFINITIONS = [
    "没有针对该特性进行明确的训练",
    "模型从训练数据中学到的特性",
    "在较小的模型中不存在，但在较大的模型中存在",
    "它们的尖锐性",
    "如果模型没有接触到该属性的训练数据",
    "只要模型开发者没有意识到这一点",
]


def _snapshot(store: Store) -> list[tuple]:
    return store.conn.execute(
        'SELECT c.id, c.text, c.start, c."end", d.content_hash FROM claims c '
        "JOIN documents d ON d.id = c.document_id ORDER BY c.id"
    ).fetchall()


def test_seeds_become_quotable_claims(seed_dir: Path):
    with Store(":memory:") as store:
        report = ingest_paths(store, [seed_dir], run_stages=False)
        assert report.failed == []
        assert len(report.added) == 5
        stats = store.stats()
        assert stats["documents"] == 5
        assert stats["claims"] > 40
        assert stats["claims_by_lang"].get("zh", 0) > stats["claims"] / 2

        texts = {d["id"]: d["text"] for d in store.db.query("SELECT id, text FROM documents")}
        for row in store.db.query('SELECT document_id, text, start, "end" FROM claims'):
            assert texts[row["document_id"]][row["start"] : row["end"]] == row["text"]

        rogers = [c["text"] for c in store.claims(document="rogers2024-sanity-check.md")]
        for phrase in ROGERS_DEFINITIONS:
            assert any(phrase in text for text in rogers), phrase

        wechat = " ".join(c["text"] for c in store.claims(document="hit-scir-wechat.txt"))
        assert "海市蜃楼" in wechat or "不连续的评价指标" in wechat  # the body is kept
        for noise in ("芋道", "项目地址", "知识星球", "谷歌找到大模型能力涌现机制", "扫码"):
            assert noise not in wechat

        per_doc = dict(
            store.conn.execute(
                "SELECT d.display_path, count(c.id) FROM documents d "
                "LEFT JOIN claims c ON c.document_id = d.id GROUP BY d.id"
            ).fetchall()
        )
        assert all(n > 0 for n in per_doc.values()), per_doc


def test_reingesting_unchanged_files_changes_nothing(seed_dir: Path, tmp_path: Path):
    db = tmp_path / "e.db"
    with Store(db) as store:
        ingest_paths(store, [seed_dir], run_stages=False)
        before = _snapshot(store)
        report = ingest_paths(store, [seed_dir], run_stages=False)
        assert len(report.unchanged) == 5 and not report.added and not report.updated
        assert report.new_claim_ids == []
        assert _snapshot(store) == before


def test_changed_file_keeps_human_decisions_on_unchanged_claims(seed_dir: Path):
    note = seed_dir / "wei2022-notes.md"
    with Store(":memory:") as store:
        ingest_paths(store, [note], run_stages=False)
        claims = store.claims()
        text = note.read_text(encoding="utf-8")
        verbatim = [c for c in claims if c["text"] in text]  # not reformatted by the reader
        kept, dropped = verbatim[0], verbatim[-1]
        store.set_human_tag(kept["id"], "D3", True)
        note.write_text(
            text.replace(dropped["text"], "") + "\n- 新增：涌现能力在更大规模上出现。\n",
            encoding="utf-8",
        )
        report = ingest_paths(store, [note], run_stages=False)
        assert report.updated == [str(note)]
        assert len(report.new_claim_ids) == 1
        ids = {c["id"] for c in store.claims()}
        assert kept["id"] in ids and dropped["id"] not in ids
        assert store.claim(kept["id"])["labels"] == ["D3"]
        doc = store.document_by_path(str(note.resolve()))
        for c in store.claims():
            assert doc["text"][c["start"] : c["end"]] == c["text"]


def test_one_bad_file_does_not_stop_the_others(seed_dir: Path):
    (seed_dir / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    (seed_dir / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (seed_dir / "latin1.md").write_bytes("caf\xe9 emergence".encode("latin-1"))
    (seed_dir / "bad-yaml.md").write_text(
        "---\ntitle: [unclosed\n---\n涌现能力出现了。\n", encoding="utf-8"
    )
    (seed_dir / "empty.md").write_text("", encoding="utf-8")
    (seed_dir / "image.png").write_bytes(b"\x89PNG")
    with Store(":memory:") as store:
        report = ingest_paths(store, [seed_dir, seed_dir / "missing.md"], run_stages=False)
        failed = dict(report.failed)
        assert set(failed) == {
            str(seed_dir / n)
            for n in ("broken.pdf", "binary.txt", "latin1.md", "bad-yaml.md", "missing.md")
        }
        assert "PDF" in failed[str(seed_dir / "broken.pdf")]
        assert "binary" in failed[str(seed_dir / "binary.txt")]
        assert "UTF-8" in failed[str(seed_dir / "latin1.md")]
        assert "YAML" in failed[str(seed_dir / "bad-yaml.md")]
        assert failed[str(seed_dir / "missing.md")] == "no such file or directory"
        assert str(seed_dir / "image.png") in report.skipped
        assert len(report.added) == 6  # five seeds and the empty note
        assert store.stats()["documents"] == 6


def test_huge_file_is_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from emlit.readers import base

    monkeypatch.setattr(base, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.md"
    big.write_text("涌现能力。" * 1000, encoding="utf-8")
    with Store(":memory:") as store:
        report = ingest_paths(store, [big], run_stages=False)
    assert report.failed == [(str(big), "file too large (15,000 bytes; the limit is 1,000)")]


def test_failed_reread_keeps_what_was_stored(seed_dir: Path):
    note = seed_dir / "wei2022-notes.md"
    with Store(":memory:") as store:
        ingest_paths(store, [note], run_stages=False)
        before = _snapshot(store)
        note.write_bytes(b"\xff\xfe broken now")
        report = ingest_paths(store, [note], run_stages=False)
        assert report.failed and "UTF-8" in report.failed[0][1]
        assert _snapshot(store) == before


def test_locked_database_stops_with_clear_error(seed_dir: Path, tmp_path: Path):
    from emlit.errors import EmlitError

    db = tmp_path / "e.db"
    Store(db).close()
    blocker = sqlite3.connect(db)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with Store(db, busy_timeout=0.1) as store, pytest.raises(EmlitError, match="locked"):
            ingest_paths(store, [seed_dir], run_stages=False)
    finally:
        blocker.rollback()
        blocker.close()
