"""Paged claim lists for browsing: filters, keyset pages, cheap counts.

Paging orders claims by ``(document_id, start)``, which the ``claims_document`` index serves,
so a page of a 100,000-claim table is an index walk, not a sort.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from emlit import fts
from emlit.store.reads import Reads, document_filters
from emlit.store.sql import id_chunks
from emlit.vocab import COUNTERS, HUMAN, SUPPORTS


@dataclass(frozen=True)
class ClaimFilter:
    """What a claim list shows; every field narrows the list."""

    search: str = ""
    definition: str | None = None
    lang: str | None = None
    document_id: int | None = None
    has_counters: bool = False
    unreviewed: bool = False
    collection: str | None = None  # a Zotero collection (path), sub-collections included
    tag: str | None = None  # a Zotero or note tag
    stance: str | None = None  # affirms | disputes | neutral (effective stance, contract 9)

    def with_(self, **changes: Any) -> ClaimFilter:
        return replace(self, **changes)


@dataclass
class ClaimRow:
    """One line of a claim list."""

    id: str
    text: str
    lang: str
    document: str
    labels: list[str]
    supports: int
    counters: int
    reviewed: bool
    key: tuple[Any, ...] = ()  # the row's sort key, for keyset paging
    stance: str | None = None  # effective stance (contract 9); None before the model ran


# A claim is reviewed once a human decided on one of its tags, links or its stance (index
# probes per claim).
_REVIEWED = (
    f"(EXISTS (SELECT 1 FROM tags h WHERE h.claim_id = c.id AND h.provenance = '{HUMAN}') "
    f"OR EXISTS (SELECT 1 FROM links h WHERE h.target_id = c.id AND h.provenance = '{HUMAN}') "
    f"OR EXISTS (SELECT 1 FROM links h WHERE h.source_id = c.id AND h.provenance = '{HUMAN}') "
    f"OR EXISTS (SELECT 1 FROM stances h WHERE h.claim_id = c.id AND h.provenance = '{HUMAN}'))"
)

# The same rules as the effective_tags / effective_links views, written as probes of one claim
# so that SQLite can walk claims in order and stop after a page (the views would be scanned whole).
# The unary + keeps SQLite (without ANALYZE statistics) from probing tags by the label index,
# which would read every tag with that label for each claim; the primary key is the right one.
_HAS_DEFINITION = (
    "EXISTS (SELECT 1 FROM tags t WHERE t.claim_id = c.id AND +t.label = ? AND +t.assigned = 1 "
    f"AND (t.provenance = '{HUMAN}' OR NOT EXISTS (SELECT 1 FROM tags h WHERE h.claim_id = c.id "
    f"AND h.label = t.label AND h.provenance = '{HUMAN}')))"
)
_HAS_COUNTERS = (
    f"EXISTS (SELECT 1 FROM links l WHERE l.target_id = c.id AND l.relation = '{COUNTERS}' "
    f"AND ((l.provenance = '{HUMAN}' AND coalesce(l.state, 'confirmed') != 'rejected') "
    f"OR (l.provenance != '{HUMAN}' AND NOT EXISTS (SELECT 1 FROM links h "
    f"WHERE h.provenance = '{HUMAN}' AND h.source_id = l.source_id AND h.target_id = l.target_id))))"
)


# The effective_stances rule as a probe of one claim (primary key lookups).
_HAS_STANCE = (
    "EXISTS (SELECT 1 FROM stances s WHERE s.claim_id = c.id AND s.stance = ? "
    f"AND (s.provenance = '{HUMAN}' OR NOT EXISTS (SELECT 1 FROM stances h "
    f"WHERE h.claim_id = c.id AND h.provenance = '{HUMAN}')))"
)


def _from_where(f: ClaimFilter) -> tuple[str, str, str, list[Any]]:
    """FROM, WHERE and ORDER BY for the claims matching ``f`` (``c`` is the claims alias).

    A search walks the FTS index in its own (indexing) order and joins each hit to its claim,
    so the first page needs only the first hits; otherwise claims are walked in document
    order on the ``claims_document`` index. Every other filter is a per-claim probe, so a
    page stops early; only counting has to visit every candidate.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if f.search.strip():
        query = fts.match_query(f.search)
        source = "claims_fts f CROSS JOIN claims c ON c.id = f.claim_id"
        clauses.append("claims_fts MATCH ?" if query else "0")
        params.extend([query] if query else [])
        order = "f.rowid"
    else:
        source, order = "claims c", "c.document_id, c.start, c.rowid"
    if f.definition:
        clauses.append(_HAS_DEFINITION)
        params.append(f.definition)
    if f.has_counters:
        clauses.append(_HAS_COUNTERS)
    if f.lang:
        clauses.append("c.lang = ?")
        params.append(f.lang)
    if f.document_id is not None:
        clauses.append("c.document_id = ?")
        params.append(f.document_id)
    if f.unreviewed:
        clauses.append("NOT " + _REVIEWED)
    if f.stance:
        clauses.append(_HAS_STANCE)
        params.append(f.stance)
    doc_where, doc_params = document_filters(f.collection, f.tag)
    if doc_where:
        clauses.append(
            f"c.document_id IN (SELECT d.id FROM documents d WHERE {' AND '.join(doc_where)})"
        )
        params.extend(doc_params)
    return source, (" WHERE " + " AND ".join(clauses) if clauses else ""), order, params


def count_matching(conn: sqlite3.Connection, f: ClaimFilter) -> int:
    """How many claims match ``f``; takes a connection so a worker thread can use its own."""
    source, where, _, params = _from_where(f)
    return int(conn.execute(f"SELECT count(*) FROM {source}{where}", params).fetchone()[0])


class BrowseReads(Reads):
    """Pages of claims for a table that scrolls through the whole store."""

    def count(self, f: ClaimFilter) -> int:
        return count_matching(self.conn, f)

    def quick_count(self, f: ClaimFilter) -> int | None:
        """The count when it is cheap to get (no filter, or search alone), else None."""
        if f == ClaimFilter():
            return int(self.conn.execute("SELECT count(*) FROM claims").fetchone()[0])
        if f == ClaimFilter(search=f.search):
            query = fts.match_query(f.search)
            if query is None:
                return 0
            sql = "SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?"
            return int(self.conn.execute(sql, [query]).fetchone()[0])
        return None

    def page(
        self, f: ClaimFilter, offset: int, limit: int, after: tuple[Any, ...] | None = None
    ) -> list[ClaimRow]:
        """``limit`` rows from ``offset``; with ``after`` (the key of the row before the page)
        the page starts right after that row (keyset paging: no cost for skipped rows)."""
        source, where, order, params = _from_where(f)
        if after is not None:
            where += (
                " AND " if where else " WHERE "
            ) + f"({order}) > ({', '.join('?' * len(after))})"
            params = [*params, *after]
            offset = 0
        rows = self.conn.execute(
            f"SELECT c.id, c.text, c.lang, d.display_path, {order} FROM {source} "
            f"JOIN documents d ON d.id = c.document_id{where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)],
        ).fetchall()
        ids = [r[0] for r in rows]
        labels = self.labels_for(ids)
        counts = self.evidence_counts(ids)
        reviewed = self.reviewed(ids)
        stances = self.stances_for(ids)
        return [
            ClaimRow(
                id=cid,
                text=text,
                lang=lang,
                document=doc,
                labels=labels.get(cid, []),
                supports=counts.get((cid, SUPPORTS), 0),
                counters=counts.get((cid, COUNTERS), 0),
                reviewed=cid in reviewed,
                key=tuple(key),
                stance=stances.get(cid),
            )
            for cid, text, lang, doc, *key in rows
        ]

    def evidence_counts(self, ids: list[str]) -> dict[tuple[str, str], int]:
        """(claim, relation) -> effective links the claim receives."""
        out: dict[tuple[str, str], int] = {}
        for chunk, marks in id_chunks(ids):
            rows = self.conn.execute(
                f"SELECT target_id, relation, count(*) FROM effective_links "
                f"WHERE target_id IN ({marks}) GROUP BY target_id, relation",
                chunk,
            )
            out.update({(t, r): n for t, r, n in rows})
        return out

    def reviewed(self, ids: list[str]) -> set[str]:
        """The claims a human has decided something about."""
        out: set[str] = set()
        for chunk, marks in id_chunks(ids):
            rows = self.conn.execute(
                f"SELECT c.id FROM claims c WHERE c.id IN ({marks}) AND {_REVIEWED}", chunk
            )
            out.update(r[0] for r in rows)
        return out
