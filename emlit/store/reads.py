"""Reads of claims, tags and documents over a plain sqlite3 connection.

One read layer for the CLI, the stages and the TUI. It never imports sqlite-utils, so the
TUI paints its first screen without it; ``Store`` adds the writes on top.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from emlit import fts
from emlit.errors import EmlitError
from emlit.store.base import Connected
from emlit.store.sql import id_chunks
from emlit.vocab import COUNTERS, DEFINITIONS, EVIDENCE_RELATIONS, HUMAN, STANCES, SUPPORTS

# Contract 8's columns, with the effective evidence counts received by each claim.
_CLAIM_LIST = (
    "SELECT c.id, c.text, c.lang, d.display_path AS document, c.section, c.page, "
    'c.start, c."end", c.kind, '
    "(SELECT count(*) FROM effective_links l WHERE l.target_id = c.id "
    f"  AND l.relation = '{SUPPORTS}') AS supports, "
    "(SELECT count(*) FROM effective_links l WHERE l.target_id = c.id "
    f"  AND l.relation = '{COUNTERS}') AS counters "
    "FROM claims c JOIN documents d ON d.id = c.document_id"
)


class Reads(Connected):
    """Claims, their effective tags, documents and counts."""

    def _dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    # -- tags --------------------------------------------------------------------------

    def labels_for(self, claim_ids: Sequence[str]) -> dict[str, list[str]]:
        """Effective labels per claim: a human decision on a label overrides the machine's."""
        out: dict[str, list[str]] = {cid: [] for cid in claim_ids}
        for chunk, marks in id_chunks(claim_ids):
            rows = self.conn.execute(
                f"SELECT claim_id, label FROM effective_tags WHERE assigned = 1 "
                f"AND claim_id IN ({marks}) ORDER BY label",
                chunk,
            )
            for cid, label in rows:
                out[cid].append(label)
        return out

    def all_labels(self) -> dict[str, list[str]]:
        """Effective labels of every claim that has one (for whole-store views)."""
        out: dict[str, list[str]] = {}
        for cid, label in self.conn.execute(
            "SELECT claim_id, label FROM effective_tags WHERE assigned = 1 ORDER BY label"
        ):
            out.setdefault(cid, []).append(label)
        return out

    def tag_rows(self, claim_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Effective tag rows per claim (label, assigned, score, provenance, model,
        explanation), so a caller can say why each definition was or was not given."""
        out: dict[str, list[dict[str, Any]]] = {cid: [] for cid in claim_ids}
        for chunk, marks in id_chunks(claim_ids):
            for row in self._dicts(
                "SELECT claim_id, label, assigned, score, provenance, model, explanation "
                f"FROM effective_tags WHERE claim_id IN ({marks}) ORDER BY claim_id, label",
                chunk,
            ):
                out[row.pop("claim_id")].append(row)
        return out

    def tags(self, claim_id: str) -> list[dict[str, Any]]:
        """Every tag row of the claim (machine and human), with which one is in effect."""
        effective = set(
            self.conn.execute(
                "SELECT label, provenance FROM effective_tags WHERE claim_id = ?", [claim_id]
            )
        )
        rows = self._dicts(
            "SELECT label, provenance, assigned, score, model, explanation FROM tags "
            f"WHERE claim_id = ? ORDER BY label, provenance = '{HUMAN}' DESC, provenance",
            [claim_id],
        )
        for row in rows:
            row["assigned"] = bool(row["assigned"])
            # An explanation that is not JSON (written by hand) stays a string.
            with suppress(ValueError):
                row["explanation"] = json.loads(row["explanation"]) if row["explanation"] else None
            row["effective"] = (row["label"], row["provenance"]) in effective
        return rows

    def human_tag(self, claim_id: str, label: str) -> bool | None:
        """The researcher's decision on (claim, label), None when there is none."""
        row = self.conn.execute(
            f"SELECT assigned FROM tags WHERE claim_id = ? AND label = ? AND provenance = '{HUMAN}'",
            [claim_id, label],
        ).fetchone()
        return None if row is None else bool(row[0])

    def human_tag_decisions(self) -> list[dict[str, Any]]:
        """Every claim a researcher decided a definition on (training data for ``emlit
        train``): id, text, lang, document (display path), ``decided`` (label -> assigned, the
        human rows) and ``labels`` (the effective labels: human decisions over the
        machine's, i.e. what the claim uses once reviewed), in storage order."""
        decided: dict[str, dict[str, bool]] = {}
        for cid, label, assigned in self.conn.execute(
            f"SELECT claim_id, label, assigned FROM tags WHERE provenance = '{HUMAN}' "
            "ORDER BY claim_id, label"
        ):
            decided.setdefault(cid, {})[label] = bool(assigned)
        if not decided:
            return []
        rows: list[dict[str, Any]] = []
        for chunk, marks in id_chunks(list(decided)):
            rows += self._dicts(
                "SELECT c.id, c.text, c.lang, d.display_path AS document, c.rowid AS seq "
                f"FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.id IN ({marks})",
                chunk,
            )
        rows.sort(key=lambda r: r.pop("seq"))
        labels = self.labels_for([r["id"] for r in rows])
        for r in rows:
            r["decided"] = decided[r["id"]]
            r["labels"] = labels[r["id"]]
        return rows

    def cached_tag_results(self, text_hashes: Sequence[str], version: str) -> dict[str, str]:
        """Tagger results (JSON) stored for these text hashes by this model version."""
        out: dict[str, str] = {}
        for chunk, marks in id_chunks(text_hashes):
            out.update(
                self.conn.execute(
                    "SELECT text_hash, result FROM tag_cache WHERE model_version = ? "
                    f"AND text_hash IN ({marks})",
                    [version, *chunk],
                ).fetchall()
            )
        return out

    # -- stances (contract 9) ----------------------------------------------------------

    def stances_for(self, claim_ids: Sequence[str]) -> dict[str, str]:
        """Effective stance per claim (a human decision over the model's); claims without
        one are left out."""
        out: dict[str, str] = {}
        for chunk, marks in id_chunks(claim_ids):
            out.update(
                self.conn.execute(
                    f"SELECT claim_id, stance FROM effective_stances WHERE claim_id IN ({marks})",
                    chunk,
                ).fetchall()
            )
        return out

    def all_stances(self) -> dict[str, tuple[str, float | None, str]]:
        """(stance, score, provenance) in effect for every claim that has one."""
        return {
            cid: (stance, score, prov)
            for cid, stance, score, prov in self.conn.execute(
                "SELECT claim_id, stance, score, provenance FROM effective_stances"
            )
        }

    def stance_rows(self, claim_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The effective stance row per claim: stance, score, scores (dict), provenance,
        model, explanation (parsed JSON)."""
        out: dict[str, dict[str, Any]] = {}
        for chunk, marks in id_chunks(claim_ids):
            for row in self._dicts(
                "SELECT claim_id, stance, score, scores, provenance, model, explanation "
                f"FROM effective_stances WHERE claim_id IN ({marks})",
                chunk,
            ):
                out[row.pop("claim_id")] = _parsed_stance(row)
        return out

    def stances(self, claim_id: str) -> list[dict[str, Any]]:
        """Every stance row of the claim (human first), each saying whether it is in effect."""
        rows = self._dicts(
            "SELECT stance, score, scores, provenance, model, explanation FROM stances "
            f"WHERE claim_id = ? ORDER BY provenance = '{HUMAN}' DESC",
            [claim_id],
        )
        out = [_parsed_stance(r) for r in rows]
        for i, r in enumerate(out):
            r["effective"] = i == 0
        return out

    def human_stance(self, claim_id: str) -> str | None:
        """The researcher's decision on the claim's stance, None when there is none."""
        row = self.conn.execute(
            f"SELECT stance FROM stances WHERE claim_id = ? AND provenance = '{HUMAN}'",
            [claim_id],
        ).fetchone()
        return None if row is None else str(row[0])

    def human_stance_decisions(self) -> list[dict[str, Any]]:
        """Every claim a researcher decided the stance of (training data for ``emlit
        train``): id, text, lang, stance, in storage order."""
        return self._dicts(
            "SELECT c.id, c.text, c.lang, s.stance FROM stances s JOIN claims c "
            f"ON c.id = s.claim_id WHERE s.provenance = '{HUMAN}' ORDER BY c.rowid"
        )

    def claims_without_stance(self) -> list[str]:
        """Ids of the claims that have no stance row at all, in storage order."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM claims c WHERE NOT EXISTS "
                "(SELECT 1 FROM stances s WHERE s.claim_id = c.id) ORDER BY rowid"
            )
        ]

    def stance_counts(self) -> dict[str, int]:
        """Claims per effective stance (every stance named, zero when none)."""
        out = dict.fromkeys(STANCES, 0)
        out.update(
            self.conn.execute(
                "SELECT s.stance, count(*) FROM effective_stances s "
                "JOIN claims c ON c.id = s.claim_id GROUP BY s.stance"
            ).fetchall()
        )
        return out

    # -- claims ------------------------------------------------------------------------

    def texts(self, claim_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk, marks in id_chunks(claim_ids):
            out.update(
                self.conn.execute(f"SELECT id, text FROM claims WHERE id IN ({marks})", chunk)
            )
        return out

    def all_texts(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT id, text FROM claims"))

    def claim_texts(self, claim_ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(id, text, lang) of the given claims that exist, in the order given."""
        found: dict[str, tuple[str, str, str]] = {}
        for chunk, marks in id_chunks(claim_ids):
            for row in self.conn.execute(
                f"SELECT id, text, lang FROM claims WHERE id IN ({marks})", chunk
            ):
                found[row[0]] = row
        return [found[c] for c in claim_ids if c in found]

    def has_claim(self, claim_id: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone()
            is not None
        )

    def claim_ids(self, *, provenance: str | None = None) -> list[str]:
        """Ids of every claim (or those with this provenance), in storage order."""
        if provenance is None:
            return [r[0] for r in self.conn.execute("SELECT id FROM claims ORDER BY rowid")]
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM claims WHERE provenance = ? ORDER BY rowid", [provenance]
            )
        ]

    def claims(
        self,
        *,
        definition: str | None = None,
        lang: str | None = None,
        document: str | None = None,
        search: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        collection: str | None = None,
        tag: str | None = None,
        stance: str | None = None,
    ) -> list[dict[str, Any]]:
        """Stored claims with their document, effective labels and evidence counts (contract 8)
        and their effective stance (contract 9; None before the stance model ran)."""
        where, params = _claim_filters(definition, lang, document, search, collection, tag)
        where, params = _stance_filter(where, params, stance)
        sql = _CLAIM_LIST + where + " ORDER BY d.display_path, c.start"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [int(limit), int(offset)]
        rows = self._dicts(sql, params)
        labels = self.labels_for([r["id"] for r in rows])
        stances = self.stances_for([r["id"] for r in rows])
        for r in rows:
            r["labels"] = labels[r["id"]]
            r["stance"] = stances.get(r["id"])
        return rows

    def count_claims(
        self,
        *,
        definition: str | None = None,
        lang: str | None = None,
        document: str | None = None,
        search: str | None = None,
        collection: str | None = None,
        tag: str | None = None,
        stance: str | None = None,
    ) -> int:
        where, params = _claim_filters(definition, lang, document, search, collection, tag)
        where, params = _stance_filter(where, params, stance)
        sql = "SELECT count(*) FROM claims c JOIN documents d ON d.id = c.document_id" + where
        return int(self.conn.execute(sql, params).fetchone()[0])

    def claims_by_ids(self, claim_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The claims (every column, their document's display path and labels) that exist."""
        rows: list[dict[str, Any]] = []
        for chunk, marks in id_chunks(claim_ids):
            rows += self._dicts(
                "SELECT c.*, d.display_path AS document FROM claims c "
                f"JOIN documents d ON d.id = c.document_id WHERE c.id IN ({marks})",
                chunk,
            )
        labels = self.labels_for([r["id"] for r in rows])
        for r in rows:
            r["labels"] = labels[r["id"]]
        return rows

    def claim(self, claim_id: str) -> dict[str, Any] | None:
        """One claim with its labels and the block of text around it (for quoting)."""
        rows = self._dicts(
            'SELECT c.id, c.text, c.lang, c.start, c."end", c.section, c.page, c.kind, '
            "c.provenance, c.document_id, d.display_path AS document, d.text AS doc_text "
            "FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.id = ?",
            [claim_id],
        )
        if not rows:
            return None
        row = rows[0]
        doc_text = row.pop("doc_text")
        row["context"] = self._context(row["document_id"], doc_text, row["start"], row["end"])
        row["labels"] = self.labels_for([claim_id])[claim_id]
        return row

    def _context(self, doc_id: int, doc_text: str, start: int, end: int) -> dict[str, Any]:
        """The block (paragraph, list item, ...) holding the claim, with the claim's offsets in it."""
        block = self.conn.execute(
            'SELECT start, "end" FROM blocks WHERE document_id = ? AND start <= ? AND "end" >= ? '
            'ORDER BY ("end" - start) LIMIT 1',
            [doc_id, start, end],
        ).fetchone()
        b_start, b_end = block if block else (max(0, start - 200), min(len(doc_text), end + 200))
        return {"text": doc_text[b_start:b_end], "start": start - b_start, "end": end - b_start}

    def languages(self) -> list[str]:
        """The claims' languages: one probe of the ``claims_lang`` index per language (a
        loose index scan), not a walk over a million claims."""
        return [
            r[0]
            for r in self.conn.execute(
                "WITH RECURSIVE l(lang) AS (SELECT min(lang) FROM claims UNION ALL "
                "SELECT (SELECT min(lang) FROM claims WHERE lang > l.lang) FROM l "
                "WHERE l.lang IS NOT NULL) SELECT lang FROM l WHERE lang IS NOT NULL"
            )
        ]

    # -- documents ---------------------------------------------------------------------

    def document_by_path(self, path: str) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM documents WHERE path = ?", [path])
        return rows[0] if rows else None

    def documents_under(self, prefix: str) -> list[dict[str, Any]]:
        """Documents whose identity path is ``prefix`` or a sub-document of it (BibTeX)."""
        # A range on the unique index ("#" + 1 == "$"), not LIKE, which would scan the table.
        return self._dicts(
            "SELECT id, path, content_hash FROM documents "
            "WHERE path = ? OR (path >= ? AND path < ?)",
            [prefix, prefix + "#", prefix + "$"],
        )

    def documents_within(self, path: str, sep: str = "/") -> list[dict[str, Any]]:
        """Documents stored from ``path``: the file itself, its sub-documents (``#key``) and,
        when it was a folder, everything under it; with display path and claim count."""
        after_sep = chr(ord(sep) + 1)  # a range on the unique index, as in documents_under
        return self._dicts(
            "SELECT d.id, d.path, d.display_path, "
            "(SELECT count(*) FROM claims c WHERE c.document_id = d.id) AS claims "
            "FROM documents d WHERE d.path = ? OR (d.path >= ? AND d.path < ?) "
            "OR (d.path >= ? AND d.path < ?) ORDER BY d.path",
            [path, path + "#", path + "$", path + sep, path + after_sep],
        )

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version``: changes when another connection commits, so a
        reader can poll it cheaply to notice new data (the TUI does, while `emlit watch` runs)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def documents(self) -> list[dict[str, Any]]:
        """Every document with its claim count, by display path."""
        return self._dicts(
            "SELECT d.id, d.display_path, d.title, d.format, d.lang, "
            "(SELECT count(*) FROM claims c WHERE c.document_id = d.id) AS claims "
            "FROM documents d ORDER BY d.display_path"
        )

    def document_choices(self) -> list[tuple[str, int]]:
        """(display path, id) of every document, by display path (a filter's choices; no
        claim counts, which would visit every claim)."""
        return self.conn.execute(
            "SELECT display_path, id FROM documents ORDER BY display_path"
        ).fetchall()

    def document(self, document_id: int) -> dict[str, Any] | None:
        rows = self._dicts(
            "SELECT id, display_path, title, format, text FROM documents WHERE id = ?",
            [document_id],
        )
        return rows[0] if rows else None

    def document_claims(self, document_id: int) -> list[dict[str, Any]]:
        """The claims of a document in reading order, with their offsets and labels."""
        rows = self._dicts(
            'SELECT id, start, "end" FROM claims WHERE document_id = ? ORDER BY start',
            [document_id],
        )
        labels = self.labels_for([r["id"] for r in rows])
        for r in rows:
            r["labels"] = labels[r["id"]]
        return rows

    def comment_links(self, claim_ids: Sequence[str] | None = None) -> list[tuple[str, str]]:
        """(comment, annotated claim) pairs: the researcher's comment on a Zotero highlight
        (relation ``COMMENTS_ON``). They are a fact of the source, kept with the document in
        ``metadata["annotations"]``, not evidence links; optionally only pairs touching
        ``claim_ids``."""
        rows = self.conn.execute(
            "SELECT json_extract(a.value, '$.comment'), json_extract(a.value, '$.claim') "
            "FROM documents d, json_each(d.metadata, '$.annotations') a "
            "WHERE d.format = 'zotero' AND json_extract(a.value, '$.comment') IS NOT NULL "
            "AND json_extract(a.value, '$.claim') IS NOT NULL ORDER BY d.id, a.key"
        ).fetchall()
        if claim_ids is None:
            return [(c, a) for c, a in rows]
        wanted = set(claim_ids)
        return [(c, a) for c, a in rows if c in wanted or a in wanted]

    def collections_and_tags(self) -> tuple[list[str], list[str]]:
        """Every Zotero collection path and every document tag in the store, sorted."""
        collections = [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT j.value FROM documents d, "
                "json_each(d.metadata, '$.zotero.in_collections') j ORDER BY 1"
            )
        ]
        tags = [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT j.value FROM documents d, json_each(d.metadata, '$.tags') j "
                "WHERE j.type = 'text' ORDER BY 1"
            )
        ]
        return collections, tags

    def has_document_path(self, path: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM documents WHERE path = ?", [path]).fetchone()
            is not None
        )

    # -- counts ------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts as in contract 6 (``emlit stats --json``)."""
        q = self.conn.execute
        by_lang = dict(
            q("SELECT lang, count(*) FROM claims GROUP BY lang ORDER BY lang").fetchall()
        )
        by_def = dict.fromkeys(DEFINITIONS, 0)
        by_def.update(
            q(
                "SELECT label, count(*) FROM effective_tags t JOIN claims c ON c.id = t.claim_id "
                "WHERE assigned = 1 GROUP BY label"
            ).fetchall()
        )
        by_rel = dict(
            q(
                "SELECT relation, count(*) FROM effective_links "
                f"WHERE relation IN {EVIDENCE_RELATIONS!r} GROUP BY relation"
            ).fetchall()
        )
        return {
            "documents": q("SELECT count(*) FROM documents").fetchone()[0],
            "claims": q("SELECT count(*) FROM claims").fetchone()[0],
            "claims_by_lang": by_lang,
            "claims_by_definition": by_def,
            "links": sum(by_rel.values()),
            "links_by_relation": {rel: by_rel.get(rel, 0) for rel in EVIDENCE_RELATIONS},
        }

    def claim_counts_by_document(self) -> list[tuple[str, int]]:
        """(display path, claims) for every document, by display path."""
        return self.conn.execute(
            "SELECT d.display_path, count(c.id) FROM documents d "
            "LEFT JOIN claims c ON c.document_id = d.id GROUP BY d.id ORDER BY d.display_path"
        ).fetchall()


def _stance_filter(where: str, params: list[Any], stance: str | None) -> tuple[str, list[Any]]:
    """``where`` narrowed to claims whose effective stance is ``stance``."""
    if not stance:
        return where, params
    if stance not in STANCES:
        raise EmlitError(f"--stance: {stance!r} is not one of {', '.join(STANCES)}")
    clause = "c.id IN (SELECT claim_id FROM effective_stances WHERE stance = ?)"
    return (where + " AND " if where else " WHERE ") + clause, [*params, stance]


def _claim_filters(
    definition: str | None,
    lang: str | None,
    document: str | None,
    search: str | None,
    collection: str | None = None,
    tag: str | None = None,
) -> tuple[str, list[Any]]:
    """WHERE clause and parameters of the claim list's filters (``c`` claims, ``d`` documents)."""
    where: list[str] = []
    params: list[Any] = []
    doc_where, doc_params = document_filters(collection, tag)
    where += doc_where
    params += doc_params
    if definition:
        if definition not in DEFINITIONS:
            raise EmlitError(f"--definition: {definition!r} is not one of {', '.join(DEFINITIONS)}")
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
            "(d.display_path = ? OR d.path = ? OR d.display_path LIKE ? OR d.display_path LIKE ?)"
        )
        params.extend([document, document, f"%{document}", f"%{document}#%"])
    if search:
        query = fts.match_query(search)
        if query is None:
            where.append("0")
        else:
            where.append("c.id IN (SELECT claim_id FROM claims_fts WHERE claims_fts MATCH ?)")
            params.append(query)
    return (" WHERE " + " AND ".join(where) if where else ""), params


def document_filters(collection: str | None, tag: str | None) -> tuple[list[str], list[Any]]:
    """Clauses on documents ``d`` for a Zotero collection and a tag, with their parameters."""
    where: list[str] = []
    params: list[Any] = []
    if collection:
        # A Zotero collection by name or path ("A/B"); an item in a sub-collection is in it too.
        where.append(
            "EXISTS (SELECT 1 FROM json_each(d.metadata, '$.zotero.in_collections') j "
            "WHERE j.value = ? COLLATE NOCASE)"
        )
        params.append(collection.strip().strip("/"))
    if tag:
        # Zotero tags and note tags (frontmatter, #tags) alike; "#" is not part of a tag.
        where.append(
            "EXISTS (SELECT 1 FROM json_each(d.metadata, '$.tags') j "
            "WHERE j.value = ? COLLATE NOCASE)"
        )
        params.append(tag.removeprefix("#"))
    return where, params


def _parsed_stance(row: dict[str, Any]) -> dict[str, Any]:
    """A stance row with its JSON columns parsed (an explanation that is not JSON stays text)."""
    for key in ("scores", "explanation"):
        if isinstance(row.get(key), str):
            with suppress(ValueError):
                row[key] = json.loads(row[key])
    return row
