"""The labelled pair set (corpus/devset/pairs.jsonl) and the per-relation report on it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from emlit.errors import EmlitError
from emlit.paths import corpus_dir
from emlit.vocab import PAIR_RELATIONS


@dataclass(frozen=True)
class Pair:
    id: str
    a: str
    b: str
    relation: str
    lang: str
    split: str  # train | heldout


def pairs_path() -> Path:
    return corpus_dir() / "devset" / "pairs.jsonl"


def load_pairs(path: Path | None = None, split: str | None = None) -> list[Pair]:
    where = path or pairs_path()
    try:
        lines = where.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EmlitError(f"{where}: cannot read ({exc.strerror})") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EmlitError(f"{where}:{n}: not valid JSON ({exc.msg})") from None
        for field in ("id", "a", "b", "relation", "split"):
            if not isinstance(row.get(field), str) or not row[field].strip():
                raise EmlitError(f"{where}:{n}: field {field!r} missing or empty")
        if row["relation"] not in PAIR_RELATIONS:
            raise EmlitError(
                f"{where}:{n}: relation {row['relation']!r} is not one of {', '.join(PAIR_RELATIONS)}"
            )
        pair = Pair(
            row["id"], row["a"], row["b"], row["relation"], row.get("lang", ""), row["split"]
        )
        if split is None or pair.split == split:
            out.append(pair)
    return out


def report(gold: list[str], predicted: list[str]) -> dict:
    """Per-relation precision / recall / F1 / support, accuracy and macro-F1."""
    per: dict[str, dict[str, float]] = {}
    for rel in PAIR_RELATIONS:
        tp = sum(g == rel and p == rel for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != rel and p == rel for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == rel and p != rel for g, p in zip(gold, predicted, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[rel] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}
    acc = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else 0.0
    return {
        "n": len(gold),
        "accuracy": acc,
        "macro_f1": sum(v["f1"] for v in per.values()) / len(PAIR_RELATIONS),
        "per_relation": per,
    }


def format_report(rep: dict, title: str) -> str:
    lines = [
        f"{title}: n={rep['n']} accuracy={rep['accuracy']:.3f} macro-F1={rep['macro_f1']:.3f}",
        f"{'relation':<10} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4}",
    ]
    for rel, v in rep["per_relation"].items():
        lines.append(
            f"{rel:<10} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} {v['support']:4d}"
        )
    return "\n".join(lines)
