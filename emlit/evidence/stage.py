"""The ``link`` stage of ``emlit ingest``: model links from new claims to stored claims.

For each new claim: the K most similar claims of other documents (emlit.evidence.index),
then the relation classifier in both directions; a SUPPORTS or COUNTERS verdict with enough
confidence becomes a link with provenance ``model``. Human rows are never touched (the
``effective_links`` view lets them override), curated rows neither.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from emlit.encoder import identity
from emlit.evidence.ann import AnnIndex
from emlit.evidence.index import ensure_embeddings, load_matrix, top_k
from emlit.evidence.model import RelationModel, load_model
from emlit.store import ModelLink
from emlit.vocab import UNRELATED

if TYPE_CHECKING:
    import numpy as np

    from emlit.store import Store

K = 6  # candidates per new claim
MIN_SIMILARITY = 0.3  # cosine below which a pair is not even classified (MiniLM's scale)
# The multilingual USE spreads cosines lower: at 0.2 it passes as many related train pairs
# (83%) as MiniLM does at 0.3 (82%), and half as many unrelated ones (23% against 44%).
MIN_SIMILARITY_USE = 0.2


def min_similarity() -> float:
    """The candidate cut-off for the encoder in use."""
    from emlit.encoder import is_use

    return MIN_SIMILARITY_USE if is_use() else MIN_SIMILARITY


MIN_PROBABILITY = 0.8  # precision over recall: every candidate is on-topic, unlike the devset
# The relation weights fitted on USE's vectors are less confident (C 0.01 instead of 0.03):
# on the train pairs, 0.7 lets through what 0.8 did with MiniLM (28 against 29 links,
# precision 0.89 against 0.90, recall 0.25 against 0.26); 0.8 would keep 4.
MIN_PROBABILITY_USE = 0.7


def min_probability() -> float:
    """The relation probability a model link needs, for the encoder in use."""
    from emlit.encoder import is_use

    return MIN_PROBABILITY_USE if is_use() else MIN_PROBABILITY


BATCH = 512

# (new claim ids) -> per claim: (candidate claim id, cosine), best first
Search = Callable[[list[str]], list[list[tuple[str, float]]]]


class _Vectors:
    """Claim id -> its vector under the encoder; read from the store when first asked."""

    def __init__(self, store: Store, model: str) -> None:
        self.store, self.model = store, model
        self.vecs: dict[str, np.ndarray] = {}
        self.docs: dict[str, int] = {}

    def load(self, claim_ids: Sequence[str]) -> None:
        import numpy as np

        missing = [c for c in dict.fromkeys(claim_ids) if c not in self.vecs]
        for cid, doc, _dim, vec in self.store.embedding_rows(self.model, missing):
            self.vecs[cid] = np.frombuffer(vec, dtype=np.float32)
            self.docs[cid] = doc

    def stack(self, claim_ids: Sequence[str]) -> np.ndarray:
        import numpy as np

        self.load(claim_ids)
        return np.stack([self.vecs[c] for c in claim_ids])


def link_claims(
    store: Store, claim_ids: Sequence[str], progress: Callable[[int], None] = lambda n: None
) -> int:
    """Link the given (new) claims to the claims in the store; returns the links written."""
    ids = list(dict.fromkeys(claim_ids))
    if not ids:
        return 0
    model_id = identity()
    ensure_embeddings(store, ids)
    vectors = _Vectors(store, model_id)
    index = AnnIndex.open(store, model_id)
    search: Search
    if index is None:  # a small store: every stored vector, exactly
        ensure_embeddings(store)  # stored claims from before this feature, curated claims, ...
        matrix = load_matrix(store)
        row_of = {cid: i for i, cid in enumerate(matrix.ids)}
        new = [c for c in ids if c in row_of]
        vectors.vecs = {cid: matrix.vecs[i] for cid, i in row_of.items()}

        def search(block: list[str]) -> list[list[tuple[str, float]]]:
            rows = [row_of[c] for c in block]
            found = top_k(matrix.vecs[rows], matrix.doc_ids[rows], matrix, K, min_similarity())
            return [[(matrix.ids[j], s) for j, s in hits] for hits in found]

    else:  # a large one: the nearest-neighbour graph beside the store, plus its delta
        last = store.last_claim_rowid()
        # Claims stored without a vector since the index last looked (not by this stage).
        ensure_embeddings(store, after_rowid=index.meta.claims_rowid)
        index.note_claims_checked(last)
        vectors.load(ids)
        new = [c for c in ids if c in vectors.vecs]

        def search(block: list[str]) -> list[list[tuple[str, float]]]:
            docs = [vectors.docs[c] for c in block]
            found = index.search(vectors.stack(block), docs, K, min_similarity())
            return [[(cid, s) for cid, _doc, s in hits] for hits in found]

    new_set = set(new)
    model = load_model()
    store.replace_model_links(ids)
    version = f"{model.version}+{model_id}"
    written = 0
    for start in range(0, len(new), BATCH):
        block = new[start : start + BATCH]
        pairs: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for q, found in zip(block, search(block), strict=True):
            for c, _ in found:
                key = (min(q, c), max(q, c))
                # Two new claims find each other: classify the pair once.
                if c in new_set and key in seen:
                    continue
                seen.add(key)
                pairs.append((q, c))
        written += _classify_and_store(store, vectors, pairs, model, version)
        progress(len(block))
    return written


def _classify_and_store(
    store: Store,
    vectors: _Vectors,
    pairs: list[tuple[str, str]],
    model: RelationModel,
    version: str,
) -> int:
    if not pairs:
        return 0
    involved = sorted({c for p in pairs for c in p})
    texts = store.texts(involved)
    labels = store.labels_for(involved)
    a_ids = [a for a, _ in pairs]
    b_ids = [b for _, b in pairs]
    a_vecs = vectors.stack(a_ids)
    b_vecs = vectors.stack(b_ids)
    lab = [labels[c] or None for c in a_ids], [labels[c] or None for c in b_ids]
    fwd = model.predict([texts[c] for c in a_ids], [texts[c] for c in b_ids], a_vecs, b_vecs, *lab)
    bwd = model.predict(
        [texts[c] for c in b_ids], [texts[c] for c in a_ids], b_vecs, a_vecs, lab[1], lab[0]
    )
    links = []
    known = store.decided_pairs(involved)
    for a, b, f, r in zip(a_ids, b_ids, fwd, bwd, strict=True):
        if (a, b) in known or (b, a) in known:
            continue  # the map or a researcher already decided on this pair
        # The direction in which the classifier is surer that there is evidence at all.
        if 1 - r.probs["UNRELATED"] > 1 - f.probs["UNRELATED"]:
            a, b, f = b, a, r
        if f.relation == UNRELATED or f.score < min_probability():
            continue
        links.append(ModelLink(a, b, f.relation, round(f.score, 4), version))
    store.add_model_links(links)
    return len(links)
