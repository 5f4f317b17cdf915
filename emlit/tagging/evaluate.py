"""Per-class precision, recall and F1 on the held-out split, for three methods side by side."""

from __future__ import annotations

from dataclasses import dataclass

from emlit.tagging.devset import Item, load_devset
from emlit.vocab import DEFINITIONS

CLASSES = (*DEFINITIONS, "none")
METHODS = ("keyword", "prototype", "tagger")


@dataclass
class Scores:
    per_class: dict[str, tuple[float, float, float, int]]  # P, R, F1, support
    macro_f1: float
    n: int


def score(gold: list[tuple[str, ...]], pred: list[list[str]]) -> Scores:
    """Multi-label scores; "none" is the class of an empty label set."""
    per: dict[str, tuple[float, float, float, int]] = {}
    for c in CLASSES:
        tp = fp = fn = 0
        for g, p in zip(gold, pred, strict=True):
            gs, ps = set(g) or {"none"}, set(p) or {"none"}
            tp += c in gs and c in ps
            fp += c in ps and c not in gs
            fn += c in gs and c not in ps
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[c] = (prec, rec, f1, tp + fn)
    macro = sum(v[2] for v in per.values()) / len(per)
    return Scores(per, macro, len(gold))


def heldout_predictions(
    encoder_name: str | None = None,
) -> tuple[list[Item], dict[str, list[list[str]]]]:
    """The held-out items and each method's labels for them."""
    from emlit.encoder import get_encoder
    from emlit.tagging.baselines import NearestPrototype, keyword_labels
    from emlit.tagging.tagger import Tagger

    items = load_devset()
    train = [it for it in items if it.split == "train"]
    held = [it for it in items if it.split == "heldout"]
    encoder = get_encoder(encoder_name)
    texts = [it.text for it in held]
    tagger = Tagger(encoder)
    preds = {
        "keyword": [keyword_labels(t) for t in texts],
        "prototype": NearestPrototype(encoder, train).labels(texts),
        "tagger": [r.labels for r in tagger.tag(texts, [it.lang for it in held])],
    }
    return held, preds


def cv_predictions(
    encoder_name: str | None = None, folds: int = 5
) -> tuple[list[Item], dict[str, list[list[str]]]]:
    """Cross-validation on the train split only: what development decisions are judged by,
    so the held-out split stays untouched by tuning."""
    from emlit.encoder import get_encoder
    from emlit.tagging.baselines import NearestPrototype, keyword_labels
    from emlit.tagging.devset import training_items
    from emlit.tagging.tagger import Tagger

    encoder = get_encoder(encoder_name)
    train = [it for it in load_devset() if it.split == "train"]
    extra = [it for it in training_items() if it.split == "definitions"]
    preds: dict[str, list[list[str]]] = {m: [[] for _ in train] for m in METHODS}
    for k in range(folds):
        test_idx = [i for i in range(len(train)) if i % folds == k]
        fit = [it for i, it in enumerate(train) if i % folds != k]
        test = [train[i] for i in test_idx]
        tagger = Tagger(encoder, train=fit + extra)
        proto = NearestPrototype(encoder, fit)
        tagged = tagger.tag([it.text for it in test], [it.lang for it in test])
        protos = proto.labels([it.text for it in test])
        for j, i in enumerate(test_idx):
            preds["tagger"][i] = tagged[j].labels
            preds["prototype"][i] = protos[j]
            preds["keyword"][i] = keyword_labels(train[i].text)
    return train, preds


def report_markdown(
    held: list[Item], preds: dict[str, list[list[str]]], what: str = "held-out split"
) -> str:
    lines = []
    for lang, title in (("all", f"All items, {what}"), ("en", "English"), ("zh", "Chinese")):
        idx = [i for i, it in enumerate(held) if lang == "all" or it.lang == lang]
        gold = [held[i].labels for i in idx]
        results = {m: score(gold, [preds[m][i] for i in idx]) for m in METHODS}
        lines.append(f"### {title} (n = {len(idx)})")
        lines.append("")
        lines.append("| class | support | " + " | ".join(f"{m} P / R / F1" for m in METHODS) + " |")
        lines.append("| --- | ---: | " + " | ".join("---" for _ in METHODS) + " |")
        for c in CLASSES:
            cells = []
            for m in METHODS:
                p, r, f, _ = results[m].per_class[c]
                cells.append(f"{p:.2f} / {r:.2f} / {f:.2f}")
            support = results["tagger"].per_class[c][3]
            lines.append(f"| {c} | {support} | " + " | ".join(cells) + " |")
        lines.append(
            "| **macro-F1** | | "
            + " | ".join(f"**{results[m].macro_f1:.3f}**" for m in METHODS)
            + " |"
        )
        lines.append("")
    return "\n".join(lines)
