"""Generate a library of realistic two-column papers (PDF) and Markdown notes, with gold labels.

    python bench/make_library.py --papers 40 --notes 20 --out bench/out/library --seed 7

Each paper is a two-column PDF of 5-10 pages: a running header and page numbers, a title
block, an abstract, introduction, background, an experimental setup (model sizes trained,
hyperparameters, data sets), results with figures (plots with axis labels and legends) and
tables, a discussion with rebuttals and questions, acknowledgements, a two-column reference
list and, in half the papers, an appendix. About a fifth of the papers are Chinese (the CID
font STSong-Light, as in ``tests/fixtures/other/pdfs.py``). Papers vary in citation style
(author-year or numbered), caption style ("Figure 3:", "Figure 3.", "Fig. 3.", "图 3"),
heading style (bigger type, or body-size bold as many real papers do) and paragraph style.
Long words are hyphenated at line ends, lines are justified. Notes are Obsidian-style
Markdown: frontmatter, bullets of claims, quotes, methods summaries, an embedded figure with
its caption, questions and reminders to oneself, and link/tag boilerplate.

Every sentence the generator writes (and every text drawn inside a figure or table, the
running headers and footers) is recorded with its gold kind in ``OUT/gold.jsonl``:
``{"doc": "papers/p003.pdf", "kind": "claim" | "caption" | "methods" | ..., "lang", "text"}``
(the kinds are listed in ``bench/library_content.py``). ``OUT/library.json`` lists the files,
their pages and languages. Output is deterministic for a given seed (reportlab's invariant
mode, seeded ``random.Random`` per document); only reportlab is needed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import library_content as C
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

PAGE_W, PAGE_H = 595.0, 842.0
MARGIN_X = 54.0
GUTTER = 18.0
COL_W = (PAGE_W - 2 * MARGIN_X - GUTTER) / 2
BODY_TOP = PAGE_H - 68.0
BODY_BOTTOM = 66.0
CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))
PROPER = {
    *C.FAMILIES,
    "Chinchilla",
    "BIG-Bench",
    "IPA",
    "MMLU",
    "GSM8K",
    "TruthfulQA",
    "Persian",
    "Emergent",
    "Scaling",
    "Grokking",
} - {"Emergent", "Scaling", "Grokking"}


@dataclass
class Sent:
    text: str
    kind: str


# ---------------------------------------------------------------------------------------
# Flow items


@dataclass
class Heading:
    text: str


@dataclass
class Para:
    sents: list[Sent]
    indent: bool = True
    size: float | None = None  # None: body size
    prefix: str = ""  # "[12] " for numbered references
    hanging: bool = False


@dataclass
class Figure:
    caption: list[Sent]
    labels: dict[str, Any]
    wide: bool = False


@dataclass
class Table:
    caption: list[Sent]
    rows: list[list[str]]
    caption_above: bool = True


@dataclass
class Style:
    lang: str
    numbered: bool
    heading_big: bool
    para_gap: bool
    caption_label: str  # "Figure {n}:", "Figure {n}.", "Fig. {n}.", "图 {n}"
    table_label: str
    body_font: str
    bold_font: str
    body_size: float


# ---------------------------------------------------------------------------------------
# Sentence filling


class Filler:
    """Fills template slots; citations follow the paper's style and number its references."""

    def __init__(self, rng: random.Random, style: Style) -> None:
        self.rng = rng
        self.style = style
        self.cited: list[str] = []
        self.used: set[str] = set()
        self.uses: dict[str, int] = {}
        self.fig = 0
        self.tab = 0

    def _cite(self, key: str, narrative: bool) -> str:
        if key not in self.cited:
            self.cited.append(key)
        author = C.FIRST_AUTHOR[key]
        year = C.REFERENCES[key][3]
        etal = "" if key in C.SOLO or " and " in author else " et al."
        zh = self.style.lang == "zh"
        if zh:
            etal = "" if not etal else " 等人"
        if self.style.numbered:
            n = self.cited.index(key) + 1
            if narrative:
                return f"{author}{etal}[{n}]" if zh else f"{author}{etal} [{n}]"
            return f"[{n}]"
        if narrative:
            return f"{author}{etal}（{year}）" if zh else f"{author}{etal} ({year})"
        return f"（{author}{etal}，{year}）" if zh else f"({author}{etal}, {year})"

    def values(self) -> dict[str, Any]:
        rng = self.rng
        zh = self.style.lang == "zh"
        family = rng.choice(list(C.FAMILIES))
        sizes = C.FAMILIES[family]
        i = rng.randrange(0, len(sizes) - 1)
        j = rng.randrange(i + 1, len(sizes))
        lo = rng.choice(["37M", "70M", "125M", "160M", "350M"])
        hi = rng.choice(["13B", "70B", "175B", "318B", "540B"])
        acc0 = rng.choice([2, 4, 5, 8, 11, 25, 26])
        sec = rng.randint(2, 4)
        return {
            "task": rng.choice(C.TASKS_ZH if zh else C.TASKS_EN),
            "family": family,
            "small": sizes[i],
            "large": sizes[j],
            "size_lo": lo,
            "size_hi": hi,
            "acc0": acc0,
            "acc1": acc0 + rng.randint(18, 60),
            "metric": rng.choice(C.METRICS_ZH if zh else C.METRICS_EN),
            "smooth_metric": rng.choice(C.SMOOTH_METRICS_ZH if zh else C.SMOOTH_METRICS_EN),
            "flops": rng.choice(C.FLOPS),
            "n": rng.choice([6, 8, 9, 12, 14]),
            "k": rng.choice([0, 1, 3, 5, 8]),
            "seeds": rng.choice([3, 5, 10]),
            "lr": rng.choice(["3e-4", "2e-4", "6e-4", "1.5e-4"]),
            "warmup": rng.choice(["1,000", "2,000", "375"] if not zh else ["1000", "2000", "375"]),
            "steps": rng.choice(
                ["143,000", "300,000", "100,000"] if not zh else ["143000", "300000"]
            ),
            "batch": rng.choice(["2M", "4M", "1M"]),
            "tokens": rng.choice(["300B", "1.4T", "2T", "780B"]),
            "corpus": rng.choice(C.CORPORA_ZH if zh else C.CORPORA_EN),
            "ntasks": rng.choice([8, 9, 12, 23, 29]),
            "fig": max(1, self.fig) + rng.randint(0, 1),
            "tab": max(1, self.tab),
            "sec": sec,
            "sec2": sec + rng.randint(1, 2),
        }

    def fill(self, template: str, kind: str, extra: dict[str, Any] | None = None) -> Sent | None:
        for _ in range(30):
            vals = self.values()
            if extra:
                vals.update(extra)
            text = template.format(**vals)
            text = re.sub(r"\[@([a-z]+)\]", lambda m: self._cite(m.group(1), False), text)
            text = re.sub(r"@([a-z]+)", lambda m: self._cite(m.group(1), True), text)
            if self.style.lang == "en" and text[:1].islower():
                text = text[0].upper() + text[1:]
            if text not in self.used:
                self.used.add(text)
                return Sent(text, kind)
        return None

    def claim(self, bank: list[str]) -> Sent | None:
        """A claim from the least-used templates of ``bank``, sometimes with a lead-in or tail."""
        rng = self.rng
        least = min(self.uses.get(t, 0) for t in bank)
        template = rng.choice([t for t in bank if self.uses.get(t, 0) == least])
        self.uses[template] = least + 1
        zh = self.style.lang == "zh"
        if rng.random() < 0.25:
            lead = rng.choice(C.LEADS_ZH if zh else C.LEADS_EN)
            first = template.split(" ")[0]
            if not zh and first[:1].isupper() and first[1:].islower() and first not in PROPER:
                template = template[0].lower() + template[1:]
            template = lead + template
        elif (
            rng.random() < 0.2
            and template.endswith((".", "。"))
            and not template[-3:-1].endswith("]")
        ):
            tail = rng.choice(C.TAILS_ZH if zh else C.TAILS_EN)
            template = template[:-1] + tail + template[-1]
        return self.fill(template, "claim")

    def fill_any(self, bank: list[str], kind: str) -> Sent:
        """A sentence from any template of ``bank`` not used yet (repeats only if all are)."""
        for template in self.rng.sample(bank, len(bank)):
            s = self.fill(template, kind)
            if s:
                return s
        return Sent(self.rng.choice(bank).format(**self.values()), kind)

    def pick(self, bank: list[str], kind: str, n: int) -> list[Sent]:
        out = []
        for template in self.rng.sample(bank, min(n, len(bank))):
            s = self.fill(template, kind)
            if s:
                out.append(s)
        return out


def claim_bank(lang: str, *groups: str) -> list[str]:
    bank = C.CLAIMS_ZH if lang == "zh" else C.CLAIMS_EN
    return [t for g in groups for t in bank[g]]


# ---------------------------------------------------------------------------------------
# Paper content


def paper_flow(rng: random.Random, style: Style, extra_results: int) -> tuple[list[Any], Filler]:
    zh = style.lang == "zh"
    f = Filler(rng, style)
    H = C.HEADINGS_ZH if zh else C.HEADINGS_EN
    methods = C.METHODS_ZH if zh else C.METHODS_EN
    roadmap = C.ROADMAP_ZH if zh else C.ROADMAP_EN
    other = C.OTHER_ZH if zh else C.OTHER_EN
    questions = C.QUESTIONS_ZH if zh else C.QUESTIONS_EN
    captions = C.CAPTIONS_ZH if zh else C.CAPTIONS_EN

    def claims(n: int, *groups: str) -> list[Sent]:
        bank = claim_bank(style.lang, *groups)
        out = []
        for _ in range(n):
            s = f.claim(bank)
            if s:
                out.append(s)
        return out

    def mix(n_claims: int, groups: tuple[str, ...], extras: list[Sent]) -> Para:
        sents = claims(n_claims, *groups)
        for e in extras:
            sents.insert(rng.randint(0, len(sents)), e)
        return Para(sents)

    def figure(wide: bool = False) -> Figure:
        f.fig += 1
        label = style.caption_label.format(n=f.fig)
        first = f.fill_any(captions, "caption")
        text = f"{label} {first.text}" if not zh else f"{label}  {first.text}"
        cap = [Sent(text, "caption")]
        if rng.random() < 0.3 and not zh:
            more = f.fill(
                rng.choice(
                    [
                        "Shaded regions show one standard error over {seeds} seeds.",
                        "Models below {small} stay at the random baseline under {metric}.",
                        "The dashed horizontal line is chance performance.",
                    ]
                ),
                "caption",
            )
            if more:
                cap.append(more)
        labels = {
            "x": rng.choice(
                ["训练 FLOPs", "参数量", "模型规模"]
                if zh
                else ["Model scale (training FLOPs)", "Model parameters", "Pre-training loss"]
            ),
            "legend": rng.sample(["LaMDA", "GPT-3", "Gopher", "Chinchilla", "PaLM", "Pythia"], 4)
            + (["随机"] if zh else ["Random"]),
            "ticks": ["10", "10", "10", "10"],
            "exps": rng.choice([["18", "20", "22", "24"], ["8", "9", "10", "11"]]),
            "curves": rng.randint(3, 5),
            "seed": rng.random(),
            "panel": rng.choice(C.TASKS_ZH if zh else C.TASKS_EN),
        }
        return Figure(cap, labels, wide)

    def table(hyper: bool) -> Table:
        f.tab += 1
        label = style.table_label.format(n=f.tab)
        first = f.fill_any(
            [C.CAPTIONS_ZH[7] if zh else C.CAPTIONS_EN[7]]
            if hyper
            else (
                [C.CAPTIONS_ZH[6], C.CAPTIONS_ZH[8]]
                if zh
                else [C.CAPTIONS_EN[i] for i in (6, 8, 12)]
            ),
            "caption",
        )
        cap = [Sent(f"{label} {first.text}" if not zh else f"{label}  {first.text}", "caption")]
        if hyper:
            rows = [
                ["参数量", "层数", "宽度", "学习率", "批大小"]
                if zh
                else ["Params", "Layers", "Width", "LR", "Batch"]
            ]
            for size, layers, width in [
                ("125M", 12, 768),
                ("1.3B", 24, 2048),
                ("13B", 40, 5120),
                ("175B", 96, 12288),
            ]:
                rows.append(
                    [
                        size,
                        str(layers),
                        str(width),
                        rng.choice(["6e-4", "2e-4", "1e-4"]),
                        rng.choice(["0.5M", "1M", "2M"]),
                    ]
                )
        else:
            tasks = rng.sample(C.TASKS_ZH if zh else C.TASKS_EN, 3)
            rows = [["模型" if zh else "Model", *tasks]]
            fam = rng.choice(list(C.FAMILIES))
            for size in C.FAMILIES[fam][-4:]:
                rows.append([f"{fam} {size}", *[f"{rng.uniform(1, 80):.1f}" for _ in tasks]])
        return Table(cap, rows, caption_above=rng.random() < 0.6)

    flow: list[Any] = []
    # Abstract
    abstract = claims(2, "framing") + claims(1, "evidence") + claims(1, "explanation")
    abstract.insert(2, f.pick(methods, "methods", 1)[0])
    abstract += claims(1, "framing")
    flow += [Heading(H["abstract"]), Para(abstract, indent=False)]
    if rng.random() < 0.5:
        kw = C.KEYWORDS_ZH if zh else C.KEYWORDS_EN
        flow.append(Para([Sent(kw, "boilerplate")], indent=False))
    # Introduction
    n = 1
    flow.append(Heading(f"{n} {H['intro']}"))
    flow.append(
        Para([*f.pick(other, "other", 1), *claims(3, "framing", "definition")], indent=False)
    )
    for _ in range(rng.randint(2, 3)):
        extra = f.pick(questions, "question", 1) if rng.random() < 0.3 else []
        flow.append(
            mix(rng.randint(3, 5), ("framing", "definition", "explanation", "evidence"), extra)
        )
    flow.append(Para([*claims(1, "framing"), *f.pick(roadmap[:2], "roadmap", 2)]))
    # Background
    n += 1
    flow.append(Heading(f"{n} {H['background']}"))
    for i in range(rng.randint(2, 4)):
        flow.append(
            Para(claims(rng.randint(3, 5), "definition", "explanation", "rebuttal"), indent=i > 0)
        )
    # Setup
    n += 1
    flow.append(Heading(f"{n} {H['setup']}"))
    for i in range(rng.randint(2, 3)):
        sents = f.pick(methods, "methods", rng.randint(3, 5))
        if rng.random() < 0.35:
            sents += claims(1, "explanation")
        flow.append(Para(sents, indent=i > 0))
    flow.append(table(hyper=True))
    # Results
    n += 1
    flow.append(Heading(f"{n} {H['results']}"))
    n_par = 3 + (extra_results + 1) // 2
    n_fig = min(4, 2 + extra_results // 3)
    for i in range(n_par):
        extras: list[Sent] = []
        if rng.random() < 0.35:
            r = f.fill(
                rng.choice(roadmap[2:4] + roadmap[6:7] if not zh else roadmap[2:4]), "roadmap"
            )
            if r:
                extras.append(r)
        if rng.random() < 0.25:
            extras += f.pick(methods, "methods", 1)
        sents = claims(rng.randint(3, 6), "evidence", "explanation", "rebuttal")
        if extras and extras[0].kind == "roadmap":
            sents.insert(0, extras.pop(0))
        for e in extras:
            sents.insert(rng.randint(0, len(sents)), e)
        flow.append(Para(sents, indent=i > 0))
        if i < n_fig:
            flow.append(figure(wide=rng.random() < 0.25))
        if i == n_par // 2:
            flow.append(table(hyper=False))
    # Discussion
    n += 1
    flow.append(Heading(f"{n} {H['discussion']}"))
    for _ in range(rng.randint(2, 4)):
        extra = f.pick(questions, "question", 1) if rng.random() < 0.5 else []
        flow.append(mix(rng.randint(3, 5), ("rebuttal", "definition", "explanation"), extra))
    flow.append(
        Para(
            [
                *f.pick(other[1:2] + other[3:4] if not zh else other[1:2], "other", 1),
                *claims(1, "rebuttal"),
            ]
        )
    )
    # Conclusion
    n += 1
    flow.append(Heading(f"{n} {H['conclusion']}"))
    flow.append(Para(claims(rng.randint(3, 4), "framing", "explanation"), indent=False))
    # Acknowledgements
    flow.append(Heading(H["ack"]))
    bp = C.BOILERPLATE_ZH if zh else C.BOILERPLATE_EN
    flow.append(
        Para(
            f.pick([b for b in bp if "出处" not in b and "Preprint" not in b], "boilerplate", 2),
            indent=False,
        )
    )
    # References (the cited works plus a few more)
    flow.append(Heading(H["refs"]))
    refs_anchor = len(flow)
    # Appendix (half the papers; longer papers also get per-task tables and prompt examples)
    appendix: list[Any] = []
    more = extra_results // 2
    if rng.random() < 0.5 or more:
        appendix.append(Heading(f"A {H['appendix_a']}"))
        appendix.append(Para(f.pick(methods, "methods", 4), indent=False))
        examples = C.APPENDIX_EXAMPLES_ZH if zh else C.APPENDIX_EXAMPLES_EN
        appendix.append(Para(f.pick(examples, "methods", 2), indent=False))
        appendix.append(Heading(f"B {H['appendix_b']}"))
        appendix.append(Para(claims(rng.randint(3, 5), "evidence", "explanation"), indent=False))
        appendix.append(figure())
        appendix.append(Para(claims(rng.randint(2, 4), "evidence"), indent=True))
        for _ in range(more):
            roll = rng.random()
            if roll < 0.35:
                appendix.append(table(hyper=False))
            elif roll < 0.65:
                appendix.append(figure(wide=rng.random() < 0.3))
            elif roll < 0.8:
                appendix.append(Para(f.pick(methods, "methods", 3), indent=True))
            else:
                appendix.append(
                    Para(claims(rng.randint(2, 4), "evidence", "explanation"), indent=True)
                )
    flow += appendix
    flow[refs_anchor:refs_anchor] = reference_paras(rng, style, f)
    return flow, f


def reference_paras(rng: random.Random, style: Style, f: Filler) -> list[Para]:
    keys = list(f.cited)
    pool = [k for k in C.REFERENCES if k not in keys]
    keys += rng.sample(pool, min(len(pool), rng.randint(4, 10)))
    entries: list[str] = []
    for key in keys:
        authors, title, venue, year = C.REFERENCES[key]
        if style.numbered:
            entries.append(
                f"{authors} {title}{'' if title.endswith('?') else '.'} {venue}, {year}."
            )
        else:
            entries.append(
                f"{authors} {title}{'' if title.endswith('?') else '.'} {venue}, {year}."
            )
    for _ in range(rng.randint(8, 14) + len(f.cited) // 2):
        a, b = rng.sample(C.FILLER_SURNAMES, 2)
        n = rng.randint(1, 9)
        venue = rng.choice(C.FILLER_VENUES).format(n=n)
        title = rng.choice(C.FILLER_TITLES)
        entries.append(f"{a}, {chr(65 + n)}. and {b}, {chr(70 + n)}. {title}. {venue}, 202{n % 5}.")
    if style.lang == "zh":
        entries += rng.sample(C.ZH_FILLER_REFS, rng.randint(3, 6))
    if not style.numbered:
        head = entries[: len(f.cited)]
        entries = sorted(head + entries[len(f.cited) :])
    paras = []
    for i, e in enumerate(entries, 1):
        prefix = f"[{i}] " if style.numbered else ""
        paras.append(
            Para(
                [Sent(prefix + e, "reference")],
                indent=False,
                size=style.body_size - 1.5,
                hanging=True,
            )
        )
    return paras


# ---------------------------------------------------------------------------------------
# Layout


def wrap(
    text: str, font: str, size: float, width: float, first_indent: float, rng: random.Random
) -> list[tuple[str, bool]]:
    """Lines (text, hyphen_break) for ``text``; long English words are hyphenated sometimes."""
    if font == CJK:
        units = re.findall(r"[A-Za-z0-9.,:;%^×@/()\[\]'’+=\-]+ ?|\s|.", text)
        glue = ""
    else:
        units = text.split(" ")
        glue = " "
    lines: list[tuple[str, bool]] = []
    line = ""
    avail = width - first_indent
    for unit in units:
        trial = line + glue + unit if line else unit
        if pdfmetrics.stringWidth(trial, font, size) <= avail or not line:
            line = trial
            continue
        if font == CJK and unit in "，。、；：！？）」』”》" and len(line) > 1:
            # never start a line with closing punctuation: carry the last character over
            lines.append((line[:-1], False))
            line = line[-1] + unit
            avail = width
            continue
        hyphenated = False
        if font != CJK and len(unit) >= 9 and unit.isalpha() and rng.random() < 0.5:
            for cut in range(len(unit) - 3, 3, -1):
                head = line + glue + unit[:cut] + "-"
                if pdfmetrics.stringWidth(head, font, size) <= avail:
                    lines.append((head, True))
                    line = unit[cut:]
                    hyphenated = True
                    break
        if not hyphenated:
            lines.append((line.rstrip(), False))
            line = unit.lstrip() if font == CJK else unit
        avail = width
    if line:
        lines.append((line.rstrip(), False))
    return lines


class Layout:
    def __init__(
        self, path: Path, style: Style, rng: random.Random, header_odd: str, header_even: str
    ) -> None:
        self.c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1)
        self.style = style
        self.rng = rng
        self.header_odd = header_odd
        self.header_even = header_even
        self.page = 0
        self.col = 0
        self.y = BODY_TOP
        self.col_top = BODY_TOP
        self.pending: list[Figure | Table] = []
        self.pending_wide: list[Figure] = []
        self.gold_extra: list[Sent] = []
        self.pages = 0
        self.first_page_bottom = BODY_BOTTOM

    def bottom(self) -> float:
        if self.page == 1 and self.col == 0:
            return self.first_page_bottom
        return BODY_BOTTOM

    # -- pages and columns
    def new_page(self) -> None:
        if self.page:
            self.c.showPage()
        self.page += 1
        st = self.style
        if self.page > 1:
            hdr = self.header_odd if self.page % 2 else self.header_even
            self.c.setFont(st.body_font, 8)
            self.c.drawCentredString(PAGE_W / 2, PAGE_H - 36, hdr)
            self.c.line(MARGIN_X, PAGE_H - 41, PAGE_W - MARGIN_X, PAGE_H - 41)
        self.c.setFont(st.body_font, 9)
        self.c.drawCentredString(PAGE_W / 2, 34, str(self.page))
        self.col = 0
        self.y = BODY_TOP
        self.col_top = BODY_TOP
        for fig in self.pending_wide:
            self.y = self._draw_figure(fig, MARGIN_X, PAGE_W - 2 * MARGIN_X, self.y) - 10
        self.pending_wide = []
        self.col_top = self.y
        self._place_pending()

    def next_column(self) -> None:
        if self.col == 0:
            self.col = 1
            self.y = self.col_top
            self._place_pending()
        else:
            self.new_page()

    def x(self) -> float:
        return MARGIN_X + self.col * (COL_W + GUTTER)

    def _place_pending(self) -> None:
        while self.pending:
            item = self.pending[0]
            need = self._height(item)
            if self.y - need < self.bottom():
                return
            self.pending.pop(0)
            self._draw_float(item)

    # -- drawing
    def text_block(
        self,
        sents: list[Sent],
        font: str,
        size: float,
        indent: float,
        hanging: float = 0.0,
        prefix: str = "",
        align_last: bool = False,
    ) -> None:
        text = prefix + (" " if self.style.lang == "en" else "").join(s.text for s in sents)
        if self.style.lang == "zh" and prefix:
            text = prefix + "".join(s.text for s in sents)
        leading = size * 1.22
        width = COL_W
        lines = wrap(
            text, font, size, width - hanging, indent - hanging if hanging else indent, self.rng
        )
        for i, (line, _hy) in enumerate(lines):
            if self.y - leading < self.bottom():
                self.next_column()
            self.y -= leading
            x = self.x() + (indent if i == 0 else hanging)
            avail = width - (indent if i == 0 else hanging)
            last = i == len(lines) - 1
            t = self.c.beginText(x, self.y)
            t.setFont(font, size)
            natural = pdfmetrics.stringWidth(line, font, size)
            # Tw/Tc are graphics state and outlive the text object: reset them on every line
            t.setWordSpace(0)
            t.setCharSpace(0)
            if not last and natural < avail:
                if font == CJK:
                    t.setCharSpace(min(2.0, (avail - natural) / max(1, len(line) - 1)))
                else:
                    gaps = line.count(" ")
                    if gaps:
                        t.setWordSpace(min(4.0, (avail - natural) / gaps))
            t.textOut(line)
            self.c.drawText(t)

    def heading(self, text: str) -> None:
        st = self.style
        size = st.body_size + (2.0 if st.heading_big else 0.0)
        font = st.bold_font if st.lang == "en" else CJK
        if st.lang == "zh":
            size = st.body_size + 2.0
        need = size * 1.6 + st.body_size * 3.5
        if self.y - need < self.bottom():
            self.next_column()
        self.y -= size * 0.9
        self.text_block([Sent(text, "heading")], font, size, 0.0)
        self.y -= size * 0.35

    def para(self, p: Para) -> None:
        st = self.style
        font = st.body_font
        size = p.size or st.body_size
        indent = (10.0 if st.lang == "en" else 2 * size) if p.indent and not st.para_gap else 0.0
        if st.para_gap or p.size:
            self.y -= size * (0.55 if not p.size else 0.25)
        self.text_block(
            p.sents, font, size, indent, hanging=8.0 if p.hanging else 0.0, prefix=p.prefix
        )

    def _height(self, item: Figure | Table) -> float:
        if isinstance(item, Figure):
            return 118.0 + 12 * len(item.caption) + 14
        return 14.0 * len(item.rows) + 30 + 12 * len(item.caption)

    def float_item(self, item: Figure | Table) -> None:
        if isinstance(item, Figure) and item.wide:
            self.pending_wide.append(item)
            return
        if self.pending or self.y - self._height(item) < self.bottom():
            self.pending.append(item)
        else:
            self._draw_float(item)

    def _draw_float(self, item: Figure | Table) -> None:
        self.y -= 8
        if isinstance(item, Figure):
            self.y = self._draw_figure(item, self.x(), COL_W, self.y) - 6
        else:
            self.y = self._draw_table(item, self.x(), COL_W, self.y) - 6

    def _caption(self, sents: list[Sent], x: float, width: float, y: float) -> float:
        font = CJK if self.style.lang == "zh" else self.style.body_font
        size = self.style.body_size - 1.0
        text = (" " if self.style.lang == "en" else "").join(s.text for s in sents)
        for line, _ in wrap(text, font, size, width, 0.0, self.rng):
            y -= size * 1.2
            self.c.setFont(font, size)
            self.c.drawString(x, y, line)
        return y

    def _draw_figure(self, fig: Figure, x: float, width: float, y: float) -> float:
        c = self.c
        lab = fig.labels
        rng = random.Random(lab["seed"])
        h = 100.0
        top = y - 4
        px, py, pw = x + 22, top - h, width - 30
        c.setLineWidth(0.6)
        c.rect(px, py, pw, h - 10, stroke=1, fill=0)
        small = CJK if self.style.lang == "zh" else "Helvetica"
        c.setFont(small, 7)
        panel = str(lab["panel"])
        c.drawCentredString(px + pw / 2, top - 8, panel)
        self.gold_extra.append(Sent(panel, "figure"))
        for i, (base, exp) in enumerate(zip(lab["ticks"], lab["exps"], strict=True)):
            tx = px + (i + 0.5) * pw / 4
            c.setFont("Helvetica", 6.5)
            c.drawString(tx - 4, py - 9, base)
            c.setFont("Helvetica", 4.5)
            c.drawString(tx + 3.5, py - 6, exp)
        for i, label in enumerate(["0", "25", "50", "75"]):
            c.setFont("Helvetica", 6.5)
            c.drawRightString(px - 2, py + i * (h - 10) / 4 + 2, label)
        c.saveState()
        c.translate(x + 8, py + (h - 10) / 2)
        c.rotate(90)
        c.setFont(small, 7)
        ylabel = "准确率（%）" if self.style.lang == "zh" else "Accuracy (%)"
        c.drawCentredString(0, 0, ylabel)
        c.restoreState()
        for k in range(lab["curves"]):
            jump = rng.uniform(0.3, 0.9)
            pts = []
            for s in range(12):
                u = s / 11
                v = 0.08 + (0.7 * (1 if u > jump else u * 0.1)) * rng.uniform(0.7, 1.0)
                pts.append((px + u * pw, py + v * (h - 10)))
            p = c.beginPath()
            p.moveTo(*pts[0])
            for pt in pts[1:]:
                p.lineTo(*pt)
            c.setStrokeGray(0.15 * k)
            c.drawPath(p, stroke=1, fill=0)
        c.setStrokeGray(0)
        c.setFont(small, 7)
        c.drawCentredString(px + pw / 2, py - 19, str(lab["x"]))
        self.gold_extra.append(Sent(str(lab["x"]), "figure"))
        legend = "  ".join(lab["legend"])
        c.setFont(small, 6)
        c.drawString(px + 4, py + h - 20, legend)
        self.gold_extra.append(Sent(legend, "figure"))
        self.gold_extra.append(Sent(ylabel, "figure"))
        return self._caption(fig.caption, x, width, py - 24)

    def _draw_table(self, tab: Table, x: float, width: float, y: float) -> float:
        c = self.c
        if tab.caption_above:
            y = self._caption(tab.caption, x, width, y) - 4
        font = CJK if self.style.lang == "zh" else "Helvetica"
        ncol = len(tab.rows[0])
        colw = width / ncol
        c.line(x, y, x + width, y)
        for r, row in enumerate(tab.rows):
            y -= 11
            for i, cell in enumerate(row):
                size = 6.5
                while pdfmetrics.stringWidth(cell, font, size) > colw - 3 and size > 4:
                    size -= 0.5
                c.setFont(font, size)
                c.drawString(x + i * colw + 1, y, cell)
            self.gold_extra.append(Sent(" ".join(row), "table"))
            if r == 0:
                c.line(x, y - 3, x + width, y - 3)
        c.line(x, y - 4, x + width, y - 4)
        y -= 6
        if not tab.caption_above:
            y = self._caption(tab.caption, x, width, y)
        return y

    def flush(self) -> None:
        while self.pending or self.pending_wide:
            if self.pending:
                if self.y - self._height(self.pending[0]) < self.bottom():
                    self.next_column()
                else:
                    self._draw_float(self.pending.pop(0))
            else:
                self.new_page()
        self.pages = self.page
        self.c.showPage()
        self.c.save()


def title_block(lay: Layout, title: str, authors: str, affil: str, emails: str) -> None:
    c = lay.c
    st = lay.style
    font = CJK if st.lang == "zh" else "Times-Bold"
    y = PAGE_H - 80
    for line, _ in wrap(title, font, 16, PAGE_W - 2 * MARGIN_X - 40, 0.0, lay.rng):
        c.setFont(font, 16)
        c.drawCentredString(PAGE_W / 2, y, line)
        y -= 20
    y -= 4
    for text, size in ((authors, 10.5), (affil, 8.5), (emails, 8.0)):
        if not text:
            continue
        f = CJK if st.lang == "zh" else ("Times-Roman" if size > 10 else "Times-Italic")
        c.setFont(f, size)
        c.drawCentredString(PAGE_W / 2, y, text)
        y -= size * 1.5
    lay.y = y - 10
    lay.col_top = lay.y


def footnote(lay: Layout, lines: list[str]) -> None:
    """First-page footnote at the bottom of the left column (not repeated on other pages)."""
    c = lay.c
    y = BODY_BOTTOM + 6 + 9 * len(lines)
    c.line(MARGIN_X, y + 6, MARGIN_X + 60, y + 6)
    font = CJK if lay.style.lang == "zh" else "Times-Roman"
    for line in lines:
        for piece, _ in wrap(line, font, 7, COL_W, 0.0, lay.rng):
            c.setFont(font, 7)
            c.drawString(MARGIN_X, y, piece)
            y -= 8.5
    return None


def make_paper(path: Path, index: int, seed: int, lang: str) -> tuple[list[Sent], int]:
    rng = random.Random(f"{seed}/paper/{index}")
    zh = lang == "zh"
    style = Style(
        lang=lang,
        numbered=zh or rng.random() < 0.4,
        heading_big=zh or rng.random() < 0.6,
        para_gap=rng.random() < 0.3,
        caption_label="图 {n}" if zh else rng.choice(["Figure {n}:", "Figure {n}.", "Fig. {n}."]),
        table_label="表 {n}" if zh else rng.choice(["Table {n}:", "Table {n}."]),
        body_font=CJK if zh else "Times-Roman",
        bold_font=CJK if zh else "Times-Bold",
        body_size=rng.choice([9.5, 10.0]),
    )
    target = rng.randint(5, 10)
    title = rng.choice(C.TITLES_ZH if zh else C.TITLES_EN)
    names = rng.sample(C.AUTHOR_NAMES_ZH if zh else C.AUTHOR_NAMES_EN, rng.randint(2, 4))
    authors = ("，" if zh else ", ").join(names)
    affil = rng.choice(C.AFFILIATIONS_ZH if zh else C.AFFILIATIONS_EN)
    surname = names[0][0] if zh else names[0].split()[-1]
    emails = (
        ""
        if zh
        else f"{{{names[0].split()[0].lower()}, {names[1].split()[0].lower()}}}@northfield.edu"
    )
    short = title.split("：")[0] if zh else title.split(":")[0]
    header_odd = short
    header_even = f"{surname}等" if zh else f"{surname} et al."
    extra = max(0, (target - 5) * 7)
    flow: list[Any] = []
    pages = 0
    for _attempt in range(6):
        flow, _filler = paper_flow(random.Random(f"{seed}/paper/{index}/flow"), style, extra)
        lay = Layout(
            path, style, random.Random(f"{seed}/paper/{index}/lay"), header_odd, header_even
        )
        lay.new_page()
        title_block(lay, title, authors, affil, emails)
        if zh:
            notes = [
                "通讯作者：" + names[0] + "，电子邮箱：author@northfield.edu.cn",
                "收稿日期：2024-03-01；基金项目：国家自然科学基金",
            ]
        else:
            notes = [
                "*Equal contribution. Correspondence to: " + names[0] + ".",
                rng.choice(
                    [
                        "Preprint. Under review.",
                        "Proceedings of the 41st International Conference on Machine Learning, Vienna, Austria. PMLR 235, 2024. Copyright 2024 by the author(s).",
                        "Published in Transactions on Machine Learning Research (08/2024).",
                    ]
                ),
            ]
        footnote(lay, notes)
        lay.first_page_bottom = BODY_BOTTOM + 6 + 9 * len(notes) + 16
        for item in flow:
            if isinstance(item, Heading):
                lay.heading(item.text)
            elif isinstance(item, Para):
                lay.para(item)
            else:
                lay.float_item(item)
        lay.flush()
        pages = lay.pages
        if pages < target and extra < 120:
            extra += max(2, (target - pages) * 7)
            continue
        if pages > target + 1 and extra > 0:
            extra = max(0, extra - (pages - target) * 6)
            continue
        break
    # the arXiv stamp on the side of page 1 is rotated text: gold, never read
    gold: list[Sent] = [
        Sent(title, "heading"),
        Sent(authors, "boilerplate"),
        Sent(affil, "boilerplate"),
    ]
    if emails:
        gold.append(Sent(emails, "boilerplate"))
    gold += [Sent(n, "footer") for n in notes]
    gold += [Sent(header_odd, "header"), Sent(header_even, "header")]
    for item in flow:
        if isinstance(item, Heading):
            gold.append(Sent(item.text, "heading"))
        elif isinstance(item, Para):
            gold += item.sents
        else:
            gold += item.caption
    gold += lay.gold_extra
    return gold, pages


# ---------------------------------------------------------------------------------------
# Notes


def make_note(path: Path, index: int, seed: int, lang: str) -> list[Sent]:
    rng = random.Random(f"{seed}/note/{index}")
    zh = lang == "zh"
    style = Style(lang, False, True, True, "Figure {n}:", "Table {n}:", "", "", 10.0)
    f = Filler(rng, style)
    _key, subject = rng.choice(C.NOTE_SUBJECTS_ZH if zh else C.NOTE_SUBJECTS)
    bank = C.CLAIMS_ZH if zh else C.CLAIMS_EN
    claims_all = [t for g in bank.values() for t in g]
    gold: list[Sent] = [Sent(subject, "heading")]
    out: list[str] = [
        "---",
        f"tags: [{'涌现, 大模型' if zh else 'llm, emergence'}]",
        f"created: 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "---",
        f"# {subject}",
        "",
    ]

    def add_line(s: Sent, fmt: str = "{}") -> None:
        gold.append(s)
        out.append(fmt.format(s.text))

    boiler = C.NOTE_BOILERPLATE_ZH if zh else C.NOTE_BOILERPLATE_EN
    add_line(Sent(boiler[0], "boilerplate"))
    out.append("")
    out.append("## 主要观点" if zh else "## Main claims")
    gold.append(Sent("主要观点" if zh else "Main claims", "heading"))
    for s in [f.fill(t, "claim") for t in rng.sample(claims_all, rng.randint(5, 9))]:
        if s:
            add_line(s, "- {}")
    out.append("")
    q = f.fill(rng.choice(claims_all), "claim")
    if q:
        add_line(q, "> {}")
        out.append("")
    out.append("## 实验设置" if zh else "## Setup")
    gold.append(Sent("实验设置" if zh else "Setup", "heading"))
    for s in f.pick(C.NOTE_METHODS_ZH if zh else C.NOTE_METHODS_EN, "methods", rng.randint(2, 4)):
        add_line(s, "- {}")
    out.append("")
    if rng.random() < 0.7:
        out.append(f"![[fig{rng.randint(1, 6)}.png]]")
        cap = f.fill(rng.choice(C.CAPTIONS_ZH if zh else C.CAPTIONS_EN), "caption")
        if cap:
            label = f"图 {rng.randint(1, 6)}：" if zh else f"Figure {rng.randint(1, 6)}: "
            add_line(Sent(label + cap.text, "caption"))
        out.append("")
    out.append("## 我的想法" if zh else "## My thoughts")
    gold.append(Sent("我的想法" if zh else "My thoughts", "heading"))
    para: list[Sent] = [s for s in (f.fill(t, "claim") for t in rng.sample(claims_all, 3)) if s]
    para.insert(
        rng.randint(0, len(para)),
        f.pick(C.QUESTIONS_ZH if zh else C.QUESTIONS_EN, "question", 1)[0],
    )
    gold += para
    out.append(("" if zh else " ").join(s.text for s in para))
    out.append("")
    out.append("## 待办" if zh else "## TODO")
    gold.append(Sent("待办" if zh else "TODO", "heading"))
    for s in f.pick(
        C.NOTE_REMINDERS_ZH if zh else C.NOTE_REMINDERS_EN, "question", rng.randint(2, 4)
    ):
        add_line(s, rng.choice(["- [ ] {}", "- {}"]))
    out.append("")
    # a reminder in the middle of prose, as people write them
    rem = f.pick(C.NOTE_REMINDERS_ZH if zh else C.NOTE_REMINDERS_EN, "question", 1)
    if rem:
        add_line(rem[0])
        out.append("")
    for b in rng.sample(boiler[1:], 2):
        add_line(Sent(b, "boilerplate"))
        out.append("")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return gold


# ---------------------------------------------------------------------------------------


def build(
    out: Path, papers: int, notes: int, seed: int, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    (out / "papers").mkdir(parents=True, exist_ok=True)
    (out / "notes").mkdir(parents=True, exist_ok=True)
    docs: list[dict[str, Any]] = []
    with (out / "gold.jsonl").open("w", encoding="utf-8") as gold_file:

        def write(doc: str, lang: str, sents: list[Sent]) -> None:
            for s in sents:
                row = {"doc": doc, "kind": s.kind, "lang": lang, "text": s.text}
                gold_file.write(json.dumps(row, ensure_ascii=False) + "\n")

        for i in range(papers):
            lang = "zh" if i % 5 == 4 else "en"
            rel = f"papers/p{i:03d}.pdf"
            gold, pages = make_paper(out / rel, i, seed, lang)
            write(rel, lang, gold)
            docs.append({"doc": rel, "lang": lang, "pages": pages})
            if progress:
                progress(rel)
        for i in range(notes):
            lang = "zh" if i % 5 in (1, 3) else "en"
            rel = f"notes/n{i:03d}.md"
            write(rel, lang, make_note(out / rel, i, seed, lang))
            docs.append({"doc": rel, "lang": lang, "pages": None})
    meta = {
        "seed": seed,
        "papers": papers,
        "notes": notes,
        "documents": docs,
        "pages": sum(d["pages"] or 0 for d in docs),
    }
    (out / "library.json").write_text(
        json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return meta


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=40)
    ap.add_argument("--notes", type=int, default=20)
    ap.add_argument("--out", type=Path, default=Path("bench/out/library"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    meta = build(args.out, args.papers, args.notes, args.seed)
    dt = time.perf_counter() - t0
    kinds: dict[str, int] = {}
    for line in (args.out / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        k = json.loads(line)["kind"]
        kinds[k] = kinds.get(k, 0) + 1
    zh = sum(1 for d in meta["documents"] if d["lang"] == "zh" and d["pages"])
    print(
        f"{args.papers} papers ({zh} Chinese, {meta['pages']} pages), {args.notes} notes "
        f"in {dt:.1f} s -> {args.out}"
    )
    print("gold sentences: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
