"""The relation classifier: SUPPORTS / COUNTERS / UNRELATED from pair features.

A multinomial logistic regression over the features of emlit.evidence.features, trained on
the train split of corpus/devset/pairs.jsonl by ``python -m emlit.evidence.train``; its
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
from emlit.evidence.features import FEATURES, embedding_stance, pair_features

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


class StaleWeightsWarning(UserWarning):
    """The relation weights were fitted with other cue data than the one in use."""


@dataclass(frozen=True)
class Prediction:
    relation: str
    score: float  # probability of ``relation``
    probs: dict[str, float]


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
    ) -> list[Prediction]:
        import numpy as np

        if not a_texts:
            return []
        cos = np.einsum("ij,ij->i", a_vecs, b_vecs)
        sa, sb = self.stance(a_vecs), self.stance(b_vecs)
        rows = [
            pair_features(
                a,
                b,
                float(cos[i]),
                float(sa[i]),
                float(sb[i]),
                a_labels[i] if a_labels else None,
                b_labels[i] if b_labels else None,
            )
            for i, (a, b) in enumerate(zip(a_texts, b_texts, strict=True))
        ]
        probs = self.probabilities(np.asarray(rows, dtype=np.float64))
        out = []
        for p in probs:
            k = int(p.argmax())
            out.append(
                Prediction(
                    self.classes[k],
                    float(p[k]),
                    {c: float(v) for c, v in zip(self.classes, p, strict=True)},
                )
            )
        return out


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


def classify_texts(a_texts: Sequence[str], b_texts: Sequence[str]) -> list[Prediction]:
    """Encode and classify text pairs (the ``emlit relate`` path: no store, no labels)."""
    from emlit.encoder import get_encoder

    model = load_model()
    uniq = sorted(set(a_texts) | set(b_texts))
    vecs = get_encoder().encode(uniq)
    index = {t: i for i, t in enumerate(uniq)}
    a_vecs = vecs[[index[t] for t in a_texts]]
    b_vecs = vecs[[index[t] for t in b_texts]]
    return model.predict(a_texts, b_texts, a_vecs, b_vecs)
