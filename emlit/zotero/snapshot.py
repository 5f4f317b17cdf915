"""Open ``zotero.sqlite`` read-only: never write it, never leave a file beside it.

Zotero holds an exclusive lock on its database while it runs (``locking_mode=EXCLUSIVE``),
so an ordinary reader gets "database is locked". Two ways in, neither takes a lock:

- ``immutable=1`` (with ``mode=ro``): SQLite reads the file as it lies and creates no
  journal, WAL or shm file. Safe when no write is in flight, which we check: the rollback
  journal beside it is not *hot* (Zotero's exclusive mode keeps a journal file with a zeroed
  header between writes) and the file's size and mtime are the same after the read as before.
- a private copy in a temporary folder, taken with the hot journal or the WAL beside it:
  SQLite rolls the copy back (or replays its WAL) there, and we read a consistent state.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from emlit.errors import ReadError

T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
# The first 8 bytes of a rollback journal that still holds a transaction (sqlite pager.c).
JOURNAL_MAGIC = bytes([0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7])
ATTEMPTS = 3  # immutable reads retried when Zotero wrote meanwhile, then a copy is read


def read_snapshot(db: Path, read: Callable[[sqlite3.Connection], T]) -> T:
    """``read(conn)`` on a consistent read-only view of the database at ``db``."""
    _check_header(db)
    for _ in range(ATTEMPTS):
        if _write_in_flight(db):
            break
        before = _stamp(db)
        try:
            with _connect(_immutable_uri(db), db) as conn:
                result = _run(read, conn, db)
        except ReadError:
            if _stamp(db) == before and not _write_in_flight(db):
                raise  # broken as it lies, not torn by a write
            continue
        if _stamp(db) == before and not _write_in_flight(db):
            return result
    with _private_copy(db) as copy, _connect(str(copy), db) as conn:
        return _run(read, conn, db)


def _check_header(db: Path) -> None:
    try:
        with db.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ReadError(str(db), exc.strerror or str(exc)) from None
    if head != SQLITE_MAGIC:
        raise ReadError(str(db), "not an SQLite database (is this a Zotero data directory?)")


def _write_in_flight(db: Path) -> bool:
    """A hot rollback journal or a non-empty WAL: the file alone is not the whole state."""
    wal = db.with_name(db.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return True
    journal = db.with_name(db.name + "-journal")
    try:
        with journal.open("rb") as fh:
            return fh.read(len(JOURNAL_MAGIC)) == JOURNAL_MAGIC
    except OSError:  # no journal: nothing in flight
        return False


def _stamp(db: Path) -> tuple[int, int]:
    st = db.stat()
    return st.st_size, st.st_mtime_ns


def _immutable_uri(db: Path) -> str:
    return db.resolve().as_uri() + "?mode=ro&immutable=1"


@contextmanager
def _connect(target: str, db: Path) -> Iterator[sqlite3.Connection]:
    try:
        conn = sqlite3.connect(target, uri=target.startswith("file:"), check_same_thread=False)
    except sqlite3.Error as exc:
        raise ReadError(str(db), f"cannot open the database ({exc})") from None
    try:
        yield conn
    finally:
        conn.close()


def _run(read: Callable[[sqlite3.Connection], T], conn: sqlite3.Connection, db: Path) -> T:
    try:
        return read(conn)
    except sqlite3.DatabaseError as exc:
        raise ReadError(str(db), f"cannot read the Zotero database ({exc})") from None


@contextmanager
def _private_copy(db: Path) -> Iterator[Path]:
    """The database with its WAL or hot journal, copied where SQLite may recover it."""
    with tempfile.TemporaryDirectory(prefix="emlit-zotero-") as tmp:
        copy = Path(tmp) / db.name
        for _ in range(ATTEMPTS):  # until no write landed in the file while we copied
            before = _stamp(db)
            try:
                shutil.copyfile(db, copy)
                for suffix in ("-wal", "-journal"):
                    side = copy.with_name(copy.name + suffix)
                    side.unlink(missing_ok=True)
                    with suppress(FileNotFoundError):  # committed meanwhile: no longer needed
                        shutil.copyfile(db.with_name(db.name + suffix), side)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise ReadError(str(db), f"cannot copy the database ({reason})") from None
            if _stamp(db) == before:
                break
        yield copy
