"""The SQLite store: the one source of truth for documents, claims, tags and links."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from emlit import fts
from emlit.errors import EmlitError
from emlit.models import Claim, ParsedDocument
from emlit.store.migrate import migrate

if TYPE_CHECKING:
    import sqlite_utils

DEFINITIONS = ("D1", "D2", "D3", "D4", "D5", "D6")
DEFAULT_DB = "emlit.db"


def default_db_path() -> str:
    return os.environ.get("EMLIT_DB") or DEFAULT_DB


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class SaveResult:
    status: str  # added | updated
    document_id: int
    new_claim_ids: list[str]
    claim_count: int


class Store:
    """A thin layer of named operations over one SQLite file (WAL mode)."""

    def __init__(self, path: str | os.PathLike[str] = ":memory:", *, busy_timeout: float = 5.0):
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not parent.exists():
                raise EmlitError(f"{self.path}: folder {parent} does not exist")
        try:
            conn = sqlite3.connect(self.path, timeout=busy_timeout, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise EmlitError(f"{self.path}: {_explain(exc)}") from None
        # sqlite-utils pulls in pandas (~0.6 s): import it when a store is opened, not when
        # the CLI or the TUI merely imports this module.
        import sqlite_utils

        self.conn = conn
        self.db: sqlite_utils.Database = sqlite_utils.Database(conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write; a locked or broken database becomes a clear EmlitError."""
        try:
            with self.conn:
                yield self.conn
        except sqlite3.OperationalError as exc:
            raise EmlitError(f"{self.path}: {_explain(exc)}") from None

    # -- documents -------------------------------------------------------------------

    def document_by_path(self, path: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM documents WHERE path = ?", [path]))
        return rows[0] if rows else None

    def documents_under(self, prefix: str) -> list[dict[str, Any]]:
        """Documents whose identity path is ``prefix`` or a sub-document of it (BibTeX)."""
        # A range on the unique index ("#" + 1 == "$"), not LIKE, which would scan the table.
        return list(
            self.db.query(
                "SELECT id, path, content_hash FROM documents "
                "WHERE path = ? OR (path >= ? AND path < ?)",
                [prefix, prefix + "#", prefix + "$"],
            )
        )

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
            existing = self.document_by_path(path)
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
            if existing:
                doc_id = int(existing["id"])
                self.db.table("documents").update(doc_id, row)
                conn.execute("DELETE FROM blocks WHERE document_id = ?", [doc_id])
                conn.execute("DELETE FROM doc_links WHERE document_id = ?", [doc_id])
                old_ids = {
                    r[0]
                    for r in conn.execute(
                        "SELECT id FROM claims WHERE document_id = ? AND provenance = 'machine'",
                        [doc_id],
                    )
                }
            else:
                doc_id = int(self.db.table("documents").insert(row).last_pk)  # type: ignore[arg-type]
                old_ids = set()
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
                    for i, b in enumerate(doc.blocks)
                ),
                batch_size=500,
            )
            self.db.table("doc_links").insert_all(
                ({"document_id": doc_id, "target": ln.target, "kind": ln.kind} for ln in doc.links),
                batch_size=500,
            )
            new_ids = {c.id for c in claims}
            gone = sorted(old_ids - new_ids)
            self._delete_machine_claims(gone)
            stamp = now()
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
                    self.db.table("claims").update(claim.id, values)
                else:
                    self.db.table("claims").insert(values, replace=True)
                    conn.execute(
                        "INSERT INTO claims_fts (claim_id, tokens) VALUES (?, ?)",
                        [claim.id, fts.index_tokens(claim.text)],
                    )
            added = [c.id for c in claims if c.id not in old_ids]
        return SaveResult("updated" if existing else "added", doc_id, added, len(claims))

    def _delete_machine_claims(self, claim_ids: Sequence[str]) -> None:
        for chunk, marks in _id_chunks(claim_ids):
            self.conn.execute(f"DELETE FROM claims WHERE id IN ({marks})", chunk)
            self.conn.execute(f"DELETE FROM claims_fts WHERE claim_id IN ({marks})", chunk)
            self.conn.execute(
                f"DELETE FROM tags WHERE provenance != 'human' AND claim_id IN ({marks})", chunk
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
            self._delete_machine_claims(ids)
            conn.execute("DELETE FROM documents WHERE id = ?", [doc["id"]])

    # -- tags ------------------------------------------------------------------------

    def set_machine_tags(self, claim_id: str, rows: Sequence[dict[str, Any]]) -> None:
        """Replace a claim's machine tags. Rows: label, assigned, score, provenance, model, explanation."""
        self.conn.execute(
            "DELETE FROM tags WHERE claim_id = ? AND provenance != 'human'", [claim_id]
        )
        stamp = now()
        self.db.table("tags").insert_all(
            {
                "claim_id": claim_id,
                "label": r["label"],
                "provenance": r.get("provenance", "model"),
                "assigned": int(bool(r["assigned"])),
                "score": r.get("score"),
                "model": r.get("model"),
                "explanation": json.dumps(r.get("explanation"), ensure_ascii=False)
                if r.get("explanation") is not None
                else None,
                "created_at": stamp,
            }
            for r in rows
        )

    def set_human_tag(self, claim_id: str, label: str, assigned: bool) -> None:
        """Record a researcher's decision: the claim does (or does not) use ``label``."""
        if label not in DEFINITIONS:
            raise EmlitError(f"label: {label!r} is not one of {', '.join(DEFINITIONS)}")
        with self.transaction():
            self.db.table("tags").insert(
                {
                    "claim_id": claim_id,
                    "label": label,
                    "provenance": "human",
                    "assigned": int(assigned),
                    "score": 1.0 if assigned else 0.0,
                    "model": None,
                    "explanation": None,
                    "created_at": now(),
                },
                replace=True,
            )

    def clear_human_tag(self, claim_id: str, label: str) -> None:
        """Undo a human decision, so the machine's tag shows again."""
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM tags WHERE claim_id = ? AND label = ? AND provenance = 'human'",
                [claim_id, label],
            )

    def labels_for(self, claim_ids: Sequence[str]) -> dict[str, list[str]]:
        """Effective labels per claim: a human decision on a label overrides the machine's."""
        out: dict[str, list[str]] = {cid: [] for cid in claim_ids}
        for chunk, marks in _id_chunks(claim_ids):
            rows = self.conn.execute(
                f"SELECT claim_id, label FROM effective_tags WHERE assigned = 1 "
                f"AND claim_id IN ({marks}) ORDER BY label",
                chunk,
            )
            for cid, label in rows:
                out[cid].append(label)
        return out

    def tag_rows(self, claim_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Effective tag rows per claim (label, assigned, score, provenance, model,
        explanation), so a caller can say why each definition was or was not given."""
        out: dict[str, list[dict[str, Any]]] = {cid: [] for cid in claim_ids}
        for chunk, marks in _id_chunks(claim_ids):
            cursor = self.conn.execute(
                "SELECT claim_id, label, assigned, score, provenance, model, explanation "
                f"FROM effective_tags WHERE claim_id IN ({marks}) ORDER BY claim_id, label",
                chunk,
            )
            names = [d[0] for d in cursor.description]
            for values in cursor:
                row = dict(zip(names, values, strict=True))
                out[row.pop("claim_id")].append(row)
        return out

    # -- queries ---------------------------------------------------------------------

    def claims(
        self,
        *,
        definition: str | None = None,
        lang: str | None = None,
        document: str | None = None,
        search: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Stored claims with their document, effective labels and evidence counts."""
        where, params = self._claim_filters(definition, lang, document, search)
        sql = (
            "SELECT c.id, c.text, c.lang, d.display_path AS document, c.section, c.page, "
            'c.start, c."end", c.kind, '
            "(SELECT count(*) FROM effective_links l WHERE l.target_id = c.id "
            "  AND l.relation = 'SUPPORTS') AS supports, "
            "(SELECT count(*) FROM effective_links l WHERE l.target_id = c.id "
            "  AND l.relation = 'COUNTERS') AS counters "
            "FROM claims c JOIN documents d ON d.id = c.document_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY d.display_path, c.start"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = list(self.db.query(sql, params))
        labels = self.labels_for([r["id"] for r in rows])
        for r in rows:
            r["labels"] = labels[r["id"]]
        return rows

    def count_claims(self, **filters: Any) -> int:
        where, params = self._claim_filters(
            filters.get("definition"),
            filters.get("lang"),
            filters.get("document"),
            filters.get("search"),
        )
        sql = "SELECT count(*) FROM claims c JOIN documents d ON d.id = c.document_id" + (
            " WHERE " + " AND ".join(where) if where else ""
        )
        return int(self.conn.execute(sql, params).fetchone()[0])

    def _claim_filters(
        self, definition: str | None, lang: str | None, document: str | None, search: str | None
    ) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if definition:
            if definition not in DEFINITIONS:
                raise EmlitError(
                    f"--definition: {definition!r} is not one of {', '.join(DEFINITIONS)}"
                )
            where.append(
                "c.id IN (SELECT claim_id FROM effective_tags WHERE label = ? AND assigned = 1)"
            )
            params.append(definition)
        if lang:
            where.append("c.lang = ?")
            params.append(lang)
        if document:
            # The path as shown, its end, or a BibTeX file for all of its entries ("bib#key").
            where.append(
                "(d.display_path = ? OR d.path = ? OR d.display_path LIKE ? "
                "OR d.display_path LIKE ?)"
            )
            params.extend([document, document, f"%{document}", f"%{document}#%"])
        if search:
            query = fts.match_query(search)
            if query is None:
                where.append("0")
            else:
                where.append("c.id IN (SELECT claim_id FROM claims_fts WHERE claims_fts MATCH ?)")
                params.append(query)
        return where, params

    def claim(self, claim_id: str) -> dict[str, Any] | None:
        rows = self.claims_by_ids([claim_id])
        return rows[0] if rows else None

    def claims_by_ids(self, claim_ids: Sequence[str]) -> list[dict[str, Any]]:
        marks = ",".join("?" * len(claim_ids))
        rows = list(
            self.db.query(
                f"SELECT c.*, d.display_path AS document FROM claims c "
                f"JOIN documents d ON d.id = c.document_id WHERE c.id IN ({marks})",
                list(claim_ids),
            )
        )
        labels = self.labels_for([r["id"] for r in rows])
        for r in rows:
            r["labels"] = labels[r["id"]]
        return rows

    def stats(self) -> dict[str, Any]:
        """Counts as in contract 6 of docs/contracts (``emlit stats --json``)."""
        q = self.conn.execute
        by_lang = dict(
            q("SELECT lang, count(*) FROM claims GROUP BY lang ORDER BY lang").fetchall()
        )
        by_def = {d: 0 for d in DEFINITIONS}
        by_def.update(
            q(
                "SELECT label, count(*) FROM effective_tags t JOIN claims c ON c.id = t.claim_id "
                "WHERE assigned = 1 GROUP BY label"
            ).fetchall()
        )
        by_rel = dict(
            q(
                "SELECT relation, count(*) FROM effective_links "
                "WHERE relation IN ('SUPPORTS', 'COUNTERS') GROUP BY relation"
            ).fetchall()
        )
        return {
            "documents": q("SELECT count(*) FROM documents").fetchone()[0],
            "claims": q("SELECT count(*) FROM claims").fetchone()[0],
            "claims_by_lang": by_lang,
            "claims_by_definition": by_def,
            "links": sum(by_rel.values()),
            "links_by_relation": {
                "SUPPORTS": by_rel.get("SUPPORTS", 0),
                "COUNTERS": by_rel.get("COUNTERS", 0),
            },
        }


def _id_chunks(ids: Sequence[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """``ids`` in slices small enough for SQLite's parameter limit, with their "?,?,..."."""
    for i in range(0, len(ids), size):
        chunk = list(ids[i : i + size])
        yield chunk, ",".join("?" * len(chunk))


def _explain(exc: sqlite3.Error) -> str:
    msg = str(exc)
    if "file is not a database" in msg:
        return "not an SQLite database (is --db pointing at the right file?)"
    if "locked" in msg:
        return "database is locked by another process; try again when it has finished"
    if "unable to open" in msg:
        return "cannot open the database file (check the path and permissions)"
    return msg
