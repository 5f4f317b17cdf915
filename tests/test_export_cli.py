"""`emlit export` (contract 4) and `emlit sparql` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from emlit.cli.main import cli, main
from tests.evidence_support import curated_store, local_ids


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "e.db"
    curated_store(path).close()
    return path


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def test_export_with_filters(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "d5.json"
    code, text = run(db, "export", "--format", "json", "--out", str(out), "--definition", "D5")
    assert code == 0 and text.startswith(f"wrote {out}:")
    g = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    claims = [d for _, d in g.nodes(data=True) if d["kind"] == "claim"]
    assert sum("D5" in d.get("labels", "") for d in claims) == 2
    assert f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges" in text

    store = curated_store(tmp_path / "ids.db")
    start = local_ids(store)["sap2022.tom"]
    store.close()
    out = tmp_path / "n.graphml"
    code, _ = run(
        db, "export", "--format", "graphml", "--out", str(out), "--claim", start, "--depth", "0"
    )
    assert code == 0
    g = nx.read_graphml(out)
    assert [n for n, d in g.nodes(data=True) if d["kind"] == "claim"] == [f"claim:{start}"]


def test_export_bad_usage(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(db, "export", "--format", "pdf", "--out", str(tmp_path / "x"))
    assert code == 2 and "'pdf' is not one of" in text
    with pytest.raises(SystemExit) as exc:
        main(
            ["--db", str(db), "export", "--format", "dot", "--out", str(tmp_path / "no" / "g.dot")]
        )
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"emlit: error: {tmp_path / 'no' / 'g.dot'}: folder {tmp_path / 'no'} does not exist"
    ]
    with pytest.raises(SystemExit):
        main(
            [
                "--db",
                str(db),
                "export",
                "--format",
                "dot",
                "--out",
                str(tmp_path / "g.dot"),
                "--definition",
                "D9",
            ]
        )
    assert "--definition: 'D9' is not one of" in capsys.readouterr().err


def test_sparql_select_and_ask(db: Path) -> None:
    code, text = run(db, "sparql", "SELECT ?a ?b WHERE { ?a cito:disputes ?b }", "--format", "json")
    assert code == 0
    rows = [json.loads(line) for line in text.splitlines()]
    from emlit.store import Store

    with Store(db) as store:
        counters = store.stats()["links_by_relation"]["COUNTERS"]
    assert len(rows) == counters
    assert all(r["a"].startswith("https://w3id.org/emlit/claim/") for r in rows)
    code, text = run(
        db,
        "sparql",
        'SELECT ?label WHERE { ?d a skos:Concept ; skos:notation "D4" ; skos:prefLabel ?label . FILTER(lang(?label) = "zh") }',
    )
    assert code == 0 and len(text.strip().splitlines()) == 2  # header and one Chinese label
    code, text = run(db, "sparql", "ASK { ?c a oa:Annotation }")
    assert text.strip().splitlines()[-1] == "true"


def test_sparql_syntax_error_is_one_line(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "sparql", "SELECT ?a WHERE { ?a cito:disputes "])
    assert exc.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("emlit: error: QUERY: SPARQL syntax error")


# -- figures of the debate map (svg, png) ------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path: Path) -> tuple[dict[str, str], list[str]]:
    """(claim node id -> the text drawn in its label group, every text element's text)."""
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()  # parses as XML
    groups = {
        g.get("id", ""): " ".join(t.text or "" for t in g.iter(f"{SVG}text"))
        for g in root.iter(f"{SVG}g")
        if g.get("id", "").startswith("claim-")
    }
    return groups, [t.text or "" for t in root.iter(f"{SVG}text")]


def test_debate_map_svg_has_the_claim_labels_and_repeats(db: Path, tmp_path: Path) -> None:
    from emlit.graph.build import build_graph
    from emlit.graph.figure import layout
    from emlit.plotfonts import has_han
    from emlit.store import Store

    out = tmp_path / "map.svg"
    code, text = run(db, "export", "--format", "svg", "--out", str(out))
    assert code == 0 and text.startswith(f"wrote {out}: debate map, ")
    groups, texts = svg_texts(out)
    with Store(db) as store:
        g = build_graph(store)
    lay = layout(g, "slide")
    assert len(lay.placed) >= 40 and len(groups) == len(lay.placed)
    for node, placed in lay.placed.items():
        drawn = groups[node.replace(":", "-")]
        assert drawn == " ".join(placed.lines)
        assert placed.lines[0].rstrip("…")[:12] in str(g.nodes[node]["text"])
    assert any(has_han(t) for t in groups.values())  # Chinese kept as text, not paths
    assert any(t.startswith("D3") for t in texts) and "talking past" in " ".join(texts)
    again = tmp_path / "again.svg"
    run(db, "export", "--format", "svg", "--out", str(again))
    assert again.read_bytes() == out.read_bytes()  # deterministic


@pytest.mark.parametrize(("size", "pixels"), [("slide", (1920, 1080)), ("column", (1050, 1200))])
def test_debate_map_png_sizes(db: Path, tmp_path: Path, size: str, pixels: tuple[int, int]) -> None:
    from PIL import Image

    out = tmp_path / f"{size}.png"
    code, text = run(db, "export", "--format", "png", "--out", str(out), "--size", size)
    assert code == 0 and f"(png, {size})" in text
    with Image.open(out) as im:
        assert im.size == pixels
        assert len(im.getcolors(1_000_000) or []) > 50  # drawn, not blank


def test_neighbourhood_figure_of_a_claim(db: Path, tmp_path: Path) -> None:
    store = curated_store(tmp_path / "ids.db")
    start = local_ids(store)["wei2022.def"]
    store.close()
    out = tmp_path / "claim.svg"
    code, text = run(
        db, "export", "--format", "svg", "--out", str(out), "--claim", start, "--depth", "1"
    )
    assert code == 0
    groups, texts = svg_texts(out)
    drawn, total = (int(x) for x in text.split("debate map, ")[1].split(" claims")[0].split(" of "))
    assert drawn == total == len(groups) >= 2  # a neighbourhood fits: every claim drawn
    assert f"claim-{start}" in groups
    assert any(start in t for t in texts)  # the title names the claim


def test_stance_puts_claims_on_sides(db: Path) -> None:
    from emlit.graph.build import build_graph
    from emlit.graph.figure import layout
    from emlit.store import Store

    with Store(db) as store:
        g = build_graph(store)
    assert layout(g).sides is False  # no stance known: one block per lane
    claims = sorted(n for n, d in g.nodes(data=True) if d["kind"] == "claim")
    for i, n in enumerate(claims):
        g.nodes[n]["stance"] = ("affirms", "neutral", "disputes")[i % 3]
    lay = layout(g)
    assert lay.sides
    xs = {
        s: [p.x for p in lay.placed.values() if p.side == s]
        for s in ("affirms", "neutral", "disputes")
    }
    assert max(xs["affirms"]) < min(xs["neutral"]) <= max(xs["neutral"]) < min(xs["disputes"])
    # no two labels overlap
    cells = sorted((p.x, p.y) for p in lay.placed.values())
    assert len(set(cells)) == len(cells)
    assert all(
        abs(a[0] - b[0]) >= lay.cell_w - 1e-6 or abs(a[1] - b[1]) >= lay.cell_h - 1e-6
        for i, a in enumerate(cells)
        for b in cells[i + 1 :]
    )
    kinds = {k for *_, k in lay.edges}
    assert {"counters", "talking_past", "supports"} <= kinds


def test_missing_cjk_font_is_a_clear_error(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import emlit.plotfonts

    monkeypatch.setattr(emlit.plotfonts, "find_cjk_font", lambda: None)
    out = tmp_path / "map.png"
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db), "export", "--format", "png", "--out", str(out)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "no font with Chinese glyphs" in err and "apt-get install fonts-noto-cjk" in err
    assert not out.exists()


@pytest.mark.parametrize("size", ["slide", "column"])
def test_no_text_of_the_debate_map_covers_another(db: Path, size: str) -> None:
    """Every text drawn (titles, side headings, lane headings, claim labels, works, "+N more",
    legend) in its own place, measured by matplotlib itself; and every lane with claims shows
    some of them, however narrow the figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from emlit.graph import figure
    from emlit.graph.build import build_graph
    from emlit.plotfonts import find_cjk_font
    from emlit.store import Store

    with Store(db) as store:
        g = build_graph(store)
    claims = sorted(n for n, d in g.nodes(data=True) if d["kind"] == "claim")
    for i, n in enumerate(claims):
        g.nodes[n]["stance"] = ("affirms", "neutral", "disputes")[i % 3]
    lay = figure.layout(g, size)
    assert lay.hidden > 0 or size == "slide"  # the column cannot show them all: "+N more"
    for lane in lay.lanes:
        if lane.n:
            assert any(p.lane == lane.id for p in lay.placed.values()), lane.id
    cjk = find_cjk_font()
    rc = {"font.family": ["DejaVu Sans", *([cjk] if cjk else [])], "font.size": lay.size.label_pt}
    with plt.rc_context(rc):
        fig = plt.figure(figsize=(lay.size.width, lay.size.height), dpi=lay.size.dpi)
        try:
            figure._draw(fig, lay)
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
            boxes = [
                (t.get_text(), t.get_window_extent(renderer))
                for t in fig.findobj(Text)
                if t.get_text().strip()
            ]
        finally:
            plt.close(fig)
    assert len(boxes) > 2 * len(lay.placed)
    width, height = lay.size.width * lay.size.dpi, lay.size.height * lay.size.dpi
    assert all(b.x0 >= 0 and b.y0 >= 0 and b.x1 <= width and b.y1 <= height for _, b in boxes)
    overlaps = [
        (s[:20], t[:20])
        for i, (s, a) in enumerate(boxes)
        for t, b in boxes[i + 1 :]
        if a.x0 < b.x1 - 1 and b.x0 < a.x1 - 1 and a.y0 < b.y1 - 1 and b.y0 < a.y1 - 1
    ]
    assert overlaps == []
