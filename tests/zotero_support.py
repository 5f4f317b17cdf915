"""Builds Zotero data directories for tests: ``zotero.sqlite`` with Zotero's own schema (a
subset of resource/schema/userdata.sql and the global schema of Zotero 6/7, same table and
column names and types) plus ``storage/KEY/`` files. ``sample_library`` is the one most
tests use; ``ZoteroBuilder`` makes others.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "pdfs", Path(__file__).parent / "fixtures" / "other" / "pdfs.py"
)
assert _spec and _spec.loader
pdfs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pdfs)

DDL = """
CREATE TABLE version (schema TEXT PRIMARY KEY, version INT NOT NULL);
CREATE TABLE settings (setting TEXT, key TEXT, value, PRIMARY KEY (setting, key));
CREATE TABLE itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT, templateItemTypeID INT,
    display INT DEFAULT 1);
CREATE TABLE itemTypesCombined (itemTypeID INT NOT NULL, typeName TEXT NOT NULL,
    display INT DEFAULT 1 NOT NULL, custom INT NOT NULL, PRIMARY KEY (itemTypeID));
CREATE TABLE fields (fieldID INTEGER PRIMARY KEY, fieldName TEXT, fieldFormatID INT);
CREATE TABLE fieldsCombined (fieldID INT NOT NULL, fieldName TEXT NOT NULL, label TEXT,
    fieldFormatID INT, custom INT NOT NULL, PRIMARY KEY (fieldID));
CREATE TABLE baseFieldMappings (itemTypeID INT, baseFieldID INT, fieldID INT,
    PRIMARY KEY (itemTypeID, baseFieldID, fieldID));
CREATE TABLE baseFieldMappingsCombined (itemTypeID INT, baseFieldID INT, fieldID INT,
    PRIMARY KEY (itemTypeID, baseFieldID, fieldID));
CREATE TABLE creatorTypes (creatorTypeID INTEGER PRIMARY KEY, creatorType TEXT);
CREATE TABLE libraries (libraryID INTEGER PRIMARY KEY, type TEXT NOT NULL, editable INT NOT NULL,
    filesEditable INT NOT NULL, version INT NOT NULL DEFAULT 0,
    storageVersion INT NOT NULL DEFAULT 0, lastSync INT NOT NULL DEFAULT 0,
    archived INT NOT NULL DEFAULT 0);
CREATE TABLE groups (groupID INTEGER PRIMARY KEY, libraryID INT NOT NULL UNIQUE,
    name TEXT NOT NULL, description TEXT NOT NULL, version INT NOT NULL,
    FOREIGN KEY (libraryID) REFERENCES libraries(libraryID) ON DELETE CASCADE);
CREATE TABLE feeds (libraryID INTEGER PRIMARY KEY, name TEXT NOT NULL, url TEXT NOT NULL UNIQUE,
    lastUpdate TIMESTAMP, lastCheck TIMESTAMP, lastCheckError TEXT, cleanupReadAfter INT,
    cleanupUnreadAfter INT, refreshInterval INT,
    FOREIGN KEY (libraryID) REFERENCES libraries(libraryID) ON DELETE CASCADE);
CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT NOT NULL,
    dateAdded TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    dateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0,
    synced INT NOT NULL DEFAULT 0, UNIQUE (libraryID, key),
    FOREIGN KEY (libraryID) REFERENCES libraries(libraryID) ON DELETE CASCADE);
CREATE INDEX items_synced ON items(synced);
CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value UNIQUE);
CREATE TABLE itemData (itemID INT, fieldID INT, valueID, PRIMARY KEY (itemID, fieldID),
    FOREIGN KEY (itemID) REFERENCES items(itemID) ON DELETE CASCADE,
    FOREIGN KEY (fieldID) REFERENCES fieldsCombined(fieldID),
    FOREIGN KEY (valueID) REFERENCES itemDataValues(valueID));
CREATE INDEX itemData_fieldID ON itemData(fieldID);
CREATE TABLE itemNotes (itemID INTEGER PRIMARY KEY, parentItemID INT, note TEXT, title TEXT,
    FOREIGN KEY (itemID) REFERENCES items(itemID) ON DELETE CASCADE,
    FOREIGN KEY (parentItemID) REFERENCES items(itemID) ON DELETE CASCADE);
CREATE INDEX itemNotes_parentItemID ON itemNotes(parentItemID);
CREATE TABLE itemAttachments (itemID INTEGER PRIMARY KEY, parentItemID INT, linkMode INT,
    contentType TEXT, charsetID INT, path TEXT, syncState INT DEFAULT 0, storageModTime INT,
    storageHash TEXT, lastProcessedModificationTime INT,
    FOREIGN KEY (itemID) REFERENCES items(itemID) ON DELETE CASCADE,
    FOREIGN KEY (parentItemID) REFERENCES items(itemID) ON DELETE CASCADE);
CREATE INDEX itemAttachments_parentItemID ON itemAttachments(parentItemID);
CREATE TABLE itemAnnotations (itemID INTEGER PRIMARY KEY, parentItemID INT NOT NULL,
    type INTEGER NOT NULL, authorName TEXT, text TEXT, comment TEXT, color TEXT, pageLabel TEXT,
    sortIndex TEXT NOT NULL, position TEXT NOT NULL, isExternal INT NOT NULL,
    FOREIGN KEY (itemID) REFERENCES items(itemID) ON DELETE CASCADE,
    FOREIGN KEY (parentItemID) REFERENCES itemAttachments(itemID));
CREATE INDEX itemAnnotations_parentItemID ON itemAnnotations(parentItemID);
CREATE TABLE tags (tagID INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE itemTags (itemID INT NOT NULL, tagID INT NOT NULL, type INT NOT NULL,
    PRIMARY KEY (itemID, tagID),
    FOREIGN KEY (itemID) REFERENCES items(itemID) ON DELETE CASCADE,
    FOREIGN KEY (tagID) REFERENCES tags(tagID) ON DELETE CASCADE);
CREATE TABLE creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT,
    fieldMode INT, UNIQUE (lastName, firstName, fieldMode));
CREATE TABLE itemCreators (itemID INT NOT NULL, creatorID INT NOT NULL,
    creatorTypeID INT NOT NULL DEFAULT 1, orderIndex INT NOT NULL DEFAULT 0,
    PRIMARY KEY (itemID, creatorID, creatorTypeID, orderIndex), UNIQUE (itemID, orderIndex),
    FOREIGN KEY (itemID) REFERENCES items(itemID) ON DELETE CASCADE,
    FOREIGN KEY (creatorID) REFERENCES creators(creatorID) ON DELETE CASCADE,
    FOREIGN KEY (creatorTypeID) REFERENCES creatorTypes(creatorTypeID));
CREATE TABLE collections (collectionID INTEGER PRIMARY KEY, collectionName TEXT NOT NULL,
    parentCollectionID INT DEFAULT NULL,
    clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, libraryID INT NOT NULL,
    key TEXT NOT NULL, version INT NOT NULL DEFAULT 0, synced INT NOT NULL DEFAULT 0,
    UNIQUE (libraryID, key),
    FOREIGN KEY (libraryID) REFERENCES libraries(libraryID) ON DELETE CASCADE,
    FOREIGN KEY (parentCollectionID) REFERENCES collections(collectionID) ON DELETE CASCADE);
CREATE TABLE collectionItems (collectionID INT NOT NULL, itemID INT NOT NULL,
    orderIndex INT NOT NULL DEFAULT 0, PRIMARY KEY (collectionID, itemID),
    FOREIGN KEY (collectionID) REFERENCES collections(collectionID) ON DELETE CASCADE,
    FOREIGN KEY (itemID) REFERENCES items(itemID) ON DELETE CASCADE);
CREATE INDEX collectionItems_itemID ON collectionItems(itemID);
CREATE TABLE deletedCollections (collectionID INTEGER PRIMARY KEY,
    dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL,
    FOREIGN KEY (collectionID) REFERENCES collections(collectionID) ON DELETE CASCADE);
CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY,
    dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL,
    FOREIGN KEY (itemID) REFERENCES items(itemID) ON DELETE CASCADE);
CREATE INDEX deletedItems_dateDeleted ON deletedItems(dateDeleted);
"""

# Ids as in Zotero's global schema where the real ones are known; the reader goes by name.
ITEM_TYPES = {
    "annotation": 1,
    "attachment": 3,
    "conferencePaper": 11,
    "journalArticle": 22,
    "note": 28,
    "preprint": 39,
}
FIELDS = {
    "title": 1,
    "abstractNote": 2,
    "date": 6,
    "language": 7,
    "url": 13,
    "accessDate": 14,
    "extra": 16,
    "volume": 19,
    "pages": 32,
    "publicationTitle": 38,
    "proceedingsTitle": 69,
    "DOI": 59,
}
BASE_MAPPINGS = [("conferencePaper", "publicationTitle", "proceedingsTitle")]
CREATOR_TYPES = {"author": 8, "contributor": 2, "editor": 10}
LIBRARY_TYPES = {1: "user", 2: "group", 3: "feed"}


@dataclass
class ZoteroBuilder:
    """Writes a Zotero data directory row by row (commit with ``close()``)."""

    data_dir: Path
    conn: sqlite3.Connection = field(init=False)
    next_id: int = 1

    def __post_init__(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.data_dir / "zotero.sqlite")
        self.conn.executescript(DDL)
        q = self.conn.execute
        q("INSERT INTO version VALUES ('userdata', 121)")
        for name, tid in ITEM_TYPES.items():
            q("INSERT INTO itemTypes VALUES (?, ?, NULL, 1)", [tid, name])
            q("INSERT INTO itemTypesCombined VALUES (?, ?, 1, 0)", [tid, name])
        for name, fid in FIELDS.items():
            q("INSERT INTO fields VALUES (?, ?, NULL)", [fid, name])
            q("INSERT INTO fieldsCombined VALUES (?, ?, NULL, NULL, 0)", [fid, name])
        for type_name, base, specific in BASE_MAPPINGS:
            row = [ITEM_TYPES[type_name], FIELDS[base], FIELDS[specific]]
            q("INSERT INTO baseFieldMappings VALUES (?, ?, ?)", row)
            q("INSERT INTO baseFieldMappingsCombined VALUES (?, ?, ?)", row)
        for name, cid in CREATOR_TYPES.items():
            q("INSERT INTO creatorTypes VALUES (?, ?)", [cid, name])
        q("INSERT INTO libraries VALUES (1, 'user', 1, 1, 120, 120, 0, 0)")

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def group(self, library_id: int, group_id: int, name: str) -> None:
        self.conn.execute(
            "INSERT INTO libraries VALUES (?, 'group', 1, 1, 7, 7, 0, 0)", [library_id]
        )
        self.conn.execute(
            "INSERT INTO groups VALUES (?, ?, ?, '', 7)", [group_id, library_id, name]
        )

    def feed(self, library_id: int) -> None:
        self.conn.execute(
            "INSERT INTO libraries VALUES (?, 'feed', 0, 0, 0, 0, 0, 0)", [library_id]
        )
        self.conn.execute(
            "INSERT INTO feeds (libraryID, name, url) VALUES (?, 'arXiv cs.CL', 'https://x')",
            [library_id],
        )

    def collection(self, key: str, name: str, parent: int | None = None, library: int = 1) -> int:
        cid = self._id()
        self.conn.execute(
            "INSERT INTO collections (collectionID, collectionName, parentCollectionID, "
            "libraryID, key, version) VALUES (?, ?, ?, ?, ?, 1)",
            [cid, name, parent, library, key],
        )
        return cid

    def item(
        self,
        key: str,
        type_name: str,
        fields: dict[str, str] | None = None,
        *,
        library: int = 1,
        version: int = 1,
        modified: str = "2024-03-01 10:00:00",
        creators: Sequence[tuple[str, str, str]] = (),
        tags: Sequence[str] = (),
        collections: Sequence[int] = (),
    ) -> int:
        iid = self._id()
        self.conn.execute(
            "INSERT INTO items (itemID, itemTypeID, dateAdded, dateModified, clientDateModified, "
            "libraryID, key, version, synced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [iid, ITEM_TYPES[type_name], modified, modified, modified, library, key, version],
        )
        for name, value in (fields or {}).items():
            self.set_field(iid, name, value)
        for order, (first, last, role) in enumerate(creators):
            mode = 1 if not first else 0
            self.conn.execute(
                "INSERT OR IGNORE INTO creators (firstName, lastName, fieldMode) VALUES (?, ?, ?)",
                [first, last, mode],
            )
            (creator_id,) = self.conn.execute(
                "SELECT creatorID FROM creators WHERE firstName = ? AND lastName = ? "
                "AND fieldMode = ?",
                [first, last, mode],
            ).fetchone()
            self.conn.execute(
                "INSERT INTO itemCreators VALUES (?, ?, ?, ?)",
                [iid, creator_id, CREATOR_TYPES[role], order],
            )
        for tag in tags:
            self.tag(iid, tag)
        for cid in collections:
            self.conn.execute("INSERT INTO collectionItems VALUES (?, ?, 0)", [cid, iid])
        return iid

    def set_field(self, iid: int, name: str, value: str) -> None:
        self.conn.execute("INSERT OR IGNORE INTO itemDataValues (value) VALUES (?)", [value])
        (vid,) = self.conn.execute(
            "SELECT valueID FROM itemDataValues WHERE value = ?", [value]
        ).fetchone()
        self.conn.execute(
            "INSERT OR REPLACE INTO itemData VALUES (?, ?, ?)", [iid, FIELDS[name], vid]
        )

    def tag(self, iid: int, name: str, kind: int = 0) -> None:
        self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", [name])
        (tid,) = self.conn.execute("SELECT tagID FROM tags WHERE name = ?", [name]).fetchone()
        self.conn.execute("INSERT INTO itemTags VALUES (?, ?, ?)", [iid, tid, kind])

    def attachment(
        self,
        parent: int | None,
        key: str,
        *,
        link_mode: int,
        path: str | None,
        content_type: str = "application/pdf",
        title: str = "Full Text PDF",
        library: int = 1,
    ) -> int:
        iid = self.item(key, "attachment", {"title": title}, library=library)
        self.conn.execute(
            "INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType, path, "
            "syncState) VALUES (?, ?, ?, ?, ?, 0)",
            [iid, parent, link_mode, content_type, path],
        )
        return iid

    def note(
        self,
        parent: int | None,
        key: str,
        html: str,
        *,
        library: int = 1,
        tags: Sequence[str] = (),
        collections: Sequence[int] = (),
    ) -> int:
        iid = self.item(key, "note", library=library, tags=tags, collections=collections)
        title = html.split("</", 1)[0].rsplit(">", 1)[-1][:80]
        self.conn.execute(
            "INSERT INTO itemNotes VALUES (?, ?, ?, ?)",
            [iid, parent, f'<div data-schema-version="8">{html}</div>', title],
        )
        return iid

    def annotation(
        self,
        attachment: int,
        key: str,
        type_id: int,
        *,
        text: str | None = None,
        comment: str | None = None,
        page_label: str | None = None,
        page_index: int = 0,
        color: str = "#ffd400",
        library: int = 1,
        external: bool = False,
    ) -> int:
        iid = self.item(key, "annotation", library=library)
        ext = int(external)
        position = json.dumps({"pageIndex": page_index, "rects": [[72.0, 700.0, 520.0, 712.0]]})
        sort_index = f"{page_index:05d}|{iid:06d}|00100"
        self.conn.execute(
            "INSERT INTO itemAnnotations VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)",
            [iid, attachment, type_id, text, comment, color, page_label, sort_index, position, ext],
        )
        return iid

    def trash(self, iid: int) -> None:
        self.conn.execute("INSERT INTO deletedItems (itemID) VALUES (?)", [iid])

    def close(self) -> None:
        self.conn.commit()
        self.conn.close()


PAPER_PAGES = [
    [
        "Emergent Abilities of Large Language Models",
        "Scaling up language models has been shown to predictably improve performance. "
        "This paper instead discusses an unpredictable phenomenon that we refer to as "
        "emergent abilities of large language models.",
    ],
    [
        "We consider an ability to be emergent if it is not present in smaller models but is "
        "present in larger models.",
        "Emergent abilities would not have been directly predicted by extrapolating a scaling "
        "law from small-scale models.",
    ],
]
MIRAGE = [
    "We argue that emergent abilities of large language models are created by the "
    "researcher's choice of metric. Nonlinear or discontinuous metrics produce apparent "
    "emergent abilities, whereas linear metrics produce smooth, continuous changes."
]

HIGHLIGHT = (
    "an ability to be emergent if it is not present in smaller models but is present in "
    "larger models"
)
COMMENT = "This is the D3 sense of emergence; Schaeffer et al. argue the jump is a metric artefact."
NOTE_ANNOTATION = (
    "Check whether the sharp jump survives a continuous metric such as token edit distance."
)
UNDERLINE = (
    "Emergent abilities would not have been directly predicted by extrapolating a scaling law"
)


@dataclass
class SampleLibrary:
    data_dir: Path
    elsewhere: Path  # a folder outside the data directory with linked files
    base_dir: Path  # the "Linked Attachment Base Directory"
    ids: dict[str, int]

    @property
    def db(self) -> Path:
        return self.data_dir / "zotero.sqlite"


def sample_library(root: Path) -> SampleLibrary:
    """Two papers, notes, annotations, collections, tags, the trash, a group and a feed.

    User library: collection Emergence with sub-collection Metrics, and Other.
    - WEIABC22 (journal article, in Emergence/Metrics, tags emergence + scaling): an imported
      PDF with a highlight + comment (page label "2"), an underline (label "iv", page index
      1), a note annotation; a child note, and a trashed child note.
    - MIRAGE23 (conference paper, in Emergence): a linked PDF elsewhere (absolute path), a
      linked PDF under the base directory ("attachments:"), a web link; a highlight.
    - NOTE2XYZ: a standalone note in Chinese (in Other, tag todo).
    - TRASH999: a paper in the trash, with an imported PDF and an annotation.
    Group library "Emergence Reading Group": GRP12345 with an abstract and a child note.
    Feed library: FEED1234, never read.
    """
    data_dir, elsewhere, base = root / "Zotero", root / "elsewhere", root / "linked-base"
    for folder in (elsewhere, base / "papers"):
        folder.mkdir(parents=True)
    b = ZoteroBuilder(data_dir)
    ids: dict[str, int] = {}
    emergence = b.collection("COLL0001", "Emergence")
    metrics = b.collection("COLL0002", "Metrics", parent=emergence)
    other = b.collection("COLL0003", "Other")

    ids["WEIABC22"] = b.item(
        "WEIABC22",
        "journalArticle",
        {
            "title": "Emergent Abilities of Large Language Models",
            "abstractNote": "Scaling up language models has been shown to predictably improve "
            "performance. This paper instead discusses an unpredictable phenomenon that we "
            "refer to as emergent abilities of large language models.",
            "date": "2022-06-15 2022-06-15",
            "DOI": "10.48550/arXiv.2206.07682",
            "publicationTitle": "Transactions on Machine Learning Research",
            "url": "https://arxiv.org/abs/2206.07682",
            "extra": "Citation Key: wei2022emergent",
        },
        creators=[("Jason", "Wei", "author"), ("Yi", "Tay", "author"), ("", "Google", "editor")],
        tags=["emergence", "scaling"],
        collections=[metrics],
        version=12,
    )
    storage = data_dir / "storage" / "PDF1WEI2"
    storage.mkdir(parents=True)
    pdfs.multi_page(
        storage / "Wei et al. - 2022 - Emergent Abilities.pdf", "TMLR 2022", PAPER_PAGES
    )
    ids["PDF1WEI2"] = b.attachment(
        ids["WEIABC22"],
        "PDF1WEI2",
        link_mode=0,
        path="storage:Wei et al. - 2022 - Emergent Abilities.pdf",
    )
    ids["ANNHIGH1"] = b.annotation(
        ids["PDF1WEI2"],
        "ANNHIGH1",
        1,
        text=HIGHLIGHT,
        comment=COMMENT,
        page_label="2",
        page_index=1,
    )
    ids["ANNUNDR1"] = b.annotation(
        ids["PDF1WEI2"],
        "ANNUNDR1",
        5,
        text=UNDERLINE,
        page_label="iv",
        page_index=1,
        color="#2ea8e5",
    )
    ids["ANNNOTE1"] = b.annotation(
        ids["PDF1WEI2"], "ANNNOTE1", 2, comment=NOTE_ANNOTATION, page_label="2", page_index=1
    )
    ids["NOTE1WEI"] = b.note(
        ids["WEIABC22"],
        "NOTE1WEI",
        "<h1>Reading notes</h1><p>The paper argues that emergent abilities appear abruptly "
        "once models pass a threshold of scale.</p><p>Follow up with the mirage paper.</p>",
    )
    ids["NOTE3DEL"] = b.note(
        ids["WEIABC22"],
        "NOTE3DEL",
        "<p>A trashed note: emergent abilities are a phase transition.</p>",
    )
    b.trash(ids["NOTE3DEL"])

    ids["MIRAGE23"] = b.item(
        "MIRAGE23",
        "conferencePaper",
        {
            "title": "Are Emergent Abilities of Large Language Models a Mirage?",
            "date": "2023-00-00 2023",
            "proceedingsTitle": "Advances in Neural Information Processing Systems",
        },
        creators=[("Rylan", "Schaeffer", "author"), ("Sanmi", "Koyejo", "author")],
        tags=["emergence", "metrics"],
        collections=[emergence],
    )
    pdfs.one_column(elsewhere / "mirage.pdf", "Mirage", "Abstract", MIRAGE)
    ids["LINKPDF1"] = b.attachment(
        ids["MIRAGE23"],
        "LINKPDF1",
        link_mode=2,
        path=str(elsewhere / "mirage.pdf"),
        title="mirage.pdf",
    )
    pdfs.one_column(base / "papers" / "mirage-supp.pdf", "Supplement", "Metrics", MIRAGE)
    ids["LINKSUP1"] = b.attachment(
        ids["MIRAGE23"],
        "LINKSUP1",
        link_mode=2,
        path="attachments:papers/mirage-supp.pdf",
        title="Supplement",
    )
    b.attachment(
        ids["MIRAGE23"], "WEBLINK1", link_mode=3, path=None, content_type="", title="arXiv page"
    )
    ids["ANNMIR01"] = b.annotation(
        ids["LINKPDF1"],
        "ANNMIR01",
        1,
        text="Nonlinear or discontinuous metrics produce apparent emergent abilities",
        comment="同意：换成线性指标后，涌现的跳跃就消失了。",
        page_label="1",
    )

    ids["NOTE2XYZ"] = b.note(
        None,
        "NOTE2XYZ",
        "<p>涌现能力是否只是评价指标造成的海市蜃楼？"
        "我认为不是：思维链在大模型上的跳跃式提升是真实的。</p>",
        tags=["todo"],
        collections=[other],
    )

    ids["TRASH999"] = b.item(
        "TRASH999",
        "journalArticle",
        {"title": "A Paper in the Trash about emergent abilities"},
        collections=[emergence],
    )
    trash_storage = data_dir / "storage" / "TRSHPDF1"
    trash_storage.mkdir(parents=True)
    pdfs.one_column(trash_storage / "trashed.pdf", "Trashed", "Abstract", MIRAGE)
    ids["TRSHPDF1"] = b.attachment(
        ids["TRASH999"], "TRSHPDF1", link_mode=0, path="storage:trashed.pdf"
    )
    b.annotation(ids["TRSHPDF1"], "TRSHANN1", 1, text="Emergence in the trash", page_label="1")
    b.trash(ids["TRASH999"])

    b.group(2, 4242, "Emergence Reading Group")
    ids["GRP12345"] = b.item(
        "GRP12345",
        "preprint",
        {
            "title": "Emergent Abilities in the Group Library",
            "abstractNote": "We find that chain-of-thought prompting is an emergent ability "
            "of model scale.",
            "date": "2022-01-28 2022-01-28",
        },
        library=2,
        creators=[("Jason", "Wei", "author")],
    )
    b.note(
        ids["GRP12345"],
        "GRPNOTE1",
        "<p>群组笔记：思维链提示在大模型上突然出现，是典型的涌现能力。</p>",
        library=2,
    )

    b.feed(3)
    b.item("FEED1234", "journalArticle", {"title": "Feed item on emergent abilities"}, library=3)
    b.close()
    return SampleLibrary(data_dir, elsewhere, base, ids)
