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


def cue_matrix(hits: list[list[CueHit]]) -> np.ndarray:
    import numpy as np

    groups = load_lexicon().groups
    out = np.zeros((len(hits), len(groups)), dtype=np.float32)
    for i, row in enumerate(hits):
        counts = cue_counts(row)
        for j, group in enumerate(groups):
            out[i, j] = min(counts[group], 2) * CUE_WEIGHT
    return out


def make_vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Characters work for both scripts: Chinese words are 1-3 characters, and English
    # 2-4-grams catch stems ("train", "sudden") without a lemmatiser.
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(1, 4), min_df=2, sublinear_tf=True, lowercase=True
    )


def stack(cues: np.ndarray, ngrams: Any, emb: np.ndarray) -> Any:
    from scipy import sparse

    parts = [sparse.csr_matrix(cues), ngrams, sparse.csr_matrix(emb * EMB_WEIGHT)]
    return sparse.hstack(parts).tocsr()
