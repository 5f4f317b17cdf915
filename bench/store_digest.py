"""Print a digest of what an emlit store holds, leaving out what is expected to differ.

Used to show that a refactoring changed nothing a user sees: run ``emlit demo`` before and
after, then compare the two digests. Timestamps and model version strings (which hash the
code) are left out; scores are rounded to 4 places, embeddings to 3.

    python bench/store_digest.py emlit-demo.db            # one line per table, then the total
    python bench/store_digest.py a.db b.db                # compares two stores table by table
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from array import array

# Caches of derived data are left out: ``tag_cache`` and ``cue_profiles`` (a text's cue
# profile, by text hash) hold what the stages would compute again from the claims; whether a
# row is there depends on what ran before (an earlier run, another worker's order of texts),
# not on what the store says, and the links they feed are in the digest.
QUERIES = {
    "documents": "SELECT path, display_path, format, title, lang, content_hash, text, metadata "
    "FROM documents ORDER BY path",
    "blocks": 'SELECT d.path, b.seq, b.start, b."end", b.kind, b.section, b.page FROM blocks b '
    "JOIN documents d ON d.id = b.document_id ORDER BY d.path, b.seq",
    "doc_links": "SELECT d.path, l.target, l.kind FROM doc_links l "
    "JOIN documents d ON d.id = l.document_id ORDER BY d.path, l.target, l.kind",
    "claims": 'SELECT c.id, d.path, c.text, c.lang, c.start, c."end", c.section, c.page, c.kind, '
    "c.provenance FROM claims c JOIN documents d ON d.id = c.document_id ORDER BY c.id",
    "claims_fts": "SELECT claim_id, tokens FROM claims_fts ORDER BY claim_id",
    "tags": "SELECT claim_id, label, provenance, assigned, round(score, 4) FROM tags "
    "ORDER BY claim_id, label, provenance",
    "links": "SELECT source_id, target_id, target_kind, relation, round(score, 4), provenance, "
    "state, source_note FROM links ORDER BY source_id, target_id, relation, provenance",
    "claim_embeddings": "SELECT claim_id, vec FROM claim_embeddings ORDER BY claim_id",
    "stances": "SELECT claim_id, provenance, stance, round(score, 4) FROM stances "
    "ORDER BY claim_id, provenance",
}


def _row_bytes(row: tuple[object, ...]) -> bytes:
    parts = []
    for value in row:
        if isinstance(value, bytes):  # an embedding: compare to 3 decimals
            vec = array("f", value)
            parts.append(",".join(f"{x:.3f}" for x in vec))
        else:
            parts.append(repr(value))
    return "\x1f".join(parts).encode("utf-8")


def digest(path: str) -> dict[str, tuple[int, str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out = {}
    for table, sql in QUERIES.items():
        h = hashlib.sha256()
        n = 0
        try:
            rows = conn.execute(sql)
        except sqlite3.OperationalError:  # a store from before the table existed
            out[table] = (0, "absent")
            continue
        for row in rows:
            h.update(_row_bytes(row) + b"\x1e")
            n += 1
        out[table] = (n, h.hexdigest()[:16])
    conn.close()
    return out


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__)
        return 2
    digests = [digest(p) for p in argv]
    same = True
    for table in QUERIES:
        cells = [f"{d[table][0]:>6} rows {d[table][1]}" for d in digests]
        mark = ""
        if len(digests) == 2:
            mark = "  same" if digests[0][table] == digests[1][table] else "  DIFFERENT"
            same &= digests[0][table] == digests[1][table]
        print(f"{table:<17}" + "   ".join(cells) + mark)
    if len(digests) == 2:
        print("identical" if same else "stores differ")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
