"""The claims screen: rows, search in English and Chinese, filters, lazy paging, CJK width."""

# The fixtures come from tui_data by import, which ruff reads as unused/redefined names.
# ruff: noqa: F401, F811

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Select
from tui_data import anyio_backend, build_sample, sample_db, screen_text, wait_for

from emlit.models import Block, Claim, ParsedDocument
from emlit.store import ClaimFilter, Store, StoreReader
from emlit.tui.app import make_app
from emlit.tui.screens.claims import ClaimsScreen
from emlit.tui.widgets.cells import fit
from emlit.tui.widgets.claims_table import PAGE, ClaimsTable
from emlit.tui.widgets.filter_bar import FilterBar

SIZE = (120, 36)
pytestmark = pytest.mark.anyio


def _table(app: object) -> ClaimsTable:
    return app.screen.query_one(ClaimsTable)  # type: ignore[attr-defined]


async def test_claims_screen_lists_every_claim_with_its_columns(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ClaimsScreen)
        assert _table(app).total == 11
        text = screen_text(app)
        assert "Definitions" in text and "Review" in text
        first = next(line for line in text.splitlines() if "Emergent abilities are present" in line)
        # definitions, document, language, supports (2), counters (1), review state
        assert "D3" in first and "notes/wei2022.md" in first and " en " in first
        assert " 2 " in first and " 1 " in first
        assert "claim 1 of 11" in text


async def test_search_in_english_and_chinese(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    # 150 columns, as the claims snapshots: at 120 the Stance column leaves the claim text too
    # little room to show the end of c07 (海市蜃楼).
    async with app.run_test(size=(150, 36)) as pilot:
        await pilot.press("slash", *"sharply")
        await wait_for(pilot, lambda: _table(app).total == 1)
        assert _table(app).current.id == "c04"  # type: ignore[union-attr]
        await pilot.press("enter")  # back to the table
        assert isinstance(app.focused, ClaimsTable)
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"涌现")
        await wait_for(pilot, lambda: _table(app).total == 2)
        ids = {_table(app).row(i).id for i in range(2)}  # type: ignore[union-attr]
        assert ids == {"c05", "c07"}
        assert "海市蜃楼" in screen_text(app)


async def test_filters_narrow_the_table(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ClaimsScreen)
        bar = screen.query_one(FilterBar)
        cases = [
            (ClaimFilter(definition="D4"), {"c03", "c04", "c07", "c09", "c10"}),
            (ClaimFilter(lang="zh"), {"c05", "c06", "c07", "c08"}),
            (ClaimFilter(has_counters=True), {"c01", "c04", "c06"}),
            (ClaimFilter(definition="D3", lang="en"), {"c01", "c02", "c04"}),
        ]
        for f, expected in cases:
            bar.set_value(f)
            await pilot.pause()
            table = _table(app)
            assert {table.row(i).id for i in range(table.total)} == expected, f  # type: ignore[union-attr]
        docs = {d["display_path"]: d["id"] for d in app.queries.documents()}
        bar.set_value(ClaimFilter(document_id=docs["papers/schaeffer2023.pdf"]))
        await pilot.pause()
        assert _table(app).total == 3
        await pilot.press("x")  # clear filters
        await pilot.pause()
        assert _table(app).total == 11


async def test_checkbox_filters_work_with_the_mouse(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#counters")
        await wait_for(pilot, lambda: _table(app).total == 3)
        app.store.set_human_tag("c01", "D3", True)  # c01 is now reviewed
        await pilot.click("#unreviewed")
        await wait_for(pilot, lambda: _table(app).total == 2)
        table = _table(app)
        assert {table.row(i).id for i in range(2)} == {"c04", "c06"}  # type: ignore[union-attr]


async def test_unreviewed_filter_and_review_column(sample_db: str) -> None:
    with Store(sample_db) as store:
        store.set_human_tag("c02", "D3", False)
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = next(ln for ln in screen_text(app).splitlines() if "Chain-of-thought" in ln)
        assert "✓ human" in line
        app.screen.query_one(FilterBar).set_value(ClaimFilter(unreviewed=True))
        await pilot.pause()
        assert _table(app).total == 10


def _many_claims(path: str, n: int) -> None:
    """One document with ``n`` claims, each its own paragraph."""
    text, blocks, claims = "", [], []
    for i in range(n):
        sentence = f"Claim number {i} says emergence appears at scale {i}."
        if text:
            text += "\n\n"
        start = len(text)
        text += sentence
        blocks.append(Block(start, len(text), "paragraph"))
        claims.append(Claim(f"m{i:05d}", sentence, "en", start, len(text)))
    doc = ParsedDocument(path="many.md", format="markdown", text=text, blocks=blocks)
    with Store(path) as store:
        store.save_document(
            doc, path="/many.md", display_path="many.md", content_hash="x", claims=claims
        )


async def test_table_pages_lazily_and_reaches_the_end(tmp_path) -> None:
    db = str(tmp_path / "many.db")
    _many_claims(db, 2 * PAGE + 50)
    app = make_app(db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = _table(app)
        assert table.total == 2 * PAGE + 50
        assert list(table._pages) == [0]  # only the first page was read
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == 2 * PAGE + 49
        assert table.current.id == f"m{2 * PAGE + 49:05d}"  # type: ignore[union-attr]
        assert f"Claim number {2 * PAGE + 49} says" in screen_text(app)
        assert 0 < len(table._pages) <= 3
        await pilot.press("home", "pagedown", "pagedown")
        await pilot.pause()
        assert table.cursor > 0 and table.current.id == f"m{table.cursor:05d}"  # type: ignore[union-attr]


def test_keyset_pages_match_offset_pages(tmp_path) -> None:
    db = str(tmp_path / "many.db")
    _many_claims(db, 250)
    with Store(db) as store:
        q = StoreReader(store.conn)
        for f in (ClaimFilter(), ClaimFilter(search="emergence")):
            first = q.page(f, 0, 100)
            by_key = q.page(f, 100, 100, after=first[-1].key)
            by_offset = q.page(f, 100, 100)
            assert [r.id for r in by_key] == [r.id for r in by_offset]
            assert by_key[0].id == "m00100"


def test_fit_never_cuts_a_chinese_character() -> None:
    text = "涌现能力是指在小模型中不存在"
    for width in range(1, 20):
        out = fit(text, width)
        assert cell_len(out) == width, (width, out)
        kept = out.rstrip(" …")
        assert text.startswith(kept)
    assert fit("short", 8) == "short   "


async def test_chinese_rows_fill_exactly_the_table_width(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = _table(app)
        width = table.scrollable_content_region.width
        zh_index = next(i for i in range(table.total) if table.row(i).id == "c06")  # type: ignore[union-attr]
        strip = table.render_line(zh_index + 1)
        assert strip.cell_length == width
        line = "".join(seg.text for seg in strip)
        assert cell_len(line) == width
        claim_cell = line.split("…")[0]
        assert "模型并没有专门为算术推理" in claim_cell
        full = table.row(zh_index).text  # type: ignore[union-attr]
        assert full.startswith(claim_cell.strip())  # a clean prefix: no half character
        # and on screen the row sits inside the window, not overflowing it
        for row in screen_text(app).splitlines():
            assert cell_len(row) == 100


async def test_build_sample_is_usable_twice(tmp_path) -> None:
    # The sample builder writes only through the Store, so it works on any fresh database.
    with Store(tmp_path / "a.db") as store:
        build_sample(store)
        assert store.stats()["claims"] == 11


async def test_slow_filters_are_counted_in_the_background(tmp_path) -> None:
    db = str(tmp_path / "many.db")
    _many_claims(db, 2 * PAGE + 50)
    app = make_app(db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClaimsScreen)
        screen.apply_filter(ClaimFilter(lang="en", unreviewed=True))
        # the first page is there at once; the exact count follows from a worker thread
        assert screen.counting and _table(app).total == PAGE
        assert "counting…" in str(screen.query_one("#status").content)
        await wait_for(pilot, lambda: not screen.counting)
        assert _table(app).total == 2 * PAGE + 50
        assert "of 250" in screen_text(app)


def _add_note(db: str, name: str, sentence: str) -> None:
    """A new document with one claim, written through a second connection (as `emlit watch`
    does from its own process)."""
    doc = ParsedDocument(
        path=name,
        format="markdown",
        text=sentence,
        blocks=[Block(0, len(sentence), "paragraph")],
    )
    claim = Claim(f"w-{name}", sentence, "en", 0, len(sentence))
    with Store(db) as store:
        store.save_document(
            doc, path="/watched/" + name, display_path=name, content_hash=name, claims=[claim]
        )


async def test_new_claims_from_another_process_appear_without_a_restart(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down")
        table = _table(app)
        assert table.total == 11 and table.cursor == 3
        _add_note(sample_db, "watched.md", "Emergence appeared in the watched folder at scale.")
        await wait_for(pilot, lambda: _table(app).total == 12)
        await wait_for(pilot, lambda: "Emergence appeared in the watched" in screen_text(app))
        assert _table(app).cursor == 3  # the cursor stayed where it was
        assert "claim 4 of 12" in screen_text(app)
        # and the document filter offers the new document
        documents = app.screen.query_one("#document", Select)
        assert "watched.md" in [str(prompt) for prompt, _ in documents._options]


async def test_a_filtered_list_is_counted_again_when_claims_arrive(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one(FilterBar).set_value(ClaimFilter(lang="en"))
        await wait_for(pilot, lambda: _table(app).total == 7)
        _add_note(sample_db, "more.md", "Emergent abilities showed up once more at scale.")
        await wait_for(pilot, lambda: _table(app).total == 8)
        await wait_for(pilot, lambda: "showed up once more" in screen_text(app))
