"""Reads of the evidence links: a claim's neighbourhood, and the whole map for exports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from emlit.evidence.balance import talking_past
from emlit.store.reads import Reads
from emlit.store.sql import id_chunks
from emlit.vocab import EVIDENCE_RELATIONS, HUMAN, LINK_RELATIONS

_EVIDENCE_IN = "(" + ", ".join(f"'{r}'" for r in EVIDENCE_RELATIONS) + ")"
_LINKS_IN = "(" + ", ".join(f"'{r}'" for r in LINK_RELATIONS) + ")"


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


def tree_links(root_id: str, nodes: list[EvidenceNode]) -> list[tuple[str, str, str]]:
    """The (source, target, relation) links of an evidence tree grown from ``root_id``."""
    out: list[tuple[str, str, str]] = []

    def walk(parent: str, ns: list[EvidenceNode]) -> None:
        for n in ns:
            other = n.item.claim_id
            out.append(
                (other, parent, n.item.relation)
                if n.item.incoming
                else (parent, other, n.item.relation)
            )
            walk(other, n.children)

    walk(root_id, nodes)
    return out


class EvidenceReads(Reads):
    """Effective evidence links (human decisions win over the map and the model)."""

    def evidence(self, claim_id: str, *, with_rejected: bool = False) -> list[EvidenceItem]:
        """Effective links into and out of the claim, incoming first.

        ``with_rejected`` adds the links a human rejected (review mode shows them, struck out).
        """
        source = "effective_links"
        if with_rejected:
            source = (
                "(SELECT * FROM effective_links UNION ALL SELECT * FROM links "
                f"WHERE provenance = '{HUMAN}' AND state = 'rejected')"
            )
        rows = self.conn.execute(
            f"SELECT source_id, target_id, relation, provenance, state, score FROM {source} "
            "WHERE (target_id = ? OR source_id = ?) AND target_kind = 'claim' "
            f"AND relation IN {_EVIDENCE_IN} ORDER BY target_id != ?, relation DESC, "
            "source_id, target_id",
            [claim_id, claim_id, claim_id],
        ).fetchall()
        others = [s if t == claim_id else t for s, t, *_ in rows]
        texts = self.texts(others)
        labels = self.labels_for(list(texts))
        out = []
        for src, target, relation, prov, state, score in rows:
            other = src if target == claim_id else target
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

    def human_link(self, source_id: str, target_id: str) -> tuple[str, str] | None:
        """(relation, state) of the researcher's decision on the pair, None when there is none."""
        row = self.conn.execute(
            "SELECT relation, coalesce(state, 'confirmed') FROM links WHERE source_id = ? "
            f"AND target_id = ? AND provenance = '{HUMAN}'",
            [source_id, target_id],
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def model_link_counts(self, claim_ids: list[str], relation: str) -> dict[str, int]:
        """How many model links of ``relation`` each of these claims has (either end)."""
        out: dict[str, int] = {}
        for chunk, marks in id_chunks(claim_ids):
            for col in ("source_id", "target_id"):
                for cid, n in self.conn.execute(
                    f"SELECT {col}, count(*) FROM links WHERE provenance = 'model' "
                    f"AND target_kind = 'claim' AND relation = ? AND {col} IN ({marks}) "
                    f"GROUP BY {col}",
                    [relation, *chunk],
                ):
                    out[cid] = out.get(cid, 0) + n
        return out

    def human_link_decisions(self) -> list[dict[str, Any]]:
        """Every claim-to-claim pair a researcher decided (training data for ``emlit train``):
        source, target, their texts, and ``relation`` (a rejected pair is UNRELATED), in
        decision order."""
        rows = self._dicts(
            "SELECT l.source_id AS source, l.target_id AS target, s.text AS a, t.text AS b, "
            "CASE WHEN coalesce(l.state, 'confirmed') = 'rejected' THEN 'UNRELATED' "
            "ELSE l.relation END AS relation FROM links l "
            "JOIN claims s ON s.id = l.source_id JOIN claims t ON t.id = l.target_id "
            f"WHERE l.provenance = '{HUMAN}' AND l.target_kind = 'claim' ORDER BY l.id"
        )
        return [r for r in rows if r["relation"] in ("SUPPORTS", "COUNTERS", "UNRELATED")]

    def machine_link(self, source_id: str, target_id: str) -> tuple[str, str] | None:
        """(relation, target kind) of the map's or the model's link on the pair (the map first)."""
        row = self.conn.execute(
            "SELECT relation, target_kind FROM links WHERE source_id = ? AND target_id = ? "
            f"AND provenance != '{HUMAN}' ORDER BY provenance = 'curated' DESC, score DESC LIMIT 1",
            [source_id, target_id],
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def decided_pairs(self, claim_ids: list[str]) -> set[tuple[str, str]]:
        """(source, target) pairs out of these claims that the map or a researcher decided on."""
        out: set[tuple[str, str]] = set()
        for chunk, marks in id_chunks(claim_ids):
            out.update(
                self.conn.execute(
                    "SELECT source_id, target_id FROM links WHERE provenance != 'model' "
                    f"AND source_id IN ({marks})",
                    chunk,
                ).fetchall()
            )
        return out

    # -- the whole map (exports, analysis) ----------------------------------------------

    def evidence_links(self) -> list[tuple[str, str, str, float | None, str]]:
        """Every effective claim-to-claim evidence link: (source, target, relation, score,
        provenance); a human link may name a claim that is gone."""
        return self.conn.execute(
            "SELECT l.source_id, l.target_id, l.relation, l.score, l.provenance "
            "FROM effective_links l WHERE l.target_kind = 'claim' "
            f"AND l.relation IN {_EVIDENCE_IN} ORDER BY l.id"
        ).fetchall()

    def map_links(self) -> list[tuple[Any, ...]]:
        """Every effective link of the map, claim and document targets: (source, target,
        target kind, relation, score, provenance, state, source note, model), in link order."""
        return self.conn.execute(
            "SELECT source_id, target_id, target_kind, relation, score, provenance, state, "
            f"source_note, model FROM effective_links WHERE relation IN {_LINKS_IN} ORDER BY id"
        ).fetchall()

    def map_claims(self) -> list[tuple[Any, ...]]:
        """(id, document id, text, lang, start, end, section, page, provenance) of every claim,
        in reading order."""
        return self.conn.execute(
            'SELECT c.id, c.document_id, c.text, c.lang, c.start, c."end", c.section, c.page, '
            "c.provenance FROM claims c ORDER BY c.document_id, c.start"
        ).fetchall()

    # -- the whole map as streams (exports that do not hold the graph in memory) ----------

    def iter_map_claims(
        self,
        *,
        text: bool = True,
        counts: bool = True,
        documents: tuple[int, int] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Every claim in reading order (as ``map_claims``), read as it is consumed: (id,
        document id, text, lang, start, end, section, page, provenance, document's display
        path, labels, supports, counters, stance, stance score), where labels are the
        effective assigned labels joined by commas in no set order (None: none; callers
        sort them) and supports/counters count the effective links the claim receives;
        with ``counts=False`` the row lacks the display path and both counts (id, document
        id, text, lang, start, end, section, page, provenance, labels, stance, stance
        score): Turtle needs neither, and leaving them out saves a fifth of the read; with
        ``text=False`` only (id, document id, labels). The counts are grouped by SQLite in
        a temporary table (one pass over the links), not per claim and not in Python; so
        are the labels when a researcher's tags are to be weighed, else a claim's labels
        are one look-up in the covering index ``tags_claim`` (cheaper than grouping them
        all). ``documents`` = (first, end): only the claims of documents with first <= id <
        end (a part of a parallel export). Returns the cursor: rows are read as they are
        consumed."""
        tags, links = self._effective("tags"), self._effective("links")
        order = _in_documents(documents, "WHERE") + " ORDER BY c.document_id, c.start, c.rowid"
        if tags == "tags":
            labels, join = (
                "(SELECT group_concat(label, ',') FROM tags t WHERE t.claim_id = c.id "
                "AND t.assigned = 1)",
                "",
            )
        else:
            labels, join = (
                "g.labels",
                "LEFT JOIN (SELECT claim_id, group_concat(label, ',') AS labels FROM "
                f"{tags} WHERE assigned = 1 GROUP BY claim_id) g ON g.claim_id = c.id ",
            )
        if not text:
            return self.conn.execute(
                f"SELECT c.id, c.document_id, {labels} FROM claims c {join}{order}"
            )
        stances = self._effective("stances")
        head = (
            'SELECT c.id, c.document_id, c.text, c.lang, c.start, c."end", c.section, c.page, '
            "c.provenance, "
        )
        tail = f"LEFT JOIN {stances} st ON st.claim_id = c.id{order}"
        if not counts:
            return self.conn.execute(
                f"{head}{labels}, st.stance, st.score FROM claims c {join}{tail}"
            )
        sup, cnt = EVIDENCE_RELATIONS
        return self.conn.execute(
            f"{head}d.display_path, {labels}, coalesce(n.sup, 0), coalesce(n.cnt, 0), "
            "st.stance, st.score "
            f"FROM claims c JOIN documents d ON d.id = c.document_id {join}"
            f"LEFT JOIN (SELECT target_id, sum(relation = '{sup}') AS sup, "
            f"sum(relation = '{cnt}') AS cnt FROM {links} WHERE target_kind = 'claim' "
            f"AND relation IN {_EVIDENCE_IN} GROUP BY target_id) n ON n.target_id = c.id {tail}"
        )

    def _effective(self, table: str) -> str:
        """The effective view of ``tags``, ``links`` or ``stances``, or the table itself when
        it holds no human row: then every row is effective, and a big export skips the
        view's per-row override check (a third of its reading time at 100,000 claims)."""
        human = self.conn.execute(
            f"SELECT 1 FROM {table} WHERE provenance = 'human' LIMIT 1"
        ).fetchone()
        return f"effective_{table}" if human else table

    def iter_claims_by_document(self) -> Iterator[tuple[str, int]]:
        """(id, document id) of every claim, in reading order (as ``map_claims``)."""
        yield from self.conn.execute(
            "SELECT id, document_id FROM claims ORDER BY document_id, start, rowid"
        )

    def iter_map_links(self, documents: tuple[int, int] | None = None) -> Iterator[tuple[Any, ...]]:
        """The effective links of the map whose source claim and target (a claim, or a
        document by path) exist, in the order of their source claims (``iter_map_claims``)
        and, for one source, in link order (callers group a source's links by target):
        (source, target, target kind, relation, score, provenance, state, source note, model,
        target document id or None). ``documents``: only the links of the claims of those
        documents, as in ``iter_map_claims``."""
        return self.conn.execute(
            "SELECT l.source_id, l.target_id, l.target_kind, l.relation, l.score, l.provenance, "
            f"l.state, l.source_note, l.model, td.id FROM {self._effective('links')} l "
            "JOIN claims c ON c.id = l.source_id "
            "LEFT JOIN documents td ON l.target_kind != 'claim' AND td.path = l.target_id "
            f"WHERE l.relation IN {_LINKS_IN} AND (td.id IS NOT NULL OR (l.target_kind = 'claim' "
            "AND EXISTS (SELECT 1 FROM claims t WHERE t.id = l.target_id))) "
            f"{_in_documents(documents, 'AND')}ORDER BY c.document_id, c.start, c.rowid, l.id"
        )

    def claims_per_document(self) -> list[tuple[int, int]]:
        """(document id, number of claims) of every document with claims, by id: where a
        parallel export cuts the claims into parts of about equal size."""
        return self.conn.execute(
            "SELECT document_id, count(*) FROM claims GROUP BY document_id ORDER BY document_id"
        ).fetchall()

    def map_documents(self, document_id: int | None = None) -> list[tuple[Any, ...]]:
        """(id, path, display path, format, title, lang, metadata) of every document (or one)."""
        sql = "SELECT id, path, display_path, format, title, lang, metadata FROM documents"
        if document_id is not None:
            return self.conn.execute(sql + " WHERE id = ?", [document_id]).fetchall()
        return self.conn.execute(sql + " ORDER BY id").fetchall()

    def wiki_links(self, document_ids: list[int]) -> list[tuple[int, str, str]]:
        """(document id, target, kind) of the Obsidian wikilinks and embeds of these documents."""
        out: list[tuple[int, str, str]] = []
        ids = [str(i) for i in document_ids]
        for chunk, marks in id_chunks(ids):
            out += self.conn.execute(
                "SELECT document_id, target, kind FROM doc_links WHERE kind IN ('wikilink', 'embed') "
                f"AND document_id IN ({marks})",
                [int(i) for i in chunk],
            ).fetchall()
        return out

    def claims_of_documents_matching(self, document: str) -> tuple[list[str], bool]:
        """Claim ids of the documents whose path is ``document`` or ends with it, and whether
        any document matched at all."""
        params = [document, document, f"%{document}"]
        match = "d.display_path = ? OR d.path = ? OR d.display_path LIKE ?"
        ids = [
            r[0]
            for r in self.conn.execute(
                f"SELECT c.id FROM claims c JOIN documents d ON d.id = c.document_id WHERE {match}",
                params,
            )
        ]
        found = bool(ids) or (
            self.conn.execute(f"SELECT 1 FROM documents d WHERE {match}", params).fetchone()
            is not None
        )
        return ids, found


def _in_documents(documents: tuple[int, int] | None, keyword: str) -> str:
    """The condition limiting a map read to the claims of a range of document ids (both
    ints, so they are written into the SQL as they are)."""
    if documents is None:
        return ""
    first, end = (int(x) for x in documents)
    return f" {keyword} c.document_id >= {first} AND c.document_id < {end} "
