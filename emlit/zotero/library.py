"""Read a Zotero 6/7 database into plain data (``model``), the trash and feeds left out.

Only SELECTs, on a connection from ``snapshot`` (read-only, no lock taken). Table and column
names are Zotero's own (resource/schema/userdata.sql in zotero/zotero): ``items``,
``itemData`` + ``itemDataValues`` + ``fieldsCombined``, ``itemCreators`` + ``creators`` +
``creatorTypes``, ``collections`` + ``collectionItems``, ``tags`` + ``itemTags``,
``itemAttachments``, ``itemNotes``, ``itemAnnotations``, ``deletedItems``, ``libraries`` +
``groups``.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

from emlit.errors import ReadError
from emlit.zotero.model import (
    ANNOTATION_TYPES,
    Annotation,
    Attachment,
    Collection,
    Creator,
    Item,
    Library,
    Note,
    ZoteroData,
)
from emlit.zotero.snapshot import read_snapshot

# Without these it is not a Zotero database we can read (Zotero 5 and later have them all).
REQUIRED_TABLES = (
    "items",
    "itemData",
    "itemDataValues",
    "itemCreators",
    "creators",
    "creatorTypes",
    "collections",
    "collectionItems",
    "tags",
    "itemTags",
    "itemAttachments",
    "itemNotes",
    "deletedItems",
    "libraries",
)
# Item types that are children, never items of their own in the list.
CHILD_TYPES = frozenset({"annotation"})


def load(db: Path) -> ZoteroData:
    """Everything emlit reads from the database at ``db``."""
    return read_snapshot(db, lambda conn: _Reader(conn, db).read())


class _Reader:
    def __init__(self, conn: sqlite3.Connection, db: Path) -> None:
        self.conn = conn
        self.db = db
        self.tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql).fetchall()

    def first_table(self, *names: str) -> str:
        return next(n for n in names if n in self.tables)

    def read(self) -> ZoteroData:
        missing = [t for t in REQUIRED_TABLES if t not in self.tables]
        if "fields" not in self.tables and "fieldsCombined" not in self.tables:
            missing.append("fields")
        if "itemTypes" not in self.tables and "itemTypesCombined" not in self.tables:
            missing.append("itemTypes")
        if missing:
            raise ReadError(
                str(self.db), f"not a Zotero database (missing tables: {', '.join(missing)})"
            )
        libraries = self.libraries()
        collections = self.collections(libraries)
        items = self.items(libraries, collections)
        return ZoteroData(libraries, collections, items)

    def libraries(self) -> dict[int, Library]:
        groups = {}
        if "groups" in self.tables:
            groups = {
                lib: (gid, name)
                for gid, lib, name in self.rows("SELECT groupID, libraryID, name FROM groups")
            }
        out: dict[int, Library] = {}
        for library_id, kind in self.rows("SELECT libraryID, type FROM libraries"):
            if kind == "feed":  # RSS feeds live in the same database; they are not the library
                continue
            gid, name = groups.get(library_id, (None, "My Library" if kind == "user" else kind))
            out[library_id] = Library(library_id, kind, name, gid)
        return out

    def collections(self, libraries: dict[int, Library]) -> dict[int, Collection]:
        trashed = set()
        if "deletedCollections" in self.tables:  # Zotero 7 puts collections in the trash too
            trashed = {r[0] for r in self.rows("SELECT collectionID FROM deletedCollections")}
        out = {}
        for cid, key, name, parent, lib in self.rows(
            "SELECT collectionID, key, collectionName, parentCollectionID, libraryID "
            "FROM collections"
        ):
            if cid not in trashed and lib in libraries:
                out[cid] = Collection(cid, key, name, parent, lib)
        # A collection under a trashed one is gone with it.
        return {cid: c for cid, c in out.items() if _alive(c, out)}

    def items(
        self, libraries: dict[int, Library], collections: dict[int, Collection]
    ) -> list[Item]:
        type_table = self.first_table("itemTypesCombined", "itemTypes")
        types = dict(self.rows(f"SELECT itemTypeID, typeName FROM {type_table}"))
        trashed = {r[0] for r in self.rows("SELECT itemID FROM deletedItems")}
        rows = self.rows(
            "SELECT itemID, itemTypeID, libraryID, key, version, clientDateModified FROM items"
        )
        meta = {
            iid: (lib, key, int(version or 0), str(modified or ""), types.get(tid, ""))
            for iid, tid, lib, key, version, modified in rows
            if lib in libraries and iid not in trashed
        }
        fields = self.fields(meta)
        attachments = self.attachments(meta, fields)
        notes = self.notes(meta)
        # Children of another item (a standalone note or file is filed under itself).
        child_ids = {a.item_id for owner, g in attachments.items() for a in g if a.item_id != owner}
        child_ids |= {n.item_id for owner, g in notes.items() for n in g if n.item_id != owner}
        creators = self.creators()
        tags = self.tags()
        in_collections = self.collection_items(collections)
        items = []
        for iid, (lib, key, version, modified, kind) in meta.items():
            if kind in CHILD_TYPES or iid in child_ids:
                continue
            item = Item(iid, lib, key, version, modified, kind, fields.get(iid, {}))
            item.creators = creators.get(iid, [])
            item.tags = tags.get(iid, [])
            item.collection_ids = in_collections.get(iid, [])
            item.attachments = attachments.get(iid, [])
            item.notes = notes.get(iid, [])
            if kind in ("attachment", "note") and not (item.attachments or item.notes):
                continue  # a standalone attachment or note whose own row is missing
            items.append(item)
        items.sort(key=lambda it: (it.library_id, it.key))
        return items

    def fields(self, meta: dict[int, tuple[Any, ...]]) -> dict[int, dict[str, str]]:
        """Field values by item, type-specific fields also under their base name
        (``caseName`` is also ``title``, ``websiteTitle`` also ``publicationTitle``)."""
        field_table = self.first_table("fieldsCombined", "fields")
        names = dict(self.rows(f"SELECT fieldID, fieldName FROM {field_table}"))
        base: dict[tuple[int, int], str] = {}
        mappings = next(
            (t for t in ("baseFieldMappingsCombined", "baseFieldMappings") if t in self.tables),
            None,
        )
        if mappings:
            for type_id, base_id, field_id in self.rows(
                f"SELECT itemTypeID, baseFieldID, fieldID FROM {mappings}"
            ):
                base[(type_id, field_id)] = names.get(base_id, "")
        type_ids = dict(self.rows("SELECT itemID, itemTypeID FROM items"))
        out: dict[int, dict[str, str]] = defaultdict(dict)
        for iid, fid, value in self.rows(
            "SELECT d.itemID, d.fieldID, v.value FROM itemData d "
            "JOIN itemDataValues v ON v.valueID = d.valueID"
        ):
            if iid not in meta or value is None:
                continue
            out[iid][names.get(fid, str(fid))] = str(value)
            if (type_ids.get(iid), fid) in base:
                out[iid].setdefault(base[(type_ids[iid], fid)], str(value))
        return out

    def creators(self) -> dict[int, list[Creator]]:
        out: dict[int, list[Creator]] = defaultdict(list)
        for iid, first, last, mode, role in self.rows(
            "SELECT ic.itemID, c.firstName, c.lastName, c.fieldMode, t.creatorType "
            "FROM itemCreators ic JOIN creators c ON c.creatorID = ic.creatorID "
            "LEFT JOIN creatorTypes t ON t.creatorTypeID = ic.creatorTypeID "
            "ORDER BY ic.itemID, ic.orderIndex"
        ):
            out[iid].append(Creator(first or "", last or "", role or "author", mode == 1))
        return out

    def tags(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = defaultdict(list)
        for iid, name in self.rows(
            "SELECT it.itemID, t.name FROM itemTags it JOIN tags t ON t.tagID = it.tagID "
            "ORDER BY it.itemID, t.name COLLATE NOCASE"
        ):
            out[iid].append(name)
        return out

    def collection_items(self, collections: dict[int, Collection]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for cid, iid in self.rows(
            "SELECT collectionID, itemID FROM collectionItems ORDER BY collectionID"
        ):
            if cid in collections:
                out[iid].append(cid)
        return out

    def attachments(
        self, meta: dict[int, tuple[Any, ...]], fields: dict[int, dict[str, str]]
    ) -> dict[int, list[Attachment]]:
        """Attachments by the item they belong to (a standalone file belongs to itself)."""
        annotations = self.annotations(meta)
        out: dict[int, list[Attachment]] = defaultdict(list)
        for iid, parent, mode, ctype, path in self.rows(
            "SELECT itemID, parentItemID, linkMode, contentType, path FROM itemAttachments "
            "ORDER BY itemID"
        ):
            owner = parent if parent is not None else iid
            if iid not in meta or owner not in meta:  # it or its parent is in the trash
                continue
            _lib, key, version, modified, _kind = meta[iid]
            att = Attachment(iid, key, version, modified, int(mode or 0), ctype, path)
            att.title = fields.get(iid, {}).get("title", "")
            att.annotations = annotations.get(iid, [])
            out[owner].append(att)
        return out

    def notes(self, meta: dict[int, tuple[Any, ...]]) -> dict[int, list[Note]]:
        """Notes by the item they belong to (a standalone note belongs to itself)."""
        out: dict[int, list[Note]] = defaultdict(list)
        for iid, parent, html, title in self.rows(
            "SELECT itemID, parentItemID, note, title FROM itemNotes ORDER BY itemID"
        ):
            owner = parent if parent is not None else iid
            if iid not in meta or owner not in meta or meta[iid][4] != "note":
                continue  # trashed, or the note field of an attachment (not a note item)
            _lib, key, version, modified, _kind = meta[iid]
            out[owner].append(Note(iid, key, version, modified, html or "", title or ""))
        return out

    def annotations(self, meta: dict[int, tuple[Any, ...]]) -> dict[int, list[Annotation]]:
        if "itemAnnotations" not in self.tables:  # Zotero 5: no built-in PDF reader yet
            return {}
        out: dict[int, list[Annotation]] = defaultdict(list)
        for iid, parent, kind, author, text, comment, color, label, sort, pos, ext in self.rows(
            "SELECT itemID, parentItemID, type, authorName, text, comment, color, pageLabel, "
            "sortIndex, position, isExternal FROM itemAnnotations ORDER BY parentItemID, sortIndex"
        ):
            if iid not in meta:
                continue
            _lib, key, version, modified, _kind = meta[iid]
            out[parent].append(
                Annotation(
                    item_id=iid,
                    key=key,
                    version=version,
                    modified=modified,
                    type=ANNOTATION_TYPES.get(int(kind or 0), f"type {kind}"),
                    text=(text or "").strip(),
                    comment=(comment or "").strip(),
                    color=color,
                    page_label=(label or "").strip() or None,
                    page_index=_page_index(pos),
                    sort_index=sort or "",
                    external=bool(ext),
                    author=author,
                )
            )
        return out


def _alive(c: Collection, collections: dict[int, Collection]) -> bool:
    seen = set()
    while c.parent_id is not None and c.collection_id not in seen:
        seen.add(c.collection_id)
        parent = collections.get(c.parent_id)
        if parent is None:
            return False
        c = parent
    return True


def _page_index(position: str | None) -> int | None:
    try:
        value = json.loads(position or "{}").get("pageIndex")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None
