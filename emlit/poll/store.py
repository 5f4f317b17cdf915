"""Named operations on polls and votes over the emlit SQLite store."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from emlit.errors import EmlitError
from emlit.poll.templates import Questionnaire
from emlit.store import Store
from emlit.vocab import POLL_PHASES

UPSERT_CHUNK = 500  # rows per INSERT statement: 3,000 parameters, far below SQLite's limit
VOTER_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def now_ms() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def valid_voter(token: Any) -> bool:
    """Contract 5: an opaque token of 16 to 128 characters [A-Za-z0-9_-]."""
    return isinstance(token, str) and 16 <= len(token) <= 128 and set(token) <= VOTER_ALPHABET


@dataclass(frozen=True)
class Poll:
    id: str
    title: str
    template: str
    questionnaire: Questionnaire
    phase: str
    hide_results: bool
    admin_token: str
    voter_salt: str
    source: str
    created_at: str


def create_poll(
    store: Store,
    questionnaire: Questionnaire,
    *,
    title: str,
    phase: str = "pre",
    source: str = "live",
) -> Poll:
    if not title.strip():
        raise EmlitError("--title: must not be empty")
    if phase not in POLL_PHASES:
        raise EmlitError(f"phase: {phase!r} is not one of {', '.join(POLL_PHASES)}")
    stamp = now_ms()
    with store.transaction() as conn:
        for _ in range(5):
            poll_id = secrets.token_hex(4)
            if not conn.execute("SELECT 1 FROM polls WHERE id = ?", [poll_id]).fetchone():
                break
        conn.execute(
            "INSERT INTO polls (id, title, template, questionnaire, phase, hide_results, admin_token,"
            " voter_salt, source, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
            [
                poll_id,
                title.strip(),
                questionnaire.name,
                questionnaire.to_json(),
                phase,
                secrets.token_urlsafe(24),
                secrets.token_hex(16),
                source,
                stamp,
            ],
        )
        conn.execute("INSERT INTO poll_phase_log VALUES (?, ?, ?)", [poll_id, phase, stamp])
    return get_poll(store, poll_id)


def get_poll(store: Store | sqlite3.Connection, poll_id: str) -> Poll:
    conn = store.conn if isinstance(store, Store) else store
    row = conn.execute(
        "SELECT id, title, template, questionnaire, phase, hide_results, admin_token, voter_salt,"
        " source, created_at FROM polls WHERE id = ?",
        [poll_id],
    ).fetchone()
    if row is None:
        raise EmlitError(f"poll: no poll with id {poll_id!r} (see `emlit poll list`)")
    return Poll(
        id=row[0],
        title=row[1],
        template=row[2],
        questionnaire=Questionnaire.from_json(row[3]),
        phase=row[4],
        hide_results=bool(row[5]),
        admin_token=row[6],
        voter_salt=row[7],
        source=row[8],
        created_at=row[9],
    )


def current_phase(conn: sqlite3.Connection, poll_id: str) -> str | None:
    row = conn.execute("SELECT phase FROM polls WHERE id = ?", [poll_id]).fetchone()
    return row[0] if row else None


def phase_and_hidden(conn: sqlite3.Connection, poll_id: str) -> tuple[str, bool] | None:
    """(phase, hide_results) as stored now, or None for an unknown poll: one indexed read."""
    row = conn.execute("SELECT phase, hide_results FROM polls WHERE id = ?", [poll_id]).fetchone()
    return (str(row[0]), bool(row[1])) if row else None


def activity(conn: sqlite3.Connection, poll_id: str) -> tuple[str, bool, int, str | None] | None:
    """(phase, hide_results, answers, latest answered_at), or None for an unknown poll.

    Cheap enough to ask every refresh: a live view recomputes the statistics only when it changes.
    """
    row = conn.execute(
        "SELECT phase, hide_results,"
        " (SELECT count(*) FROM poll_votes WHERE poll_id = p.id),"
        " (SELECT max(answered_at) FROM poll_votes WHERE poll_id = p.id)"
        " FROM polls p WHERE id = ?",
        [poll_id],
    ).fetchone()
    return (str(row[0]), bool(row[1]), int(row[2]), row[3]) if row else None


def set_phase(store: Store, poll_id: str, phase: str) -> Poll:
    if phase not in POLL_PHASES:
        raise EmlitError(f"phase: {phase!r} is not one of {', '.join(POLL_PHASES)}")
    poll = get_poll(store, poll_id)
    if poll.phase != phase:
        with store.transaction() as conn:
            conn.execute("UPDATE polls SET phase = ? WHERE id = ?", [phase, poll_id])
            conn.execute("INSERT INTO poll_phase_log VALUES (?, ?, ?)", [poll_id, phase, now_ms()])
    return get_poll(store, poll_id)


def set_hide_results(store: Store, poll_id: str, hide: bool) -> Poll:
    get_poll(store, poll_id)
    with store.transaction() as conn:
        conn.execute("UPDATE polls SET hide_results = ? WHERE id = ?", [int(hide), poll_id])
    return get_poll(store, poll_id)


def list_polls(store: Store) -> list[dict[str, Any]]:
    return list(
        store.db.query(
            "SELECT p.id, p.title, p.template, p.phase, p.source, p.created_at,"
            " (SELECT count(DISTINCT voter) FROM poll_votes v WHERE v.poll_id = p.id) AS voters,"
            " (SELECT count(*) FROM poll_votes v WHERE v.poll_id = p.id) AS answers"
            " FROM polls p ORDER BY p.created_at"
        )
    )


def phase_log(store: Store, poll_id: str) -> list[tuple[str, str]]:
    return [
        (r[0], r[1])
        for r in store.conn.execute(
            "SELECT phase, at FROM poll_phase_log WHERE poll_id = ? ORDER BY at", [poll_id]
        )
    ]


def writer_connection(db_path: str) -> sqlite3.Connection:
    """The vote writer's own connection: WAL, and synchronous=FULL so that COMMIT returns only
    once the WAL is fsynced (NORMAL syncs at checkpoints only and may lose the last commits on
    power loss). Autocommit mode: the writer opens its transactions with ``immediate``."""
    conn = sqlite3.connect(db_path, timeout=30.0, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error. The write lock is taken first, so
    whatever is read inside (the poll's phase) still holds when the writes commit."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def upsert_votes(conn: sqlite3.Connection, poll_id: str, rows: Sequence[Sequence[str]]) -> None:
    """Store (voter, phase, question, answer, answered_at) rows; a repeat replaces the answer.

    The caller owns the transaction, so a batch of votes costs one commit. Rows go in as
    multi-row INSERTs (one statement per UPSERT_CHUNK rows) rather than executemany: the
    sqlite3 module releases and re-takes the GIL on every statement step, and in the poll
    server each re-take can wait for the busy event-loop thread.
    """
    for i in range(0, len(rows), UPSERT_CHUNK):
        chunk = rows[i : i + UPSERT_CHUNK]
        marks = ",".join(["(?, ?, ?, ?, ?, ?)"] * len(chunk))
        conn.execute(
            "INSERT INTO poll_votes (poll_id, voter, phase, question, answer, answered_at)"
            f" VALUES {marks} ON CONFLICT (poll_id, phase, question, voter)"
            " DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at",
            [x for r in chunk for x in (poll_id, *r)],
        )


def votes(store: Store | sqlite3.Connection, poll_id: str) -> list[tuple[str, str, str, str, str]]:
    """All answers as (voter, phase, question, answer, answered_at), in a stable order."""
    conn = store.conn if isinstance(store, Store) else store
    return [
        (r[0], r[1], r[2], r[3], r[4])
        for r in conn.execute(
            "SELECT voter, phase, question, answer, answered_at FROM poll_votes WHERE poll_id = ?"
            " ORDER BY answered_at, voter, question",
            [poll_id],
        )
    ]
