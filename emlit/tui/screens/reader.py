"""A document as stored, with its claims highlighted; n / p step from claim to claim."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

if TYPE_CHECKING:
    from emlit.tui.app import EmlitApp

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each blank-line separated paragraph of the stored text."""
    spans, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


class ReaderScreen(Screen[None]):
    """Read a document; claims are underlined, the current one is highlighted."""

    app: EmlitApp
    AUTO_FOCUS = "#reader"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("n", "step(1)", "Next claim"),
        Binding("p", "step(-1)", "Previous claim"),
        Binding("enter", "detail", "Claim detail"),
    ]

    def __init__(self, document_id: int, claim_id: str | None = None) -> None:
        super().__init__()
        self.document_id = document_id
        self.start_claim = claim_id
        self.doc: dict[str, Any] | None = None
        self.claims: list[dict[str, Any]] = []
        self.spans: list[tuple[int, int]] = []
        self.current = -1

    def compose(self) -> ComposeResult:
        q = self.app.queries
        self.doc = q.document(self.document_id)
        yield Header()
        with VerticalScroll(id="reader"):
            if self.doc is None:
                yield Static(f"Document {self.document_id} is no longer in the store.")
            else:
                self.claims = q.document_claims(self.document_id)
                self.spans = paragraphs(self.doc["text"])
                for i in range(len(self.spans)):
                    yield Static(self._paragraph_text(i), id=f"para-{i}", classes="paragraph")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.doc:
            self.sub_title = f"{self.doc['display_path']} · {len(self.claims)} claims"
        ids = [c["id"] for c in self.claims]
        if self.start_claim in ids:
            self.call_after_refresh(self._go, ids.index(self.start_claim))
        self.query_one("#reader").focus()

    def _paragraph_of(self, claim: dict[str, Any]) -> int:
        for i, (s, e) in enumerate(self.spans):
            if s <= claim["start"] < e:
                return i
        return 0

    def _paragraph_text(self, i: int) -> Text:
        """The paragraph with its claims underlined (the current one reversed), tags after each."""
        assert self.doc is not None
        s, e = self.spans[i]
        body: str = self.doc["text"]
        text, pos = Text(), s
        for k, c in enumerate(self.claims):
            if c["end"] <= s or c["start"] >= e:
                continue
            a, b = max(c["start"], pos), min(c["end"], e)
            text.append(body[pos:a])
            text.append(body[a:b], "bold reverse" if k == self.current else "underline")
            if c["labels"] and c["end"] <= e:
                text.append(f" [{' '.join(c['labels'])}]", "cyan")
            pos = max(pos, b)
        text.append(body[pos:e])
        return text

    def _go(self, index: int) -> None:
        before = self.current
        self.current = index
        touched = {self._paragraph_of(self.claims[k]) for k in (before, index) if k >= 0}
        for i in touched:
            self.query_one(f"#para-{i}", Static).update(self._paragraph_text(i))
        para = self.query_one(f"#para-{self._paragraph_of(self.claims[index])}", Static)
        self.query_one("#reader", VerticalScroll).scroll_to_widget(para, animate=False, top=True)

    def action_step(self, delta: int) -> None:
        if self.claims:
            self._go((self.current + delta) % len(self.claims))

    def action_detail(self) -> None:
        if 0 <= self.current < len(self.claims):
            self.app.open_claim(self.claims[self.current]["id"])
