"""Writes of the curated evidence map (corpus/evidence/): works, their claims and links."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from emlit.models import Block
from emlit.store.documents import DocumentWrites
from emlit.store.sql import now
from emlit.store.tags import TagWrites


@dataclass
class CuratedClaim:
    id: str
    text: str
    lang: str
    start: int
    end: int
    section: str | None
    page: int | None
    tags: list[dict[str, Any]] = field(default_factory=list)  # rows for set_machine_tags


@dataclass
class CuratedWork:
    """One work of the bibliography: a document whose text is built from its claims."""

    path: str
    display_path: str
    format: str
    title: str | None
    metadata: dict[str, Any]
    text: str
    blocks: Sequence[Block]
    claims: Sequence[CuratedClaim]


@dataclass(frozen=True)
class CuratedLink:
    source: str
    target: str
    target_kind: str  # claim | document
    relation: str
    note: str
    model: str


class CuratedWrites(DocumentWrites, TagWrites):
    def save_curated_map(self, works: Sequence[CuratedWork], links: Sequence[CuratedLink]) -> None:
        """Replace what the last load of the map stored; human decisions stay."""
        with self.transaction() as conn:
            for work in works:
                self._save_curated_work(work)
            conn.execute("DELETE FROM links WHERE provenance = 'curated'")
            stamp = now()
            conn.executemany(
                "INSERT OR REPLACE INTO links (source_id, target_id, target_kind, relation, "
                "score, provenance, state, source_note, model, created_at) "
                "VALUES (?, ?, ?, ?, 1.0, 'curated', NULL, ?, ?, ?)",
                [
                    (ln.source, ln.target, ln.target_kind, ln.relation, ln.note, ln.model, stamp)
                    for ln in links
                ],
            )

    def _save_curated_work(self, work: CuratedWork) -> None:
        stamp = now()
        doc_id, _ = self._put_document(
            {
                "path": work.path,
                "display_path": work.display_path,
                "format": work.format,
                "title": work.title,
                "lang": "en",
                "content_hash": hashlib.sha256(work.text.encode("utf-8")).hexdigest(),
                "text": work.text,
                "metadata": json.dumps(work.metadata, ensure_ascii=False),
                "ingested_at": stamp,
            },
            work.blocks,
        )
        stored = {
            r[0] for r in self.conn.execute("SELECT id FROM claims WHERE document_id = ?", [doc_id])
        }
        for c in work.claims:
            values = {
                "id": c.id,
                "document_id": doc_id,
                "text": c.text,
                "lang": c.lang,
                "start": c.start,
                "end": c.end,
                "section": c.section,
                "page": c.page,
                "kind": "curated",
                "provenance": "curated",
                "created_at": stamp,
            }
            self._put_claim(values, fresh=not self.has_claim(c.id))
            self.set_machine_tags(c.id, c.tags)
        self.delete_claims(sorted(stored - {c.id for c in work.claims}))
