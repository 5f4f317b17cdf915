"""PDF papers: text in reading order, each block keeping the page it starts on.

PDFium (pypdfium2) gives the page's characters; we cut them into words with boxes. Per page
we look for a gutter (a vertical strip in the middle that no word crosses, except
full-width rows such as the title) and read the left column before the right one. Lines
become paragraphs by vertical gaps, first-line indents and sentence ends; bigger type makes
headings. Lines repeating in the top or bottom margin of several pages (running headers,
page numbers) are dropped.
"""

from __future__ import annotations

import ctypes
import math
import re
import statistics
import threading
from collections import Counter
from dataclasses import dataclass, field
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
# A line that is only the name of the reference list starts a section even in body-size type.
_REFERENCES = re.compile(
    r"^(?:\d+\.?\s*)?(?:references|bibliography|works cited|literature cited|参考文献|参考资料)$",
    re.IGNORECASE,
)


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
    except Exception as exc:  # PDFium's load errors, and anything else a broken file causes
        if getattr(exc, "err_code", None) == _ERR_PASSWORD:
            raise ReadError(str(path), "encrypted PDF (a password is needed)") from None
        raise ReadError(str(path), f"not a readable PDF ({_reason(exc)})") from None
    metadata: dict[str, Any] = {"pages": pages}
    author = str(meta.get("Author") or "").strip()
    if author and author.lower() not in ("anonymous", "unknown"):
        metadata["author"] = author
    if not lines:
        metadata["warning"] = "no text layer (a scanned PDF?); OCR is not supported"
    doc = _document(path, _paragraphs(_drop_running_lines(lines, pages)), metadata)
    doc.title = _clean_title(meta.get("Title")) or _title_from_type(lines) or path.stem
    return [doc]


def _reason(exc: BaseException) -> str:
    """PDFium says "Failed to load document (PDFium: Data format error)."; keep the cause."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    found = re.search(r"\(PDFium: (.+?)\)\.?$", text)
    reason = (found[1] if found else text) or type(exc).__name__
    return reason[:200]


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


# PDFium is not thread-safe: one document at a time per process (Dask runs tasks in threads).
_PDFIUM_LOCK = threading.Lock()
_ERR_PASSWORD = 4  # FPDF_ERR_PASSWORD
# A word: characters up to a space or line break (PDFium generates both), with a line-end
# hyphen kept at its end (PDFium leaves out the line break after one).
_WORD = re.compile("[^\\s\u200b\x02]+\x02?|\x02")


def _extract(data: bytes) -> tuple[list[_Line], dict[str, Any], int]:
    import pypdfium2 as pdfium  # only when a PDF turns up

    lines: list[_Line] = []
    with _PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            meta = pdf.get_metadata_dict(skip_empty=True)
            pages = len(pdf)
            for number in range(pages):
                page = pdf[number]
                try:
                    words, height, width = _page_words(page)
                finally:
                    page.close()  # frees the page's parsed objects: long papers stay small
                lines.extend(_page_lines(words, number + 1, height, width))
        finally:
            pdf.close()
    return lines, meta, pages


def _page_words(page: Any) -> tuple[list[dict[str, Any]], float, float]:
    """The upright words of a page with their boxes, in the page's top-down coordinates as
    pdfplumber gave them (x0/x1 from the left, top/bottom from the top, size in points),
    and the page's height and width as shown.

    One PDFium call reads the page's text; a word is a run of characters between spaces
    (PDFium inserts spaces for gaps and line breaks for new lines). Only a word's first and
    last character are asked for their boxes, and the first for its size and direction.
    """
    import pypdfium2.raw as raw

    left, bottom, right, top = page.get_mediabox()
    rotation = page.get_rotation() % 360
    # PDF user space (origin bottom left) to the page as shown (origin top left):
    # X = ax * x + bx * y + cx, Y = ay * x + by * y + cy.
    ax, bx, cx, ay, by, cy = {
        90: (0, 1, -bottom, 1, 0, -left),
        180: (-1, 0, right, 0, 1, -bottom),
        270: (0, -1, top, -1, 0, right),
    }.get(rotation, (1, 0, -left, 0, -1, top))
    width, height = (
        (top - bottom, right - left) if rotation in (90, 270) else (right - left, top - bottom)
    )
    turns = rotation // 90

    helper = page.get_textpage()
    textpage = helper.raw  # the bare handle: cheaper to pass to PDFium a few thousand times
    try:
        n = raw.FPDFText_CountChars(textpage)
        if n <= 0:
            return [], height, width
        text = _page_text(textpage, n)
        rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        rect_p, matrix_p = ctypes.byref(rect), ctypes.byref(matrix)
        get_box, get_matrix = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetMatrix
        get_size = raw.FPDFText_GetFontSize
        words: list[dict[str, Any]] = []

        def box(i: int) -> tuple[float, float, float, float]:
            """(x0, top, x1, bottom) of character i as shown."""
            get_box(textpage, i, rect_p)
            x_a = ax * rect.left + bx * rect.bottom + cx
            x_b = ax * rect.right + bx * rect.top + cx
            y_a = ay * rect.left + by * rect.bottom + cy
            y_b = ay * rect.right + by * rect.top + cy
            return min(x_a, x_b), min(y_a, y_b), max(x_a, x_b), max(y_a, y_b)

        def word(start: int, end: int, whole: bool = False) -> None:
            """Characters start..end-1 (no spaces among them) as one word, if upright."""
            get_matrix(textpage, start, matrix_p)
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
            for _ in range(turns):  # the page is turned when shown: so is its text
                a, b, c, d = b, -a, d, -c
            if not (a * d > 0 and b * c <= 0):
                return  # rotated or mirrored text (arXiv side stamps): not read
            size = get_size(textpage, start) * math.hypot(c, d)
            x0, _, x1, y0 = box(start)
            y1 = y0
            if end - start > 1:
                _, _, x1, y1 = box(end - 1)
            if not whole and (x1 < x0 or abs(y1 - y0) > 0.5 * max(size, 1.0)):
                # Not one piece of one line (PDFium left out a line break): cut it where a
                # character starts further left or on another line.
                cuts = [start]
                for i in range(start + 1, end):
                    px, _, _, py = box(i - 1)
                    qx, _, _, qy = box(i)
                    if qx < px or abs(qy - py) > 0.5 * max(size, 1.0):
                        cuts.append(i)
                for lo, hi in zip(cuts, [*cuts[1:], end], strict=True):
                    word(lo, hi, whole=True)
                return
            words.append(
                {
                    "text": text[start:end].replace("\x02", "-"),
                    "x0": min(x0, x1),
                    "x1": max(x0, x1),
                    # pdfplumber's box: from the font's descent up one em (PDFium's loose
                    # box is taller by the font's own ascent and descent).
                    "top": y0 - size,
                    "bottom": y0,
                    "size": size,
                    "upright": True,
                }
            )

        for found in _WORD.finditer(text):
            word(found.start(), found.end())
        return words, height, width
    finally:
        helper.close()


def _page_text(textpage: Any, n: int) -> str:
    """The page's characters, one per character index (PDFium's own list, with the spaces and
    line breaks it generates); a line-end hyphen is "\\x02"."""
    import pypdfium2.raw as raw

    buffer = (ctypes.c_ushort * (n + 1))()
    written = raw.FPDFText_GetText(textpage, 0, n, buffer)
    units = memoryview(buffer)[: max(written - 1, 0)]
    text = bytes(units).decode("utf-16-le", errors="replace")
    if len(text) == n and len(units) == n:
        # GetText writes U+FFFE where the character list has a line-end hyphen.
        return text.replace("\ufffe", "\x02")
    # Characters outside the Basic Multilingual Plane (two UTF-16 units): one by one.
    return "".join(chr(raw.FPDFText_GetUnicode(textpage, i) or 0xFFFD) for i in range(n))


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
    import numpy as np

    x = width * 0.35
    xs: list[float] = []
    while x <= width * 0.65:
        xs.append(x)
        x += 1.0
    # How many words cross each sampled x: one vectorised comparison of samples by words.
    x0 = np.fromiter((w["x0"] - 1 for w in words), dtype=np.float64, count=len(words))
    x1 = np.fromiter((w["x1"] + 1 for w in words), dtype=np.float64, count=len(words))
    at = np.asarray(xs)[:, None]
    counts = ((x0[None, :] < at) & (at < x1[None, :])).sum(axis=1)
    samples = list(zip(xs, counts.tolist(), strict=True))
    for i, (_x, cross) in enumerate([*samples, (width, 10**9)]):
        if cross != run_cross:
            if run_start is not None and i > run_start:
                length = i - run_start
                mid = samples[run_start + length // 2][0]
                cand = (run_cross, -length, mid)
                # a strip narrower than 4 pt is a gap between two words, not a gutter
                if length >= 4 and (best is None or cand < best):
                    best = cand
            run_start, run_cross = i, cross
    if best is None:
        return None
    crossings, neg_len, gutter = best
    left_rows = {round(w["top"]) for w in words if w["x1"] <= gutter}
    right_rows = {round(w["top"]) for w in words if w["x0"] >= gutter}
    if len(left_rows) < 5 or len(right_rows) < 5 or -neg_len < 4:
        return None
    # Full-width rows (title, wide figures and their captions) cross the gutter; a page
    # full of figures has few rows in one column, so compare with the fuller column.
    if crossings > 0.25 * max(len(left_rows), len(right_rows)):
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
        heading = (ln.size >= body * HEADING_RATIO and len(ln.text) <= 150) or bool(
            _REFERENCES.match(ln.text.strip())
        )
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
    weights: dict[float, float] = {}
    for ln in lines:
        # By the width the line covers: counting characters lets Latin text in small type
        # (a long reference list in a Chinese paper) outweigh the Chinese body text.
        size = round(ln.size, 1)
        weights[size] = weights.get(size, 0.0) + max(ln.x1 - ln.x0, 1.0)
    return max(weights, key=lambda size: weights[size])


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
