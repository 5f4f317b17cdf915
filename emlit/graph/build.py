"""Build the evidence graph from the store: documents, claims, definitions, authors.

Nodes (attribute ``kind``): ``document``, ``claim``, ``definition``, ``author``.
Edges (attribute ``kind``): ``contains`` (document -> claim), ``uses_definition`` (claim ->
definition), ``supports`` / ``counters`` (claim -> claim, with score, provenance, source
note), ``cites_as_evidence`` (claim -> document), ``authored`` (author -> document) and
``links_to`` (document -> document, Obsidian wikilinks and embeds).

Attribute values are str, int, float or bool only (never None), so every writer accepts them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from emlit.definitions import DEFINITION_IDS
from emlit.errors import EmlitError

if TYPE_CHECKING:
    import networkx as nx

    from emlit.store import Store

EVIDENCE_KINDS = {
    "SUPPORTS": "supports",
    "COUNTERS": "counters",
    "CITES_AS_EVIDENCE": "cites_as_evidence",
}


@dataclass(frozen=True)
class GraphFilter:
    """Which part of the graph to build: everything, or claims selected by one filter."""

    definition: str | None = None
    document: str | None = None
    claim: str | None = None
    depth: int = 1


def claim_node(cid: str) -> str:
    return f"claim:{cid}"


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if v is not None and v != ""}


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def build_graph(store: Store, flt: GraphFilter | None = None) -> nx.MultiDiGraph:
    import networkx as nx

    flt = flt or GraphFilter()
    conn = store.conn
    labels: dict[str, list[str]] = defaultdict(list)
    for cid, label in conn.execute(
        "SELECT claim_id, label FROM effective_tags WHERE assigned = 1 ORDER BY label"
    ):
        labels[cid].append(label)
    links = conn.execute(
        "SELECT source_id, target_id, target_kind, relation, score, provenance, state, source_note, model "
        "FROM effective_links WHERE relation IN ('SUPPORTS', 'COUNTERS', 'CITES_AS_EVIDENCE') ORDER BY id"
    ).fetchall()
    selected = _select_claims(store, flt, labels, links)

    g = nx.MultiDiGraph(name="emlit evidence graph")
    _add_definitions(g)
    docs: dict[int, dict[str, Any]] = {}
    doc_by_path: dict[str, str] = {}
    claim_sql = (
        'SELECT c.id, c.document_id, c.text, c.lang, c.start, c."end", c.section, c.page, c.provenance '
        "FROM claims c ORDER BY c.document_id, c.start"
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _src, tgt, kind, rel, *_ in links:
        if kind == "claim" and rel in ("SUPPORTS", "COUNTERS"):
            counts[tgt][0 if rel == "SUPPORTS" else 1] += 1
    wanted_docs: set[int] | None = None if selected is None else set()
    claim_rows = []
    for row in conn.execute(claim_sql):
        if selected is not None and row[0] not in selected:
            continue
        claim_rows.append(row)
        if wanted_docs is not None:
            wanted_docs.add(row[1])
    for row in conn.execute(
        "SELECT id, path, display_path, format, title, lang, metadata FROM documents ORDER BY id"
    ):
        doc_by_path[row[1]] = f"doc:{row[0]}"
        if wanted_docs is not None and row[0] not in wanted_docs:
            continue
        docs[row[0]] = _add_document(g, row)
    for cid, doc_id, text, lang, start, end, section, page, prov in claim_rows:
        node = claim_node(cid)
        sup, cnt = counts.get(cid, (0, 0))
        g.add_node(
            node,
            **_clean(
                {
                    "kind": "claim",
                    "label": _short(text),
                    "text": text,
                    "lang": lang,
                    "document": docs[doc_id]["display_path"],
                    "start": start,
                    "end": end,
                    "section": section,
                    "page": page,
                    "provenance": prov,
                    "labels": ",".join(labels.get(cid, [])),
                    "supports": sup,
                    "counters": cnt,
                }
            ),
        )
        g.add_edge(f"doc:{doc_id}", node, kind="contains")
        for d in labels.get(cid, []):
            g.add_edge(node, f"def:{d}", kind="uses_definition")
    for src, tgt, target_kind, rel, score, prov, state, note, model in links:
        s = claim_node(src)
        t = claim_node(tgt) if target_kind == "claim" else doc_by_path.get(tgt)
        if s not in g or t is None:
            continue
        if t not in g:
            if target_kind != "document":
                continue
            doc_id = int(t.split(":", 1)[1])
            row = conn.execute(
                "SELECT id, path, display_path, format, title, lang, metadata FROM documents WHERE id = ?",
                [doc_id],
            ).fetchone()
            docs[doc_id] = _add_document(g, row)
        g.add_edge(
            s,
            t,
            **_clean(
                {
                    "kind": EVIDENCE_KINDS[rel],
                    "relation": rel,
                    "score": score,
                    "provenance": prov,
                    "state": state,
                    "source_note": note,
                    "model": model,
                }
            ),
        )
    _add_doc_links(g, store, docs)
    return g


def _add_definitions(g: nx.MultiDiGraph) -> None:
    from emlit.definitions import load_definitions

    try:
        defs = {d.id: d for d in load_definitions()}
    except EmlitError:
        defs = {}
    for did in DEFINITION_IDS:
        d = defs.get(did)
        g.add_node(
            f"def:{did}",
            **_clean(
                {
                    "kind": "definition",
                    "label": f"{did}: {d.label_en}" if d else did,
                    "label_zh": d.label_zh if d else None,
                    "text": d.definition_en if d else None,
                    "text_zh": d.definition_zh if d else None,
                }
            ),
        )


def _add_document(g: nx.MultiDiGraph, row: tuple[Any, ...]) -> dict[str, Any]:
    doc_id, path, display, fmt, title, lang, metadata = row
    try:
        meta = json.loads(metadata or "{}")
    except json.JSONDecodeError:
        meta = {}
    authors = [
        a for a in meta.get("authors") or [] if isinstance(a, str) and a.strip() and a != "others"
    ]
    node = f"doc:{doc_id}"
    info = {"display_path": display, "title": title, "path": path}
    g.add_node(
        node,
        **_clean(
            {
                "kind": "document",
                "label": title or display,
                "path": display,
                "format": fmt,
                "lang": lang,
                "year": str(meta.get("year") or "") or None,
                "venue": meta.get("venue"),
                "doi": meta.get("doi"),
                "eprint": meta.get("eprint"),
                "url": meta.get("url"),
                "key": meta.get("key"),
                "authors": "; ".join(authors) or None,
            }
        ),
    )
    for name in authors:
        a = f"author:{name}"
        if a not in g:
            g.add_node(a, kind="author", label=name)
        g.add_edge(a, node, kind="authored")
    return info


def _add_doc_links(g: nx.MultiDiGraph, store: Store, docs: dict[int, dict[str, Any]]) -> None:
    """Wikilinks and embeds between documents in the graph, matched by title or file name."""
    names: dict[str, int] = {}
    for doc_id, info in docs.items():
        for name in (
            info["title"],
            PurePath(info["display_path"].split("#")[0]).stem,
            info["display_path"],
        ):
            if name:
                names.setdefault(name.strip().lower(), doc_id)
    if not docs:
        return
    ids = list(docs)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for doc_id, target, kind in store.conn.execute(
            f"SELECT document_id, target, kind FROM doc_links WHERE kind IN ('wikilink', 'embed') "
            f"AND document_id IN ({marks})",
            chunk,
        ):
            key = target.split("#")[0].split("|")[0].strip().lower()
            other = names.get(key) or names.get(PurePath(key).stem)
            if other is not None and other != doc_id:
                g.add_edge(f"doc:{doc_id}", f"doc:{other}", kind="links_to", link=kind)


def _select_claims(
    store: Store, flt: GraphFilter, labels: dict[str, list[str]], links: list[tuple[Any, ...]]
) -> set[str] | None:
    """Claim ids the filter keeps (None: all). Definition and document filters add the
    claims directly linked to the chosen ones, so their evidence stays in view."""
    if flt.definition is None and flt.document is None and flt.claim is None:
        return None
    claim_links = [(s, t) for s, t, kind, *_ in links if kind == "claim"]
    neighbours: dict[str, set[str]] = defaultdict(set)
    for s, t in claim_links:
        neighbours[s].add(t)
        neighbours[t].add(s)
    if flt.claim is not None:
        if store.conn.execute("SELECT 1 FROM claims WHERE id = ?", [flt.claim]).fetchone() is None:
            raise EmlitError(f"--claim: no claim with id {flt.claim!r}")
        if flt.depth < 0:
            raise EmlitError(f"--depth: must be 0 or more, not {flt.depth}")
        seen, frontier = {flt.claim}, {flt.claim}
        for _ in range(flt.depth):
            frontier = {n for c in frontier for n in neighbours[c]} - seen
            seen |= frontier
        return seen
    seeds: set[str] | None = None
    if flt.definition is not None:
        if flt.definition not in DEFINITION_IDS:
            raise EmlitError(
                f"--definition: {flt.definition!r} is not one of {', '.join(DEFINITION_IDS)}"
            )
        seeds = {cid for cid, labs in labels.items() if flt.definition in labs}
    if flt.document is not None:
        rows = store.conn.execute(
            "SELECT c.id FROM claims c JOIN documents d ON d.id = c.document_id "
            "WHERE d.display_path = ? OR d.path = ? OR d.display_path LIKE ?",
            [flt.document, flt.document, f"%{flt.document}"],
        ).fetchall()
        if (
            not rows
            and store.conn.execute(
                "SELECT 1 FROM documents WHERE display_path = ? OR path = ? OR display_path LIKE ?",
                [flt.document, flt.document, f"%{flt.document}"],
            ).fetchone()
            is None
        ):
            raise EmlitError(f"--document: no document matches {flt.document!r}")
        docs = {r[0] for r in rows}
        seeds = docs if seeds is None else seeds & docs
    assert seeds is not None
    return seeds | {n for c in seeds for n in neighbours[c]}
