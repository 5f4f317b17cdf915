"""``emlit ingest``: files -> readers -> sentences -> claims -> store -> later stages.

Incremental by content hash: a file whose bytes have not changed since the last run is not
even parsed. A changed file replaces its machine-made claims; claims whose text did not
change keep their ids, so human decisions on them survive.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from emlit import pipeline
from emlit.errors import EmlitError, ReadError
from emlit.filework import DocRecord, FileRecord, FileTask, process_file
from emlit.readers import supported
from emlit.readers.base import read_bytes
from emlit.store import Store
from emlit.zotero import DB_NAME as ZOTERO_DB
from emlit.zotero import ZoteroOptions, zotero_dir_of

if TYPE_CHECKING:
    from emlit.zotero.sync import ZoteroLibrary

SKIP_DIRS = {".git", ".obsidian", ".trash", "node_modules", "__pycache__", ".venv", "venv"}


class StageCrash(RuntimeError):
    """Tagging or embedding failed in the per-file work: a bug, not a bad file. It stops the
    ingest with the worker's traceback, as the stage itself would have."""


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    skipped: list[str] = field(default_factory=list)  # unsupported file types inside folders
    removed: list[str] = field(default_factory=list)  # documents gone from their source
    claims_found: int = 0
    new_claim_ids: list[str] = field(default_factory=list)
    stages_run: list[str] = field(default_factory=list)
    tagged: set[str] = field(default_factory=set)  # new claims the per-file work tagged
    pages: int = 0  # PDF pages read
    seconds: float = 0.0  # wall time of the whole ingest
    ran_on: str = "this process"  # where the per-file work ran (emlit.parallel.Plan)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, object]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "failed": len(self.failed),
            "removed": len(self.removed),
            "claims_found": self.claims_found,
            "new_claims": len(self.new_claim_ids),
            "failures": [{"path": p, "reason": r} for p, r in self.failed],
        }


class Progress:
    """Callbacks the CLI turns into progress bars; the defaults do nothing."""

    def files(self, total: int) -> None: ...
    def file_done(self, path: str, *, pages: int = 0, claims: int = 0) -> None: ...
    def stage(self, name: str, total: int) -> Callable[[int], None]:
        return lambda n: None


def discover(
    paths: Iterable[str | os.PathLike[str]],
    zotero_dirs: list[Path] | None = None,
) -> tuple[list[tuple[Path, Path]], list[tuple[str, str]], list[str]]:
    """Files to ingest under ``paths`` (recursive) with the path given for each, missing
    paths, and unsupported files. Zotero data directories (a folder holding zotero.sqlite)
    are not walked: they are appended to ``zotero_dirs`` for the Zotero source."""
    files: list[tuple[Path, Path]] = []
    missing: list[tuple[str, str]] = []
    skipped: list[str] = []
    found_zotero = zotero_dirs if zotero_dirs is not None else []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            missing.append((str(raw), "no such file or directory"))
        elif (library := zotero_dir_of(path)) is not None:
            found_zotero.append(library)
        elif path.is_dir():
            for root, dirs, names in os.walk(path):
                if ZOTERO_DB in names:  # storage/ holds files of trashed items too: ask Zotero
                    found_zotero.append(Path(root))
                    dirs[:] = []
                    continue
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(names):
                    child = Path(root) / name
                    if name.startswith("."):
                        continue
                    if supported(child):
                        files.append((child, path))
                    else:
                        skipped.append(str(child))
        elif supported(path):
            files.append((path, path))
        else:
            missing.append((str(raw), f"unsupported file type {path.suffix or '(none)'}"))
    return files, missing, skipped


def display_path(path: Path, root: Path | None = None) -> str:
    """How users see a document: relative to the current folder when it lies inside it,
    else relative to the parent of the folder they ingested ("notes/wei2022.md")."""
    absolute = path.resolve()
    for base in (Path.cwd(), (root or path).resolve().parent):
        try:
            rel = os.path.relpath(absolute, base)
        except ValueError:  # another drive (Windows)
            continue
        if not rel.startswith(".."):
            return rel
    return str(absolute)


def ingest_file(store: Store, path: Path, report: IngestReport, root: Path | None = None) -> None:
    """Ingest one file in this process (``ingest_paths`` does many, on as many cores)."""
    entry = plan_file(store, 0, path, root or path, report, stages=False)
    if isinstance(entry, FileTask):
        save_record(store, process_file(entry), report)


def plan_file(
    store: Store, index: int, path: Path, root: Path, report: IngestReport, *, stages: bool
) -> FileTask | None:
    """The work for ``path``, or None when it needs none: its bytes hash to what is stored
    (unchanged), or it cannot be read at all (failed). Raises ReadError for the latter."""
    identity = str(path.resolve())
    digest = hashlib.sha256(read_bytes(path)).hexdigest()
    previous = store.documents_under(identity)
    if previous and all(row["content_hash"] == digest for row in previous):
        report.unchanged.append(str(path))
        return None
    where = store.path if store.path == ":memory:" else str(Path(store.path).resolve())
    return FileTask(index, str(path), identity, identity, display_path(path, root), stages, where)


def save_record(
    store: Store, record: FileRecord, report: IngestReport, tag_version: str | None = None
) -> None:
    """Write what the per-file work found for one file, in one transaction: its documents
    and claims, and for new claims their vectors and, when they were made by the model this
    store tags with (``tag_version``), their tags (through the tag cache, as the tag stage
    does). A record of a file that could not be read changes nothing stored."""
    task = record.task
    if record.fatal:
        raise EmlitError(record.fatal)
    if record.crash:
        raise StageCrash(f"the per-file work on {task.path} failed:\n{record.crash}")
    if record.error is not None:
        report.failed.append((task.path, record.error))
        return
    previous = store.documents_under(task.identity)
    if previous and all(row["content_hash"] == record.content_hash for row in previous):
        report.unchanged.append(task.path)  # the same file twice in one run
        return
    kept: set[str] = set()
    status = "added"
    found, new_ids, tagged = 0, [], []
    with store.transaction():
        for d in record.docs:
            kept.add(d.identity)
            saved = store.save_document(
                d.doc,
                path=d.identity,
                display_path=d.display,
                content_hash=record.content_hash,
                claims=d.claims,
            )
            if saved.status == "updated":
                status = "updated"
            found += saved.claim_count
            new_ids += saved.new_claim_ids
            if d.tags is not None and saved.new_claim_ids:
                tagged += save_tags_and_vectors(
                    store, record, d, saved.new_claim_ids, record.tag_version == tag_version
                )
        for row in previous:  # entries that disappeared from a changed BibTeX file
            if row["path"] not in kept:
                store.delete_document(row["path"])
                status = "updated"
    report.claims_found += found
    report.new_claim_ids.extend(new_ids)
    report.tagged.update(tagged)
    report.pages += record.pages
    (report.updated if status == "updated" else report.added).append(task.path)


def save_tags_and_vectors(
    store: Store, record: FileRecord, d: DocRecord, new_ids: Sequence[str], tags_fit: bool
) -> list[str]:
    """Vectors of the new claims, and their tags when ``tags_fit`` (made by the tagger this
    store uses; else the tag stage tags them here). Returns the ids tagged."""
    from emlit.tagging.stage import save_tag_results

    assert d.tags is not None and d.vectors is not None and record.tag_version
    new = set(new_ids)
    at = {c.id: i for i, c in enumerate(d.claims) if c.id in new}
    claims = [(c.id, c.text, c.lang) for c in d.claims if c.id in at]
    results = d.tags
    if record.encoder:
        store.put_embeddings(
            record.encoder, [(cid, record.dim, d.vectors[at[cid]]) for cid, _, _ in claims]
        )
    if not tags_fit:
        return []
    save_tag_results(
        store, claims, lambda todo: [results[at[cid]] for cid, _, _ in todo], record.tag_version
    )
    return [cid for cid, _, _ in claims]


def ingest_paths(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    progress: Progress | None = None,
    run_stages: bool = True,
    root: Path | None = None,
    zotero: ZoteroOptions | None = None,
    workers: int | None = 1,
    dask: str | None = None,
) -> IngestReport:
    """Ingest files and folders into ``store``; one bad file never stops the others.

    ``root`` is the folder display paths are taken from, when it is not the path given
    (``emlit watch`` re-reads one file of a folder it watches). Zotero data directories
    among ``paths`` are read as libraries (contract 13), as ``zotero`` says.

    The per-file work (read, segment, find claims, tag, embed) of the files that changed
    runs in this process (``workers=1``), in a pool of ``workers`` local processes (None:
    every core, when the batch is big enough to pay for starting them) or on the Dask
    cluster at ``dask`` (contract 10); this process writes the store, file by file in the
    order the files were found, then links the new claims."""
    from emlit import parallel

    started = time.perf_counter()
    progress = progress or Progress()
    report = IngestReport()
    zotero_dirs: list[Path] = []
    files, missing, skipped = discover(paths, zotero_dirs)
    report.failed.extend(missing)
    report.skipped.extend(skipped)
    libraries = open_zotero_libraries(zotero_dirs, zotero or ZoteroOptions(), report)
    progress.files(len(files) + sum(lib.size for lib in libraries))
    # Unchanged files are known by their hash before any work is sent out.
    entries: list[tuple[Path, FileTask | str | None]] = []
    tasks: list[FileTask] = []
    sizes: list[int] = []
    for path, base in files:
        try:
            task = plan_file(store, len(tasks), path, root or base, report, stages=run_stages)
        except ReadError as exc:
            entries.append((path, exc.reason))
            continue
        entries.append((path, task))
        if task is not None:
            tasks.append(task)
            sizes.append(_size(path))
    how = parallel.plan(workers, dask, tasks, sizes)
    report.ran_on = how.describe()
    records = parallel.run(how, tasks)
    tag_version = _tag_version(store) if run_stages and tasks else None
    try:
        for path, entry in entries:
            pages = claims = 0
            if isinstance(entry, str):
                report.failed.append((str(path), entry))
            elif entry is not None:
                record = next(records)
                try:
                    save_record(store, record, report, tag_version)
                except (EmlitError, StageCrash):
                    raise  # the store is unusable (locked, not a database), or a stage broke
                except Exception as exc:  # bad data from a reader must not lose the others
                    report.failed.append((str(path), f"unexpected {type(exc).__name__}: {exc}"))
                pages, claims = record.pages, record.claims
            progress.file_done(str(path), pages=pages, claims=claims)
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()  # stops the workers if the store failed
    for library in libraries:
        library.sync(store, report, progress, _runner(workers, dask), run_stages)
    if run_stages and report.new_claim_ids:
        run_pipeline_stages(store, report.new_claim_ids, progress, report, workers=workers)
    report.seconds = time.perf_counter() - started
    return report


def _runner(
    workers: int | None, dask: str | None
) -> Callable[[list[FileTask]], Iterator[FileRecord]]:
    """Runs a Zotero library's documents to build as the files of this ingest run."""
    from emlit import parallel

    def run(tasks: list[FileTask]) -> Iterator[FileRecord]:
        sizes = [_size(Path(t.location)) if t.location else 0 for t in tasks]
        how = parallel.plan(workers, dask, tasks, sizes)
        return parallel.run(how, tasks)

    return run


def _tag_version(store: Store) -> str:
    """The tagger version this store's tags are made with (its trained model's, if any)."""
    from emlit.tagging.learn import store_model_version

    return store_model_version(store.path)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def open_zotero_libraries(
    dirs: Sequence[Path], options: ZoteroOptions, report: IngestReport
) -> list[ZoteroLibrary]:
    """Read each Zotero database once; a bad one is named in the report with its reason."""
    if not dirs:
        return []
    from emlit.zotero.sync import open_library  # only when a library turns up

    libraries = []
    for folder in dict.fromkeys(dirs):
        try:
            libraries.append(open_library(folder, options))
        except ReadError as exc:
            report.failed.append((exc.path, exc.reason))
    return libraries


def run_pipeline_stages(
    store: Store,
    claim_ids: Sequence[str],
    progress: Progress,
    report: IngestReport | None = None,
    *,
    workers: int | None = 1,
) -> None:
    """The later stages on new claims; a stage the per-file work did (``pipeline.PER_FILE``)
    runs only on the claims it did not cover (those of Zotero items). ``workers`` goes to
    the stages that can use processes (``pipeline.PARALLEL``)."""
    done = report.tagged if report is not None else set()
    for name, spec in pipeline.STAGES:
        ids = [c for c in claim_ids if c not in done] if name in pipeline.PER_FILE else claim_ids
        if ids or name not in pipeline.PER_FILE:
            stage = pipeline.load_stage(spec)
            extra = {"workers": workers} if name in pipeline.PARALLEL else {}
            stage(store, ids, progress.stage(name, len(ids)), **extra)
        if report is not None:
            report.stages_run.append(name)
