"""The HTML export (contract 11) in headless Chromium with every network request refused.

Needs the Debian `chromium` package (/usr/bin/chromium); Playwright only drives it. The tests
use the page's public hooks (`dataset.ready`, `window.emlitView.positions()` and `.search()`)
and look at the pixels the page drew, so a blank or misplaced drawing fails. Screenshots go
to $EMLIT_SCREENSHOTS if set, else the test's tmp dir.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from emlit.graph.build import build_graph
from emlit.graph.export import export_graph
from emlit.vocab import DEFINITIONS
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
SIZES = [(1280, 720), (1920, 1080)]
READY = '() => document.documentElement.dataset.ready === "1"'
NEXT_FRAME = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
POSITIONS = "() => window.emlitView.positions()"
LABELS = "() => window.emlitView.labels()"
TITLE_BOXES = """() => [...document.querySelectorAll('#overlays > *')]
  .filter((el) => el.style.display !== 'none')
  .map((el) => { const b = el.getBoundingClientRect();
    return {text: el.textContent, x1: b.left, y1: b.top, x2: b.right, y2: b.bottom}; })"""
VIEW_BOX = """() => {
  const box = document.getElementById("view").getBoundingClientRect();
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
    claims = {n: d for n, d in g.nodes(data=True) if d["kind"] == "claim"}
    facts = {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "ids": set(g.nodes),
        "claims": claims,
        "target": f"claim:{target}",
        "text": g.nodes[f"claim:{target}"]["text"],
    }
    return page_file, facts


@pytest.fixture(scope="module")
def browser() -> Iterator[tuple[Browser, list[str], list[str]]]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    requested: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b, requested, errors
        b.close()
    assert errors == []
    assert all(u.startswith("file:") for u in requested), requested


def open_page(
    browser: tuple[Browser, list[str], list[str]], path: Path, size: tuple[int, int]
) -> Page:
    """The page, offline, its first layout on screen; script errors and requests are logged."""
    b, requested, errors = browser
    page = b.new_page(viewport={"width": size[0], "height": size[1]}, device_scale_factor=1)
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    page.on("request", lambda req: requested.append(req.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_function(READY, timeout=60_000)
    page.evaluate(NEXT_FRAME)
    return page


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def page(
    request: pytest.FixtureRequest,
    browser: tuple[Browser, list[str], list[str]],
    graph_page: tuple[Path, dict[str, Any]],
) -> Iterator[Page]:
    p = open_page(browser, graph_page[0], request.param)
    yield p
    p.close()


def screenshot(page: Page) -> np.ndarray:
    """The viewport as one 0xRRGGBB number per pixel, indexed [y, x]."""
    rgb = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB")).astype(np.int32)
    return rgb @ np.array([1 << 16, 1 << 8, 1], dtype=np.int32)


def settled(page: Page) -> np.ndarray:
    """A screenshot once the drawing stopped changing: the library sharpens its cached node
    pictures over a few frames after a change (longer on a busy machine)."""
    img = screenshot(page)
    for _ in range(20):
        page.wait_for_timeout(300)
        again = screenshot(page)
        if np.array_equal(again, img):
            break
        img = again
    return img


def save(page: Page, name: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("EMLIT_SCREENSHOTS") or tmp_path)
    size = page.viewport_size or {"width": 0, "height": 0}
    page.screenshot(path=str(shots / f"{name}-{size['width']}x{size['height']}.png"))


def assert_fits(page: Page, positions: list[dict[str, Any]]) -> None:
    """Every node drawn lies wholly inside the drawing area, which lies inside the window."""
    left, top, right, bottom = page.evaluate(VIEW_BOX)
    size = page.viewport_size or {"width": 0, "height": 0}
    assert left >= 0 and right <= size["width"] and top >= 0 and bottom <= size["height"]
    outside = [
        p["id"]
        for p in positions
        if not (
            left <= p["x"] - p["r"]
            and p["x"] + p["r"] <= right
            and top <= p["y"] - p["r"]
            and p["y"] + p["r"] <= bottom
        )
    ]
    assert outside == [], f"{len(outside)} nodes off-screen, e.g. {outside[:3]}"


def assert_apart(positions: list[dict[str, Any]]) -> None:
    close = [
        (a["id"], b["id"])
        for a, b in itertools.combinations(positions, 2)
        if math.hypot(a["x"] - b["x"], a["y"] - b["y"]) < a["r"] + b["r"] - 1e-6
    ]
    assert close == [], f"{len(close)} overlapping pairs, e.g. {close[:3]}"


def assert_drawn(page: Page, positions: list[dict[str, Any]], grounds: int = 1) -> None:
    """Under every node centre the page drew a filled disc, and away from the nodes it mostly
    drew nothing but its background: the commonest colour of the view, or the ``grounds``
    commonest (the debate map's lanes are tinted). Edges and labels cross some of it."""
    left, top, right, bottom = (int(v) for v in page.evaluate(VIEW_BOX))
    img = settled(page)
    colours, counts = np.unique(img[top:bottom, left:right], return_counts=True)
    common = np.argsort(counts)[::-1][:grounds]
    background = set(colours[common].tolist())
    assert counts[common].sum() > 0.6 * counts.sum(), "most of the view is background"
    centres = [(round(p["x"]), round(p["y"]), p["r"]) for p in positions]
    blank = [(x, y) for x, y, _ in centres if int(img[y, x]) in background]
    assert blank == [], f"{len(blank)} of {len(centres)} nodes not drawn, e.g. at {blank[:3]}"
    # A filled disc, not the line of an edge ending there: nearly half the radius away from the
    # centre, up, down, left and right, the colour is the centre's (for all but nodes under a
    # label or an arrow head, and nodes too small to tell).
    rgb = np.stack([(img >> 16) & 255, (img >> 8) & 255, img & 255], axis=-1)
    big = [(x, y, r) for x, y, r in centres if r >= 2.5]
    discs = 0
    for x, y, r in big:
        d = max(1, round(r / 2))
        around = [rgb[y + dy, x + dx] for dx, dy in ((d, 0), (-d, 0), (0, d), (0, -d))]
        # (the library draws small nodes from cached pictures, so their rims are soft)
        discs += sum(np.abs(a - rgb[y, x]).sum() < 100 for a in around) >= 3
    assert discs >= 0.85 * len(big), f"only {discs} of {len(big)} nodes are filled discs"
    gy, gx = np.mgrid[top + 5 : bottom - 5 : 10, left + 5 : right - 5 : 10]
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    xy = np.array([(x, y) for x, y, _ in centres])
    nearest = np.sqrt(((grid[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    far = [int(img[y, x]) in background for x, y in grid[nearest >= 25]]
    assert len(far) > 100 and sum(far) >= 0.7 * len(far), "drawing where there are no nodes"


def assert_labels_readable(page: Page, positions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The labels on screen, as the library measured them: inside the drawing area, none over
    another label of its layer, none over the HTML titles of the debate map, and a claim's label
    over no other node's disc. Returns them."""
    labels = page.evaluate(LABELS)
    left, top, right, bottom = page.evaluate(VIEW_BOX)
    assert all(left <= b["x1"] and b["x2"] <= right and top <= b["y1"] and b["y2"] <= bottom
               for b in labels), "labels inside the drawing"  # fmt: skip

    def meets(a: dict[str, Any], b: dict[str, Any], slack: float = 0.5) -> bool:
        return (a["x1"] < b["x2"] - slack and b["x1"] < a["x2"] - slack
                and a["y1"] < b["y2"] - slack and b["y1"] < a["y2"] - slack)  # fmt: skip

    crossed = [
        (a["text"], b["text"])
        for a, b in itertools.combinations(labels, 2)
        if a["layer"] == b["layer"] and meets(a, b)
    ]
    assert crossed == [], f"{len(crossed)} labels over one another, e.g. {crossed[:3]}"
    titles = page.evaluate(TITLE_BOXES)
    under = [(b["text"], t["text"]) for b in labels for t in titles if meets(b, t)]
    assert under == [], f"labels under the debate map's titles: {under[:3]}"
    discs = {p["id"]: p for p in positions}
    covering = [
        (b["text"], p["id"])
        for b in labels
        if b["layer"] == "view" and b["id"].startswith("claim:")
        for p in discs.values()
        if p["id"] != b["id"]
        and meets(b, {"x1": p["x"] - p["r"], "x2": p["x"] + p["r"], "y1": p["y"] - p["r"], "y2": p["y"] + p["r"]}, 1.0)
    ]  # fmt: skip
    assert covering == [], f"claim labels over other nodes: {covering[:3]}"
    return labels


def ring(img: np.ndarray, x: float, y: float, r: float, colour: tuple[int, int, int]) -> int:
    """How many pixels within 3 px of the circle of radius r around (x, y) are near ``colour``."""
    cx, cy, reach = int(x), int(y), int(r) + 5
    ys, xs = np.mgrid[cy - reach : cy + reach + 1, cx - reach : cx + reach + 1]
    band = np.abs(np.hypot(xs - x, ys - y) - r) <= 3
    patch = img[cy - reach : cy + reach + 1, cx - reach : cx + reach + 1]
    rgb = np.stack([(patch >> 16) & 255, (patch >> 8) & 255, patch & 255], axis=-1)
    near = np.abs(rgb - np.array(colour)).sum(axis=-1) < 120
    return int((near & band).sum())


def expected_hits(claims: dict[str, dict[str, Any]], text: str) -> set[str]:
    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", s).lower().split())

    return {n for n, d in claims.items() if norm(text) in norm(d["text"])}


# -- the evidence map ----------------------------------------------------------------------


def test_every_node_is_drawn_in_the_window_apart_from_the_others(
    page: Page, graph_page: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    facts = graph_page[1]
    assert page.locator("#counts").inner_text() == f"{facts['nodes']} nodes, {facts['edges']} edges"
    positions = page.evaluate(POSITIONS)
    assert {p["id"] for p in positions} == facts["ids"], "every node, with the exports' ids"
    assert len(positions) == facts["nodes"]
    assert min(p["r"] for p in positions) >= 1.5, "every node big enough to see"
    assert_fits(page, positions)
    assert_apart(positions)
    assert_drawn(page, positions)
    save(page, "graph-html-map", tmp_path)


def test_the_layout_is_the_same_on_every_load(
    browser: tuple[Browser, list[str], list[str]], graph_page: tuple[Path, dict[str, Any]]
) -> None:
    first = open_page(browser, graph_page[0], SIZES[0])
    before = first.evaluate(POSITIONS)
    first.reload()
    first.wait_for_function(READY, timeout=60_000)
    assert first.evaluate(POSITIONS) == before
    first.close()
    again = open_page(browser, graph_page[0], SIZES[0])
    assert again.evaluate(POSITIONS) == before
    again.close()


def test_labels_as_room_allows_none_over_another(
    page: Page, graph_page: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    facts = graph_page[1]
    positions = page.evaluate(POSITIONS)
    first = assert_labels_readable(page, positions)
    shown = {b["id"] for b in first}
    assert {f"def:{d}" for d in DEFINITIONS} & set(facts["ids"]) <= shown, "definitions named"
    # The legend is on screen, beside the drawing.
    legend = page.locator("#legend-map")
    assert legend.is_visible() and "claim" in legend.inner_text()
    box = legend.bounding_box()
    size = page.viewport_size or {"width": 0, "height": 0}
    assert box is not None and box["x"] + box["width"] <= size["width"]
    assert box["y"] + box["height"] <= size["height"]
    # Zoomed in on the middle of the drawing: nodes unnamed before get their labels, and still
    # none is over another.
    left, top, right, bottom = page.evaluate(VIEW_BOX)
    page.mouse.move((left + right) / 2, (top + bottom) / 2)
    for _ in range(4):
        page.mouse.wheel(0, -240)
        page.wait_for_timeout(60)
    page.wait_for_function(
        "(ids) => window.emlitView.labels().some((b) => !ids.includes(b.id))",
        arg=sorted(shown),
        timeout=10_000,
    )
    page.wait_for_timeout(400)  # labels are placed once the view stops moving
    inside = [
        p for p in page.evaluate(POSITIONS)
        if left <= p["x"] <= right and top <= p["y"] <= bottom
    ]  # fmt: skip
    assert_labels_readable(page, inside)
    save(page, "graph-html-zoomed", tmp_path)
    page.evaluate("() => window.emlitView.fit()")
    page.evaluate(NEXT_FRAME)


@pytest.mark.parametrize("query", ["METRIC", "涌现", "规模"])
def test_search_in_english_and_chinese_finds_and_shows_the_claims(
    page: Page, graph_page: tuple[Path, dict[str, Any]], query: str
) -> None:
    facts = graph_page[1]
    want = expected_hits(facts["claims"], query)
    assert want, f"the test store has claims with {query!r}"
    found = page.evaluate("(q) => window.emlitView.search(q)", query)
    assert len(found) == len(set(found)) and set(found) == want
    page.evaluate(NEXT_FRAME)
    positions = page.evaluate(POSITIONS)
    hits = [p for p in positions if p["id"] in want]
    assert len(hits) == len(want)
    assert_fits(page, hits)
    img = settled(page)
    outlined = [p["id"] for p in hits if ring(img, p["x"], p["y"], p["r"], (11, 87, 208)) >= 8]
    assert len(outlined) >= 0.8 * len(hits), "matches are outlined in blue"
    assert page.evaluate("() => window.emlitView.search('')") == []
    page.evaluate("() => window.emlitView.fit()")


def test_clicking_a_claim_shows_it_and_fades_the_rest(
    page: Page, graph_page: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    facts = graph_page[1]
    spot = next(p for p in page.evaluate(POSITIONS) if p["id"] == facts["target"])
    before = settled(page)
    page.mouse.click(spot["x"], spot["y"])
    assert facts["text"] in page.locator("#detail").inner_text()
    assert "counters" in page.locator("#detail").inner_text()
    after = settled(page)
    assert (
        ring(after, spot["x"], spot["y"], spot["r"], (0, 0, 0))
        >= ring(before, spot["x"], spot["y"], spot["r"], (0, 0, 0)) + 8
    ), "the selected claim is outlined"
    save(page, "graph-html-selected", tmp_path)
    # The rest faded: in the drawing, many more pixels got paler than darker.
    left, top, right, bottom = (int(v) for v in page.evaluate(VIEW_BOX))

    def light(img: np.ndarray) -> np.ndarray:
        part = img[top:bottom, left:right]
        return ((part >> 16) & 255) + ((part >> 8) & 255) + (part & 255)

    paler = (light(after) > light(before) + 30).sum()
    darker = (light(after) < light(before) - 30).sum()
    assert paler > 3 * darker, (paler, darker)
    page.evaluate("() => window.emlitView.select(null)")
    page.evaluate(NEXT_FRAME)


# -- the debate map ------------------------------------------------------------------------


def test_the_debate_map_lanes_d1_to_d6_hooks_still_work(
    page: Page, graph_page: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    facts = graph_page[1]
    page.click("#view-debate")
    page.wait_for_function('document.documentElement.dataset.view === "debate"')
    page.evaluate(NEXT_FRAME)
    positions = page.evaluate(POSITIONS)
    # Every claim, once under its own id, again as claim:<id>@Dn in each further lane.
    ids = [p["id"] for p in positions]
    assert len(ids) == len(set(ids))
    assert {i.split("@")[0] for i in ids} == set(facts["claims"])
    lanes = {}
    for p in positions:
        claim, _, lane = p["id"].partition("@")
        labels = [x for x in facts["claims"][claim].get("labels", "").split(",") if x]
        lanes.setdefault(lane or (labels[0] if labels else "none"), []).append(p["y"])
    order = [d for d in [*DEFINITIONS, "none"] if d in lanes]
    for upper, lower in itertools.pairwise(order):
        assert max(lanes[upper]) < min(lanes[lower]), f"lane {upper} above lane {lower}"
    titles = page.locator(".lane-title").all_inner_texts()
    assert [t.split(":")[0] for t in titles[:6]] == list(DEFINITIONS)
    assert_fits(page, positions)
    assert_apart(positions)
    assert_drawn(page, positions, grounds=3)
    assert_labels_readable(page, positions)
    save(page, "graph-html-debate", tmp_path)
    # Search in the debate map: the claims' own ids, all their copies in view.
    want = expected_hits(facts["claims"], "metric")
    assert set(page.evaluate("() => window.emlitView.search('Metric')")) == want
    hits = [p for p in page.evaluate(POSITIONS) if p["id"].split("@")[0] in want]
    assert_fits(page, hits)
    page.evaluate("() => window.emlitView.search('')")
    page.click("#view-map")
    page.wait_for_function('document.documentElement.dataset.view === "map"')
    assert len(page.evaluate(POSITIONS)) == facts["nodes"]
