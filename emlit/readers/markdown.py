"""Markdown notes (Obsidian, Logseq, Zotero exports, Jekyll/Hugo posts) -> one ParsedDocument.

The stored ``text`` is the note's blocks in order, separated by blank lines, normalised so
that claims can be quoted as ``text[start:end]``:

- frontmatter (YAML ``---`` or TOML ``+++``) goes to ``metadata``, not to the text;
- inline markup is removed, its text kept: ``**bold**``, ``*em*``, ``==mark==``, ``~~del~~``,
  `` `code` ``, ``<span ...>x</span>``; links ``[text](url)`` keep ``text``;
  ``[[target|alias]]`` keeps ``alias`` (else the target, ``#`` read as a space);
- images are dropped: ``![alt](url)``, ``![[pic.png]]``; other embeds ``![[note]]`` are
  dropped from the text and kept as links;
- every paragraph, list item (nested ones too) and table is its own block; soft line breaks
  inside a block are kept as ``\\n``;
- block ids ``^abc123``, ``key:: value`` lines (to ``metadata["fields"]``), task boxes
  ``[ ]``, ``%% comments %%``, HTML comments, Liquid ``{% %}``/``{{ }}``, kramdown ``{:toc}``
  (with the ``* content`` item it replaces), Hugo shortcodes, Logseq ``((block refs))`` and
  Zotero citation links are dropped; ``$math$`` is kept as written.

Block kinds: heading, paragraph, list_item, quote (anything inside ``>``), callout
(``> [!note]``, its title its own block; the comment after a PDF++ highlight), annotation
(PDF++ ``> [!PDF|yellow]`` quotes, Obsidian Annotator highlights and Zotero highlights, with
``page`` when known; also listed in ``metadata["annotations"]``), table (rows as lines, cells
joined by `` | ``), code (fenced, indented, ``{% highlight %}``, display math). ``section`` is
the text of the nearest heading above. docs/readers-markdown.md has the full table.

Title: frontmatter ``title``, else a ``title::`` field, else the first H1, else the text of
a link that makes up the whole first block (a note opening with the paper it is about),
else the file name without suffix.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from emlit.models import ParsedDocument
from emlit.readers import obsidian
from emlit.readers.base import TextBuilder, decode_text, read_bytes
from emlit.readers.frontmatter import as_list, split_frontmatter
from emlit.readers.md_parser import Collected, parser, render_inline, split_lines
from emlit.readers.md_source import clean_source

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t]{2,}")


@dataclass
class _Container:
    """A blockquote, callout or list item enclosing the blocks being read."""

    kind: str  # quote | callout | pdf | list_item
    page: int | None = None
    has_quote: bool = False  # a PDF callout with a nested quote: that quote is the highlight
    first: bool = True  # the next paragraph is the first one (a callout's header)
    target: str | None = None  # the PDF a PDF++ callout quotes
    source: str = "pdf++"  # what made the annotation: pdf++ | annotator


@dataclass
class _Walker:
    builder: TextBuilder = field(default_factory=TextBuilder)
    found: Collected = field(default_factory=Collected)
    fields: dict[str, list[str]] = field(default_factory=dict)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    stack: list[_Container] = field(default_factory=list)
    section: str | None = None
    first_h1: str | None = None
    link_title: str | None = None

    def walk(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "heading_open":
                self.heading(tokens[i + 1], token.tag)
                i += 3
                continue
            if kind == "paragraph_open":
                self.paragraph(tokens[i + 1])
                i += 3
                continue
            if kind == "blockquote_open":
                self.stack.append(self.open_quote(tokens, i))
            elif kind == "list_item_open":
                self.stack.append(_Container("list_item"))
            elif kind in ("blockquote_close", "list_item_close"):
                self.stack.pop()
            elif kind in ("fence", "code_block", "math_block"):
                text = token.content if kind != "math_block" else f"$$\n{token.content}\n$$"
                self.add(text.rstrip(), "code")
            elif kind == "table_open":
                i = self.table(tokens, i)
            elif kind == "html_block":
                self.html_block(token.content)
            i += 1

    def add(self, text: str, kind: str, page: int | None = None) -> int | None:
        before = len(self.builder.blocks)
        self.builder.add(text, kind, self.section, page)
        return self.builder.blocks[-1].start if len(self.builder.blocks) > before else None

    def heading(self, inline: Token, tag: str) -> None:
        text = self.clean(render_inline(inline.children or [], self.found))
        text = " ".join(text.split())
        if not text:
            return
        if tag == "h1" and self.first_h1 is None:
            self.first_h1 = text
        self.section = text
        self.add(text, "heading")

    def open_quote(self, tokens: list[Token], i: int) -> _Container:
        """A blockquote: plain, an Obsidian callout, or a PDF++ annotation callout."""
        first = (
            tokens[i + 2]
            if i + 2 < len(tokens) and tokens[i + 1].type == "paragraph_open"
            else None
        )
        ctype = obsidian.callout_type(first.content) if first is not None else None
        if ctype is None:
            return _Container("quote")
        if ctype not in obsidian.PDF_CALLOUT_TYPES:
            return _Container("callout")
        header = first.content.split("\n", 1)[0] if first is not None else ""
        level = tokens[i].level
        has_quote = False
        for token in tokens[i + 1 :]:
            if token.type == "blockquote_close" and token.level == level:
                break
            has_quote = has_quote or token.type == "blockquote_open"
        source = "annotator" if ctype == "annotation" else "pdf++"
        return _Container("pdf", obsidian.page_of(header), has_quote, source=source)

    def paragraph(self, inline: Token) -> None:
        children = inline.children or []
        top = self.stack[-1] if self.stack else None
        if top is not None and top.kind in ("callout", "pdf") and top.first:
            top.first = False
            header, children = split_lines(children)
            title = obsidian.strip_callout_marker(render_inline(header, self.found))
            if top.kind == "pdf":
                top.target = _header_target(header)  # the PDF the highlight comes from
            else:
                self.add(self.clean(title), "callout")
        elif top is not None:
            top.first = False
        if not children:
            return
        zotero = obsidian.split_zotero(inline.content) if "zotero://" in inline.content else None
        if zotero is not None:
            self.zotero(zotero)
            return
        kind, page = self.kind_here()
        text = self.clean(render_inline(children, self.found))
        if any(c.kind == "list_item" for c in self.stack):
            text = obsidian.strip_task_box(text)
        if self.link_title is None and not self.builder.blocks:
            self.link_title = _sole_link_text(children, text)
        start = self.add(text, kind, page)
        if start is not None and kind == "annotation":
            source = next((c for c in reversed(self.stack) if c.kind == "pdf"), None)
            self.annotations.append(
                {
                    "start": start,
                    "page": page,
                    "source": source.source if source is not None else "pdf++",
                    "target": source.target if source is not None else None,
                }
            )

    def kind_here(self) -> tuple[str, int | None]:
        """The kind of a paragraph from its containers (the innermost quote-like one wins)."""
        for depth in range(len(self.stack) - 1, -1, -1):
            container = self.stack[depth]
            if container.kind == "pdf":
                nested = any(c.kind == "quote" for c in self.stack[depth + 1 :])
                if nested or not container.has_quote:
                    return "annotation", container.page
                return "callout", container.page
        for container in reversed(self.stack):
            if container.kind in ("callout", "quote"):
                return container.kind, None
        return ("list_item" if self.stack else "paragraph"), None

    def zotero(self, note: obsidian.ZoteroAnnotation) -> None:
        """A Zotero highlight: the quote is the annotation, the comment a block of its own."""
        for _text, uri in note.citations:
            self.found.link(uri, "url")
        page = note.page
        if note.quote is not None:
            quote = self.clean(self.render_markdown(note.quote))
            start = self.add(quote, "annotation", page)
            if start is not None:
                self.annotations.append(
                    {
                        "start": start,
                        "page": page,
                        "source": "zotero",
                        "citation": note.citations[0][0],
                        "uri": note.citations[-1][1],
                    }
                )
        if note.comment:
            kind, _ = self.kind_here()
            self.add(self.clean(self.render_markdown(note.comment)), kind)

    def render_markdown(self, source: str) -> str:
        tokens = parser().parseInline(source, {})
        return render_inline(tokens[0].children or [], self.found) if tokens else ""

    def table(self, tokens: list[Token], i: int) -> int:
        rows: list[list[str]] = []
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline" and rows:
                cell = self.clean(render_inline(token.children or [], self.found))
                rows[-1].append(" ".join(cell.split()))
            i += 1
        self.add("\n".join(" | ".join(row) for row in rows if any(row)), "table")
        return i

    def html_block(self, html: str) -> None:
        text = _HTML_TAG.sub("", _HTML_COMMENT.sub("", html))
        text = html_lib.unescape(text)
        lines = [line.strip() for line in text.split("\n")]
        self.add("\n".join(line for line in lines if line), "paragraph")

    def clean(self, text: str) -> str:
        """Take fields and block ids out of a rendered block; tidy its lines."""
        text, fields = obsidian.split_fields(text)
        for key, value in fields:
            self.fields.setdefault(key, []).append(value)
        text = obsidian.strip_block_ids(text)
        # Removed markup can leave double spaces behind ("a {{ x }} b").
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        return "\n".join(line for line in lines if line)


def _header_target(header: list[Token]) -> str | None:
    for token in header:
        if token.type == "wikilink":
            return obsidian.note_target(token.meta["target"])
        if token.type == "link_open":
            return obsidian.note_target(str(token.attrs.get("href", "")))
    return None


def _sole_link_text(children: list[Token], text: str) -> str | None:
    """The text of a paragraph that is nothing but one link, e.g. the paper a note is about."""
    kinds = [t.type for t in children if not (t.type == "text" and not t.content.strip())]
    if (
        kinds
        and kinds[0] == "link_open"
        and kinds[-1] == "link_close"
        and kinds.count("link_open") == 1
    ):
        return text or None
    if kinds == ["wikilink"]:
        return text or None
    return None


def read(path: Path) -> list[ParsedDocument]:
    """Read a Markdown note into one ParsedDocument (see the module docstring)."""
    name = str(path)
    text = decode_text(read_bytes(path), name)
    front, body, _ = split_frontmatter(text, path=name)
    metadata: dict[str, Any] = dict(front or {})
    if front is not None:
        metadata["frontmatter"] = "toml" if text.startswith("+++") else "yaml"
    walker = _Walker()
    walker.walk(parser().parse(clean_source(body)))
    if walker.fields:
        metadata["fields"] = walker.fields
    tags = list(metadata.get("tags", []))
    field_tags = [t for v in walker.fields.get("tags", []) for t in as_list(v, split_spaces=False)]
    for tag in field_tags + walker.found.tags:
        tag = tag.strip().lstrip("#").strip("[]")
        if tag and tag not in tags:
            tags.append(tag)
    if tags:
        metadata["tags"] = tags
    if walker.annotations:
        metadata["annotations"] = walker.annotations
    return [
        ParsedDocument(
            path=name,
            format="markdown",
            text=walker.builder.text,
            blocks=walker.builder.blocks,
            title=_title(metadata, walker, path),
            metadata=metadata,
            links=walker.found.links,
        )
    ]


def _title(metadata: dict[str, Any], walker: _Walker, path: Path) -> str:
    for candidate in (
        metadata.get("title"),
        next(iter(walker.fields.get("title", [])), None),
        walker.first_h1,
        walker.link_title,
    ):
        if candidate is not None and str(candidate).strip():
            return " ".join(str(candidate).split())
    return path.stem
