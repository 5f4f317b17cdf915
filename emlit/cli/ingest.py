"""``emlit ingest PATH...`` (contract 3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from emlit.cli.common import open_store
from emlit.cli.options import encoder_option
from emlit.ingest import IngestReport, ingest_paths
from emlit.ingest import Progress as IngestProgress
from emlit.zotero import ZoteroOptions, zotero_dir_of


class RichProgress(IngestProgress):
    """Progress bars on stderr, so stdout stays clean for scripts."""

    def __init__(self, bars: Progress) -> None:
        self.bars = bars
        self.file_task: object | None = None

    def files(self, total: int) -> None:
        self.file_task = self.bars.add_task("reading", total=total)

    def file_done(self, path: str) -> None:
        self.bars.update(self.file_task, advance=1)  # type: ignore[arg-type]

    def stage(self, name: str, total: int) -> Callable[[int], None]:
        task = self.bars.add_task(name, total=total)
        return lambda n: self.bars.update(task, advance=n)


def print_report(report: IngestReport, console: Console) -> None:
    console.print(
        f"documents: {len(report.added)} added, {len(report.unchanged)} unchanged, "
        f"{len(report.updated)} updated, {len(report.failed)} failed; "
        f"claims found: {report.claims_found} ({len(report.new_claim_ids)} new)",
        highlight=False,
        soft_wrap=True,
    )
    if report.removed:
        console.print(f"removed: {len(report.removed)} documents gone from their source")
    for path, reason in report.failed:
        console.print(f"failed: {path}: {reason}", highlight=False, markup=False, soft_wrap=True)


def run_ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    *,
    stages: bool = True,
    zotero: ZoteroOptions | None = None,
) -> IngestReport:
    err = Console(stderr=True)
    with (
        open_store(ctx) as store,
        Progress(
            TextColumn("{task.description:>8}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bars,
    ):
        return ingest_paths(
            store, paths, progress=RichProgress(bars), run_stages=stages, zotero=zotero
        )


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--no-stages", is_flag=True, help="Stop after finding claims (skip tagging and linking)."
)
@click.option(
    "--zotero-collection",
    metavar="NAME",
    help="In a Zotero data directory, only items in this collection (name or path "
    "'Parent/Child') and its sub-collections.",
)
@click.option(
    "--zotero-base-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Zotero's 'Linked Attachment Base Directory' (default: read from Zotero's prefs.js).",
)
@encoder_option
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    no_stages: bool,
    zotero_collection: str | None,
    zotero_base_dir: Path | None,
) -> None:
    """Ingest files and folders (recursive): read, find claims, tag, link.

    Markdown/Obsidian/Logseq/Zotero notes, Jekyll/Hugo posts, HTML, PDF, BibTeX and text.
    A folder holding zotero.sqlite is a Zotero library: items with their metadata, PDFs,
    notes and annotations (read-only, also while Zotero runs). Unchanged files and items
    are skipped. Exit status 0 when every file was ingested, 1 when some failed (each
    named with its reason on stderr), 2 on bad usage.

    \b
    Examples:
        emlit ingest notes/ papers/wei2022.pdf refs.bib
        emlit ingest ~/Zotero --zotero-collection Emergence
    """
    if (zotero_collection or zotero_base_dir) and not any(zotero_dir_of(Path(p)) for p in paths):
        option = "--zotero-collection" if zotero_collection else "--zotero-base-dir"
        raise click.UsageError(f"{option}: none of the paths is a Zotero data directory")
    zotero = ZoteroOptions(collection=zotero_collection, base_dir=zotero_base_dir)
    report = run_ingest(ctx, paths, stages=not no_stages, zotero=zotero)
    out = Console(highlight=False)
    print_report(report, out)
    if report.failed:
        ctx.exit(1)
