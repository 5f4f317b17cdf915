"""Candidate pairs by phenomenon and opposite stance, beside embedding neighbours (issue 10).

The counter to a claim is often lexically far from it ("the metric makes it look sudden"
against "near-random until a threshold"), so the nearest embeddings miss it. A candidate's
rank here adds to its cosine a bonus for sharing a specific debate topic with the claim (the
same phenomenon: a task, an explanation, a piece of evidence; emlit.evidence.cues topics,
the generic ones left out) and a further bonus when the two claims' stances are opposed on
it. ``bench/bench_candidates.py`` reports recall@k of true COUNTERS pairs with and without.

Per claim the work is one pass over the claims searched (a dot product and a set
intersection each), as the exact embedding search already does; the index path re-ranks
the neighbours it gets, so linking stays linear in the number of new claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from emlit.evidence.features import GENERIC_TOPICS, stance_relation, text_info

if TYPE_CHECKING:
    import numpy as np

# Chosen on the train split of pairs_v2 only (bench/bench_candidates.py --tune): the weight of
# a shared specific topic and of an opposed stance on it, in units of cosine.
PHENOMENON_BONUS = 0.1
OPPOSED_BONUS = 0.25
AXIS_BONUS = 0.3


def axis_sides(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The debate axes (relation_cues.yaml) on whose first / second side the text stands."""
    c = text_info(text).cues
    return c.side_a, c.side_b


def axes_opposed(
    a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]
) -> float:
    """0, 0.5 or 1: on how many axes (at most 2) the two texts stand on opposite sides."""
    n = len((a[0] & b[1]) | (a[1] & b[0]))
    return min(n, 2) / 2


def specific_topics(text: str) -> frozenset[str]:
    """The debate topics of a text that name a phenomenon (not "emergence" or "scale")."""
    return text_info(text).cues.topics - GENERIC_TOPICS


def phenomenon_shared(a: frozenset[str], b: frozenset[str]) -> float:
    return min(len(a & b), 2) / 2


def combined_scores(
    q_vec: np.ndarray,
    q_topics: frozenset[str],
    q_stance: Sequence[float],
    vecs: np.ndarray,
    topics: Sequence[frozenset[str]],
    stances: Sequence[Sequence[float]],
    phenomenon_bonus: float = PHENOMENON_BONUS,
    opposed_bonus: float = OPPOSED_BONUS,
    q_axes: tuple[frozenset[str], frozenset[str]] | None = None,
    axes: Sequence[tuple[frozenset[str], frozenset[str]]] | None = None,
    axis_bonus: float = AXIS_BONUS,
) -> np.ndarray:
    """Cosine + bonus x shared phenomenon + bonus x P(opposed stance) x shared phenomenon."""
    import numpy as np

    cos = vecs @ q_vec
    phen = np.fromiter(
        (phenomenon_shared(q_topics, t) for t in topics), dtype=np.float32, count=len(topics)
    )
    opp = np.fromiter(
        (stance_relation(q_stance, s)[0] for s in stances), dtype=np.float32, count=len(stances)
    )
    out: np.ndarray = cos + phenomenon_bonus * phen + opposed_bonus * opp * phen
    if axis_bonus and q_axes is not None and axes is not None:
        ax = np.fromiter((axes_opposed(q_axes, x) for x in axes), dtype=np.float32, count=len(axes))
        out = out + axis_bonus * ax
    return out


def top_candidates(scores: np.ndarray, k: int, exclude: Sequence[int] = ()) -> list[int]:
    """Indices of the ``k`` best scores, best first, ``exclude`` left out."""
    import numpy as np

    s = scores.astype(np.float64, copy=True)
    for i in exclude:
        s[i] = -np.inf
    k = min(k, int(np.isfinite(s).sum()))
    if k <= 0:
        return []
    part = np.argpartition(-s, k - 1)[:k]
    return [int(i) for i in part[np.argsort(-s[part])]]


class Profiles:
    """Per claim, as matrices: specific topics, debate-axis sides and stance probabilities,
    so the bonuses of a block of claims against many are a few matrix products."""

    def __init__(self, texts: Sequence[str], stances: Sequence[Sequence[float]]) -> None:
        import numpy as np

        from emlit.evidence.cues import relation_lexicon

        lex = relation_lexicon()
        topic_names = [t for t in lex.topics if t not in GENERIC_TOPICS]
        axis_names = [a[0] for a in lex.axes]
        n = len(texts)
        self.topics = np.zeros((n, len(topic_names)), dtype=np.float32)
        self.side_a = np.zeros((n, len(axis_names)), dtype=np.float32)
        self.side_b = np.zeros((n, len(axis_names)), dtype=np.float32)
        for i, text in enumerate(texts):
            cues = text_info(text).cues
            for j, name in enumerate(topic_names):
                self.topics[i, j] = name in cues.topics
            for j, name in enumerate(axis_names):
                self.side_a[i, j] = name in cues.side_a
                self.side_b[i, j] = name in cues.side_b
        self.stances = np.asarray(stances, dtype=np.float32).reshape(n, 3)

    def rows(self, idx: Sequence[int]) -> Profiles:
        out = Profiles.__new__(Profiles)
        out.topics, out.side_a, out.side_b, out.stances = (
            self.topics[idx],
            self.side_a[idx],
            self.side_b[idx],
            self.stances[idx],
        )
        return out

    def phenomenon(self, other: Profiles) -> np.ndarray:
        """(self x other): shared specific topics, 0, 0.5 or 1."""
        import numpy as np

        out: np.ndarray = np.minimum(self.topics @ other.topics.T, 2.0) / 2.0
        return out

    def opposed(self, other: Profiles) -> np.ndarray:
        """(self x other): probability that one affirms and the other disputes."""
        import numpy as np

        p, q = self.stances, other.stances
        out: np.ndarray = np.outer(p[:, 0], q[:, 1]) + np.outer(p[:, 1], q[:, 0])
        return out

    def axes_opposed(self, other: Profiles) -> np.ndarray:
        import numpy as np

        n = self.side_a @ other.side_b.T + self.side_b @ other.side_a.T
        out: np.ndarray = np.minimum(n, 2.0) / 2.0
        return out

    def bonus(self, other: Profiles) -> np.ndarray:
        """What ``combined_scores`` adds to the cosine, for every (self, other) pair."""
        phen = self.phenomenon(other)
        out: np.ndarray = (
            PHENOMENON_BONUS * phen
            + OPPOSED_BONUS * self.opposed(other) * phen
            + AXIS_BONUS * self.axes_opposed(other)
        )
        return out
