"""The TUI's own SQLite connection, opened without importing ``emlit.store``.

``emlit.store`` imports sqlite-utils, which imports pandas and numpy (about 0.6 s). The TUI
reads through plain sqlite3 so the first screen paints without them; the Store (for review
writes and polls) is opened on first use, or in the background after the first paint.
"""

from __future__ import annotations

import sqlite3

from emlit.errors import EmlitError

# What the TUI reads; a database without them has not been migrated yet (open the Store first).
REQUIRED = (
    "documents",
    "blocks",
    "claims",
    "claims_fts",
    "tags",
    "links",
    "effective_tags",
    "effective_links",
)


def open_connection(path: str) -> sqlite3.Connection:
    """A connection to an existing emlit database; a clear EmlitError when it is not one."""
    try:
        conn = sqlite3.connect(path, timeout=5.0, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise EmlitError(f"{path}: {_explain(exc)}") from None
    return conn


def is_migrated(conn: sqlite3.Connection) -> bool:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    return all(name in names for name in REQUIRED)


def _explain(exc: sqlite3.Error) -> str:
    msg = str(exc)
    if "file is not a database" in msg:
        return "not an SQLite database (is --db pointing at the right file?)"
    if "locked" in msg:
        return "database is locked by another process; try again when it has finished"
    if "unable to open" in msg:
        return "cannot open the database file (check the path and permissions)"
    return msg
