"""Small SQL helpers the store's modules share: id chunks, timestamps, readable errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from emlit.errors import EmlitError

# SQLite allows 999 (older builds) or 32766 bound parameters; 500 ids a statement is safe.
CHUNK = 500

# What a database must hold to be read; one without them has not been migrated yet.
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


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def id_chunks(ids: Sequence[str], size: int = CHUNK) -> Iterator[tuple[list[str], str]]:
    """``ids`` in slices small enough for SQLite's parameter limit, with their "?,?,..."."""
    for i in range(0, len(ids), size):
        chunk = list(ids[i : i + size])
        yield chunk, marks(len(chunk))


def marks(n: int) -> str:
    """``n`` placeholders for an ``IN (...)`` list or a VALUES row."""
    return ",".join("?" * n)


def explain(exc: sqlite3.Error) -> str:
    """An SQLite error in words a user can act on."""
    msg = str(exc)
    if "file is not a database" in msg:
        return "not an SQLite database (is --db pointing at the right file?)"
    if "locked" in msg:
        return "database is locked by another process; try again when it has finished"
    if "unable to open" in msg:
        return "cannot open the database file (check the path and permissions)"
    return msg


def open_connection(path: str, *, timeout: float = 5.0) -> sqlite3.Connection:
    """A plain connection to an emlit database; a clear EmlitError when it is not one."""
    try:
        conn = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise EmlitError(f"{path}: {explain(exc)}") from None
    return conn


def is_migrated(conn: sqlite3.Connection) -> bool:
    """Every migration this version of emlit knows has been applied (a database written by an
    older emlit has not: open it with ``Store`` first, which applies the missing ones)."""
    from emlit.store.migrate import all_migrations

    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    if not all(name in names for name in REQUIRED) or "migrations" not in names:
        return False
    done = {r[0] for r in conn.execute("SELECT name FROM migrations")}
    return all(name in done for name, _ in all_migrations())
