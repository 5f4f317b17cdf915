"""Tables of the evidence feature: cached claim embeddings for candidate search, and the
saved cue profiles of claim texts.

The rows are read and written by ``emlit.store.embeddings`` and ``emlit.store.profiles``.
"""

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
    (
        "evidence/0002_claim_embeddings_by_model",
        """
        -- One row per claim AND encoder identity (emlit.encoder.identity: model, settings,
        -- a hash of its files), so vectors of two models never mix; dim says how many
        -- float32 values vec holds. Existing rows are kept under their old model name.
        CREATE TABLE claim_embeddings_v2 (
            claim_id TEXT NOT NULL,
            model TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vec BLOB NOT NULL,
            PRIMARY KEY (claim_id, model)
        );
        INSERT INTO claim_embeddings_v2 (claim_id, model, dim, vec)
            SELECT claim_id, model, length(vec) / 4, vec FROM claim_embeddings;
        DROP TABLE claim_embeddings;
        ALTER TABLE claim_embeddings_v2 RENAME TO claim_embeddings;
        """,
    ),
    (
        "evidence/0003_claim_embeddings_seq",
        """
        -- An explicit, never reused row number (AUTOINCREMENT): the nearest-neighbour index
        -- beside the store (emlit.evidence.ann) labels its vectors with it, so it must not
        -- change under VACUUM or come back for another vector after a delete. Rows keep
        -- their rowid as seq; (model, seq) serves "the vectors added since the index".
        CREATE TABLE claim_embeddings_v3 (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            claim_id TEXT NOT NULL,
            model TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vec BLOB NOT NULL,
            UNIQUE (claim_id, model)
        );
        INSERT INTO claim_embeddings_v3 (seq, claim_id, model, dim, vec)
            SELECT rowid, claim_id, model, dim, vec FROM claim_embeddings ORDER BY rowid;
        DROP TABLE claim_embeddings;
        ALTER TABLE claim_embeddings_v3 RENAME TO claim_embeddings;
        CREATE INDEX claim_embeddings_model ON claim_embeddings(model, seq);
        """,
    ),
    (
        "evidence/0004_cue_profiles",
        """
        -- Derived data, like tag_cache: each claim text's relation cues and words
        -- (emlit.evidence.profile.TextInfo as JSON) by the sha256 of the text, under the
        -- profile version (a hash of the code and relation lexicon that computed it), so
        -- linking reads a candidate's profile instead of running the cue lexicon again.
        -- One row per text: a row of an older version is replaced when recomputed.
        CREATE TABLE cue_profiles (
            text_hash TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            profile TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    ),
]
