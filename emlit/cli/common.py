"""Helpers shared by the command modules."""

from __future__ import annotations

import click

from emlit.store import Store, default_db_path


def db_path(ctx: click.Context) -> str:
    """The database named by ``--db``, else ``$EMLIT_DB``, else ``./emlit.db``."""
    return ctx.find_root().obj.get("db_path") or default_db_path()


def open_store(ctx: click.Context) -> Store:
    """The store named by ``--db`` / ``$EMLIT_DB``; created on first use."""
    return Store(db_path(ctx))
