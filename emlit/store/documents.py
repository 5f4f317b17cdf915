"""Writes of documents with their blocks, links and machine-found claims."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from emlit import fts
from emlit.models import Block, Claim, ParsedDocument
from emlit.store.base import Writable
from emlit.store.reads import Reads
from emlit.store.sql import id_chunks, now
from emlit.vocab import HUMAN


@dataclass
class SaveResult:
    status: str  # added | updated
    document_id: int
    new_claim_ids: list[str]
    claim_count: int


class DocumentWrites(Reads, Writable):
    def save_document(
        self,
        doc: ParsedDocument,
        *,
        path: str,
        display_path: str,
        content_hash: str,
        claims: Sequence[Claim],
    ) -> SaveResult:
        """Insert or replace a document and its machine-made claims in one transaction.

        Claim ids are stable for unchanged claim text, so human tags and links on them
        (which reference claim ids) survive; machine tags of claims that vanished go with them.
        """
        with self.transaction() as conn:
            row = {
                "path": path,
                "display_path": display_path,
                "format": doc.format,
                "title": doc.title,
                "lang": doc.metadata.get("lang"),
                "content_hash": content_hash,
                "text": doc.text,
                "metadata": json.dumps(doc.metadata, ensure_ascii=False, default=str),
                "ingested_at": now(),
            }
            doc_id, existed = self._put_document(row, doc.blocks)
            conn.execute("DELETE FROM doc_links WHERE document_id = ?", [doc_id])
            self.db.table("doc_links").insert_all(
                ({"document_id": doc_id, "target": ln.target, "kind": ln.kind} for ln in doc.links),
                batch_size=500,
            )
            old_ids = {
                r[0]
                for r in conn.execute(
                    "SELECT id FROM claims WHERE document_id = ? AND provenance = 'machine'",
                    [doc_id],
                )
            }
            self.delete_claims(sorted(old_ids - {c.id for c in claims}))
            stamp = now()
            fresh = []
            for claim in claims:
                values = {
                    "id": claim.id,
                    "document_id": doc_id,
                    "text": claim.text,
                    "lang": claim.lang,
                    "start": claim.start,
                    "end": claim.end,
                    "section": claim.section,
                    "page": claim.page,
                    "kind": claim.kind,
                    "provenance": "machine",
                    "created_at": stamp,
                }
                if claim.id in old_ids:
                    self._put_claim(values, fresh=False)
                else:
                    fresh.append(values)
            self._put_fresh_claims(fresh)
            added = [c.id for c in claims if c.id not in old_ids]
        return SaveResult("updated" if existed else "added", doc_id, added, len(claims))

    def refresh_document(
        self, path: str, *, title: str | None, metadata: dict[str, Any], content_hash: str
    ) -> None:
        """Lay new ``metadata`` keys over a stored document's and set its title and hash,
        leaving its text, blocks and claims as they are (a Zotero item re-filed or re-tagged:
        its PDF need not be read again)."""
        with self.transaction():
            row = self.document_by_path(path)
            if row is None:
                return
            merged = {**json.loads(row["metadata"] or "{}"), **metadata}
            self.db.table("documents").update(
                row["id"],
                {
                    "title": title,
                    "metadata": json.dumps(merged, ensure_ascii=False, default=str),
                    "content_hash": content_hash,
                },
            )

    def _put_document(self, row: dict[str, Any], blocks: Sequence[Block]) -> tuple[int, bool]:
        """Insert or update the document row and replace its blocks: (id, existed before)."""
        existing = self.document_by_path(row["path"])
        if existing:
            doc_id = int(existing["id"])
            self.db.table("documents").update(doc_id, row)
            self.conn.execute("DELETE FROM blocks WHERE document_id = ?", [doc_id])
        else:
            doc_id = int(self.db.table("documents").insert(row).last_pk)  # type: ignore[arg-type]
        self.db.table("blocks").insert_all(
            (
                {
                    "document_id": doc_id,
                    "seq": i,
                    "start": b.start,
                    "end": b.end,
                    "kind": b.kind,
                    "section": b.section,
                    "page": b.page,
                }
                for i, b in enumerate(blocks)
            ),
            batch_size=500,
        )
        return doc_id, existing is not None

    def _put_fresh_claims(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert new claims (and index them for search) in bulk, in the order given."""
        if not rows:
            return
        self.db.table("claims").insert_all(rows, replace=True, batch_size=500)
        self.conn.executemany(
            "INSERT INTO claims_fts (claim_id, tokens) VALUES (?, ?)",
            [(r["id"], fts.index_tokens(r["text"])) for r in rows],
        )

    def _put_claim(self, values: dict[str, Any], *, fresh: bool) -> None:
        """Insert a claim (and index it for search) or update the row of one that exists."""
        if not fresh:
            self.db.table("claims").update(values["id"], values)
            return
        self.db.table("claims").insert(values, replace=True)
        self.conn.execute(
            "INSERT INTO claims_fts (claim_id, tokens) VALUES (?, ?)",
            [values["id"], fts.index_tokens(values["text"])],
        )

    def delete_claims(self, claim_ids: Sequence[str]) -> None:
        """Claims gone from their source: their search entry, machine tags and stances and
        model links go with them; human decisions stay (they name claim ids, which come back with the text)."""
        for chunk, marks in id_chunks(claim_ids):
            self.conn.execute(f"DELETE FROM claims WHERE id IN ({marks})", chunk)
            self.conn.execute(f"DELETE FROM claims_fts WHERE claim_id IN ({marks})", chunk)
            self.conn.execute(
                f"DELETE FROM tags WHERE provenance != '{HUMAN}' AND claim_id IN ({marks})", chunk
            )
            self.conn.execute(
                f"DELETE FROM stances WHERE provenance != '{HUMAN}' AND claim_id IN ({marks})",
                chunk,
            )
            self.conn.execute(
                f"DELETE FROM links WHERE provenance = 'model' AND "
                f"(source_id IN ({marks}) OR target_id IN ({marks}))",
                chunk + chunk,
            )

    def delete_document(self, path: str) -> None:
        with self.transaction() as conn:
            doc = self.document_by_path(path)
            if not doc:
                return
            ids = [
                r[0]
                for r in conn.execute("SELECT id FROM claims WHERE document_id = ?", [doc["id"]])
            ]
            self.delete_claims(ids)
            conn.execute("DELETE FROM documents WHERE id = ?", [doc["id"]])
