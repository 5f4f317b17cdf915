"""The claims screen: search, filters and the lazily paged claims table."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from emlit.tui.queries import ClaimFilter
from emlit.tui.widgets.claims_table import ClaimsTable
from emlit.tui.widgets.filter_bar import FilterBar

if TYPE_CHECKING:
    from emlit.tui.app import EmlitApp


class ClaimsScreen(Screen[None]):
    """Every claim in the store, filtered and searched, one per line."""

    app: EmlitApp
    AUTO_FOCUS = "#claims"

    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("escape", "focus_table", "Table", show=False),
        Binding("e", "evidence", "Evidence"),
        Binding("r", "review", "Review"),
        Binding("o", "open_document", "Document"),
        Binding("x", "clear_filters", "Clear filters"),
    ]

    def __init__(self, initial: ClaimFilter | None = None) -> None:
        super().__init__()
        self.filter = initial or ClaimFilter()
        self.last_query_ms = 0.0

    def compose(self) -> ComposeResult:
        q = self.app.queries
        yield Header()
        yield FilterBar(
            definitions=list(self.app.definition_labels.items()),
            languages=q.languages(),
            documents=[(d["display_path"], d["id"]) for d in q.documents()],
            value=self.filter,
            id="filters",
        )
        yield ClaimsTable(id="claims")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "emlit"
        self.sub_title = "Claims"
        self.apply_filter(self.filter)
        self.query_one(ClaimsTable).focus()

    def apply_filter(self, f: ClaimFilter) -> None:
        """Count the matching claims and show the first page; timed for the status line."""
        self.filter = f
        q = self.app.queries
        started = time.perf_counter()
        total = q.count(f)
        table = self.query_one(ClaimsTable)
        table.set_data(total, lambda offset, limit: q.page(f, offset, limit))
        table.row(0)  # fetch the first page now, so the timing covers it
        self.last_query_ms = (time.perf_counter() - started) * 1000
        self._show_status()

    def _show_status(self) -> None:
        table = self.query_one(ClaimsTable)
        n = table.total
        where = f"claim {table.cursor + 1:,} of {n:,}" if n else "no claims match"
        ms = "" if self.app.deterministic else f" · query {self.last_query_ms:.0f} ms"
        self.query_one("#status", Static).update(f" {where}{ms}")

    @on(FilterBar.Changed)
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        self.apply_filter(event.filter)

    @on(ClaimsTable.Highlighted)
    def _highlighted(self) -> None:
        self._show_status()

    @on(ClaimsTable.Selected)
    def _selected(self, event: ClaimsTable.Selected) -> None:
        self.app.open_claim(event.claim_id)

    @on(ClaimsTable.Painted)
    def _painted(self) -> None:
        self.app.first_rows_painted()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one(ClaimsTable).focus()

    def _current(self) -> str | None:
        row = self.query_one(ClaimsTable).current
        return row.id if row else None

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(ClaimsTable).focus()

    def action_clear_filters(self) -> None:
        self.query_one(FilterBar).set_value(ClaimFilter())

    def action_evidence(self) -> None:
        if claim_id := self._current():
            self.app.open_evidence(claim_id)

    def action_open_document(self) -> None:
        if claim_id := self._current():
            self.app.open_document_at(claim_id)

    def action_review(self) -> None:
        table = self.query_one(ClaimsTable)
        self.app.open_review(self.filter, table.cursor)

    def refresh_rows(self) -> None:
        """Review decisions change labels and review state: redraw what is on screen."""
        self.query_one(ClaimsTable).reload()

    def show_filter(self, f: ClaimFilter) -> None:
        self.query_one(FilterBar).set_value(f)
