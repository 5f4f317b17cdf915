"""Two simple methods the tagger is measured against on the held-out split."""

from __future__ import annotations

from typing import Any

import numpy as np

from emlit.encoder import Encoder
from emlit.tagging.devset import Item
from emlit.vocab import DEFINITIONS

# One obvious keyword list per definition, as a reader skimming for the words would use.
KEYWORDS: dict[str, list[str]] = {
    "D1": [
        "explicitly trained",
        "not trained",
        "never trained",
        "without training",
        "专门训练",
        "明确训练",
        "显式训练",
        "没有训练",
    ],
    "D2": [
        "learned from",
        "training data",
        "pre-training",
        "pretraining",
        "学到",
        "训练数据",
        "预训练",
    ],
    "D3": [
        "larger model",
        "smaller model",
        "small model",
        "scale",
        "parameters",
        "小模型",
        "规模",
        "参数",
    ],
    "D4": [
        "sudden",
        "sharp",
        "unpredictable",
        "jump",
        "phase transition",
        "突然",
        "不可预测",
        "跃升",
        "相变",
    ],
    "D5": ["never seen", "not in the training", "unseen", "从未见过", "没见过", "不在训练"],
    "D6": ["developers", "unaware", "did not know", "开发者", "不知道", "没有意识到"],
}


def keyword_labels(text: str) -> list[str]:
    low = text.lower()
    return [d for d in DEFINITIONS if any(k in low for k in KEYWORDS[d])]


class NearestPrototype:
    """Label a text with every definition whose mean training embedding is close enough.

    The thresholds are chosen on the training split by F1, like the tagger's.
    """

    def __init__(self, encoder: Encoder, train: list[Item]) -> None:
        self.encoder = encoder
        emb = encoder.encode([it.text for it in train])
        self.protos: dict[str, Any] = {}
        self.thresholds: dict[str, float] = {}
        for d in DEFINITIONS:
            pos = np.array([d in it.labels for it in train])
            proto = emb[pos].mean(axis=0)
            self.protos[d] = proto / np.linalg.norm(proto)
            self.thresholds[d] = _best_cut(emb @ self.protos[d], pos)

    def labels(self, texts: list[str]) -> list[list[str]]:
        emb = self.encoder.encode(texts)
        out = []
        for row in emb:
            out.append([d for d in DEFINITIONS if row @ self.protos[d] >= self.thresholds[d]])
        return out


def _best_cut(sims: Any, pos: Any) -> float:
    """The cosine cut-off with the best F1 on the training items."""
    best, best_f1 = 1.0, -1.0
    for t in np.quantile(sims, np.linspace(0.05, 0.95, 37)):
        pred = sims >= t
        tp = float(np.sum(pred & pos))
        f1 = 2 * tp / max(1.0, float(np.sum(pred)) + float(np.sum(pos)))
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    return best
