"""Bulk loading: many new documents, tags and links in few big transactions.

``save_document`` is the ingest path (it replaces a document's earlier version, keeps human
decisions, goes through sqlite-utils row by row). Loading a generated library of a million
claims (``bench/make_big_db.py``) or an export from another store needs none of that: these
methods insert new rows with ``executemany``, one transaction per call, into the same
tables (search index included), and refuse a document path that is already stored.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from emlit import fts
from emlit.errors import EmlitError
from emlit.models import Claim, ParsedDocument
from emlit.store.base import Writable
from emlit.store.sql import now


@dataclass(frozen=True)
class BulkDocument:
    """A new document and its machine-found claims, as ``save_document`` takes them."""

    doc: ParsedDocument
    path: str
    display_path: str
    content_hash: str
    claims: Sequence[Claim]


class BulkWrites(Writable):
    def bulk_add_documents(self, items: Iterable[BulkDocument]) -> int:
        """Insert new documents with their blocks and claims (and search entries) in one
        transaction; returns the claims added."""
        stamp = now()
        docs, blocks, claims, search = [], [], [], []
        with self.transaction() as conn:
            next_id = int(conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0])
            for item in items:
                next_id += 1
                d = item.doc
                docs.append(
                    (
                        next_id,
                        item.path,
                        item.display_path,
                        d.format,
                        d.title,
                        d.metadata.get("lang"),
                        item.content_hash,
                        d.text,
                        json.dumps(d.metadata, ensure_ascii=False, default=str),
                        stamp,
                    )
                )
                blocks += [
                    (next_id, i, b.start, b.end, b.kind, b.section, b.page)
                    for i, b in enumerate(d.blocks)
                ]
                for c in item.claims:
                    claims.append(
                        (c.id, next_id, c.text, c.lang, c.start, c.end, c.section, c.page, c.kind)
                    )
                    search.append((c.id, fts.index_tokens(c.text)))
            try:
                conn.executemany(
                    "INSERT INTO documents (id, path, display_path, format, title, lang, "
                    "content_hash, text, metadata, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    docs,
                )
                conn.executemany(
                    'INSERT INTO blocks (document_id, seq, start, "end", kind, section, page) '
                    "VALUES (?,?,?,?,?,?,?)",
                    blocks,
                )
                conn.executemany(
                    'INSERT INTO claims (id, document_id, text, lang, start, "end", section, '
                    "page, kind, provenance, created_at) "
                    f"VALUES (?,?,?,?,?,?,?,?,?,'machine','{stamp}')",
                    claims,
                )
            except sqlite3.IntegrityError as exc:
                raise EmlitError(f"{self.path}: bulk load: {exc} (already stored?)") from None
            conn.executemany("INSERT INTO claims_fts (claim_id, tokens) VALUES (?, ?)", search)
        return len(claims)

    def bulk_add_machine_tags(
        self, rows: Iterable[tuple[str, str, bool, float | None, str | None]]
    ) -> None:
        """(claim id, label, assigned, score, model) machine tags (provenance ``model``) of
        claims that have none yet, in one transaction."""
        stamp = now()
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO tags (claim_id, label, provenance, assigned, score, model, "
                f"created_at) VALUES (?, ?, 'model', ?, ?, ?, '{stamp}')",
                ((cid, label, int(bool(a)), score, model) for cid, label, a, score, model in rows),
            )

    def bulk_add_model_links(self, rows: Iterable[tuple[str, str, str, float, str | None]]) -> None:
        """(source, target, relation, score, model) claim links with provenance ``model``, in
        one transaction; a pair already linked so is left as it is."""
        stamp = now()
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO links (source_id, target_id, target_kind, relation, "
                f"score, provenance, model, created_at) VALUES (?, ?, 'claim', ?, ?, 'model', ?, "
                f"'{stamp}')",
                rows,
            )
