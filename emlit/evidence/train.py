"""Train the relation classifier on the train split of pairs_v2 and report on its test split.

    python -m emlit.evidence.train                 # writes emlit/evidence/relation_weights.json
    python -m emlit.evidence.train --report        # only evaluate the shipped weights
    python -m emlit.evidence.train --real PAIRS    # also score a file of real pairs (not kept)
    python -m emlit.evidence.train --senses tagger # senses from the tagger, not the cue lexicon

The test split is frozen: it is never used for fitting or for choosing the regularisation
strength, which is chosen by 5-fold cross-validation inside the train split, folds grouped by
source work (a work's pairs are never on both sides of a fold). The stance of every claim
comes from the stance model (``emlit.stance.model.get_stance_model``), as at run time for bare
texts; the weights record its version. The weights file also records a hash of the exact
training rows and of the relation cue data, and tests/test_evidence_weights.py checks both
against the current files, so the shipped weights cannot drift from their split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from emlit.evidence.cues import relation_lexicon
from emlit.evidence.devset import (
    Pair,
    bootstrap_macro_f1,
    format_report,
    load_pairs,
    report,
)
from emlit.evidence.features import FEATURES, embedding_stance, pair_features
from emlit.evidence.model import (
    PROPONENT_PROTOTYPES,
    SENSES,
    SKEPTIC_PROTOTYPES,
    WEIGHTS_PATH,
    StanceProbs,
    classify_texts,
    fill_labels,
    load_model,
    predicted_stances,
)

VERSION = "relation-lr-v2"
C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
FOLDS = 5
# Where the senses of texts without labels come from (model.SENSES). The tagger's were
# compared and not adopted (docs/evidence.md, "Senses from the tagger"), so the lexicon stays.
DEFAULT_SENSES = "lexicon"


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


def feature_rows(
    a_texts: Sequence[str],
    b_texts: Sequence[str],
    direction: Any,
    a_stances: Sequence[StanceProbs] | None = None,
    b_stances: Sequence[StanceProbs] | None = None,
    a_labels: Sequence[Sequence[str] | None] | None = None,
    b_labels: Sequence[Sequence[str] | None] | None = None,
    senses: str = DEFAULT_SENSES,
) -> Any:
    """The feature matrix of text pairs; stances not given come from the stance model, senses
    not given from ``senses`` (the cue lexicon, or the tagger: each distinct text tagged once,
    as RelationModel.predict does with weights that say so)."""
    import numpy as np

    from emlit.encoder import get_encoder

    uniq = sorted(set(a_texts) | set(b_texts))
    vecs = get_encoder().encode(uniq)
    index = {t: i for i, t in enumerate(uniq)}
    if a_stances is None or b_stances is None:
        probs = predicted_stances(uniq)
        a_stances = a_stances or [probs[index[t]] for t in a_texts]
        b_stances = b_stances or [probs[index[t]] for t in b_texts]
    a_labels, b_labels = fill_labels(senses, a_texts, b_texts, a_labels, b_labels)
    a = vecs[[index[t] for t in a_texts]]
    b = vecs[[index[t] for t in b_texts]]
    cos = np.einsum("ij,ij->i", a, b)
    sa, sb = embedding_stance(a, direction), embedding_stance(b, direction)
    return np.asarray(
        [
            pair_features(
                ta,
                tb,
                float(cos[i]),
                float(sa[i]),
                float(sb[i]),
                a_labels[i],
                b_labels[i],
                a_stances[i],
                b_stances[i],
            )
            for i, (ta, tb) in enumerate(zip(a_texts, b_texts, strict=True))
        ]
    )


def _folds(groups: Sequence[str]) -> Any:
    from sklearn.model_selection import GroupKFold

    n = min(FOLDS, len(set(groups)))
    return GroupKFold(n) if n >= 2 else None


def fit_rows(
    x: Any, y: Sequence[str], groups: Sequence[str], weights: Sequence[float] | None = None
) -> dict[str, Any]:
    """Standardise, choose C by grouped CV (macro-F1), fit; the fitted numbers as a dict."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    ys = np.asarray(y)
    w = np.asarray(weights, dtype=np.float64) if weights is not None else np.ones(len(y))
    folds = _folds(groups)
    best_c, best_f1 = C_GRID[len(C_GRID) // 2], -1.0
    if folds is not None:
        for c in C_GRID:
            pred = np.empty(len(ys), dtype=object)
            for tr, te in folds.split(x, ys, groups):
                sc = StandardScaler().fit(x[tr])
                clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
                clf.fit(sc.transform(x[tr]), ys[tr], sample_weight=w[tr])
                pred[te] = clf.predict(sc.transform(x[te]))
            f1 = report(list(ys), list(pred))["macro_f1"]
            if f1 > best_f1 + 1e-9:
                best_c, best_f1 = c, f1
    scaler = StandardScaler().fit(x)
    clf = LogisticRegression(C=best_c, max_iter=5000, class_weight="balanced")
    clf.fit(scaler.transform(x), ys, sample_weight=w)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    return {
        "features": list(FEATURES),
        "classes": [str(c) for c in clf.classes_],
        "mean": scaler.mean_.tolist(),
        "scale": scale.tolist(),
        "coef": clf.coef_.tolist(),
        "intercept": clf.intercept_.tolist(),
        "C": float(best_c),
        "cv_macro_f1": float(best_f1),
    }


def cv_predictions(x: Any, y: Sequence[str], groups: Sequence[str], c: float) -> list[str]:
    """Out-of-fold predictions at a given C (for the grouped-CV report)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    ys = np.asarray(y)
    pred = np.empty(len(ys), dtype=object)
    folds = _folds(groups)
    assert folds is not None
    for tr, te in folds.split(x, ys, groups):
        sc = StandardScaler().fit(x[tr])
        clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
        clf.fit(sc.transform(x[tr]), ys[tr])
        pred[te] = clf.predict(sc.transform(x[te]))
    return [str(p) for p in pred]


def train(senses: str = DEFAULT_SENSES) -> dict[str, Any]:
    from emlit.stance.model import get_stance_model

    pairs = load_pairs(split="train")
    direction = stance_direction()
    x = feature_rows([p.a for p in pairs], [p.b for p in pairs], direction, senses=senses)
    fitted = fit_rows(x, [p.relation for p in pairs], [p.work for p in pairs])
    extra: dict[str, Any] = {"senses": senses}
    if senses == "tagger":  # the weights then depend on the tagger's version too
        from emlit.tagging.stage import get_tagger

        extra["tagger_model"] = get_tagger().model_version
    return {
        "version": VERSION,
        **fitted,
        **extra,
        "cv": f"{FOLDS}-fold grouped by source work",
        "n_train": len(pairs),
        "train_rows_sha256": rows_hash(pairs),
        "relation_cues_sha256": relation_lexicon().digest,
        "stance_model": get_stance_model().version,
        "stance_direction": [round(float(v), 6) for v in direction],
    }


def _report_rows(pairs: Sequence[Pair], predicted: Sequence[str]) -> dict[str, Any]:
    gold = [p.relation for p in pairs]
    rep = report(gold, list(predicted))
    rep["ci95"] = list(bootstrap_macro_f1(gold, list(predicted)))
    by_lang: dict[str, Any] = {}
    for lang in sorted({p.lang for p in pairs}):
        idx = [i for i, p in enumerate(pairs) if p.lang == lang]
        by_lang[lang] = report([gold[i] for i in idx], [predicted[i] for i in idx])
    rep["by_lang"] = by_lang
    return rep


def evaluate(split: str = "test", path: Path | None = None) -> dict[str, Any]:
    pairs = load_pairs(path, split=split) if path else load_pairs(split=split)
    preds = classify_texts([p.a for p in pairs], [p.b for p in pairs])
    return _report_rows(pairs, [p.relation for p in preds])


def load_real(path: Path) -> list[Pair]:
    """Real pairs (id, a, b, relation; no split): scored only, never kept or fitted on."""
    from emlit.jsonl import file_objects

    out = []
    for _n, _where, row in file_objects(path):
        lang = "zh" if any("\u3400" <= ch <= "\u9fff" for ch in row["a"] + row["b"]) else "en"
        out.append(Pair(str(row["id"]), row["a"], row["b"], row["relation"], lang, "real"))
    return out


def _print(rep: dict[str, Any], title: str) -> None:
    print(format_report(rep, title))
    print(f"  COUNTERS recall {rep['per_relation']['COUNTERS']['recall']:.3f}")
    for lang, sub in rep["by_lang"].items():
        print(
            f"  {lang}: n={sub['n']} accuracy={sub['accuracy']:.3f} macro-F1={sub['macro_f1']:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", action="store_true", help="evaluate the shipped weights only")
    parser.add_argument("--real", type=Path, help="a JSONL file of real pairs to score as well")
    parser.add_argument(
        "--senses",
        choices=SENSES,
        default=DEFAULT_SENSES,
        help="senses of the pair texts: the relation cue lexicon's reading or the definition "
        f"tagger's labels (default {DEFAULT_SENSES}); recorded in the weights",
    )
    args = parser.parse_args()
    if not args.report:
        data = train(args.senses)
        WEIGHTS_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        load_model.cache_clear()
        print(
            f"trained on {data['n_train']} pairs, C={data['C']}, {data['cv']} CV macro-F1 "
            f"{data['cv_macro_f1']:.3f}"
        )
    shipped = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    train_pairs = load_pairs(split="train")
    x = feature_rows(
        [p.a for p in train_pairs],
        [p.b for p in train_pairs],
        stance_direction(),
        senses=shipped.get("senses", "lexicon"),
    )
    cv_pred = cv_predictions(
        x, [p.relation for p in train_pairs], [p.work for p in train_pairs], shipped["C"]
    )
    _print(_report_rows(train_pairs, cv_pred), f"train, {FOLDS}-fold grouped CV")
    _print(evaluate("test"), "test (frozen)")
    if args.real:
        real = load_real(args.real)
        preds = classify_texts([p.a for p in real], [p.b for p in real])
        _print(_report_rows(real, [p.relation for p in preds]), f"real ({args.real.name})")


if __name__ == "__main__":
    main()
