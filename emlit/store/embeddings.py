"""Cached claim embeddings (table ``claim_embeddings``), keyed by claim and encoder identity.

Vectors are float32 bytes of ``dim`` values, written by the encoder named by ``model`` (its
``identity``); rows of another identity are never read, so two models' vectors never mix.
Claim ids hash the claim text, so a row never goes stale while its claim exists.

Each row has a ``seq`` that is never reused (AUTOINCREMENT): the nearest-neighbour index
beside the store (``emlit.evidence.ann``) labels its vectors with it, reads the rows added
since it was last brought up to date by ``seq``, and maps the labels it finds back to live
claims here. Rows of deleted claims stay (the claim may come back with the same text);
every read joins ``claims``, so they are never candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from emlit.store.base import Writable
from emlit.store.sql import id_chunks
from emlit.store.sql import marks as placeholders

# (claim id, document id, dim, float32 bytes)
EmbeddingRow = tuple[str, int, int, bytes]
# (seq, claim id, document id, dim, float32 bytes)
SeqRow = tuple[int, str, int, int, bytes]


class EmbeddingStore(Writable):
    def claims_missing_embedding(
        self, model: str, claim_ids: Sequence[str] | None = None, *, after_rowid: int = 0
    ) -> list[tuple[str, str]]:
        """(id, text) of the claims (all, or the given ones) with no vector under ``model``;
        ``after_rowid`` looks only at claims stored after that claims rowid (the ones a
        nearest-neighbour index has not seen checked yet)."""
        sql = (
            "SELECT c.id, c.text FROM claims c LEFT JOIN claim_embeddings e "
            "ON e.claim_id = c.id AND e.model = ? WHERE e.claim_id IS NULL"
        )
        if claim_ids is None:
            return self.conn.execute(
                sql + " AND c.rowid > ? ORDER BY c.rowid", [model, after_rowid]
            ).fetchall()
        rows: list[tuple[str, str]] = []
        for chunk, marks in id_chunks(list(dict.fromkeys(claim_ids))):
            rows += self.conn.execute(sql + f" AND c.id IN ({marks})", [model, *chunk])
        return rows

    def put_embeddings(self, model: str, rows: Iterable[tuple[str, int, bytes]]) -> None:
        """Store (claim id, dim, float32 bytes) rows under ``model`` in one transaction."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO claim_embeddings (claim_id, model, dim, vec) "
                "VALUES (?, ?, ?, ?)",
                ((cid, model, dim, vec) for cid, dim, vec in rows),
            )

    def embedding_rows(
        self, model: str, claim_ids: Sequence[str] | None = None
    ) -> list[EmbeddingRow]:
        """(claim id, document id, dim, vector bytes) of the stored claims' vectors under
        ``model``: all of them in claim order, or the given ones."""
        sql = (
            "SELECT c.id, c.document_id, e.dim, e.vec FROM claims c JOIN claim_embeddings e "
            "ON e.claim_id = c.id AND e.model = ?"
        )
        if claim_ids is None:
            return self.conn.execute(sql + " ORDER BY c.rowid", [model]).fetchall()
        rows: list[EmbeddingRow] = []
        for chunk, marks in id_chunks(list(dict.fromkeys(claim_ids))):
            rows += self.conn.execute(sql + f" WHERE c.id IN ({marks})", [model, *chunk])
        return rows

    # -- for the nearest-neighbour index (emlit.evidence.ann) ---------------------------

    def last_claim_rowid(self) -> int:
        """The highest claims rowid: claims stored later have a higher one."""
        return int(self.conn.execute("SELECT coalesce(max(rowid), 0) FROM claims").fetchone()[0])

    def embedding_counts(
        self, model: str, *, upto_seq: int | None = None, after_seq: int | None = None
    ) -> tuple[int, int]:
        """(rows, highest seq) under ``model``, optionally only rows with ``after_seq < seq
        <= upto_seq``; a walk of the (model, seq) index, no vector is read."""
        sql = "SELECT count(*), coalesce(max(seq), 0) FROM claim_embeddings WHERE model = ?"
        params: list[object] = [model]
        if upto_seq is not None:
            sql += " AND seq <= ?"
            params.append(upto_seq)
        if after_seq is not None:
            sql += " AND seq > ?"
            params.append(after_seq)
        n, top = self.conn.execute(sql, params).fetchone()
        return int(n), int(top)

    def embedding_seq_counter(self) -> int:
        """The last seq ever given out (it never goes down while the database lives)."""
        row = self.conn.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'claim_embeddings'"
        ).fetchone()
        return int(row[0]) if row else 0

    def embedding_vectors(
        self, model: str, after_seq: int = 0, upto_seq: int | None = None, batch: int = 20_000
    ) -> Iterator[list[tuple[int, int, bytes]]]:
        """(seq, dim, float32 bytes) under ``model`` with ``after_seq < seq <= upto_seq``,
        in seq order, ``batch`` rows at a time (of live and deleted claims alike: what an
        index holds)."""
        last = after_seq
        while True:
            sql = "SELECT seq, dim, vec FROM claim_embeddings WHERE model = ? AND seq > ?"
            params: list[object] = [model, last]
            if upto_seq is not None:
                sql += " AND seq <= ?"
                params.append(upto_seq)
            rows = self.conn.execute(sql + " ORDER BY seq LIMIT ?", [*params, batch]).fetchall()
            if not rows:
                return
            yield rows
            last = rows[-1][0]

    def live_embeddings_after(self, model: str, after_seq: int) -> list[SeqRow]:
        """(seq, claim id, document id, dim, bytes) of the vectors under ``model`` added after
        ``after_seq`` whose claim exists, in seq order."""
        return self.conn.execute(
            "SELECT e.seq, c.id, c.document_id, e.dim, e.vec FROM claim_embeddings e "
            "JOIN claims c ON c.id = e.claim_id WHERE e.model = ? AND e.seq > ? ORDER BY e.seq",
            [model, after_seq],
        ).fetchall()

    def live_vectors(self, model: str, seqs: Sequence[int]) -> dict[int, tuple[str, int, bytes]]:
        """seq -> (claim id, document id, float32 bytes) for the given vector labels whose
        claim exists (an index's answers, mapped back to claims and re-scored exactly)."""
        out: dict[int, tuple[str, int, bytes]] = {}
        unique = list(dict.fromkeys(int(s) for s in seqs))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            out.update(
                (seq, (cid, doc, vec))
                for seq, cid, doc, vec in self.conn.execute(
                    "SELECT e.seq, c.id, c.document_id, e.vec FROM claim_embeddings e "
                    "JOIN claims c ON c.id = e.claim_id "
                    f"WHERE e.model = ? AND e.seq IN ({placeholders(len(chunk))})",
                    [model, *chunk],
                )
            )
        return out

    def embedding_owners(self, seqs: Sequence[int]) -> dict[int, tuple[str, str]]:
        """seq -> (claim id, model) of the given rows that exist (deleted claims included):
        how an index checks that its labels still name the vectors it was built from."""
        out: dict[int, tuple[str, str]] = {}
        unique = list(dict.fromkeys(int(s) for s in seqs))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            out.update(
                (seq, (cid, model))
                for seq, cid, model in self.conn.execute(
                    "SELECT seq, claim_id, model FROM claim_embeddings "
                    f"WHERE seq IN ({placeholders(len(chunk))})",
                    chunk,
                )
            )
        return out
