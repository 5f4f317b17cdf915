"""The documents in the store; Enter reads one, c lists its claims."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from emlit.store import ClaimFilter
from emlit.tui.widgets.cells import fit

if TYPE_CHECKING:
    from emlit.tui.app import EmlitApp


class DocumentsScreen(Screen[None]):
    """Every ingested document with its format, language and number of claims."""

    app: EmlitApp
    AUTO_FOCUS = "#documents"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "read", "Read"),
        Binding("c", "claims", "Its claims"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Documents"
        table: DataTable[object] = self.query_one(DataTable)
        table.add_columns("Document", "Claims", "Lang", "Format", "Title")
        for d in self.app.queries.documents():
            table.add_row(
                d["display_path"],
                d["claims"],
                d["lang"] or "",
                d["format"],
                fit((d["title"] or "").strip(), 40).rstrip(),
                key=str(d["id"]),
            )
        table.focus()

    def _current(self) -> int | None:
        table: DataTable[object] = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value else None

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.open_document(int(event.row_key.value))

    def action_read(self) -> None:
        if (doc_id := self._current()) is not None:
            self.app.open_document(doc_id)

    def action_claims(self) -> None:
        if (doc_id := self._current()) is not None:
            self.app.show_claims(ClaimFilter(document_id=doc_id))
