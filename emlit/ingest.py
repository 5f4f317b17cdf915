"""``emlit ingest``: files -> readers -> sentences -> claims -> store -> later stages.

Incremental by content hash: a file whose bytes have not changed since the last run is not
even parsed. A changed file replaces its machine-made claims; claims whose text did not
change keep their ids, so human decisions on them survive.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from emlit import pipeline
from emlit.claims import detect_claims
from emlit.errors import EmlitError, ReadError
from emlit.lang import detect_lang
from emlit.readers import read_document, supported
from emlit.readers.base import read_bytes
from emlit.segment import segment
from emlit.store import Store
from emlit.zotero import DB_NAME as ZOTERO_DB
from emlit.zotero import ZoteroOptions, zotero_dir_of

if TYPE_CHECKING:
    from emlit.zotero.sync import ZoteroLibrary

SKIP_DIRS = {".git", ".obsidian", ".trash", "node_modules", "__pycache__", ".venv", "venv"}


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
    def file_done(self, path: str) -> None: ...
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
    identity = str(path.resolve())
    data = read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    previous = store.documents_under(identity)
    if previous and all(row["content_hash"] == digest for row in previous):
        report.unchanged.append(str(path))
        return
    documents = read_document(path)
    shown = display_path(path, root)
    kept: set[str] = set()
    status = "added"
    for doc in documents:
        doc_identity = identity + (f"#{doc.key}" if doc.key else "")
        kept.add(doc_identity)
        doc.metadata.setdefault("lang", detect_lang(doc.text[:20000]))
        sentences = segment(doc.text, doc.blocks)
        claims = detect_claims(doc_identity, sentences)
        saved = store.save_document(
            doc,
            path=doc_identity,
            display_path=shown + (f"#{doc.key}" if doc.key else ""),
            content_hash=digest,
            claims=claims,
        )
        if saved.status == "updated":
            status = "updated"
        report.claims_found += saved.claim_count
        report.new_claim_ids.extend(saved.new_claim_ids)
    for row in previous:  # entries that disappeared from a changed BibTeX file
        if row["path"] not in kept:
            store.delete_document(row["path"])
            status = "updated"
    (report.updated if status == "updated" else report.added).append(str(path))


def ingest_paths(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    progress: Progress | None = None,
    run_stages: bool = True,
    root: Path | None = None,
    zotero: ZoteroOptions | None = None,
) -> IngestReport:
    """Ingest files and folders into ``store``; one bad file never stops the others.

    ``root`` is the folder display paths are taken from, when it is not the path given
    (``emlit watch`` re-reads one file of a folder it watches). Zotero data directories
    among ``paths`` are read as libraries (contract 13), as ``zotero`` says."""
    progress = progress or Progress()
    report = IngestReport()
    zotero_dirs: list[Path] = []
    files, missing, skipped = discover(paths, zotero_dirs)
    report.failed.extend(missing)
    report.skipped.extend(skipped)
    libraries = open_zotero_libraries(zotero_dirs, zotero or ZoteroOptions(), report)
    progress.files(len(files) + sum(lib.size for lib in libraries))
    for path, base in files:
        try:
            ingest_file(store, path, report, root or base)
        except ReadError as exc:
            report.failed.append((str(path), exc.reason))
        except EmlitError:
            raise  # the store itself is unusable (locked, not a database): stop here
        except Exception as exc:  # a reader bug must not lose the rest of the batch
            report.failed.append((str(path), f"unexpected {type(exc).__name__}: {exc}"))
        progress.file_done(str(path))
    for library in libraries:
        library.sync(store, report, progress)
    if run_stages and report.new_claim_ids:
        run_pipeline_stages(store, report.new_claim_ids, progress, report)
    return report


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
    store: Store, claim_ids: Sequence[str], progress: Progress, report: IngestReport | None = None
) -> None:
    for name, spec in pipeline.STAGES:
        stage = pipeline.load_stage(spec)
        stage(store, claim_ids, progress.stage(name, len(claim_ids)))
        if report is not None:
            report.stages_run.append(name)
