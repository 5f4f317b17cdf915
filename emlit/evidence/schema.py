"""Tables of the evidence feature: cached claim embeddings for candidate search."""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "evidence/0001_claim_embeddings",
        """
        -- Unit-length float32 embeddings (numpy bytes) keyed by claim id and encoder; claim
        -- ids hash the claim text, so a row never goes stale while its claim exists.
        CREATE TABLE claim_embeddings (
            claim_id TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            vec BLOB NOT NULL
        );
        """,
    ),
]
