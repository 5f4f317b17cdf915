"""Candidate search: top-k most similar stored claims for each new claim.

Embeddings are cached in the store (``emlit.store.embeddings``, keyed by claim and encoder
identity) and held in memory as one float32 matrix. New claims are
compared with the whole store by blocked matrix products and ``argpartition`` top-k: the
work is O(new x store) multiply-adds, vectorised, and linear in the number of new claims.
This is the search of small stores; from ``emlit.evidence.ann.EXACT_BELOW`` vectors on, the
linking stage asks the nearest-neighbour index beside the store instead (``ann.py``), which
uses ``top_k`` for the vectors added since its graph was last updated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from emlit.errors import EmlitError

if TYPE_CHECKING:
    import numpy as np

    from emlit.store import Store

BLOCK = 256  # new claims per matrix product: 256 x 100k float32 = 100 MB of scores


@dataclass
class EmbeddingMatrix:
    ids: list[str]
    doc_ids: np.ndarray  # document id per row (pairs within a document are not candidates)
    vecs: np.ndarray  # (n, dim) float32, unit length


def ensure_embeddings(
    store: Store,
    claim_ids: Sequence[str] | None = None,
    batch: int = 256,
    encoder: str | None = None,
    *,
    after_rowid: int = 0,
) -> int:
    """Encode and cache the claims (all claims if ``claim_ids`` is None, then only those
    stored after ``after_rowid``) that have no embedding under the encoder's identity; the
    model is loaded only if some are missing."""
    import numpy as np

    from emlit.encoder import get_encoder, identity

    model = identity(encoder)
    rows = store.claims_missing_embedding(model, claim_ids, after_rowid=after_rowid)
    if not rows:
        return 0
    enc = get_encoder(encoder)
    for i in range(0, len(rows), batch):
        part = rows[i : i + batch]
        vecs = enc.encode([t for _, t in part])
        store.put_embeddings(
            model,
            (
                (cid, enc.dim, np.ascontiguousarray(v, dtype=np.float32).tobytes())
                for (cid, _), v in zip(part, vecs, strict=True)
            ),
        )
    return len(rows)


def load_matrix(
    store: Store, claim_ids: Sequence[str] | None = None, encoder: str | None = None
) -> EmbeddingMatrix:
    """The cached embeddings of the stored claims (all, or the given ones) under the
    encoder's identity, as one matrix; its width is the dimension the encoder wrote."""
    import numpy as np

    from emlit.encoder import identity

    model = identity(encoder)
    rows = store.embedding_rows(model, claim_ids)
    dims = {r[2] for r in rows}
    if len(dims) > 1:  # one identity, one model: this would be a corrupt cache
        raise EmlitError(f"claim_embeddings: vectors of sizes {sorted(dims)} under {model}")
    dim = dims.pop() if dims else 0
    vecs = np.frombuffer(b"".join(r[3] for r in rows), dtype=np.float32).reshape(len(rows), dim)
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
