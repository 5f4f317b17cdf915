"""A Zotero data directory as a source (contract 13): ``emlit ingest ~/Zotero``.

A folder holding ``zotero.sqlite`` is read as a Zotero 6/7 library, not walked as loose files:

- ``snapshot``  opens the database read-only without ever writing it or leaving files
                beside it, also while Zotero runs and holds its exclusive lock;
- ``library``   reads Zotero's tables into plain dataclasses (``model``);
- ``documents`` turns an item into emlit documents and claims (metadata, annotations,
                notes, PDF and snapshot attachments);
- ``sync``      compares them with the store and saves only what changed;
- ``prefs``     finds the base folder of relative linked files in Zotero's prefs.js.

This module stays cheap to import: ``emlit.ingest`` asks it whether a folder is a library.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DB_NAME = "zotero.sqlite"


@dataclass(frozen=True)
class ZoteroOptions:
    """How to read Zotero libraries met by an ingest."""

    collection: str | None = None  # only items in this collection (and its sub-collections)
    base_dir: Path | None = None  # base folder of linked files stored as "attachments:..."


def is_zotero_dir(path: Path) -> bool:
    """Is ``path`` a Zotero data directory (a folder holding ``zotero.sqlite``)?"""
    return (path / DB_NAME).is_file()


def zotero_dir_of(path: Path) -> Path | None:
    """The data directory when ``path`` is one or is its ``zotero.sqlite``, else None."""
    if path.is_dir():
        return path if is_zotero_dir(path) else None
    return path.parent if path.name == DB_NAME and path.is_file() else None
