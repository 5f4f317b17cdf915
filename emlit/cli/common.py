"""Helpers shared by the command modules."""

from __future__ import annotations

from pathlib import Path

import click

from emlit.errors import EmlitError
from emlit.store import Store, default_db_path


def db_path(ctx: click.Context) -> str:
    """The database named by ``--db``, else ``$EMLIT_DB``, else ``./emlit.db``."""
    return ctx.find_root().obj.get("db_path") or default_db_path()


def open_store(ctx: click.Context, *, reading: bool = False, required: bool = False) -> Store:
    """The store named by ``--db`` / ``$EMLIT_DB``; created on first use.

    A command that only reads (``reading``) and finds no file there says so on stderr and
    reads an empty store in memory: a mistyped path would otherwise leave a new empty
    database behind and print an empty answer as if it were the researcher's library. A
    command whose empty answer would overwrite something (``required``: an export replacing
    a good graph file, or emptying a synced vault folder) stops with an error instead."""
    path = db_path(ctx)
    if (reading or required) and path != ":memory:" and not Path(path).exists():
        where = f"no store at {path}"
        hint = "emlit ingest creates one; --db or $EMLIT_DB name another"
        if required:
            raise EmlitError(f"{where}, so nothing was written ({hint})")
        click.echo(f"emlit: {where} yet, so there is nothing to read ({hint})", err=True)
        return Store()
    return Store(path)
