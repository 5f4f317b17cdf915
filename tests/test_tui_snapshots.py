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
from tui_data import sample_db, screen_text, wait_for

from emlit.poll.store import create_poll, upsert_votes
from emlit.poll.templates import load_template
from emlit.store import Store
from emlit.tui.app import EmlitApp, make_app

SIZE = (120, 36)
Snap = Callable[..., bool]


def app_for(db: str, **kw: Any) -> EmlitApp:
    return make_app(db, deterministic=True, poll_url="http://192.0.2.1:8765/", **kw)


def test_claims_screen(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), terminal_size=SIZE)


def test_claims_search_chinese(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), press=["slash", *"涌现", "enter"], terminal_size=SIZE)


def test_claims_light_theme(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db, theme="textual-light"), terminal_size=SIZE)


def test_claim_detail(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(
        app_for(sample_db), press=["down", "down", "down", "enter"], terminal_size=SIZE
    )


def test_evidence_view(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), press=["e"], terminal_size=SIZE)


def test_documents(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), press=["f3"], terminal_size=SIZE)


def test_reader(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), press=["f3", "enter", "n", "n"], terminal_size=SIZE)


def test_review(snap_compare: Snap, sample_db: str) -> None:
    assert snap_compare(app_for(sample_db), press=["r", "3", "4"], terminal_size=SIZE)


def test_help(snap_compare: Snap, sample_db: str) -> None:
    async def open_help(pilot: Pilot[None]) -> None:
        await pilot.press("f1")
        await wait_for(pilot, lambda: "Claims (F2)" in screen_text(pilot.app))

    assert snap_compare(app_for(sample_db), run_before=open_help, terminal_size=SIZE)


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
