"""Claim detail, evidence tree and the documents screens, driven by keys."""

# The fixtures come from tui_data by import, which ruff reads as unused/redefined names.
# ruff: noqa: F401, F811

from __future__ import annotations

import pytest
from textual.widgets import Tree
from tui_data import anyio_backend, sample_db, screen_text

from emlit.tui.app import make_app
from emlit.tui.screens.claim_detail import ClaimDetailScreen
from emlit.tui.screens.documents import DocumentsScreen
from emlit.tui.screens.evidence import EvidenceScreen
from emlit.tui.screens.reader import ReaderScreen
from emlit.tui.widgets.evidence_list import EvidenceList

pytestmark = pytest.mark.anyio
SIZE = (120, 36)


async def test_claim_detail_shows_context_tags_evidence_and_flags(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_claim("c04")
        await pilot.pause()
        assert isinstance(app.screen, ClaimDetailScreen)
        text = screen_text(app)
        assert "§ Definition" in text  # the section
        # the paragraph around the claim, not just the claim
        assert "Emergence is when quantitative changes" in text
        assert "0.91" in text and "model" in text  # D4 score and provenance
        assert "cue: cue for D4" in text  # the tagger's explanation
        assert text.count("◀ COUNTERS") == 3
        # Its three counters all use D4 too: real disagreement, not talking past each other.
        assert "Talking past each other" not in text


async def test_counters_that_share_no_definition_are_flagged(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_claim("c06")  # D1, countered by c08 and c11, which use D2
        await pilot.pause()
        text = screen_text(app)
        assert "Talking past each other" in text
        assert text.count("This claim (D1) is countered by a claim using D2") == 2


async def test_pdf_claim_shows_its_page(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_claim("c10")
        await pilot.pause()
        assert "p. 3" in screen_text(app)


async def test_evidence_can_be_followed_and_the_document_opened(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # first claim, c01
        await pilot.pause()
        assert isinstance(app.screen, ClaimDetailScreen) and app.screen.claim_id == "c01"
        assert isinstance(app.focused, EvidenceList)
        await pilot.press("down", "enter")  # the second link: c05 supports c01
        await pilot.pause()
        assert isinstance(app.screen, ClaimDetailScreen) and app.screen.claim_id == "c05"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.claim_id == "c01"  # type: ignore[attr-defined]
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.claims[app.screen.current]["id"] == "c01"


async def test_evidence_tree_depth_and_balance(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_evidence("c01")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        tree = screen.query_one(Tree)

        def claims_in_tree() -> set[str]:
            found, stack = set(), list(tree.root.children)
            while stack:
                node = stack.pop()
                found.add(node.data)
                stack.extend(node.children)
            return found

        assert claims_in_tree() == {"c02", "c05", "c09", "c10", "c04"}
        await pilot.press("minus")
        assert claims_in_tree() == {"c02", "c05", "c09"}
        assert "depth 1, 3 links" in screen_text(app)
        # c01 uses D3: two D3 claims support it; the D4 claim c09 counters it, which is
        # talking past it (no shared definition), so it is not a D3 counter (as in analyze)
        text = screen_text(app)
        d3_line = next(ln for ln in text.splitlines() if "D3 " in ln and "│" in ln)
        assert d3_line.rstrip().endswith("██ 2  (1 past)")
        d4_line = next(ln for ln in text.splitlines() if "D4 " in ln and "│" in ln)
        assert d4_line.split("│")[1].strip() == ""
        await pilot.press("plus", "plus")
        assert claims_in_tree() == {"c02", "c05", "c09", "c10", "c04", "c07"}
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ClaimDetailScreen)


async def test_documents_list_and_reader_highlight_claims(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
        text = screen_text(app)
        assert "notes/涌现笔记.md" in text and "papers/schaeffer2023.pdf" in text
        await pilot.press("down", "enter")  # sorted by path: notes/涌现笔记.md is second
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.doc["display_path"] == "notes/涌现笔记.md"  # type: ignore[index]
        await pilot.press("n", "n")
        assert reader.claims[reader.current]["id"] == "c06"
        para = reader._paragraph_text(0)
        styles = {str(span.style) for span in para.spans}
        assert "bold reverse" in styles and "underline" in styles
        assert "[D1]" in para.plain
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClaimDetailScreen) and app.screen.claim_id == "c06"


async def test_documents_c_shows_the_documents_claims(sample_db: str) -> None:
    app = make_app(sample_db, deterministic=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "down", "down", "c")
        await pilot.pause()
        await pilot.pause()
        from emlit.tui.widgets.claims_table import ClaimsTable

        table = app.screen.query_one(ClaimsTable)
        assert table.total == 3
        assert {table.row(i).id for i in range(3)} == {"c09", "c10", "c11"}  # type: ignore[union-attr]
