"""The claims screen: search, filters and the lazily paged claims table."""

from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from emlit.store import ClaimFilter
from emlit.store.browse import count_matching
from emlit.tui.widgets.claims_table import PAGE, ClaimsTable
from emlit.tui.widgets.filter_bar import FilterBar

# How often the screen asks SQLite whether another process (`emlit watch`, `emlit ingest`)
# committed: one PRAGMA, microseconds.
DB_CHECK_SECONDS = 1.0

if TYPE_CHECKING:
    from emlit.tui.app import EmlitApp


class ClaimsScreen(Screen[None]):
    """Every claim in the store, filtered and searched, one per line."""

    app: EmlitApp
    AUTO_FOCUS = "#claims"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search"),
        Binding("escape", "focus_table", "Table", show=False),
        Binding("e", "evidence", "Evidence"),
        Binding("r", "review", "Review"),
        Binding("o", "open_document", "Document"),
        Binding("x", "clear_filters", "Clear"),
    ]

    def __init__(self, initial: ClaimFilter | None = None) -> None:
        super().__init__()
        self.filter = initial or ClaimFilter()
        self.last_query_ms = 0.0
        self.counting = False
        self._generation = 0  # bumped per filter, so a late background count is ignored
        self._data_version = 0  # SQLite's data_version when the table was last filled

    def compose(self) -> ComposeResult:
        q = self.app.queries
        yield Header()
        yield FilterBar(
            definitions=list(self.app.definition_labels.items()),
            languages=q.languages(),
            documents=q.document_choices(),
            value=self.filter,
            shelves=q.collections_and_tags(),
            id="filters",
        )
        yield ClaimsTable(id="claims")
        yield Static("", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "emlit"
        self.sub_title = "Claims"
        self.apply_filter(self.filter)
        self.query_one(ClaimsTable).focus()
        self._data_version = self.app.queries.data_version()
        self.set_interval(DB_CHECK_SECONDS, self._check_database)

    def _check_database(self) -> None:
        """Another connection committed (new claims from `emlit watch`): show them."""
        if self.app.screen is not self:
            return  # looked at again when the screen is back on top
        version = self.app.queries.data_version()
        if version != self._data_version:
            self._data_version = version
            self.refresh_data()

    def refresh_data(self) -> None:
        """Read the count and the visible rows again, keeping the filter and the cursor."""
        q = self.app.queries
        self.query_one(FilterBar).set_choices(
            q.languages(),
            q.document_choices(),
            q.collections_and_tags(),
        )
        table = self.query_one(ClaimsTable)
        total = q.quick_count(self.filter)
        if total is None:  # a filtered list: count it in the background, as apply_filter does
            self._count_in_background(self.filter, self._generation)
        else:
            table.set_total(total)
        table.reload()
        table.post_message(ClaimsTable.Highlighted(table.claim_id_at(table.cursor)))
        self._show_status()

    def apply_filter(self, f: ClaimFilter) -> None:
        """Show the first page of matches at once; count them in the background if that is slow."""
        self.filter = f
        self._generation += 1
        q = self.app.queries
        started = time.perf_counter()
        first = q.page(f, 0, PAGE)
        total = len(first) if len(first) < PAGE else q.quick_count(f)
        self.counting = total is None
        table = self.query_one(ClaimsTable)
        fetch = lambda offset, limit, after: q.page(f, offset, limit, after)  # noqa: E731
        table.set_data(len(first) if total is None else total, fetch, first)
        self.last_query_ms = (time.perf_counter() - started) * 1000
        if self.counting:
            self._count_in_background(f, self._generation)
        self._show_status()

    def _count_in_background(self, f: ClaimFilter, generation: int) -> None:
        path = self.app.db_path
        if path == ":memory:":  # no second connection to an in-memory database
            self._counted(generation, count_matching(self.app.conn, f))
            return

        def count() -> None:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
            try:
                n = count_matching(conn, f)
            finally:
                conn.close()
            self.app.call_from_thread(self._counted, generation, n)

        self.run_worker(count, thread=True, exclusive=True, group="count")

    def _counted(self, generation: int, n: int) -> None:
        if generation != self._generation:
            return  # the filter changed while counting
        self.counting = False
        self.query_one(ClaimsTable).set_total(n)
        self._show_status()

    def _show_status(self) -> None:
        table = self.query_one(ClaimsTable)
        n = table.total
        of = f"{n:,}+ (counting…)" if self.counting else f"{n:,}"
        where = f"claim {table.cursor + 1:,} of {of}" if n else "no claims match"
        ms = "" if self.app.deterministic else f" · first page in {self.last_query_ms:.0f} ms"
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

    def on_screen_resume(self) -> None:
        """Back from another screen: reviews may have changed labels, links, review state."""
        if not self.is_mounted or self._generation == 0:
            return
        table = self.query_one(ClaimsTable)
        f = self.filter
        if f.definition or f.has_counters or f.unreviewed:
            cursor = table.cursor
            self.apply_filter(f)  # membership may have changed: count again
            table.cursor = table.clamp(cursor)
        else:
            table.reload()

    def show_filter(self, f: ClaimFilter) -> None:
        self.query_one(FilterBar).set_value(f)
