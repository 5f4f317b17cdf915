"""Plain data read from a Zotero database: libraries, collections, items and their children."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

# itemAnnotations.type (Zotero.Annotations.ANNOTATION_TYPE_*).
ANNOTATION_TYPES = {1: "highlight", 2: "note", 3: "image", 4: "ink", 5: "underline", 6: "text"}
# Annotation types whose text is a quote from the paper.
QUOTE_TYPES = frozenset({"highlight", "underline"})

# itemAttachments.linkMode (Zotero.Attachments.LINK_MODE_*).
IMPORTED_FILE, IMPORTED_URL, LINKED_FILE, LINKED_URL = 0, 1, 2, 3
LINK_MODES = {0: "imported_file", 1: "imported_url", 2: "linked_file", 3: "linked_url"}


@dataclass
class Library:
    library_id: int
    type: str  # user | group (feeds are not read)
    name: str  # "My Library" or the group's name
    group_id: int | None = None


@dataclass
class Collection:
    collection_id: int
    key: str
    name: str
    parent_id: int | None
    library_id: int


@dataclass
class Annotation:
    item_id: int
    key: str
    version: int
    modified: str
    type: str
    text: str
    comment: str
    color: str | None
    page_label: str | None
    page_index: int | None  # 0-based, from the position JSON
    sort_index: str
    external: bool  # made in another PDF viewer and imported, not in Zotero's reader
    author: str | None = None


@dataclass
class Attachment:
    item_id: int
    key: str
    version: int
    modified: str
    link_mode: int
    content_type: str | None
    path: str | None  # as Zotero stores it: "storage:x.pdf", "attachments:a/x.pdf", absolute
    title: str = ""
    annotations: list[Annotation] = field(default_factory=list)

    def file(self, data_dir: Path, base_dir: Path | None) -> Path | None:
        """Where the attachment's file lies, or None when it has none or it cannot be told."""
        if not self.path or self.link_mode == LINKED_URL:
            return None
        if self.path.startswith("storage:"):
            return data_dir / "storage" / self.key / self.path.removeprefix("storage:")
        if self.path.startswith("attachments:"):
            if base_dir is None:
                return None
            # Zotero writes relative paths with "/" on every platform.
            return base_dir.joinpath(*PurePosixPath(self.path.removeprefix("attachments:")).parts)
        return Path(self.path)


@dataclass
class Note:
    item_id: int
    key: str
    version: int
    modified: str
    html: str
    title: str


@dataclass
class Creator:
    first: str
    last: str
    role: str  # author, editor, ...
    single_field: bool  # fieldMode 1: one name ("OpenAI"), no first name

    @property
    def name(self) -> str:
        return self.last if self.single_field or not self.first else f"{self.last}, {self.first}"


@dataclass
class Item:
    """A top-level item: a paper (any regular type), a standalone note or a standalone file."""

    item_id: int
    library_id: int
    key: str
    version: int
    modified: str
    type: str
    fields: dict[str, str] = field(default_factory=dict)
    creators: list[Creator] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    collection_ids: list[int] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.fields.get("title") or ""


@dataclass
class ZoteroData:
    """Everything read from one database, trash left out."""

    libraries: dict[int, Library]
    collections: dict[int, Collection]
    items: list[Item]
