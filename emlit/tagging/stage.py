"""The ``tag`` stage of ``emlit ingest``: machine tags for stored claims, cached by text."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from emlit.definitions import DEFINITION_IDS
from emlit.tagging.explain import label_explanation

if TYPE_CHECKING:
    from emlit.store import Store
    from emlit.tagging.tagger import Tagger

BATCH = 128
_TAGGERS: dict[str | None, Tagger] = {}


def get_tagger(encoder: str | None = None) -> Tagger:
    """One tagger per process and encoder (loading the model is the slow part)."""
    if encoder not in _TAGGERS:
        from emlit.tagging.encoder import Encoder
        from emlit.tagging.tagger import Tagger

        _TAGGERS[encoder] = Tagger(Encoder(encoder))
    return _TAGGERS[encoder]


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
        marks = ",".join("?" * len(chunk))
        claims = store.conn.execute(
            f"SELECT id, text, lang FROM claims WHERE id IN ({marks})", chunk
        ).fetchall()
        hashes = {cid: text_hash(text) for cid, text, _ in claims}
        cached = _cached(store, list(set(hashes.values())), version)
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
        with store.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO tag_cache (text_hash, model_version, result) VALUES (?, ?, ?)",
                [
                    (hashes[cid], version, json.dumps(cached[hashes[cid]], ensure_ascii=False))
                    for cid, _, _ in todo
                ],
            )
            for cid, _, _ in claims:
                store.set_machine_tags(cid, _rows(cached[hashes[cid]], version))
        progress(len(chunk))


def _cached(store: Store, hashes: list[str], version: str) -> dict[str, dict[str, Any]]:
    if not hashes:
        return {}
    marks = ",".join("?" * len(hashes))
    rows = store.conn.execute(
        f"SELECT text_hash, result FROM tag_cache WHERE model_version = ? AND text_hash IN ({marks})",
        [version, *hashes],
    )
    return {h: json.loads(res) for h, res in rows}


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
        for d in DEFINITION_IDS
    ]
