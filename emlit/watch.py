"""Keep the store in sync with files and Zotero libraries as they change (``emlit watch``).

The watcher starts listening (watchfiles), ingests the paths once as ``emlit ingest`` does,
removes the documents of files that are gone, then turns each debounced batch of file-system
changes into actions:

- a supported file that exists now is ingested again (incremental by content hash, so an
  unchanged file costs one read): ``added`` / ``updated`` with its claim counts;
- a path that no longer exists loses what was stored from it (a file, a BibTeX file's
  entries, or a whole folder): ``removed``;
- a folder that appeared (moved or copied in) has each of its files ingested;
- inside a Zotero data directory (a folder holding ``zotero.sqlite``) only ``zotero.sqlite``,
  its ``-wal`` and supported files under ``storage/`` count, and any of them re-reads the
  library as one path (``ingest_paths`` on the directory).

The state on disk when a batch is handled decides, not the kind of event, so an editor's
save-by-rename (delete, then create) is one update. Hidden files and folders, the folders
``emlit ingest`` skips, editor temp files and unsupported files produce no action and no
line. Each change is applied in its own transaction(s); a store that is busy (another
writer) or a file that cannot be read is reported as ``failed`` and the watch goes on.

This module never imports Textual; the command-line front end is ``emlit/cli/watch.py``.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from emlit.errors import EmlitError
from emlit.ingest import SKIP_DIRS, IngestReport, Progress, display_path, ingest_paths
from emlit.readers import supported
from emlit.store import Store
from emlit.zotero import DB_NAME as ZOTERO_DB
from emlit.zotero import ZoteroOptions
from emlit.zotero import is_zotero_dir as is_library

if TYPE_CHECKING:
    from watchfiles import Change

DEFAULT_DEBOUNCE_MS = 1600  # watchfiles' own default: gather a burst of changes for up to 1.6 s
STEP_MS = 50  # a burst ends sooner when nothing changed for this long
TICK_MS = 200  # an idle watch still wakes this often (to retry a change the busy store refused)

# Zotero writes these when its library changes (the database in WAL mode, or not)
ZOTERO_FILES = {ZOTERO_DB, ZOTERO_DB + "-wal"}

# Files editors and downloaders write beside the real one (vim, emacs, JetBrains, browsers).
TEMP_NAME = re.compile(
    r"(~$|^#.*#$|^\.#|\.sw[a-p]$|\.sw[a-p]x$|\.tmp$|\.temp$|\.part$|\.crdownload$"
    r"|___jb_(tmp|old|bak)___$|^4913$)",
    re.IGNORECASE,
)

INGEST = "ingest"  # a file to (re)read
REMOVE = "remove"  # a path that is gone: drop what was stored from it
FOLDER = "folder"  # a folder that appeared: ingest its files
LIBRARY = "library"  # a Zotero data directory to re-read as one path


@dataclass(frozen=True)
class WatchRoot:
    """A path given on the command line: a folder (watched recursively) or one file."""

    path: Path  # absolute, resolved
    folder: bool

    @classmethod
    def of(cls, raw: str | os.PathLike[str]) -> WatchRoot:
        path = Path(raw).resolve()
        if path.name == ZOTERO_DB and path.is_file():
            path = path.parent  # a library named by its database: watch the data directory
        return cls(path, path.is_dir())

    def contains(self, path: Path) -> bool:
        return path == self.path or (self.folder and path.is_relative_to(self.path))

    @property
    def target(self) -> Path:
        """What to watch: the folder, or the folder of a file (an editor that saves by
        renaming would end a watch on the file itself)."""
        return self.path if self.folder else self.path.parent


@dataclass(frozen=True)
class Action:
    kind: str  # INGEST | REMOVE | FOLDER | LIBRARY
    path: Path
    root: Path  # the watched path it lies in: display paths are relative to it, as in ingest


@dataclass
class WatchEvent:
    """One line of the log."""

    kind: str  # added | updated | removed | failed
    path: str  # as users see it (``notes/wei2022.md``)
    claims: int | None = 0  # None: not known (a Zotero item removed or only re-described)
    new: int = 0
    reason: str = ""
    documents: int = 0  # when one change touched several documents (a folder, a library)
    at: datetime = field(default_factory=datetime.now)

    def line(self) -> str:
        stamp = f"{self.at:%H:%M:%S} {self.kind} {self.path}"
        if self.kind == "failed":
            return f"{stamp}: {self.reason}"
        what = [_count(self.documents, "document")] if self.documents else []
        if self.claims is not None:
            what.append(_count(self.claims, "claim"))
            if self.kind != "removed":
                what[-1] += f" ({self.new} new)"
        return f"{stamp}: {', '.join(what)}" if what else stamp


@dataclass
class WatchSummary:
    """Counts since the watch started, for the last line."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)

    def count(self, event: WatchEvent) -> None:
        setattr(self, event.kind, getattr(self, event.kind) + 1)

    def line(self) -> str:
        seconds = int(time.monotonic() - self.started)
        minutes, seconds = divmod(seconds, 60)
        hours, minutes = divmod(minutes, 60)
        took = f"{hours}:{minutes:02d}:{seconds:02d}"
        return (
            f"stopped after {took}: {self.added} added, {self.updated} updated, "
            f"{self.removed} removed, {self.failed} failed"
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# -- which changes matter ---------------------------------------------------------------


def library_of(path: Path, root: WatchRoot) -> Path | None:
    """The Zotero data directory ``path`` lies in (or is), looking no higher than the root."""
    folder = path if path.is_dir() else path.parent
    top = root.path if root.folder else root.path.parent
    while True:
        if is_library(folder):
            return folder
        if folder == top or not folder.is_relative_to(top):
            return None
        folder = folder.parent


def ignored(path: Path, root: WatchRoot) -> bool:
    """Hidden files and folders, folders ingest skips, and editor temp files (by name) in a
    watched folder; a file named on the command line is never ignored."""
    if not root.folder:
        return False
    if any(p.startswith(".") or p in SKIP_DIRS for p in path.relative_to(root.path).parts):
        return True
    return bool(TEMP_NAME.search(path.name))


def classify(path: Path, roots: Sequence[WatchRoot], *, added: bool = False) -> Action | None:
    """What to do about a change to ``path`` (absolute), judged by what is on disk now;
    ``added`` says the change created it (a modified folder is no reason to re-read it)."""
    root = next((r for r in roots if r.contains(path)), None)
    if root is None or ignored(path, root):
        return None
    library = library_of(path, root)
    if library is not None:
        if path.name in ZOTERO_FILES and path.parent == library:
            return Action(LIBRARY, library, root.path)
        if supported(path) and path.is_relative_to(library / "storage"):
            return Action(LIBRARY, library, root.path)
        if path == library and added:
            return Action(LIBRARY, library, root.path)  # a library moved in whole
        return None
    if path.is_dir():
        return Action(FOLDER, path, root.path) if added else None
    if path.is_file():
        return Action(INGEST, path, root.path) if supported(path) else None
    if not path.exists():
        return Action(REMOVE, path, root.path)
    return None  # a socket, a fifo...


def plan(
    changes: Iterable[tuple[object, str]], roots: Sequence[WatchRoot], *, ignore: Iterable[str] = ()
) -> list[Action]:
    """One debounced batch of raw changes ``(change, path)`` as actions, one per path, in
    path order. ``ignore`` names files never to act on (the database and its journals)."""
    skip = set(ignore)
    actions: dict[tuple[str, Path], Action] = {}
    for change, raw in changes:
        if raw in skip:
            continue
        added = getattr(change, "name", str(change)) == "added"
        action = classify(Path(raw), roots, added=added)
        if action is not None:
            actions.setdefault((action.kind, action.path), action)
    folders = [a.path for a in actions.values() if a.kind == FOLDER]
    return sorted(
        (
            a
            for a in actions.values()
            if a.kind != INGEST or not any(a.path.is_relative_to(f) for f in folders)
        ),
        key=lambda a: (str(a.path), a.kind),
    )


def files_in(folder: Path, roots: Sequence[WatchRoot]) -> list[Action]:
    """The actions for a folder that appeared: each file in it, as if each were added."""
    found: dict[tuple[str, Path], Action] = {}
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            action = classify(Path(here) / name, roots, added=True)
            if action is not None:
                found.setdefault((action.kind, action.path), action)
    return list(found.values())


def identity_exists(identity: str) -> bool:
    """Whether the file a document was read from is still there (``refs.bib#key`` names the
    entry ``key`` of ``refs.bib``; a file name may hold ``#`` itself)."""
    candidate = identity
    while True:
        if os.path.lexists(candidate):
            return True
        if "#" not in candidate:
            return False
        candidate = candidate.rsplit("#", 1)[0]


# -- applying them ----------------------------------------------------------------------


class Watcher:
    """Ingests ``paths``, then keeps the store in sync with them until stopped."""

    def __init__(
        self,
        store: Store,
        paths: Sequence[str | os.PathLike[str]],
        *,
        run_stages: bool = True,
        debounce_ms: int = DEFAULT_DEBOUNCE_MS,
        zotero: ZoteroOptions | None = None,
        on_event: Callable[[WatchEvent], None] = lambda event: None,
    ) -> None:
        self.store = store
        self.paths = list(paths)
        self.roots = [WatchRoot.of(p) for p in self.paths]
        self.run_stages = run_stages
        self.debounce_ms = debounce_ms
        self.zotero = zotero
        self.on_event = on_event
        self.stop_event = threading.Event()
        self.summary = WatchSummary()
        self.retry: dict[tuple[str, Path], Action] = {}  # failed because the store was busy
        # what each library's last read could not read: said once, not on every Zotero write
        self._known_failures: dict[Path, set[tuple[str, str]]] = {}
        self._initial_failures: set[tuple[str, str]] = set()
        db = Path(store.path).resolve() if store.path != ":memory:" else None
        self._own_files = (
            {str(db) + suffix for suffix in ("", "-wal", "-shm", "-journal")} if db else set()
        )

    # the first pass

    def initial_ingest(self, progress: Progress | None = None) -> IngestReport:
        """``emlit ingest PATHS`` (with the stages unless turned off), then drop documents
        whose files vanished under the watched folders while nobody was watching."""
        report = ingest_paths(
            self.store,
            self.paths,
            progress=progress,
            run_stages=self.run_stages,
            zotero=self.zotero,
        )
        self._initial_failures = set(report.failed)
        for root in self.roots:
            if not root.folder:
                continue
            gone = {
                row["path"]
                for row in self.store.documents_within(str(root.path), os.sep)
                if not identity_exists(row["path"])
            }
            for identity in sorted(gone):
                self.apply(Action(REMOVE, Path(identity), root.path))
        return report

    # the loop

    def changes(self) -> Iterator[set[tuple[Change, str]]]:
        """Debounced batches of raw changes; an empty batch at least every ``TICK_MS``.

        The first (empty) batch comes once the watch is live, so whatever changes after it,
        even during the initial ingest, is seen."""
        from watchfiles import watch

        targets = sorted({str(r.target) for r in self.roots})
        yield from watch(
            *targets,
            watch_filter=self._wanted,
            debounce=self.debounce_ms,
            step=min(STEP_MS, self.debounce_ms),
            stop_event=self.stop_event,
            rust_timeout=TICK_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        )

    def run(
        self,
        *,
        progress: Progress | None = None,
        ready: Callable[[IngestReport], None] = lambda report: None,
    ) -> WatchSummary:
        """Watch, ingest once (``ready`` gets that report), then apply changes until
        ``stop_event`` is set (the CLI sets it on Ctrl-C and SIGTERM)."""
        started = False
        for batch in self.changes():
            if self.stop_event.is_set():
                break
            if not started:
                started = True
                ready(self.initial_ingest(progress))
            for action in self._pending(plan(batch, self.roots, ignore=self._own_files)):
                if self.stop_event.is_set():
                    break
                self.apply(action)
        return self.summary

    def _wanted(self, change: object, raw: str) -> bool:
        """Cheap first sieve for watchfiles, by name alone (``classify`` decides the rest)."""
        if raw in self._own_files:
            return False
        path = Path(raw)
        root = next((r for r in self.roots if r.contains(path)), None)
        return root is not None and not ignored(path, root)

    def _pending(self, actions: list[Action]) -> list[Action]:
        """This batch's actions, after those that failed on a busy store earlier."""
        retry = [
            a for key, a in self.retry.items() if key not in {(b.kind, b.path) for b in actions}
        ]
        return retry + actions

    def apply(self, action: Action) -> list[WatchEvent]:
        """Carry out one action and report its events (also to ``on_event``)."""
        key = (action.kind, action.path)
        retried = self.retry.pop(key, None) is not None
        try:
            if action.kind == INGEST and not action.path.exists():
                action = Action(REMOVE, action.path, action.root)  # gone since the batch
            if action.kind == FOLDER:
                events = []
                for inner in files_in(action.path, self.roots):
                    if self.stop_event.is_set():
                        break
                    events += self.apply(inner)
                return events
            if action.kind == REMOVE:
                events = self._remove(action)
            elif action.kind == LIBRARY:
                events = self._library(action)
            else:
                events = self._ingest(action)
        except EmlitError as exc:  # the store is busy or broken: say so, try again later
            self.retry[key] = action
            if retried:
                return []
            events = [WatchEvent("failed", self._shown(action), reason=f"{exc} (will retry)")]
        except Exception as exc:  # a bug in a stage must not end the watch
            reason = f"unexpected {type(exc).__name__}: {exc}"
            events = [WatchEvent("failed", self._shown(action), reason=reason)]
        for event in events:
            self.summary.count(event)
            self.on_event(event)
        return events

    def _shown(self, action: Action) -> str:
        shown = display_path(action.path, action.root)
        return shown + os.sep if action.kind in (FOLDER, LIBRARY) else shown

    def _ingest(self, action: Action) -> list[WatchEvent]:
        report = ingest_paths(
            self.store, [action.path], run_stages=self.run_stages, root=action.root
        )
        shown = self._shown(action)
        if report.failed:
            return [WatchEvent("failed", shown, reason=reason) for _, reason in report.failed]
        kind = "added" if report.added else "updated" if report.updated else None
        if kind is None:
            return []  # saved without a change of its bytes
        return [WatchEvent(kind, shown, report.claims_found, len(report.new_claim_ids))]

    def _library(self, action: Action) -> list[WatchEvent]:
        """Sync a Zotero library: a line for the item that changed (or one for several),
        one per item removed, one per failure."""
        report = ingest_paths(
            self.store, [action.path], run_stages=self.run_stages, zotero=self.zotero
        )
        events = []
        changed = report.added + report.updated
        claims = report.claims_found or None
        new = len(report.new_claim_ids)
        if len(changed) == 1:
            kind = "added" if report.added else "updated"
            events.append(WatchEvent(kind, changed[0], claims, new))
        elif changed:
            shown = self._shown(action)
            events.append(WatchEvent("updated", shown, claims, new, documents=len(changed)))
        events += [WatchEvent("removed", name, None) for name in report.removed]
        known = self._known_failures.get(action.path, self._initial_failures)
        self._known_failures[action.path] = set(report.failed)
        for where, reason in report.failed:
            if (where, reason) in known:
                continue  # named before (in the first summary or the last read)
            shown = display_path(Path(where), action.root) if os.path.isabs(where) else where
            events.append(WatchEvent("failed", shown, reason=reason))
        return events

    def _remove(self, action: Action) -> list[WatchEvent]:
        rows = self.store.documents_within(str(action.path), os.sep)
        if not rows:
            return []
        claims = sum(int(r["claims"]) for r in rows)
        with self.store.transaction():  # one change, one transaction
            for row in rows:
                self.store.delete_document(row["path"])
        shown = display_path(action.path, action.root)
        base = str(action.path)
        if not all(r["path"] == base or r["path"].startswith(base + "#") for r in rows):
            shown += os.sep  # a folder, not a file with its entries (BibTeX, Zotero)
        documents = len(rows) if len(rows) > 1 else 0
        return [WatchEvent("removed", shown, claims, documents=documents)]


# -- stopping ---------------------------------------------------------------------------


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM set ``stop``: the watcher finishes the change in hand and
    returns. A second signal while it is still busy interrupts it (KeyboardInterrupt)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    signals = [signal.SIGINT, signal.SIGTERM]
    previous = {s: signal.signal(s, handler) for s in signals}
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)
