"""The trained part of the tagger: one calibrated logistic head per definition.

Fitting: 5-fold out-of-fold scores on the training items give each head a Platt scaling
(so scores are calibrated probabilities) and a threshold (the one that maximises F1 on
those out-of-fold scores); then each head is refitted on all training items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from emlit.vocab import DEFINITIONS

C = 3.0
FOLDS = 5


@dataclass
class Head:
    vectorizer: Any
    models: dict[str, Any]  # label -> LogisticRegression on stacked features
    platt: dict[str, tuple[float, float]]  # label -> (a, b): p = sigmoid(a * z + b)
    thresholds: dict[str, float]
    train_ids: list[str] = field(default_factory=list)
    train_labels: list[tuple[str, ...]] = field(default_factory=list)
    train_texts: list[str] = field(default_factory=list)
    train_ngrams: Any = None  # L2-normalised TF-IDF rows, for nearest examples
    train_emb: Any = None  # unit embeddings (zero rows where the encoder cannot read)

    def scores(self, x: Any) -> dict[str, np.ndarray]:
        out = {}
        for label in DEFINITIONS:
            z = self.models[label].decision_function(x)
            a, b = self.platt[label]
            out[label] = 1.0 / (1.0 + np.exp(-(a * z + b)))
        return out


def _logreg() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=2000, solver="liblinear")


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=100.0, solver="lbfgs").fit(z.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    best, best_f1 = 0.5, -1.0
    for t in np.arange(0.3, 0.71, 0.025):
        pred = p >= t
        tp = float(np.sum(pred & (y == 1)))
        f1 = 2 * tp / max(1.0, float(np.sum(pred)) + float(np.sum(y == 1)))
        # Ties go to the threshold nearest 0.5, the calibrated even-odds point.
        if f1 > best_f1 + 1e-9 or (abs(f1 - best_f1) <= 1e-9 and abs(t - 0.5) < abs(best - 0.5)):
            best, best_f1 = float(t), f1
    return round(best, 3)


def fit_head(
    vectorizer: Any,
    features: Any,  # callable(texts, ngram_matrix) -> stacked matrix
    texts: list[str],
    labels: list[tuple[str, ...]],
) -> tuple[dict[str, Any], dict[str, tuple[float, float]], dict[str, float]]:
    from sklearn.model_selection import StratifiedKFold

    x = features(vectorizer.transform(texts))
    models, platt, thresholds = {}, {}, {}
    for label in DEFINITIONS:
        y = np.array([int(label in labs) for labs in labels])
        oof = np.zeros(len(y))
        folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=0)
        for tr, te in folds.split(np.zeros(len(y)), y):
            oof[te] = _logreg().fit(x[tr], y[tr]).decision_function(x[te])
        a, b = _platt(oof, y)
        p = 1.0 / (1.0 + np.exp(-(a * oof + b)))
        models[label] = _logreg().fit(x, y)
        platt[label] = (a, b)
        thresholds[label] = _best_threshold(p, y)
    return models, platt, thresholds
