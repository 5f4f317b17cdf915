"""The labelled pair sets and the per-relation report on them.

``corpus/devset/pairs_v2.jsonl`` (issue 10; corpus/devset/pairs_v2.md) is what the relation
model learns from: its ``train`` split, cross-validated in folds grouped by source work. Its
``test`` split is frozen: scored, never fitted, tuned or selected on. The v1 set
(``pairs.jsonl``, splits ``train`` / ``heldout``) stays readable with ``path=v1_pairs_path()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from emlit.errors import EmlitError
from emlit.jsonl import file_objects
from emlit.paths import corpus_dir
from emlit.vocab import PAIR_RELATIONS


@dataclass(frozen=True)
class Pair:
    id: str
    a: str
    b: str
    relation: str
    lang: str
    split: str  # train | test (v2); train | heldout (v1)
    source: str = ""  # the work(s) the sentences paraphrase, "A vs B"
    a_stance: str = ""
    b_stance: str = ""
    talking_past: bool = False

    @property
    def work(self) -> str:
        """The pair's first-named work ("schaeffer 2023"): the unit of grouped CV folds."""
        from emlit.stance.data import work_key

        return work_key(self.source.split(" vs ")[0]) if self.source else self.id


def pairs_path() -> Path:
    return corpus_dir() / "devset" / "pairs_v2.jsonl"


def v1_pairs_path() -> Path:
    return corpus_dir() / "devset" / "pairs.jsonl"


def load_pairs(path: Path | None = None, split: str | None = None) -> list[Pair]:
    out = []
    for _n, where, row in file_objects(path or pairs_path()):
        for field in ("id", "a", "b", "relation", "split"):
            if not isinstance(row.get(field), str) or not row[field].strip():
                raise EmlitError(f"{where}: field {field!r} missing or empty")
        if row["relation"] not in PAIR_RELATIONS:
            raise EmlitError(
                f"{where}: relation {row['relation']!r} is not one of {', '.join(PAIR_RELATIONS)}"
            )
        pair = Pair(
            row["id"],
            row["a"],
            row["b"],
            row["relation"],
            row.get("lang", ""),
            row["split"],
            str(row.get("source", "")),
            str(row.get("a_stance", "")),
            str(row.get("b_stance", "")),
            bool(row.get("talking_past", False)),
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


def bootstrap_macro_f1(
    gold: list[str], predicted: list[str], n: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """95% percentile interval of macro-F1, resampling pairs (seeded: reproducible)."""
    import numpy as np

    if not gold:
        return (0.0, 0.0)
    rng = np.random.default_rng(seed)
    g, p = np.asarray(gold), np.asarray(predicted)
    values = []
    for _ in range(n):
        i = rng.integers(0, len(g), len(g))
        values.append(report(list(g[i]), list(p[i]))["macro_f1"])
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def format_report(rep: dict, title: str) -> str:
    ci = rep.get("ci95")
    interval = f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
    lines = [
        f"{title}: n={rep['n']} accuracy={rep['accuracy']:.3f} macro-F1={rep['macro_f1']:.3f}"
        f"{interval}",
        f"{'relation':<10} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4}",
    ]
    for rel, v in rep["per_relation"].items():
        lines.append(
            f"{rel:<10} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} {v['support']:4d}"
        )
    return "\n".join(lines)
