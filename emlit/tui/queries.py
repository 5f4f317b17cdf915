"""Read queries the TUI needs that the Store does not offer: paged claim rows, claim context,
evidence neighbourhoods and review state. Plain SQL over the Store's connection; no Textual.

Paging orders claims by ``(document_id, start)``, which the ``claims_document`` index serves,
so a page of a 100,000-claim table is an index walk, not a sort.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from emlit import fts
from emlit.definitions import DEFINITION_IDS as DEFINITIONS
from emlit.evidence.analysis import talking_past

RELATIONS = ("SUPPORTS", "COUNTERS")


@dataclass(frozen=True)
class ClaimFilter:
    """What the claims table shows; every field narrows the list."""

    search: str = ""
    definition: str | None = None
    lang: str | None = None
    document_id: int | None = None
    has_counters: bool = False
    unreviewed: bool = False

    def with_(self, **changes: Any) -> ClaimFilter:
        return replace(self, **changes)


@dataclass
class ClaimRow:
    """One line of the claims table."""

    id: str
    text: str
    lang: str
    document: str
    labels: list[str]
    supports: int
    counters: int
    reviewed: bool
    key: tuple[Any, ...] = ()  # the row's sort key, for keyset paging


@dataclass
class EvidenceItem:
    """A link seen from one claim: the other claim, the relation and which way it points."""

    claim_id: str
    text: str
    labels: list[str]
    relation: str
    incoming: bool  # True: the other claim is evidence for/against this one
    provenance: str
    state: str | None
    score: float | None


@dataclass
class EvidenceNode:
    """A claim in the evidence tree and the links that lead on from it."""

    item: EvidenceItem
    children: list[EvidenceNode]


# A claim is reviewed once a human decided on one of its tags or links (index probes per claim).
_REVIEWED = (
    "(EXISTS (SELECT 1 FROM tags h WHERE h.claim_id = c.id AND h.provenance = 'human') "
    "OR EXISTS (SELECT 1 FROM links h WHERE h.target_id = c.id AND h.provenance = 'human') "
    "OR EXISTS (SELECT 1 FROM links h WHERE h.source_id = c.id AND h.provenance = 'human'))"
)

# The same rules as the effective_tags / effective_links views, written as probes of one claim
# so that SQLite can walk claims in order and stop after a page (the views would be scanned whole).
# The unary + keeps SQLite (without ANALYZE statistics) from probing tags by the label index,
# which would read every tag with that label for each claim; the primary key is the right one.
_HAS_DEFINITION = (
    "EXISTS (SELECT 1 FROM tags t WHERE t.claim_id = c.id AND +t.label = ? AND +t.assigned = 1 "
    "AND (t.provenance = 'human' OR NOT EXISTS (SELECT 1 FROM tags h WHERE h.claim_id = c.id "
    "AND h.label = t.label AND h.provenance = 'human')))"
)
_HAS_COUNTERS = (
    "EXISTS (SELECT 1 FROM links l WHERE l.target_id = c.id AND l.relation = 'COUNTERS' "
    "AND ((l.provenance = 'human' AND coalesce(l.state, 'confirmed') != 'rejected') "
    "OR (l.provenance != 'human' AND NOT EXISTS (SELECT 1 FROM links h WHERE h.provenance = 'human' "
    "AND h.source_id = l.source_id AND h.target_id = l.target_id))))"
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
    return source, (" WHERE " + " AND ".join(clauses) if clauses else ""), order, params


def count_claims(conn: sqlite3.Connection, f: ClaimFilter) -> int:
    """How many claims match ``f``; takes a connection so a worker thread can use its own."""
    source, where, _, params = _from_where(f)
    return int(conn.execute(f"SELECT count(*) FROM {source}{where}", params).fetchone()[0])


class TuiQueries:
    """The TUI's reads (and its few writes) over one Store."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def labels_for(self, claim_ids: list[str]) -> dict[str, list[str]]:
        """Effective labels per claim (as Store.labels_for; a human decision wins)."""
        out: dict[str, list[str]] = {cid: [] for cid in claim_ids}
        for i in range(0, len(claim_ids), 500):
            chunk = claim_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT claim_id, label FROM effective_tags WHERE assigned = 1 "
                f"AND claim_id IN ({marks}) ORDER BY label",
                chunk,
            )
            for cid, label in rows:
                out[cid].append(label)
        return out

    def texts(self, claim_ids: list[str]) -> dict[str, str]:
        marks = ",".join("?" * len(claim_ids))
        sql = f"SELECT id, text FROM claims WHERE id IN ({marks})"
        return dict(self.conn.execute(sql, claim_ids).fetchall())

    # -- claims table ----------------------------------------------------------------

    def count(self, f: ClaimFilter) -> int:
        return count_claims(self.conn, f)

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
        counts = self._evidence_counts(ids)
        reviewed = self._reviewed(ids)
        return [
            ClaimRow(
                id=cid,
                text=text,
                lang=lang,
                document=doc,
                labels=labels.get(cid, []),
                supports=counts.get((cid, "SUPPORTS"), 0),
                counters=counts.get((cid, "COUNTERS"), 0),
                reviewed=cid in reviewed,
                key=tuple(key),
            )
            for cid, text, lang, doc, *key in rows
        ]

    def _evidence_counts(self, ids: list[str]) -> dict[tuple[str, str], int]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT target_id, relation, count(*) FROM effective_links "
            f"WHERE target_id IN ({marks}) GROUP BY target_id, relation",
            ids,
        )
        return {(t, r): n for t, r, n in rows}

    def _reviewed(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT c.id FROM claims c WHERE c.id IN ({marks}) AND {_REVIEWED}", ids
        )
        return {r[0] for r in rows}

    def languages(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT lang FROM claims ORDER BY lang")]

    # -- documents -------------------------------------------------------------------

    def documents(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT d.id, d.display_path, d.title, d.format, d.lang, "
            "(SELECT count(*) FROM claims c WHERE c.document_id = d.id) "
            "FROM documents d ORDER BY d.display_path"
        ).fetchall()
        keys = ("id", "display_path", "title", "format", "lang", "claims")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def document(self, document_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT id, display_path, title, format, text FROM documents WHERE id = ?",
            [document_id],
        ).fetchone()
        if row is None:
            return None
        keys = ("id", "display_path", "title", "format", "text")
        return dict(zip(keys, row, strict=True))

    def document_claims(self, document_id: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            'SELECT id, start, "end" FROM claims WHERE document_id = ? ORDER BY start',
            [document_id],
        ).fetchall()
        labels = self.labels_for([r[0] for r in rows])
        return [{"id": i, "start": s, "end": e, "labels": labels[i]} for i, s, e in rows]

    # -- one claim ---------------------------------------------------------------------

    def claim(self, claim_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            'SELECT c.id, c.text, c.lang, c.start, c."end", c.section, c.page, c.document_id, '
            "d.display_path, d.text FROM claims c JOIN documents d ON d.id = c.document_id "
            "WHERE c.id = ?",
            [claim_id],
        ).fetchone()
        if row is None:
            return None
        cid, text, lang, start, end, section, page, doc_id, doc_path, doc_text = row
        return {
            "id": cid,
            "text": text,
            "lang": lang,
            "start": start,
            "end": end,
            "section": section,
            "page": page,
            "document_id": doc_id,
            "document": doc_path,
            "context": self._context(doc_id, doc_text, start, end),
            "labels": self.labels_for([cid])[cid],
        }

    def _context(self, doc_id: int, doc_text: str, start: int, end: int) -> dict[str, Any]:
        """The block (paragraph, list item, ...) holding the claim, with the claim's offsets in it."""
        block = self.conn.execute(
            'SELECT start, "end" FROM blocks WHERE document_id = ? AND start <= ? AND "end" >= ? '
            'ORDER BY ("end" - start) LIMIT 1',
            [doc_id, start, end],
        ).fetchone()
        b_start, b_end = block if block else (max(0, start - 200), min(len(doc_text), end + 200))
        return {"text": doc_text[b_start:b_end], "start": start - b_start, "end": end - b_start}

    def tags(self, claim_id: str) -> list[dict[str, Any]]:
        """Every tag row of the claim (machine and human), with which one is in effect."""
        effective = {
            (label, prov)
            for label, prov in self.conn.execute(
                "SELECT label, provenance FROM effective_tags WHERE claim_id = ?", [claim_id]
            )
        }
        rows = self.conn.execute(
            "SELECT label, provenance, assigned, score, model, explanation FROM tags "
            "WHERE claim_id = ? ORDER BY label, provenance = 'human' DESC, provenance",
            [claim_id],
        ).fetchall()
        out = []
        for label, prov, assigned, score, model, explanation in rows:
            try:
                expl = json.loads(explanation) if explanation else None
            except ValueError:
                expl = explanation
            out.append(
                {
                    "label": label,
                    "provenance": prov,
                    "assigned": bool(assigned),
                    "score": score,
                    "model": model,
                    "explanation": expl,
                    "effective": (label, prov) in effective,
                }
            )
        return out

    def human_tag(self, claim_id: str, label: str) -> bool | None:
        row = self.conn.execute(
            "SELECT assigned FROM tags WHERE claim_id = ? AND label = ? AND provenance = 'human'",
            [claim_id, label],
        ).fetchone()
        return None if row is None else bool(row[0])

    def evidence(self, claim_id: str, *, with_rejected: bool = False) -> list[EvidenceItem]:
        """Effective links into and out of the claim, incoming first.

        ``with_rejected`` adds the links a human rejected (review mode shows them, struck out).
        """
        source = "effective_links"
        if with_rejected:
            source = (
                "(SELECT * FROM effective_links UNION ALL SELECT * FROM links "
                "WHERE provenance = 'human' AND state = 'rejected')"
            )
        rows = self.conn.execute(
            f"SELECT source_id, target_id, relation, provenance, state, score FROM {source} "
            "WHERE (target_id = ? OR source_id = ?) AND target_kind = 'claim' "
            "AND relation IN ('SUPPORTS', 'COUNTERS') ORDER BY target_id != ?, relation DESC, "
            "source_id, target_id",
            [claim_id, claim_id, claim_id],
        ).fetchall()
        others = [s if t == claim_id else t for s, t, *_ in rows]
        texts = self.texts(others) if others else {}
        labels = self.labels_for(list(texts))
        out = []
        for source, target, relation, prov, state, score in rows:
            other = source if target == claim_id else target
            if other not in texts:
                continue
            out.append(
                EvidenceItem(
                    claim_id=other,
                    text=texts[other],
                    labels=labels[other],
                    relation=relation,
                    incoming=target == claim_id,
                    provenance=prov,
                    state=state,
                    score=score,
                )
            )
        return out

    def talking_past(self, claim_id: str) -> list[tuple[EvidenceItem, list[str], list[str]]]:
        """COUNTERS links whose two claims share no definition: (link, ours, theirs).

        The rule is the core's (``emlit analyze`` flags the same links)."""
        ours = self.labels_for([claim_id])[claim_id]
        return [
            (item, ours, item.labels)
            for item in self.evidence(claim_id)
            if item.relation == "COUNTERS" and talking_past(ours, item.labels)
        ]

    def evidence_tree(self, claim_id: str, depth: int) -> list[EvidenceNode]:
        """The claim's neighbourhood to ``depth`` links; each claim appears once (nearest first)."""
        seen = {claim_id}

        def grow(cid: str, level: int) -> list[EvidenceNode]:
            if level >= depth:
                return []
            items = [i for i in self.evidence(cid) if i.claim_id not in seen]
            seen.update(i.claim_id for i in items)
            return [EvidenceNode(i, grow(i.claim_id, level + 1)) for i in items]

        return grow(claim_id, 0)

    @staticmethod
    def balance(nodes: list[EvidenceNode]) -> dict[str, dict[str, int]]:
        """Per definition, how many supporting and countering links in the tree use it."""
        out = {d: {"SUPPORTS": 0, "COUNTERS": 0} for d in DEFINITIONS}

        def walk(ns: list[EvidenceNode]) -> None:
            for n in ns:
                for label in n.item.labels:
                    if label in out:
                        out[label][n.item.relation] += 1
                walk(n.children)

        walk(nodes)
        return out

    def human_link(self, source_id: str, target_id: str) -> tuple[str, str] | None:
        row = self.conn.execute(
            "SELECT relation, coalesce(state, 'confirmed') FROM links WHERE source_id = ? "
            "AND target_id = ? AND provenance = 'human'",
            [source_id, target_id],
        ).fetchone()
        return None if row is None else (row[0], row[1])
