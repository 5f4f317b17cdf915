"""The trained part of the tagger: one calibrated logistic head per definition.

Fitting: out-of-fold scores on the training items (folds grouped by source work, so the
scores are those of works the head has not seen, as in use) give each head a Platt scaling
(so scores are calibrated probabilities) and a threshold (the one that maximises F1 on those
scores); with ``per_lang`` both are fitted per language where a language has enough
positives. An optional seventh head, "uses some sense", lets the tagger name the most likely
sense instead of abstaining when no head reaches its threshold but a sense is clearly used.
Then every head is refitted on all training items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from emlit.vocab import DEFINITIONS

FOLDS = 5
ANY = "any"  # the "uses some sense" head
VETO = "veto"  # thresholds key: below this ANY score, labels are dropped (no sense used)
ALL_LANGS = "*"
MIN_POSITIVES = 10  # per language, to fit a language's own calibration and threshold


@dataclass(frozen=True)
class Recipe:
    """What the heads are fitted on and how; chosen by grouped cross-validation on the
    training items (docs/tagger.md, "Methods compared")."""

    name: str = "default"
    cue_weight: float = 2.0  # 0: no cue features
    ngrams: bool = True  # character 1-4-gram TF-IDF
    emb_weight: float = 2.0  # 0: no sentence embedding
    C: float = 3.0
    per_lang: bool = True  # Platt scaling and thresholds per language
    abstain_head: bool = True  # "uses some sense" head fills in the likeliest label
    human_weight: float = 3.0  # weight of a researcher's decision against a bundled item
    v1_weight: float = 1.0  # weight of the short, clean v1 items and definition examples
    knn_weight: float = 0.0  # label votes of the nearest training items (0: not used)
    knn_k: int = 10
    th_lo: float = 0.3  # range searched for each head's threshold on out-of-fold scores
    th_hi: float = 0.7
    balanced: bool = True  # class-balanced sample weights in each head
    any_veto: bool = True  # the ANY head may also drop labels when it says no sense is used


DEFAULT_RECIPE = Recipe()


@dataclass
class Head:
    vectorizer: Any
    models: dict[str, Any]  # label (and ANY) -> LogisticRegression on stacked features
    platt: dict[str, dict[str, tuple[float, float]]]  # label -> lang|* -> (a, b)
    thresholds: dict[str, dict[str, float]]  # label -> lang|* -> threshold
    recipe: Recipe = DEFAULT_RECIPE
    train_ids: list[str] = field(default_factory=list)
    train_labels: list[tuple[str, ...]] = field(default_factory=list)
    train_texts: list[str] = field(default_factory=list)
    train_ngrams: Any = None  # L2-normalised TF-IDF rows, for nearest examples
    train_emb: Any = None  # unit embeddings (zero rows where the encoder cannot read)

    def scores(self, x: Any, langs: list[str]) -> dict[str, np.ndarray]:
        """Calibrated probability per label (and ANY when fitted), one per row of ``x``."""
        out = {}
        for label, model in self.models.items():
            z = model.decision_function(x)
            out[label] = _calibrate(z, langs, self.platt[label])
        return out

    def thresholds_for(self, lang: str) -> dict[str, float]:
        return {
            lab: self.thresholds[lab].get(lang, self.thresholds[lab][ALL_LANGS])
            for lab in DEFINITIONS
        }

    def decide(self, scores: dict[str, np.ndarray], langs: list[str]) -> list[list[str]]:
        return decide(scores, langs, self.thresholds)


def _calibrate(z: np.ndarray, langs: list[str], platt: dict[str, tuple[float, float]]) -> Any:
    a = np.array([platt.get(lang, platt[ALL_LANGS])[0] for lang in langs])
    b = np.array([platt.get(lang, platt[ALL_LANGS])[1] for lang in langs])
    return 1.0 / (1.0 + np.exp(-(a * z + b)))


def decide(
    scores: dict[str, np.ndarray], langs: list[str], thresholds: dict[str, dict[str, float]]
) -> list[list[str]]:
    """Labels per row: every label at or above its threshold; when none is and the ANY head
    says a sense is used, the label closest to its threshold. With a VETO threshold, an ANY
    score below it drops the labels (a sentence that names sizes or data but uses no sense)."""
    out = []
    for i, lang in enumerate(langs):
        th = {lab: thresholds[lab].get(lang, thresholds[lab][ALL_LANGS]) for lab in DEFINITIONS}
        labels = [lab for lab in DEFINITIONS if scores[lab][i] >= th[lab]]
        veto = thresholds.get(VETO)
        if labels and ANY in scores and veto and scores[ANY][i] < veto.get(lang, veto[ALL_LANGS]):
            labels = []
        if not labels and ANY in scores:
            t_any = thresholds[ANY].get(lang, thresholds[ANY][ALL_LANGS])
            if scores[ANY][i] >= t_any:
                labels = [max(DEFINITIONS, key=lambda lab: scores[lab][i] / th[lab])]
        out.append(labels)
    return out


def _logreg(c: float, balanced: bool = True) -> Any:
    from sklearn.linear_model import LogisticRegression

    # The dual form: far faster here, where features outnumber items; same optimum.
    return LogisticRegression(
        C=c,
        class_weight="balanced" if balanced else None,
        max_iter=5000,
        solver="liblinear",
        dual=True,
    )


def _platt(z: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=100.0, solver="lbfgs").fit(z.reshape(-1, 1), y, sample_weight=w)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _best_threshold(
    p: np.ndarray, y: np.ndarray, w: np.ndarray, lo: float = 0.3, hi: float = 0.7
) -> float:
    best, best_f1 = 0.5, -1.0
    for t in np.arange(lo, hi + 0.01, 0.025):
        pred = p >= t
        tp = float(np.sum(w * (pred & (y == 1))))
        f1 = 2 * tp / max(1e-9, float(np.sum(w * pred)) + float(np.sum(w * (y == 1))))
        # Ties go to the threshold nearest 0.5, the calibrated even-odds point.
        if f1 > best_f1 + 1e-9 or (abs(f1 - best_f1) <= 1e-9 and abs(t - 0.5) < abs(best - 0.5)):
            best, best_f1 = float(t), f1
    return round(best, 3)


def _macro_f1(gold: list[tuple[str, ...]], pred: list[list[str]], w: np.ndarray) -> float:
    f1s = []
    for c in (*DEFINITIONS, "none"):
        g = np.array([c in (set(x) or {"none"}) for x in gold])
        p = np.array([c in (set(x) or {"none"}) for x in pred])
        tp = float(np.sum(w * (g & p)))
        denom = float(np.sum(w * g)) + float(np.sum(w * p))
        f1s.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(f1s))


def fit_head(
    x: Any,
    labels: list[tuple[str, ...]],
    langs: list[str],
    groups: list[str],
    weights: np.ndarray,
    recipe: Recipe,
) -> tuple[dict[str, Any], dict[str, dict[str, tuple[float, float]]], dict[str, dict[str, float]]]:
    """Fit the heads on stacked features ``x``; returns (models, platt, thresholds)."""
    from emlit.tagging.devset import Item, grouped_folds

    lang_arr = np.array(langs)
    pseudo = [Item(str(i), "", "", (), "", "", work=g) for i, g in enumerate(groups)]
    folds = grouped_folds(pseudo, FOLDS)
    targets = {lab: np.array([int(lab in labs) for labs in labels]) for lab in DEFINITIONS}
    if recipe.abstain_head:
        targets[ANY] = np.array([int(bool(labs)) for labs in labels])
    models: dict[str, Any] = {}
    platt: dict[str, dict[str, tuple[float, float]]] = {}
    thresholds: dict[str, dict[str, float]] = {}
    probs: dict[str, np.ndarray] = {}
    for label, y in targets.items():
        oof = np.zeros(len(y))
        for te in folds:
            tr = np.setdiff1d(np.arange(len(y)), te)
            if len(set(y[tr].tolist())) < 2:
                continue
            m = _logreg(recipe.C, recipe.balanced).fit(x[tr], y[tr], sample_weight=weights[tr])
            oof[te] = m.decision_function(x[te])
        platt[label] = {ALL_LANGS: _platt(oof, y, weights)}
        lo, hi = recipe.th_lo, recipe.th_hi
        thresholds[label] = {
            ALL_LANGS: _best_threshold(_sig(oof, platt[label][ALL_LANGS]), y, weights, lo, hi)
        }
        if recipe.per_lang:
            for lang in sorted(set(langs)):
                sel = lang_arr == lang
                if int(y[sel].sum()) >= MIN_POSITIVES and int((1 - y[sel]).sum()) >= MIN_POSITIVES:
                    platt[label][lang] = _platt(oof[sel], y[sel], weights[sel])
                    thresholds[label][lang] = _best_threshold(
                        _sig(oof[sel], platt[label][lang]), y[sel], weights[sel], lo, hi
                    )
        probs[label] = _calibrate(oof, langs, platt[label])
        models[label] = _logreg(recipe.C, recipe.balanced).fit(x, y, sample_weight=weights)
    if recipe.abstain_head:
        thresholds[ANY] = {
            ALL_LANGS: _search_threshold(
                ANY, _ANY_CANDIDATES, probs, thresholds, labels, langs, weights
            )
        }
        if recipe.any_veto:
            thresholds[VETO] = {
                ALL_LANGS: _search_threshold(
                    VETO, _VETO_CANDIDATES, probs, thresholds, labels, langs, weights
                )
            }
    return models, platt, thresholds


def _sig(z: np.ndarray, ab: tuple[float, float]) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(ab[0] * z + ab[1])))


def _search_threshold(
    key: str,
    candidates: tuple[float, ...],
    probs: dict[str, np.ndarray],
    thresholds: dict[str, dict[str, float]],
    labels: list[tuple[str, ...]],
    langs: list[str],
    weights: np.ndarray,
) -> float:
    """The threshold of ``key`` (ANY or VETO) among ``candidates`` that maximises out-of-fold
    macro-F1; the first candidate (the one that changes nothing) wins ties."""
    best, best_f1 = candidates[0], -1.0
    for t in candidates:
        th = {**thresholds, key: {ALL_LANGS: float(t)}}
        f1 = _macro_f1(labels, decide(probs, langs, th), weights)
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(t), f1
    return round(best, 3)


# ANY at 1.01 never fills in a label; VETO at 0.0 never drops one.
_ANY_CANDIDATES = (1.01, *(float(t) for t in np.arange(0.5, 0.96, 0.05)))
_VETO_CANDIDATES = (0.0, *(float(t) for t in np.arange(0.05, 0.51, 0.05)))
