"""Note names for the Obsidian export: one unique, portable file name per claim, work and
definition of the graph (shared by the notes and the canvas, which links to them).

A name is a short slug of the text plus an id, e.g. ``claims/Emergent abilities are present
(c7de0fb7).md``. Obsidian resolves ``[[name]]`` by file name across the whole vault, so the
id keeps names unique there too; the slug makes the graph view readable.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

# Forbidden by Obsidian in note names (links break on # ^ [ ] |) or by Windows/macOS file
# systems (* " \ / < > : ?), plus control characters and the Markdown marks that could
# turn part of a wikilink into code, math, a comment or a highlight (` $ % = ~).
FORBIDDEN = re.compile(r'[*"\\/<>:|?#^\[\]`$%=~\x00-\x1f\x7f]')
FOLDERS = {"claim": "claims", "document": "works", "definition": "definitions"}
SLUG_CHARS = 48


def safe_name(text: str, limit: int = SLUG_CHARS) -> str:
    """``text`` as a file-name fragment: no forbidden characters, at most ``limit`` columns
    wide, cut at a word boundary when the text has spaces (Chinese has none)."""
    text = FORBIDDEN.sub(" ", unicodedata.normalize("NFC", text))
    text = " ".join(text.split())
    # Width, not length: a Chinese character takes two columns, so its slug is half as long.
    widths = [2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text]
    if sum(widths) > limit:
        end, used = 0, 0
        while used + widths[end] <= limit:
            used += widths[end]
            end += 1
        cut = text[:end]
        space = cut.rfind(" ")
        text = cut[:space] if space > end // 2 else cut
    # Windows drops trailing dots and spaces; Obsidian hides names starting with a dot.
    return text.strip(" .")


def _digest(value: str, n: int) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:n]


def _candidates(node: str, data: dict[str, object]) -> tuple[str, str]:
    """(usual name, longer name used only when the usual one collides) without folder."""
    kind = data.get("kind")
    if kind == "claim":
        cid = node.split(":", 1)[1]
        slug = safe_name(str(data.get("text", "")))
        return (f"{slug} ({cid[:8]})", f"{slug} ({cid})") if slug else (cid, cid)
    if kind == "definition":
        did = node.split(":", 1)[1]
        label = str(data.get("label", did)).split(":", 1)[-1]
        name = f"{did} {safe_name(label)}".strip()
        return name, f"{name} ({_digest(node, 8)})"
    path = str(data.get("path", node))
    key = safe_name(str(data.get("key") or ""), 40) or _digest(path, 8)
    slug = safe_name(str(data.get("label") or path), 60)
    return f"{slug} ({key})", f"{slug} ({key} {_digest(path, 8)})"


def note_names(g: nx.MultiDiGraph) -> dict[str, str]:
    """Graph node -> note path without ``.md`` (``claims/...``, ``works/...``,
    ``definitions/...``) for every claim, document and definition node.

    Names are unique ignoring case (macOS and Windows fold case) and depend only on the
    graph, so two exports of the same store name every note the same way."""
    nodes = sorted((n, d) for n, d in g.nodes(data=True) if d.get("kind") in FOLDERS)
    first = {n: _candidates(n, d) for n, d in nodes}
    taken: dict[str, list[str]] = {}
    for n, (usual, _) in first.items():
        taken.setdefault(usual.casefold(), []).append(n)
    names: dict[str, str] = {}
    used: set[str] = set()
    for n, d in nodes:
        usual, longer = first[n]
        name = usual if len(taken[usual.casefold()]) == 1 else longer
        base, i = name, 2
        while name.casefold() in used:  # two works with one path: practically never
            name, i = f"{base} {i}", i + 1
        used.add(name.casefold())
        names[n] = f"{FOLDERS[str(d['kind'])]}/{name}"
    return names


def stem(path: str) -> str:
    """What a wikilink to the note at ``path`` says: its file name without folder."""
    return path.rsplit("/", 1)[-1]
