"""``emlit ingest PATH...`` (contract 3)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from emlit.cli.common import open_store
from emlit.cli.options import encoder_option, workers_option
from emlit.ingest import IngestReport, ingest_paths
from emlit.ingest import Progress as IngestProgress
from emlit.zotero import ZoteroOptions, zotero_dir_of


class RichProgress(IngestProgress):
    """Progress bars on stderr, so stdout stays clean for scripts: files done, with pages
    and claims per second while files are read, then a bar per later stage."""

    def __init__(self, bars: Progress) -> None:
        self.bars = bars
        self.file_task: object | None = None
        self.started = time.perf_counter()
        self.pages = 0
        self.claims = 0

    def files(self, total: int) -> None:
        self.started = time.perf_counter()
        self.file_task = self.bars.add_task("reading", total=total, rates="")

    def file_done(self, path: str, *, pages: int = 0, claims: int = 0) -> None:
        if self.file_task is None:
            return
        self.pages += pages
        self.claims += claims
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        rates = ""
        if self.pages or self.claims:
            rates = f"{self.pages / elapsed:.1f} pages/s, {self.claims / elapsed:.0f} claims/s"
        self.bars.update(self.file_task, advance=1, rates=rates)  # type: ignore[arg-type]

    def stage(self, name: str, total: int) -> Callable[[int], None]:
        task = self.bars.add_task(name, total=total, rates="")
        return lambda n: self.bars.update(task, advance=n)


def progress_bars(console: Console) -> Progress:
    """Files (with their rate and pages and claims per second), elapsed time and an ETA;
    quiet when stdout or stderr is not a terminal (a script, a log file)."""
    return Progress(
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rates]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not (sys.stdout.isatty() and console.is_terminal),
    )


def duration(seconds: float) -> str:
    """41.2s, 2m03s, 1h02m."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def throughput_line(report: IngestReport) -> str:
    """What this run read and how fast: ``ingested 100 files (760 pages, 5,432 claims) in
    2m03s on 2 worker processes: 6.2 pages/s, 44 claims/s``; with nothing read, what was
    skipped (``ingested 0 files in 0.4s (140 unchanged)``)."""
    files = len(report.added) + len(report.updated)
    seconds = max(report.seconds, 1e-6)
    took = duration(report.seconds)
    if not files:
        skipped = [
            f"{n:,} {what}"
            for n, what in ((len(report.unchanged), "unchanged"), (len(report.failed), "failed"))
            if n
        ]
        return f"ingested 0 files in {took}" + (f" ({', '.join(skipped)})" if skipped else "")
    counts = ([f"{report.pages:,} pages"] if report.pages else []) + [
        f"{report.claims_found:,} claims"
    ]
    first = (
        f"{report.pages / seconds:.1f} pages/s"
        if report.pages
        else f"{files / seconds:.1f} files/s"
    )
    where = "in" if report.ran_on == "this process" else "on"
    return (
        f"ingested {files:,} file{'s' if files != 1 else ''} ({', '.join(counts)}) in {took} "
        f"{where} {report.ran_on}: {first}, {report.claims_found / seconds:.0f} claims/s"
    )


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
    workers: int | None = 1,
    dask: str | None = None,
) -> IngestReport:
    err = Console(stderr=True)
    with open_store(ctx) as store, progress_bars(err) as bars:
        return ingest_paths(
            store,
            paths,
            progress=RichProgress(bars),
            run_stages=stages,
            zotero=zotero,
            workers=workers,
            dask=dask,
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
@workers_option(
    "Worker processes for the per-file work: read, find claims, tag (default: every "
    "core; a small batch runs in this process). 1: all in this process.",
)
@click.option(
    "--dask",
    metavar="ADDRESS",
    help="Run the per-file work on an existing Dask cluster, e.g. tcp://10.0.0.5:8786. The "
    "workers open the files by their absolute paths: keep the library on a shared file system.",
)
@encoder_option
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    no_stages: bool,
    zotero_collection: str | None,
    zotero_base_dir: Path | None,
    workers: int | None,
    dask: str | None,
) -> None:
    """Ingest files and folders (recursive): read, find claims, tag, link.

    Markdown/Obsidian/Logseq/Zotero notes, Jekyll/Hugo posts, HTML, PDF, BibTeX and text.
    A folder holding zotero.sqlite is a Zotero library: items with their metadata, PDFs,
    notes and annotations (read-only, also while Zotero runs). Unchanged files and items
    are skipped. Exit status 0 when every file was ingested, 1 when some failed (each
    named with its reason on stderr), 2 on bad usage.

    Identical results on one core, every core (--workers) or a Dask cluster (--dask); a
    progress bar while it runs, then a summary line with the throughput.

    \b
    Examples:
        emlit ingest notes/ papers/wei2022.pdf refs.bib
        emlit ingest ~/Zotero --zotero-collection Emergence
        emlit ingest ~/papers --workers 4
        emlit ingest /shared/arxiv --dask tcp://10.0.0.5:8786
    """
    if (zotero_collection or zotero_base_dir) and not any(zotero_dir_of(Path(p)) for p in paths):
        option = "--zotero-collection" if zotero_collection else "--zotero-base-dir"
        raise click.UsageError(f"{option}: none of the paths is a Zotero data directory")
    if workers is not None and dask:
        raise click.UsageError("--workers and --dask: choose one (Dask workers are started apart)")
    zotero = ZoteroOptions(collection=zotero_collection, base_dir=zotero_base_dir)
    report = run_ingest(ctx, paths, stages=not no_stages, zotero=zotero, workers=workers, dask=dask)
    out = Console(highlight=False)
    print_report(report, out)
    out.print(throughput_line(report), highlight=False, markup=False, soft_wrap=True)
    if report.failed:
        ctx.exit(1)
