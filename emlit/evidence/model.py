"""The relation classifier: SUPPORTS / COUNTERS / UNRELATED from pair features.

A multinomial logistic regression over the features of emlit.evidence.features (surface
similarity and cues, and since issue 10 the two claims' stances, their senses and a "same
phenomenon" signal), trained on the train split of corpus/devset/pairs_v2.jsonl by
``python -m emlit.evidence.train``; its
weights ship as relation_weights.json, so prediction needs numpy only (no sklearn at run time).
The weights file records a hash of the training rows and of the cue data
(corpus/lexicon/relation_cues.yaml) they were fitted with; the model's version names the cue
data in use, and loading warns when it is not the data the weights were fitted with.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from emlit.errors import EmlitError
from emlit.evidence.cues import relation_lexicon
from emlit.evidence.features import FEATURES, NO_STANCE, embedding_stance, pair_features
from emlit.vocab import STANCES

if TYPE_CHECKING:
    import numpy as np

WEIGHTS_PATH = Path(__file__).with_name("relation_weights.json")

# Sentences that sit at the two ends of the debate; their embedding centroids give the
# stance direction (skeptic minus proponent).
PROPONENT_PROTOTYPES = (
    "Large language models suddenly acquire new abilities at a critical scale.",
    "Emergent abilities appear unpredictably and cannot be extrapolated from smaller models.",
    "The model shows capabilities it was never trained for.",
    "Performance jumps sharply from random to far above random as models grow.",
    "Scaling unlocks qualitatively new behaviour such as reasoning.",
)
SKEPTIC_PROTOTYPES = (
    "The apparent emergent abilities are a mirage caused by the choice of metric.",
    "With continuous metrics performance improves smoothly and predictably with scale.",
    "The abilities come from the training data and in-context learning, not from anything new.",
    "Models fail on slight variations of the task, so they rely on memorised patterns.",
    "There is no evidence the task was absent from the training data.",
)


# Where a bare text's senses (D1-D6) come from when no labels are given: the relation cue
# lexicon's per-definition reading (the shipped weights) or the definition tagger's labels.
# The weights record which ("senses"), so training and prediction read senses alike.
SENSES = ("lexicon", "tagger")


class StaleWeightsWarning(UserWarning):
    """The relation weights were fitted with other cue data than the one in use."""


# A claim's stance as the relation model reads it: probabilities in STANCES order
# (affirms, disputes, neutral).
StanceProbs = Sequence[float]


@dataclass(frozen=True)
class Prediction:
    relation: str
    score: float  # probability of ``relation``
    probs: dict[str, float]
    # Opposite stances on disjoint senses: the two claims talk past each other (issue 10);
    # whatever the relation, such a pair is no evidence inside one sense.
    talking_past: bool = False


def stance_probs(scores: dict[str, float] | None) -> tuple[float, float, float]:
    """Stance scores (contract 9) as a probability triple; None -> no information."""
    if not scores:
        return NO_STANCE
    vals = [max(float(scores.get(s, 0.0)), 0.0) for s in STANCES]
    total = sum(vals)
    return NO_STANCE if total <= 0 else (vals[0] / total, vals[1] / total, vals[2] / total)


def predicted_stances(texts: Sequence[str]) -> list[tuple[float, float, float]]:
    """The stance model's probabilities for bare texts (the ``emlit relate`` path)."""
    from emlit.stance.model import get_stance_model

    if not texts:
        return []
    return [stance_probs(r.scores) for r in get_stance_model().predict(list(texts))]


def tagged_senses(texts: Sequence[str]) -> dict[str, list[str]]:
    """The definition tagger's labels of each distinct text (one batch; the tagger runs on the
    process's shared encoder, so this loads no second model)."""
    from emlit.tagging.stage import get_tagger

    distinct = sorted(set(texts))
    if not distinct:
        return {}
    return {t: r.labels for t, r in zip(distinct, get_tagger().tag(distinct), strict=True)}


def fill_labels(
    senses: str,
    a_texts: Sequence[str],
    b_texts: Sequence[str],
    a_labels: Sequence[Sequence[str] | None] | None,
    b_labels: Sequence[Sequence[str] | None] | None,
) -> tuple[list[Sequence[str] | None], list[Sequence[str] | None]]:
    """The given labels; with ``senses == "tagger"`` the tagger's for the texts that have none
    (None stays None with "lexicon": pair_features then reads the cue lexicon)."""
    la: list[Sequence[str] | None] = list(a_labels) if a_labels else [None] * len(a_texts)
    lb: list[Sequence[str] | None] = list(b_labels) if b_labels else [None] * len(b_texts)
    if senses == "tagger":
        todo = [t for t, lab in zip(a_texts, la, strict=True) if lab is None]
        todo += [t for t, lab in zip(b_texts, lb, strict=True) if lab is None]
        tags = tagged_senses(todo)
        la = [tags[t] if lab is None else lab for t, lab in zip(a_texts, la, strict=True)]
        lb = [tags[t] if lab is None else lab for t, lab in zip(b_texts, lb, strict=True)]
    return la, lb


def _talking_past(
    pa: StanceProbs, pb: StanceProbs, defs_a: frozenset[str], defs_b: frozenset[str]
) -> bool:
    sa, sb = max(range(3), key=lambda k: pa[k]), max(range(3), key=lambda k: pb[k])
    opposite = {sa, sb} == {0, 1}  # one affirms, the other disputes
    return opposite and bool(defs_a) and bool(defs_b) and not (defs_a & defs_b)


class RelationModel:
    """Weights plus the stance direction; ``predict`` takes texts and their embeddings."""

    def __init__(self, data: dict) -> None:
        import numpy as np

        if list(data.get("features", [])) != list(FEATURES):
            raise EmlitError(f"{WEIGHTS_PATH}: feature list does not match this version; retrain")
        self.classes: list[str] = list(data["classes"])
        self.mean = np.asarray(data["mean"], dtype=np.float64)
        self.scale = np.asarray(data["scale"], dtype=np.float64)
        self.coef = np.asarray(data["coef"], dtype=np.float64)
        self.intercept = np.asarray(data["intercept"], dtype=np.float64)
        self.direction = np.asarray(data["stance_direction"], dtype=np.float32)
        self.senses: str = data.get("senses", "lexicon")  # weights from before: the lexicon
        if self.senses not in SENSES:
            raise EmlitError(
                f"{WEIGHTS_PATH.name}: senses must be one of {', '.join(SENSES)}, "
                f"not {self.senses!r}"
            )
        cues = relation_lexicon()
        # Links record this, so links made with other cue data can be told apart.
        self.version: str = f"{data.get('version', 'relation-v1')}+cues.{cues.digest[:8]}"
        if data.get("relation_cues_sha256") != cues.digest:
            warnings.warn(
                f"{WEIGHTS_PATH.name} was fitted with other cue data than {cues.path}; "
                "retrain: python -m emlit.evidence.train",
                StaleWeightsWarning,
                stacklevel=2,
            )

    def stance(self, vecs: np.ndarray) -> np.ndarray:
        if vecs.shape[1] != len(self.direction):  # weights fitted with another encoder
            raise EmlitError(
                f"{WEIGHTS_PATH.name}: fitted on {len(self.direction)}-dimensional embeddings, "
                f"the encoder gives {vecs.shape[1]}; retrain with this EMLIT_ENCODER: "
                "python -m emlit.evidence.train"
            )
        return embedding_stance(vecs, self.direction)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        import numpy as np

        z = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(
        self,
        a_texts: Sequence[str],
        b_texts: Sequence[str],
        a_vecs: np.ndarray,
        b_vecs: np.ndarray,
        a_labels: Sequence[Sequence[str] | None] | None = None,
        b_labels: Sequence[Sequence[str] | None] | None = None,
        a_stances: Sequence[StanceProbs | None] | None = None,
        b_stances: Sequence[StanceProbs | None] | None = None,
    ) -> list[Prediction]:
        """``a_stances``/``b_stances``: each claim's (affirms, disputes, neutral) probabilities
        (the store's effective stance); a missing one is predicted by the stance model.
        ``a_labels``/``b_labels``: each claim's senses (the store's tags); a missing one is
        read as the weights say (``senses``: the cue lexicon, or the tagger)."""
        import numpy as np

        from emlit.evidence.features import text_info

        if not a_texts:
            return []
        pa = _fill_stances(a_texts, a_stances)
        pb = _fill_stances(b_texts, b_stances)
        a_labels, b_labels = fill_labels(self.senses, a_texts, b_texts, a_labels, b_labels)
        cos = np.einsum("ij,ij->i", a_vecs, b_vecs)
        sa, sb = self.stance(a_vecs), self.stance(b_vecs)
        rows = []
        past = []
        for i, (a, b) in enumerate(zip(a_texts, b_texts, strict=True)):
            la, lb = a_labels[i], b_labels[i]
            rows.append(
                pair_features(a, b, float(cos[i]), float(sa[i]), float(sb[i]), la, lb, pa[i], pb[i])
            )
            defs_a = frozenset(la) if la is not None else text_info(a).cues.definitions
            defs_b = frozenset(lb) if lb is not None else text_info(b).cues.definitions
            past.append(_talking_past(pa[i], pb[i], defs_a, defs_b))
        probs = self.probabilities(np.asarray(rows, dtype=np.float64))
        out = []
        for p, tp in zip(probs, past, strict=True):
            k = int(p.argmax())
            out.append(
                Prediction(
                    self.classes[k],
                    float(p[k]),
                    {c: float(v) for c, v in zip(self.classes, p, strict=True)},
                    tp,
                )
            )
        return out


def _fill_stances(
    texts: Sequence[str], given: Sequence[StanceProbs | None] | None
) -> list[StanceProbs]:
    """The given stances, the stance model's for the texts that have none."""
    have: list[StanceProbs | None] = list(given) if given is not None else [None] * len(texts)
    missing = [i for i, s in enumerate(have) if s is None]
    if missing:
        for i, probs in zip(missing, predicted_stances([texts[i] for i in missing]), strict=True):
            have[i] = probs
    return [s if s is not None else NO_STANCE for s in have]


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> RelationModel:
    where = Path(path) if path else WEIGHTS_PATH
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EmlitError(
            f"{where}: cannot read relation weights ({exc.strerror}); run python -m emlit.evidence.train"
        ) from None
    except json.JSONDecodeError as exc:
        raise EmlitError(f"{where}: not valid JSON ({exc.msg})") from None
    return RelationModel(data)


def classify_texts(
    a_texts: Sequence[str], b_texts: Sequence[str], model: RelationModel | None = None
) -> list[Prediction]:
    """Encode and classify text pairs (the ``emlit relate`` path: no store, no labels; the
    stances come from the stance model, each distinct text predicted once; the senses as the
    weights say). ``model``: other weights than the shipped ones (comparisons)."""
    from emlit.encoder import get_encoder

    model = model or load_model()
    uniq = sorted(set(a_texts) | set(b_texts))
    vecs = get_encoder().encode(uniq)
    index = {t: i for i, t in enumerate(uniq)}
    stances = predicted_stances(uniq)
    a_vecs = vecs[[index[t] for t in a_texts]]
    b_vecs = vecs[[index[t] for t in b_texts]]
    return model.predict(
        a_texts,
        b_texts,
        a_vecs,
        b_vecs,
        a_stances=[stances[index[t]] for t in a_texts],
        b_stances=[stances[index[t]] for t in b_texts],
    )
