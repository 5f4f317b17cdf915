"""A streamed export written in parts, one process each, so that it uses every core.

Most of a big export is reading the claims and formatting them one by one, on one core. The
claims are cut at document boundaries into parts of about equal size; this process writes
the first part, forked processes write the others, each reading its part of the store on a
connection of its own into temporary files beside the output; the parts are then joined in
order, so the file is byte for byte what one process writes (tests/test_export_parts.py).

A part whose process fails or is killed is written again by this process: a broken worker
costs time, never a wrong or short file. Forking is used where it is safe and cheap
(Linux); elsewhere, and for an in-memory store or a small one, everything runs here.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from emlit.store import StoreReader

# Below this many claims a part is not worth a process (a fork, a connection, a copy).
MIN_CLAIMS_PER_PART = 20_000
_ALL = (-(2**62), 2**62)


@dataclass(frozen=True)
class Part:
    """The claims of the documents with ``first <= id < end``."""

    first: int
    end: int

    @property
    def documents(self) -> tuple[int, int] | None:
        return None if (self.first, self.end) == _ALL else (self.first, self.end)

    def holds(self, document_id: int) -> bool:
        return self.first <= document_id < self.end


Counts = tuple[int, ...]
# Writes one part: the store to read, the part, and its files (the body, then the sections
# the format puts after every body, e.g. node-link JSON's edges); returns what it counted.
Section = Callable[["StoreReader", Part, list[IO[str]]], Counts]


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def plan(store: StoreReader, workers: int, min_claims: int | None = None) -> list[Part]:
    """Parts of about equal numbers of claims (at least ``min_claims``, by default
    ``MIN_CLAIMS_PER_PART``), cut between documents; one part (everything) when ``workers``
    is 1, the store is small or processes cannot be forked here."""
    from emlit.parallel import can_fork

    if min_claims is None:
        min_claims = MIN_CLAIMS_PER_PART
    path = getattr(store, "path", ":memory:")
    if workers <= 1 or path == ":memory:" or not can_fork():
        return [Part(*_ALL)]
    per_document = store.claims_per_document()
    total = sum(n for _, n in per_document)
    n_parts = min(workers, total // max(min_claims, 1))
    if n_parts <= 1:
        return [Part(*_ALL)]
    cuts: list[int] = []
    seen = 0
    for doc_id, n in per_document:
        if seen >= total * (len(cuts) + 1) / n_parts and len(cuts) < n_parts - 1:
            cuts.append(doc_id)  # this document starts the next part
        seen += n
    bounds = [_ALL[0], *cuts, _ALL[1]]
    return [Part(a, b) for a, b in itertools.pairwise(bounds) if a < b]


@contextmanager
def in_parts(
    store: StoreReader,
    parts: list[Part],
    section: Section,
    out: IO[str],
    trailers: int,
    warnings: list[str] | None = None,
) -> Iterator[tuple[list[Counts], list[list[IO[str]]]]]:
    """Write every part's body to ``out`` in order; yields each part's counts and, for each
    of the ``trailers`` sections, its parts' files in order, read from the start (the
    caller copies them after the body). A worker that failed is said in ``warnings``.
    Temporary files are gone on exit."""
    folder = _folder_of(out)
    with ExitStack() as stack:
        first = [_temporary(folder) for _ in range(trailers)]
        for f in first:
            stack.enter_context(f)
        if len(parts) == 1:
            counts = [section(store, parts[0], [out, *first])]
            files = [[f] for f in first]
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(dir=folder, prefix=".emlit-"))
            counts, files = _run(store, parts, section, out, first, tmp, stack, warnings)
        for group in files:
            for f in group:
                f.flush()
                f.seek(0)
        yield counts, files


def _run(
    store: StoreReader,
    parts: list[Part],
    section: Section,
    out: IO[str],
    first: list[IO[str]],
    tmp: str,
    stack: ExitStack,
    warnings: list[str] | None,
) -> tuple[list[Counts], list[list[IO[str]]]]:
    path = store.path  # type: ignore[attr-defined]  # plan() made sure the store is a file
    names = [[os.path.join(tmp, f"{i}.{j}") for j in range(len(first) + 1)] for i in parts[1:]]
    done = [os.path.join(tmp, f"{i}.counts") for i in range(1, len(parts))]
    ctx = multiprocessing.get_context("fork")
    workers = [
        ctx.Process(target=_child, args=(section, path, part, files, counts), daemon=True)
        for part, files, counts in zip(parts[1:], names, done, strict=True)
    ]
    try:
        for w in workers:
            w.start()
        counts = [section(store, parts[0], [out, *first])]
        for w, part, files, counts_file in zip(workers, parts[1:], names, done, strict=True):
            w.join()
            got = _read_counts(counts_file) if w.exitcode == 0 else None
            if got is None:  # the worker failed or was killed: write its part here
                if warnings is not None:
                    warnings.append(
                        f"the process writing part {len(counts) + 1} of {len(parts)} stopped "
                        f"({_why(counts_file, w.exitcode)}); this process wrote that part"
                    )
                got = _write(store, section, part, files)
            counts.append(got)
            with open(files[0], encoding="utf-8") as body:
                append(out, body)
    finally:
        for w in workers:
            if w.is_alive():
                w.kill()
                w.join()
    trailers = [[first[j]] for j in range(len(first))]
    for files in names:
        for j, name in enumerate(files[1:]):
            part_file = open(name, encoding="utf-8")  # noqa: SIM115 (the ExitStack closes it)
            trailers[j].append(stack.enter_context(part_file))
    return counts, trailers


def append(out: IO[str], source: IO[str], skip: int = 0) -> bool:
    """Copy ``source`` (from its start, less its first ``skip`` characters, ASCII) to the end
    of ``out``; False when there was nothing to skip. As bytes when both are files: no
    decoding and encoding of hundreds of MB."""
    raw, sink = getattr(source, "buffer", None), getattr(out, "buffer", None)
    if raw is None or sink is None:
        source.seek(0)
        if skip and not source.read(skip):
            return False
        shutil.copyfileobj(source, out, 1 << 20)
        return True
    out.flush()
    raw.seek(0)
    if skip and not raw.read(skip):
        return False
    shutil.copyfileobj(raw, sink, 1 << 20)
    return True


def _write(store: StoreReader, section: Section, part: Part, names: list[str]) -> Counts:
    with ExitStack() as stack:
        files: list[IO[str]] = [
            stack.enter_context(open(n, "w", encoding="utf-8", buffering=1 << 20)) for n in names
        ]
        return section(store, part, files)


def _child(section: Section, path: str, part: Part, names: list[str], counts_file: str) -> None:
    """A worker: its part into its files, then its counts (their file says it finished)."""
    from emlit.store import StoreReader

    try:
        reader = StoreReader.at(path)
        counts = _write(reader, section, part, names)
        with open(counts_file, "w", encoding="utf-8") as fh:
            json.dump(list(counts), fh)
    except BaseException as exc:  # the parent writes this part again and says why
        with contextlib.suppress(OSError), open(counts_file + ".error", "w") as fh:
            fh.write(f"{type(exc).__name__}: {exc}"[:300])
        os._exit(1)


def _why(counts_file: str, exitcode: int | None) -> str:
    """What stopped a worker: its error, or how it ended (killed: the signal)."""
    try:
        with open(counts_file + ".error", encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        if exitcode is not None and exitcode < 0:
            return f"killed by signal {-exitcode}"
        return f"exit status {exitcode}"


def _read_counts(name: str) -> Counts | None:
    try:
        with open(name, encoding="utf-8") as fh:
            return tuple(int(x) for x in json.load(fh))
    except (OSError, ValueError, TypeError):
        return None


def _folder_of(out: IO[str]) -> str | None:
    """Beside the output when it is a file on disk (a million claims' parts are hundreds of
    MB, not for a /tmp in memory), else the system's temporary folder."""
    name = getattr(out, "name", None)
    folder = os.path.dirname(os.path.abspath(name)) if isinstance(name, str) else None
    return folder if folder is not None and os.path.isdir(folder) else None


def _temporary(folder: str | None) -> IO[str]:
    """A temporary text file, deleted when closed."""
    return tempfile.TemporaryFile("w+", encoding="utf-8", dir=folder)
