"""Review mode: each key stores a human decision at once; undo puts the store back."""

# The fixtures come from tui_data by import, which ruff reads as unused/redefined names.
# ruff: noqa: F401, F811

from __future__ import annotations

import sqlite3

import pytest
from tui_data import anyio_backend, sample_db, screen_text

from emlit.store import ClaimFilter, Store
from emlit.tui.app import make_app
from emlit.tui.screens.review import ReviewScreen
from emlit.tui.widgets.claims_table import ClaimsTable

pytestmark = pytest.mark.anyio
SIZE = (120, 36)


def human_tags(db: str, claim_id: str) -> dict[str, int]:
    """Read back from the file with a fresh connection: the decision is really stored."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT label, assigned FROM tags WHERE claim_id = ? AND provenance = 'human'",
            [claim_id],
        ).fetchall()
    finally:
        conn.close()
    return dict(rows)


def human_links(db: str) -> set[tuple[str, str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT source_id, target_id, relation, state FROM links WHERE provenance = 'human'"
        ).fetchall()
    finally:
        conn.close()
    return set(rows)


async def test_tag_keys_store_human_decisions_and_undo_removes_them(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")  # review from the first claim, c01 (D3 assigned, D4 not)
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.claim_id == "c01"
        await pilot.press("3")  # reject D3
        assert human_tags(sample_db, "c01") == {"D3": 0}
        await pilot.press("4")  # add D4
        assert human_tags(sample_db, "c01") == {"D3": 0, "D4": 1}
        assert "Stored: D4 added/accepted (human)" in screen_text(app)
        await pilot.press("u")
        assert human_tags(sample_db, "c01") == {"D3": 0}
        await pilot.press("u")
        assert human_tags(sample_db, "c01") == {}
        assert "Nothing to undo" not in screen_text(app)
        await pilot.press("u")
        assert "Nothing to undo" in screen_text(app)


async def test_accept_confirms_the_machine_tags_in_one_step(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "down", "r")  # c04: D3 and D4 assigned
        await pilot.pause()
        assert app.screen.claim_id == "c04"  # type: ignore[attr-defined]
        await pilot.press("a")
        assert human_tags(sample_db, "c04") == {"D3": 1, "D4": 1}
        await pilot.press("n")
        assert app.screen.claim_id == "c05"  # type: ignore[attr-defined]
        await pilot.press("u")  # undo jumps back to the claim it concerned
        assert app.screen.claim_id == "c04"  # type: ignore[attr-defined]
        assert human_tags(sample_db, "c04") == {}


async def test_undo_restores_an_earlier_human_decision(sample_db: str) -> None:
    with Store(sample_db) as store:
        store.set_human_tag("c01", "D3", True)
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "3")
        assert human_tags(sample_db, "c01") == {"D3": 0}
        await pilot.press("u")
        assert human_tags(sample_db, "c01") == {"D3": 1}


async def test_link_keys_confirm_and_reject_with_undo(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        # c01's links: c02 SUPPORTS, c05 SUPPORTS, c09 COUNTERS (incoming, in that order)
        await pilot.press("c")
        assert human_links(sample_db) == {("c02", "c01", "SUPPORTS", "confirmed")}
        await pilot.press("down", "down", "x")
        assert human_links(sample_db) == {
            ("c02", "c01", "SUPPORTS", "confirmed"),
            ("c09", "c01", "COUNTERS", "rejected"),
        }
        # a rejected link no longer counts: c01 has no counter evidence now
        with Store(sample_db) as store:
            assert store.claim("c01") is not None
            row = store.claims(search="Emergent abilities are present")[0]
            assert row["counters"] == 0
        assert "human rejected" in screen_text(app)
        await pilot.press("u")
        assert human_links(sample_db) == {("c02", "c01", "SUPPORTS", "confirmed")}
        await pilot.press("u")
        assert human_links(sample_db) == set()


async def test_review_from_a_filter_and_the_table_shows_the_result(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_review(ClaimFilter(lang="zh"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.claim_ids == ["c05", "c06", "c07", "c08"]
        await pilot.press("1")  # c05 now also uses D1
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one(ClaimsTable)
        row = next(table.row(i) for i in range(table.total) if table.row(i).id == "c05")  # type: ignore[union-attr]
        assert row.labels == ["D1", "D3"] and row.reviewed
