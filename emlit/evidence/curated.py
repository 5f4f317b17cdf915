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

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from emlit.claims import claim_id
from emlit.errors import EmlitError
from emlit.readers.base import TextBuilder
from emlit.store import CuratedClaim, CuratedLink, CuratedWork, Store
from emlit.vocab import CITES, DEFINITIONS, LINK_RELATIONS

FORMAT = "evidence-curated"
TAG_MODEL = "curated-map"


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
    stored = []
    for key, meta in works.items():
        doc_path[key] = f"{identity}#{key}"
        mine = by_work.get(key, [])
        work = _work(doc_path[key], key, meta, mine)
        for local, placed in zip(mine, work.claims, strict=True):
            local_to_id[local["id"]] = placed.id
        stored.append(work)
    store.save_curated_map(stored, [_link(ln, local_to_id, doc_path) for ln in links])
    return CuratedReport(len(works), len(claims), len(links))


def _work(path: str, key: str, meta: dict[str, Any], claims: list[dict[str, Any]]) -> CuratedWork:
    """The work's document: its title, then one paragraph per curated claim."""
    builder = TextBuilder()
    builder.add(meta.get("title") or key, "heading")
    placed = []
    for c in claims:
        builder.add(c["text"], "paragraph", section=c.get("section"), page=c.get("page"))
        block = builder.blocks[-1]
        placed.append(
            CuratedClaim(
                id=claim_id(path, c["text"], 0),
                text=c["text"],
                lang=c["lang"],
                start=block.start,
                end=block.end,
                section=c.get("section"),
                page=c.get("page"),
                tags=_tags(c),
            )
        )
    return CuratedWork(
        path=path,
        display_path=f"evidence/bibliography.bib#{key}",
        format=FORMAT,
        title=meta.get("title"),
        metadata=meta,
        text=builder.text,
        blocks=builder.blocks,
        claims=placed,
    )


def _link(ln: dict[str, Any], local_to_id: dict[str, str], doc_path: dict[str, str]) -> CuratedLink:
    cites = ln["relation"] == CITES
    note = f"{ln['established_by']}: {ln['note']}" if ln.get("note") else ln["established_by"]
    return CuratedLink(
        source=local_to_id[ln["source"]],
        target=doc_path[ln["target"]] if cites else local_to_id[ln["target"]],
        target_kind="document" if cites else "claim",
        relation=ln["relation"],
        note=note,
        model=TAG_MODEL,
    )


def _tags(c: dict[str, Any]) -> list[dict[str, Any]]:
    """The claim's definitions as rule tags: every definition, assigned or not."""
    labels = set(c["definitions"])
    return [
        {
            "label": d,
            "assigned": d in labels,
            "score": 1.0 if d in labels else 0.0,
            "provenance": "rule",
            "model": TAG_MODEL,
            "explanation": _explanation(c, d, d in labels),
        }
        for d in DEFINITIONS
    ]


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
        if not isinstance(defs, list) or any(d not in DEFINITIONS for d in defs):
            raise EmlitError(f"{where}.definitions: expected a list of {', '.join(DEFINITIONS)}")
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
        if rel not in LINK_RELATIONS:
            raise EmlitError(f"{where}.relation: {rel!r} is not one of {', '.join(LINK_RELATIONS)}")
        if ln.get("source") not in claim_ids:
            raise EmlitError(
                f"{where}.source: {ln.get('source')!r} is not a claim id of claims.yaml"
            )
        targets = works if rel == CITES else claim_ids
        if ln.get("target") not in targets:
            kind = "a key of bibliography.bib" if rel == CITES else "a claim id of claims.yaml"
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
    link_claims(store, store.claim_ids(provenance="curated"))
    return report
