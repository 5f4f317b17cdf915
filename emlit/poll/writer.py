"""One writer thread that stores votes with group commit, so acknowledgements are durable.

Every request hands its vote to the queue and waits on a Future. The thread takes all votes
waiting (up to ``batch``), reads the poll's phase inside the same write transaction (so a
vote can never land in a phase that has just closed), upserts them, and COMMITs with
``synchronous=FULL`` (the WAL is fsynced before COMMIT returns); only then are the Futures
resolved and the HTTP 2xx sent. A SIGKILL after the 2xx cannot lose the vote; one before it
loses only votes that were never acknowledged, and the phone page retries those.
Batching turns hundreds of concurrent votes into one fsync.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections import defaultdict
from concurrent.futures import Future
from dataclasses import dataclass

from emlit.poll.store import current_phase, immediate, now_ms, upsert_votes, writer_connection
from emlit.vocab import VOTE_PHASES


@dataclass(frozen=True)
class Vote:
    voter: str
    question: str
    answer: str
    phases: tuple[str, ...]  # phases the question is asked in
    expected_phase: str | None = None  # the phase the voter's page showed, if it said


@dataclass(frozen=True)
class Outcome:
    ok: bool
    phase: str | None
    error: str = ""


# Who waits for a vote: a thread (concurrent Future) or a coroutine on an event loop.
Waiter = Future[Outcome] | tuple[asyncio.AbstractEventLoop, asyncio.Future[Outcome]]


class VoteWriter:
    def __init__(self, db_path: str, poll_id: str, *, batch: int = 1000) -> None:
        self.poll_id = poll_id
        self.batch = batch
        self._queue: queue.SimpleQueue[tuple[Vote, Waiter] | None] = queue.SimpleQueue()
        self._conn = writer_connection(db_path)  # WAL, synchronous=FULL: see the module doc
        self._thread = threading.Thread(target=self._run, name="emlit-vote-writer", daemon=True)
        self._thread.start()

    def submit(self, vote: Vote) -> Future[Outcome]:
        future: Future[Outcome] = Future()
        self._queue.put((vote, future))
        return future

    def submit_async(self, vote: Vote) -> asyncio.Future[Outcome]:
        """For coroutines: a future of the running loop, resolved with one wake-up per batch."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        self._queue.put((vote, (loop, future)))
        return future

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
        self._conn.close()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            pending: list[tuple[Vote, Waiter]] = [item]
            stop = False
            while len(pending) < self.batch:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stop = True
                    break
                pending.append(nxt)
            self._write(pending)
            if stop:
                return

    def _write(self, pending: list[tuple[Vote, Waiter]]) -> None:
        outcomes: list[Outcome] = []
        try:
            with immediate(self._conn) as conn:
                phase = current_phase(conn, self.poll_id)
                rows = []
                stamp = now_ms()
                for vote, _ in pending:
                    outcome = _judge(vote, phase)
                    outcomes.append(outcome)
                    if outcome.ok:
                        rows.append((vote.voter, phase, vote.question, vote.answer, stamp))
                upsert_votes(conn, self.poll_id, rows)  # type: ignore[arg-type]
        except sqlite3.Error as exc:
            failure = Outcome(False, None, f"storage: {exc}")
            outcomes = [failure] * len(pending)
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Outcome], Outcome]]] = (
            defaultdict(list)
        )
        for (_, waiter), outcome in zip(pending, outcomes, strict=True):
            if isinstance(waiter, Future):
                waiter.set_result(outcome)
            else:
                by_loop[waiter[0]].append((waiter[1], outcome))
        for loop, done in by_loop.items():
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
                loop.call_soon_threadsafe(_resolve, done)


def _resolve(done: list[tuple[asyncio.Future[Outcome], Outcome]]) -> None:
    for future, outcome in done:
        if not future.done():  # a client that hung up cancelled its wait
            future.set_result(outcome)


def _judge(vote: Vote, phase: str | None) -> Outcome:
    if phase not in VOTE_PHASES:
        return Outcome(False, phase, "phase: the poll is closed")
    if vote.expected_phase is not None and vote.expected_phase != phase:
        return Outcome(False, phase, f"phase: the poll is now in phase {phase!r}; reload")
    if phase not in vote.phases:
        return Outcome(False, phase, f"question: {vote.question!r} is not asked in phase {phase!r}")
    return Outcome(True, phase)
