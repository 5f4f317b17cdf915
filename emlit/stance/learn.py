"""The stance model learns from the researcher's stance decisions: ``emlit train --model stance``.

Every stance a researcher sets in the TUI (``s``) is a ``stances`` row with provenance
``human``. Training refits the stance model's classifier on the bundled train items plus those
decisions (each weighing ``HUMAN_WEIGHT`` items), through the stance model's own feature
functions (emlit.stance.model: cues, embedding, the shipped character n-gram vocabulary) and
keeping its calibration temperature; the model's code is not touched. As for the tagger: a
share of the decisions is held out for a before/after macro-F1 report with bootstrap
intervals, the final model is fitted on all of them, saved beside the store
(``<db>.models/stance/``) as a new version and put in use: every claim's machine stance is
recomputed with it (human stances stay in effect). ``--rollback`` goes back one version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from emlit import model_registry
from emlit.errors import EmlitError
from emlit.vocab import STANCES

if TYPE_CHECKING:
    from emlit.stance.model import StanceModel, Weights
    from emlit.store import Store

HOLDOUT = 0.2
HUMAN_WEIGHT = 3.0
C = 1.0


models_dir = partial(model_registry.models_dir, kind="stance")
_registry = partial(model_registry.read_registry, kind="stance")

list_models = partial(model_registry.list_models, kind="stance")


def stance_model_for_store(store_path: str) -> StanceModel:
    """The stance model in use for this store: its active trained version, else the bundled."""
    from emlit.stance.model import StanceModel, Weights, get_stance_model

    active = model_registry.active_file(store_path, kind="stance")
    if active is None:
        return get_stance_model()
    path, entry = active
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EmlitError(f"{path}: cannot load the trained stance model ({exc})") from None
    model = StanceModel(weights=Weights.from_json(data))
    model.version = entry["version"]
    return model


@dataclass
class StanceTrainReport:
    n_decided: int
    n_fit: int
    n_held: int
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    model_id: str = ""
    restanced: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _matrix(model: StanceModel, texts: list[str], langs: list[str | None]) -> Any:
    from emlit.stance.model import cue_rows, embed, features, prepare

    cleaned, langs_ = prepare(texts, langs)
    cues, _ = cue_rows(cleaned, langs_)
    emb = embed(model.encoder, cleaned, langs_)
    w = model.weights
    ngrams = w.vectorizer.transform(cleaned)
    return features(cues, langs_, emb, ngrams, (w.cue_weight, w.emb_weight, w.ngram_weight))


def _refit(base: Weights, x: Any, y: list[str], weights: list[float]) -> Weights:
    from sklearn.linear_model import LogisticRegression

    from emlit.stance.model import Weights

    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    clf.fit(x, y, sample_weight=weights)
    order = [list(clf.classes_).index(c) for c in base.classes]
    return Weights(
        classes=list(base.classes),
        coef=clf.coef_[order],
        intercept=clf.intercept_[order],
        temperature=base.temperature,
        encoder=base.encoder,
        cue_groups=list(base.cue_groups),
        vocabulary=list(base.vocabulary),
        idf=list(base.idf),
        cue_weight=base.cue_weight,
        emb_weight=base.emb_weight,
        ngram_weight=base.ngram_weight,
        # the real-writing prior is a property of the data the model meets, not of the fit:
        # a refit keeps it (stance/model.py, Weights.prior_bias)
        prior_bias=base.prior_bias,
    )


def _predict(weights: Weights, x: Any) -> list[str]:
    from emlit.stance.model import softmax

    z = (x @ weights.coef.T + weights.intercept) / weights.temperature
    if weights.prior_bias is not None:
        z = z + weights.prior_bias
    probs = softmax(z)
    return [weights.classes[int(k)] for k in probs.argmax(axis=1)]


def _score(gold: list[str], pred: list[str]) -> dict[str, Any]:
    from emlit.stance.train import bootstrap_ci, macro_f1

    lo, hi = bootstrap_ci(gold, pred)
    return {"macro_f1": round(macro_f1(gold, pred), 4), "ci95": [round(lo, 4), round(hi, 4)]}


def train(
    store: Store,
    *,
    holdout: float = HOLDOUT,
    progress: Any = None,
    base_items: list[Any] | None = None,
) -> StanceTrainReport:
    """Refit on the bundled stance items (or ``base_items``) plus the store's stance
    decisions; save, activate, re-stance the store, report."""
    import numpy as np

    from emlit.stance.model import training_items

    say = progress or (lambda _msg: None)
    rows = store.human_stance_decisions()
    if not rows:
        raise EmlitError(
            "no human stance decisions in the store yet: set stances in the TUI (s), then run "
            "emlit train --model stance"
        )
    before = stance_model_for_store(store.path)
    if base_items is None:
        base_items = training_items()
    say(f"features of {len(base_items)} bundled items and {len(rows)} decisions")
    x_base = _matrix(before, [it.text for it in base_items], [it.lang for it in base_items])
    y_base = [it.stance for it in base_items]
    langs = [r["lang"] if r["lang"] in ("en", "zh") else None for r in rows]
    x_h = _matrix(before, [r["text"] for r in rows], langs)
    y_h = [str(r["stance"]) for r in rows]
    order = sorted(
        range(len(rows)), key=lambda i: hashlib.sha256(rows[i]["id"].encode()).hexdigest()
    )
    n_held = round(holdout * len(rows)) if len(rows) >= 5 else 0
    held, fit = sorted(order[:n_held]), sorted(order[n_held:])
    report = StanceTrainReport(len(rows), len(fit), len(held))

    def refit(idx: list[int]) -> Weights:
        x = np.vstack([x_base, x_h[idx]]) if idx else x_base
        y = y_base + [y_h[i] for i in idx]
        w = [1.0] * len(y_base) + [HUMAN_WEIGHT] * len(idx)
        return _refit(before.weights, x, y, w)

    if held:
        gold = [y_h[i] for i in held]
        report.before = _score(gold, _predict(before.weights, x_h[held]))
        report.after = _score(gold, _predict(refit(fit), x_h[held]))
    say(f"fitting on the bundled items + all {len(rows)} decisions")
    final = refit(list(range(len(rows))))
    digest = hashlib.sha256(json.dumps([[r["id"], r["stance"]] for r in rows]).encode()).hexdigest()
    reg = _registry(store.path)
    model_id = f"s{len(reg['models']) + 1:03d}-{digest[:8]}"
    data = {
        "classes": final.classes,
        "coef": np.asarray(final.coef).tolist(),
        "intercept": np.asarray(final.intercept).tolist(),
        "temperature": final.temperature,
        "encoder": final.encoder,
        "cue_groups": final.cue_groups,
        "ngrams": {"vocabulary": final.vocabulary, "idf": final.idf},
        "cue_weight": final.cue_weight,
        "emb_weight": final.emb_weight,
        "ngram_weight": final.ngram_weight,
        "prior_bias": None if final.prior_bias is None else np.asarray(final.prior_bias).tolist(),
    }
    model_registry.save_json_version(
        store.path,
        reg,
        model_id,
        data,
        kind="stance",
        n_decided=len(rows),
        report={"before": report.before, "after": report.after},
        version=f"{before.version.split('+human.')[0]}+human.{digest[:8]}",
    )
    report.model_id = model_id
    report.restanced = restance_store(store)
    return report


def rollback(store: Store) -> tuple[str | None, str | None, int]:
    """Put the stance model in use before the current one back (the bundled one after the
    first) and re-stance the store; returns (from id, to id, claims re-stanced)."""
    old, new = model_registry.roll_back(store.path, kind="stance", what="stance")
    return old, new, restance_store(store)


def restance_store(store: Store, batch: int = 256) -> int:
    """Every claim's machine stance from the model in use for the store (human rows stay)."""
    model = stance_model_for_store(store.path)
    ids = store.claim_ids()
    for start in range(0, len(ids), batch):
        claims = store.claim_texts(ids[start : start + batch])
        langs = [lang if lang in ("en", "zh") else None for _, _, lang in claims]
        results = model.predict([t for _, t, _ in claims], langs)
        store.save_machine_stances(
            {
                cid: {
                    "stance": r.stance,
                    "scores": {s: r.scores[s] for s in STANCES},
                    "model": model.version,
                    "explanation": r.explain,
                }
                for (cid, _, _), r in zip(claims, results, strict=True)
            }
        )
    return len(ids)
