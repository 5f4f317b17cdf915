"""The SQLite store: the one source of truth, and the one place that reads and writes it.

One module per table group: ``reads`` (claims, tags, documents), ``browse`` (paged claim
lists), ``evidence`` (links and the map, also as streams for exports), and the writers
``documents``, ``tags``, ``links``, ``curated``, ``embeddings``, ``profiles`` (saved cue
profiles) and ``bulk`` (big loads). ``StoreReader`` is the read layer on a plain sqlite3
connection (the TUI paints with it); ``Store`` adds the writes and migrations. The poll
keeps its own persistence (``emlit.poll.store``).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from emlit.errors import EmlitError
from emlit.store.browse import BrowseReads, ClaimFilter, ClaimRow
from emlit.store.bulk import BulkDocument, BulkWrites
from emlit.store.curated import CuratedClaim, CuratedLink, CuratedWork, CuratedWrites
from emlit.store.documents import SaveResult
from emlit.store.embeddings import EmbeddingStore
from emlit.store.evidence import EvidenceItem, EvidenceNode, EvidenceReads, tree_links
from emlit.store.links import LinkWrites, ModelLink
from emlit.store.migrate import migrate
from emlit.store.profiles import ProfileStore
from emlit.store.sql import explain, now
from emlit.store.stance import StanceWrites
from emlit.vocab import DEFINITIONS

__all__ = [
    "DEFINITIONS",
    "BulkDocument",
    "ClaimFilter",
    "ClaimRow",
    "CuratedClaim",
    "CuratedLink",
    "CuratedWork",
    "EvidenceItem",
    "EvidenceNode",
    "ModelLink",
    "SaveResult",
    "Store",
    "StoreReader",
    "default_db_path",
    "now",
    "tree_links",
]

DEFAULT_DB = "emlit.db"


def default_db_path() -> str:
    return os.environ.get("EMLIT_DB") or DEFAULT_DB


class StoreReader(BrowseReads, EvidenceReads):
    """Every read of the core tables, over one plain sqlite3 connection."""

    @classmethod
    def at(cls, path: str) -> StoreReader:
        """Reads of an existing store file on a connection of its own that cannot write (a
        worker process of a parallel export); no migration: the store is already open."""
        conn = sqlite3.connect(path, check_same_thread=False)
        conn.execute("PRAGMA query_only = ON")
        return cls(conn)


class Store(
    StoreReader,
    CuratedWrites,
    LinkWrites,
    EmbeddingStore,
    ProfileStore,
    BulkWrites,
    StanceWrites,
):
    """Reads and writes over one SQLite file (WAL mode), migrated when opened."""

    def __init__(self, path: str | os.PathLike[str] = ":memory:", *, busy_timeout: float = 5.0):
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not parent.exists():
                raise EmlitError(f"{self.path}: folder {parent} does not exist")
        try:
            conn = sqlite3.connect(self.path, timeout=busy_timeout, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise EmlitError(f"{self.path}: {explain(exc)}") from None
        super().__init__(conn)
        # sqlite-utils pulls in pandas (~0.6 s): import it when a store is opened, not when
        # the CLI or the TUI merely imports this package.
        import sqlite_utils

        self.db = sqlite_utils.Database(conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
