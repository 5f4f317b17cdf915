"""Per-class precision, recall and F1 on the held-out split, for three methods side by side."""

from __future__ import annotations

from dataclasses import dataclass

from emlit.definitions import DEFINITION_IDS
from emlit.tagging.devset import Item, load_devset

CLASSES = (*DEFINITION_IDS, "none")
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
    from emlit.tagging.baselines import NearestPrototype, keyword_labels
    from emlit.tagging.encoder import Encoder
    from emlit.tagging.tagger import Tagger

    items = load_devset()
    train = [it for it in items if it.split == "train"]
    held = [it for it in items if it.split == "heldout"]
    encoder = Encoder(encoder_name)
    texts = [it.text for it in held]
    tagger = Tagger(encoder)
    preds = {
        "keyword": [keyword_labels(t) for t in texts],
        "prototype": NearestPrototype(encoder, train).labels(texts),
        "tagger": [r.labels for r in tagger.tag(texts, [it.lang for it in held])],
    }
    return held, preds


def report_markdown(held: list[Item], preds: dict[str, list[list[str]]]) -> str:
    lines = []
    for lang, title in (("all", "All held-out items"), ("en", "English"), ("zh", "Chinese")):
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
