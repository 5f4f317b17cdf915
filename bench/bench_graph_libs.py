"""How the candidate graph libraries for the HTML view draw 5,000 nodes in this Chromium.

    mkdir -p /tmp/libs && cd /tmp/libs
    for p in cytoscape@3.35.0 sigma@4.0.4 graphology@0.26.0 vis-network@10.1.5; do
        npm pack $p && mkdir -p ${p%@*} && tar xzf ${p%@*}-*.tgz -C ${p%@*}; done
    python bench/bench_graph_libs.py --libs /tmp/libs

The same graph (500 works with 4,500 claims around them, 8,500 edges, a third of them
evidence links with dashed counters), the same precomputed positions, no layout, no
physics, in each library; then 120 animation frames of programmatic pan and zoom. Printed per
library and window size: time to the first drawing (navigation start to two frames after
the library was created), the median and 95th percentile of the intervals between frames, and
the library's own redraw count over that time (ms per redraw). The libraries are not part of
the project except Cytoscape.js, vendored in emlit/graph/vendor/.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu"]

COMMON = """<script>
window.__renders = 0;
window.__bench = (frames) => new Promise((done) => {
  const times = []; let i = 0; const r0 = window.__renders;
  function step(t) {
    times.push(t);
    if (i >= frames) {
      const iv = times.slice(1).map((x, k) => x - times[k]).sort((a, b) => a - b);
      done({renders: window.__renders - r0, elapsed: times[times.length - 1] - times[0],
            median: iv[iv.length >> 1], p95: iv[Math.floor(iv.length * 0.95)]});
      return;
    }
    window.camMove(i++); requestAnimationFrame(step);
  }
  requestAnimationFrame(step);
});
const firstDrawn = () => requestAnimationFrame(() => requestAnimationFrame(() => { window.__first = performance.now(); }));
</script>"""
HEAD = (
    "<!DOCTYPE html><html><head><meta charset=utf-8><style>html,body{margin:0;height:100%}"
    "#c{position:absolute;inset:0}</style></head><body><div id=c></div>"
)

CYTOSCAPE = """
const els = DATA.nodes.map((n) => ({group: 'nodes', data: {id: n.id, kind: n.kind}, position: {x: n.x, y: n.y}}))
  .concat(DATA.edges.map((e, i) => ({group: 'edges', data: {id: 'e' + i, source: DATA.nodes[e.s].id, target: DATA.nodes[e.t].id, kind: e.kind}})));
const cy = cytoscape({container: document.getElementById('c'), elements: els, layout: {name: 'preset'},
  renderer: WEBGL ? {name: 'canvas', webgl: true} : undefined,
  style: [{selector: 'node', style: {width: 8, height: 8, 'background-color': '#f2c36b'}},
          {selector: 'node[kind="document"]', style: {'background-color': '#8fa9c8', width: 14, height: 14}},
          {selector: 'edge', style: {width: 1, 'line-color': '#ccc'}},
          {selector: 'edge[kind="supports"]', style: {'line-color': '#2e8b57'}},
          {selector: 'edge[kind="counters"]', style: {'line-color': '#c0392b', 'line-style': 'dashed'}}]});
cy.on('render', () => window.__renders++);
cy.fit(); firstDrawn();
const z0 = cy.zoom(), p0 = cy.pan();
window.camMove = (i) => cy.viewport({zoom: z0 * (1 + 0.5 * Math.sin(i / 10)), pan: {x: p0.x + 100 * Math.sin(i / 7), y: p0.y + 80 * Math.cos(i / 9)}});
"""
VIS = """
const nodes = new vis.DataSet(DATA.nodes.map((n) => ({id: n.id, x: n.x, y: n.y, shape: 'dot',
  color: n.kind === 'document' ? '#8fa9c8' : '#f2c36b', size: n.kind === 'document' ? 7 : 4})));
const edges = new vis.DataSet(DATA.edges.map((e, i) => ({id: i, from: DATA.nodes[e.s].id, to: DATA.nodes[e.t].id,
  color: e.kind === 'supports' ? '#2e8b57' : e.kind === 'counters' ? '#c0392b' : '#ccc', dashes: e.kind === 'counters', width: 1})));
const net = new vis.Network(document.getElementById('c'), {nodes, edges},
  {physics: false, layout: {improvedLayout: false}, edges: {smooth: false}});
net.on('afterDrawing', () => window.__renders++);
net.fit({animation: false}); firstDrawn();
let s0 = null, c0 = null;
window.camMove = (i) => { if (!s0) { s0 = net.getScale(); c0 = net.getViewPosition(); }
  net.moveTo({scale: s0 * (1 + 0.5 * Math.sin(i / 10)), position: {x: c0.x + 100 * Math.sin(i / 7) / s0, y: c0.y + 80 * Math.cos(i / 9) / s0}, animation: false}); };
"""
SIGMA = """
const g = new graphology.MultiGraph();
DATA.nodes.forEach((n) => g.addNode(n.id, {x: n.x, y: -n.y, size: n.kind === 'document' ? 7 : 4, color: n.kind === 'document' ? '#8fa9c8' : '#f2c36b'}));
DATA.edges.forEach((e) => g.addEdge(DATA.nodes[e.s].id, DATA.nodes[e.t].id, {size: 1,
  color: e.kind === 'supports' ? '#2e8b57' : e.kind === 'counters' ? '#c0392b' : '#ccc'}));
const s = new Sigma(g, document.getElementById('c'), {});
s.on('afterRender', () => window.__renders++);
firstDrawn();
window.camMove = (i) => s.getCamera().setState({ratio: 1 / (1 + 0.5 * Math.sin(i / 10)), x: 0.5 + 0.05 * Math.sin(i / 7), y: 0.5 + 0.05 * Math.cos(i / 9)});
"""


def graph_data() -> str:
    rnd = random.Random(1)
    nodes, edges = [], []
    for d in range(500):
        nodes.append(
            {
                "id": f"doc:{d}",
                "kind": "document",
                "x": (d % 25) * 200 + rnd.random() * 40,
                "y": (d // 25) * 200 + rnd.random() * 40,
            }
        )
    while len(nodes) < 5000:
        i, d = len(nodes), rnd.randrange(500)
        a, r = rnd.random() * 6.28, 20 + rnd.random() * 60
        x = nodes[d]["x"] + r * math.cos(a)
        y = nodes[d]["y"] + r * math.sin(a)
        nodes.append({"id": f"claim:{i}", "kind": "claim", "x": x, "y": y})
        edges.append({"s": d, "t": i, "kind": "contains"})
    for _ in range(4000):
        a, b = rnd.randrange(500, 5000), rnd.randrange(500, 5000)
        if a != b:
            edges.append({"s": a, "t": b, "kind": rnd.choice(["supports", "counters"])})
    return json.dumps({"nodes": nodes, "edges": edges})


def pages(libs: Path, folder: Path) -> dict[str, Path]:
    data = "<script>const DATA = " + graph_data() + ";</script>"

    def script(*parts: str) -> str:
        return "".join(
            "<script>" + (libs / p).read_text(encoding="utf-8") + "</script>" for p in parts
        )

    cyto = script("cytoscape/package/dist/cytoscape.min.js")
    out = {
        "cytoscape 3.35 (canvas)": HEAD + COMMON + cyto + data + "<script>const WEBGL = false;" + CYTOSCAPE + "</script>",
        "cytoscape 3.35 (webgl)": HEAD + COMMON + cyto + data + "<script>const WEBGL = true;" + CYTOSCAPE + "</script>",
        "vis-network 10.1": HEAD + COMMON + script("vis-network/package/standalone/umd/vis-network.min.js") + data + "<script>" + VIS + "</script>",
        "sigma 4.0 + graphology": HEAD + COMMON + script("graphology/package/dist/graphology.umd.min.js", "sigma/package/dist/sigma.min.js") + data + "<script>" + SIGMA + "</script>",
    }  # fmt: skip
    files = {}
    for k, (name, html) in enumerate(out.items()):
        files[name] = folder / f"lib{k}.html"
        files[name].write_text(html, encoding="utf-8")
    return files


def main() -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--libs", type=Path, required=True, help="folder of the unpacked npm packages")
    ap.add_argument("--frames", type=int, default=120)
    a = ap.parse_args()
    files = pages(a.libs, Path(tempfile.mkdtemp(prefix="emlit-libs-")))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, path in files.items():
            for width, height in ((1280, 720), (1920, 1080)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(path.as_uri())
                page.wait_for_function("() => window.__first", timeout=300_000)
                first = page.evaluate("() => window.__first")
                r = page.evaluate("(n) => window.__bench(n)", a.frames)
                per = r["elapsed"] / max(1, r["renders"])
                print(
                    f"{name:24s} {width}x{height}: first drawing {first:6.0f} ms, frames median "
                    f"{r['median']:6.1f} ms, p95 {r['p95']:6.1f} ms, {per:7.1f} ms per redraw",
                    flush=True,
                )
                page.close()
        browser.close()


if __name__ == "__main__":
    main()
