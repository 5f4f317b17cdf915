"""Stance inside the ``tag`` stage: it travels with the tagger's result of each claim.

A tagger result (the dict ``tag_cache`` keeps) gains ``stance``, ``stance_scores``,
``stance_explain`` and ``stance_model`` (the stance model's version). ``save_tag_results``
(emlit.tagging.stage) completes results that lack them or carry another version, so a cached
tag result costs one stance prediction when only the stance model changed, and results
computed elsewhere (ingest workers) get their stance before they are stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emlit.store import Store

BATCH = 256
FIELDS = ("stance", "stance_scores", "stance_explain", "stance_model")


def remembering(encoder: Any) -> AbstractContextManager[Any]:
    """The encoder's memo (a text is encoded once inside it), unless one is open already (an
    outer block owns it) or the encoder has none."""
    if getattr(encoder, "_memo", None) is not None or not hasattr(encoder, "remembering"):
        return nullcontext()
    cm: AbstractContextManager[Any] = encoder.remembering()
    return cm


def stance_fields(texts: Sequence[str], langs: Sequence[str | None]) -> list[dict[str, Any]]:
    """The stance fields of a tagger result, one dict per text."""
    from emlit.stance.model import get_stance_model

    model = get_stance_model()
    return [
        {
            "stance": r.stance,
            "stance_scores": r.scores,
            "stance_explain": r.explain,
            "stance_model": model.version,
        }
        for r in model.predict(list(texts), list(langs))
    ]


def complete_stances(
    claims: Sequence[tuple[str, str, str | None]], results: Mapping[str, dict[str, Any]]
) -> set[str]:
    """Give each claim's result (by claim id) a stance of the current stance model, in one
    batch; returns the ids of the claims whose result changed (to be cached again)."""
    from emlit.stance.model import stance_version

    version = stance_version()
    todo, seen = [], set()
    for cid, text, lang in claims:
        result = results[cid]
        if result.get("stance_model") != version and id(result) not in seen:
            seen.add(id(result))  # claims with the same text share one result
            todo.append((cid, text, lang))
    if todo:
        langs = [lang if lang in ("en", "zh") else None for _, _, lang in todo]
        fields = stance_fields([t for _, t, _ in todo], langs)
        for (cid, _, _), f in zip(todo, fields, strict=True):
            results[cid].update(f)
    return {cid for cid, _, _ in todo}


def stance_row(result: Mapping[str, Any]) -> dict[str, Any]:
    """A machine stance row for the store (``Store.save_machine_stances``)."""
    return {
        "stance": result["stance"],
        "scores": result["stance_scores"],
        "model": result["stance_model"],
        "explanation": result["stance_explain"],
    }


def stance_claims(store: Store, claim_ids: Sequence[str], progress: Callable[[int], None]) -> None:
    """Machine stances for stored claims (those the tag stage does not see: the curated map);
    human decisions are never touched."""
    ids = list(claim_ids)
    for start in range(0, len(ids), BATCH):
        claims = store.claim_texts(ids[start : start + BATCH])
        results: dict[str, dict[str, Any]] = {cid: {} for cid, _, _ in claims}
        complete_stances(claims, results)
        store.save_machine_stances({cid: stance_row(r) for cid, r in results.items()})
        progress(len(claims))


def stance_missing(store: Store, corpus: Path) -> None:
    """``emlit demo``'s loader: a stance for every claim that has none yet."""
    stance_claims(store, store.claims_without_stance(), lambda n: None)
