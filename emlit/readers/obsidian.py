"""Obsidian, Logseq and Zotero conventions layered on top of CommonMark.

Pure functions over strings: callout headers, inline fields, block ids, comments, tags,
PDF page references and Zotero annotation citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

# ``[!note] Title``, ``[!PDF|yellow] [[paper.pdf#page=3|...]]``, ``[!tip]- Folded``.
CALLOUT = re.compile(r"^\[!([^\]|\s]+)(?:\|([^\]]*))?\][+-]?[ \t]*")
PDF_CALLOUT_TYPES = frozenset({"pdf", "pdf-annotation", "annotation"})
# Dataview / Logseq ``key:: value`` on a line of its own; a key is a short name, not a
# sentence (``The following::`` or ``a, b:: c`` stay text).
FIELD_LINE = re.compile(r"^\s*([^\s:\[\](){}#][^:\n,.;!?，。；！？]{0,60}?)::[ \t]+(\S.*?)\s*$")
# A block id ``^abc-123`` at the end of a line (or alone on it).
BLOCK_ID = re.compile(r"(?:^|[ \t]+)\^[A-Za-z0-9][A-Za-z0-9-]*[ \t]*$", re.MULTILINE)
# Logseq block references ``((64a0c1d2-...))``.
BLOCK_REF = re.compile(r"\(\([0-9A-Za-z][0-9A-Za-z-]{5,}\)\)")
TASK_BOX = re.compile(r"^\[[ xX/-]\][ \t]+")
# ``#tag`` and ``#nested/tag``; a tag is not all digits (``#1`` is an issue number).
TAG = re.compile(r"(?:^|(?<=[\s(\[（【，。、；：]))#([\w/-]+)")
URL = re.compile(r"\bhttps?://[^\s<>\"'()\[\]{}，。；、）】“”]+")
PAGE_IN_TARGET = re.compile(r"[#&?]page=(\d+)", re.IGNORECASE)
PAGE_IN_CITATION = re.compile(r"\bpp?\.\s*(\d+)")
IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif", ".tif", ".tiff", ".heic"}
)

# Zotero's note export: “quote” ([Author, 2022, p. 3](zotero://...)) ([pdf](zotero://...)) comment
ZOTERO_CITE = re.compile(r"\(\[([^\]]*)\]\((zotero://[^)\s]+)\)\)")
ZOTERO_QUOTE = re.compile(r"^\s*[“\"](?P<quote>.*?)[”\"]\s*(?=\(\[[^\]]*\]\(zotero://)", re.DOTALL)

# The Obsidian Annotator plugin wraps the highlight in %%PREFIX%% ... %%POSTFIX%% markers.
ANNOTATOR_HIGHLIGHT = re.compile(
    r"\*?%%PREFIX%%.*?%%HIGHLIGHT%%\s*==(?P<text>.*?)==\s*%%POSTFIX%%.*?(?:\*|$)"
)
ANNOTATOR_MARKER = re.compile(r"^(\s*>?\s*)%%(?:LINK%%.*|COMMENT%%|TAGS%%)\s*$")
ANNOTATOR_OPEN = re.compile(r"^\s*>\s*%%\s*$")
ANNOTATOR_JSON = re.compile(r"^\s*>\s*```annotation-json\s*$")
ANNOTATOR_SOURCE = re.compile(r'"source"\s*:\s*"([^"]+)"')


@dataclass
class ZoteroAnnotation:
    """One Zotero annotation line split into the quoted text, the comment and the citations."""

    quote: str | None  # the highlighted text (Markdown), without its quotation marks
    comment: str  # what follows the citations (Markdown), may be empty
    citations: list[tuple[str, str]] = field(default_factory=list)  # (text, zotero uri)

    @property
    def page(self) -> int | None:
        for text, uri in self.citations:
            found = PAGE_IN_CITATION.search(text) or PAGE_IN_TARGET.search(uri)
            if found:
                return int(found.group(1))
        return None


def callout_type(content: str) -> str | None:
    """The callout type of a blockquote's first line (``note``, ``pdf``), or None."""
    found = CALLOUT.match(content)
    return found.group(1).lower() if found else None


def strip_callout_marker(header: str) -> str:
    return CALLOUT.sub("", header, count=1).strip()


def split_fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Take ``key:: value`` lines out of a block; return the rest and the fields in order."""
    kept: list[str] = []
    fields: list[tuple[str, str]] = []
    for line in text.split("\n"):
        found = FIELD_LINE.match(line)
        if found:
            fields.append((found.group(1).strip(), (found.group(2) or "").strip()))
        else:
            kept.append(line)
    return "\n".join(kept), fields


def strip_block_ids(text: str) -> str:
    return BLOCK_ID.sub("", text)


def strip_task_box(text: str) -> str:
    return TASK_BOX.sub("", text, count=1)


def find_tags(text: str) -> list[str]:
    return [tag for tag in TAG.findall(text) if not tag.replace("/", "").isdigit()]


def find_urls(text: str) -> list[str]:
    return [url.rstrip(".,;:!?") for url in URL.findall(text)]


def page_of(target: str, label: str = "") -> int | None:
    """The page of a PDF link: ``paper.pdf#page=3&selection=...`` or a ``p. 3`` label."""
    found = PAGE_IN_TARGET.search(target) or PAGE_IN_CITATION.search(label)
    return int(found.group(1)) if found else None


def note_target(target: str) -> str:
    """``note#heading`` / ``paper.pdf#page=3`` -> the linked file or note, URL-decoded."""
    return unquote(target.split("#", 1)[0].split("?", 1)[0]).strip()


def is_image(target: str) -> bool:
    name = note_target(target).lower()
    return any(name.endswith(suffix) for suffix in IMAGE_SUFFIXES)


def split_zotero(content: str) -> ZoteroAnnotation | None:
    """Split a paragraph exported from Zotero; None when it cites nothing in Zotero."""
    citations = [(m.group(1), m.group(2)) for m in ZOTERO_CITE.finditer(content)]
    if not citations:
        return None
    quoted = ZOTERO_QUOTE.match(content)
    quote = quoted.group("quote") if quoted else None
    rest = content[quoted.end() :] if quoted else content
    comment = ZOTERO_CITE.sub("", rest).strip()
    return ZoteroAnnotation(quote, comment, citations)


def is_annotator_start(line: str, next_line: str) -> bool:
    """``>%%`` followed by ``>```annotation-json``: an Obsidian Annotator annotation."""
    return bool(ANNOTATOR_OPEN.match(line) and ANNOTATOR_JSON.match(next_line))


def annotator_header(json_lines: list[str]) -> str:
    """The callout header standing in for an Annotator block's hidden JSON."""
    found = ANNOTATOR_SOURCE.search(" ".join(json_lines))
    if not found:
        return "> [!annotation]"
    source = found.group(1)
    if source.startswith("vault:/"):
        return f"> [!annotation] [[{source.removeprefix('vault:/')}]]"
    return f"> [!annotation] <{source}>"


def annotator_line(line: str) -> str:
    """An Annotator highlight becomes a nested quote (the annotation); marker lines go."""
    if "%%" not in line:
        return line
    marker = ANNOTATOR_MARKER.match(line)
    if marker:
        return marker.group(1).rstrip()
    found = ANNOTATOR_HIGHLIGHT.search(line)
    if found:
        prefix = line[: found.start()].rstrip()
        return f"{prefix} > {found.group('text')}" if prefix else f"> {found.group('text')}"
    return line


def strip_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """Remove ``%% ... %%`` comments from a line; comments may span lines."""
    if "%%" not in line:
        if in_comment:  # keep a quote's ``>`` so a comment does not split the quote
            return (">" if line.lstrip().startswith(">") else ""), in_comment
        return line, in_comment
    parts = line.split("%%")
    kept = []
    for i, part in enumerate(parts):
        if i:
            in_comment = not in_comment
        if not in_comment:
            kept.append(part)
    return "".join(kept), in_comment
