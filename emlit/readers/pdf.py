"""PDF papers: text in reading order, each block keeping the page it starts on.

pdfplumber gives words with positions. Per page we look for a gutter (a vertical strip in
the middle that no word crosses, except full-width rows such as the title) and read the
left column before the right one. Lines become paragraphs by vertical gaps, first-line
indents and sentence ends; bigger type makes headings. Lines repeating in the top or bottom
margin of several pages (running headers, page numbers) are dropped.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from emlit.errors import ReadError
from emlit.lang import detect_lang
from emlit.models import ParsedDocument
from emlit.readers.base import TextBuilder, read_bytes
from emlit.readers.text import cjk_like, join_lines

FORMAT = "pdf"

# Share of the page height that counts as top / bottom margin for running headers.
MARGIN = 0.07
# A heading's type is at least this much bigger than the body text.
HEADING_RATIO = 1.15
_PAGE_NUMBER = re.compile(
    r"^((page|p\.)\s*)?\d{1,4}(\s*(/|of)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$|^第\s*\d+\s*页",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^([•·▪●◦‣∙\-–*]|\(?\d{1,2}[.)]|\[\d{1,3}\])\s")
_SENTENCE_END = "。.！!？?：:；;"
_BAD_TITLES = re.compile(r"^(untitled|microsoft word\b|\s*$)", re.IGNORECASE)


@dataclass
class _Line:
    text: str
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    region: tuple[int, int]  # (page, zone within the page): a column or a full-width band
    left: float = 0.0  # the region's left and right edge
    right: float = 0.0
    page_height: float = 0.0


@dataclass
class _Para:
    lines: list[_Line] = field(default_factory=list)
    text: str = ""
    kind: str = "paragraph"


def read(path: Path) -> list[ParsedDocument]:
    data = read_bytes(path)
    if not data.strip():
        return [_document(path, [], {"warning": "empty file"})]
    if b"%PDF-" not in data[:1024]:
        raise ReadError(str(path), "not a readable PDF (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise ReadError(str(path), "not a readable PDF (truncated: no %%EOF marker at the end)")
    try:
        lines, meta, pages = _extract(data)
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on broken files
        cause = _root_cause(exc)
        if type(cause).__name__ == "PDFPasswordIncorrect":
            raise ReadError(str(path), "encrypted PDF (a password is needed)") from None
        reason = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
        reason = reason or type(cause).__name__
        raise ReadError(str(path), f"not a readable PDF ({reason[:200]})") from None
    metadata: dict[str, Any] = {"pages": pages}
    author = str(meta.get("Author") or "").strip()
    if author and author.lower() not in ("anonymous", "unknown"):
        metadata["author"] = author
    if not lines:
        metadata["warning"] = "no text layer (a scanned PDF?); OCR is not supported"
    doc = _document(path, _paragraphs(_drop_running_lines(lines, pages)), metadata)
    doc.title = _clean_title(meta.get("Title")) or _title_from_type(lines) or path.stem
    return [doc]


def _root_cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's errors; the inner one says what is wrong."""
    while True:
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        inner = inner or exc.__cause__ or exc.__context__
        if inner is None or inner is exc:
            return exc
        exc = inner


def _document(path: Path, paras: list[_Para], metadata: dict[str, Any]) -> ParsedDocument:
    builder = TextBuilder()
    section: str | None = None
    for para in paras:
        if para.kind == "heading":
            section = para.text
        builder.add(para.text, para.kind, section, para.lines[0].page)
    if builder.text:
        metadata["lang"] = detect_lang(builder.text)
    return ParsedDocument(
        path=str(path),
        format=FORMAT,
        text=builder.text,
        blocks=builder.blocks,
        metadata=metadata,
    )


def _extract(data: bytes) -> tuple[list[_Line], dict[str, Any], int]:
    import pdfplumber  # heavy (pdfminer); only when a PDF turns up

    lines: list[_Line] = []
    with pdfplumber.open(BytesIO(data)) as pdf:
        meta = dict(pdf.metadata or {})
        for number, page in enumerate(pdf.pages, 1):
            words = [
                w
                for w in page.extract_words(extra_attrs=["size"], x_tolerance_ratio=0.15)
                if w.get("upright", True)
            ]
            lines.extend(_page_lines(words, number, float(page.height), float(page.width)))
            page.close()  # frees the page's parsed objects: long papers stay small in memory
        return lines, meta, len(pdf.pages)


def _page_lines(words: list[dict[str, Any]], page: int, height: float, width: float) -> list[_Line]:
    """The page's lines in reading order: full-width bands and, between them, left then right."""
    gutter = _find_gutter(words, width)
    if gutter is None:
        return _lines(words, (page, 0), height)
    spanning = [w for w in words if w["x0"] < gutter < w["x1"]]
    bands = _merge([(w["top"], w["bottom"]) for w in spanning])
    zones: dict[int, list[dict[str, Any]]] = {}
    for w in words:
        zone = 0
        for k, (top, bottom) in enumerate(bands):
            if w["top"] < bottom and w["bottom"] > top:
                zone = 3 * k + 1  # inside band k
                break
            if bottom <= w["top"]:
                zone = 3 * (k + 1)  # in the columns after band k
        if zone % 3 == 0 and w["x0"] >= gutter:
            zone += 2  # right column reads after the left one
        zones.setdefault(zone, []).append(w)
    out: list[_Line] = []
    for zone in sorted(zones):
        out.extend(_lines(zones[zone], (page, zone), height))
    return out


def _find_gutter(words: list[dict[str, Any]], width: float) -> float | None:
    """The x of a vertical strip in the middle third that (almost) no word crosses."""
    if len(words) < 10:  # rows are checked below; CJK lines are often one "word" each
        return None
    best: tuple[int, int, float] | None = None  # (crossings, -run length, x)
    run_start, run_cross = None, -1
    x = width * 0.35
    samples: list[tuple[float, int]] = []
    while x <= width * 0.65:
        samples.append((x, sum(1 for w in words if w["x0"] - 1 < x < w["x1"] + 1)))
        x += 1.0
    for i, (_x, cross) in enumerate([*samples, (width, 10**9)]):
        if cross != run_cross:
            if run_start is not None and i > run_start:
                length = i - run_start
                mid = samples[run_start + length // 2][0]
                cand = (run_cross, -length, mid)
                if best is None or cand < best:
                    best = cand
            run_start, run_cross = i, cross
    if best is None:
        return None
    crossings, neg_len, gutter = best
    left_rows = {round(w["top"]) for w in words if w["x1"] <= gutter}
    right_rows = {round(w["top"]) for w in words if w["x0"] >= gutter}
    if len(left_rows) < 5 or len(right_rows) < 5 or -neg_len < 4:
        return None
    if crossings > 0.25 * min(len(left_rows), len(right_rows)):
        return None
    return gutter


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for top, bottom in sorted(spans):
        if merged and top <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


def _lines(words: list[dict[str, Any]], region: tuple[int, int], height: float) -> list[_Line]:
    rows: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(w["top"] - rows[-1][0]["top"]) <= 0.5 * (w["bottom"] - w["top"]):
            rows[-1].append(w)
        else:
            rows.append([w])
    lines: list[_Line] = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        text = row[0]["text"]
        for w in row[1:]:
            # Words on one line were apart on the page: a space, except between Han characters.
            glue = "" if cjk_like(text[-1]) and cjk_like(w["text"][0]) else " "
            text += glue + w["text"]
        lines.append(
            _Line(
                text=text,
                page=region[0],
                top=min(w["top"] for w in row),
                bottom=max(w["bottom"] for w in row),
                x0=row[0]["x0"],
                x1=row[-1]["x1"],
                size=statistics.median(float(w.get("size", 0.0)) for w in row),
                region=region,
                page_height=height,
            )
        )
    if lines:
        left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
        for ln in lines:
            ln.left, ln.right = left, right
    return lines


def _drop_running_lines(lines: list[_Line], pages: int) -> list[_Line]:
    """Drop page numbers, and header/footer lines that repeat in the margins of many pages."""

    def in_margin(ln: _Line) -> bool:
        return ln.top < ln.page_height * MARGIN or ln.bottom > ln.page_height * (1 - MARGIN)

    def key(ln: _Line) -> str:
        return re.sub(r"\d+", "#", ln.text.strip().lower())

    seen = Counter(k for k, _ in {(key(ln), ln.page) for ln in lines if in_margin(ln)})
    needed = max(2, pages // 2)
    return [
        ln
        for ln in lines
        if not (
            in_margin(ln)
            and (_PAGE_NUMBER.match(ln.text.strip()) or (pages > 1 and seen[key(ln)] >= needed))
        )
    ]


def _paragraphs(lines: list[_Line]) -> list[_Para]:
    if not lines:
        return []
    body = _body_size(lines)
    paras: list[_Para] = []
    for i, ln in enumerate(lines):
        prev = lines[i - 1] if i else None
        heading = ln.size >= body * HEADING_RATIO and len(ln.text) <= 150
        cur = paras[-1] if paras else None
        if heading:
            if (
                cur
                and cur.kind == "heading"
                and prev
                and prev.region == ln.region
                and abs(prev.size - ln.size) < 0.5
                and ln.top - prev.bottom < 0.8 * (ln.bottom - ln.top)
            ):
                cur.text = join_lines(cur.text, ln.text)  # a title over two lines
                cur.lines.append(ln)
            else:
                paras.append(_Para([ln], ln.text, "heading"))
            continue
        if cur is None or cur.kind == "heading" or prev is None or _starts_paragraph(prev, ln, cur):
            paras.append(_Para([ln], ln.text))
        else:
            cur.text = join_lines(cur.text, ln.text)
            cur.lines.append(ln)
    return paras


def _starts_paragraph(prev: _Line, ln: _Line, cur: _Para) -> bool:
    ended = cur.text.rstrip()[-1:] in _SENTENCE_END
    if _BULLET.match(ln.text):
        return True
    if prev.region != ln.region:
        return ended  # a sentence running on into the next column or page continues
    line_height = max(prev.bottom - prev.top, 1.0)
    if ln.top - prev.bottom > 0.8 * line_height:
        return True  # a blank gap
    column = max(ln.right - ln.left, 1.0)
    if ended and prev.x1 < ln.right - 0.15 * column:
        return True  # the last line of a paragraph stops short
    return ended and ln.x0 > ln.left + 0.02 * column + 4  # first-line indent


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[round(ln.size, 1)] += len(ln.text)
    return weights.most_common(1)[0][0]


def _clean_title(value: Any) -> str | None:
    if not isinstance(value, str | bytes):
        return None
    title = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    title = title.strip()
    return None if _BAD_TITLES.match(title) or len(title) < 4 else title


def _title_from_type(lines: list[_Line]) -> str | None:
    """The biggest type in the top half of the first page with text."""
    first = [ln for ln in lines if ln.page == lines[0].page and ln.top < ln.page_height / 2]
    if not first:
        return None
    biggest = max(ln.size for ln in first)
    if biggest < _body_size(lines) * HEADING_RATIO:
        return None
    return " ".join(ln.text for ln in first if ln.size == biggest)[:300]
