"""Saved cue profiles of claim texts (table ``cue_profiles``): derived data, like ``tag_cache``.

A row is one text's ``emlit.evidence.profile.TextInfo`` as JSON, keyed by the sha256 of the
text and tagged with the profile version that computed it; only rows of the version asked for
are read. Rows are never deleted with their claim (the text may come back, and a row is a few
hundred bytes); one of another version is replaced when its text is profiled again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from emlit.store.base import Writable
from emlit.store.sql import id_chunks


class ProfileStore(Writable):
    def cue_profiles(self, text_hashes: Sequence[str], version: str) -> dict[str, str]:
        """Text hash -> saved profile (JSON) of the given texts saved under ``version``."""
        out: dict[str, str] = {}
        for chunk, marks in id_chunks(list(dict.fromkeys(text_hashes))):
            out.update(
                self.conn.execute(
                    f"SELECT text_hash, profile FROM cue_profiles WHERE text_hash IN ({marks}) "
                    "AND version = ?",
                    [*chunk, version],
                ).fetchall()
            )
        return out

    def put_cue_profiles(self, version: str, rows: Iterable[tuple[str, str]]) -> None:
        """Save (text hash, profile JSON) rows under ``version`` in one transaction."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO cue_profiles (text_hash, version, profile) "
                "VALUES (?, ?, ?)",
                ((h, version, profile) for h, profile in rows),
            )
