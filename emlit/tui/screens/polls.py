"""Live results of a belief poll, refreshed as votes arrive, with the QR code and phase keys.

Phase keys call ``emlit.poll.store.set_phase`` on the shared SQLite store, the same function
``emlit poll phase`` uses, so they work while ``emlit poll serve`` runs in another process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from emlit.errors import EmlitError
from emlit.tui.widgets.poll_bars import gap_text, results_text
from emlit.tui.widgets.qr_code import QRCode
from emlit.vocab import VOTE_PHASES

if TYPE_CHECKING:
    from emlit.tui.app import EmlitApp

DEFAULT_PORT = 8000  # the default of `emlit poll serve`


class PollsScreen(Screen[None]):
    """One poll: phase, voters, bars with Wilson intervals, belief versus consensus."""

    app: EmlitApp

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "phase('pre')", "Pre"),
        Binding("2", "phase('post')", "Post"),
        Binding("0", "phase('closed')", "Close"),
        Binding("left_square_bracket", "cycle(-1)", "Prev poll"),
        Binding("right_square_bracket", "cycle(1)", "Next poll"),
    ]

    @dataclass
    class Updated(Message):
        """Fresh results are on screen."""

        poll_id: str

    def __init__(self, poll_id: str | None = None) -> None:
        super().__init__()
        self.poll_id = poll_id
        self._seen: tuple[Any, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="poll-head")
        with Horizontal(id="poll-body"):
            with VerticalScroll(id="poll-results"):
                yield Static("", id="poll-gap", classes="box")
                yield Static("", id="poll-bars")
            with Vertical(id="poll-side"):
                yield QRCode(id="poll-qr")
                yield Static("", id="poll-url")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Polls"
        if self.poll_id is None:
            polls = self._polls()
            self.poll_id = polls[-1]["id"] if polls else None
        from emlit.poll.lan import voter_url

        url = self.app.poll_url or voter_url("0.0.0.0", DEFAULT_PORT)
        self.query_one(QRCode).show(url)
        self.query_one("#poll-url", Static).update(Text(f"Vote at {url}", "bold"))
        self.refresh_results()
        self.set_interval(self.app.poll_refresh, self.refresh_results)

    def _polls(self) -> list[dict[str, Any]]:
        from emlit.poll.store import list_polls

        return list_polls(self.app.store)

    def _fingerprint(self, poll_id: str) -> tuple[Any, ...]:
        """Cheap state of the poll: recompute the statistics only when it changes."""
        from emlit.poll.store import activity

        return (poll_id, *(activity(self.app.conn, poll_id) or ()))

    def refresh_results(self, force: bool = False) -> None:
        """Recompute the statistics (in a thread: the first call imports statsmodels)."""
        head = self.query_one("#poll-head", Static)
        if self.poll_id is None:
            head.update(
                "No polls in this database. Create one: emlit poll create --template emergence --title TITLE"
            )
            return
        seen = self._fingerprint(self.poll_id)
        if seen == self._seen and not force:
            return
        self._seen = seen
        if not head.content:
            head.update(Text(f"Loading poll {self.poll_id}…", "dim"))
        poll_id, path = self.poll_id, self.app.db_path

        def compute() -> None:
            from emlit.poll.stats import poll_results
            from emlit.store import Store

            store = self.app.store if path == ":memory:" else Store(path)
            try:
                result, error = poll_results(store, poll_id), None
            except EmlitError as exc:
                result, error = None, str(exc)
            finally:
                if store is not self.app.store:
                    store.close()
            self.app.call_from_thread(self._show, poll_id, result, error)

        self.run_worker(compute, thread=True, exclusive=True, group="poll")

    def _show(self, poll_id: str, result: dict[str, Any] | None, error: str | None) -> None:
        if poll_id != self.poll_id:
            return
        head = self.query_one("#poll-head", Static)
        if result is None:
            head.update(Text(error or "", "bold red"))
            return
        voters = " · ".join(
            f"{p} {result['phases'].get(p, {}).get('voters', 0)} voters" for p in VOTE_PHASES
        )
        title = Text()
        title.append(f" {result['title']} ", "bold reverse")
        title.append(f"  poll {result['poll']}  ·  phase ")
        title.append(str(result["phase"]), "bold yellow")
        title.append(f"  ·  {voters}")
        head.update(title)
        self.query_one("#poll-gap", Static).update(gap_text(result))
        self.query_one("#poll-bars", Static).update(results_text(result))
        self.post_message(self.Updated(poll_id))

    def action_phase(self, phase: str) -> None:
        if self.poll_id is None:
            return
        from emlit.poll.store import set_phase

        try:
            set_phase(self.app.store, self.poll_id, phase)
        except EmlitError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Poll {self.poll_id}: phase is now {phase}")
        self.refresh_results(force=True)

    def action_cycle(self, delta: int) -> None:
        ids = [p["id"] for p in self._polls()]
        if not ids:
            return
        i = ids.index(self.poll_id) if self.poll_id in ids else 0
        self.poll_id = ids[(i + delta) % len(ids)]
        self.refresh_results(force=True)
