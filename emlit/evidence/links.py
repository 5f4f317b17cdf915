"""Human decisions on evidence links (the TUI's review mode): confirm, correct, reject."""

from __future__ import annotations

from emlit.errors import EmlitError
from emlit.store import Store, now

RELATIONS = ("SUPPORTS", "COUNTERS", "CITES_AS_EVIDENCE")


def set_human_link(
    store: Store, source_id: str, target_id: str, relation: str | None, confirmed: bool
) -> None:
    """Record a researcher's decision on the pair (source, target).

    ``confirmed=True`` with a relation: the pair has that relation (added or corrected).
    ``confirmed=True`` with ``relation=None``: confirm what the machine or the map says.
    ``confirmed=False``: the pair is not evidence; the link disappears from every view.
    Machine re-runs never overwrite this row (it has provenance ``human``).
    """
    if relation is not None and relation not in RELATIONS:
        raise EmlitError(f"relation: {relation!r} is not one of {', '.join(RELATIONS)}")
    if store.conn.execute("SELECT 1 FROM claims WHERE id = ?", [source_id]).fetchone() is None:
        raise EmlitError(f"source: no claim with id {source_id!r}")
    existing = store.conn.execute(
        "SELECT relation, target_kind FROM links WHERE source_id = ? AND target_id = ? "
        "AND provenance != 'human' ORDER BY provenance = 'curated' DESC, score DESC LIMIT 1",
        [source_id, target_id],
    ).fetchone()
    is_claim = store.conn.execute("SELECT 1 FROM claims WHERE id = ?", [target_id]).fetchone()
    is_doc = store.conn.execute("SELECT 1 FROM documents WHERE path = ?", [target_id]).fetchone()
    if not is_claim and not is_doc:
        raise EmlitError(f"target: no claim or document with id {target_id!r}")
    if relation is None:
        if confirmed and existing is None:
            raise EmlitError(
                f"relation: no link from {source_id} to {target_id} to confirm; name one"
            )
        relation = existing[0] if existing else "UNRELATED"
    kind = "claim" if is_claim else "document"
    with store.transaction() as conn:
        conn.execute(
            "DELETE FROM links WHERE source_id = ? AND target_id = ? AND provenance = 'human'",
            [source_id, target_id],
        )
        conn.execute(
            "INSERT INTO links (source_id, target_id, target_kind, relation, score, provenance, "
            "state, source_note, model, created_at) VALUES (?, ?, ?, ?, ?, 'human', ?, NULL, NULL, ?)",
            [
                source_id,
                target_id,
                kind,
                relation,
                1.0 if confirmed else 0.0,
                "confirmed" if confirmed else "rejected",
                now(),
            ],
        )


def clear_human_link(store: Store, source_id: str, target_id: str) -> None:
    """Undo the decision on a pair, so the machine's or the map's link shows again."""
    with store.transaction() as conn:
        conn.execute(
            "DELETE FROM links WHERE source_id = ? AND target_id = ? AND provenance = 'human'",
            [source_id, target_id],
        )
