"""App-wide behaviour: help, themes, command palette, mouse, and bad input at start-up."""

# The fixtures come from tui_data by import, which ruff reads as unused/redefined names.
# ruff: noqa: F401, F811

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.command import CommandList, CommandPalette
from tui_data import anyio_backend, sample_db, screen_text, wait_for

from emlit.cli.main import cli
from emlit.errors import EmlitError
from emlit.tui.app import make_app
from emlit.tui.screens.claim_detail import ClaimDetailScreen
from emlit.tui.screens.claims import ClaimsScreen
from emlit.tui.screens.help import HelpScreen
from emlit.tui.widgets.claims_table import ClaimsTable

pytestmark = pytest.mark.anyio
SIZE = (120, 36)
REPO = Path(__file__).resolve().parents[1]


async def test_help_screen_opens_and_closes(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await wait_for(pilot, lambda: "Claims (F2)" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsScreen))
        await wait_for(pilot, lambda: "f1 Help" in screen_text(app))  # key hints in the footer


async def test_theme_toggles_between_dark_and_light(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


async def test_command_palette_runs_an_emlit_command(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Claims using D4")
        # The palette searches in a worker: wait until the command is the highlighted hit.
        await wait_for(pilot, lambda: highlighted_command(app) == "Claims using D4")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsScreen))
        await wait_for(pilot, lambda: app.screen.query_one(ClaimsTable).total == 5)
        assert app.screen.filter.definition == "D4"  # type: ignore[attr-defined]


async def test_mouse_click_selects_and_second_click_opens(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(ClaimsTable).total == 11)
        table = app.screen.query_one(ClaimsTable)
        await pilot.click(ClaimsTable, offset=(5, 3))  # header is row 0: row 3 is claim index 2
        await wait_for(pilot, lambda: table.cursor == 2)
        await pilot.click(ClaimsTable, offset=(5, 3))
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimDetailScreen))
        assert app.screen.claim_id == "c03"  # type: ignore[attr-defined]


def highlighted_command(app: object) -> str | None:
    """The text of the command the open palette would run on Enter, if any."""
    palette = app.screen  # type: ignore[attr-defined]
    if not isinstance(palette, CommandPalette):
        return None
    commands = palette.query_one(CommandList)
    if commands.highlighted is None:
        return None
    return str(commands.get_option_at_index(commands.highlighted).hit.text)  # type: ignore[attr-defined]


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmlitError, match=r"nope\.db: no such database"):
        make_app(str(tmp_path / "nope.db"))


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are notes, not SQLite\n" * 100)
    with pytest.raises(EmlitError, match="not an SQLite database"):
        make_app(str(bad))
    assert bad.read_text().startswith("these are notes")  # nothing overwritten


def test_unknown_theme_is_a_clear_error(sample_db: str) -> None:
    with pytest.raises(EmlitError, match="--theme: 'neon' is not one of"):
        make_app(sample_db, theme="neon")


def test_emlit_tui_is_registered_and_reports_bad_db(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["tui", "--help"])
    assert result.exit_code == 0 and "Browse claims" in result.output
    missing = tmp_path / "missing.db"
    proc = subprocess.run(
        [sys.executable, "-c", "from emlit.cli import main; main()", "--db", str(missing), "tui"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        f"emlit: error: {missing}: no such database (create one with `emlit ingest` first)"
    )
    assert "Traceback" not in proc.stderr and not missing.exists()


def test_tui_py_launcher_reports_bad_db(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    proc = subprocess.run(
        [sys.executable, str(REPO / "tui.py"), "--db", str(missing)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "no such database" in proc.stderr and "Traceback" not in proc.stderr
