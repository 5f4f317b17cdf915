"""Review decisions made in the TUI (tags, links, stance), stored at once with provenance
``human``, with undo.

Each key press is one undo step; a step remembers the human rows it replaced, so undo puts
the store back exactly as it was (including an earlier human decision it overwrote).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from emlit.store import StoreReader
from emlit.vocab import STANCES

if TYPE_CHECKING:
    from emlit.store import Store


@dataclass
class TagChange:
    claim_id: str
    label: str
    before: bool | None  # the human decision it replaced (None: there was none)
    after: bool | None

    def describe(self) -> str:
        verb = {True: "added/accepted", False: "rejected", None: "cleared"}[self.after]
        return f"{self.label} {verb}"


@dataclass
class LinkChange:
    source_id: str
    target_id: str
    relation: str
    before: tuple[str, str] | None  # (relation, state) of the human row it replaced
    after: tuple[str, str] | None

    def describe(self) -> str:
        state = self.after[1] if self.after else "cleared"
        return f"{self.relation} link {state}"


@dataclass
class StanceChange:
    claim_id: str
    before: str | None  # the human stance it replaced (None: there was none)
    after: str | None  # None: the human decision was cleared (the model's stance shows)

    def describe(self) -> str:
        return f"stance {self.after}" if self.after else "stance decision cleared"


Change = TagChange | LinkChange | StanceChange

# What `s` steps through: the three stances, then back to no human decision.
STANCE_CYCLE: tuple[str | None, ...] = (*STANCES, None)


@dataclass
class ReviewLog:
    """Writes review decisions and keeps the stack of steps for undo."""

    open_store: Callable[[], Store]  # the Store is opened on first use (see EmlitApp.store)
    queries: StoreReader
    steps: list[list[Change]] = field(default_factory=list)

    @property
    def store(self) -> Store:
        return self.open_store()

    # -- tags ------------------------------------------------------------------------

    def set_tag(self, claim_id: str, label: str, assigned: bool) -> TagChange:
        change = TagChange(claim_id, label, self.queries.human_tag(claim_id, label), assigned)
        self.store.set_human_tag(claim_id, label, assigned)
        self.steps.append([change])
        return change

    def toggle_tag(self, claim_id: str, label: str) -> TagChange:
        """Add the label if the claim does not use it now, otherwise reject it."""
        current = label in self.queries.labels_for([claim_id])[claim_id]
        return self.set_tag(claim_id, label, not current)

    def accept_tags(self, claim_id: str) -> list[TagChange]:
        """Confirm every label the claim has now as a human decision (one undo step)."""
        changes = []
        for label in self.queries.labels_for([claim_id])[claim_id]:
            changes.append(
                TagChange(claim_id, label, self.queries.human_tag(claim_id, label), True)
            )
            self.store.set_human_tag(claim_id, label, True)
        if changes:
            self.steps.append(list(changes))
        return changes

    # -- stance (contract 9) -----------------------------------------------------------

    def set_stance(self, claim_id: str, stance: str | None) -> StanceChange:
        """Record the researcher's stance for the claim (None clears the decision)."""
        change = StanceChange(claim_id, self.queries.human_stance(claim_id), stance)
        self._write_stance(claim_id, stance)
        self.steps.append([change])
        return change

    def cycle_stance(self, claim_id: str) -> StanceChange:
        """The next of affirms, disputes, neutral, cleared after the current human decision."""
        current = self.queries.human_stance(claim_id)
        nxt = STANCE_CYCLE[(STANCE_CYCLE.index(current) + 1) % len(STANCE_CYCLE)]
        return self.set_stance(claim_id, nxt)

    def _write_stance(self, claim_id: str, stance: str | None) -> None:
        if stance is None:
            self.store.clear_human_stance(claim_id)
        else:
            self.store.set_human_stance(claim_id, stance)

    # -- links -----------------------------------------------------------------------

    def set_link(
        self, source_id: str, target_id: str, relation: str, confirmed: bool
    ) -> LinkChange:
        state = "confirmed" if confirmed else "rejected"
        change = LinkChange(
            source_id,
            target_id,
            relation,
            self.queries.human_link(source_id, target_id),
            (relation, state),
        )
        self._write_link(source_id, target_id, change.after)
        self.steps.append([change])
        return change

    def _write_link(self, source_id: str, target_id: str, value: tuple[str, str] | None) -> None:
        """Set (or clear) the pair's human row; effective_links lets it override curated and
        model rows."""
        if value is None:
            self.store.clear_human_link(source_id, target_id)
        else:
            self.store.set_human_link(source_id, target_id, value[0], value[1] == "confirmed")

    # -- undo ------------------------------------------------------------------------

    def undo(self) -> list[Change]:
        """Reverse the last step; returns its changes (empty when there is nothing to undo)."""
        if not self.steps:
            return []
        step = self.steps.pop()
        for change in reversed(step):
            if isinstance(change, TagChange):
                if change.before is None:
                    self.store.clear_human_tag(change.claim_id, change.label)
                else:
                    self.store.set_human_tag(change.claim_id, change.label, change.before)
            elif isinstance(change, StanceChange):
                self._write_stance(change.claim_id, change.before)
            else:
                self._write_link(change.source_id, change.target_id, change.before)
        return step
