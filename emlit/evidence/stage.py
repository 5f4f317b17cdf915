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
from emlit.evidence.index import EmbeddingMatrix, ensure_embeddings, load_matrix, top_k
from emlit.evidence.model import RelationModel, load_model
from emlit.store import ModelLink
from emlit.vocab import UNRELATED

if TYPE_CHECKING:
    from emlit.store import Store

K = 6  # candidates per new claim
MIN_SIMILARITY = 0.3  # cosine below which a pair is not even classified
MIN_PROBABILITY = 0.8  # precision over recall: every candidate is on-topic, unlike the devset
BATCH = 512


def link_claims(
    store: Store, claim_ids: Sequence[str], progress: Callable[[int], None] = lambda n: None
) -> int:
    """Link the given (new) claims to the claims in the store; returns the links written."""
    ids = list(dict.fromkeys(claim_ids))
    if not ids:
        return 0
    ensure_embeddings(store, ids)
    ensure_embeddings(store)  # stored claims from before this feature, curated claims, ...
    matrix = load_matrix(store)
    row_of = {cid: i for i, cid in enumerate(matrix.ids)}
    new = [c for c in ids if c in row_of]
    new_set = set(new)
    model = load_model()
    store.replace_model_links(ids)
    version = f"{model.version}+{identity()}"
    written = 0
    for start in range(0, len(new), BATCH):
        block = new[start : start + BATCH]
        rows = [row_of[c] for c in block]
        cands = top_k(matrix.vecs[rows], matrix.doc_ids[rows], matrix, K, MIN_SIMILARITY)
        pairs: list[tuple[int, int]] = []
        seen: set[tuple[int, int]] = set()
        for qi, found in zip(rows, cands, strict=True):
            for cj, _ in found:
                key = (min(qi, cj), max(qi, cj))
                # Two new claims find each other: classify the pair once.
                if matrix.ids[cj] in new_set and key in seen:
                    continue
                seen.add(key)
                pairs.append((qi, cj))
        written += _classify_and_store(store, matrix, pairs, model, version)
        progress(len(block))
    return written


def _classify_and_store(
    store: Store,
    matrix: EmbeddingMatrix,
    pairs: list[tuple[int, int]],
    model: RelationModel,
    version: str,
) -> int:
    if not pairs:
        return 0
    involved = sorted({matrix.ids[i] for p in pairs for i in p})
    texts = store.texts(involved)
    labels = store.labels_for(involved)
    a_ids = [matrix.ids[i] for i, _ in pairs]
    b_ids = [matrix.ids[j] for _, j in pairs]
    a_vecs = matrix.vecs[[i for i, _ in pairs]]
    b_vecs = matrix.vecs[[j for _, j in pairs]]
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
        if f.relation == UNRELATED or f.score < MIN_PROBABILITY:
            continue
        links.append(ModelLink(a, b, f.relation, round(f.score, 4), version))
    store.add_model_links(links)
    return len(links)
