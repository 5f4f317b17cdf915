"""Where ingest's per-file work runs (contract 10): in this process, in a pool of local worker
processes, or on an existing Dask cluster.

Each runner takes the planned files (``emlit.filework.FileTask``) and yields their records in
the order of the tasks, whatever order they finish in, so the process that owns the store
writes exactly what one process would have written. At most a window of files is in flight,
which bounds the memory that finished records waiting for an earlier one can take.
"""

from __future__ import annotations

import os
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from emlit.errors import EmlitError
from emlit.filework import FileRecord, FileTask, init_worker, prepare, process_file

# An automatic worker count (no --workers) starts a pool only for this much work: a worker
# process costs a few seconds to start (Python, torch, spaCy, the model), about what a
# quarter megabyte of papers or a few dozen notes take to ingest.
AUTO_MIN_BYTES = 256 * 1024
AUTO_MIN_FILES = 32
WINDOW_PER_WORKER = 4  # files in flight per worker (the head of the line may be a long one)
DASK_RETRIES = 2  # a task that raises is run again this often (a lost worker's are rescheduled)
# Environment the local workers get from the ingesting process, besides what they inherit.
_PASSED_ENV = ("EMLIT_ENCODER", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")


def available_cores() -> int:
    """Cores this process may run on (its affinity mask, not the machine's count)."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if count is not None:
        return max(1, count() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether work can go to forked processes that inherit this one's loaded models (Linux
    only: elsewhere fork is unsafe or missing)."""
    import multiprocessing
    import sys

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


@dataclass
class Plan:
    """How the per-file work of one ingest runs."""

    kind: str  # "process" | "pool" | "dask"
    workers: int = 1
    address: str | None = None

    def describe(self) -> str:
        if self.kind == "dask":
            return f"Dask cluster at {self.address}"
        if self.kind == "pool":
            return f"{self.workers} worker processes"
        return "this process"


def plan(
    requested: int | None, dask: str | None, tasks: Sequence[FileTask], sizes: Sequence[int]
) -> Plan:
    """``requested`` workers (None: all cores, but a small batch stays in this process)."""
    if dask:
        return Plan("dask", address=dask)
    if requested is not None and requested < 1:
        raise EmlitError(f"--workers: {requested} is not a number of processes (1 or more)")
    n = min(requested or available_cores(), len(tasks))
    if requested is None and sum(sizes) < AUTO_MIN_BYTES and len(tasks) < AUTO_MIN_FILES:
        n = 1
    return Plan("pool", n) if n > 1 else Plan("process")


def run(plan: Plan, tasks: Sequence[FileTask]) -> Iterator[FileRecord]:
    if not tasks:
        return iter(())
    if plan.kind == "dask":
        assert plan.address is not None
        return run_dask(tasks, plan.address)
    if plan.kind == "pool":
        return run_pool(tasks, plan.workers)
    return (process_file(task) for task in tasks)


# -- local processes ----------------------------------------------------------------------


def run_pool(tasks: Sequence[FileTask], workers: int) -> Iterator[FileRecord]:
    """The tasks on ``workers`` local processes (started with 'spawn': safe with torch's
    threads), each loading the models once; records in task order.

    A worker process that dies (a crash inside a reader) breaks the pool: the files that
    were in flight are run again one at a time in a new pool, and a file that kills its
    worker while alone is reported as failed; nothing is lost or written twice."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    threads = max(1, available_cores() // workers)
    env = {k: os.environ[k] for k in _PASSED_ENV if k in os.environ}
    stages = any(t.stages for t in tasks)
    pending: deque[FileTask] = deque(tasks)
    alone = 0  # the next files to run one at a time (they were in flight at a crash)
    while pending:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=get_context("spawn"),
            initializer=init_worker,
            initargs=(stages, threads, env, os.getpid()),
        )
        inflight: deque[tuple[FileTask, Future[FileRecord]]] = deque()
        try:
            while pending or inflight:
                window = 1 if alone else workers * WINDOW_PER_WORKER
                while pending and len(inflight) < window:
                    task = pending.popleft()
                    inflight.append((task, pool.submit(process_file, task)))
                task, future = inflight[0]
                try:
                    record = future.result()
                except BrokenProcessPool:
                    if alone and len(inflight) == 1:
                        inflight.popleft()
                        alone -= 1
                        yield FileRecord(
                            task, error="its worker process died reading it (a crash in a reader?)"
                        )
                    else:
                        alone = len(inflight)
                    pending.extendleft(reversed([t for t, _ in inflight]))
                    break
                inflight.popleft()
                alone = max(0, alone - 1)
                yield record
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


# -- Dask ---------------------------------------------------------------------------------


def run_on_dask_worker(task: FileTask) -> FileRecord:
    """The task function on a Dask worker: models loaded once per worker process, torch
    threads from the worker's thread count unless $EMLIT_TORCH_THREADS says otherwise."""
    from emlit.filework import THREADS_ENV

    if THREADS_ENV not in os.environ:
        try:
            from distributed import get_worker

            os.environ[THREADS_ENV] = str(max(1, get_worker().state.nthreads))
        except (ImportError, ValueError, AttributeError):
            os.environ[THREADS_ENV] = "1"
    prepare(task.stages)
    return process_file(task)


def run_dask(tasks: Sequence[FileTask], address: str) -> Iterator[FileRecord]:
    """The tasks on the Dask cluster at ``address``; records in task order.

    The workers read the files by their absolute paths (a shared file system). A worker that
    dies takes its tasks with it and the scheduler runs them again elsewhere; each task's
    record is taken once, so a file is written once."""
    try:
        from distributed import Client
    except ImportError:
        raise EmlitError("--dask: the 'distributed' package is not installed") from None
    try:
        client = Client(address, timeout="30s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise EmlitError(f"--dask {address}: cannot reach the scheduler ({exc})") from None
    try:
        yield from _ordered_dask(client, tasks)
    finally:
        client.close()


def _ordered_dask(client: object, tasks: Iterable[FileTask]) -> Iterator[FileRecord]:
    from distributed import Client
    from distributed.client import FutureCancelledError

    assert isinstance(client, Client)
    threads = sum(client.nthreads().values()) or 1
    window = max(16, WINDOW_PER_WORKER * threads)
    run_id = uuid.uuid4().hex[:12]
    todo = iter(tasks)
    inflight: deque[tuple[FileTask, object]] = deque()
    taken: set[int] = set()

    def submit(task: FileTask) -> None:
        future = client.submit(
            run_on_dask_worker,
            task,
            key=f"emlit-ingest-{run_id}-{task.index}",
            pure=False,
            retries=DASK_RETRIES,
        )
        inflight.append((task, future))

    for task in todo:
        submit(task)
        if len(inflight) >= window:
            break
    while inflight:
        task, future = inflight.popleft()
        try:
            record = future.result()  # type: ignore[attr-defined]
        except FutureCancelledError:
            raise EmlitError(
                "--dask: the scheduler cancelled the run (was it restarted?)"
            ) from None
        except Exception as exc:  # KilledWorker: the file took down every worker it ran on
            name = type(exc).__name__
            record = FileRecord(task, error=f"the Dask workers running it died ({name})")
        future.release()  # type: ignore[attr-defined]
        nxt = next(todo, None)
        if nxt is not None:
            submit(nxt)
        if task.index in taken:
            continue
        taken.add(task.index)
        yield record
