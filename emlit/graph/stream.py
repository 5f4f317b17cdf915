"""The whole evidence graph as streams, for exports that need not hold it in memory.

``build_graph`` builds a networkx graph of every node and edge (a million claims: gigabytes,
and most of an export's time). GraphML, Turtle and node-link JSON of the unfiltered graph are
written from here instead, in one pass over the store's two reads, claims and their links
in the same order (``iter_map_claims``, ``iter_map_links``): memory holds the documents
(names for wikilinks, authors) and the text of a few thousand claims at a time, whatever the
number of claims. What a format lists after every node (node-link JSON's edges, Turtle's
reified links) goes to a temporary file beside the output and is copied in at the end. On
a big store the claims are written in parts, one process each (``emlit.graph.parts``):
each writer's claim section reads one part, and the parts are joined in order.

Claims are written from pre-built templates, not attribute dicts or rdflib terms (most of a
big export; JSON strings escaped by json's own encoder, Turtle literals by
``rdf.ttl_escape``); the rare odd claim takes the general path of ``claim_attrs`` and
``json.dumps`` (empty text, a Zotero comment, parallel edges) or ``rdf.claim`` (a Zotero
comment). The output is the same graph
``build_graph`` gives, with the same attributes (shared helpers in ``emlit.graph.build``),
nodes and edges in the same order (networkx's: nodes as inserted, edges by source node, then
by target in order of first insertion, then key), so node-link JSON and Turtle come out byte
for byte as the networkx path writes them, and GraphML reads back into the same nodes and
edges (tests/test_export_stream.py checks all three, and reads the files back with rdflib,
Oxigraph and networkx).
"""

from __future__ import annotations

import functools
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
from emlit.graph.parts import Part, append, in_parts, plan

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
    """What the writers keep whole: the documents (with their authors and wikilinks) and
    the Zotero comments; they read the claims and links from ``store`` as they write."""

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


def _with_links(
    store: StoreReader, part: Part, *, counts: bool = True
) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Each claim row of a part (``iter_map_claims``) with its links (``iter_map_links``),
    read side by side: the links come in claim order. The claims without links share one
    empty list, which callers never append to."""
    none: list[tuple[Any, ...]] = []
    links = store.iter_map_links(part.documents)
    pending = next(links, None)
    for row in store.iter_map_claims(counts=counts, documents=part.documents):
        if pending is None or pending[0] != row[0]:
            yield row, none
            continue
        mine = []
        while pending is not None and pending[0] == row[0]:
            mine.append(pending)
            pending = next(links, None)
        yield row, mine


def _row_attrs(row: tuple[Any, ...], labels: list[str]) -> dict[str, Any]:
    """A claim's node attributes from its ``iter_map_claims`` row (with the counts), for
    the claims the writers' templates do not cover."""
    _id, _doc, body, lang, start, end, section, page, prov, display, _l, sup, cnt, st, sc = row
    return claim_attrs(
        body, lang, display, start, end, section, page, prov, labels, sup, cnt,
        stance=st, stance_score=sc,
    )  # fmt: skip


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

# What json.dumps(..., ensure_ascii=False) writes for a str (the C encoder json uses).
_enc = json.encoder.encode_basestring
_dumps = functools.partial(json.dumps, ensure_ascii=False)


def _json_edge(source: str, target: str, key: int, attrs: dict[str, Any]) -> str:
    return ", " + _dumps({**attrs, "source": source, "target": target, "key": key})


def write_json(
    stream: MapStream,
    out: IO[str],
    workers: int = 1,
    *,
    min_claims: int | None = None,
    warnings: list[str] | None = None,
) -> tuple[int, int]:
    """networkx node-link JSON (key "edges"), byte for byte as ``nx.node_link_data`` and
    ``json.dump`` write it; returns (nodes, edges).

    One pass over the claims with their links (in parts, one process each, when ``workers``
    > 1 and the store is big: ``emlit.graph.parts``): nodes go to ``out`` as they come; the
    edges, which node-link JSON lists after every node, go to two temporary files (the
    documents' edges come before the claims') copied after."""
    dumps = _dumps
    out.write(
        '{"directed": true, "multigraph": true, "graph": '
        + dumps({"name": GRAPH_NAME})
        + ', "nodes": ['
    )
    nodes = [dumps({**attrs, "id": name}) for name, attrs in definition_nodes()]
    for d in stream.docs:
        nodes.append(dumps({**d.attrs, "id": d.node}))
        for a in d.new_authors:
            nodes.append(dumps({"kind": "author", "label": a.split(":", 1)[1], "id": a}))
    out.write(", ".join(nodes))
    section = functools.partial(_json_claims, stream)
    parts = plan(stream.store, workers, min_claims)
    with in_parts(stream.store, parts, section, out, 2, warnings) as (counts, (docs, claims)):
        out.write('], "edges": [')
        first = True
        for spooled in (*docs, *claims):
            if first:  # the ", " before the first edge
                first = not append(out, spooled, skip=2)
            else:
                append(out, spooled)
    out.write("]}\n")
    return len(nodes) + sum(c[0] for c in counts), sum(c[1] for c in counts)


def _json_claims(
    stream: MapStream, store: StoreReader, part: Part, files: list[IO[str]]
) -> tuple[int, int]:
    """The claims of one part as node-link JSON: their nodes to ``files[0]``, the
    documents' edges (each claim's "contains" and the part's documents' own) to
    ``files[1]``, the claims' edges to ``files[2]``, each piece starting with ", ".

    A claim is written from templates with its strings escaped by json's own encoder (as
    the GraphML writer does); the odd claim (empty text, a Zotero comment, parallel edges)
    takes json.dumps of its attributes."""
    enc, dumps = _enc, _dumps
    node_out, doc_spool, claim_spool = files
    n_nodes = n_edges = 0

    def doc_edges(d: _Doc) -> list[str]:
        """A document's links to others and its new authors' edges (after its claims')."""
        links = [(t, {"kind": "links_to", "link": kind}) for t, kind in d.links_to]
        lines = [_json_edge(*e) for e in _grouped(d.node, links)]
        for a in d.new_authors:
            authored = [(doc, {"kind": "authored"}) for doc in stream.authored[a]]
            lines += [_json_edge(*e) for e in _grouped(a, authored)]
        return lines

    # Strings many claims share, escaped once each.
    kinds = {
        rel: ', {"kind": ' + enc(kind) + ', "relation": ' + enc(rel)
        for rel, kind in EVIDENCE_KINDS.items()
    }
    few: dict[tuple[str, Any], str] = {}

    def field(name: str, value: str) -> str:
        done = few.get((name, value))
        if done is None:
            done = few[(name, value)] = f', "{name}": {enc(value)}'
        return done

    # labels as the store joins them -> (sorted labels, their node field, the pieces their
    # uses_definition edges are joined from with the claim's node, 1 + their number): a few
    # dozen combinations at most.
    label_sets: dict[str | None, tuple[list[str], str, list[str] | None, int]] = {}
    use_head = ', {"kind": "uses_definition", "source": '
    langs: dict[str, str] = {}
    sections: dict[str, str] = {}
    docs = [d for d in stream.docs if part.holds(d.id)]
    di, current = 0, None
    contains = document = ""
    comments = stream.comments
    node_buf: list[str] = []
    doc_buf: list[str] = []
    claim_buf: list[str] = []
    for row, mine in _with_links(store, part):
        cid, doc, body, lang, start, end, section, page, prov, display, labels, sup, cnt = row[:13]
        stance, score = row[13], row[14]
        if doc != current:
            while di < len(docs) and docs[di].id < doc:
                lines = doc_edges(docs[di])
                doc_buf += lines
                n_edges += len(lines)
                di += 1
            current = doc
            contains = ', {"kind": "contains", "source": ' + enc(f"doc:{doc}") + ', "target": '
            document = ', "document": ' + enc(display) if display else ""
        label_set = label_sets.get(labels)
        if label_set is None:
            labs = sorted(labels.split(",")) if labels else []
            tails = [f', "target": {enc(f"def:{d}")}, "key": 0}}' for d in labs]
            # me.join(pieces) is every uses_definition edge of a claim ``me`` in one go.
            pieces = [use_head] + [t + use_head for t in tails[:-1]] + tails[-1:]
            label_set = label_sets[labels] = (
                labs,
                field("labels", ",".join(labs)) if labs else "",
                pieces if labs else None,
                1 + len(labs),
            )
        labs, labels_field, uses, n_own = label_set
        name = "claim:" + cid
        me = enc(name)
        doc_buf.append(contains + me + ', "key": 0}')
        text = enc(body)
        # Printable ASCII with nothing to escape (the usual text): its label, the text
        # itself or its first 79 characters, needs no check or escaping of its own.
        plain = body.isascii() and len(text) == len(body) + 2 and "\x7f" not in body
        cut = False  # a plain label cut short: its "…" is written on its own
        if not body:
            short = label = ""
        elif (
            (plain or body.isprintable())
            and "  " not in body
            and body[0] != " "
            and body[-1] != " "
        ):  # _short's quick case
            if len(body) <= 80:
                short, label = body, text
            elif plain:
                short, label, cut = body[:79], text[:80], True
            else:
                short = body[:79] + "…"
                label = enc(short)
        else:
            short = _short(body)
            label = enc(short)
        n_nodes += 1
        if (
            short
            and lang
            and document
            and type(start) is int
            and type(end) is int
            and (page is None or type(page) is int)
            and cid not in comments
        ):
            lang_field = langs.get(lang)
            if lang_field is None:
                lang_field = langs[lang] = ', "lang": ' + enc(lang)
            # The optional fields, then the rest of the node in one f-string (no + chain).
            if section is None or section == "":
                sec = ""
            else:
                sec_field = sections.get(section)  # a document's headings, escaped once
                if sec_field is None:
                    if len(sections) > 4096:
                        sections.clear()
                    sec_field = sections[section] = ', "section": ' + enc(section)
                sec = sec_field
            pg = "" if page is None else f', "page": {page}'
            pv = "" if prov is None or prov == "" else few.get(("provenance", prov))
            if pv is None:
                pv = field("provenance", prov)
            st = ""
            if stance is not None and stance != "":
                st = field("stance", stance)
                if score is not None:
                    st += f', "stance_score": {float(score)!r}'
            rest = (
                f', "text": {text}{lang_field}{document}, "start": {start}, "end": {end}{sec}{pg}{pv}'
                f'{labels_field}, "supports": {sup!r}, "counters": {cnt!r}{st}, "id": {me}}}'
            )
            # A plain label cut short ends in "…", which would widen the node's string
            # (and slow its encoding) if it were in it: it is written on its own.
            if cut:
                node_buf.append(', {"kind": "claim", "label": ' + label)
                node_buf.append('…"')
                node_buf.append(rest)
            else:
                node_buf.append(', {"kind": "claim", "label": ' + label + rest)
            fast = True
        else:
            attrs = _row_attrs(row, labs)
            node_buf.append(", " + dumps({**attrs, "id": name}))
            fast = False
        if fast and not mine:  # the usual claim: its uses_definition edges only
            if uses is not None:
                claim_buf.append(me.join(uses))
            n_edges += n_own
        elif fast and (
            len(mine) < 2
            or len({f"claim:{t}" if k == "claim" else f"doc:{td}" for _, t, k, *_, td in mine})
            == len(mine)
        ):  # no parallel edges: keys all 0
            if uses is not None:
                claim_buf.append(me.join(uses))
            source = ', "source": ' + me
            for _s, tgt, kind, rel, lscore, lprov, state, note, model, td in mine:
                t = f"claim:{tgt}" if kind == "claim" else f"doc:{td}"
                claim_buf.append(
                    kinds[rel]
                    + ("" if lscore is None else f', "score": {lscore!r}')
                    + ("" if lprov is None or lprov == "" else field("provenance", lprov))
                    + ("" if state is None or state == "" else field("state", state))
                    + ("" if note is None or note == "" else ', "source_note": ' + enc(note))
                    + ("" if model is None or model == "" else field("model", model))
                    + f'{source}, "target": {enc(t)}, "key": 0}}'
                )
            n_edges += n_own + len(mine)
        else:
            edges = [_json_edge(*e) for e in stream._claim_edges(name, labs, mine)]
            claim_buf += edges
            n_edges += 1 + len(edges)
        if len(node_buf) >= 8192:
            node_out.writelines(node_buf)  # piece by piece: "".join would widen them all
            doc_spool.write("".join(doc_buf))
            claim_spool.write("".join(claim_buf))
            node_buf.clear()
            doc_buf.clear()
            claim_buf.clear()
    for d in docs[di:]:
        lines = doc_edges(d)
        doc_buf += lines
        n_edges += len(lines)
    node_out.writelines(node_buf)
    doc_spool.write("".join(doc_buf))
    claim_spool.write("".join(claim_buf))
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


def write_graphml(
    stream: MapStream,
    out: IO[str],
    workers: int = 1,
    *,
    min_claims: int | None = None,
    warnings: list[str] | None = None,
) -> tuple[int, int]:
    """GraphML as networkx writes it for the graph (keys for every attribute the graph can
    have, typed as networkx types them); returns (nodes, edges). The claims are written in
    parts, one process each, when ``workers`` > 1 and the store is big."""
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

    edges = _edge_writer(out, edge_keys)

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
    section = functools.partial(_graphml_claims, stream, node_ids, edge_ids, edge_keys)
    parts = plan(stream.store, workers, min_claims)
    with in_parts(stream.store, parts, section, out, 0, warnings) as (counts, _):
        pass
    out.write("</graph></graphml>\n")
    return n_nodes + sum(c[0] for c in counts), n_edges + sum(c[1] for c in counts)


def _edge_writer(
    out: IO[str], edge_keys: dict[str, tuple[str, Any]]
) -> Callable[[Iterable[Edge]], int]:
    """Writes GraphML edges to ``out``; says how many."""

    def edges(items: Iterable[Edge]) -> int:
        n = 0
        for s, t, key, attrs in items:
            out.write(
                f'<edge source="{_attr(s)}" target="{_attr(t)}" id="{key}">'
                f"{_data(attrs, edge_keys)}</edge>\n"
            )
            n += 1
        return n

    return edges


def _graphml_claims(
    stream: MapStream,
    node_ids: dict[str, str],
    edge_ids: dict[str, str],
    edge_keys: dict[str, tuple[str, Any]],
    store: StoreReader,
    part: Part,
    files: list[IO[str]],
) -> tuple[int, int]:
    """The claims of one part with their edges, straight from the store's rows into
    pre-built element templates: most of a big export, so no attribute dicts are built
    (``claim_attrs`` and ``link_attrs`` give the same attributes in the same order; tests
    compare the bytes). A claim whose out-edges repeat a target (parallel edges, keyed 0,
    1, ...) or that comments on another takes the general path."""
    out = files[0]
    edges = _edge_writer(out, edge_keys)
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
    write = out.write
    for row, mine in _with_links(store, part):
        cid, doc, body, lang, start, end, section, page, prov, display, labels, sup, cnt = row[:13]
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
        attrs = _row_attrs(row, labs)
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


def write_turtle(
    stream: MapStream,
    out: IO[str],
    workers: int = 1,
    *,
    min_claims: int | None = None,
    warnings: list[str] | None = None,
) -> int:
    """Turtle, byte for byte as ``emlit.graph.rdf.write_turtle`` writes the graph; returns
    the number of triples.

    One pass over the claims with their links (in parts, one process each, when ``workers``
    > 1 and the store is big). A claim's four resources (the annotation, its target and two
    selectors) are written from templates in the layout of ``rdf.write_resources``
    (``rdf.claim`` says what they hold); the reified links, which come after every claim,
    go to a temporary file copied after. A claim with a Zotero comment takes ``rdf.claim``
    itself."""
    from emlit.graph import rdf

    def head() -> Iterator[rdf.Resource]:
        yield from rdf.preamble()
        for node, attrs in definition_nodes():
            yield rdf.definition(node, attrs)
        for d in stream.docs:
            creators = [a for _, a, _, _ in _grouped(d.node, [(a, {}) for a in d.authors])]
            refs = [t for _, t, _, _ in _grouped(d.node, [(t, {}) for t, _ in d.links_to])]
            yield rdf.document(d.node, d.attrs, creators, refs)
            for a in d.new_authors:
                yield rdf.author(a, a.split(":", 1)[1])

    rdf.write_prefixes(out)
    n = rdf.write_resources(head(), out)
    section = functools.partial(_turtle_claims, stream)
    parts = plan(stream.store, workers, min_claims)
    with in_parts(stream.store, parts, section, out, 1, warnings) as (counts, (statements,)):
        # The links are numbered in graph order: a later part's, numbered from 0 in its
        # process, are shifted by the number of links before that part.
        first = f"<{rdf.BASE}link/"
        before = 0
        for (_, n_links), spooled in zip(counts, statements, strict=True):
            if before == 0:
                append(out, spooled)
            else:
                out.writelines(_renumbered(spooled, first, before))
            before += n_links
    return n + sum(c[0] for c in counts)


def _renumbered(lines: Iterable[str], first: str, by: int) -> Iterator[str]:
    """Reified link statements with their numbers shifted: their first line starts with
    ``first`` (no literal holds a line break: Turtle's escapes write it as \\n)."""
    for line in lines:
        if line.startswith(first):
            number, rest = line[len(first) :].split(">", 1)
            line = f"{first}{int(number) + by}>{rest}"
        yield line


def _turtle_claims(
    stream: MapStream, store: StoreReader, part: Part, files: list[IO[str]]
) -> tuple[int, int]:
    """The claims of one part as Turtle to ``files[0]``, their reified links (numbered
    from 0) to ``files[1]``; returns (triples, links)."""
    from emlit.graph import rdf

    out, statements = files
    n = 0
    esc, iri, base = rdf.ttl_escape, rdf.node_iri, rdf.BASE
    tags = {"en": "@en", "zh": "@zh"}  # the languages rdf's literals carry
    pred = {rel: rdf.PREDICATE[kind] for rel, kind in EVIDENCE_KINDS.items()}
    few: dict[str, str] = {}  # literals many claims share, escaped once each

    def lit(value: str) -> str:
        done = few.get(value)
        if done is None:
            done = few[value] = '"' + esc(value) + '"'
        return done

    # Caches of the few values many claims share (not sections: one per heading, unbounded).
    provs: dict[str, str] = {}
    models: dict[str, str] = {}
    agents: dict[str | None, str] = {}  # a link's provenance -> its two lines

    def lit_line(cache: dict[str, str], key: str, value: Any) -> str:
        done = cache[value] = f" ;\n    emlit:{key} {lit(str(value))}"
        return done

    claim_base = iri("claim:x")[:-1]  # node_iri("claim:ID") is this and the id (escaped)
    plain_id = rdf.UNRESERVED.fullmatch
    none_str: list[str] = []
    current, doc_iri = None, ""
    # labels as the store joins them -> (sorted labels, their dcterms:subject lines)
    label_sets: dict[str | None, tuple[list[str], str]] = {}
    comments = stream.comments
    link_no = 0
    buf: list[str] = []
    statement_buf: list[str] = []
    for (
        cid,
        doc,
        body,
        lang,
        start,
        end,
        section,
        page,
        prov,
        labels,
        stance,
        score,
    ), mine in _with_links(store, part, counts=False):
        label_set = label_sets.get(labels)
        if label_set is None:
            labs = sorted(labels.split(",")) if labels else []
            label_set = label_sets[labels] = (
                labs,
                "".join(f" ;\n    dcterms:subject <{iri(f'def:{d}')}>" for d in labs),
            )
        labs, subjects = label_set
        me = "<" + claim_base + cid if plain_id(cid) else "<" + iri("claim:" + cid)
        if doc != current:
            current, doc_iri = doc, "<" + iri(f"doc:{doc}") + ">"
        objects = none_str
        if mine:
            if len(mine) > 1:
                targets = [
                    f"claim:{t}" if kind == "claim" else f"doc:{td}" for _, t, kind, *_, td in mine
                ]
                if len(set(targets)) < len(targets):  # parallel edges: grouped, as networkx
                    mine = _by_target(mine, targets)
            objects = [
                f"<{claim_base}{t}>"
                if kind == "claim" and plain_id(t)
                else "<" + iri(f"claim:{t}" if kind == "claim" else f"doc:{td}") + ">"
                for _, t, kind, *_, td in mine
            ]
        if cid in comments:
            name = "claim:" + cid
            attrs = claim_attrs(
                body,
                lang,
                "",
                start,
                end,
                section,
                page,
                prov,
                labs,
                0,
                0,
                stance=stance,
                stance_score=score,
            )
            edges = [(t, e) for _, t, _, e in stream._claim_edges(name, labs, list(mine))]
            defs_of = [f"def:{d}" for d in labs]
            out.writelines(buf)
            buf.clear()
            n += rdf.write_resources(rdf.claim(name, attrs, f"doc:{doc}", defs_of, edges), out)
        else:
            tag = tags.get(lang, "")
            if not body:
                text = label = ""
            elif '"' not in body and "\\" not in body and body.isprintable():  # rdf.ttl_plain
                text = body  # and its label is plain too, and _short's quick case needs
                if "  " in body or body[0] == " " or body[-1] == " ":  # no more than this
                    label = _short(body)
                else:
                    label = body if len(body) <= 80 else body[:79] + "…"
            else:
                text, label = esc(body), esc(_short(body))
            k = 16 + len(labs) + len(mine)  # 7 + 4 + 2 + 3 triples and the optional ones
            extra = ""
            if section is not None and section != "":
                extra = f' ;\n    emlit:section "{esc(str(section))}"'
                k += 1
            if prov is not None and prov != "":
                extra += provs.get(prov) or lit_line(provs, "provenance", prov)
                k += 1
            if page is not None and page != "":
                extra += f' ;\n    emlit:page "{int(page)}"^^xsd:integer'
                k += 1
            if stance is not None and stance != "":
                extra += " ;\n    emlit:stance " + lit(str(stance))
                k += 1
                if score is not None:
                    extra += f' ;\n    emlit:stanceScore "{float(score)!r}"^^xsd:double'
                    k += 1
            for link, obj in zip(mine, objects, strict=True):
                extra += f" ;\n    {pred[link[3]]} {obj}"
            # In three pieces: a truncated label ends in "…", which would widen the
            # whole claim's string (and slow its encoding) if it were one.
            buf.append(f'\n{me}> a oa:Annotation, emlit:Claim, prov:Entity ;\n    rdfs:label "')
            buf.append(label)
            buf.append(
                f'"{tag} ;\n    emlit:text "{text}"{tag} ;\n    oa:hasTarget {me}#target> '
                f";\n    prov:wasDerivedFrom {doc_iri}{subjects}{extra}"
                f" .\n\n{me}#target> a oa:SpecificResource ;\n    oa:hasSource {doc_iri} ;\n"
                f"    oa:hasSelector {me}#quote> ;\n    oa:hasSelector {me}#position> .\n"
                f'\n{me}#quote> a oa:TextQuoteSelector ;\n    oa:exact "{text}" .\n'
                f"\n{me}#position> a oa:TextPositionSelector ;\n"
                f'    oa:start "{int(start)}"^^xsd:nonNegativeInteger ;\n'
                f'    oa:end "{int(end)}"^^xsd:nonNegativeInteger .\n'
            )
            n += k
        # The evidence links reified, numbered in graph order (rdf.link_statements).
        for (_s, _t, _k, rel, lscore, lprov, _st, note, model, _d), obj in zip(
            mine, objects, strict=True
        ):
            attributed = agents.get(lprov)
            if attributed is None:
                by = lprov if lprov is not None and lprov != "" else "model"
                attributed = agents[lprov] = (
                    f" ;\n    prov:wasAttributedTo <{base}agent/{by}> ;\n"
                    f"    emlit:provenance {lit(by)}"
                )
            n += 8
            tail = ""
            if lscore is not None and lscore != "":
                tail = f' ;\n    emlit:score "{float(lscore)!r}"^^xsd:double'
                n += 1
            if note is not None and note != "":
                tail += f' ;\n    rdfs:comment "{esc(note)}"'
                n += 1
            if model is not None and model != "":
                tail += models.get(model) or lit_line(models, "model", model)
                n += 1
            statement_buf.append(
                f"\n<{base}link/{link_no}> a rdf:Statement, prov:Entity, emlit:EvidenceLink ;\n"
                f"    rdf:subject {me}> ;\n    rdf:predicate {pred[rel]} ;\n"
                f"    rdf:object {obj}{attributed}{tail} .\n"
            )
            link_no += 1
        if len(buf) >= 6144:
            out.writelines(buf)  # piece by piece: "".join would widen them all
            buf.clear()
        if len(statement_buf) >= 2048:
            statements.write("".join(statement_buf))
            statement_buf.clear()
    out.writelines(buf)
    statements.write("".join(statement_buf))
    return n, link_no


def _by_target(links: list[tuple[Any, ...]], targets: list[str]) -> list[tuple[Any, ...]]:
    """A claim's links (with their target nodes) grouped by target in order of first
    appearance: networkx's order of parallel edges."""
    groups: dict[str, list[tuple[Any, ...]]] = {}
    for link, t in zip(links, targets, strict=True):
        groups.setdefault(t, []).append(link)
    return [link for group in groups.values() for link in group]
