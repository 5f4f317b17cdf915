"""Helpers shared by the command modules."""

from __future__ import annotations

import click

from emlit.store import Store


def open_store(ctx: click.Context) -> Store:
    """The store named by ``--db`` / ``$EMLIT_DB``; created on first use."""
    return Store(ctx.find_root().obj["db_path"])
