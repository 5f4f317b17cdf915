"""The markdown-it parser emlit uses, and turning inline tokens into plain text.

CommonMark plus tables, strikethrough, footnotes and ``$math$`` (kept literally), with two
Obsidian rules: ``[[wikilinks]]`` / ``![[embeds]]`` and ``==highlights==``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from emlit.models import DocLink
from emlit.readers import obsidian

_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_A_HREF = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Longest wikilink and highlight looked for: bounds the search on pathological input.
_MAX_WIKILINK = 1000
_MAX_HIGHLIGHT = 4000


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    # Pandoc's rules: ``$5 and $6`` is money, not math.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, allow_labels=False)
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.inline.ruler.before("image", "embed", _wikilink)
    md.inline.ruler.before("emphasis", "highlight", _highlight)
    return md


def _wikilink(state: StateInline, silent: bool) -> bool:
    """``[[target|alias]]`` and ``![[embed]]``: no brackets inside, on one line."""
    src, pos = state.src, state.pos
    embed = src.startswith("![[", pos)
    if not (embed or src.startswith("[[", pos)):
        return False
    start = pos + (3 if embed else 2)
    close = src.find("]", start, min(state.posMax, start + _MAX_WIKILINK))
    if close == -1 or close + 1 >= state.posMax or src[close + 1] != "]":
        return False
    inner = src[start:close]
    if not inner.strip() or "[" in inner or "\n" in inner:
        return False
    if not silent:
        target, _, alias = inner.partition("|")
        token = state.push("embed" if embed else "wikilink", "", 0)
        token.meta = {"target": target.strip(), "alias": alias.strip()}
        token.content = inner
    state.pos = close + 2
    return True


def _highlight(state: StateInline, silent: bool) -> bool:
    """``==text==``: keep the text, drop the markers."""
    src, pos = state.src, state.pos
    if not src.startswith("==", pos) or src.startswith("===", pos):
        return False
    start = pos + 2
    if start >= state.posMax or src[start].isspace():
        return False
    limit = min(state.posMax, start + _MAX_HIGHLIGHT)
    end = src.find("==", start, limit)
    while end != -1 and src[end - 1].isspace():
        end = src.find("==", end + 2, limit)
    if end == -1 or end + 2 > state.posMax or "\n\n" in src[start:end]:
        return False
    if not silent:
        old_max = state.posMax
        state.pos, state.posMax = start, end
        state.push("mark_open", "mark", 1)
        state.md.inline.tokenize(state)
        state.push("mark_close", "mark", -1)
        state.posMax = old_max
    state.pos = end + 2
    return True


@dataclass
class Collected:
    """What rendering inline tokens finds besides text: links and tags, in order."""

    links: list[DocLink] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)

    def link(self, target: str, kind: str) -> None:
        if target and (target, kind) not in self._seen:
            self._seen.add((target, kind))
            self.links.append(DocLink(target, kind))

    def href(self, href: str) -> None:
        if href.startswith("#"):
            return  # a link inside this note
        if _SCHEME.match(href):
            self.link(href, "url")
        else:
            self.link(obsidian.note_target(href), "file")


def render_inline(children: list[Token], found: Collected) -> str:
    """Plain text of an inline token's children; links and tags go to ``found``."""
    out: list[str] = []
    for token in children:
        kind = token.type
        if kind == "text":
            prev = out[-1][-1:] if out else ""
            found.tags.extend(obsidian.find_tags(prev + token.content))
            for url in obsidian.find_urls(token.content):
                found.link(url, "url")
            out.append(token.content)
        elif kind == "code_inline":
            out.append(token.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "math_inline":
            out.append(f"${token.content}$")
        elif kind == "math_inline_double":
            out.append(f"$${token.content}$$")
        elif kind == "link_open":
            found.href(unquote(str(token.attrs.get("href", ""))))
        elif kind == "html_inline":
            if _BR.fullmatch(token.content.strip()):
                out.append("\n")
            elif anchor := _A_HREF.match(token.content):
                found.href(unquote(anchor.group(1)))
        elif kind == "wikilink":
            target = token.meta["target"]
            found.link(obsidian.note_target(target), "wikilink")
            out.append(token.meta["alias"] or _wikilink_text(target))
        elif kind == "embed":
            target = token.meta["target"]
            if not obsidian.is_image(target):
                found.link(obsidian.note_target(target), "embed")
        # Everything else is markup around text (emphasis, link_close, html tags, images,
        # footnote references): dropped.
    return "".join(out)


def _wikilink_text(target: str) -> str:
    """``[[note#Heading]]`` reads as "note > Heading" in Obsidian; we keep "note Heading"
    (``[[note#^blockid]]`` keeps "note")."""
    note, _, rest = target.partition("#")
    if rest.startswith("^"):  # a block reference: the id means nothing to a reader
        rest = "" if note else rest[1:]
    return f"{note} {rest}".strip() if note and rest else (note or rest)


def split_lines(children: list[Token]) -> tuple[list[Token], list[Token]]:
    """Children up to the first line break, and the rest (for callout headers)."""
    for i, token in enumerate(children):
        if token.type in ("softbreak", "hardbreak"):
            return children[:i], children[i + 1 :]
    return children, []
