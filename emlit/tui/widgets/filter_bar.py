"""Search box and filters above the claims table; posts one ``Changed`` with the new filter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Select

from emlit.store import ClaimFilter

SEARCH_DEBOUNCE = 0.12  # seconds of quiet typing before the query runs


class FilterBar(Horizontal):
    """Full-text search (English and Chinese) plus definition, language, document filters."""

    @dataclass
    class Changed(Message):
        """The filter changed."""

        filter: ClaimFilter

    def __init__(
        self,
        *,
        definitions: list[tuple[str, str]],
        languages: list[str],
        documents: list[tuple[str, int]],
        value: ClaimFilter,
        shelves: tuple[list[str], list[str]] = ([], []),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._definitions = definitions
        self._languages = languages
        self._documents = documents
        self._shelves = shelves
        self.value = value
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        v = self.value
        yield Input(v.search, placeholder="/ search: English or 中文", id="search")
        yield Select(
            [(f"{d} {label}", d) for d, label in self._definitions],
            prompt="Definition",
            value=v.definition or Select.NULL,
            id="definition",
            compact=True,
        )
        yield Select(
            [(lang, lang) for lang in self._languages],
            prompt="Language",
            value=v.lang or Select.NULL,
            id="lang",
            compact=True,
        )
        yield Select(
            self._documents,
            prompt="Document",
            value=v.document_id if v.document_id is not None else Select.NULL,
            id="document",
            compact=True,
        )
        shelf = Select(
            shelf_options(self._shelves),
            prompt="Collection/tag",
            value=shelf_value(v),
            id="shelf",
            compact=True,
        )
        shelf.display = bool(self._shelves[0] or self._shelves[1])  # only with Zotero or tags
        yield shelf
        yield Checkbox("Counters", v.has_counters, id="counters", compact=True)
        yield Checkbox("Unreviewed", v.unreviewed, id="unreviewed", compact=True)

    def set_value(self, value: ClaimFilter) -> None:
        """Show ``value`` in the controls (without posting Changed for each control)."""
        self.value = value
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            self.query_one("#search", Input).value = value.search
            self.query_one("#definition", Select).value = value.definition or Select.NULL
            self.query_one("#lang", Select).value = value.lang or Select.NULL
            doc = value.document_id if value.document_id is not None else Select.NULL
            self.query_one("#document", Select).value = doc
            self.query_one("#shelf", Select).value = shelf_value(value)
            self.query_one("#counters", Checkbox).value = value.has_counters
            self.query_one("#unreviewed", Checkbox).value = value.unreviewed
        self.post_message(self.Changed(value))

    def set_choices(
        self,
        languages: list[str],
        documents: list[tuple[str, int]],
        shelves: tuple[list[str], list[str]] = ([], []),
    ) -> None:
        """New languages, documents, collections or tags arrived (``emlit watch``): offer
        them, keep the value."""
        with self.prevent(Select.Changed):
            if shelves != self._shelves:
                self._shelves = shelves
                select = self.query_one("#shelf", Select)
                select.set_options(shelf_options(shelves))
                select.display = bool(shelves[0] or shelves[1])
                if shelf_value(self.value) in {v for _, v in shelf_options(shelves)}:
                    select.value = shelf_value(self.value)
            if languages != self._languages:
                self._languages = languages
                select = self.query_one("#lang", Select)
                select.set_options([(lang, lang) for lang in languages])
                if self.value.lang in languages:
                    select.value = self.value.lang
            if documents != self._documents:
                self._documents = documents
                select = self.query_one("#document", Select)
                select.set_options(documents)
                if self.value.document_id in {d for _, d in documents}:
                    select.value = self.value.document_id

    def _update(self, **changes: Any) -> None:
        self.value = self.value.with_(**changes)
        self.post_message(self.Changed(self.value))

    @on(Input.Changed, "#search")
    def _search_typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        text = event.value
        self._timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self._update(search=text))

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        if event.value != self.value.search:
            self._update(search=event.value)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else event.value
        if event.select.id == "shelf":
            kind, _, name = str(value or "").partition(":")
            self._update(
                collection=name if kind == "collection" else None,
                tag=name if kind == "tag" else None,
            )
            return
        field = {"definition": "definition", "lang": "lang", "document": "document_id"}
        if event.select.id in field:
            self._update(**{field[event.select.id]: value})

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        field = {"counters": "has_counters", "unreviewed": "unreviewed"}
        if event.checkbox.id in field:
            self._update(**{field[event.checkbox.id]: event.value})


def shelf_options(shelves: tuple[list[str], list[str]]) -> list[tuple[str, str]]:
    """One choice per Zotero collection and per tag: (shown, "collection:NAME" | "tag:NAME")."""
    collections, tags = shelves
    return [(f"▤ {c}", f"collection:{c}") for c in collections] + [
        (f"# {t}", f"tag:{t}") for t in tags
    ]


def shelf_value(f: ClaimFilter) -> object:
    if f.collection:
        return f"collection:{f.collection}"
    if f.tag:
        return f"tag:{f.tag}"
    return Select.NULL
