"""Build the evidence graph from the store: documents, claims, definitions, authors.

Nodes (attribute ``kind``): ``document``, ``claim``, ``definition``, ``author``.
Edges (attribute ``kind``): ``contains`` (document -> claim), ``uses_definition`` (claim ->
definition), ``supports`` / ``counters`` (claim -> claim, with score, provenance, source
note), ``cites_as_evidence`` (claim -> document), ``authored`` (author -> document) and
``links_to`` (document -> document, Obsidian wikilinks and embeds) and ``comments_on``
(claim -> claim: a researcher's comment on a highlight in Zotero).

Claim nodes carry ``stance`` (affirms | disputes | neutral, contract 9) and ``stance_score``
when the claim has a stance. Attribute values are str, int, float or bool only (never None),
so every writer accepts them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from emlit.errors import EmlitError
from emlit.vocab import CITES, COUNTERS, DEFINITIONS, EVIDENCE_RELATIONS, SUPPORTS

if TYPE_CHECKING:
    import networkx as nx

    from emlit.store import StoreReader

EVIDENCE_KINDS = {SUPPORTS: "supports", COUNTERS: "counters", CITES: "cites_as_evidence"}


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
    # A printable text's only whitespace is the ASCII space (isprintable is False for every
    # other space and control character), so without a double, leading or trailing space
    # it is already normal: the usual case, and cheaper than split and join.
    if not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
        text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def build_graph(store: StoreReader, flt: GraphFilter | None = None) -> nx.MultiDiGraph:
    import networkx as nx

    flt = flt or GraphFilter()
    labels = store.all_labels()
    stances = store.all_stances()  # contract 9: node attributes "stance", "stance_score"
    links = store.map_links()
    selected = _select_claims(store, flt, labels, links)

    g = nx.MultiDiGraph(name="emlit evidence graph")
    _add_definitions(g)
    docs: dict[int, dict[str, Any]] = {}
    doc_by_path: dict[str, str] = {}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _src, tgt, kind, rel, *_ in links:
        if kind == "claim" and rel in EVIDENCE_RELATIONS:
            counts[tgt][0 if rel == SUPPORTS else 1] += 1
    wanted_docs: set[int] | None = None if selected is None else set()
    claim_rows = []
    for row in store.map_claims():
        if selected is not None and row[0] not in selected:
            continue
        claim_rows.append(row)
        if wanted_docs is not None:
            wanted_docs.add(row[1])
    for row in store.map_documents():
        doc_by_path[row[1]] = f"doc:{row[0]}"
        if wanted_docs is not None and row[0] not in wanted_docs:
            continue
        docs[row[0]] = _add_document(g, row)
    for cid, doc_id, text, lang, start, end, section, page, prov in claim_rows:
        node = claim_node(cid)
        sup, cnt = counts.get(cid, (0, 0))
        row = (text, lang, docs[doc_id]["display_path"], start, end, section, page, prov)
        stance, stance_score, _ = stances.get(cid, (None, None, None))
        g.add_node(
            node,
            **claim_attrs(
                *row, labels.get(cid, []), sup, cnt, stance=stance, stance_score=stance_score
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
            docs[doc_id] = _add_document(g, store.map_documents(doc_id)[0])
        g.add_edge(s, t, **link_attrs(rel, score, prov, state, note, model))
    for comment, annotated in store.comment_links():
        # A researcher's comment on a highlight in Zotero: a fact of the source, not evidence.
        if claim_node(comment) in g and claim_node(annotated) in g:
            g.add_edge(claim_node(comment), claim_node(annotated), kind="comments_on")
    _add_doc_links(g, store, docs)
    return g


def claim_attrs(
    text: str,
    lang: str,
    document: str,
    start: int,
    end: int,
    section: str | None,
    page: int | None,
    provenance: str | None,
    labels: list[str],
    supports: int,
    counters: int,
    *,
    stance: str | None = None,
    stance_score: float | None = None,
) -> dict[str, Any]:
    """A claim node's attributes (the streaming exports write the same). ``stance`` is the
    claim's effective stance (contract 9) and ``stance_score`` its probability (1.0 for a
    human decision); both are left out when the claim has none."""
    return _clean(
        {
            "kind": "claim",
            "label": _short(text),
            "text": text,
            "lang": lang,
            "document": document,
            "start": start,
            "end": end,
            "section": section,
            "page": page,
            "provenance": provenance,
            "labels": ",".join(labels),
            "supports": supports,
            "counters": counters,
            "stance": stance,
            "stance_score": None if stance_score is None else float(stance_score),
        }
    )


def link_attrs(
    relation: str,
    score: float | None,
    provenance: str,
    state: str | None,
    note: str | None,
    model: str | None,
) -> dict[str, Any]:
    """An evidence edge's attributes."""
    return _clean(
        {
            "kind": EVIDENCE_KINDS[relation],
            "relation": relation,
            "score": score,
            "provenance": provenance,
            "state": state,
            "source_note": note,
            "model": model,
        }
    )


def definition_nodes() -> list[tuple[str, dict[str, Any]]]:
    """The six definition nodes with their attributes, in order."""
    from emlit.definitions import load_definitions

    try:
        defs = {d.id: d for d in load_definitions()}
    except EmlitError:
        defs = {}
    out = []
    for did in DEFINITIONS:
        d = defs.get(did)
        out.append(
            (
                f"def:{did}",
                _clean(
                    {
                        "kind": "definition",
                        "label": f"{did}: {d.label_en}" if d else did,
                        "label_zh": d.label_zh if d else None,
                        "text": d.definition_en if d else None,
                        "text_zh": d.definition_zh if d else None,
                    }
                ),
            )
        )
    return out


def _add_definitions(g: nx.MultiDiGraph) -> None:
    for node, attrs in definition_nodes():
        g.add_node(node, **attrs)


def document_attrs(row: tuple[Any, ...]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(node attributes, {display_path, title, path}, authors) of a ``map_documents`` row."""
    _, path, display, fmt, title, lang, metadata = row
    try:
        meta = json.loads(metadata or "{}")
    except json.JSONDecodeError:
        meta = {}
    authors = [
        a for a in meta.get("authors") or [] if isinstance(a, str) and a.strip() and a != "others"
    ]
    info = {"display_path": display, "title": title, "path": path}
    attrs = _clean(
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
    )
    return attrs, info, authors


def _add_document(g: nx.MultiDiGraph, row: tuple[Any, ...]) -> dict[str, Any]:
    attrs, info, authors = document_attrs(row)
    node = f"doc:{row[0]}"
    g.add_node(node, **attrs)
    for name in authors:
        a = f"author:{name}"
        if a not in g:
            g.add_node(a, kind="author", label=name)
        g.add_edge(a, node, kind="authored")
    return info


def doc_names(docs: dict[int, dict[str, Any]]) -> dict[str, int]:
    """Names a wikilink may use for each document (title, file stem, display path)."""
    names: dict[str, int] = {}
    for doc_id, info in docs.items():
        for name in (
            info["title"],
            PurePath(info["display_path"].split("#")[0]).stem,
            info["display_path"],
        ):
            if name:
                names.setdefault(name.strip().lower(), doc_id)
    return names


def resolve_wikilink(names: dict[str, int], target: str) -> int | None:
    key = target.split("#")[0].split("|")[0].strip().lower()
    return names.get(key) or names.get(PurePath(key).stem)


def _add_doc_links(g: nx.MultiDiGraph, store: StoreReader, docs: dict[int, dict[str, Any]]) -> None:
    """Wikilinks and embeds between documents in the graph, matched by title or file name."""
    names = doc_names(docs)
    if not docs:
        return
    for doc_id, target, kind in store.wiki_links(list(docs)):
        other = resolve_wikilink(names, target)
        if other is not None and other != doc_id:
            g.add_edge(f"doc:{doc_id}", f"doc:{other}", kind="links_to", link=kind)


def _select_claims(
    store: StoreReader, flt: GraphFilter, labels: dict[str, list[str]], links: list[tuple[Any, ...]]
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
        if not store.has_claim(flt.claim):
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
        if flt.definition not in DEFINITIONS:
            raise EmlitError(
                f"--definition: {flt.definition!r} is not one of {', '.join(DEFINITIONS)}"
            )
        seeds = {cid for cid, labs in labels.items() if flt.definition in labs}
    if flt.document is not None:
        ids, found = store.claims_of_documents_matching(flt.document)
        if not found:
            raise EmlitError(f"--document: no document matches {flt.document!r}")
        docs = set(ids)
        seeds = docs if seeds is None else seeds & docs
    assert seeds is not None
    return seeds | {n for c in seeds for n in neighbours[c]}
