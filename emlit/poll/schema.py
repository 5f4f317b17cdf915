"""Tables of the poll feature, as migrations (registered in emlit.store.migrate).

- ``polls``: one row per talk. ``questionnaire`` is the template frozen as JSON at creation,
  so the exact wording each answer was given to never changes (reports hash it).
  ``phase`` is pre | post | closed; ``hide_results`` keeps a running phase's results off the
  projector until that phase closes; ``voter_salt`` pseudonymises voter tokens in exports.
- ``poll_votes``: the latest answer of one voter to one question in one phase (a repeat
  replaces it, so retries are harmless). No IP address or user agent is ever stored.
- ``poll_phase_log``: when each phase started, for the methods paragraph.

The CHECK constraints spell out ``emlit.vocab.POLL_PHASES`` and ``VOTE_PHASES`` as literals on
purpose: a migration is history and must not change when the vocabulary does (a new phase
needs a new migration).
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "poll/0001_initial",
        """
        CREATE TABLE polls (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            template TEXT NOT NULL,
            questionnaire TEXT NOT NULL,
            phase TEXT NOT NULL DEFAULT 'pre' CHECK (phase IN ('pre', 'post', 'closed')),
            hide_results INTEGER NOT NULL DEFAULT 0,
            admin_token TEXT NOT NULL,
            voter_salt TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT 'live',
            created_at TEXT NOT NULL
        );
        CREATE TABLE poll_votes (
            poll_id TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
            voter TEXT NOT NULL,
            phase TEXT NOT NULL CHECK (phase IN ('pre', 'post')),
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (poll_id, phase, question, voter)
        ) WITHOUT ROWID;
        CREATE TABLE poll_phase_log (
            poll_id TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
            phase TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """,
    ),
]
