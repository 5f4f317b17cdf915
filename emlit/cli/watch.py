"""``emlit watch PATH...``: ingest, then keep the store in sync as files change."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from emlit.cli.common import open_store
from emlit.cli.ingest import RichProgress, print_report
from emlit.cli.options import encoder_option
from emlit.ingest import IngestReport, display_path
from emlit.watch import DEFAULT_DEBOUNCE_MS, Watcher, stop_on_signals
from emlit.zotero import ZoteroOptions, zotero_dir_of


def _say(line: str) -> None:
    """One log line on stdout, at once (a pipe would otherwise hold it back)."""
    click.echo(line)
    sys.stdout.flush()


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--debounce",
    "debounce_ms",
    type=click.IntRange(min=1),
    default=DEFAULT_DEBOUNCE_MS,
    show_default=True,
    metavar="MS",
    help="Gather a burst of changes for up to MS milliseconds before re-ingesting.",
)
@click.option(
    "--no-stages", is_flag=True, help="Stop after finding claims (skip tagging and linking)."
)
@click.option(
    "--zotero-collection",
    metavar="NAME",
    help="In a Zotero data directory, only items in this collection (as `emlit ingest`).",
)
@click.option(
    "--zotero-base-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Zotero's 'Linked Attachment Base Directory' (as `emlit ingest`).",
)
@encoder_option
@click.pass_context
def watch(
    ctx: click.Context,
    paths: tuple[str, ...],
    debounce_ms: int,
    no_stages: bool,
    zotero_collection: str | None,
    zotero_base_dir: Path | None,
) -> None:
    """Ingest files and folders, then re-ingest them as they change, until Ctrl-C.

    First an `emlit ingest PATH...` (documents of files deleted meanwhile are removed), then
    one log line per change: a new or edited file is read again (added/updated, with its
    claims tagged and linked), a deleted one loses its claims (removed), an unreadable one
    is named with the reason (failed). A Zotero data directory (a folder with zotero.sqlite)
    is read again whenever Zotero writes its database. Hidden files, editor temp files and
    unsupported files are ignored. Ctrl-C or SIGTERM stops after the change in hand, prints
    a summary and exits 0. `emlit tui` shows the new claims as they arrive.

    \b
    Example:
        emlit watch notes/ ~/Zotero refs.bib
        14:03:04 updated notes/wei2022.md: 14 claims (2 new)
        14:05:40 removed notes/draft.md: 3 claims
    """
    if (zotero_collection or zotero_base_dir) and not any(zotero_dir_of(Path(p)) for p in paths):
        option = "--zotero-collection" if zotero_collection else "--zotero-base-dir"
        raise click.UsageError(f"{option}: none of the paths is a Zotero data directory")
    err = Console(stderr=True)
    out = Console(highlight=False)
    with open_store(ctx) as store:
        watcher = Watcher(
            store,
            paths,
            run_stages=not no_stages,
            debounce_ms=debounce_ms,
            zotero=ZoteroOptions(collection=zotero_collection, base_dir=zotero_base_dir),
            on_event=lambda event: _say(event.line()),
        )
        bars = Progress(
            TextColumn("{task.description:>8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )

        def ready(report: IngestReport) -> None:
            bars.stop()
            print_report(report, out)
            shown = ", ".join(
                display_path(r.path) + ("/" if r.folder else "") for r in watcher.roots
            )
            _say(f"watching {shown} (Ctrl-C to stop)")

        with stop_on_signals(watcher.stop_event):
            bars.start()
            try:
                summary = watcher.run(progress=RichProgress(bars), ready=ready)
            finally:
                bars.stop()
        _say(summary.line())
