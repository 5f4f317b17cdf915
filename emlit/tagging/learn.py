"""A tagger that learns from the researcher: ``emlit train``.

Every definition a researcher accepts, rejects or adds in the TUI is a ``tags`` row with
provenance ``human``. ``train`` refits the tagger heads on the bundled training items plus
those decisions (a reviewed claim's labels are its effective labels: the human decisions
over the machine's), weighting a decision ``Recipe.human_weight`` times a bundled item.

- **Held-out report.** 20% of the decided claims, whole documents at a time, are held out;
  the model in use before and a model refitted without them are both scored on them
  (macro-F1 over D1-D6 and "none", bootstrap 95% intervals resampling documents, and the
  interval of the difference). The model saved is then refitted on *all* decisions.
- **Versions.** Models are kept beside the store, in ``<store>.models/``, one file per
  version (``t001-<hash>.pkl``) and ``registry.json`` saying which one is in use and which
  was in use before it. ``emlit train --rollback`` goes back one step (to the bundled model
  after the first).
- **Re-tagging.** After training or rolling back, every claim in the store is re-tagged with
  the model now in use. Machine rows are replaced; human rows are never touched, and the
  ``effective_tags`` view keeps them in effect.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import warnings
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from emlit import model_registry
from emlit.errors import EmlitError
from emlit.tagging.devset import Item

if TYPE_CHECKING:
    from emlit.store import Store, StoreReader
    from emlit.tagging.head import Recipe
    from emlit.tagging.tagger import Tagger

HOLDOUT = 0.2


class StaleModelWarning(UserWarning):
    """A trained model was fitted for another encoder or tagger version; the bundled model
    is used until ``emlit train`` runs again."""


# -- the researcher's decisions --------------------------------------------------------


def human_items(store: StoreReader) -> list[Item]:
    """The decided claims as training items; their work is their document."""
    return [
        Item(
            r["id"],
            r["text"],
            r["lang"] if r["lang"] in ("en", "zh") else "en",
            tuple(sorted(r["labels"])),
            r["document"],
            "human",
            work=f"doc:{r['document']}",
            origin="human",
        )
        for r in store.human_tag_decisions()
    ]


def split_by_document(items: list[Item], share: float = HOLDOUT) -> tuple[list[Item], list[Item]]:
    """(fit, held): whole documents held out, in a fixed pseudo-random order, until at least
    ``share`` of the claims are; with a single document, claims are split instead."""
    if not items or share <= 0:
        return list(items), []
    docs = sorted({it.work for it in items}, key=lambda w: hashlib.sha256(w.encode()).hexdigest())
    key = (lambda it: it.work) if len(docs) > 1 else (lambda it: it.id)
    units = (
        docs
        if len(docs) > 1
        else sorted({it.id for it in items}, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    )
    want = max(1, round(share * len(items)))
    held_units: set[str] = set()
    count = 0
    for u in units:
        if count >= want or len(held_units) == len(units) - 1:
            break
        held_units.add(u)
        count += sum(1 for it in items if key(it) == u)
    held = [it for it in items if key(it) in held_units]
    fit = [it for it in items if key(it) not in held_units]
    return fit, held


# -- versions beside the store ---------------------------------------------------------


models_dir = partial(model_registry.models_dir, kind="")
_registry = partial(model_registry.read_registry, kind="")


def active_model(store_path: str) -> dict[str, Any] | None:
    """The registry entry of the model in use for this store (None: the bundled model)."""
    active = model_registry.active_file(store_path, kind="")
    return None if active is None else active[1]


list_models = partial(model_registry.list_models, kind="")


_LOADED: dict[tuple[str, str], Tagger] = {}


def tagger_for_store(store_path: str) -> Tagger:
    """The tagger in use for this store: its active trained model if there is one that fits
    the current encoder and tagger code, else the bundled model (``stage.get_tagger``)."""
    from emlit.tagging.stage import get_tagger

    entry = active_model(store_path)
    if entry is None:
        return get_tagger()
    key = (str(models_dir(store_path)), entry["id"])
    if key in _LOADED:
        return _LOADED[key]
    from emlit.encoder import get_encoder
    from emlit.tagging.tagger import Tagger, model_version

    base = model_version()
    path = models_dir(store_path) / entry["file"]
    if entry.get("base") != base:
        warnings.warn(
            f"{path.name} was trained for {entry.get('base')}, not for the tagger in use "
            f"({base}); tagging with the bundled model: run emlit train again",
            StaleModelWarning,
            stacklevel=2,
        )
        return get_tagger()
    try:
        with path.open("rb") as fh:
            saved = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
        raise EmlitError(f"{path}: cannot load the trained tagger ({exc})") from None
    tagger = Tagger(get_encoder(), head=saved["head"], version=entry["version"])
    _LOADED[key] = tagger
    return tagger


# -- training --------------------------------------------------------------------------


@dataclass
class TrainReport:
    n_decided: int
    n_fit: int
    n_held: int
    held_documents: int
    before_version: str
    after_version: str
    before: dict[str, Any] = field(default_factory=dict)  # macro-F1, interval, per class
    after: dict[str, Any] = field(default_factory=dict)
    difference: dict[str, Any] = field(default_factory=dict)
    model_id: str = ""
    retagged: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _scores(items: list[Item], pred: list[list[str]]) -> dict[str, Any]:
    from emlit.tagging.evaluate import bootstrap

    macro, per = bootstrap(items, pred)
    return {
        "macro_f1": round(macro.value, 4),
        "ci95": [round(macro.lo, 4), round(macro.hi, 4)],
        "per_class": {c: round(iv.value, 4) for c, iv in per.items()},
    }


def _version_hash(base: str, items: list[Item], recipe: Recipe, extra: str = "") -> str:
    h = hashlib.sha256(f"{base}|{recipe!r}|{extra}".encode())
    for it in items:
        h.update(json.dumps([it.id, it.text, it.labels], ensure_ascii=False).encode())
    return h.hexdigest()[:8]


def train(
    store: Store,
    *,
    base_items: list[Item] | None = None,
    recipe: Recipe | None = None,
    holdout: float = HOLDOUT,
    retag: bool = True,
    progress: Any = None,
    before: Tagger | None = None,
) -> TrainReport:
    """Refit on the bundled items (or ``base_items``) plus the store's human decisions;
    save and activate the new version; re-tag the store; report before/after (``before``:
    the model to compare with, by default the one in use for the store)."""
    from emlit.encoder import get_encoder
    from emlit.tagging import devset
    from emlit.tagging.evaluate import paired_difference, tagger_predict
    from emlit.tagging.head import DEFAULT_RECIPE
    from emlit.tagging.tagger import Tagger, model_version

    say = progress or (lambda _msg: None)
    recipe = recipe or DEFAULT_RECIPE
    decided = human_items(store)
    if not decided:
        raise EmlitError(
            "no human tag decisions in the store yet: accept, reject or add definitions in "
            "the TUI (emlit tui), then run emlit train"
        )
    base = base_items if base_items is not None else devset.training_items()
    fit_part, held = split_by_document(decided, holdout)
    before_tagger = before or tagger_for_store(store.path)
    encoder = get_encoder()
    report = TrainReport(
        n_decided=len(decided),
        n_fit=len(fit_part),
        n_held=len(held),
        held_documents=len({it.work for it in held}),
        before_version=before_tagger.model_version,
        after_version="",
    )
    if held:
        say(f"fitting on the bundled set + {len(fit_part)} decisions (held out: {len(held)})")
        candidate = Tagger(encoder, train=[*base, *fit_part], recipe=recipe)
        pred_before = tagger_predict(before_tagger)(held)
        pred_after = tagger_predict(candidate)(held)
        report.before = _scores(held, pred_before)
        report.after = _scores(held, pred_after)
        diff = paired_difference(held, pred_before, pred_after)
        report.difference = {
            "macro_f1": round(diff.value, 4),
            "ci95": [round(diff.lo, 4), round(diff.hi, 4)],
        }
    say(f"fitting on the bundled set + all {len(decided)} decisions")
    final = Tagger(encoder, train=[*base, *decided], recipe=recipe)
    bundled = model_version()
    extra = "" if base_items is None else f"custom-base:{len(base)}"
    digest = _version_hash(bundled, decided, recipe, extra)
    version = f"{bundled}+human.{digest}"
    reg = _registry(store.path)
    n = len(reg["models"]) + 1
    model_id = f"t{n:03d}-{digest}"
    entry = model_registry.new_entry(
        reg,
        model_id,
        suffix=".pkl",
        n_decided=len(decided),
        report={"before": report.before, "after": report.after, "difference": report.difference},
        version=version,
        base=bundled,
        encoder=encoder.identity,
    )
    payload = pickle.dumps({"head": final.head, "entry": entry})
    model_registry.save_version(store.path, reg, entry, payload, kind="")
    report.model_id = model_id
    report.after_version = version
    if retag:
        report.retagged = retag_store(store)
    return report


def rollback(store: Store, *, retag: bool = True) -> tuple[str | None, str | None, int]:
    """Put the model in use before the current one back in use (the bundled model after the
    first); returns (from id, to id, claims re-tagged). The rolled-back file is kept."""
    old, new = model_registry.roll_back(store.path, kind="", what="tagger")
    return old, new, retag_store(store) if retag else 0


def retag_store(store: Store) -> int:
    """Re-tag every claim with the model in use (human rows stay)."""
    from emlit.tagging.stage import tag_claims

    ids = store.claim_ids()
    tag_claims(store, ids, lambda _n: None)
    return len(ids)


def store_model_version(store_path: str) -> str:
    """The model version tags of this store are made with (cheap: loads no model)."""
    from emlit.tagging.tagger import model_version

    base = model_version()
    entry = active_model(store_path)
    if entry is None or entry.get("base") != base:
        return base
    return str(entry["version"])
