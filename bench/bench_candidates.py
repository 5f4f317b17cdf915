"""Recall@k of true COUNTERS pairs in the candidate set (issue 10, point 3).

    .venv/bin/python bench/bench_candidates.py            # figures for the train and test splits
    .venv/bin/python bench/bench_candidates.py --tune     # grid of the two bonuses, train split only

Every distinct claim text of the split's pairs goes into one pool. For each COUNTERS pair
(a, b), the pair is found at k when b is among the k candidates of a, or a among those of
b (the linker classifies a candidate pair in both directions). Two candidate rankings:
embedding cosine alone (the linker before issue 10), and cosine plus bonuses for a shared
specific phenomenon and an opposed stance on it (emlit.evidence.candidates). The stances are
the stance model's (emlit.stance.model), as the store holds them after ``emlit ingest``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emlit.evidence.candidates import (
    AXIS_BONUS,
    OPPOSED_BONUS,
    PHENOMENON_BONUS,
    axis_sides,
    combined_scores,
    specific_topics,
    top_candidates,
)
from emlit.evidence.devset import Pair, load_pairs

KS = (5, 10, 20)


def pool_of(pairs: list[Pair]) -> list[str]:
    return sorted({t for p in pairs for t in (p.a, p.b)})


def recall_at_k(
    pairs: list[Pair], pool: list[str], vecs, stances, phen: float, opp: float, axis: float = 0.0
) -> dict[int, float]:
    index = {t: i for i, t in enumerate(pool)}
    topics = [specific_topics(t) for t in pool]
    sides = [axis_sides(t) for t in pool]
    ranked: dict[int, list[int]] = {}
    for i in range(len(pool)):
        scores = combined_scores(
            vecs[i], topics[i], stances[i], vecs, topics, stances, phen, opp, sides[i], sides, axis
        )
        ranked[i] = top_candidates(scores, max(KS), exclude=[i])
    counters = [p for p in pairs if p.relation == "COUNTERS"]
    out = {}
    for k in KS:
        found = sum(
            index[p.b] in ranked[index[p.a]][:k] or index[p.a] in ranked[index[p.b]][:k]
            for p in counters
        )
        out[k] = found / len(counters) if counters else 0.0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tune", action="store_true", help="grid of bonuses on the train split")
    args = parser.parse_args()
    from emlit.encoder import get_encoder
    from emlit.evidence.model import predicted_stances

    splits = {"train": load_pairs(split="train"), "test": load_pairs(split="test")}
    enc = get_encoder()
    print(f"encoder {enc.identity}")
    data = {}
    for name, pairs in splits.items():
        pool = pool_of(pairs)
        data[name] = (pairs, pool, enc.encode(pool), predicted_stances(pool))
    if args.tune:
        pairs, pool, vecs, stances = data["train"]
        print("train split: mean recall@5,10,20 of COUNTERS pairs per (phenomenon, opposed) bonus")
        for phen in (0.0, 0.1, 0.2):
            for opp in (0.0, 0.25):
                for axis in (0.0, 0.1, 0.2, 0.3, 0.5):
                    r = recall_at_k(pairs, pool, vecs, stances, phen, opp, axis)
                    print(
                        f"  {phen:4.2f} {opp:4.2f} {axis:4.2f}  "
                        + "  ".join(f"{r[k]:.3f}" for k in KS)
                    )
        return
    print(
        f"bonuses: phenomenon {PHENOMENON_BONUS}, opposed stance {OPPOSED_BONUS}, "
        f"opposed axis {AXIS_BONUS}"
    )
    print(
        f"{'split':<6} {'pool':>5} {'counters':>8}  {'ranking':<28}"
        + "".join(f" R@{k:<4}" for k in KS)
    )
    for name, (pairs, pool, vecs, stances) in data.items():
        n = sum(p.relation == "COUNTERS" for p in pairs)
        for label, phen, opp, axis in (
            ("embedding only", 0.0, 0.0, 0.0),
            ("+ phenomenon", PHENOMENON_BONUS, 0.0, 0.0),
            ("+ phenomenon, opposed stance", PHENOMENON_BONUS, OPPOSED_BONUS, 0.0),
            ("+ opposed debate axis", PHENOMENON_BONUS, OPPOSED_BONUS, AXIS_BONUS),
        ):
            r = recall_at_k(pairs, pool, vecs, stances, phen, opp, axis)
            print(
                f"{name:<6} {len(pool):>5} {n:>8}  {label:<28}"
                + "".join(f" {r[k]:.3f}" for k in KS)
            )


if __name__ == "__main__":
    main()
