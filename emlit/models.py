"""Plain data passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# What a block of a document is; only some kinds can hold claims.
CLAIMABLE_KINDS = frozenset({"paragraph", "list_item", "quote", "callout", "annotation"})


@dataclass
class Block:
    """A span of a document's stored text: a paragraph, a list item, a heading, ..."""

    start: int
    end: int
    kind: str
    section: str | None = None
    page: int | None = None

    @property
    def claimable(self) -> bool:
        return self.kind in CLAIMABLE_KINDS


@dataclass
class DocLink:
    """A link from one document to another: an Obsidian ``[[wikilink]]``, an embed, a URL."""

    target: str
    kind: str  # wikilink | embed | url | file


@dataclass
class ParsedDocument:
    """What a reader makes of one source: normalised text plus its structure.

    ``text`` is the document as stored: markup removed, one block after another, separated by
    blank lines. Every offset in ``blocks`` (and later in claims) indexes into it.
    """

    path: str
    format: str
    text: str
    blocks: list[Block]
    title: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    links: list[DocLink] = field(default_factory=list)
    key: str | None = None  # sub-document key, e.g. a BibTeX citation key


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    lang: str
    section: str | None
    page: int | None
    block_kind: str
    block_start: int | None = None  # where its block starts: sentences of one block share it


@dataclass
class Claim:
    """A sentence or list item that says something about emergence, quotable to its source."""

    id: str
    text: str
    lang: str
    start: int
    end: int
    section: str | None = None
    page: int | None = None
    kind: str = "sentence"
