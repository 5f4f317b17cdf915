"""Writes of definition tags (machine and human) and of the tagger's result cache."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from emlit.errors import EmlitError
from emlit.store.base import Writable
from emlit.store.sql import id_chunks, now
from emlit.vocab import DEFINITIONS, HUMAN


class TagWrites(Writable):
    def set_machine_tags(self, claim_id: str, rows: Sequence[dict[str, Any]]) -> None:
        """Replace a claim's machine tags; human rows stay. Rows: label, assigned, score,
        provenance (rule | model), model, explanation (any JSON value)."""
        self.save_machine_tags({claim_id: rows})

    def set_human_tag(self, claim_id: str, label: str, assigned: bool) -> None:
        """Record a researcher's decision: the claim does (or does not) use ``label``."""
        if label not in DEFINITIONS:
            raise EmlitError(f"label: {label!r} is not one of {', '.join(DEFINITIONS)}")
        with self.transaction():
            self.db.table("tags").insert(
                {
                    "claim_id": claim_id,
                    "label": label,
                    "provenance": HUMAN,
                    "assigned": int(assigned),
                    "score": 1.0 if assigned else 0.0,
                    "model": None,
                    "explanation": None,
                    "created_at": now(),
                },
                replace=True,
            )

    def clear_human_tag(self, claim_id: str, label: str) -> None:
        """Undo a human decision, so the machine's tag shows again."""
        with self.transaction() as conn:
            conn.execute(
                f"DELETE FROM tags WHERE claim_id = ? AND label = ? AND provenance = '{HUMAN}'",
                [claim_id, label],
            )

    def cache_tag_results(self, version: str, results: Iterable[tuple[str, str]]) -> None:
        """Keep tagger results (text hash, JSON) of this model version for re-runs."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO tag_cache (text_hash, model_version, result) "
                "VALUES (?, ?, ?)",
                [(h, version, result) for h, result in results],
            )

    def save_machine_tags(self, tags_by_claim: Mapping[str, Sequence[dict[str, Any]]]) -> None:
        """``set_machine_tags`` for many claims in one transaction: their machine rows go
        (one statement per 500 claims), the new rows come in one bulk insert."""
        with self.transaction() as conn:
            for chunk, marks in id_chunks(list(tags_by_claim)):
                conn.execute(
                    f"DELETE FROM tags WHERE provenance != '{HUMAN}' AND claim_id IN ({marks})",
                    chunk,
                )
            stamp = now()
            self.db.table("tags").insert_all(
                (
                    {
                        "claim_id": claim_id,
                        "label": r["label"],
                        "provenance": r.get("provenance", "model"),
                        "assigned": int(bool(r["assigned"])),
                        "score": r.get("score"),
                        "model": r.get("model"),
                        "explanation": json.dumps(r.get("explanation"), ensure_ascii=False)
                        if r.get("explanation") is not None
                        else None,
                        "created_at": stamp,
                    }
                    for claim_id, rows in tags_by_claim.items()
                    for r in rows
                ),
                batch_size=500,
            )
