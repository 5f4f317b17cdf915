"""Train the relation classifier on the train split and report on the held-out split.

    python -m emlit.evidence.train            # writes emlit/evidence/relation_weights.json
    python -m emlit.evidence.train --report   # only evaluate the shipped weights

The held-out pairs are never used for fitting or for choosing the regularisation strength
(that is chosen by cross-validation inside the train split). The weights file records a hash
of the exact training rows and of the relation cue data, and tests/test_evidence_weights.py
checks both against the current files, so the shipped weights cannot drift from their split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from emlit.evidence.cues import relation_lexicon
from emlit.evidence.devset import Pair, format_report, load_pairs, report
from emlit.evidence.features import FEATURES, embedding_stance, pair_features
from emlit.evidence.model import (
    PROPONENT_PROTOTYPES,
    SKEPTIC_PROTOTYPES,
    WEIGHTS_PATH,
    classify_texts,
    load_model,
)


def rows_hash(pairs: Sequence[Pair]) -> str:
    """sha256 of the training rows as training reads them: id, a, b, relation, in file order."""
    rows = [[p.id, p.a, p.b, p.relation] for p in pairs]
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stance_direction() -> Any:
    from emlit.encoder import get_encoder

    encode = get_encoder().encode
    skeptic = encode(list(SKEPTIC_PROTOTYPES)).mean(axis=0)
    proponent = encode(list(PROPONENT_PROTOTYPES)).mean(axis=0)
    d = skeptic - proponent
    return d / (float((d @ d) ** 0.5) or 1.0)


def feature_rows(pairs: list[Pair], direction: Any) -> Any:
    import numpy as np

    from emlit.encoder import get_encoder

    encode = get_encoder().encode
    a = encode([p.a for p in pairs])
    b = encode([p.b for p in pairs])
    cos = np.einsum("ij,ij->i", a, b)
    sa, sb = embedding_stance(a, direction), embedding_stance(b, direction)
    return np.asarray(
        [
            pair_features(p.a, p.b, float(cos[i]), float(sa[i]), float(sb[i]))
            for i, p in enumerate(pairs)
        ]
    )


def train() -> dict[str, Any]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.preprocessing import StandardScaler

    pairs = load_pairs(split="train")
    direction = stance_direction()
    x = feature_rows(pairs, direction)
    y = np.asarray([p.relation for p in pairs])
    scaler = StandardScaler().fit(x)
    xs = scaler.transform(x)
    search = GridSearchCV(
        LogisticRegression(max_iter=5000, class_weight="balanced"),
        {"C": [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]},
        cv=StratifiedKFold(5, shuffle=True, random_state=0),
        scoring="f1_macro",
    ).fit(xs, y)
    clf = search.best_estimator_
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    return {
        "version": "relation-lr-v1",
        "features": list(FEATURES),
        "classes": [str(c) for c in clf.classes_],
        "mean": scaler.mean_.tolist(),
        "scale": scale.tolist(),
        "coef": clf.coef_.tolist(),
        "intercept": clf.intercept_.tolist(),
        "C": float(search.best_params_["C"]),
        "cv_macro_f1": float(search.best_score_),
        "n_train": len(pairs),
        "train_rows_sha256": rows_hash(pairs),
        "relation_cues_sha256": relation_lexicon().digest,
        "stance_direction": [round(float(v), 6) for v in direction],
    }


def evaluate(split: str = "heldout") -> dict[str, Any]:
    pairs = load_pairs(split=split)
    preds = classify_texts([p.a for p in pairs], [p.b for p in pairs])
    rep = report([p.relation for p in pairs], [p.relation for p in preds])
    by_lang: dict[str, Any] = {}
    for lang in sorted({p.lang for p in pairs}):
        idx = [i for i, p in enumerate(pairs) if p.lang == lang]
        by_lang[lang] = report([pairs[i].relation for i in idx], [preds[i].relation for i in idx])
    rep["by_lang"] = by_lang
    return rep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", action="store_true", help="evaluate the shipped weights only")
    args = parser.parse_args()
    if not args.report:
        data = train()
        WEIGHTS_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        load_model.cache_clear()
        print(
            f"trained on {data['n_train']} pairs, C={data['C']}, 5-fold CV macro-F1 {data['cv_macro_f1']:.3f}"
        )
    for split in ("train", "heldout"):
        rep = evaluate(split)
        print(format_report(rep, split))
        for lang, sub in rep["by_lang"].items():
            print(
                f"  {lang}: n={sub['n']} accuracy={sub['accuracy']:.3f} macro-F1={sub['macro_f1']:.3f}"
            )


if __name__ == "__main__":
    main()
