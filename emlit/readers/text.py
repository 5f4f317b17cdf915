"""Plain text: notes saved as .txt and articles scraped from the web.

A file that opens with YAML frontmatter is a note and goes to the Markdown reader. Anything
else is split on blank lines into paragraphs; bullet lines become list items, short
title-like lines on their own become headings, and page chrome (ads, share prompts,
related-reading link farms, footers) is dropped by ``boilerplate.chrome_mask``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emlit.lang import detect_lang, is_cjk
from emlit.models import ParsedDocument
from emlit.readers.base import TextBuilder, decode_text, read_bytes
from emlit.readers.boilerplate import RELATED_MARKER, Candidate, chrome_mask

FORMAT = "text"

# Symbol bullets need a space after them; numbered ones may run straight into Chinese text.
_BULLET = re.compile(
    r"^(?P<indent>[ \t]*)(?:(?P<sym>[•·▪●◦‣∙○■□➢►✓✔]\s*|[-*+]\s+)"
    r"|(?P<num>\d{1,3}[.)、](?!\d)\s*|[（(]\d{1,3}[）)]\s*|[①-⑳]\s*))(?P<rest>\S.*)$"
)
_HAS_WORD = re.compile(r"[^\W_]")
_MARKDOWN_HEADING = re.compile(r"\A\s*#{1,6} \S")
_SENTENCE_END = "。.！!？?；;"
_NO_HEADING_PUNCT = re.compile(r"[。，,；;：:！!、]")
_NUMBER_PREFIX = re.compile(r"^\s*(\d{1,3}[.)、]|[（(]\d{1,3}[）)]|[①-⑳])\s*")


@dataclass
class _Item:
    kind: str  # paragraph | list_item | heading | table
    text: str
    indent: int = 0
    numbered: bool = False
    alone: bool = False  # the only line of its blank-line-separated chunk


def read(path: Path) -> list[ParsedDocument]:
    text = decode_text(read_bytes(path), str(path))
    if _MARKDOWN_HEADING.match(text):
        # A Markdown note saved as .txt (no frontmatter, but an ATX heading on top).
        from emlit.readers import markdown

        return markdown.read(path)
    if text.startswith(("---", "+++")):
        # A note with frontmatter is Markdown whatever its suffix (Obsidian, Jekyll); a
        # broken frontmatter is reported by split_frontmatter as a ReadError.
        from emlit.readers import markdown
        from emlit.readers.frontmatter import split_frontmatter

        front, _body, _offset = split_frontmatter(text, str(path))
        if front is not None:
            return markdown.read(path)
    return [parse_text(text, str(path), default_title=path.stem)]


def parse_text(text: str, path: str, default_title: str | None = None) -> ParsedDocument:
    """Turn scraped or plain text into a document with blocks; chrome dropped."""
    items = _promote_headings(_items(text))
    drop = chrome_mask([Candidate(it.text, it.kind) for it in items])
    title = _repeated_title(items) or next(
        (
            _NUMBER_PREFIX.sub("", it.text)
            for it, d in zip(items, drop, strict=True)
            if it.kind == "heading" and not d
        ),
        default_title,
    )
    builder = TextBuilder()
    section: str | None = None
    for item, dropped in zip(items, drop, strict=True):
        if dropped:
            continue
        if item.kind == "heading":
            section = item.text
        builder.add(item.text, item.kind, section)
    metadata: dict[str, Any] = {"lang": detect_lang(builder.text)} if builder.text else {}
    dropped_count = sum(drop)
    if dropped_count:
        metadata["dropped_blocks"] = dropped_count
    return ParsedDocument(
        path=path,
        format=FORMAT,
        text=builder.text,
        blocks=builder.blocks,
        title=title,
        metadata=metadata,
    )


def join_lines(left: str, right: str) -> str:
    """Join two lines of one paragraph: de-hyphenate, and no space between CJK characters."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right:
        return left + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[0].islower():
        return left[:-1] + right
    if cjk_like(left[-1]) or cjk_like(right[0]):
        return left + right
    return left + " " + right


def cjk_like(char: str) -> bool:
    """A Han character or full-width punctuation: no space is needed next to it."""
    return is_cjk(char) or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"


def _chunks(text: str) -> list[list[str]]:
    chunks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if current:
                chunks.append(current)
                current = []
        elif _HAS_WORD.search(line):  # lines of only punctuation (">", "***") are separators
            current.append(line.rstrip())
    if current:
        chunks.append(current)
    return chunks


def _items(text: str) -> list[_Item]:
    items: list[_Item] = []
    for chunk in _chunks(text):
        if _is_table(chunk):
            items.append(_Item("table", "\n".join(line.strip() for line in chunk)))
            continue
        width = max(_display_len(line.strip()) for line in chunk)
        start = len(items)
        for line in chunk:
            m = _BULLET.match(line)
            indent = len(line) - len(line.lstrip())
            last = items[-1] if len(items) > start else None
            if m:
                items.append(_Item("list_item", m["rest"].strip(), indent, bool(m["num"])))
            elif last and last.kind == "list_item" and indent > last.indent:
                last.text = join_lines(last.text, line)  # continuation of the item
            elif last and last.kind == "paragraph" and _wrapped(last.text, width):
                last.text = join_lines(last.text, line)
            else:
                items.append(_Item("paragraph", line.strip(), indent))
        if len(chunk) == 1 and len(items) == start + 1:
            items[-1].alone = True
    return items


def _wrapped(previous: str, width: int) -> bool:
    """Does the paragraph go on on the next line (hard-wrapped), or did it end here?"""
    last_line = previous.rstrip()
    return (
        width >= 30
        and _display_len(last_line.split("\n")[-1]) >= 0.6 * width
        and last_line[-1] not in _SENTENCE_END + "：:"
    )


def _display_len(line: str) -> int:
    """Columns on screen: a Han character is as wide as two Latin letters."""
    return len(line) + sum(1 for c in line if cjk_like(c))


def _is_table(chunk: list[str]) -> bool:
    """A scraped table: its cells run together, one row per line, a short header row first.

    Four or more lines, none a sentence or a bullet, and a header shorter than the typical
    row. A note of short unpunctuated lines (common in Chinese notes) has no such header
    and stays paragraphs, which can hold claims.
    """
    if len(chunk) < 4 or any(_BULLET.match(line) for line in chunk):
        return False
    if RELATED_MARKER.match(chunk[0].strip()):  # a list of headlines, not a table
        return False
    rows = [line.strip() for line in chunk]
    if not all(len(r) <= 120 and r[-1] not in _SENTENCE_END + "：:" for r in rows):
        return False
    typical = sorted(len(r) for r in rows[1:])[len(rows[1:]) // 2]
    return len(rows[0]) < 0.75 * typical


def _title_like(text: str) -> bool:
    core = _NUMBER_PREFIX.sub("", text).strip()
    if not core or _NO_HEADING_PUNCT.search(core.rstrip("?？")):
        return False
    if any(is_cjk(c) for c in core):
        return len(core) <= 40
    return (
        len(core) <= 80
        and len(core.split()) <= 12
        and core[-1] not in _SENTENCE_END.replace("?", "")
    )


def _promote_headings(items: list[_Item]) -> list[_Item]:
    """A short title-like line standing alone before more text is a heading.

    A numbered line counts too ("1. 涌现能力的定义") when it is flush left and the next line
    is not the next item of the same numbered list.
    """
    for i, item in enumerate(items[:-1]):
        if not item.alone or not _title_like(item.text):
            continue
        nxt = items[i + 1]
        flush_numbered = item.numbered and item.indent == 0
        if item.kind == "paragraph" or (flush_numbered and not (nxt.numbered and nxt.indent == 0)):
            item.kind = "heading"
    return items


def _repeated_title(items: list[_Item]) -> str | None:
    """Scraped pages often print the title twice near the top (breadcrumb, then h1)."""
    seen: set[str] = set()
    for item in items[:10]:
        if item.kind in ("heading", "paragraph") and _title_like(item.text):
            if item.text in seen:
                return item.text
            seen.add(item.text)
    return None
