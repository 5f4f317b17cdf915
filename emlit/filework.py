"""The per-file work of ``emlit ingest``: a pure function from one file to plain records.

``process_file(task)`` reads the file, segments it, finds the claims and, when the later
stages run, tags every claim and embeds it for linking. It touches no store: it runs the
same in the ingesting process, in a pool of local worker processes, or on the workers of a
Dask cluster, and the process that owns the store writes what it returns, in file order
(``emlit.ingest``). Every claim's encoder batch is the claims of its own file, and every
numeric step runs on one thread, so its vectors, tags and stance are the same bits whichever
process computed them (a threaded BLAS sums in another order); a pool uses one process per
core instead.

A worker process loads the sentence encoder, the tagger and the spaCy pipelines once
(``prepare``), before its first file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emlit.errors import EmlitError, ReadError
from emlit.models import Claim, ParsedDocument

# Test hook: seconds each file sleeps before its work (makes a run slow enough to kill a
# worker in the middle of it). Never set in normal use.
DELAY_ENV = "EMLIT_INGEST_TEST_DELAY"
# Threads torch may use in a worker process (emlit.encoder reads it when it loads a model).
THREADS_ENV = "EMLIT_TORCH_THREADS"

_lock = threading.Lock()  # one file at a time per process: readers and models are not shared
_prepared: set[bool] = set()


@dataclass
class FileTask:
    """One file to ingest, as the process that owns the store planned it."""

    index: int  # place in the run: records are written in this order
    path: str  # as found (reports name it so)
    location: str  # absolute path the worker opens (a shared file system on a cluster)
    identity: str  # documents.path (resolved absolute path)
    display: str  # documents.display_path
    stages: bool  # also tag and embed the claims
    store: str = ":memory:"  # the store's path: its trained tagger, if any, sits beside it
    # Instead of reading ``location``: a picklable callable that builds the document and its
    # claims (a Zotero item's attachment, note or metadata; emlit.zotero.documents.Built).
    build: Callable[[], Any] | None = None


@dataclass
class DocRecord:
    """One document of a file with its claims, and (when the stages run) for each claim its
    tagger result and its float32 vector."""

    doc: ParsedDocument
    identity: str
    display: str
    claims: list[Claim]
    tags: list[dict[str, Any]] | None = None
    vectors: list[bytes] | None = None


@dataclass
class FileRecord:
    task: FileTask
    content_hash: str = ""
    docs: list[DocRecord] = field(default_factory=list)
    pages: int = 0
    error: str | None = None  # why the file could not be read (it is reported, not stored)
    error_path: str | None = None  # the file the reader named (an attachment of an item)
    fatal: str | None = None  # a setting that stops the whole run (no encoder, ...)
    crash: str | None = None  # a bug in the later stages: its traceback (stops the run)
    tag_version: str | None = None
    encoder: str | None = None  # identity the vectors were made with
    dim: int = 0
    seconds: float = 0.0
    worker: str = ""

    @property
    def claims(self) -> int:
        return sum(len(d.claims) for d in self.docs)


def torch_threads() -> int | None:
    value = os.environ.get(THREADS_ENV, "").strip()
    return max(1, int(value)) if value.isdigit() else None


def prepare(stages: bool) -> None:
    """Load what the per-file work needs, once per process: spaCy, and for the stages the
    encoder and the tagger's heads."""
    with _lock:
        if stages in _prepared or (not stages and True in _prepared):
            return
        from emlit.segment import warm_up

        warm_up()
        if stages:
            from emlit.stance.model import get_stance_model
            from emlit.tagging.stage import get_tagger

            get_tagger()
            get_stance_model()
        _prepared.add(stages)


def exit_with_parent(parent: int, every: float = 0.5) -> None:
    """Leave when ``parent`` is gone. A killed ``emlit ingest`` (SIGTERM, SIGKILL) never runs
    its pool's shutdown, and its workers would live on, each holding the models in memory."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, name="emlit-parent-watch", daemon=True).start()


def init_worker(stages: bool, threads: int, env: dict[str, str], parent: int) -> None:
    """Initializer of a local worker process: its environment, torch threads, the models.
    ``parent`` is the pid of the process that started the pool (passed in: the parent may be
    gone already by the time a spawned worker gets here)."""
    exit_with_parent(parent)
    os.environ.update(env)
    os.environ[THREADS_ENV] = str(threads)
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    with contextlib.suppress(Exception):  # process_file meets it again and reports it
        prepare(stages)


def process_file(task: FileTask) -> FileRecord:
    """Read, segment, find claims and (with ``task.stages``) tag and embed one file.

    Never raises for a bad file: the record names the reason. A configuration error (the
    encoder cannot be loaded) comes back as ``fatal``."""
    start = time.perf_counter()
    record = FileRecord(task, worker=f"{os.uname().nodename}:{os.getpid()}")
    delay = os.environ.get(DELAY_ENV)
    if delay:
        time.sleep(float(delay))
    try:
        with _lock:
            _read(task, record)
            if task.stages:
                try:
                    _tag_and_embed(record)
                except EmlitError:
                    raise
                except Exception:  # not the file's fault: stop, as the tag stage would
                    record.crash, record.docs = traceback.format_exc(), []
    except ReadError as exc:
        record.error, record.error_path, record.docs = exc.reason, exc.path, []
    except EmlitError as exc:
        record.fatal, record.docs = str(exc), []
    except Exception as exc:  # a reader bug must not lose the rest of the batch
        record.error, record.docs = f"unexpected {type(exc).__name__}: {exc}", []
    record.seconds = time.perf_counter() - start
    return record


def _read(task: FileTask, record: FileRecord) -> None:
    from emlit.claims import detect_claims
    from emlit.lang import detect_lang
    from emlit.readers import read_document
    from emlit.readers.base import read_bytes
    from emlit.segment import segment

    if task.build is not None:
        built = task.build()
        record.docs.append(DocRecord(built.doc, task.identity, task.display, built.claims))
        pages = built.doc.metadata.get("pages")
        record.pages += pages if isinstance(pages, int) else 0
        return
    path = Path(task.location)
    record.content_hash = hashlib.sha256(read_bytes(path)).hexdigest()
    for doc in read_document(path):
        suffix = f"#{doc.key}" if doc.key else ""
        identity = task.identity + suffix
        doc.metadata.setdefault("lang", detect_lang(doc.text[:20000]))
        pages = doc.metadata.get("pages")
        record.pages += pages if isinstance(pages, int) else 0
        claims = detect_claims(identity, segment(doc.text, doc.blocks))
        record.docs.append(DocRecord(doc, identity, task.display + suffix, claims))


def _tag_and_embed(record: FileRecord) -> None:
    """Tag every claim of the file (definitions and stance, with the store's trained tagger
    if it has one) and embed it for linking, encoding each distinct text once: the linker's
    text and the taggers' cleaned texts are mostly the same strings."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    from emlit.encoder import get_encoder
    from emlit.stance.stage import stance_fields
    from emlit.tagging.learn import store_model_version, tagger_for_store
    from emlit.tagging.stage import result_dict

    claims = [c for d in record.docs for c in d.claims]
    encoder = get_encoder()
    record.tag_version = store_model_version(record.task.store)
    record.encoder, record.dim = encoder.identity, encoder.dim
    if not claims:
        for d in record.docs:
            d.tags, d.vectors = [], []
        return
    tagger = tagger_for_store(record.task.store)
    texts = [c.text for c in claims]
    langs = [c.lang if c.lang in ("en", "zh") else None for c in claims]
    # One thread for every numeric step (the encoder's, the heads' matrix products): the
    # same bits in this process, in a pool or on a cluster (threaded BLAS sums differently).
    with threadpool_limits(1), encoder.one_thread(), encoder.remembering():
        vecs = encoder.encode(texts)
        results = [result_dict(r) for r in tagger.tag(texts, langs)]
        for result, fields in zip(results, stance_fields(texts, langs), strict=True):
            result.update(fields)
    at = 0
    for d in record.docs:
        n = len(d.claims)
        d.tags = results[at : at + n]
        d.vectors = [np.ascontiguousarray(v, dtype=np.float32).tobytes() for v in vecs[at : at + n]]
        at += n
