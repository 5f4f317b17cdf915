"""Apply schema migrations in order, once each, recording them in ``migrations``."""

from __future__ import annotations

import importlib
import sqlite3
from datetime import UTC, datetime

# Each module exposes MIGRATIONS: list[(name, sql)]. A feature with tables of its own adds
# its module here; names are prefixed by the feature ("core/", "poll/") so they never clash.
MIGRATION_MODULES = ["emlit.store.schema", "emlit.poll.schema", "emlit.evidence.schema"]


def all_migrations() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for module_name in MIGRATION_MODULES:
        found.extend(importlib.import_module(module_name).MIGRATIONS)
    return found


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Bring the database up to date; returns the names of the migrations applied now."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    applied: list[str] = []
    for name, sql in all_migrations():
        if name in done:
            continue
        # executescript commits first; wrap the migration and its record in one transaction.
        conn.executescript(
            "BEGIN;\n"
            + sql
            + f"\nINSERT INTO migrations VALUES ('{name}', '{datetime.now(UTC).isoformat()}');\nCOMMIT;"
        )
        applied.append(name)
    return applied
