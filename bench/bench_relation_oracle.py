"""How much of the relation error is the stance model's: the shipped relation weights scored
with each claim's predicted stance and senses (what `emlit relate` does), then with the
labelled stance and/or senses of the pair file put in their place.

    python bench/bench_relation_oracle.py                 # the frozen test split of pairs_v2
    python bench/bench_relation_oracle.py --real FILE     # labelled real pairs (kept outside)

A pair file's rows carry ``a_stance``/``b_stance`` (affirms, disputes, neutral) and
``a_labels``/``b_labels`` (senses D1-D6). Nothing is fitted: the weights are the shipped ones,
so the rows differ only in where stance and senses come from. The gap between the first and
the "labelled stance" row is what a better stance model could give the relations at most.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emlit.paths import corpus_dir

ONE_HOT = {"affirms": (1.0, 0.0, 0.0), "disputes": (0.0, 1.0, 0.0), "neutral": (0.0, 0.0, 1.0)}


def load_rows(path: Path | None) -> list[dict[str, Any]]:
    if path is None:
        lines = (corpus_dir() / "devset" / "pairs_v2.jsonl").read_text("utf-8").splitlines()
        return [r for r in map(json.loads, filter(str.strip, lines)) if r["split"] == "test"]
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--real", type=Path, help="labelled real pairs instead of the test split")
    args = parser.parse_args()

    from emlit.encoder import get_encoder
    from emlit.evidence.devset import load_pairs
    from emlit.evidence.model import load_model, predicted_stances
    from emlit.evidence.train import _report_rows, load_real

    rows = load_rows(args.real)
    pairs = load_real(args.real) if args.real else load_pairs(split="test")
    if [p.id for p in pairs] != [str(r["id"]) for r in rows]:
        sys.exit("the pair file and its loaded pairs differ in order")
    model = load_model()
    texts = sorted({r["a"] for r in rows} | {r["b"] for r in rows})
    index = {t: i for i, t in enumerate(texts)}
    vecs = get_encoder().encode(texts)
    a_vecs, b_vecs = vecs[[index[r["a"]] for r in rows]], vecs[[index[r["b"]] for r in rows]]
    predicted = predicted_stances(texts)
    guessed = {side: [predicted[index[r[side]]] for r in rows] for side in ("a", "b")}
    labelled = {side: [ONE_HOT[r[f"{side}_stance"]] for r in rows] for side in ("a", "b")}
    senses = {side: [r[f"{side}_labels"] for r in rows] for side in ("a", "b")}

    print(f"{len(rows)} pairs ({args.real or 'pairs_v2 frozen test split'}), {model.version}")
    for title, stance, given_senses in (
        ("predicted stance and senses", guessed, False),
        ("labelled senses", guessed, True),
        ("labelled stance", labelled, False),
        ("labelled stance and senses", labelled, True),
    ):
        preds = model.predict(
            [r["a"] for r in rows],
            [r["b"] for r in rows],
            a_vecs,
            b_vecs,
            a_labels=senses["a"] if given_senses else None,
            b_labels=senses["b"] if given_senses else None,
            a_stances=stance["a"],
            b_stances=stance["b"],
        )
        rep = _report_rows(pairs, [p.relation for p in preds])
        lo, hi = rep["ci95"]
        counters = rep["per_relation"]["COUNTERS"]["recall"]
        print(
            f"  {title:<30} macro-F1 {rep['macro_f1']:.3f} [{lo:.3f}, {hi:.3f}]"
            f"  COUNTERS recall {counters:.3f}"
        )
    names = list(ONE_HOT)
    right = sum(
        names[max(range(3), key=lambda k: guessed[side][i][k])] == rows[i][f"{side}_stance"]
        for side in ("a", "b")
        for i in range(len(rows))
    )
    print(f"  stance model on the pair texts: {right} of {2 * len(rows)} sides right")


if __name__ == "__main__":
    main()
