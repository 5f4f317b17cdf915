"""Writes of evidence links: the model's suggestions and the researcher's decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from emlit.errors import EmlitError
from emlit.store.base import Writable
from emlit.store.evidence import EvidenceReads
from emlit.store.sql import id_chunks, now
from emlit.vocab import HUMAN, LINK_RELATIONS, UNRELATED


@dataclass(frozen=True)
class ModelLink:
    """A link the relation model suggests: ``source`` is evidence for/against ``target``."""

    source: str
    target: str
    relation: str
    score: float
    model: str


class LinkWrites(EvidenceReads, Writable):
    def replace_model_links(self, claim_ids: Sequence[str]) -> None:
        """Forget the model's earlier claim links of these claims (a re-run replaces them)."""
        with self.transaction() as conn:
            for chunk, marks in id_chunks(claim_ids):
                conn.execute(
                    f"DELETE FROM links WHERE provenance = 'model' AND target_kind = 'claim' "
                    f"AND (source_id IN ({marks}) OR target_id IN ({marks}))",
                    chunk + chunk,
                )

    def add_model_links(self, links: Sequence[ModelLink]) -> None:
        stamp = now()
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO links (source_id, target_id, target_kind, relation, "
                "score, provenance, state, source_note, model, created_at) "
                "VALUES (?, ?, 'claim', ?, ?, 'model', NULL, NULL, ?, ?)",
                [(ln.source, ln.target, ln.relation, ln.score, ln.model, stamp) for ln in links],
            )

    def set_human_link(
        self, source_id: str, target_id: str, relation: str | None, confirmed: bool
    ) -> None:
        """Record a researcher's decision on the pair (source, target).

        ``confirmed=True`` with a relation: the pair has that relation (added or corrected).
        ``confirmed=True`` with ``relation=None``: confirm what the machine or the map says.
        ``confirmed=False``: the pair is not evidence; the link disappears from every view.
        Machine re-runs never overwrite this row (it has provenance ``human``).
        """
        if relation is not None and relation not in LINK_RELATIONS:
            raise EmlitError(f"relation: {relation!r} is not one of {', '.join(LINK_RELATIONS)}")
        if not self.has_claim(source_id):
            raise EmlitError(f"source: no claim with id {source_id!r}")
        existing = self.machine_link(source_id, target_id)
        is_claim = self.has_claim(target_id)
        if not is_claim and not self.has_document_path(target_id):
            raise EmlitError(f"target: no claim or document with id {target_id!r}")
        if relation is None:
            if confirmed and existing is None:
                raise EmlitError(
                    f"relation: no link from {source_id} to {target_id} to confirm; name one"
                )
            relation = existing[0] if existing else UNRELATED
        with self.transaction() as conn:
            self._delete_human_link(source_id, target_id)
            conn.execute(
                "INSERT INTO links (source_id, target_id, target_kind, relation, score, "
                "provenance, state, source_note, model, created_at) "
                f"VALUES (?, ?, ?, ?, ?, '{HUMAN}', ?, NULL, NULL, ?)",
                [
                    source_id,
                    target_id,
                    "claim" if is_claim else "document",
                    relation,
                    1.0 if confirmed else 0.0,
                    "confirmed" if confirmed else "rejected",
                    now(),
                ],
            )

    def clear_human_link(self, source_id: str, target_id: str) -> None:
        """Undo the decision on a pair, so the machine's or the map's link shows again."""
        with self.transaction():
            self._delete_human_link(source_id, target_id)

    def _delete_human_link(self, source_id: str, target_id: str) -> None:
        self.conn.execute(
            f"DELETE FROM links WHERE source_id = ? AND target_id = ? AND provenance = '{HUMAN}'",
            [source_id, target_id],
        )
