"""The ``link`` stage of ``emlit ingest``: model links from new claims to stored claims.

For each new claim: the K most similar claims of other documents (emlit.evidence.index),
plus up to K_PHENOMENON claims about the same phenomenon with the opposite stance that the
embedding misses (emlit.evidence.candidates), then the relation classifier in both
directions, fed the claims' effective stances and definitions from the store. A SUPPORTS or
COUNTERS verdict becomes a link with provenance ``model`` only when it is confident *and*
agrees with the structure (``agrees``): a counter needs opposite stances about one shared
phenomenon on a shared sense, a support no opposite stances: fewer links rather than wrong
ones. Human rows are never touched (the ``effective_links`` view lets them override),
curated rows neither. The candidates' cue profiles are read from the store, where the stage
saves every text's (``recall_text_infos``), so a claim's cost does not grow with the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from emlit.encoder import identity
from emlit.evidence.ann import AnnIndex
from emlit.evidence.candidates import Profiles
from emlit.evidence.features import NO_STANCE, cue_stance, same_phenomenon, text_info
from emlit.evidence.index import ensure_embeddings, load_matrix, top_k
from emlit.evidence.model import Prediction, RelationModel, stance_probs
from emlit.evidence.profile import (
    compute_text_info,
    decode_text_info,
    encode_text_info,
    known_text_info,
    profile_version,
    remember_text_info,
    text_hash,
)
from emlit.store import ModelLink
from emlit.vocab import COUNTERS, HUMAN, STANCES, SUPPORTS, UNRELATED

if TYPE_CHECKING:
    import numpy as np

    from emlit.store import Store

K = 6  # embedding neighbours per new claim
K_PHENOMENON = 4  # more candidates: same phenomenon, opposite stance (by combined score)
MIN_SIMILARITY = 0.3  # cosine below which a pair is not even classified (MiniLM's scale)
# The multilingual USE spreads cosines lower: at 0.2 it passes as many related train pairs
# (83%) as MiniLM does at 0.3 (82%), and half as many unrelated ones (23% against 44%).
MIN_SIMILARITY_USE = 0.2


def min_similarity() -> float:
    """The candidate cut-off for the encoder in use."""
    from emlit.encoder import is_use

    return MIN_SIMILARITY_USE if is_use() else MIN_SIMILARITY


# relation-lr-v2 (issue 10) is fitted with little regularisation (C 1.0, chosen by grouped CV)
# and so more confident than v1: on out-of-fold predictions of the train pairs, SUPPORTS /
# COUNTERS verdicts at >= 0.7 are right 61% of the time (79 of 355 pairs), at >= 0.85 69% (29),
# at >= 0.9 75% (16), hence 0.9; the structural checks below come on top. A lower bar for
# counters (0.75), which pass four more checks, let through 4 wrong counters in 10 in the
# judged demo sample (docs/evidence.md). (v1 used 0.8 with MiniLM and 0.7 with USE.) The
# weights and this bar hold for the default encoder (USE); another needs retraining.
MIN_PROBABILITY = {SUPPORTS: 0.9, COUNTERS: 0.9}


def min_probability(relation: str | None = None) -> float:
    """The relation probability a model link of ``relation`` needs (None: the lowest bar of
    any link)."""
    if relation is None:
        return min(MIN_PROBABILITY.values())
    return MIN_PROBABILITY[relation]


# The structure a link must agree with (issue 10). Chosen by a blind judgment of a sample of
# the demo store's links (docs/evidence.md): a counter between claims that do not take
# opposite sides, or about different phenomena, was the commonest wrong link.
MIN_PHENOMENON = 0.5  # same_phenomenon() of the pair
MIN_STANCE = 0.45  # probability of the stance each side of a counter takes (its most likely)
# A counter also needs the two claims on opposite sides of a debate axis (relation_cues.yaml):
# the cues and the stance model must agree that the claims disagree.
COUNTER_NEEDS_AXIS = True
# At most this many model COUNTERS per claim (earlier runs' included), the most confident first: a claim
# "countered" by many others was, in the judged sample, a claim whose stance was misread.
MAX_COUNTERS_PER_CLAIM = 1
DUPLICATE_COSINE = 0.95  # a restatement of the same claim is not evidence for it


def agrees(
    pred: Prediction,
    phenomenon: float,
    pa: Sequence[float],
    pb: Sequence[float],
    labels_a: Sequence[str] | None,
    labels_b: Sequence[str] | None,
) -> bool:
    """Whether a confident verdict also has the shape of its relation: same phenomenon; a
    COUNTERS pair one side affirming and the other disputing, not on disjoint senses; a
    SUPPORTS pair both on the same side (both affirm or both dispute)."""
    if phenomenon < MIN_PHENOMENON or pred.talking_past:
        return False
    sa, sb = max(range(3), key=lambda k: pa[k]), max(range(3), key=lambda k: pb[k])
    # One side's most likely stance affirms, the other's disputes, each with some confidence.
    opposite = {sa, sb} == {0, 1} and min(pa[sa], pb[sb]) >= MIN_STANCE
    if pred.relation == COUNTERS:
        disjoint = (
            bool(labels_a) and bool(labels_b) and not (set(labels_a or ()) & set(labels_b or ()))
        )
        return opposite and not disjoint
    if pred.relation == SUPPORTS:
        # Both on the same side (both affirm or both dispute): a neutral claim (a definition,
        # a description) is rarely evidence for anything.
        return sa == sb and sa in (0, 1) and min(pa[sa], pb[sb]) >= MIN_STANCE
    return False


def axes_opposed(a: str, b: str) -> bool:
    """Whether the two texts stand on opposite sides of some debate axis."""
    ca, cb = text_info(a).cues, text_info(b).cues
    return bool((ca.side_a & cb.side_b) | (ca.side_b & cb.side_a))


def stance_readings_agree(text: str, probs: Sequence[float]) -> bool:
    """Whether the debate cues (relation_cues.yaml) do not contradict the claim's stance: an
    affirming claim worded like the sceptics, or the reverse, was in the judged sample a
    misread stance. A certain stance (a researcher's decision) is always trusted."""
    side = max(range(3), key=lambda k: probs[k])
    if probs[side] >= 0.999 or side == 2:
        return True
    cue = cue_stance(text)  # sceptic (+) or proponent (-)
    return cue <= 0 if side == 0 else cue >= 0


_CITATION = re.compile(r"\[\d+(?:[,\s\-–]+\d+)*\]")


def _same_claim(a: str, b: str, cos: float) -> bool:
    def norm(t: str) -> str:  # citation markers ("[15]") and punctuation do not count
        return re.sub(r"[\W_]+", "", _CITATION.sub("", t).lower())

    return cos >= DUPLICATE_COSINE or norm(a) == norm(b)


def store_stances(store: Store, claim_ids: Sequence[str]) -> dict[str, tuple[float, float, float]]:
    """Each claim's effective stance as probabilities: a human decision is certain, a machine
    stance its calibrated scores; claims without a stance are left out."""
    out: dict[str, tuple[float, float, float]] = {}
    for cid, row in store.stance_rows(list(claim_ids)).items():
        if row.get("provenance") == HUMAN or not isinstance(row.get("scores"), dict):
            if row.get("stance") in STANCES:
                k = STANCES.index(row["stance"])
                out[cid] = (float(k == 0), float(k == 1), float(k == 2))
            continue
        out[cid] = stance_probs(row["scores"])
    return out


def recall_text_infos(store: Store, texts: Iterable[str]) -> int:
    """Make ``text_info`` of these texts cheap: the ones this process does not have at hand
    are read from the store's saved profiles in bulk, the rest computed once and saved (new
    claims, and stores from before profiles were kept). Returns how many were computed.

    Linking needs the info of every candidate, and every stored text is distinct, so without
    this the cue lexicon would run for up to 4 x K texts per new claim (issue 11)."""
    todo = {t: text_hash(t) for t in dict.fromkeys(texts) if known_text_info(t) is None}
    if not todo:
        return 0
    version = profile_version()
    saved = store.cue_profiles(list(todo.values()), version)
    fresh: list[tuple[str, str]] = []
    for text, key in todo.items():
        raw = saved.get(key)
        info = decode_text_info(raw) if raw is not None else None
        if info is None:
            info = compute_text_info(text)
            fresh.append((key, encode_text_info(info)))
        remember_text_info(text, info)
    if fresh:
        store.put_cue_profiles(version, fresh)
    return len(fresh)


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

    def add(self, read: dict[str, tuple[int, bytes]]) -> None:
        """Vectors already read from the store (by the index's re-scoring)."""
        import numpy as np

        for cid, (doc, vec) in read.items():
            if cid not in self.vecs:
                self.vecs[cid] = np.frombuffer(vec, dtype=np.float32)
                self.docs[cid] = doc

    def stack(self, claim_ids: Sequence[str]) -> np.ndarray:
        import numpy as np

        self.load(claim_ids)
        return np.stack([self.vecs[c] for c in claim_ids])


class _Read:
    """The texts and stances the candidate search read for the current block, so that
    classifying its pairs does not read them again (emptied after each block)."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.stances: dict[str, tuple[float, float, float]] = {}
        self.asked: set[str] = set()  # claims whose stance was looked up (some have none)

    def note(
        self,
        texts: dict[str, str],
        stances: dict[str, tuple[float, float, float]],
        asked: Iterable[str],
    ) -> None:
        self.texts.update(texts)
        self.stances.update(stances)
        self.asked.update(asked)

    def clear(self) -> None:
        self.texts, self.stances, self.asked = {}, {}, set()


def link_claims(
    store: Store,
    claim_ids: Sequence[str],
    progress: Callable[[int], None] = lambda n: None,
    *,
    workers: int | None = None,
) -> int:
    """Link the given (new) claims to the claims in the store; returns the links written.

    ``workers`` processes search and classify blocks of new claims side by side (None: one
    per core when there are several blocks); this process keeps the per-claim cap on
    counters and writes every block's links in block order, so the links are the same as
    with one."""
    ids = list(dict.fromkeys(claim_ids))
    if not ids:
        return 0
    home = _Home(store)
    model_id = identity()
    ensure_embeddings(store, ids)
    vectors = _Vectors(store, model_id)
    read = _Read()
    index = AnnIndex.open(store, model_id)
    search: Search
    if index is None:  # a small store: every stored vector, exactly
        ensure_embeddings(store)  # stored claims from before this feature, curated claims, ...
        matrix = load_matrix(store)
        row_of = {cid: i for i, cid in enumerate(matrix.ids)}
        new = [c for c in ids if c in row_of]
        vectors.vecs = {cid: matrix.vecs[i] for cid, i in row_of.items()}
        all_texts = store.texts(matrix.ids)
        recall_text_infos(store, all_texts.values())
        known = store_stances(store, matrix.ids)
        profiles = Profiles(
            [all_texts[c] for c in matrix.ids], [known.get(c, NO_STANCE) for c in matrix.ids]
        )

        def search(block: list[str]) -> list[list[tuple[str, float]]]:
            read.note(all_texts, known, matrix.ids)
            rows = [row_of[c] for c in block]
            found = top_k(matrix.vecs[rows], matrix.doc_ids[rows], matrix, K, min_similarity())
            extra = _phenomenon_candidates(
                matrix.vecs[rows],
                matrix.doc_ids[rows],
                profiles.rows(rows),
                matrix.vecs,
                matrix.doc_ids,
                profiles,
                [{j for j, _ in hits} for hits in found],
            )
            return [
                [(matrix.ids[j], s) for j, s in [*hits, *more]]
                for hits, more in zip(found, extra, strict=True)
            ]

    else:  # a large one: the nearest-neighbour graph beside the store, plus its delta
        last = store.last_claim_rowid()
        # Claims stored without a vector since the index last looked (not by this stage).
        ensure_embeddings(store, after_rowid=index.meta.claims_rowid)
        index.note_claims_checked(last)
        vectors.load(ids)
        new = [c for c in ids if c in vectors.vecs]

        def search(block: list[str]) -> list[list[tuple[str, float]]]:
            import numpy as np

            docs = [vectors.docs[c] for c in block]
            # A wider neighbourhood, re-ranked by phenomenon and stance: still per claim.
            rescored: dict[str, tuple[int, bytes]] = {}
            wide = index.search(vectors.stack(block), docs, 4 * K, 0.0, rescored)
            vectors.add({c: rescored[c] for hits in wide for c, _d, _s in hits if c in rescored})
            # One read of texts and stances per block (not per claim).
            every = list(dict.fromkeys([*block, *(c for hits in wide for c, _d, _s in hits)]))
            texts = home.store.texts(every)
            recall_text_infos(home.store, texts.values())
            known = store_stances(home.store, every)
            read.note(texts, known, every)
            prof = Profiles([texts[c] for c in every], [known.get(c, NO_STANCE) for c in every])
            row = {c: i for i, c in enumerate(every)}
            out: list[list[tuple[str, float]]] = []
            for q, hits in zip(block, wide, strict=True):
                near = [(cid, s) for cid, _doc, s in hits[:K] if s >= min_similarity()]
                taken = {c for c, _ in near}
                rest = [cid for cid, _doc, _s in hits if cid not in taken]
                if rest:
                    extra = _phenomenon_candidates(
                        vectors.stack([q]),
                        np.asarray([0]),
                        prof.rows([row[q]]),
                        vectors.stack(rest),
                        np.ones(len(rest), dtype=np.int64),  # other documents already
                        prof.rows([row[c] for c in rest]),
                        [set()],
                    )[0]
                    near += [(rest[j], s) for j, s in extra]
                out.append(near)
            return out

    new_set = set(new)
    from emlit.evidence.learn import model_for_store

    model = model_for_store(store.path)  # the store's trained version, else the bundled one
    store.replace_model_links(ids)
    version = f"{model.version}+{model_id}"

    def propose(block: list[str]) -> tuple[list[ModelLink], list[str]]:
        """The block's confident, well-shaped links before the cap, and the claims involved;
        reads the store only."""
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
        try:
            return _classify(home.store, vectors, pairs, model, version, read)
        finally:
            read.clear()

    def reconnect() -> None:  # in a forked worker: a connection of its own, never the parent's
        from emlit.store import Store

        home.store = vectors.store = Store(store.path)
        if index is not None:
            index.store = home.store

    blocks = [new[start : start + BATCH] for start in range(0, len(new), BATCH)]
    written = 0
    counters: dict[str, int] = {}  # model COUNTERS per claim in this run
    done = _in_workers(propose, reconnect, blocks, _workers(workers, store, len(blocks)))
    for block, (links, involved) in zip(blocks, done, strict=True):
        written += _cap_and_store(store, links, involved, counters)
        progress(len(block))
    return written


class _Home:
    """The connection the candidate search reads through (a forked worker swaps in its own)."""

    def __init__(self, store: Store) -> None:
        self.store = store


def _workers(asked: int | None, store: Store, blocks: int) -> int:
    """Processes for the blocks: one unless there are several blocks, a file-backed store
    and fork (Linux); ``asked`` caps it, else the cores do."""
    from emlit.parallel import available_cores, can_fork

    if blocks < 2 or store.path == ":memory:" or not can_fork():
        return 1
    return max(1, min(asked or available_cores(), blocks))


# The block function of the current link_claims call, for forked workers (they inherit it).
_BLOCK_WORK: Callable[[list[str]], tuple[list[ModelLink], list[str]]] | None = None


def _in_workers(
    work: Callable[[list[str]], tuple[list[ModelLink], list[str]]],
    reconnect: Callable[[], None],
    blocks: list[list[str]],
    workers: int,
) -> Iterable[tuple[list[ModelLink], list[str]]]:
    """``work`` of each block, in block order: here, or in forked processes that each read
    the store on a connection of their own (the model, vectors and index they inherit)."""
    global _BLOCK_WORK
    if workers <= 1:
        yield from map(work, blocks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _BLOCK_WORK = work
    try:
        with ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork"), initializer=reconnect
        ) as pool:
            yield from pool.map(_run_block, blocks)
    finally:
        _BLOCK_WORK = None


def _run_block(block: list[str]) -> tuple[list[ModelLink], list[str]]:
    assert _BLOCK_WORK is not None  # set by _in_workers before the fork
    return _BLOCK_WORK(block)


def _phenomenon_candidates(
    q_vecs: np.ndarray,
    q_docs: np.ndarray,
    q_prof: Profiles,
    vecs: np.ndarray,
    docs: np.ndarray,
    prof: Profiles,
    taken: list[set[int]],
) -> list[list[tuple[int, float]]]:
    """Per query: up to K_PHENOMENON more rows (other documents, not ``taken``) that share a
    phenomenon or stand on the other side of a debate axis, best combined score first;
    (row, cosine)."""
    import numpy as np

    cos = q_vecs @ vecs.T
    bonus = q_prof.bonus(prof)
    score = np.where(bonus > 0, cos + bonus, -np.inf)
    score[q_docs[:, None] == docs[None, :]] = -np.inf
    out: list[list[tuple[int, float]]] = []
    for i in range(len(q_vecs)):
        row = score[i]
        for j in taken[i]:
            row[j] = -np.inf
        k = min(K_PHENOMENON, int(np.isfinite(row).sum()))
        if k <= 0:
            out.append([])
            continue
        part = np.argpartition(-row, k - 1)[:k]
        part = part[np.argsort(-row[part])]
        out.append([(int(j), float(cos[i, j])) for j in part])
    return out


def _classify(
    store: Store,
    vectors: _Vectors,
    pairs: list[tuple[str, str]],
    model: RelationModel,
    version: str,
    read: _Read | None = None,
) -> tuple[list[ModelLink], list[str]]:
    """The pairs' links that are confident and have the shape of their relation (before the
    per-claim cap), and the claims involved."""
    import numpy as np

    if not pairs:
        return [], []
    involved = sorted({c for p in pairs for c in p})
    read = read or _Read()
    texts = (
        {c: read.texts[c] for c in involved}
        if all(c in read.texts for c in involved)
        else store.texts(involved)
    )
    labels = store.labels_for(involved)
    a_ids = [a for a, _ in pairs]
    b_ids = [b for _, b in pairs]
    a_vecs = vectors.stack(a_ids)
    b_vecs = vectors.stack(b_ids)
    lab = [labels[c] or None for c in a_ids], [labels[c] or None for c in b_ids]
    known = (
        {c: read.stances[c] for c in involved if c in read.stances}
        if read.asked.issuperset(involved)
        else store_stances(store, involved)
    )
    missing = [c for c in involved if c not in known]
    if missing:  # claims stored without a stance: the stance model's, as for bare texts
        from emlit.evidence.model import predicted_stances

        known.update(zip(missing, predicted_stances([texts[c] for c in missing]), strict=True))
    st = [known[c] for c in a_ids], [known[c] for c in b_ids]
    fwd = model.predict(
        [texts[c] for c in a_ids], [texts[c] for c in b_ids], a_vecs, b_vecs, *lab, *st
    )
    bwd = model.predict(
        [texts[c] for c in b_ids],
        [texts[c] for c in a_ids],
        b_vecs,
        a_vecs,
        lab[1],
        lab[0],
        st[1],
        st[0],
    )
    cos = np.einsum("ij,ij->i", a_vecs, b_vecs)
    links = []
    decided = store.decided_pairs(involved)
    for i, (a, b, f, r) in enumerate(zip(a_ids, b_ids, fwd, bwd, strict=True)):
        if (a, b) in decided or (b, a) in decided:
            continue  # the map or a researcher already decided on this pair
        # The direction in which the classifier is surer that there is evidence at all.
        if 1 - r.probs["UNRELATED"] > 1 - f.probs["UNRELATED"]:
            a, b, f = b, a, r
        if f.relation == UNRELATED or f.score < min_probability(f.relation):
            continue
        if _same_claim(texts[a], texts[b], float(cos[i])):
            continue
        phen = same_phenomenon(texts[a], texts[b], float(cos[i]))
        if not agrees(f, phen, known[a], known[b], labels[a] or None, labels[b] or None):
            continue
        if f.relation == COUNTERS and COUNTER_NEEDS_AXIS and not axes_opposed(texts[a], texts[b]):
            continue
        if not (
            stance_readings_agree(texts[a], known[a]) and stance_readings_agree(texts[b], known[b])
        ):
            continue
        links.append(ModelLink(a, b, f.relation, round(f.score, 4), version))
    return links, involved


def _cap_and_store(
    store: Store, links: list[ModelLink], involved: list[str], counters: dict[str, int]
) -> int:
    """Write a block's links, the most confident first, keeping at most
    MAX_COUNTERS_PER_CLAIM model counters per claim (``counters``: this run's so far)."""
    if not links:
        return 0
    # Counters the model suggested for these claims in earlier runs count too.
    for cid, n in store.model_link_counts(involved, COUNTERS).items():
        counters[cid] = max(counters.get(cid, 0), n)
    kept = []
    for link in sorted(links, key=lambda ln: -ln.score):
        if link.relation == COUNTERS:
            ends = (counters.get(link.source, 0), counters.get(link.target, 0))
            if max(ends) >= MAX_COUNTERS_PER_CLAIM:
                continue
            counters[link.source] = ends[0] + 1
            counters[link.target] = ends[1] + 1
        kept.append(link)
    store.add_model_links(kept)
    return len(kept)
