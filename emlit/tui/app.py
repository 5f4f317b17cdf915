"""The Textual app and its factory, shared by ``tui.py``, ``emlit tui`` and the tests."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from emlit.errors import EmlitError
from emlit.store import ClaimFilter, StoreReader
from emlit.store.sql import is_migrated, open_connection
from emlit.tui.review import ReviewLog
from emlit.vocab import DEFINITIONS

if TYPE_CHECKING:
    import sqlite3

    from emlit.store import Store

# Benchmark hook: when set, the app writes the wall-clock time of its first painted claim
# rows to this file and exits (bench/bench_tui.py measures process start to first paint).
PAINTED_FILE_ENV = "EMLIT_TUI_PAINTED_FILE"


def definition_labels() -> dict[str, str]:
    """D1..D6 with their short English names (ids alone if the definitions file is unreadable)."""
    try:
        from emlit.definitions import load_definitions

        return {d.id: d.label_en for d in load_definitions()}
    except EmlitError:
        return {d: d for d in DEFINITIONS}


class EmlitApp(App[None]):
    """Browse claims, their definitions and evidence; review; follow a live poll."""

    TITLE = "emlit"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help"),
        Binding("f2", "switch_mode('claims')", "Claims"),
        Binding("f3", "switch_mode('documents')", "Documents"),
        Binding("f4", "switch_mode('polls')", "Polls"),
        Binding("ctrl+t", "toggle_theme", "Theme"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        db_path: str,
        conn: sqlite3.Connection,
        *,
        store: Store | None = None,
        deterministic: bool = False,
        poll_id: str | None = None,
        poll_url: str | None = None,
        poll_refresh: float = 1.0,
    ) -> None:
        super().__init__()
        self.poll_url = poll_url  # the voter page the QR code points at
        self.db_path = db_path
        self.conn = conn  # reads; the Store (sqlite-utils) is opened on first use
        self._store = store
        self.queries = StoreReader(conn)
        self.review_log = ReviewLog(lambda: self.store, self.queries)
        self.definition_labels = definition_labels()
        self.deterministic = deterministic  # no timings or clocks on screen (snapshot tests)
        self.poll_id = poll_id
        self.poll_refresh = poll_refresh
        self.started_at = time.perf_counter()
        self.painted_at: float | None = None

    @property
    def store(self) -> Store:
        """The Store for writes (review decisions, poll phases); opened on first use."""
        if self._store is None:
            from emlit.store import Store

            self._store = Store(self.db_path)
        return self._store

    def _warm_store(self) -> None:
        """After the first paint: open the Store in a thread so the first review key is instant."""
        _ = self.store

    def on_unmount(self) -> None:
        if self._store is not None and self._store.conn is not self.conn:
            self._store.close()
        self.conn.close()

    def on_mount(self) -> None:
        from emlit.tui.screens.claims import ClaimsScreen
        from emlit.tui.screens.documents import DocumentsScreen
        from emlit.tui.screens.polls import PollsScreen

        self.add_mode("claims", ClaimsScreen)
        self.add_mode("documents", DocumentsScreen)
        self.add_mode("polls", lambda: PollsScreen(self.poll_id))
        self.switch_mode("claims")

    # -- navigation ------------------------------------------------------------------

    def open_claim(self, claim_id: str) -> None:
        from emlit.tui.screens.claim_detail import ClaimDetailScreen

        self.push_screen(ClaimDetailScreen(claim_id))

    def open_evidence(self, claim_id: str) -> None:
        from emlit.tui.screens.evidence import EvidenceScreen

        self.push_screen(EvidenceScreen(claim_id))

    def open_document(self, document_id: int, claim_id: str | None = None) -> None:
        from emlit.tui.screens.reader import ReaderScreen

        self.push_screen(ReaderScreen(document_id, claim_id))

    def open_document_at(self, claim_id: str) -> None:
        claim = self.queries.claim(claim_id)
        if claim:
            self.open_document(claim["document_id"], claim_id)

    def open_review(self, f: ClaimFilter, start: int = 0) -> None:
        from emlit.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(f, start))

    def show_claims(self, f: ClaimFilter) -> None:
        """Switch to the claims screen with ``f`` as its filter."""
        from emlit.tui.screens.claims import ClaimsScreen

        def apply() -> None:
            if isinstance(self.screen, ClaimsScreen):
                self.screen.show_filter(f)

        self.switch_mode("claims")
        self.call_after_refresh(apply)

    def action_help(self) -> None:
        from emlit.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Claims", "Browse and search all claims", self._mode("claims"))
        yield SystemCommand("Documents", "List documents and read them", self._mode("documents"))
        yield SystemCommand("Polls", "Live results of a belief poll", self._mode("polls"))
        yield SystemCommand("Help", "Keys of every screen", self.action_help)
        yield SystemCommand("Light/dark theme", "Toggle light and dark", self.action_toggle_theme)
        yield SystemCommand(
            "Review unreviewed claims",
            "Step through claims nobody has reviewed yet",
            lambda: self.open_review(ClaimFilter(unreviewed=True)),
        )
        yield SystemCommand(
            "Retrain the tagger on my decisions",
            "emlit train: refit on your accepted, rejected and added definitions, re-tag",
            self.action_retrain,
        )
        for d, label in self.definition_labels.items():
            yield SystemCommand(
                f"Claims using {d}", label, lambda d=d: self.show_claims(ClaimFilter(definition=d))
            )

    def action_retrain(self) -> None:
        """What `emlit train` does, in a worker thread on a connection of its own."""
        self.notify("Retraining the tagger on your decisions (a minute or two)…")
        self.run_worker(self._retrain, thread=True, group="train", exclusive=True)

    def _retrain(self) -> None:
        from emlit.store import Store
        from emlit.tagging.learn import train

        try:
            with Store(self.db_path) as store:
                report = train(store)
        except EmlitError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error")
            return
        change = ""
        if report.difference:
            change = (
                f" Held-out macro-F1 {report.before['macro_f1']:.2f} → "
                f"{report.after['macro_f1']:.2f}."
            )
        self.call_from_thread(
            self.notify,
            f"Tagger {report.model_id} in use; {report.retagged} claims re-tagged, your "
            f"decisions kept.{change} Undo: emlit train --rollback",
            timeout=15,
        )

    def _mode(self, name: str) -> Callable[[], object]:
        return lambda: self.switch_mode(name)

    # -- benchmark hook --------------------------------------------------------------

    def first_rows_painted(self) -> None:
        if self.painted_at is not None:
            return
        self.painted_at = time.perf_counter()
        if self._store is None:
            self.run_worker(self._warm_store, thread=True, group="warm")
        target = os.environ.get(PAINTED_FILE_ENV)
        if target:
            # Wait for the frame to reach the terminal, then record the time and leave.
            def done() -> None:
                Path(target).write_text(f"{time.time():.6f}\n", encoding="utf-8")
                self.exit()

            self.call_after_refresh(done)


def make_app(
    db_path: str,
    *,
    deterministic: bool = False,
    poll_id: str | None = None,
    poll_url: str | None = None,
    poll_refresh: float = 1.0,
    theme: str | None = None,
) -> EmlitApp:
    """Open the database at ``db_path`` (which must exist) and build the app."""
    store = None
    if db_path == ":memory:":
        from emlit.store import Store

        store = Store(db_path)
        conn = store.conn
    else:
        if not Path(db_path).is_file():
            raise EmlitError(f"{db_path}: no such database (create one with `emlit ingest` first)")
        conn = open_connection(db_path)
        if not is_migrated(conn):
            from emlit.store import Store

            store = Store(db_path)  # applies the migrations (and names a broken file)
    app = EmlitApp(
        db_path,
        conn,
        store=store,
        deterministic=deterministic,
        poll_id=poll_id,
        poll_url=poll_url,
        poll_refresh=poll_refresh,
    )
    if theme:
        if theme not in app.available_themes:
            raise EmlitError(f"--theme: {theme!r} is not one of {', '.join(app.available_themes)}")
        app.theme = theme
    return app
