"""The core schema, as an ordered list of migrations. Never edit one that has shipped: add one.

Tables (see docs/schema.md for the full description):

- ``documents``: one row per ingested source (a file, or one BibTeX entry), with its
  normalised text; every offset elsewhere indexes into ``documents.text``.
- ``blocks``: the document's paragraphs, list items, headings, ... with section and page.
- ``doc_links``: links between documents (Obsidian wikilinks and embeds, URLs).
- ``claims``: sentences and list items about emergence; ``text == documents.text[start:end]``.
- ``claims_fts``: FTS5 index over a Chinese-aware tokenisation of the claims (emlit.fts).
- ``tags``: definition tags D1-D6 per claim. Machine rows (provenance rule | model) are
  replaced on every re-run; human rows (provenance human) are never touched by machines.
- ``links``: evidence links between claims (SUPPORTS / COUNTERS) and from claims to
  documents (CITES_AS_EVIDENCE), provenance curated | model | human.
- ``tag_cache``: tagger results by claim-text hash and model version, so re-runs are free.
- ``stances``: a claim's stance (affirms | disputes | neutral) by the stance model and, when
  a researcher decided, by a human; the view ``effective_stances`` lets the human row win.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "core/0001_initial",
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            display_path TEXT NOT NULL,
            format TEXT NOT NULL,
            title TEXT,
            lang TEXT,
            content_hash TEXT NOT NULL,
            text TEXT NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}',
            ingested_at TEXT NOT NULL
        );
        CREATE TABLE blocks (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            kind TEXT NOT NULL,
            section TEXT,
            page INTEGER,
            PRIMARY KEY (document_id, seq)
        );
        CREATE TABLE doc_links (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            target TEXT NOT NULL,
            kind TEXT NOT NULL
        );
        CREATE INDEX doc_links_document ON doc_links(document_id);
        CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            lang TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            section TEXT,
            page INTEGER,
            kind TEXT NOT NULL DEFAULT 'sentence',
            provenance TEXT NOT NULL DEFAULT 'machine',
            created_at TEXT NOT NULL
        );
        CREATE INDEX claims_document ON claims(document_id, start);
        CREATE INDEX claims_lang ON claims(lang);
        CREATE VIRTUAL TABLE claims_fts USING fts5(
            claim_id UNINDEXED, tokens, tokenize = 'porter unicode61 remove_diacritics 2'
        );
        CREATE TABLE tags (
            claim_id TEXT NOT NULL,
            label TEXT NOT NULL,
            provenance TEXT NOT NULL CHECK (provenance IN ('rule', 'model', 'human')),
            assigned INTEGER NOT NULL,
            score REAL,
            model TEXT,
            explanation TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (claim_id, label, provenance)
        );
        CREATE INDEX tags_label ON tags(label, assigned);
        CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            source_id TEXT NOT NULL,
            target_id TEXT NOT NULL,
            target_kind TEXT NOT NULL DEFAULT 'claim',
            relation TEXT NOT NULL,
            score REAL,
            provenance TEXT NOT NULL CHECK (provenance IN ('curated', 'model', 'human')),
            state TEXT,
            source_note TEXT,
            model TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (source_id, target_id, relation, provenance)
        );
        CREATE INDEX links_source ON links(source_id);
        CREATE INDEX links_target ON links(target_id);
        CREATE TABLE tag_cache (
            text_hash TEXT NOT NULL,
            model_version TEXT NOT NULL,
            result TEXT NOT NULL,
            PRIMARY KEY (text_hash, model_version)
        );
        """,
    ),
    (
        "core/0002_effective_views",
        """
        -- A human decision on (claim, label) overrides whatever the machine said.
        CREATE VIEW effective_tags AS
        SELECT claim_id, label, assigned, score, provenance, model, explanation
        FROM tags WHERE provenance = 'human'
        UNION ALL
        SELECT t.claim_id, t.label, t.assigned, t.score, t.provenance, t.model, t.explanation
        FROM tags t
        WHERE t.provenance != 'human' AND NOT EXISTS (
            SELECT 1 FROM tags h
            WHERE h.claim_id = t.claim_id AND h.label = t.label AND h.provenance = 'human'
        );
        -- A human decision on a (source, target) pair overrides curated and model links;
        -- a rejected one hides the pair.
        CREATE VIEW effective_links AS
        SELECT * FROM links l
        WHERE (l.provenance = 'human' AND coalesce(l.state, 'confirmed') != 'rejected')
           OR (l.provenance != 'human' AND NOT EXISTS (
                SELECT 1 FROM links h
                WHERE h.provenance = 'human' AND h.source_id = l.source_id
                  AND h.target_id = l.target_id
           ));
        """,
    ),
    (
        "core/0003_stances",
        """
        -- A claim's stance toward emergence (contract 9): one machine row (the stance
        -- model: its version, the three scores as JSON, an explanation) and at most one
        -- human row; a human row overrides the machine's, and machine re-runs never touch it.
        CREATE TABLE stances (
            claim_id TEXT NOT NULL,
            provenance TEXT NOT NULL CHECK (provenance IN ('model', 'human')),
            stance TEXT NOT NULL CHECK (stance IN ('affirms', 'disputes', 'neutral')),
            score REAL,
            scores TEXT,
            model TEXT,
            explanation TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (claim_id, provenance)
        );
        CREATE INDEX stances_stance ON stances(stance, provenance);
        CREATE VIEW effective_stances AS
        SELECT claim_id, stance, score, scores, provenance, model, explanation
        FROM stances WHERE provenance = 'human'
        UNION ALL
        SELECT s.claim_id, s.stance, s.score, s.scores, s.provenance, s.model, s.explanation
        FROM stances s
        WHERE s.provenance != 'human' AND NOT EXISTS (
            SELECT 1 FROM stances h WHERE h.claim_id = s.claim_id AND h.provenance = 'human'
        );
        """,
    ),
    (
        "core/0100_documents_metadata_index",
        """
        -- A covering index of the documents' metadata, so reading every document's Zotero
        -- collections and tags (the TUI's filter bar, before its first paint) walks this
        -- index instead of the table, whose rows carry each document's whole text.
        CREATE INDEX documents_metadata ON documents(metadata);
        """,
    ),
    (
        "core/0110_tags_claim_index",
        """
        -- A covering index of each claim's assigned labels, so a streamed export (and any
        -- read of one claim's labels) finds them in this index alone instead of looking up
        -- every tag row for ``assigned``: 0.17 s of 2.2 s CPU of a Turtle export at
        -- 100,000 claims (BENCHMARKS.md, "Streamed export").
        CREATE INDEX tags_claim ON tags(claim_id, assigned, label);
        """,
    ),
]
