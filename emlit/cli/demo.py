"""``emlit demo``: ingest the bundled corpus into a fresh database and show it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from rich.console import Console

from emlit.cli import common
from emlit.cli.ingest import print_report, run_ingest
from emlit.demo import load_extras, summary
from emlit.paths import corpus_dir
from emlit.store import Store

DEMO_DB = "emlit-demo.db"


@click.command()
@click.option("--no-tui", is_flag=True, help="Print a summary instead of opening the TUI.")
@click.pass_context
def demo(ctx: click.Context, no_tui: bool) -> None:
    """Ingest the bundled corpus into a fresh database and open the TUI.

    It reads the notes in corpus/notes/ and loads the curated evidence map in
    corpus/evidence/. Without a terminal (or with --no-tui) it prints a summary instead. The database is
    emlit-demo.db in the current folder unless --db or $EMLIT_DB says otherwise.

    \b
    Example:
        emlit demo --no-tui
    """
    root = ctx.find_root()
    if not root.obj.get("db_path") and not os.environ.get("EMLIT_DB"):
        root.obj["db_path"] = DEMO_DB
    db_path = Path(common.db_path(ctx))
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    corpus = corpus_dir()
    console = Console(highlight=False)
    console.print(f"ingesting {corpus / 'notes'} into {db_path} ...")
    report = run_ingest(ctx, (str(corpus / "notes"),))
    with Store(db_path) as store:
        load_extras(store, corpus)
        print_report(report, console)
        console.print(summary(store), soft_wrap=True)
    if not no_tui and sys.stdin.isatty() and sys.stdout.isatty():
        from emlit.cli.tui import run_tui

        run_tui(str(db_path))
        return
    db = f"emlit --db {db_path}"
    console.print("\nnext:", soft_wrap=True)
    for command, what in (
        ("tui", "browse, review and correct"),
        ("claims --definition D4 --explain", "claims using D4, and why"),
        ("analyze", "counters that talk past each other"),
        ("export --format html --out graph.html", "the evidence graph, offline"),
    ):
        console.print(f"  {db} {command:<40} {what}", soft_wrap=True)
