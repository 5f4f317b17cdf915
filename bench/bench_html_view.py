"""The offline HTML view (contract 11) at scale: export a generated graph, open it in Chromium.

    python bench/bench_html_view.py [--nodes 5000] [--rounds 3] [--keep DIR]

The graph has the shape of a real store: works with 1-12 claims each, 0-6 authors a work, the
six definitions, SUPPORTS / COUNTERS links between claims (about one per claim, a fifth of the
counters across definitions), claims in English and Chinese. Printed:

- the export: layout and writing time, file size;
- in headless Chromium (Debian's /usr/bin/chromium, network refused, 1280x720 and 1920x1080):
  time to ready (navigation start to ``dataset.ready == "1"``, that is the first layout drawn),
  and on the way there (ms from navigation start): the first paint (the page's bar), the graph
  data parsed, the library's elements created, the labels placed;
  the frame time while panning and zooming with the mouse (the intervals between animation
  frames during drags and wheel turns: median, 95th percentile, share over 50 ms); the time
  from pressing the mouse on a claim to its neighbourhood drawn; the time a search takes to
  highlight and bring its matches into view; the time the debate map takes to show the first
  time, and its frame times.

Needs playwright (the Python package, no browser download) and Chromium.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx

from emlit.graph.html import write_html
from emlit.vocab import DEFINITIONS

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run"]
WORDS = [
    "scale",
    "model",
    "ability",
    "task",
    "metric",
    "jump",
    "smooth",
    "loss",
    "threshold",
    "data",
    "training",
    "emergent",
    "sudden",
    "predictable",
    "benchmark",
    "accuracy",
    "parameters",
    "compute",
    "prompt",
    "chain",
    "reasoning",
]
ZH = "模型规模能力涌现突然出现阈值训练数据指标平滑预测推理任务参数"


def generated_graph(n_nodes: int, seed: int = 7) -> nx.MultiDiGraph:
    """About ``n_nodes`` nodes shaped like build_graph's output."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    for d in DEFINITIONS:
        g.add_node(f"def:{d}", kind="definition", label=f"{d}: definition {d}")
    claims: list[str] = []
    doc = 0
    authors = 0
    while g.number_of_nodes() < n_nodes:
        doc += 1
        dn = f"doc:{doc}"
        names = []
        for _ in range(rnd.randint(0, 6)):
            if authors and rnd.random() < 0.3:
                name = f"Author {rnd.randint(1, authors)}"
            else:
                authors += 1
                name = f"Author {authors}"
            names.append(name)
        g.add_node(
            dn, kind="document", label=f"Work {doc} on {rnd.choice(WORDS)}", year="2023",
            authors="; ".join(names),
        )  # fmt: skip
        for name in dict.fromkeys(names):
            a = f"author:{name}"
            if a not in g:
                g.add_node(a, kind="author", label=name)
            g.add_edge(a, dn, kind="authored")
        for _ in range(rnd.randint(1, 12)):
            cn = f"claim:{len(claims):06x}"
            if rnd.random() < 0.4:
                text = "".join(rnd.choice(ZH) for _ in range(rnd.randint(12, 40)))
                lang = "zh"
            else:
                text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 25)))
                lang = "en"
            labels = sorted(rnd.sample(DEFINITIONS, rnd.choice((0, 1, 1, 1, 2))))
            g.add_node(
                cn, kind="claim", label=text[:80], text=text, lang=lang, labels=",".join(labels),
                document=f"work{doc}.md", supports=0, counters=0,
            )  # fmt: skip
            g.add_edge(dn, cn, kind="contains")
            for d in labels:
                g.add_edge(cn, f"def:{d}", kind="uses_definition")
            claims.append(cn)
    for _ in range(len(claims)):
        s, t = rnd.sample(claims, 2)
        kind = rnd.choice(("supports", "counters"))
        g.add_edge(s, t, kind=kind, relation=kind.upper(), score=0.9, provenance="model")
        g.nodes[t][kind] += 1
    return g


def export(n_nodes: int, folder: Path) -> tuple[Path, nx.MultiDiGraph, float]:
    g = generated_graph(n_nodes)
    out = folder / f"view-{n_nodes}.html"
    t = time.perf_counter()
    with open(out, "w", encoding="utf-8") as fh:
        write_html(g, fh)
    return out, g, time.perf_counter() - t


POSITIONS = "() => window.emlitView.positions()"
FRAMES = """() => new Promise((done) => {
  const times = [];
  let running = true;
  function tick(t) { times.push(t); if (running) requestAnimationFrame(tick); }
  requestAnimationFrame(tick);
  window.__stopFrames = () => { running = false; done(times); };
})"""


def frame_stats(page, act) -> list[float]:  # type: ignore[no-untyped-def]
    """Intervals (ms) between animation frames while ``act()`` moves the view: all the work
    of the page's one thread, drawing included, shows in them."""
    page.evaluate("() => { window.__framesPromise = (" + FRAMES + ")(); }")
    act()
    page.evaluate("() => window.__stopFrames()")
    times = page.evaluate("() => window.__framesPromise")
    return [b - a for a, b in itertools.pairwise(times)]


def pan_and_zoom(page, box: dict[str, float]) -> None:  # type: ignore[no-untyped-def]
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for k in range(3):
        page.mouse.move(cx, cy)
        page.mouse.down()
        for i in range(30):
            page.mouse.move(cx + 6 * i * (-1) ** k, cy + 3 * i)
        page.mouse.up()
        for _ in range(12):
            page.mouse.wheel(0, -120 if k % 2 == 0 else 120)
            page.wait_for_timeout(16)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def measure(path: Path, width: int, height: int, g: nx.MultiDiGraph) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_function('document.documentElement.dataset.ready === "1"', timeout=180_000)
        ready = page.evaluate("() => window.emlitView.readyAt")
        # Where the time to ready goes: the page's own marks (view.html) and the first paint.
        marks = page.evaluate(
            "() => Object.fromEntries([...performance.getEntriesByType('mark'), "
            "...performance.getEntriesByType('paint')].map((m) => [m.name, m.startTime]))"
        )
        box = page.locator("#view").bounding_box()
        assert box is not None
        frames = frame_stats(page, lambda: pan_and_zoom(page, box))
        # A click on the most connected claim, until its neighbourhood is drawn (from the
        # mousedown the page sees to the second animation frame after it).
        target = max(
            (v for v, d in g.nodes(data=True) if d.get("kind") == "claim"),
            key=lambda v: g.degree(v),
        )
        page.evaluate("() => window.emlitView.fit()")
        page.wait_for_timeout(1500)
        spot = next(p for p in page.evaluate(POSITIONS) if p["id"] == target)
        page.evaluate(
            "() => document.getElementById('view').addEventListener('mousedown', "
            "() => { window.__down = performance.now(); }, {capture: true, once: true})"
        )
        page.mouse.click(spot["x"], spot["y"])
        click_ms = page.evaluate(
            "() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame("
            "() => ok(performance.now() - window.__down))))"
        )
        assert page.locator("#detail").inner_text().startswith("claim")
        word = str(g.nodes[target]["text"]).split()[0][:4]
        search_ms, matches = page.evaluate(
            """(q) => { const t = performance.now(); const ids = window.emlitView.search(q);
               return new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(
                 () => ok([performance.now() - t, ids.length])))); }""",
            word,
        )
        page.evaluate("() => window.emlitView.search('')")
        debate_ms = page.evaluate(
            """() => { const t = performance.now(); window.emlitView.setView('debate');
               return new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(
                 () => ok(performance.now() - t)))); }"""
        )
        dframes = frame_stats(page, lambda: pan_and_zoom(page, box))
        browser.close()
    if errors:
        raise SystemExit(f"page errors: {errors[:3]}")
    return {
        "ready": ready,
        "paint": marks.get("first-contentful-paint", float("nan")),
        "data": marks.get("emlit:data", float("nan")),
        "elements": marks.get("emlit:map-elements", float("nan")),
        "labels": marks.get("emlit:map-labels", float("nan")),
        "frame_med": statistics.median(frames),
        "frame_p95": pct(frames, 0.95),
        "long": sum(f > 50 for f in frames) / len(frames),
        "click": click_ms,
        "search": search_ms,
        "matches": matches,
        "debate": debate_ms,
        "dframe_med": statistics.median(dframes),
        "dframe_p95": pct(dframes, 0.95),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, nargs="+", default=[5000])
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="write the pages here (default: a temp folder)")
    a = ap.parse_args()
    folder = a.keep or Path(tempfile.mkdtemp(prefix="emlit-html-"))
    folder.mkdir(parents=True, exist_ok=True)
    for n in a.nodes:
        path, g, secs = export(n, folder)
        print(
            f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges: export (layouts + "
            f"write) {secs:.1f} s, {path.stat().st_size / 1e6:.1f} MB ({path})"
        )
        for width, height in ((1280, 720), (1920, 1080)):
            for r in range(a.rounds):
                m = measure(path, width, height, g)
                print(
                    f"  {width}x{height} #{r + 1}: first paint {m['paint']:.0f} ms, data parsed "
                    f"{m['data']:.0f} ms, elements {m['elements']:.0f} ms, labels placed "
                    f"{m['labels']:.0f} ms, ready {m['ready']:.0f} ms | pan/zoom frames: "
                    f"median {m['frame_med']:.1f} ms, p95 {m['frame_p95']:.0f} ms, "
                    f"{100 * m['long']:.0f}% over 50 ms | click -> neighbourhood drawn "
                    f"{m['click']:.0f} ms | search {m['search']:.0f} ms ({m['matches']} claims) | "
                    f"debate map: first shown {m['debate']:.0f} ms, frames median "
                    f"{m['dframe_med']:.1f} ms, p95 {m['dframe_p95']:.0f} ms",
                    flush=True,
                )


if __name__ == "__main__":
    main()
