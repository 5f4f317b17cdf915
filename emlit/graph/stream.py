"""The whole evidence graph as streams, for exports that need not hold it in memory.

``build_graph`` builds a networkx graph of every node and edge (a million claims: gigabytes,
and most of an export's time). GraphML, Turtle and node-link JSON of the unfiltered graph are
written from here instead, as the store's read layer yields rows (``iter_map_claims``,
``iter_map_links``): memory holds the documents (names for wikilinks, authors) and one claim
at a time, whatever the number of claims.

The output is the same graph ``build_graph`` gives, with the same attributes (shared helpers
in ``emlit.graph.build``), nodes and edges in the same order (networkx's: nodes as inserted,
edges by source node, then by target in order of first insertion, then key), so node-link
JSON and Turtle come out byte for byte as the networkx path wrote them, and GraphML reads
back into the same nodes and edges (tests/test_export_stream.py checks all three).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from emlit.graph.build import (
    EVIDENCE_KINDS,
    _short,
    claim_attrs,
    claim_node,
    definition_nodes,
    doc_names,
    document_attrs,
    link_attrs,
    resolve_wikilink,
)

if TYPE_CHECKING:
    from emlit.store import StoreReader

GRAPH_NAME = "emlit evidence graph"
Node = tuple[str, dict[str, Any]]
Edge = tuple[str, str, int, dict[str, Any]]  # source, target, key, attributes


@dataclass
class _Doc:
    id: int
    node: str
    attrs: dict[str, Any]
    new_authors: list[str]  # author nodes first seen at this document
    authors: list[str]  # author nodes of this document, in order (repeats kept)
    links_to: list[tuple[str, str]] = field(default_factory=list)  # (document node, kind)


class MapStream:
    """Nodes and edges of the whole graph, read from the store as they are consumed."""

    def __init__(self, store: StoreReader) -> None:
        self.store = store
        self.docs: list[_Doc] = []
        self.authored: dict[str, list[str]] = defaultdict(list)  # author -> documents
        infos: dict[int, dict[str, Any]] = {}
        seen: set[str] = set()
        for row in store.map_documents():
            attrs, info, authors = document_attrs(row)
            node = f"doc:{row[0]}"
            new = []
            for name in authors:
                a = f"author:{name}"
                if a not in seen:
                    seen.add(a)
                    new.append(a)
                self.authored[a].append(node)
            infos[row[0]] = info
            self.docs.append(_Doc(row[0], node, attrs, new, [f"author:{a}" for a in authors]))
        names = doc_names(infos)
        by_id = {d.id: d for d in self.docs}
        if by_id:
            for doc_id, target, kind in store.wiki_links(list(by_id)):
                other = resolve_wikilink(names, target)
                if other is not None and other != doc_id:
                    by_id[doc_id].links_to.append((f"doc:{other}", kind))
        # A researcher's comments on Zotero highlights: few, kept whole.
        self.comments: dict[str, list[str]] = defaultdict(list)
        pairs = store.comment_links()
        if pairs:
            exists = {r[0] for r in store.claim_texts(sorted({c for p in pairs for c in p}))}
            for comment, annotated in pairs:
                if comment in exists and annotated in exists:
                    self.comments[comment].append(annotated)

    # -- nodes ---------------------------------------------------------------------------

    def nodes(self) -> Iterator[Node]:
        yield from definition_nodes()
        for d in self.docs:
            yield d.node, d.attrs
            for a in d.new_authors:
                yield a, {"kind": "author", "label": a.split(":", 1)[1]}
        for row in self.store.iter_map_claims():
            cid, _doc, text, lang, start, end, section, page, prov, display, labels, sup, cnt = row[
                :13
            ]
            attrs = claim_attrs(
                text,
                lang,
                display,
                start,
                end,
                section,
                page,
                prov,
                _labels(labels),
                sup,
                cnt,
                stance=row[13],
                stance_score=row[14],
            )
            yield claim_node(cid), attrs

    def claims(self) -> Iterator[tuple[Node, str, list[str], list[Edge]]]:
        """Each claim node with its document node, labels and out-edges in order (Turtle
        needs them together): a merge of the claims and the links, which come in the same
        order."""
        links = self.store.iter_map_links()
        pending = next(links, None)
        for row in self.store.iter_map_claims():
            cid, doc, text, lang, start, end, section, page, prov, display, labels, sup, cnt = row[
                :13
            ]
            labs = _labels(labels)
            mine = []
            while pending is not None and pending[0] == cid:
                mine.append(pending)
                pending = next(links, None)
            node = claim_node(cid)
            attrs = claim_attrs(
                text,
                lang,
                display,
                start,
                end,
                section,
                page,
                prov,
                labs,
                sup,
                cnt,
                stance=row[13],
                stance_score=row[14],
            )
            yield (node, attrs), f"doc:{doc}", labs, self._claim_edges(node, labs, mine)

    def evidence_edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """The claim-to-claim and claim-to-document evidence edges, in networkx's order."""
        for (
            src,
            tgt,
            kind,
            rel,
            score,
            prov,
            state,
            note,
            model,
            tdoc,
        ) in self.store.iter_map_links():
            target = claim_node(tgt) if kind == "claim" else f"doc:{tdoc}"
            yield claim_node(src), target, link_attrs(rel, score, prov, state, note, model)

    # -- edges ---------------------------------------------------------------------------

    def edges(self) -> Iterator[Edge]:
        """Every edge, in networkx's order for the graph ``build_graph`` makes."""
        by_doc = self.store.iter_claims_by_document()
        pending = next(by_doc, None)
        for d in self.docs:
            while pending is not None and pending[1] < d.id:
                pending = next(by_doc, None)  # claims of documents not listed: none
            while pending is not None and pending[1] == d.id:
                yield d.node, claim_node(pending[0]), 0, {"kind": "contains"}
                pending = next(by_doc, None)
            yield from _grouped(
                d.node, [(t, {"kind": "links_to", "link": kind}) for t, kind in d.links_to]
            )
            for a in d.new_authors:
                yield from _grouped(a, [(doc, {"kind": "authored"}) for doc in self.authored[a]])
        links = self.store.iter_map_links()
        pending_link = next(links, None)
        for cid, _doc, labels in self.store.iter_map_claims(text=False):
            mine = []
            while pending_link is not None and pending_link[0] == cid:
                mine.append(pending_link)
                pending_link = next(links, None)
            yield from self._claim_edges(claim_node(cid), _labels(labels), mine)

    def _claim_edges(
        self, node: str, labels: list[str], links: list[tuple[Any, ...]]
    ) -> list[Edge]:
        out: list[tuple[str, dict[str, Any]]] = [
            (f"def:{d}", {"kind": "uses_definition"}) for d in labels
        ]
        for _src, tgt, kind, rel, score, prov, state, note, model, tdoc in links:
            target = claim_node(tgt) if kind == "claim" else f"doc:{tdoc}"
            out.append((target, link_attrs(rel, score, prov, state, note, model)))
        for annotated in self.comments.get(node.split(":", 1)[1], []):
            out.append((claim_node(annotated), {"kind": "comments_on"}))
        return list(_grouped(node, out))


def _labels(joined: str | None) -> list[str]:
    return sorted(joined.split(",")) if joined else []


def _grouped(source: str, edges: list[tuple[str, dict[str, Any]]]) -> Iterator[Edge]:
    """One node's out-edges as networkx lists them: by target in order of first insertion,
    parallel edges keyed 0, 1, ... in insertion order."""
    by_target: dict[str, list[dict[str, Any]]] = {}
    for target, attrs in edges:
        by_target.setdefault(target, []).append(attrs)
    for target, group in by_target.items():
        for key, attrs in enumerate(group):
            yield source, target, key, attrs


# -- node-link JSON ---------------------------------------------------------------------------


def write_json(stream: MapStream, out: IO[str]) -> tuple[int, int]:
    """networkx node-link JSON (key "edges"), as ``nx.node_link_data`` and ``json.dump``
    would write it; returns (nodes, edges)."""
    out.write(
        '{"directed": true, "multigraph": true, "graph": '
        + json.dumps({"name": GRAPH_NAME}, ensure_ascii=False)
        + ', "nodes": ['
    )
    n_nodes = n_edges = 0
    for node, attrs in stream.nodes():
        out.write((", " if n_nodes else "") + json.dumps({**attrs, "id": node}, ensure_ascii=False))
        n_nodes += 1
    out.write('], "edges": [')
    for s, t, key, attrs in stream.edges():
        item = {**attrs, "source": s, "target": t, "key": key}
        out.write((", " if n_edges else "") + json.dumps(item, ensure_ascii=False))
        n_edges += 1
    out.write("]}\n")
    return n_nodes, n_edges


# -- GraphML ----------------------------------------------------------------------------------

# Every attribute the graph can carry, with its GraphML type (networkx's names for them).
NODE_KEYS = {
    "kind": "string",
    "label": "string",
    "label_zh": "string",
    "text": "string",
    "text_zh": "string",
    "lang": "string",
    "document": "string",
    "start": "long",
    "end": "long",
    "section": "string",
    "page": "long",
    "provenance": "string",
    "labels": "string",
    "supports": "long",
    "counters": "long",
    "stance": "string",
    "stance_score": "double",
    "path": "string",
    "format": "string",
    "year": "string",
    "venue": "string",
    "doi": "string",
    "eprint": "string",
    "url": "string",
    "key": "string",
    "authors": "string",
}
EDGE_KEYS = {
    "kind": "string",
    "relation": "string",
    "score": "double",
    "provenance": "string",
    "state": "string",
    "source_note": "string",
    "model": "string",
    "link": "string",
}
_CAST = {"string": str, "long": int, "double": float}


_TEXT_SPECIAL = re.compile(r"[&<>]")
_ATTR_SPECIAL = re.compile(r'[&<>"\r\n\t]')


def _text(value: str) -> str:
    if _TEXT_SPECIAL.search(value) is None:
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    if _ATTR_SPECIAL.search(value) is None:
        return value
    return (
        _text(value)
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#09;")
    )


def write_graphml(stream: MapStream, out: IO[str]) -> tuple[int, int]:
    """GraphML as networkx writes it for the graph (keys for every attribute the graph can
    have, typed as networkx types them); returns (nodes, edges)."""
    out.write(
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    node_ids = {name: f"n{i}" for i, name in enumerate(NODE_KEYS)}
    edge_ids = {name: f"e{i}" for i, name in enumerate(EDGE_KEYS)}
    out.write('<key id="g0" for="graph" attr.name="name" attr.type="string"/>\n')
    for keys, ids, domain in ((NODE_KEYS, node_ids, "node"), (EDGE_KEYS, edge_ids, "edge")):
        for name, kind in keys.items():
            out.write(
                f'<key id="{ids[name]}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>\n'
            )
    out.write(f'<graph edgedefault="directed"><data key="g0">{_text(GRAPH_NAME)}</data>\n')
    node_keys = {n: (f'<data key="{node_ids[n]}">', _CAST[t]) for n, t in NODE_KEYS.items()}
    edge_keys = {n: (f'<data key="{edge_ids[n]}">', _CAST[t]) for n, t in EDGE_KEYS.items()}
    n_nodes = n_edges = 0

    def node(name: str, attrs: dict[str, Any]) -> None:
        out.write(f'<node id="{_attr(name)}">{_data(attrs, node_keys)}</node>\n')

    def edges(items: Iterable[Edge]) -> int:
        n = 0
        for s, t, key, attrs in items:
            out.write(
                f'<edge source="{_attr(s)}" target="{_attr(t)}" id="{key}">'
                f"{_data(attrs, edge_keys)}</edge>\n"
            )
            n += 1
        return n

    # One pass: GraphML lets edges come before the nodes they name, so each claim is written
    # with its edges as the claims and links are read together (the JSON needs two passes).
    for name, attrs in definition_nodes():
        node(name, attrs)
        n_nodes += 1
    for d in stream.docs:
        node(d.node, d.attrs)
        n_nodes += 1
        for a in d.new_authors:
            node(a, {"kind": "author", "label": a.split(":", 1)[1]})
            n_nodes += 1
        links = [(t, {"kind": "links_to", "link": kind}) for t, kind in d.links_to]
        n_edges += edges(_grouped(d.node, links))
        for a in d.new_authors:
            n_edges += edges(
                _grouped(a, [(doc, {"kind": "authored"}) for doc in stream.authored[a]])
            )
    claims, claim_edges = _graphml_claims(stream, out, node_ids, edge_ids, edges)
    out.write("</graph></graphml>\n")
    return n_nodes + claims, n_edges + claim_edges


def _graphml_claims(
    stream: MapStream,
    out: IO[str],
    node_ids: dict[str, str],
    edge_ids: dict[str, str],
    edges: Callable[[Iterable[Edge]], int],
) -> tuple[int, int]:
    """The claims with their edges, straight from the store's rows into pre-built element
    templates: most of a big export, so no attribute dicts are built (``claim_attrs`` and
    ``link_attrs`` give the same attributes in the same order; tests compare the bytes).
    A claim whose out-edges repeat a target (parallel edges, keyed 0, 1, ...) or that
    comments on another takes the general path."""
    k = {name: f'<data key="{i}">' for name, i in node_ids.items()}
    e = {name: f'<data key="{i}">' for name, i in edge_ids.items()}
    head = k["kind"] + "claim</data>" + k["label"]
    k_text, k_lang, k_doc, k_start, k_end = (
        k[x] for x in ("text", "lang", "document", "start", "end")
    )
    k_section, k_page, k_prov, k_labels = (
        k[x] for x in ("section", "page", "provenance", "labels")
    )
    k_sup, k_cnt, k_stance, k_score = (
        k[x] for x in ("supports", "counters", "stance", "stance_score")
    )
    e_rel, e_score, e_prov, e_state, e_note, e_model = (
        e[x] for x in ("relation", "score", "provenance", "state", "source_note", "model")
    )
    kinds = {rel: f"{e['kind']}{_text(kind)}</data>" for rel, kind in EVIDENCE_KINDS.items()}
    uses = f"{e['kind']}uses_definition</data></edge>\n"
    contains = f"{e['kind']}contains</data></edge>\n"
    doc_source: dict[int, str] = {}
    doc_data: dict[int, str] = {}
    few: dict[str, str] = {}
    few_prov: dict[str, str] = {}
    text, attr = _text, _attr
    n_nodes = n_edges = 0
    links = stream.store.iter_map_links()
    pending = next(links, None)
    write = out.write
    for row in stream.store.iter_map_claims():
        cid, doc, body, lang, start, end, section, page, prov, display, labels, sup, cnt = row[:13]
        mine = []
        while pending is not None and pending[0] == cid:
            mine.append(pending)
            pending = next(links, None)
        labs = _labels(labels)
        if body and lang and display and cid not in stream.comments:
            me = attr("claim:" + cid)
            parts = [f'<node id="{me}">{head}{text(_short(body))}</data>']
            # The few values many claims share (language, document, provenance) are
            # escaped once each.
            langs = few.get(lang)
            if langs is None:
                langs = few[lang] = f"{k_lang}{text(lang)}</data>"
            docs = doc_data.get(doc)
            if docs is None:
                docs = doc_data[doc] = f"{k_doc}{text(display)}</data>"
            parts.append(f"{k_text}{text(body)}</data>{langs}{docs}{k_start}{int(start)}</data>")
            parts.append(f"{k_end}{int(end)}</data>")
            if section:
                parts.append(f"{k_section}{text(section)}</data>")
            if page is not None:
                parts.append(f"{k_page}{int(page)}</data>")
            if prov:
                provs = few_prov.get(prov)
                if provs is None:
                    provs = few_prov[prov] = f"{k_prov}{text(prov)}</data>"
                parts.append(provs)
            if labs:
                parts.append(f"{k_labels}{text(','.join(labs))}</data>")
            parts.append(f"{k_sup}{int(sup)}</data>{k_cnt}{int(cnt)}</data>")
            if row[13]:
                parts.append(f"{k_stance}{text(row[13])}</data>")
            if row[14] is not None:
                parts.append(f"{k_score}{float(row[14])}</data>")
            parts.append("</node>\n")
            source = doc_source.get(doc)
            if source is None:
                source = doc_source[doc] = f'<edge source="{attr(f"doc:{doc}")}" target="'
            parts.append(f'{source}{me}" id="0">{contains}')
            targets = [f"def:{d}" for d in labs]
            for _src, tgt, tkind, *_ in mine:
                targets.append(claim_node(tgt) if tkind == "claim" else f"doc:{_[-1]}")
            if len(set(targets)) == len(targets):  # no parallel edges: every key is 0
                opening = f'<edge source="{me}" target="'
                for d in labs:
                    parts.append(f'{opening}def:{d}" id="0">{uses}')
                for (_s, _t, _k, rel, score, lprov, state, note, model, _d), target in zip(
                    mine, targets[len(labs) :], strict=True
                ):
                    parts.append(
                        f'{opening}{attr(target)}" id="0">{kinds[rel]}{e_rel}{text(rel)}</data>'
                    )
                    if score is not None:
                        parts.append(f"{e_score}{float(score)}</data>")
                    if lprov:
                        parts.append(f"{e_prov}{text(lprov)}</data>")
                    if state:
                        parts.append(f"{e_state}{text(state)}</data>")
                    if note:
                        parts.append(f"{e_note}{text(note)}</data>")
                    if model:
                        parts.append(f"{e_model}{text(model)}</data>")
                    parts.append("</edge>\n")
                write("".join(parts))
                n_nodes += 1
                n_edges += 1 + len(targets)
                continue
            write("".join(parts))
            n_nodes += 1
            n_edges += 1 + edges(stream._claim_edges(claim_node(cid), labs, mine))
            continue
        # The general path: what claim_attrs and _claim_edges give, element by element.
        name = claim_node(cid)
        attrs = claim_attrs(
            body,
            lang,
            display,
            start,
            end,
            section,
            page,
            prov,
            labs,
            sup,
            cnt,
            stance=row[13],
            stance_score=row[14],
        )
        write(f'<node id="{attr(name)}">{_data(attrs, _node_keys(node_ids))}</node>\n')
        n_nodes += 1
        n_edges += edges(
            [(f"doc:{doc}", name, 0, {"kind": "contains"}), *stream._claim_edges(name, labs, mine)]
        )
    return n_nodes, n_edges


def _node_keys(node_ids: dict[str, str]) -> dict[str, tuple[str, Any]]:
    return {n: (f'<data key="{node_ids[n]}">', _CAST[t]) for n, t in NODE_KEYS.items()}


def _data(attrs: dict[str, Any], keys: dict[str, tuple[str, Any]]) -> str:
    if len(attrs) == 1:  # {"kind": "contains"} and the like: the same few strings
        name, value = next(iter(attrs.items()))
        opening, cast = keys[name]
        done = _ONE.get((opening, value))
        if done is None:
            done = _ONE[(opening, value)] = f"{opening}{_text(str(cast(value)))}</data>"
        return done
    return "".join(
        [
            f"{keys[name][0]}{_text(value if type(value) is str else str(keys[name][1](value)))}"
            "</data>"
            for name, value in attrs.items()
        ]
    )


_ONE: dict[tuple[str, Any], str] = {}  # (opening tag, value) -> the element


# -- Turtle -----------------------------------------------------------------------------------


def write_turtle(stream: MapStream, out: IO[str]) -> int:
    """Turtle, resource by resource as ``emlit.graph.rdf.write_turtle`` writes the graph;
    returns the number of triples."""
    from emlit.graph import rdf

    def resources() -> Iterator[rdf.Resource]:
        yield from rdf.preamble()
        for node, attrs in definition_nodes():
            yield rdf.definition(node, attrs)
        for d in stream.docs:
            creators = [a for _, a, _, _ in _grouped(d.node, [(a, {}) for a in d.authors])]
            refs = [t for _, t, _, _ in _grouped(d.node, [(t, {}) for t, _ in d.links_to])]
            yield rdf.document(d.node, d.attrs, creators, refs)
            for a in d.new_authors:
                yield rdf.author(a, a.split(":", 1)[1])
        for (node, attrs), doc, labels, edges in stream.claims():
            defs = [f"def:{d}" for d in labels]
            yield from rdf.claim(node, attrs, doc, defs, [(t, e) for _, t, _, e in edges])
        yield from rdf.link_statements(stream.evidence_edges())

    return rdf.write_turtle_resources(resources(), out)
