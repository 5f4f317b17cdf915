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
    _tx_depth: int = 0  # 1 inside ``transaction()``

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write; a locked or broken database becomes a clear EmlitError.

        Nested use joins the outer transaction (sqlite3 commits only at the outermost exit).
        """
        # sqlite3 starts a transaction at the first write, so ``in_transaction`` alone would
        # let a nested block opened before any write commit on its own: count the depth.
        if self.conn.in_transaction or self._tx_depth:
            yield self.conn
            return
        self._tx_depth = 1
        try:
            with self.conn:
                yield self.conn
        except sqlite3.OperationalError as exc:
            raise EmlitError(f"{self.path}: {explain(exc)}") from None
        finally:
            self._tx_depth = 0
