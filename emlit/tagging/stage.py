"""The ``tag`` stage of ``emlit ingest``: machine tags for stored claims, cached by text."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from emlit.tagging.explain import label_explanation
from emlit.vocab import DEFINITIONS

if TYPE_CHECKING:
    from emlit.store import Store
    from emlit.tagging.tagger import Tagger, TagResult

BATCH = 128
_TAGGERS: dict[str, Tagger] = {}


def get_tagger(encoder: str | None = None) -> Tagger:
    """One tagger per encoder identity, on the process's shared encoder (emlit.encoder)."""
    from emlit.encoder import get_encoder

    enc = get_encoder(encoder)
    if enc.identity not in _TAGGERS:
        from emlit.tagging.tagger import Tagger

        _TAGGERS[enc.identity] = Tagger(enc)
    return _TAGGERS[enc.identity]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tag_claims(store: Store, claim_ids: Sequence[str], progress: Callable[[int], None]) -> None:
    """Tag the given claims; machine rows are replaced, human rows are never touched.

    Results are cached in ``tag_cache`` by (text hash, model version): claims whose text was
    tagged before by the same model version cost no encoding at all. The model is the one in
    use for this store: the model ``emlit train`` fitted on its human decisions, if any
    (emlit.tagging.learn), else the bundled one.
    """
    from emlit.stance.stage import remembering, stance_fields
    from emlit.tagging.learn import store_model_version, tagger_for_store

    version = store_model_version(store.path)
    ids = list(claim_ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        claims = store.claim_texts(chunk)

        def compute(todo: list[tuple[str, str, str | None]]) -> list[dict[str, Any]]:
            tagger = tagger_for_store(store.path)
            langs = [lang if lang in ("en", "zh") else None for _, _, lang in todo]
            texts = [t for _, t, _ in todo]
            # The stance model reads the same cleaned texts with the same encoder: inside one
            # memo each text is encoded once for both (emlit.stance.stage).
            with remembering(tagger.encoder):
                results = [result_dict(r) for r in tagger.tag(texts, langs)]
                for result, fields in zip(results, stance_fields(texts, langs), strict=True):
                    result.update(fields)
            return results

        save_tag_results(store, claims, compute, version)
        progress(len(chunk))


def result_dict(r: TagResult) -> dict[str, Any]:
    """A tagger result as ``tag_cache`` keeps it (JSON)."""
    return {"labels": r.labels, "scores": r.scores, "lang": r.lang, "explain": r.explain}


def save_tag_results(
    store: Store,
    claims: Sequence[tuple[str, str, str | None]],
    compute: Callable[[list[tuple[str, str, str | None]]], Sequence[dict[str, Any]]],
    version: str,
) -> None:
    """Store machine tags of ``claims`` (id, text, lang) in one transaction: a cached result
    of the same text and model version is used when there is one, ``compute`` gives the
    others (called once, with the claims not cached), and those go into the cache.

    The ingest workers tag the claims of each file while reading it; the process that owns
    the store hands their results in through ``compute``, so the cache decides as here."""
    hashes = {cid: text_hash(text) for cid, text, _ in claims}
    cached = {
        h: json.loads(result)
        for h, result in store.cached_tag_results(sorted(set(hashes.values())), version).items()
    }
    todo = [c for c in claims if hashes[c[0]] not in cached]
    if todo:
        for (cid, _, _), result in zip(todo, compute(todo), strict=True):
            cached[hashes[cid]] = result
    # Stance travels with the tags (contract 9): a result without the current stance model's
    # stance (cached before, or computed by an ingest worker) gets it here, in one batch.
    from emlit.stance.stage import complete_stances, stance_row

    restanced = complete_stances(claims, {cid: cached[hashes[cid]] for cid, _, _ in claims})
    rewrite = sorted({hashes[cid] for cid, _, _ in todo} | {hashes[cid] for cid in restanced})
    with store.transaction():
        store.cache_tag_results(
            version, [(h, json.dumps(cached[h], ensure_ascii=False)) for h in rewrite]
        )
        store.save_machine_tags({cid: _rows(cached[hashes[cid]], version) for cid, _, _ in claims})
        store.save_machine_stances({cid: stance_row(cached[hashes[cid]]) for cid, _, _ in claims})


def _rows(result: dict[str, Any], version: str) -> list[dict[str, Any]]:
    return [
        {
            "label": d,
            "assigned": d in result["labels"],
            "score": result["scores"][d],
            "provenance": "model",
            "model": version,
            "explanation": label_explanation(result, d, version),
        }
        for d in DEFINITIONS
    ]
