"""Writes of claim stances (contract 9): the stance model's rows and human decisions.

A machine re-run replaces only the ``model`` row of a claim; a ``human`` row is written only
by ``set_human_stance`` and removed only by ``clear_human_stance`` (the TUI's undo).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from emlit.errors import EmlitError
from emlit.store.base import Writable
from emlit.store.sql import now
from emlit.vocab import HUMAN, STANCES


class StanceWrites(Writable):
    def save_machine_stances(self, stances: Mapping[str, Mapping[str, Any]]) -> None:
        """Replace the machine stance of each claim; human rows stay. A row: stance, scores
        ({affirms, disputes, neutral}), model (version), explanation (any JSON value)."""
        stamp = now()
        rows = []
        for claim_id, r in stances.items():
            if r["stance"] not in STANCES:
                raise EmlitError(f"stance: {r['stance']!r} is not one of {', '.join(STANCES)}")
            scores = r.get("scores") or {}
            rows.append(
                (
                    claim_id,
                    r["stance"],
                    scores.get(r["stance"]),
                    json.dumps(scores, ensure_ascii=False) if scores else None,
                    r.get("model"),
                    json.dumps(r["explanation"], ensure_ascii=False)
                    if r.get("explanation") is not None
                    else None,
                    stamp,
                )
            )
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO stances (claim_id, provenance, stance, score, scores, "
                "model, explanation, created_at) VALUES (?, 'model', ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def set_human_stance(self, claim_id: str, stance: str) -> None:
        """Record a researcher's decision on the claim's stance; it wins over the model's."""
        if stance not in STANCES:
            raise EmlitError(f"stance: {stance!r} is not one of {', '.join(STANCES)}")
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO stances (claim_id, provenance, stance, score, scores, "
                f"model, explanation, created_at) VALUES (?, '{HUMAN}', ?, 1.0, NULL, NULL, "
                "NULL, ?)",
                [claim_id, stance, now()],
            )

    def clear_human_stance(self, claim_id: str) -> None:
        """Undo a human decision, so the model's stance shows again."""
        with self.transaction() as conn:
            conn.execute(
                f"DELETE FROM stances WHERE claim_id = ? AND provenance = '{HUMAN}'", [claim_id]
            )
