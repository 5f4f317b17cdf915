"""The HTML export in headless Chromium with every network request refused.

Needs the Debian `chromium` package (/usr/bin/chromium); Playwright only drives it. The
tests look at the pixels the page drew, so a blank or misplaced drawing fails.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, sync_playwright

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
VIEWPORT = {"width": 1280, "height": 800}

# Contract 11's hooks once the view has them; until then the page's own globals.
LAID_OUT = """() => document.documentElement.dataset.ready === "1"
    || (typeof ticks !== "undefined" && ticks >= maxTicks)"""
NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
POSITIONS = """() => {
  if (window.emlitView && window.emlitView.positions) return window.emlitView.positions();
  const box = document.getElementById("canvas").getBoundingClientRect();
  return nodes.filter(visible).map((n) => {
    const [x, y] = toScreen(n);
    return {id: n.id, x: box.left + x, y: box.top + y};
  });
}"""
CANVAS_BOX = """() => {
  const box = document.querySelector("canvas").getBoundingClientRect();
  return [box.left, box.top, box.right, box.bottom];
}"""


@pytest.fixture(scope="module")
def graph_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The exported page, and what the store says it should show."""
    folder = tmp_path_factory.mktemp("html")
    store = curated_store(folder / "g.db")
    page_file = folder / "graph.html"
    export_graph(store, "html", page_file)
    g = build_graph(store)
    target = local_ids(store)["schaeffer2023.metric"]
    store.close()
    facts = {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "target": f"claim:{target}",
        "text": g.nodes[f"claim:{target}"]["text"],
    }
    return page_file, facts


@pytest.fixture(scope="module")
def page(graph_page: tuple[Path, dict[str, Any]]) -> Iterator[Page]:
    """The page, offline, laid out; fails the test on any script error or network request."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    requested: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)  # type: ignore[arg-type]
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        page.on("request", lambda req: requested.append(req.url))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(graph_page[0].as_uri())
        page.wait_for_function(LAID_OUT, timeout=30_000)
        page.evaluate(NEXT_FRAME)
        yield page
        browser.close()
    assert errors == []
    assert all(u.startswith("file:") for u in requested), requested


def screenshot(page: Page) -> np.ndarray:
    """The viewport as an array of RGB pixels, indexed [y, x]."""
    return np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB"))


def test_nodes_are_drawn_where_the_page_says(
    page: Page, graph_page: tuple[Path, dict[str, Any]]
) -> None:
    facts = graph_page[1]
    assert page.locator("#counts").inner_text() == f"{facts['nodes']} nodes, {facts['edges']} edges"
    positions = page.evaluate(POSITIONS)
    assert len(positions) == facts["nodes"], "every node is drawn (all filters on)"
    left, top, right, bottom = (int(v) for v in page.evaluate(CANVAS_BOX))
    shown = [
        (int(p["x"]), int(p["y"]))
        for p in positions
        if left + 6 <= p["x"] < right - 6 and top + 6 <= p["y"] < bottom - 6
    ]
    radius = min(int(p.get("r", 4)) for p in positions)  # the page's own globals: claims r=4
    if page.evaluate("() => Boolean(window.emlitView)"):
        assert len(shown) == len(positions), "contract 11: the first view fits the whole graph"
    assert len(shown) >= 0.5 * len(positions), f"only {len(shown)} nodes in the view"
    assert len({(x // 4, y // 4) for x, y in shown}) >= 0.9 * len(shown), "nodes piled up"

    # Each pixel as one number 0xRRGGBB; the commonest one in the view is its background.
    img = screenshot(page).astype(np.int32) @ np.array([1 << 16, 1 << 8, 1], dtype=np.int32)
    colours, counts = np.unique(img[top:bottom, left:right], return_counts=True)
    background = colours[counts.argmax()]
    assert counts.max() > 0.5 * counts.sum(), "most of the view is background"
    # Under every node centre the page drew something ...
    blank = [(x, y) for x, y in shown if img[y, x] == background]
    assert blank == [], f"{len(blank)} of {len(shown)} nodes not drawn, e.g. at {blank[:3]}"
    # ... a filled disc, not the line of an edge ending there: the square inside the
    # smallest node's circle is one colour (for all but nodes under a label or another node) ...
    half = max(1, int(radius / 2**0.5) - 1)
    discs = [
        (x, y)
        for x, y in shown
        if len(np.unique(img[y - half : y + half + 1, x - half : x + half + 1])) == 1
    ]
    assert len(discs) >= 0.9 * len(shown), (
        f"only {len(discs)} of {len(shown)} nodes are filled discs"
    )
    # ... and away from the nodes it mostly did not (edges and labels cross some of it).
    gy, gx = np.mgrid[top + 5 : bottom - 5 : 10, left + 5 : right - 5 : 10]
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    centres = np.array(shown)
    nearest = np.sqrt(((grid[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    far = [img[y, x] == background for x, y in grid[nearest >= 20]]
    assert len(far) > 100 and sum(far) >= 0.75 * len(far), "drawing where there are no nodes"


def dark_ring(img: np.ndarray, x: int, y: int) -> int:
    """How many near-black pixels lie 3 to 6 px from (x, y): a selection outline."""
    ys, xs = np.mgrid[y - 6 : y + 7, x - 6 : x + 7]
    ring = (np.hypot(xs - x, ys - y) >= 3) & (np.hypot(xs - x, ys - y) <= 6)
    patch = img[y - 6 : y + 7, x - 6 : x + 7].astype(int).sum(axis=2)
    return int(((patch < 120) & ring).sum())


def test_clicking_a_claim_shows_and_outlines_it(
    page: Page, graph_page: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    facts = graph_page[1]
    # Click where the chosen claim is drawn; the side panel then quotes it.
    spot = next(p for p in page.evaluate(POSITIONS) if p["id"] == facts["target"])
    x, y = int(spot["x"]), int(spot["y"])
    before = dark_ring(screenshot(page), x, y)
    page.mouse.click(spot["x"], spot["y"])
    assert facts["text"] in page.locator("#detail").inner_text()
    assert "counters" in page.locator("#detail").inner_text()
    page.evaluate(NEXT_FRAME)
    after = screenshot(page)
    assert dark_ring(after, x, y) >= before + 8, "the selected claim is outlined"
    shots = Path(os.environ.get("EMLIT_SCREENSHOTS") or tmp_path)
    Image.fromarray(after).save(shots / "graph-html.png")
