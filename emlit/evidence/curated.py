"""The starter evidence map (corpus/evidence/): bibliography, curated claims and links.

Each work of bibliography.bib becomes a document whose text is built from its curated
claims (one paragraph each, under the work's title), so ``claim.text ==
documents.text[start:end]`` holds as for ingested files. Identity path:
``<folder>/claims.yaml#<key>`` (the claims come from that file; the BibTeX reader keeps
``bibliography.bib#<key>`` for itself), format ``evidence-curated``, bibliographic facts in
``metadata``. Claims carry provenance ``curated``; their definitions are tags with provenance
``rule`` and model ``curated-map`` (the tags table allows rule | model | human); the links
carry provenance ``curated`` and ``source_note`` naming the work that establishes them.
Loading again replaces what the last load stored and leaves human decisions alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from emlit import fts
from emlit.claims import claim_id
from emlit.definitions import DEFINITION_IDS
from emlit.errors import EmlitError
from emlit.readers.base import TextBuilder
from emlit.store import Store, now

FORMAT = "evidence-curated"
TAG_MODEL = "curated-map"
RELATIONS = ("SUPPORTS", "COUNTERS", "CITES_AS_EVIDENCE")


@dataclass
class CuratedReport:
    documents: int
    claims: int
    links: int


def evidence_folder(folder: str | Path) -> Path:
    """Accept the evidence folder itself or the corpus folder that holds it."""
    folder = Path(folder)
    if not (folder / "claims.yaml").exists() and (folder / "evidence" / "claims.yaml").exists():
        folder = folder / "evidence"
    return folder


def load_curated_map(store: Store, folder: str | Path) -> CuratedReport:
    """Store the bibliography, curated claims, their definitions and curated links."""
    from emlit.readers.bibtex import entry_metadata, parse_entries

    folder = evidence_folder(folder)
    bib_path = folder / "bibliography.bib"
    try:
        entries = parse_entries(bib_path.read_text(encoding="utf-8"), str(bib_path))
    except OSError as exc:
        raise EmlitError(f"{bib_path}: cannot read ({exc.strerror})") from None
    works = {key: entry_metadata(key, fields) for key, fields in entries}
    claims = _claims(folder / "claims.yaml", works)
    links = _links(folder / "links.yaml", {c["id"] for c in claims}, works)

    by_work: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        by_work.setdefault(c["cite"], []).append(c)
    identity = str((folder / "claims.yaml").resolve())
    local_to_id: dict[str, str] = {}
    doc_path: dict[str, str] = {}
    stamp = now()
    with store.transaction() as conn:
        for key, meta in works.items():
            path = f"{identity}#{key}"
            doc_path[key] = path
            builder = TextBuilder()
            builder.add(meta.get("title") or key, "heading")
            placed = []
            for c in by_work.get(key, []):
                builder.add(c["text"], "paragraph", section=c.get("section"), page=c.get("page"))
                block = builder.blocks[-1]
                placed.append((c, block.start, block.end))
            doc_id = _upsert_document(store, path, key, meta, builder, stamp)
            keep = []
            for c, start, end in placed:
                cid = claim_id(path, c["text"], 0)
                local_to_id[c["id"]] = cid
                keep.append(cid)
                _upsert_claim(store, cid, doc_id, c, start, end, stamp)
            _drop_stale_claims(store, doc_id, keep)
        conn.execute("DELETE FROM links WHERE provenance = 'curated'")
        rows = []
        for ln in links:
            target = (
                doc_path[ln["target"]]
                if ln["relation"] == "CITES_AS_EVIDENCE"
                else local_to_id[ln["target"]]
            )
            note = (
                f"{ln['established_by']}: {ln['note']}" if ln.get("note") else ln["established_by"]
            )
            rows.append(
                (
                    local_to_id[ln["source"]],
                    target,
                    "document" if ln["relation"] == "CITES_AS_EVIDENCE" else "claim",
                    ln["relation"],
                    1.0,
                    "curated",
                    None,
                    note,
                    TAG_MODEL,
                    stamp,
                )
            )
        conn.executemany(
            "INSERT OR REPLACE INTO links (source_id, target_id, target_kind, relation, score, "
            "provenance, state, source_note, model, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
    return CuratedReport(len(works), len(claims), len(links))


def _upsert_document(
    store: Store, path: str, key: str, meta: dict[str, Any], builder: TextBuilder, stamp: str
) -> int:
    import hashlib

    text = builder.text
    row = {
        "path": path,
        "display_path": f"evidence/bibliography.bib#{key}",
        "format": FORMAT,
        "title": meta.get("title"),
        "lang": "en",
        "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "text": text,
        "metadata": json.dumps(meta, ensure_ascii=False),
        "ingested_at": stamp,
    }
    existing = store.document_by_path(path)
    if existing:
        doc_id = int(existing["id"])
        store.db.table("documents").update(doc_id, row)
        store.conn.execute("DELETE FROM blocks WHERE document_id = ?", [doc_id])
    else:
        doc_id = int(store.db.table("documents").insert(row).last_pk)  # type: ignore[arg-type]
    store.db.table("blocks").insert_all(
        {
            "document_id": doc_id,
            "seq": i,
            "start": b.start,
            "end": b.end,
            "kind": b.kind,
            "section": b.section,
            "page": b.page,
        }
        for i, b in enumerate(builder.blocks)
    )
    return doc_id


def _upsert_claim(
    store: Store, cid: str, doc_id: int, c: dict[str, Any], start: int, end: int, stamp: str
) -> None:
    conn = store.conn
    fresh = conn.execute("SELECT 1 FROM claims WHERE id = ?", [cid]).fetchone() is None
    store.db.table("claims").insert(
        {
            "id": cid,
            "document_id": doc_id,
            "text": c["text"],
            "lang": c["lang"],
            "start": start,
            "end": end,
            "section": c.get("section"),
            "page": c.get("page"),
            "kind": "curated",
            "provenance": "curated",
            "created_at": stamp,
        },
        replace=True,
    )
    if fresh:
        conn.execute(
            "INSERT INTO claims_fts (claim_id, tokens) VALUES (?, ?)",
            [cid, fts.index_tokens(c["text"])],
        )
    conn.execute("DELETE FROM tags WHERE claim_id = ? AND provenance != 'human'", [cid])
    labels = set(c["definitions"])
    conn.executemany(
        "INSERT INTO tags (claim_id, label, provenance, assigned, score, model, explanation, created_at) "
        "VALUES (?, ?, 'rule', ?, ?, ?, ?, ?)",
        [
            (
                cid,
                d,
                int(d in labels),
                1.0 if d in labels else 0.0,
                TAG_MODEL,
                json.dumps(_explanation(c, d, d in labels), ensure_ascii=False),
                stamp,
            )
            for d in DEFINITION_IDS
        ],
    )


def _explanation(c: dict[str, Any], label: str, assigned: bool) -> dict[str, Any]:
    """In the shape of the tagger's explanations, so the TUI shows where the label comes from."""
    return {
        "label": label,
        "score": 1.0 if assigned else 0.0,
        "threshold": "curated",
        "cues": [f"claims.yaml {c['id']} ({c['cite']}, {c.get('section') or 'no section'})"],
        "nearest": [],
        "model": TAG_MODEL,
    }


def _drop_stale_claims(store: Store, doc_id: int, keep: list[str]) -> None:
    conn = store.conn
    old = [r[0] for r in conn.execute("SELECT id FROM claims WHERE document_id = ?", [doc_id])]
    for cid in set(old) - set(keep):
        conn.execute("DELETE FROM claims WHERE id = ?", [cid])
        conn.execute("DELETE FROM claims_fts WHERE claim_id = ?", [cid])
        conn.execute("DELETE FROM tags WHERE claim_id = ? AND provenance != 'human'", [cid])
        conn.execute(
            "DELETE FROM links WHERE provenance = 'model' AND (source_id = ? OR target_id = ?)",
            [cid, cid],
        )


def _read_yaml(path: Path, top: str) -> list[Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EmlitError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "syntax error"
        raise EmlitError(f"{path}: not valid YAML ({first})") from None
    if not isinstance(data, dict) or not isinstance(data.get(top), list):
        raise EmlitError(f"{path}: expected a top-level '{top}:' list")
    return list(data[top])


def _claims(path: Path, works: dict[str, Any]) -> list[dict[str, Any]]:
    out, seen = [], set()
    texts: dict[tuple[str, str], str] = {}
    for i, c in enumerate(_read_yaml(path, "claims")):
        where = f"{path}: claims[{i}]"
        if not isinstance(c, dict):
            raise EmlitError(f"{where}: expected a mapping")
        for field in ("id", "cite", "text", "lang"):
            if not isinstance(c.get(field), str) or not c[field].strip():
                raise EmlitError(f"{where}.{field}: missing or empty")
        where = f"{path}: claim {c['id']}"
        if c["id"] in seen:
            raise EmlitError(f"{where}: duplicate id")
        seen.add(c["id"])
        if c["cite"] not in works:
            raise EmlitError(f"{where}.cite: {c['cite']!r} is not a key of bibliography.bib")
        if c["lang"] not in ("en", "zh"):
            raise EmlitError(f"{where}.lang: {c['lang']!r} is not en or zh")
        defs = c.get("definitions") or []
        if not isinstance(defs, list) or any(d not in DEFINITION_IDS for d in defs):
            raise EmlitError(f"{where}.definitions: expected a list of {', '.join(DEFINITION_IDS)}")
        if c.get("page") is not None and not isinstance(c["page"], int):
            raise EmlitError(f"{where}.page: expected a page number")
        c["text"] = " ".join(c["text"].split())
        if (c["cite"], c["text"]) in texts:
            raise EmlitError(
                f"{where}.text: same text as claim {texts[(c['cite'], c['text'])]} of the same work"
            )
        texts[(c["cite"], c["text"])] = c["id"]
        out.append(c)
    return out


def _links(path: Path, claim_ids: set[str], works: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for i, ln in enumerate(_read_yaml(path, "links")):
        where = f"{path}: links[{i}]"
        if not isinstance(ln, dict):
            raise EmlitError(f"{where}: expected a mapping")
        rel = ln.get("relation")
        if rel not in RELATIONS:
            raise EmlitError(f"{where}.relation: {rel!r} is not one of {', '.join(RELATIONS)}")
        if ln.get("source") not in claim_ids:
            raise EmlitError(
                f"{where}.source: {ln.get('source')!r} is not a claim id of claims.yaml"
            )
        targets = works if rel == "CITES_AS_EVIDENCE" else claim_ids
        if ln.get("target") not in targets:
            kind = (
                "a key of bibliography.bib"
                if rel == "CITES_AS_EVIDENCE"
                else "a claim id of claims.yaml"
            )
            raise EmlitError(f"{where}.target: {ln.get('target')!r} is not {kind}")
        if ln.get("established_by") not in works:
            raise EmlitError(
                f"{where}.established_by: {ln.get('established_by')!r} is not a key of bibliography.bib"
            )
        out.append(ln)
    return out


def load_and_link(store: Store, folder: str | Path) -> CuratedReport:
    """Load the map, then let the linker connect its claims with the ingested ones (demo)."""
    from emlit.evidence.stage import link_claims

    report = load_curated_map(store, folder)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM claims WHERE provenance = 'curated'")]
    link_claims(store, ids)
    return report
