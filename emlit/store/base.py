"""What every part of the store stands on: a connection, and for writers a transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from emlit.errors import EmlitError
from emlit.store.sql import explain

if TYPE_CHECKING:
    import sqlite_utils


class Connected:
    """A part of the store that reads through one plain sqlite3 connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


class Writable(Connected):
    """A part of the store that writes: sqlite-utils for rows, one transaction per change."""

    path: str
    db: sqlite_utils.Database

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write; a locked or broken database becomes a clear EmlitError.

        Nested use joins the outer transaction (sqlite3 commits only at the outermost exit).
        """
        if self.conn.in_transaction:
            yield self.conn
            return
        try:
            with self.conn:
                yield self.conn
        except sqlite3.OperationalError as exc:
            raise EmlitError(f"{self.path}: {explain(exc)}") from None
