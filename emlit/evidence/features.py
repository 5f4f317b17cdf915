"""Pair features for the relation classifier: what the embedding, the words and the cues say.

Per-text work (embedding, cues, word sets) is done once per text; a pair only combines them,
so thousands of candidate pairs cost little beyond their embeddings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from emlit.evidence.cues import TextCues

# A text's cues and words: memoised per process and saved in the store (emlit.evidence.profile).
from emlit.evidence.profile import TextInfo as TextInfo
from emlit.evidence.profile import text_info

if TYPE_CHECKING:
    import numpy as np

FEATURES = (
    "cos",
    "lex",
    "topic_jaccard",
    "topic_shared",
    "related",
    "cross_lang",
    "zh_any",
    "axis_opposed",
    "axis_same",
    "opposed_x_related",
    "same_x_related",
    "stance_product",
    "stance_gap",
    "emb_stance_product",
    "emb_stance_gap",
    "negation_gap",
    "contrast_a",
    "contrast_b",
    "definition_jaccard",
    "definition_disjoint",
    # Stance (contract 9) and the phenomenon: real disagreement is opposite stance toward one
    # shared phenomenon, which surface similarity does not see (issue 10).
    "stance_opposed",
    "stance_same",
    "stance_neutral",
    "opposed_x_related_v2",
    "same_x_related_v2",
    "opposed_x_shared_sense",
    "opposed_x_disjoint_sense",
    "phenomenon",
    "opposed_x_phenomenon",
    "same_x_phenomenon",
    "neutral_x_phenomenon",
    "disputes_gap",
    "affirms_gap",
)

# Topics too common in this literature to say that two claims are about one phenomenon.
GENERIC_TOPICS = frozenset({"emergence", "scale", "definition"})
# Stance probabilities (affirms, disputes, neutral) when none is known: no information.
NO_STANCE = (1 / 3, 1 / 3, 1 / 3)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _stance(c: TextCues) -> float:
    """Skeptic (+) or proponent (-): the axis sides a claim takes, then the lexicons."""
    return math.tanh(0.7 * (len(c.side_a) - len(c.side_b)) + 0.4 * (c.skeptic - c.proponent))


def cue_stance(text: str) -> float:
    """Where the debate cues put a text: sceptic (+1) to proponent (-1), 0 when they say nothing."""
    return _stance(text_info(text).cues)


def same_phenomenon(a: str, b: str, cos: float) -> float:
    """0..1: how surely the two claims are about one phenomenon (ability, task, explanation,
    piece of evidence): shared specific debate topics, or close embeddings."""
    shared = (text_info(a).cues.topics & text_info(b).cues.topics) - GENERIC_TOPICS
    return max(min(len(shared), 2) / 2, min(max((cos - 0.2) / 0.4, 0.0), 1.0))


def stance_relation(pa: Sequence[float], pb: Sequence[float]) -> tuple[float, float, float]:
    """(opposed, same, some side neutral) probabilities from two stance distributions
    (affirms, disputes, neutral), the stances taken as independent."""
    opposed = pa[0] * pb[1] + pa[1] * pb[0]
    same = pa[0] * pb[0] + pa[1] * pb[1]
    neutral = pa[2] + pb[2] - pa[2] * pb[2]
    return opposed, same, neutral


def pair_features(
    a: str,
    b: str,
    cos: float,
    emb_stance_a: float,
    emb_stance_b: float,
    labels_a: Sequence[str] | None = None,
    labels_b: Sequence[str] | None = None,
    stance_a: Sequence[float] = NO_STANCE,
    stance_b: Sequence[float] = NO_STANCE,
) -> list[float]:
    """The feature vector (in FEATURES order) for "does ``a`` support or counter ``b``";
    ``stance_a``/``stance_b`` are (affirms, disputes, neutral) probabilities of each claim."""
    ia, ib = text_info(a), text_info(b)
    ca, cb = ia.cues, ib.cues
    lex = (
        len(ia.terms & ib.terms) / math.sqrt(len(ia.terms) * len(ib.terms))
        if ia.terms and ib.terms
        else 0.0
    )
    topic_j = _jaccard(ca.topics, cb.topics)
    related = max(cos, lex, topic_j)
    opposed = same = 0
    # Only the axes both texts take a side on can count (reading the lexicon's list of axes
    # for every pair cost more than the rest of this function).
    for name in (ca.side_a | ca.side_b) & (cb.side_a | cb.side_b):
        a_side = (name in ca.side_a) - (name in ca.side_b)
        b_side = (name in cb.side_a) - (name in cb.side_b)
        if a_side and b_side:
            if a_side == b_side:
                same += 1
            else:
                opposed += 1
    sa, sb = _stance(ca), _stance(cb)
    defs_a = frozenset(labels_a) if labels_a is not None else ca.definitions
    defs_b = frozenset(labels_b) if labels_b is not None else cb.definitions
    opp, same_st, neutral = stance_relation(stance_a, stance_b)
    phen = same_phenomenon(a, b, cos)
    shared_sense = float(bool(defs_a & defs_b))
    disjoint = float(bool(defs_a) and bool(defs_b) and not (defs_a & defs_b))
    return [
        cos,
        lex,
        topic_j,
        min(len(ca.topics & cb.topics), 4) / 4,
        related,
        float(ia.zh != ib.zh),
        float(ia.zh or ib.zh),
        min(opposed, 2) / 2,
        min(same, 2) / 2,
        min(opposed, 2) / 2 * related,
        min(same, 2) / 2 * related,
        sa * sb,
        abs(sa - sb),
        emb_stance_a * emb_stance_b,
        abs(emb_stance_a - emb_stance_b),
        abs(math.tanh(ca.negation) - math.tanh(cb.negation)),
        min(ca.contrast, 2) / 2,
        min(cb.contrast, 2) / 2,
        _jaccard(defs_a, defs_b),
        disjoint,
        opp,
        same_st,
        neutral,
        opp * related,
        same_st * related,
        opp * shared_sense,
        opp * disjoint,  # opposite stance on different senses: talking past each other
        phen,
        opp * phen,
        same_st * phen,
        neutral * phen,
        abs(stance_a[1] - stance_b[1]),
        abs(stance_a[0] - stance_b[0]),
    ]


def embedding_stance(vecs: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Where each embedding lies on the proponent -> skeptic direction (roughly -1..1)."""
    import numpy as np

    return np.tanh(6.0 * (vecs @ direction)).astype(np.float32)
