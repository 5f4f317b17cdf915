"""One claim: source context, definitions with scores and provenance, evidence, flags."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Label, Static

from emlit.store import ClaimFilter, EvidenceItem
from emlit.tui.widgets.claim_view import context_text, source_line, stance_text, tags_table
from emlit.tui.widgets.evidence_list import EvidenceList

if TYPE_CHECKING:
    from emlit.tui.app import EmlitApp


class ClaimDetailScreen(Screen[None]):
    """Everything known about one claim, with links to follow."""

    app: EmlitApp
    AUTO_FOCUS = "#evidence"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("o", "open_document", "Document"),
        Binding("e", "evidence", "Evidence tree"),
        Binding("r", "review", "Review"),
        # Not in the footer (it would no longer fit 120 columns); the section title says it.
        Binding("s", "stance", "Stance", show=False),
        Binding("u", "undo", "Undo", show=False),
    ]

    def __init__(self, claim_id: str) -> None:
        super().__init__()
        self.claim_id = claim_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Claim"

    async def on_screen_resume(self) -> None:
        # Built on every show, so a review made on another screen is reflected here.
        await self.rebuild()

    async def rebuild(self) -> None:
        detail = self.query_one("#detail", VerticalScroll)
        old = detail.query(EvidenceList)
        highlighted = old.first().highlighted if old else None
        await detail.remove_children()
        await detail.mount_all(self._sections())
        if evidence := detail.query(EvidenceList):
            evidence.first().highlighted = highlighted or 0
            evidence.first().focus()

    def _sections(self) -> list[Widget]:
        q = self.app.queries
        claim = q.claim(self.claim_id)
        if claim is None:
            return [Static(f"Claim {self.claim_id} is no longer in the store.")]
        out: list[Widget] = [
            Static(Text(claim["text"], "bold"), id="claim-text"),
            Static(source_line(claim), id="claim-source"),
            Label("Source context", classes="section-title"),
            Static(context_text(claim), id="context", classes="box"),
            Label("Definitions", classes="section-title"),
            Static(tags_table(q.tags(self.claim_id), self.app.definition_labels), id="tags"),
            Label("Stance (s: affirms → disputes → neutral → cleared)", classes="section-title"),
            Static(stance_text(q.stances(self.claim_id)), id="stance"),
        ]
        flags = q.talking_past(self.claim_id)
        if flags:
            out.append(Label("⚠ Talking past each other", classes="section-title warning"))
            out.append(Static(self._flags_text(flags), id="flags", classes="box"))
        out.append(Label("Evidence (Enter follows a link)", classes="section-title"))
        out.append(EvidenceList(q.evidence(self.claim_id), id="evidence"))
        return out

    @staticmethod
    def _flags_text(flags: list[tuple[EvidenceItem, list[str], list[str]]]) -> Text:
        text = Text()
        for item, ours, theirs in flags:
            arrow = "is countered by" if item.incoming else "counters"
            text.append(f"This claim ({' '.join(ours) or 'no definition'}) {arrow} a claim using ")
            text.append(" ".join(theirs) or "no definition", "bold yellow")
            text.append(f": {' '.join(item.text.split())[:120]}\n", "dim")
        text.rstrip()
        return text

    @on(EvidenceList.Follow)
    def _follow(self, event: EvidenceList.Follow) -> None:
        self.app.open_claim(event.claim_id)

    def action_open_document(self) -> None:
        self.app.open_document_at(self.claim_id)

    def action_evidence(self) -> None:
        self.app.open_evidence(self.claim_id)

    async def action_stance(self) -> None:
        """Record the researcher's stance (provenance human); the next press moves on."""
        change = self.app.review_log.cycle_stance(self.claim_id)
        await self.rebuild()
        self.notify(f"Stored: {change.describe()} (human). u undoes.")

    async def action_undo(self) -> None:
        step = self.app.review_log.undo()
        await self.rebuild()
        self.notify(
            "Undone: " + ", ".join(c.describe() for c in step) if step else "Nothing to undo."
        )

    def action_review(self) -> None:
        from emlit.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(ClaimFilter(), 0, claim_ids=[self.claim_id]))
