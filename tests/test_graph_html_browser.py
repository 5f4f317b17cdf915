"""The HTML export in headless Chromium with every network request refused.

Needs the Debian `chromium` package (/usr/bin/chromium); Playwright only drives it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from emlit.graph.build import build_graph
from emlit.graph.export import export_graph
from tests.evidence_support import curated_store, local_ids

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def test_offline_view_draws_and_shows_a_claim(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    store = curated_store(tmp_path / "g.db")
    page_file = tmp_path / "graph.html"
    export_graph(store, "html", page_file)
    g = build_graph(store)
    target = local_ids(store)["schaeffer2023.metric"]
    text = g.nodes[f"claim:{target}"]["text"]
    store.close()
    requested: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        page.on("request", lambda req: requested.append(req.url))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(page_file.as_uri())
        assert (
            page.locator("#counts").inner_text()
            == f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges"
        )
        page.wait_for_function("() => ticks >= maxTicks", timeout=30_000)
        # Click where the chosen claim is drawn; the side panel then quotes it.
        x, y = page.evaluate(
            "(id) => { const n = nodes.find((m) => m.id === id); return toScreen(n); }",
            f"claim:{target}",
        )
        box = page.locator("#canvas").bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + x, box["y"] + y)
        assert text in page.locator("#detail").inner_text()
        assert "counters" in page.locator("#detail").inner_text()
        shots = Path(os.environ.get("EMLIT_SCREENSHOTS") or tmp_path)
        page.screenshot(path=str(shots / "graph-html.png"))
        browser.close()
    assert errors == []
    assert all(u.startswith("file:") for u in requested), requested
