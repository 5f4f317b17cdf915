"""The stance in the TUI: a column of the claims table, a section of the claim detail, and the
`s` key (claim detail and review) that records a human stance; `u` undoes it."""

# The fixtures come from tui_data by import, which ruff reads as unused/redefined names.
# ruff: noqa: F401, F811

from __future__ import annotations

import sqlite3

import pytest
from tui_data import anyio_backend, sample_db, screen_text, wait_for

from emlit.tui.app import make_app
from emlit.tui.screens.claim_detail import ClaimDetailScreen
from emlit.tui.screens.review import ReviewScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 36)


def human_stance(db: str, claim_id: str) -> str | None:
    """Read back with a fresh connection: the decision is really stored."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "SELECT stance FROM stances WHERE claim_id = ? AND provenance = 'human'", [claim_id]
        ).fetchone()
    finally:
        conn.close()
    return None if row is None else row[0]


async def test_claims_table_shows_the_stance(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=(150, 36)) as pilot:
        await wait_for(pilot, lambda: "Stance" in screen_text(app))
        text = screen_text(app)
        assert "affirms" in text and "disputes" in text


async def test_s_in_claim_detail_cycles_the_human_stance_and_u_undoes(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # c01: the model says affirms
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimDetailScreen))
        await wait_for(pilot, lambda: "Stance (s:" in screen_text(app))
        assert "affirms · by model · ✓ in effect" in screen_text(app)
        for expected in ("affirms", "disputes", "neutral", None):
            await pilot.press("s")
            await pilot.pause()
            assert human_stance(sample_db, "c01") == expected
        await pilot.press("s", "s")  # affirms, then disputes
        await pilot.pause()
        assert human_stance(sample_db, "c01") == "disputes"
        assert app.queries.stances_for(["c01"]) == {"c01": "disputes"}
        await wait_for(pilot, lambda: "disputes · by human · ✓ in effect" in screen_text(app))
        assert "affirms · by model · overridden" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert human_stance(sample_db, "c01") == "affirms"


async def test_s_in_review_mode_records_the_stance(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=(150, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.claim_id == "c01"
        await pilot.press("s")
        await pilot.pause()
        assert human_stance(sample_db, "c01") == "affirms"
        assert "Stored: stance affirms (human)" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert human_stance(sample_db, "c01") is None


async def test_evidence_screen_counts_stances_per_definition(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")  # c01's neighbourhood
        await wait_for(pilot, lambda: "affirm  dispute  neutral" in screen_text(app))
