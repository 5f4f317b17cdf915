"""``emlit ingest PATH...`` (contract 3)."""

from __future__ import annotations

from collections.abc import Callable

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from emlit.cli.common import open_store
from emlit.ingest import IngestReport, ingest_paths
from emlit.ingest import Progress as IngestProgress


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
    for path, reason in report.failed:
        console.print(f"failed: {path}: {reason}", highlight=False, markup=False, soft_wrap=True)


def run_ingest(ctx: click.Context, paths: tuple[str, ...], *, stages: bool = True) -> IngestReport:
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
        return ingest_paths(store, paths, progress=RichProgress(bars), run_stages=stages)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--no-stages", is_flag=True, help="Stop after finding claims (skip tagging and linking)."
)
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], no_stages: bool) -> None:
    """Ingest files and folders (recursive): read, find claims, tag, link.

    Markdown/Obsidian/Logseq/Zotero notes, Jekyll/Hugo posts, HTML, PDF, BibTeX and text.
    Unchanged files are skipped. Exit status 0 when every file was ingested, 1 when some
    failed (each named with its reason on stderr), 2 on bad usage.

    \b
    Example:
        emlit ingest notes/ papers/wei2022.pdf refs.bib
    """
    report = run_ingest(ctx, paths, stages=not no_stages)
    out = Console(highlight=False)
    print_report(report, out)
    if report.failed:
        ctx.exit(1)
