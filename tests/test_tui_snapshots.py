"""Snapshots (pytest-textual-snapshot) of the main screens on the fixed sample data.

Update after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in tests/__snapshots__/ before committing them.
"""

# The fixtures come from tui_data by import, which ruff reads as unused/redefined names.
# ruff: noqa: F401, F811

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_data import anyio_backend, sample_db, screen_text, wait_for

from emlit.poll.store import create_poll, upsert_votes
from emlit.poll.templates import load_template
from emlit.store import Store
from emlit.tui.app import EmlitApp, make_app

SIZE = (120, 36)
# Screens whose footer of key bindings needs more than 120 columns (the review screen's needs
# 143); at 120 it was cut off ("q Qu") and the snapshots did not show every key.
WIDE = (150, 36)
Snap = Callable[..., bool]


def app_for(db: str, **kw: Any) -> EmlitApp:
    return make_app(db, deterministic=True, poll_url="http://192.0.2.1:8765/", **kw)


def test_claims_screen(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), terminal_size=WIDE)


def test_claims_search_chinese(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), press=["slash", *"涌现", "enter"], terminal_size=WIDE)


def test_claims_light_theme(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db, theme="textual-light"), terminal_size=WIDE)


def test_claim_detail(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(
        app_for(sample_db), press=["down", "down", "down", "enter"], terminal_size=SIZE
    )


def test_evidence_view(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), press=["e"], terminal_size=SIZE)


def test_documents(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), press=["f3"], terminal_size=SIZE)


def test_reader(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), press=["f3", "enter", "n", "n"], terminal_size=WIDE)


def test_review(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), press=["r", "3", "4"], terminal_size=WIDE)


def test_help(snap_compare: Snap, sample_db: str) -> None:
    async def open_help(pilot: Pilot[None]) -> None:
        await pilot.press("f1")
        await wait_for(pilot, lambda: "Claims (F2)" in screen_text(pilot.app))

    assert snap_compare(app_for(sample_db), run_before=open_help, terminal_size=WIDE)


@pytest.fixture
def fixed_poll_db(sample_db: str) -> str:
    """A poll with a fixed id and fixed votes (create_poll picks a random id)."""
    with Store(sample_db) as store:
        poll = create_poll(store, load_template("emergence"), title="Sanity check talk")
        with store.transaction() as conn:
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.execute("UPDATE polls SET id = 'talk2024' WHERE id = ?", [poll.id])
            conn.execute(
                "UPDATE poll_phase_log SET poll_id = 'talk2024' WHERE poll_id = ?", [poll.id]
            )
            rows = []
            for i in range(20):
                token = f"voter-token-{i:06d}"
                rows.append((token, "pre", "belief", ["agree", "disagree", "unsure"][i % 3]))
                rows.append((token, "pre", "consensus", "agree" if i % 4 else "unsure"))
                rows.append((token, "pre", "consensus_pct", str(50 + i)))
                if i < 8:
                    rows.append((token, "post", "belief", "unsure" if i % 2 else "disagree"))
            upsert_votes(conn, "talk2024", [(*r, "2024-05-01T10:00:00.000+00:00") for r in rows])
    return sample_db


def test_polls(snap_compare: Snap, fixed_poll_db: str) -> None:
    async def open_polls(pilot: Pilot[None]) -> None:
        await pilot.press("f4")
        await wait_for(pilot, lambda: "Sanity check talk" in screen_text(pilot.app))

    assert snap_compare(app_for(fixed_poll_db), run_before=open_polls, terminal_size=SIZE)


# The keys each snapshot above presses, its size, and how its footer of key bindings starts.
FOOTERS = {
    "claims": ([], WIDE, "⏎ Open"),
    "claim detail": (["down", "down", "down", "enter"], SIZE, "esc Back o Document"),
    "evidence": (["e"], SIZE, "esc Back + Deeper"),
    "documents": (["f3"], SIZE, "c Its claims"),
    "reader": (["f3", "enter", "n", "n"], WIDE, "esc Back n Next claim"),
    "review": (["r", "3", "4"], WIDE, "esc Back a Accept tags"),
    "help": (["f1"], WIDE, "⏎ Open"),
    "polls": (["f4"], SIZE, "1 Pre"),
}


@pytest.mark.anyio
@pytest.mark.parametrize("screen", FOOTERS)
async def test_snapshot_footers_are_not_cut_off(
    sample_db: str, anyio_backend: str, screen: str
) -> None:
    keys, size, first = FOOTERS[screen]
    app = app_for(sample_db)

    def footer() -> str:
        return screen_text(app).splitlines()[-1].rstrip()

    async with app.run_test(size=size) as pilot:
        await pilot.press(*keys)
        await wait_for(pilot, lambda: footer().startswith(first) and "palette" in footer())
        # The palette's binding sits at the right edge; "q Quit" is the last one before it,
        # so a footer too wide for the terminal loses it first ("q Qu").
        assert "q Quit" in footer() and footer().endswith("^p palette"), footer()
