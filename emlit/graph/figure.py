"""The debate map as a static figure (SVG or PNG) for slides and papers, drawn with matplotlib.

One lane per definition (D1-D6, then claims that use none), top to bottom. Inside a lane the
claims sit by stance when the graph knows it (a ``stance`` node attribute): affirms on the
left, neutral or unknown in the middle, disputes on the right; without any stance the lane is
one block. Each claim is a dot and a short label (two lines at most) with its work under it.
Evidence links between drawn claims are curves: counters (solid), supports (thin) and
counters that talk past their target (dashed: the two claims use no definition in common,
``emlit.evidence.balance.talking_past``).

The placement is a grid computed here, in inches, from the figure size: the same graph gives
the same picture, and no two labels overlap. A lane that has more claims than room shows the
most connected ones and says how many more there are. ``--claim ID`` exports draw the same
map of the claim's neighbourhood, the claim itself in bold, lanes nobody uses left out.

Chinese text needs a CJK font (emlit.plotfonts): one found on the system, or an EmlitError
naming the package to install.
SVG output is deterministic (fixed hash salt, no date) and keeps text as text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from emlit.errors import EmlitError
from emlit.evidence.balance import talking_past
from emlit.plotfonts import cjk_font_for
from emlit.vocab import DEFINITIONS, STANCES

if TYPE_CHECKING:
    import networkx as nx

FIGURE_FORMATS = ("svg", "png")
NO_DEFINITION = "none"
SIDES = ("affirms", "neutral", "disputes")  # left to right
SIDE_TITLES = {
    "affirms": "◀ affirms emergence",
    "neutral": "neutral or stance unknown",
    "disputes": "disputes emergence ▶",
}
# Where a side is too narrow for its title (a paper's column): the short form.
SIDE_SHORT = {"affirms": "◀ affirms", "neutral": "neutral / unknown", "disputes": "disputes ▶"}
# Dark2-like colours that stay apart for the common colour-vision deficiencies; line styles
# carry the meaning too (solid, thin, dashed), so the figure also reads in grey print.
COLOURS = {
    "counters": "#d95f02",
    "supports": "#1b9e77",
    "talking_past": "#7570b3",
    "affirms": "#1f78b4",
    "disputes": "#e7298a",
    "neutral": "#777777",
    "text": "#1a1a1a",
    "muted": "#5c5c5c",
    "lane": "#f1f3f6",
}


@dataclass(frozen=True)
class Size:
    """A figure size and the type sizes that go with it (inches and points)."""

    name: str
    width: float
    height: float
    dpi: int
    pad: float
    title_pt: float
    head_pt: float
    label_pt: float
    work_pt: float
    legend_pt: float
    lane_head_w: float
    cell_w: float  # the narrowest a claim's cell may be
    gap: float  # between cells
    line_w: float  # link width for counters (points)


SIZES = {
    # 16:9; 1920 x 1080 pixels as PNG
    "slide": Size("slide", 40 / 3, 7.5, 144, 0.22, 15, 10.5, 7.5, 6.2, 8, 1.5, 1.75, 0.1, 1.3),
    # one column of a two-column paper; 1050 x 1200 pixels as PNG
    "column": Size("column", 3.5, 4.0, 300, 0.05, 6.5, 5.4, 4.6, 3.9, 4.6, 0.62, 1.0, 0.04, 0.6),
}


@dataclass
class Placed:
    node: str
    lane: str
    side: str
    x: float  # top-left of the cell, inches from the figure's top-left
    y: float
    lines: list[str]
    work: str
    focus: bool = False


@dataclass
class Lane:
    id: str
    title: str
    subtitle: str
    y: float
    height: float
    n: int  # claims in the lane
    more: dict[str, int] = field(default_factory=dict)  # side -> claims not drawn


@dataclass
class Layout:
    size: Size
    sides: bool
    lanes: list[Lane]
    placed: dict[str, Placed]
    side_x: dict[str, tuple[float, float]]  # side -> (x0, x1)
    cell_w: float
    cell_h: float
    top: float
    title: str
    edges: list[tuple[str, str, str]]  # (source, target, kind) between drawn claims
    hidden: int  # claims not drawn for want of room
    side_titles: dict[str, str] = field(default_factory=dict)  # side -> its heading


@dataclass
class FigureInfo:
    """What a figure shows: for the export summary and the tests."""

    claims: int
    drawn: int
    counters: int
    talking_past: int
    supports: int
    labels: dict[str, list[str]]  # claim node -> the label lines drawn
    cjk_font: str | None


# -- text -------------------------------------------------------------------------------------


def _units(ch: str) -> float:
    """Width of a character in "average Latin character" units (a CJK glyph is a full em)."""
    return 1.85 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.0


def _tokens(text: str) -> list[str]:
    """Words with their trailing space; every wide (CJK) character is a token of its own."""
    out: list[str] = []
    for m in re.finditer(r"[^\s]+\s*|\s+", text):
        word = m.group(0)
        buf = ""
        for ch in word:
            if _units(ch) > 1:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(ch)
            else:
                buf += ch
        if buf:
            out.append(buf)
    return out


NO_LINE_START = set("、。，．；：！？）」』”’》〉】,.;:!?)]}…")


def wrap(text: str, width: float, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` units; an ellipsis if it was cut."""
    text = " ".join(text.split())
    tokens = _tokens(text)
    out: list[str] = []
    line, used = "", 0.0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        w = sum(_units(c) for c in tok.rstrip())
        if used + w <= width or not line or tok[0] in NO_LINE_START:
            if w > width and not line:  # one very long word: cut it
                cut, acc = "", 0.0
                for c in tok:
                    if acc + _units(c) > width:
                        break
                    cut, acc = cut + c, acc + _units(c)
                tokens[i : i + 1] = [cut, tok[len(cut) :]]
                continue
            line += tok
            used += sum(_units(c) for c in tok)
            i += 1
            continue
        out.append(line.rstrip())
        line, used = "", 0.0
        if len(out) == lines:
            break
    if line and len(out) < lines:
        out.append(line.rstrip())
    if i < len(tokens):  # cut: end the last line with an ellipsis
        last = out[-1]
        while last and sum(_units(c) for c in last) + 1 > width:
            last = last[:-1]
        out[-1] = last.rstrip(" ,;:.，。；：、") + "…"
    return out or [""]


def _chars(width_in: float, pt: float) -> float:
    """How many average Latin characters of ``pt`` points fit in ``width_in`` inches."""
    return width_in * 72 / (0.56 * pt)


def work_label(g: nx.MultiDiGraph, node: str) -> str:
    """ "Wei et al. 2022" for the document a claim comes from (or its title, or file name)."""
    doc = next(
        (s for s, _, e in g.in_edges(node, data=True) if e.get("kind") == "contains"),
        None,
    )
    if doc is None:
        return ""
    d = g.nodes[doc]
    year = str(d.get("year", ""))
    authors = [a.strip() for a in str(d.get("authors", "")).split(";") if a.strip()]
    if authors:
        first = authors[0]
        surname = first.split(",")[0].strip() if "," in first else first.split()[-1]
        who = surname + (" et al." if len(authors) > 2 else "")
        if len(authors) == 2:
            second = authors[1]
            other = second.split(",")[0].strip() if "," in second else second.split()[-1]
            who = f"{surname} & {other}"
        return f"{who} {year}".strip()
    title = str(d.get("label") or d.get("path") or "")
    return f"{title} {year}".strip() if year and year not in title else title


# -- layout -----------------------------------------------------------------------------------


def _claim_links(g: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    """(source, target, kind) of every claim-to-claim evidence link, kind being supports,
    counters or talking_past; sorted, so the drawing order is the same every time."""
    out = set()
    for s, t, e in g.edges(data=True):
        kind = e.get("kind")
        if kind not in ("supports", "counters"):
            continue
        if g.nodes[s].get("kind") != "claim" or g.nodes[t].get("kind") != "claim":
            continue
        if kind == "counters" and talking_past(g.nodes[s].get("labels"), g.nodes[t].get("labels")):
            kind = "talking_past"
        out.add((s, t, kind))
    return sorted(out)


def layout(
    g: nx.MultiDiGraph,
    size: str | Size = "slide",
    *,
    focus: str | None = None,
    all_lanes: bool = True,
    title: str | None = None,
) -> Layout:
    """Where every drawn claim goes (inches from the top-left), lane by lane."""
    sz = SIZES[size] if isinstance(size, str) else size
    claims = sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "claim")
    sides = any(g.nodes[n].get("stance") in STANCES for n in claims)
    links = _claim_links(g)
    degree: dict[str, int] = defaultdict(int)
    for s, t, _ in links:
        degree[s] += 1
        degree[t] += 1

    def lane_of(n: str) -> str:
        defs = [x for x in str(g.nodes[n].get("labels", "")).split(",") if x in DEFINITIONS]
        return defs[0] if defs else NO_DEFINITION

    def side_of(n: str) -> str:
        stance = g.nodes[n].get("stance")
        return str(stance) if sides and stance in ("affirms", "disputes") else "neutral"

    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n in claims:
        groups[lane_of(n), side_of(n)].append(n)
    for key in groups:  # the claim in focus first, then the most connected
        groups[key].sort(key=lambda n: (n != focus, -degree[n], n))
    used_sides = SIDES if sides else ("neutral",)
    lane_ids = [
        ln
        for ln in (*DEFINITIONS, NO_DEFINITION)
        if any(groups.get((ln, s)) for s in used_sides) or (all_lanes and ln != NO_DEFINITION)
    ]

    if title is None:
        title = f"Debate map: {len(claims)} claims in lanes by definition (D1–D6)" + (
            ", sides by stance" if sides else ""
        )
    title_lines = wrap(title, _chars(sz.width - 2 * sz.pad, 1.1 * sz.title_pt), 2)

    # Vertical bands: title, side headings, lanes, legend.
    title_h = (0.8 + 1.3 * len(title_lines)) * sz.title_pt / 72
    side_h = 1.7 * sz.head_pt / 72 if sides else 0.0
    legend_rows = 1 if sz.name == "slide" or not sides else 2
    legend_h = (0.9 + 1.4 * legend_rows) * sz.legend_pt / 72
    top = sz.pad + title_h + side_h
    avail_h = sz.height - top - legend_h - sz.pad
    head_h = (1.5 * sz.head_pt + 3 * 1.15 * 0.9 * sz.label_pt) / 72 + sz.gap
    x0 = sz.pad + sz.lane_head_w
    inner_w = sz.width - sz.pad - x0
    side_w = inner_w / len(used_sides)
    side_x = {s: (x0 + i * side_w, x0 + (i + 1) * side_w) for i, s in enumerate(used_sides)}
    max_cols = max(1, int(side_w // sz.cell_w))
    more_h = (1.3 * sz.work_pt + 0.4 * sz.label_pt) / 72  # a "+N more" line
    min_cols = min(max_cols, max(1, math.ceil(side_w / (2.4 * sz.cell_w))))

    def plan(lines: int, cols: int) -> tuple[dict[str, int], float, bool]:
        """Rows per lane for claims of ``lines`` label lines in ``cols`` columns a side: one
        row each, then more to the lanes that need them most; and whether every claim fits."""
        cell_h = (lines * 1.22 * sz.label_pt + 1.25 * sz.work_pt) / 72 + sz.gap
        extra = max(0.0, head_h - cell_h)  # a lane is at least as tall as its heading
        if cols == 1:  # no last cell to give to "+N more": a strip under the rows
            extra = max(extra, more_h)
        demand = {
            ln: max([math.ceil(len(groups.get((ln, s), [])) / cols) for s in used_sides] + [1])
            for ln in lane_ids
        }
        rows = dict.fromkeys(lane_ids, 1)
        total_rows = int((avail_h - len(lane_ids) * extra) // cell_h)
        while sum(rows.values()) < total_rows:
            short = [ln for ln in lane_ids if rows[ln] < demand[ln]]
            if not short:
                break
            worst = max(
                short,
                key=lambda ln: (ln != NO_DEFINITION, demand[ln] - rows[ln], -lane_ids.index(ln)),
            )
            rows[worst] += 1
        fits = sum(rows.values()) <= max(total_rows, 0) and all(
            rows[ln] >= demand[ln] for ln in lane_ids
        )
        return rows, cell_h, fits

    # The most text per claim that still shows every claim; else two lines, narrow columns.
    best: tuple[float, int, int] | None = None
    for lines in (4, 3, 2):
        for cols in range(min_cols, max_cols + 1):
            if plan(lines, cols)[2]:
                score = lines * side_w / cols
                if best is None or score > best[0]:
                    best = (score, lines, cols)
                break  # more columns only shorten the lines
    label_lines, cols = (best[1], best[2]) if best else (2, max_cols)
    rows, cell_h, _ = plan(label_lines, cols)
    cell_w = side_w / cols
    extra = max(0.0, head_h - cell_h)
    strip = more_h if cols == 1 else 0.0  # kept free at a lane's foot for "+N more"
    extra = max(extra, strip)
    total = sum(rows[ln] * cell_h + extra for ln in lane_ids)
    stretch = min(2.0, avail_h / total) if total else 1.0
    row_h = cell_h * stretch

    lanes: list[Lane] = []
    placed: dict[str, Placed] = {}
    y = top
    label_units = _chars(cell_w - 0.12 * sz.label_pt / 7.5 - sz.gap, sz.label_pt)
    work_units = _chars(cell_w - 0.12 * sz.label_pt / 7.5 - sz.gap, sz.work_pt)
    hidden = 0
    for ln in lane_ids:
        h = (rows[ln] * cell_h + extra) * stretch
        node = f"def:{ln}"
        if ln == NO_DEFINITION:
            head, sub = "none", "no definition"
        else:
            label = str(g.nodes[node].get("label", ln)) if node in g else ln
            head, sub = ln, label.split(":", 1)[1].strip() if ":" in label else ""
        lane = Lane(ln, head, sub, y, h, sum(len(groups.get((ln, s), [])) for s in used_sides))
        n_rows = rows[ln]
        pad_y = (h - n_rows * row_h - strip * stretch) / 2
        for s in used_sides:
            members = groups.get((ln, s), [])
            room = n_rows * cols
            # "+N more" takes the last cell, or its own strip when a side is one column wide
            shown = members if len(members) <= room else members[: room - (0 if strip else 1)]
            if len(shown) < len(members):
                lane.more[s] = len(members) - len(shown)
                hidden += lane.more[s]
            for i, n in enumerate(shown):
                cx = side_x[s][0] + (i % cols) * cell_w
                cy = y + pad_y + (i // cols) * row_h
                d = g.nodes[n]
                placed[n] = Placed(
                    n,
                    ln,
                    s,
                    cx,
                    cy,
                    wrap(
                        str(d.get("text", d.get("label", n))),
                        label_units / (1.12 if n == focus else 1.0),
                        label_lines,
                    ),
                    wrap(_also(work_label(g, n), str(d.get("labels", "")), ln), work_units, 1)[0],
                    n == focus,
                )
        lanes.append(lane)
        y += h
    edges = [(s, t, k) for s, t, k in links if s in placed and t in placed]
    head_room = _chars(0.95 * side_w, 1.12 * sz.head_pt)  # bold type is a little wider
    heads = {
        s: SIDE_TITLES[s] if len(SIDE_TITLES[s]) <= head_room else SIDE_SHORT[s] for s in used_sides
    }
    return Layout(
        sz,
        sides,
        lanes,
        placed,
        side_x,
        cell_w,
        row_h,
        top,
        "\n".join(title_lines),
        edges,
        hidden,
        heads,
    )


def _also(work: str, labels: str, lane: str) -> str:
    others = [x for x in labels.split(",") if x and x != lane]
    return work + (f" · also {'/'.join(others)}" if others else "")


# -- drawing ----------------------------------------------------------------------------------


def write_figure(
    g: nx.MultiDiGraph,
    out: str | Path,
    fmt: str | None = None,
    *,
    size: str = "slide",
    focus: str | None = None,
    title: str | None = None,
) -> FigureInfo:
    """Draw the debate map of ``g`` into ``out`` (svg or png, by ``fmt`` or the suffix)."""
    out = Path(out)
    fmt = fmt or out.suffix.lstrip(".").lower()
    if fmt not in FIGURE_FORMATS:
        raise EmlitError(f"{out}: a figure is .svg or .png, not {fmt!r}")
    if size not in SIZES:
        raise EmlitError(f"--size: {size!r} is not one of {', '.join(SIZES)}")
    lay = layout(g, size, focus=focus, all_lanes=focus is None, title=title)
    texts = [lay.title] + [t for p in lay.placed.values() for t in (*p.lines, p.work)]
    cjk = cjk_font_for(texts, out)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc = {
        "svg.hashsalt": "emlit-figure",
        "svg.fonttype": "none",  # text stays text: searchable, editable, small
        "font.family": ["DejaVu Sans", *([cjk] if cjk else [])],
        "font.size": lay.size.label_pt,
        "path.simplify": False,
    }
    with plt.rc_context(cast(Any, rc)):
        fig = plt.figure(figsize=(lay.size.width, lay.size.height), dpi=lay.size.dpi)
        try:
            _draw(fig, lay)
            metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {"Software": None}
            fig.savefig(out, format=fmt, dpi=lay.size.dpi, metadata=metadata)
        except OSError as exc:
            raise EmlitError(f"{out}: cannot write ({exc.strerror})") from None
        finally:
            plt.close(fig)
    kinds = [k for *_, k in lay.edges]
    return FigureInfo(
        claims=sum(1 for _, d in g.nodes(data=True) if d.get("kind") == "claim"),
        drawn=len(lay.placed),
        counters=kinds.count("counters"),
        talking_past=kinds.count("talking_past"),
        supports=kinds.count("supports"),
        labels={n: p.lines for n, p in lay.placed.items()},
        cjk_font=cjk,
    )


def _draw(fig: Any, lay: Layout) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, Rectangle

    sz = lay.size
    W, H = sz.width, sz.height
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, W)
    ax.set_ylim(H, 0)  # inches from the top-left
    ax.axis("off")
    pt = 1 / 72

    ax.text(
        sz.pad,
        sz.pad,
        lay.title,
        fontsize=sz.title_pt,
        fontweight="bold",
        va="top",
        color=COLOURS["text"],
    )
    if lay.sides:
        for s, (a, b) in lay.side_x.items():
            ax.text(
                (a + b) / 2,
                lay.top - 0.35 * sz.head_pt * pt,
                lay.side_titles[s],
                fontsize=sz.head_pt,
                fontweight="bold",
                ha="center",
                va="bottom",
                color=COLOURS[s],
            )
    x_left = sz.pad
    x_right = W - sz.pad
    for i, lane in enumerate(lay.lanes):
        if i % 2 == 0:
            ax.add_patch(
                Rectangle(
                    (x_left, lane.y),
                    x_right - x_left,
                    lane.height,
                    facecolor=COLOURS["lane"],
                    edgecolor="none",
                    zorder=0,
                )
            )
        ax.text(
            x_left + 0.06 * sz.head_pt * pt * 10,
            lane.y + 0.5 * sz.head_pt * pt,
            lane.title,
            fontsize=sz.head_pt,
            fontweight="bold",
            va="top",
            color=COLOURS["text"],
            zorder=3,
        )
        sub_lines = wrap(lane.subtitle, _chars(sz.lane_head_w - 0.1, sz.label_pt * 0.9), 2)
        ax.text(
            x_left + 0.06 * sz.head_pt * pt * 10,
            lane.y + 1.9 * sz.head_pt * pt,
            "\n".join(sub_lines) + f"\n{lane.n} claim{'s' if lane.n != 1 else ''}",
            fontsize=sz.label_pt * 0.9,
            va="top",
            color=COLOURS["muted"],
            linespacing=1.15,
            zorder=3,
        )
        for s, k in lane.more.items():
            a, b = lay.side_x[s]
            ax.text(
                b - sz.gap,
                lane.y + lane.height - 0.4 * sz.label_pt * pt,
                f"+{k} more",
                fontsize=sz.work_pt,
                fontstyle="italic",
                ha="right",
                va="bottom",
                color=COLOURS["muted"],
                zorder=3,
            )
    if lay.sides:
        for a, _b in list(lay.side_x.values())[1:]:
            ax.plot(
                [a, a],
                [lay.top, lay.lanes[-1].y + lay.lanes[-1].height if lay.lanes else lay.top],
                color="#c8ccd2",
                lw=0.6,
                ls=(0, (3, 3)),
                zorder=1,
            )

    dot_dx = 0.07 * sz.label_pt / 7.5
    text_dx = 0.14 * sz.label_pt / 7.5

    def anchor(n: str) -> tuple[float, float]:
        p = lay.placed[n]
        return p.x + dot_dx, p.y + 0.62 * sz.label_pt * pt

    styles = {
        "supports": dict(color=COLOURS["supports"], lw=0.5 * sz.line_w, ls="-", alpha=0.5),
        "counters": dict(color=COLOURS["counters"], lw=sz.line_w, ls="-", alpha=0.75),
        "talking_past": dict(
            color=COLOURS["talking_past"], lw=sz.line_w, ls=(0, (4, 2)), alpha=0.9
        ),
    }
    order = {"supports": 0, "counters": 1, "talking_past": 2}
    for s, t, kind in sorted(lay.edges, key=lambda e: (order[e[2]], e[0], e[1])):
        if s == t:
            continue
        (x1, y1), (x2, y2) = anchor(s), anchor(t)
        st = styles[kind]
        # A gentle bend that stays within about a quarter of an inch of the straight line.
        length = math.hypot(x2 - x1, y2 - y1)
        rad = min(0.3, 0.5 * sz.label_pt / 7.5 / max(length, 1e-6))
        if abs(x2 - x1) < lay.cell_w / 2:
            # Two claims of one column: bend to the left, into the margin before the dots,
            # not over the labels on their right (arc3 bends by rad * the turned chord, in
            # display space, whose y grows upwards: rad > 0 bends a downward link left).
            rad = min(rad, 0.36 * sz.label_pt / 7.5 / max(length, 1e-6))
            rad = rad if y2 > y1 else -rad
        ax.add_patch(
            FancyArrowPatch(
                (x1, y1),
                (x2, y2),
                connectionstyle=f"arc3,rad={rad:.4f}",
                arrowstyle="-|>",
                mutation_scale=3.2 * sz.line_w + 2,
                color=st["color"],
                lw=st["lw"],
                linestyle=st["ls"],
                alpha=st["alpha"],
                shrinkA=1.5,
                shrinkB=2.5,
                zorder=2 + order[kind] * 0.1,
            )
        )
    for n, p in lay.placed.items():
        x, y = anchor(n)
        colour = COLOURS[p.side] if lay.sides else COLOURS["neutral"]
        ax.plot(
            [x],
            [y],
            marker="o",
            ms=(4.2 if p.focus else 3.0) * sz.label_pt / 7.5,
            mfc=colour,
            mec=COLOURS["text"] if p.focus else colour,
            mew=0.8 if p.focus else 0,
            zorder=5,
            gid=f"dot-{n.replace(':', '-')}",
        )
        box = dict(boxstyle="square,pad=0.08", facecolor="white", edgecolor="none", alpha=0.8)
        label = ax.text(
            p.x + text_dx,
            p.y,
            "\n".join(p.lines),
            fontsize=sz.label_pt,
            fontweight="bold" if p.focus else "normal",
            va="top",
            color=COLOURS["text"],
            linespacing=1.12,
            bbox=box,
            zorder=4,
        )
        label.set_gid(n.replace(":", "-"))
        if p.work:
            ax.text(
                p.x + text_dx,
                p.y + (len(p.lines) * 1.22 * sz.label_pt + 0.1 * sz.work_pt) * pt,
                p.work,
                fontsize=sz.work_pt,
                va="top",
                color=COLOURS["muted"],
                bbox=box,  # links pass under it, as under the label
                zorder=4,
            )

    # Legend and what was left out, along the bottom.
    talk = "talking past (no shared definition)" if sz.name == "slide" else "talking past"
    items: list[tuple[str, dict[str, Any]]] = [
        ("counters", styles["counters"]),
        (talk, styles["talking_past"]),
        ("supports", styles["supports"]),
    ]
    handles = [
        Line2D([], [], color=st["color"], lw=st["lw"], ls=st["ls"], alpha=st["alpha"])
        for _, st in items
    ]
    labels = [name for name, _ in items]
    if lay.sides:
        for s in ("affirms", "neutral", "disputes"):
            handles.append(
                Line2D([], [], ls="none", marker="o", ms=4 * sz.label_pt / 7.5, color=COLOURS[s])
            )
            labels.append(s if s != "neutral" else "neutral / unknown")
    ncol = len(handles) if sz.name == "slide" else 3
    ax.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(sz.pad / W, sz.pad / H),
        ncol=ncol,
        frameon=False,
        fontsize=sz.legend_pt,
        handlelength=2.2,
        handletextpad=0.4,
        borderaxespad=0,
        borderpad=0,
        columnspacing=1.2,
    )
    shown = len(lay.placed)
    total = shown + lay.hidden
    note = (
        f"{shown} of {total} claims drawn (the most connected)"
        if lay.hidden
        else (f"{shown} claim{'s' if shown != 1 else ''}")
    )
    ax.text(
        W - sz.pad,
        H - sz.pad,
        note,
        fontsize=sz.legend_pt,
        ha="right",
        va="bottom",
        color=COLOURS["muted"],
    )
