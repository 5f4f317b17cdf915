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
    from emlit.tagging.tagger import Tagger

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
    tagged before by the same model version cost no encoding at all.
    """
    from emlit.tagging.tagger import model_version

    version = model_version()
    ids = list(claim_ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        claims = store.claim_texts(chunk)
        hashes = {cid: text_hash(text) for cid, text, _ in claims}
        cached = {
            h: json.loads(result)
            for h, result in store.cached_tag_results(sorted(set(hashes.values())), version).items()
        }
        todo = [(cid, text, lang) for cid, text, lang in claims if hashes[cid] not in cached]
        if todo:
            tagger = get_tagger()
            langs = [lang if lang in ("en", "zh") else None for _, _, lang in todo]
            for (cid, _, _), r in zip(
                todo, tagger.tag([t for _, t, _ in todo], langs), strict=True
            ):
                cached[hashes[cid]] = {
                    "labels": r.labels,
                    "scores": r.scores,
                    "lang": r.lang,
                    "explain": r.explain,
                }
        with store.transaction():
            store.cache_tag_results(
                version,
                [
                    (hashes[cid], json.dumps(cached[hashes[cid]], ensure_ascii=False))
                    for cid, _, _ in todo
                ],
            )
            store.save_machine_tags(
                {cid: _rows(cached[hashes[cid]], version) for cid, _, _ in claims}
            )
        progress(len(chunk))


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
