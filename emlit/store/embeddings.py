"""Cached claim embeddings (table ``claim_embeddings``), keyed by claim and encoder identity.

Vectors are float32 bytes of ``dim`` values, written by the encoder named by ``model`` (its
``identity``); rows of another identity are never read, so two models' vectors never mix.
Claim ids hash the claim text, so a row never goes stale while its claim exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from emlit.store.base import Writable
from emlit.store.sql import id_chunks

# (claim id, document id, dim, float32 bytes)
EmbeddingRow = tuple[str, int, int, bytes]


class EmbeddingStore(Writable):
    def claims_missing_embedding(
        self, model: str, claim_ids: Sequence[str] | None = None
    ) -> list[tuple[str, str]]:
        """(id, text) of the claims (all, or the given ones) with no vector under ``model``."""
        sql = (
            "SELECT c.id, c.text FROM claims c LEFT JOIN claim_embeddings e "
            "ON e.claim_id = c.id AND e.model = ? WHERE e.claim_id IS NULL"
        )
        if claim_ids is None:
            return self.conn.execute(sql + " ORDER BY c.rowid", [model]).fetchall()
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
