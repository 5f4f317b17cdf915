"""The polls screen: live results as votes arrive, and phase keys that change the stored poll."""

# The fixtures come from tui_data by import, which ruff reads as unused/redefined names.
# ruff: noqa: F401, F811

from __future__ import annotations

import pytest
from tui_data import anyio_backend, sample_db, screen_text, wait_for

from emlit.poll.store import create_poll, get_poll, upsert_votes
from emlit.poll.templates import load_template
from emlit.store import Store
from emlit.tui.app import make_app
from emlit.tui.screens.polls import PollsScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


def add_votes(db: str, poll_id: str, rows: list[tuple[str, str, str, str]]) -> None:
    """Votes as the poll server stores them: (voter, phase, question, answer)."""
    with Store(db) as store, store.transaction() as conn:
        upsert_votes(conn, poll_id, [(*r, "2024-05-01T10:00:00.000+00:00") for r in rows])


def voter(i: int) -> str:
    return f"voter-token-{i:06d}"


@pytest.fixture
def poll_db(sample_db: str) -> tuple[str, str]:
    with Store(sample_db) as store:
        poll = create_poll(store, load_template("emergence"), title="Sanity check talk")
    votes = [(voter(i), "pre", "belief", "agree" if i < 3 else "disagree") for i in range(5)]
    votes += [(voter(i), "pre", "consensus", "agree") for i in range(4)]
    add_votes(sample_db, poll.id, votes)
    return sample_db, poll.id


async def test_polls_screen_shows_bars_intervals_and_refreshes(poll_db: tuple[str, str]) -> None:
    db, poll_id = poll_db
    app = make_app(db, deterministic=True, poll_refresh=0.1, poll_url="http://192.0.2.1:8765/")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: "Sanity check talk" in screen_text(app))
        assert isinstance(app.screen, PollsScreen)
        text = screen_text(app)
        assert "pre 5 voters" in text
        # 3 of 5 agree: 60%, Wilson 95% interval 23%-88%
        line = next(ln for ln in text.splitlines() if "agree " in ln and "60.0%" in ln)
        assert "[23%–88%]" in line and "(3)" in line
        assert "own belief 60%" in text and "think most others agree 100%" in text
        assert "Vote at http://192.0.2.1:8765/" in text
        assert "▀" in text or "▄" in text  # the QR code
        # a new vote arrives from the poll server (another process): the screen follows
        add_votes(db, poll_id, [(voter(9), "pre", "belief", "agree")])
        await wait_for(pilot, lambda: "pre 6 voters" in screen_text(app))
        assert "66.7%" in screen_text(app)


async def test_phase_keys_change_the_stored_phase(poll_db: tuple[str, str]) -> None:
    db, poll_id = poll_db
    app = make_app(db, deterministic=True, poll_refresh=0.1, poll_url="http://192.0.2.1:8765/")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: "phase pre" in screen_text(app))
        await pilot.press("2")
        with Store(db) as store:
            assert get_poll(store, poll_id).phase == "post"
        await wait_for(pilot, lambda: "phase post" in screen_text(app))
        await pilot.press("0")
        with Store(db) as store:
            assert get_poll(store, poll_id).phase == "closed"


async def test_polls_screen_without_polls_says_how_to_make_one(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert "emlit poll create" in screen_text(app)


async def test_unknown_poll_id_is_reported_on_screen(poll_db: tuple[str, str]) -> None:
    db, _ = poll_db
    app = make_app(db, deterministic=True, poll_id="nope", poll_url="http://192.0.2.1:8765/")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: "no poll with id 'nope'" in screen_text(app))
