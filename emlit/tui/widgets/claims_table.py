"""A claims table that pages rows from SQLite as they scroll into view.

Textual's DataTable keeps every row in memory; at 100,000 claims that is seconds of start-up.
This widget renders only the visible lines (Line API) and fetches pages of ``PAGE`` rows on
demand, keeping a few recent pages in a small cache.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from emlit.store import ClaimRow
from emlit.tui.widgets.cells import fit

PAGE = 100
CACHED_PAGES = 16

# (title, width); the text column takes the rest.
COLUMNS: list[tuple[str, int]] = [
    ("Claim", 0),
    ("Definitions", 11),
    ("Stance", 9),
    ("Document", 22),
    ("Lang", 4),
    ("Sup", 4),
    ("Ctr", 4),
    ("Review", 8),
]

# fetch(offset, limit, after): ``after`` is the sort key of the row before the page, when known
Fetch = Callable[[int, int, "tuple[object, ...] | None"], list[ClaimRow]]


class ClaimsTable(ScrollView, can_focus=True):
    """Claims, one per line: text, definitions, stance, document, language, evidence, review
    state."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "claims-table--header",
        "claims-table--cursor",
        "claims-table--reviewed",
        "claims-table--counters",
        "claims-table--affirms",
        "claims-table--disputes",
    }

    DEFAULT_CSS = """
    ClaimsTable { overflow-x: hidden; }
    """

    cursor: reactive[int] = reactive(0)

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto a claim."""

        claim_id: str | None

    @dataclass
    class Selected(Message):
        """Enter (or a click on the highlighted row) chose a claim."""

        claim_id: str

    @dataclass
    class Painted(Message):
        """Rows were drawn for the first time since the data was set."""

        rows: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.total = 0
        self._fetch: Fetch | None = None
        self._pages: OrderedDict[int, list[ClaimRow]] = OrderedDict()
        self._painted = False
        self.painted_at = 0.0  # when rows of the current data were first drawn (benchmarks)

    # -- data ------------------------------------------------------------------------

    def set_data(self, total: int, fetch: Fetch, first: list[ClaimRow] | None = None) -> None:
        """Show ``total`` rows; ``fetch(offset, limit, after)`` returns them a page at a time.

        ``first`` is the first page when the caller has fetched it already.
        """
        self.total = total
        self._fetch = fetch
        self._pages.clear()
        if first is not None:
            self._pages[0] = first
        self._painted = False
        self.cursor = 0
        self.virtual_size = Size(self.size.width, total + 1)
        self.scroll_to(y=0, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self.claim_id_at(0)))

    def set_total(self, total: int) -> None:
        """The exact count arrived (counted in the background): resize, keep the cursor."""
        self.total = total
        self.virtual_size = Size(self.size.width, total + 1)
        self.cursor = self.clamp(self.cursor)
        self.refresh()

    def reload(self) -> None:
        """Fetch the visible rows again (after a review decision changed them)."""
        self._pages.clear()
        self.refresh()

    def row(self, index: int) -> ClaimRow | None:
        if not 0 <= index < self.total or self._fetch is None:
            return None
        page, slot = divmod(index, PAGE)
        rows = self._pages.get(page)
        if rows is None:
            before = self._pages.get(page - 1)
            after = before[-1].key if before and len(before) == PAGE and before[-1].key else None
            rows = self._fetch(page * PAGE, PAGE, after)
            self._pages[page] = rows
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows[slot] if slot < len(rows) else None

    def claim_id_at(self, index: int) -> str | None:
        row = self.row(index)
        return row.id if row else None

    @property
    def current(self) -> ClaimRow | None:
        return self.row(self.cursor)

    # -- rendering ---------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.total + 1)

    def _widths(self) -> list[int]:
        width = self.scrollable_content_region.width
        fixed = sum(w for _, w in COLUMNS[1:]) + len(COLUMNS) - 1
        return [max(10, width - fixed)] + [w for _, w in COLUMNS[1:]]

    def render_line(self, y: int) -> Strip:
        widths = self._widths()
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("claims-table--header")
            cells = [fit(title, w) for (title, _), w in zip(COLUMNS, widths, strict=True)]
            return Strip([Segment(" ".join(cells).ljust(width)[:width], style)], width)
        index = round(self.scroll_offset.y) + y - 1
        row = self.row(index)
        if row is None:
            return Strip.blank(width, base)
        if not self._painted:
            self._painted = True
            self.painted_at = time.perf_counter()
            self.post_message(self.Painted(self.total))
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("claims-table--cursor")
        return Strip(self._row_segments(row, widths, style), width).crop(0, width)

    def _row_segments(self, row: ClaimRow, widths: list[int], style: Style) -> list[Segment]:
        review_style = style + self.get_component_rich_style("claims-table--reviewed")
        counter_style = style + self.get_component_rich_style("claims-table--counters")
        values = [
            (row.text, style),
            (" ".join(row.labels) or "–", style),
            (row.stance or "–", style + self._stance_style(row.stance)),
            (row.document, style),
            (row.lang, style),
            (str(row.supports) if row.supports else "·", style),
            (str(row.counters) if row.counters else "·", counter_style if row.counters else style),
            ("✓ human" if row.reviewed else "–", review_style if row.reviewed else style),
        ]
        out: list[Segment] = []
        for i, ((value, cell_style), w) in enumerate(zip(values, widths, strict=True)):
            if i:
                out.append(Segment(" ", style))
            out.append(Segment(fit(value, w), cell_style))
        return out

    def _stance_style(self, stance: str | None) -> Style:
        if stance in ("affirms", "disputes"):
            return self.get_component_rich_style(f"claims-table--{stance}")
        return Style()

    # -- movement ----------------------------------------------------------------------

    @property
    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        top = round(self.scroll_offset.y)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + self._visible_rows:
            self.scroll_to(y=new - self._visible_rows + 1, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self.claim_id_at(new)))

    def clamp(self, index: int) -> int:
        return max(0, min(index, self.total - 1)) if self.total else 0

    def action_move(self, delta: int) -> None:
        self.cursor = self.clamp(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.cursor = self.clamp(self.cursor + direction * self._visible_rows)

    def action_jump(self, where: int) -> None:
        self.cursor = self.clamp(where if where >= 0 else self.total - 1)

    def action_select(self) -> None:
        claim_id = self.claim_id_at(self.cursor)
        if claim_id:
            self.post_message(self.Selected(claim_id))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = round(self.scroll_offset.y) + event.y - 1
        if not 0 <= index < self.total:
            return
        if index == self.cursor or event.chain > 1:
            self.cursor = index
            self.action_select()
        else:
            self.cursor = index
