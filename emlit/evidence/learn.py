"""The relation model learns from the researcher's link decisions: ``emlit train --model relation``.

Every link a researcher confirms, corrects or rejects in the TUI is a ``links`` row with
provenance ``human`` (a rejected pair counts as UNRELATED). Training refits the relation
classifier on the bundled train pairs (pairs_v2, split train) plus those decisions, each
decision weighing ``HUMAN_WEIGHT`` bundled pairs, with the claims' effective stances and
definitions from the store. As for the tagger (emlit.tagging.learn): a share of the decisions
is held out for a before/after macro-F1 report with bootstrap intervals, the final model is
fitted on all of them, saved beside the store (``<db>.models/relation/``) as a new version and
put in use for the store's linking; ``--rollback`` goes back one version (the bundled weights
after the first). Version files are never deleted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from emlit import model_registry
from emlit.errors import EmlitError

if TYPE_CHECKING:
    from emlit.evidence.model import RelationModel
    from emlit.store import Store, StoreReader

HOLDOUT = 0.2
HUMAN_WEIGHT = 3.0


models_dir = partial(model_registry.models_dir, kind="relation")
_registry = partial(model_registry.read_registry, kind="relation")

list_models = partial(model_registry.list_models, kind="relation")


def model_for_store(store_path: str) -> RelationModel:
    """The relation model in use for this store: its active trained version, else the
    bundled weights."""
    from emlit.evidence.model import load_model

    active = model_registry.active_file(store_path, kind="relation")
    return load_model() if active is None else load_model(str(active[0]))


@dataclass
class RelationTrainReport:
    n_decided: int
    n_fit: int
    n_held: int
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    model_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _decisions(store: StoreReader) -> list[dict[str, Any]]:
    return store.human_link_decisions()


def _split(rows: list[dict[str, Any]], share: float) -> tuple[list[int], list[int]]:
    """(fit, held) row indices: a fixed pseudo-random order of the pairs, ``share`` held."""
    order = sorted(
        range(len(rows)),
        key=lambda i: hashlib.sha256(
            f"{rows[i]['source']}|{rows[i]['target']}".encode()
        ).hexdigest(),
    )
    n_held = round(share * len(rows)) if len(rows) >= 5 else 0
    held = sorted(order[:n_held])
    return sorted(order[n_held:]), held


def _features(
    store: StoreReader, rows: list[dict[str, Any]], direction: Any, senses: str = "lexicon"
) -> Any:
    from emlit.evidence.stage import store_stances
    from emlit.evidence.train import feature_rows

    ids = sorted({r["source"] for r in rows} | {r["target"] for r in rows})
    known = store_stances(store, ids)  # type: ignore[arg-type]
    labels = store.labels_for(ids)
    a_st = [known.get(r["source"]) for r in rows]
    b_st = [known.get(r["target"]) for r in rows]
    if any(s is None for s in a_st + b_st):
        from emlit.evidence.model import predicted_stances

        texts = {r["source"]: r["a"] for r in rows} | {r["target"]: r["b"] for r in rows}
        todo = [c for c in ids if c not in known]
        known.update(zip(todo, predicted_stances([texts[c] for c in todo]), strict=True))
        a_st = [known[r["source"]] for r in rows]
        b_st = [known[r["target"]] for r in rows]
    return feature_rows(
        [r["a"] for r in rows],
        [r["b"] for r in rows],
        direction,
        a_st,  # type: ignore[arg-type]
        b_st,  # type: ignore[arg-type]
        [labels[r["source"]] or None for r in rows],
        [labels[r["target"]] or None for r in rows],
        senses=senses,
    )


def _score(gold: list[str], pred: list[str]) -> dict[str, Any]:
    from emlit.evidence.devset import bootstrap_macro_f1, report

    rep = report(gold, pred)
    lo, hi = bootstrap_macro_f1(gold, pred)
    return {
        "macro_f1": round(rep["macro_f1"], 4),
        "ci95": [round(lo, 4), round(hi, 4)],
        "counters_recall": round(rep["per_relation"]["COUNTERS"]["recall"], 4),
    }


def train(
    store: Store,
    *,
    holdout: float = HOLDOUT,
    progress: Any = None,
    base_pairs: list[Any] | None = None,
) -> RelationTrainReport:
    """Refit on the bundled train pairs (or ``base_pairs``) plus the store's link decisions;
    save, activate, report."""
    import numpy as np

    from emlit.evidence.devset import load_pairs
    from emlit.evidence.model import RelationModel
    from emlit.evidence.train import VERSION, feature_rows, fit_rows

    say = progress or (lambda _msg: None)
    rows = _decisions(store)
    if not rows:
        raise EmlitError(
            "no human link decisions in the store yet: confirm, correct or reject links in "
            "the TUI (emlit tui), then run emlit train --model relation"
        )
    before_model = model_for_store(store.path)
    base = base_pairs if base_pairs is not None else load_pairs(split="train")
    direction = before_model.direction
    say(f"features of {len(base)} bundled pairs and {len(rows)} decisions")
    # Senses read as the model in use reads them (cue lexicon or tagger), so a refit is alike.
    senses = before_model.senses
    x_base = feature_rows([p.a for p in base], [p.b for p in base], direction, senses=senses)
    y_base = [p.relation for p in base]
    g_base = [p.work for p in base]
    x_h = _features(store, rows, direction, senses)
    y_h = [r["relation"] for r in rows]
    fit_idx, held_idx = _split(rows, holdout)
    report = RelationTrainReport(len(rows), len(fit_idx), len(held_idx))

    def fitted(idx: list[int]) -> dict[str, Any]:
        x = np.vstack([x_base, x_h[idx]]) if idx else x_base
        y = y_base + [y_h[i] for i in idx]
        groups = g_base + ["human"] * len(idx)
        weights = [1.0] * len(y_base) + [HUMAN_WEIGHT] * len(idx)
        return fit_rows(x, y, groups, weights)

    def predict(data: dict[str, Any], x: Any) -> list[str]:
        model = RelationModel(
            {**data, "stance_direction": direction.tolist(), "relation_cues_sha256": _cues()}
        )
        probs = model.probabilities(x)
        return [model.classes[int(k)] for k in probs.argmax(axis=1)]

    if held_idx:
        say(f"held out {len(held_idx)} decisions for the before/after report")
        x_held = x_h[held_idx]
        gold = [y_h[i] for i in held_idx]
        report.before = _score(gold, [p for p in predict(_as_data(before_model), x_held)])
        report.after = _score(gold, predict(fitted(fit_idx), x_held))
    say(f"fitting on the bundled pairs + all {len(rows)} decisions")
    final = fitted(list(range(len(rows))))
    digest = hashlib.sha256(
        json.dumps([[r["source"], r["target"], r["relation"]] for r in rows]).encode()
    ).hexdigest()[:8]
    reg = _registry(store.path)
    model_id = f"r{len(reg['models']) + 1:03d}-{digest}"
    data = {
        **final,
        "version": f"{VERSION}+human.{digest}",
        "relation_cues_sha256": _cues(),
        "stance_direction": [round(float(v), 6) for v in direction],
        "senses": senses,
        "n_decided": len(rows),
    }
    model_registry.save_json_version(
        store.path,
        reg,
        model_id,
        data,
        kind="relation",
        n_decided=len(rows),
        report={"before": report.before, "after": report.after},
    )
    report.model_id = model_id
    return report


def _cues() -> str:
    from emlit.evidence.cues import relation_lexicon

    return relation_lexicon().digest


def _as_data(model: RelationModel) -> dict[str, Any]:
    from emlit.evidence.features import FEATURES

    return {
        "features": list(FEATURES),
        "classes": model.classes,
        "mean": model.mean.tolist(),
        "scale": model.scale.tolist(),
        "coef": model.coef.tolist(),
        "intercept": model.intercept.tolist(),
    }


def rollback(store: Store) -> tuple[str | None, str | None]:
    """Put the relation model in use before the current one back (the bundled weights after
    the first); returns (from id, to id). The rolled-back file is kept."""
    return model_registry.roll_back(store.path, kind="relation", what="relation")
