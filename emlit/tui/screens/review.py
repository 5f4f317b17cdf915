"""Review mode: single keys accept, reject or add definition tags, set the stance and confirm
or reject links.

Every key stores its decision at once with provenance ``human``; ``u`` undoes the last one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from emlit.store import ClaimFilter
from emlit.tui.widgets.claim_view import context_text, source_line, stance_text
from emlit.tui.widgets.evidence_list import EvidenceList
from emlit.vocab import DEFINITIONS

if TYPE_CHECKING:
    from emlit.tui.app import EmlitApp

BATCH = 500  # claims taken from the filter when review starts


class ReviewScreen(Screen[None]):
    """Step through claims and record human decisions on their tags and links."""

    app: EmlitApp
    AUTO_FOCUS = "#review-links"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("a", "accept", "Accept tags"),
        *[Binding(str(i), f"toggle_tag('D{i}')", f"D{i}", show=False) for i in range(1, 7)],
        Binding("c", "link(True)", "Confirm link"),
        Binding("x", "link(False)", "Reject link"),
        # Not in the footer (it would no longer fit 150 columns); the section title says it.
        Binding("s", "stance", "Stance", show=False),
        Binding("u", "undo", "Undo"),
        Binding("n,space,right", "step(1)", "Next"),
        Binding("p,left", "step(-1)", "Previous"),
    ]

    def __init__(
        self, f: ClaimFilter, start: int = 0, *, claim_ids: list[str] | None = None
    ) -> None:
        super().__init__()
        self.filter = f
        self.start = start
        self.claim_ids = claim_ids
        self.index = 0
        self.message = (
            "1–6 toggle a definition · a accept the tags · s the stance · "
            "c/x confirm/reject the link"
        )

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review"):
            yield Static("", id="review-progress")
            yield Static("", id="review-claim")
            yield Static("", id="review-source")
            yield Static("", id="review-context", classes="box")
            yield Label(
                "Definitions (1–6 toggle, a accepts the ones marked ✓)", classes="section-title"
            )
            yield Static("", id="review-tags")
            yield Label(
                "Stance (s: affirms → disputes → neutral → cleared)", classes="section-title"
            )
            yield Static("", id="review-stance")
            yield Label("Evidence links (↑↓ choose, c confirm, x reject)", classes="section-title")
            yield EvidenceList([], id="review-links")
        yield Static("", id="review-message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Review"
        if self.claim_ids is None:
            rows = self.app.queries.page(self.filter, self.start, BATCH)
            self.claim_ids = [r.id for r in rows]
        self.query_one(EvidenceList).focus()
        self.show()

    @property
    def claim_id(self) -> str | None:
        if not self.claim_ids:
            return None
        return self.claim_ids[self.index]

    def show(self) -> None:
        """Redraw everything from the store, so the screen is what is stored."""
        q = self.app.queries
        claim = q.claim(self.claim_id) if self.claim_id else None
        progress = self.query_one("#review-progress", Static)
        if claim is None:
            progress.update("Nothing to review with this filter.")
            return
        assert self.claim_ids is not None
        progress.update(Text(f"Claim {self.index + 1} of {len(self.claim_ids)}", "bold"))
        self.query_one("#review-claim", Static).update(Text(claim["text"], "bold"))
        self.query_one("#review-source", Static).update(source_line(claim))
        self.query_one("#review-context", Static).update(context_text(claim))
        self.query_one("#review-tags", Static).update(self._tags(claim["id"]))
        self.query_one("#review-stance", Static).update(stance_text(q.stances(claim["id"])))
        self.query_one(EvidenceList).set_items(q.evidence(claim["id"], with_rejected=True))
        self.query_one("#review-message", Static).update(Text(self.message, "italic"))

    def _tags(self, claim_id: str) -> Table:
        q = self.app.queries
        rows = q.tags(claim_id)
        effective = set(self.app.queries.labels_for([claim_id])[claim_id])
        table = Table(box=None, show_header=True, pad_edge=False)
        for title in ("Key", "Def", "Name", "Machine", "Human", "Uses"):
            table.add_column(title, no_wrap=True)
        for i, d in enumerate(DEFINITIONS, 1):
            machine = [t for t in rows if t["label"] == d and t["provenance"] != "human"]
            human = q.human_tag(claim_id, d)
            m = machine[0] if machine else None
            m_text = "–"
            if m:
                score = "" if m["score"] is None else f" {m['score']:.2f}"
                m_text = f"{'yes' if m['assigned'] else 'no'}{score} ({m['provenance']})"
            h_text = {None: "–", True: "yes", False: "no"}[human]
            table.add_row(
                f"[{i}]",
                Text(d, "bold cyan"),
                self.app.definition_labels.get(d, ""),
                m_text,
                Text(h_text, "bold magenta" if human is not None else "dim"),
                Text("✓", "bold green") if d in effective else Text("·", "dim"),
            )
        return table

    def _did(self, text: str) -> None:
        self.message = text
        self.show()

    def action_toggle_tag(self, label: str) -> None:
        if self.claim_id:
            change = self.app.review_log.toggle_tag(self.claim_id, label)
            self._did(f"Stored: {change.describe()} (human). u undoes.")

    def action_accept(self) -> None:
        if self.claim_id:
            changes = self.app.review_log.accept_tags(self.claim_id)
            labels = " ".join(c.label for c in changes) or "no tags to accept"
            self._did(f"Stored: accepted {labels} (human). u undoes.")

    def action_stance(self) -> None:
        if self.claim_id:
            change = self.app.review_log.cycle_stance(self.claim_id)
            self._did(f"Stored: {change.describe()} (human). u undoes.")

    def action_link(self, confirmed: bool) -> None:
        item = self.query_one(EvidenceList).current
        if not self.claim_id or item is None:
            self._did("No link to decide on for this claim.")
            return
        source, target = (
            (item.claim_id, self.claim_id) if item.incoming else (self.claim_id, item.claim_id)
        )
        change = self.app.review_log.set_link(source, target, item.relation, confirmed)
        self._did(f"Stored: {change.describe()} (human). u undoes.")

    def action_undo(self) -> None:
        step = self.app.review_log.undo()
        if not step:
            self._did("Nothing to undo.")
            return
        # Show the claim the undone decision was about.
        first = step[0]
        cid = getattr(first, "claim_id", None) or getattr(first, "target_id", None)
        if self.claim_ids and cid in self.claim_ids:
            self.index = self.claim_ids.index(cid)
        elif self.claim_ids and getattr(first, "source_id", None) in self.claim_ids:
            self.index = self.claim_ids.index(first.source_id)  # type: ignore[union-attr]
        self._did("Undone: " + ", ".join(c.describe() for c in step))

    def action_step(self, delta: int) -> None:
        if self.claim_ids:
            self.index = max(0, min(len(self.claim_ids) - 1, self.index + delta))
            self.message = ""
            self.show()

    @on(EvidenceList.Follow)
    def _follow(self, event: EvidenceList.Follow) -> None:
        self.app.open_claim(event.claim_id)
