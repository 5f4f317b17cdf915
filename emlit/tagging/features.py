"""Feature rows for the tagger heads: cue counts, character n-grams, sentence embeddings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emlit.tagging.cues import CueHit, cue_counts
from emlit.tagging.lexicon import load_lexicon

if TYPE_CHECKING:
    import numpy as np

# Cue features are few and hand-written; scaling them up lets the regularised heads lean on
# them, which is what carries the tagger to wordings the development set never used.
CUE_WEIGHT = 2.0
EMB_WEIGHT = 2.0


def cue_matrix(hits: list[list[CueHit]], weight: float = CUE_WEIGHT) -> np.ndarray:
    import numpy as np

    groups = load_lexicon().groups
    out = np.zeros((len(hits), len(groups)), dtype=np.float32)
    for i, row in enumerate(hits):
        counts = cue_counts(row)
        for j, group in enumerate(groups):
            out[i, j] = min(counts[group], 2) * weight
    return out


def make_vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Characters work for both scripts: Chinese words are 1-3 characters, and English
    # 2-4-grams catch stems ("train", "sudden") without a lemmatiser.
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(1, 4), min_df=2, sublinear_tf=True, lowercase=True
    )


def knn_votes(
    query: np.ndarray,
    train: np.ndarray,
    labels: list[tuple[str, ...]],
    k: int,
    query_works: list[str] | None = None,
    train_works: list[str] | None = None,
) -> np.ndarray:
    """Per text, the similarity-weighted share of its ``k`` nearest training items (by
    embedding cosine) that use each definition, and that use none: columns D1..D6, none.

    With works given, an item's neighbours are never from its own work, so the votes a head
    is fitted on look like those of a text from a work it has not seen."""
    import numpy as np

    from emlit.vocab import DEFINITIONS

    lab = np.array(
        [[lab in labs for lab in DEFINITIONS] + [not labs] for labs in labels], dtype=np.float32
    )
    if len(train) == 0 or len(query) == 0:
        return np.zeros((len(query), lab.shape[1]), dtype=np.float32)
    sims = query @ train.T
    if query_works is not None and train_works is not None:
        same = np.array(query_works)[:, None] == np.array(train_works)[None, :]
        sims = np.where(same, -1.0, sims)
    k = min(k, train.shape[0])
    idx = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    top = np.clip(np.take_along_axis(sims, idx, axis=1), 0.0, None)
    w = top / np.maximum(top.sum(axis=1, keepdims=True), 1e-9)
    return np.asarray(np.einsum("qk,qkc->qc", w, lab[idx]), dtype=np.float32)


def stack(
    cues: np.ndarray | None,
    ngrams: Any | None,
    emb: np.ndarray | None,
    emb_weight: float = EMB_WEIGHT,
    extra: np.ndarray | None = None,
) -> Any:
    """The feature row of each text: the parts a recipe uses (None: left out)."""
    from scipy import sparse

    parts = []
    if cues is not None:
        parts.append(sparse.csr_matrix(cues))
    if ngrams is not None:
        parts.append(ngrams)
    if emb is not None:
        parts.append(sparse.csr_matrix(emb * emb_weight))
    if extra is not None:
        parts.append(sparse.csr_matrix(extra))
    return sparse.hstack(parts).tocsr()
