"""Candidate search: top-k most similar stored claims for each new claim.

Embeddings live in ``claim_embeddings`` and in memory as one float32 matrix. New claims are
compared with the whole store by blocked matrix products and ``argpartition`` top-k: the
work is O(new x store) multiply-adds, vectorised, and linear in the number of new claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from emlit.encoder import DIM, MODEL_NAME

if TYPE_CHECKING:
    import numpy as np

    from emlit.store import Store

BLOCK = 256  # new claims per matrix product: 256 x 100k float32 = 100 MB of scores


@dataclass
class EmbeddingMatrix:
    ids: list[str]
    doc_ids: np.ndarray  # document id per row (pairs within a document are not candidates)
    vecs: np.ndarray  # (n, DIM) float32, unit length


def ensure_embeddings(
    store: Store, claim_ids: Sequence[str] | None = None, batch: int = 256
) -> int:
    """Encode and cache the claims (all claims if ``claim_ids`` is None) that have no embedding."""
    import numpy as np

    if claim_ids is None:
        rows = store.conn.execute(
            "SELECT c.id, c.text FROM claims c LEFT JOIN claim_embeddings e "
            "ON e.claim_id = c.id AND e.model = ? WHERE e.claim_id IS NULL",
            [MODEL_NAME],
        ).fetchall()
    else:
        rows = []
        ids = list(claim_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows += store.conn.execute(
                f"SELECT c.id, c.text FROM claims c LEFT JOIN claim_embeddings e "
                f"ON e.claim_id = c.id AND e.model = ? WHERE e.claim_id IS NULL AND c.id IN ({marks})",
                [MODEL_NAME, *chunk],
            ).fetchall()
    if not rows:
        return 0
    from emlit.encoder import encode

    for i in range(0, len(rows), batch):
        part = rows[i : i + batch]
        vecs = encode([t for _, t in part])
        with store.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO claim_embeddings (claim_id, model, vec) VALUES (?, ?, ?)",
                [
                    (cid, MODEL_NAME, np.ascontiguousarray(v, dtype=np.float32).tobytes())
                    for (cid, _), v in zip(part, vecs, strict=True)
                ],
            )
    return len(rows)


def load_matrix(store: Store, claim_ids: Sequence[str] | None = None) -> EmbeddingMatrix:
    """Cached embeddings of the stored claims (all, or the given ones) as one matrix."""
    import numpy as np

    sql = (
        "SELECT c.id, c.document_id, e.vec FROM claims c JOIN claim_embeddings e "
        "ON e.claim_id = c.id AND e.model = ?"
    )
    if claim_ids is None:
        rows = store.conn.execute(sql + " ORDER BY c.rowid", [MODEL_NAME]).fetchall()
    else:
        rows = []
        ids = list(claim_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows += store.conn.execute(
                sql + f" WHERE c.id IN ({marks})", [MODEL_NAME, *chunk]
            ).fetchall()
    vecs = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float32).reshape(len(rows), DIM)
    return EmbeddingMatrix(
        ids=[r[0] for r in rows],
        doc_ids=np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)),
        vecs=vecs,
    )


def top_k(
    queries: np.ndarray,
    query_docs: np.ndarray,
    matrix: EmbeddingMatrix,
    k: int,
    min_similarity: float,
) -> list[list[tuple[int, float]]]:
    """For each query row: up to ``k`` (matrix row, cosine) from other documents, best first."""
    import numpy as np

    out: list[list[tuple[int, float]]] = []
    n = len(matrix.ids)
    if n == 0:
        return [[] for _ in range(len(queries))]
    kk = min(k, n)
    for start in range(0, len(queries), BLOCK):
        q = queries[start : start + BLOCK]
        sims = q @ matrix.vecs.T  # (block, n)
        # Same-document pairs are never candidates (a document does not evidence itself).
        same = query_docs[start : start + BLOCK, None] == matrix.doc_ids[None, :]
        sims[same] = -2.0
        part = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        for row, cols in enumerate(part):
            scores = sims[row, cols]
            order = np.argsort(-scores)
            out.append(
                [(int(cols[j]), float(scores[j])) for j in order if scores[j] >= min_similarity]
            )
    return out
