"""How the tagger is measured: per-class precision, recall and F1, macro-F1 over D1-D6 and
"none", with bootstrap 95% intervals that resample source works (items of one work move
together, as they do between the train and test splits).

Reports: the frozen v2 test split (the headline), grouped cross-validation on the training
items (what every development choice is judged by), v1's held-out split (secondary), and
any labelled JSON lines outside the repository (``--real``: the real-text check).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from emlit.tagging.devset import Item
from emlit.vocab import DEFINITIONS

if TYPE_CHECKING:
    from emlit.tagging.head import Recipe
    from emlit.tagging.tagger import Tagger

CLASSES = (*DEFINITIONS, "none")
BOOTSTRAP = 1000
Predict = Callable[[list[Item]], list[list[str]]]


@dataclass
class Scores:
    per_class: dict[str, tuple[float, float, float, int]]  # P, R, F1, support
    macro_f1: float
    n: int

    @property
    def macro_f1_present(self) -> float:
        """Macro-F1 over the classes with support here (a subset without, say, any D6 item
        would otherwise count D6 as F1 0 however well the tagger does)."""
        f1s = [v[2] for v in self.per_class.values() if v[3] > 0]
        return sum(f1s) / len(f1s) if f1s else 0.0


def _counts(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> np.ndarray:
    """(items, classes, 3) array of tp, fp, fn: sums over any subset of items are cheap."""
    out = np.zeros((len(gold), len(CLASSES), 3), dtype=np.int32)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        gs, ps = set(g) or {"none"}, set(p) or {"none"}
        for j, c in enumerate(CLASSES):
            out[i, j] = (c in gs and c in ps, c in ps and c not in gs, c in gs and c not in ps)
    return out


def _f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    denom = 2 * tp + fp + fn
    return np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)


def score(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> Scores:
    """Multi-label scores; "none" is the class of an empty label set."""
    tp, fp, fn = _counts(gold, pred).sum(axis=0).T
    per: dict[str, tuple[float, float, float, int]] = {}
    for j, c in enumerate(CLASSES):
        prec = tp[j] / (tp[j] + fp[j]) if tp[j] + fp[j] else 0.0
        rec = tp[j] / (tp[j] + fn[j]) if tp[j] + fn[j] else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[c] = (float(prec), float(rec), float(f1), int(tp[j] + fn[j]))
    macro = sum(v[2] for v in per.values()) / len(per)
    return Scores(per, macro, len(gold))


@dataclass
class Interval:
    value: float
    lo: float
    hi: float

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.lo:.3f}, {self.hi:.3f}]"


def bootstrap(
    items: Sequence[Item], pred: Sequence[Sequence[str]], n: int = BOOTSTRAP, seed: int = 0
) -> tuple[Interval, dict[str, Interval]]:
    """Macro-F1 and per-class F1 with percentile 95% intervals, resampling source works."""
    counts = _counts([it.labels for it in items], pred)
    works = sorted({it.work or it.source for it in items})
    index = {w: k for k, w in enumerate(works)}
    by_work = np.zeros((len(works), len(CLASSES), 3), dtype=np.int64)
    for i, it in enumerate(items):
        by_work[index[it.work or it.source]] += counts[i]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(works), size=(n, len(works)))
    # How often each work is drawn in each resample, times its counts.
    mult = np.zeros((n, len(works)), dtype=np.int64)
    for k in range(n):
        np.add.at(mult[k], draws[k], 1)
    total = np.einsum("bw,wcj->bcj", mult, by_work)
    f1 = _f1(total[..., 0], total[..., 1], total[..., 2])  # (n, classes)
    point = score([it.labels for it in items], pred)
    macro = f1.mean(axis=1)
    macro_iv = Interval(point.macro_f1, *np.percentile(macro, [2.5, 97.5]).tolist())
    per = {
        c: Interval(point.per_class[c][2], *np.percentile(f1[:, j], [2.5, 97.5]).tolist())
        for j, c in enumerate(CLASSES)
    }
    return macro_iv, per


def paired_difference(
    items: Sequence[Item],
    pred_a: Sequence[Sequence[str]],
    pred_b: Sequence[Sequence[str]],
    n: int = BOOTSTRAP,
    seed: int = 0,
) -> Interval:
    """Macro-F1 of ``pred_b`` minus that of ``pred_a`` on the same items, with a 95%
    interval from the same resamples of source works for both."""
    gold = [it.labels for it in items]
    works = sorted({it.work or it.source for it in items})
    index = {w: k for k, w in enumerate(works)}
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(works), size=(n, len(works)))
    mult = np.zeros((n, len(works)), dtype=np.int64)
    for k in range(n):
        np.add.at(mult[k], draws[k], 1)
    macros = []
    for pred in (pred_a, pred_b):
        counts = _counts(gold, pred)
        by_work = np.zeros((len(works), len(CLASSES), 3), dtype=np.int64)
        for i, it in enumerate(items):
            by_work[index[it.work or it.source]] += counts[i]
        total = np.einsum("bw,wcj->bcj", mult, by_work)
        macros.append(_f1(total[..., 0], total[..., 1], total[..., 2]).mean(axis=1))
    diff = macros[1] - macros[0]
    point = score(gold, pred_b).macro_f1 - score(gold, pred_a).macro_f1
    return Interval(point, *np.percentile(diff, [2.5, 97.5]).tolist())


# -- predictions -----------------------------------------------------------------------


def tagger_predict(tagger: Tagger) -> Predict:
    def predict(items: list[Item]) -> list[list[str]]:
        return [r.labels for r in tagger.tag([it.text for it in items], [it.lang for it in items])]

    return predict


def keyword_predict(items: list[Item]) -> list[list[str]]:
    from emlit.tagging.baselines import keyword_labels

    return [keyword_labels(it.text) for it in items]


def cv_predictions(
    items: list[Item], fit: Callable[[list[Item]], Predict], folds: int = 5
) -> list[list[str]]:
    """Out-of-fold labels, folds grouped by source work."""
    from emlit.tagging.devset import grouped_folds

    out: list[list[str]] = [[] for _ in items]
    for test_idx in grouped_folds(items, folds):
        held = set(test_idx)
        predict = fit([it for i, it in enumerate(items) if i not in held])
        for i, labels in zip(test_idx, predict([items[i] for i in test_idx]), strict=True):
            out[i] = labels
    return out


def fit_tagger(
    encoder: Any = None, recipe: Recipe | None = None
) -> Callable[[list[Item]], Predict]:
    def fit(train: list[Item]) -> Predict:
        from emlit.tagging.tagger import Tagger

        return tagger_predict(Tagger(encoder, train=train, recipe=recipe))

    return fit


# -- reports ---------------------------------------------------------------------------


def report_markdown(
    items: list[Item],
    preds: dict[str, list[list[str]]],
    what: str,
    *,
    intervals: bool = True,
) -> str:
    """Per language (all, English, Chinese): per-class P / R / F1 of each method, and
    macro-F1 with its bootstrap interval (resampling source works)."""
    methods = list(preds)
    lines = []
    for lang, title in (("all", f"All items, {what}"), ("en", "English"), ("zh", "Chinese")):
        idx = [i for i, it in enumerate(items) if lang == "all" or it.lang == lang]
        if not idx:
            continue
        sub = [items[i] for i in idx]
        gold = [it.labels for it in sub]
        results = {m: score(gold, [preds[m][i] for i in idx]) for m in methods}
        boots = (
            {m: bootstrap(sub, [preds[m][i] for i in idx]) for m in methods} if intervals else {}
        )
        n_works = len({it.work or it.source for it in sub})
        lines.append(f"### {title} (n = {len(idx)}, {n_works} works)")
        lines.append("")
        lines.append("| class | support | " + " | ".join(f"{m} P / R / F1" for m in methods) + " |")
        lines.append("| --- | ---: | " + " | ".join("---" for _ in methods) + " |")
        for c in CLASSES:
            cells = []
            for m in methods:
                p, r, f, _ = results[m].per_class[c]
                cell = f"{p:.2f} / {r:.2f} / {f:.2f}"
                if intervals:
                    iv = boots[m][1][c]
                    cell += f" [{iv.lo:.2f}, {iv.hi:.2f}]"
                cells.append(cell)
            support = results[methods[0]].per_class[c][3]
            lines.append(f"| {c} | {support} | " + " | ".join(cells) + " |")
        cells = []
        for m in methods:
            cell = f"**{results[m].macro_f1:.3f}**"
            if intervals:
                iv = boots[m][0]
                cell += f" [{iv.lo:.3f}, {iv.hi:.3f}]"
            cells.append(cell)
        lines.append("| **macro-F1** | | " + " | ".join(cells) + " |")
        if any(v[3] == 0 for v in results[methods[0]].per_class.values()):
            lines.append(
                "| macro-F1, classes with support | | "
                + " | ".join(f"{results[m].macro_f1_present:.3f}" for m in methods)
                + " |"
            )
        lines.append("")
    if intervals:
        lines.append(
            f"Brackets: 95% bootstrap intervals ({BOOTSTRAP} resamples of the source works)."
        )
        lines.append("")
    return "\n".join(lines)


def summary(items: list[Item], pred: list[list[str]]) -> dict[str, Any]:
    """Macro-F1 with intervals overall and per language (JSON-able)."""
    out: dict[str, Any] = {}
    for lang in ("all", "en", "zh"):
        sub_idx = [i for i, it in enumerate(items) if lang == "all" or it.lang == lang]
        if not sub_idx:
            continue
        macro, per = bootstrap([items[i] for i in sub_idx], [pred[i] for i in sub_idx])
        point = score([items[i].labels for i in sub_idx], [pred[i] for i in sub_idx])
        out[lang] = {
            "n": len(sub_idx),
            "macro_f1_present": round(point.macro_f1_present, 4),
            "support": {c: v[3] for c, v in point.per_class.items()},
            "macro_f1": round(macro.value, 4),
            "ci95": [round(macro.lo, 4), round(macro.hi, 4)],
            "per_class": {c: round(iv.value, 4) for c, iv in per.items()},
        }
    return out


def load_external(path: str | Path) -> list[Item]:
    """Labelled JSON lines kept outside the repository (the real-text check)."""
    from emlit.tagging.devset import load_labelled

    return load_labelled(Path(path), origin="external")
