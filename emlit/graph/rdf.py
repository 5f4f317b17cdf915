"""RDF for the evidence graph, in standard vocabularies, written as a stream.

- CiTO: ``cito:supports``, ``cito:disputes`` (counters), ``cito:citesAsEvidence``; each link
  is also reified (``rdf:Statement``) to carry its score and provenance.
- SKOS: the six definitions as a ``skos:ConceptScheme`` with English and Chinese labels.
- PROV-O: claims ``prov:wasDerivedFrom`` their document; links ``prov:wasAttributedTo``
  the curated map, the model or a human.
- Web Annotation: each claim is an ``oa:Annotation`` whose target selects its span with a
  ``oa:TextQuoteSelector`` and a ``oa:TextPositionSelector``.
- Dublin Core: titles, creators, dates, identifiers and venues of documents.

Turtle and JSON-LD are written by hand from one resource stream (rdflib's serialisers are
too slow for 100,000 claims); tests read both back with rdflib and Oxigraph.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    import networkx as nx

BASE = "https://w3id.org/emlit/"
PREFIXES = {
    "cito": "http://purl.org/spar/cito/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "emlit": BASE + "vocab#",
}
PREDICATE = {
    "supports": "cito:supports",
    "counters": "cito:disputes",
    "cites_as_evidence": "cito:citesAsEvidence",
}
AGENTS = {
    "curated": ("prov:Organization", "emlit curated evidence map (corpus/evidence)"),
    "model": ("prov:SoftwareAgent", "emlit relation classifier"),
    "human": ("prov:Person", "a researcher reviewing links"),
}
SCHEME = BASE + "definitions"


@dataclass(frozen=True)
class Lit:
    value: str
    lang: str | None = None
    datatype: str | None = None  # a prefixed name such as "xsd:integer"


Obj = str | Lit  # a str is an IRI: full (http...) or prefixed (cito:supports)
Resource = tuple[str, list[str], list[tuple[str, Obj]]]  # subject, types, (predicate, object)


_FOLDERS = {"claim": "claim", "doc": "doc", "def": "definition", "author": "author"}
UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")  # what quote(..., safe="") leaves as it is


def node_iri(node: str) -> str:
    kind, _, rest = node.partition(":")
    if not UNRESERVED.fullmatch(rest):
        rest = quote(rest, safe="")
    return f"{BASE}{_FOLDERS[kind]}/{rest}"


def _text(value: str, lang: str | None) -> Lit:
    return Lit(value, lang if lang in ("en", "zh") else None)


def preamble() -> Iterator[Resource]:
    """The definitions' concept scheme and the three provenance agents."""
    yield (
        SCHEME,
        ["skos:ConceptScheme"],
        [
            ("skos:prefLabel", Lit("Definitions of emergence in the LLM debate", "en")),
            ("skos:prefLabel", Lit("大语言模型争论中“涌现”的定义", "zh")),
            ("dcterms:source", Lit("Rogers & Luccioni 2024")),
        ],
    )
    for kind, (cls, label) in AGENTS.items():
        yield f"{BASE}agent/{kind}", ["prov:Agent", cls], [("rdfs:label", Lit(label, "en"))]


def resources(g: nx.MultiDiGraph) -> Iterator[Resource]:
    """The graph as RDF resources, one subject at a time."""
    yield from preamble()
    uses: dict[str, list[str]] = {}
    for s, t, data in g.edges(data=True):
        if data.get("kind") == "uses_definition":
            uses.setdefault(s, []).append(t)
    for node, data in g.nodes(data=True):
        kind = data.get("kind")
        if kind == "definition":
            yield definition(node, data)
        elif kind == "author":
            yield author(node, data["label"])
        elif kind == "document":
            creators = [s for s, _, e in g.in_edges(node, data=True) if e.get("kind") == "authored"]
            refs = [t for _, t, e in g.out_edges(node, data=True) if e.get("kind") == "links_to"]
            yield document(node, data, creators, refs)
        elif kind == "claim":
            doc = next(
                (s for s, _, e in g.in_edges(node, data=True) if e.get("kind") == "contains"), None
            )
            out = [(t, e) for _, t, e in g.out_edges(node, data=True)]
            yield from claim(node, data, doc, uses.get(node, []), out)
    yield from link_statements(g.edges(data=True))


def link_statements(edges: Iterable[tuple[str, str, dict[str, Any]]]) -> Iterator[Resource]:
    """Each evidence edge reified, numbered in the order given, with score and provenance."""
    for i, (s, t, data) in enumerate(e for e in edges if e[2].get("kind") in PREDICATE):
        props: list[tuple[str, Obj]] = [
            ("rdf:subject", node_iri(s)),
            ("rdf:predicate", PREDICATE[data["kind"]]),
            ("rdf:object", node_iri(t)),
            ("prov:wasAttributedTo", f"{BASE}agent/{data.get('provenance', 'model')}"),
            ("emlit:provenance", Lit(data.get("provenance", "model"))),
        ]
        if "score" in data:
            props.append(("emlit:score", Lit(repr(float(data["score"])), datatype="xsd:double")))
        if "source_note" in data:
            props.append(("rdfs:comment", Lit(data["source_note"])))
        if "model" in data:
            props.append(("emlit:model", Lit(data["model"])))
        yield f"{BASE}link/{i}", ["rdf:Statement", "prov:Entity", "emlit:EvidenceLink"], props


def author(node: str, name: str) -> Resource:
    return node_iri(node), ["foaf:Person", "prov:Agent"], [("foaf:name", Lit(name))]


def definition(node: str, data: dict[str, Any]) -> Resource:
    did = node.split(":", 1)[1]
    props: list[tuple[str, Obj]] = [
        ("skos:inScheme", SCHEME),
        ("skos:topConceptOf", SCHEME),
        ("skos:notation", Lit(did)),
    ]
    props.append(("skos:prefLabel", Lit(data.get("label", did).split(": ", 1)[-1], "en")))
    if "label_zh" in data:
        props.append(("skos:prefLabel", Lit(data["label_zh"], "zh")))
    if "text" in data:
        props.append(("skos:definition", Lit(data["text"], "en")))
    if "text_zh" in data:
        props.append(("skos:definition", Lit(data["text_zh"], "zh")))
    return node_iri(node), ["skos:Concept"], props


def document(
    node: str, data: dict[str, Any], creators: Sequence[str], references: Sequence[str]
) -> Resource:
    """A document with its author nodes (``creators``) and the documents it links to."""
    props: list[tuple[str, Obj]] = [("dcterms:title", Lit(data.get("label", "")))]
    for key, pred in (
        ("path", "emlit:path"),
        ("format", "dcterms:format"),
        ("venue", "dcterms:bibliographicCitation"),
    ):
        if key in data:
            props.append((pred, Lit(str(data[key]))))
    if "year" in data:
        props.append(
            (
                "dcterms:issued",
                Lit(str(data["year"]), datatype="xsd:gYear")
                if str(data["year"]).isdigit()
                else Lit(str(data["year"])),
            )
        )
    if "doi" in data:
        props.append(("dcterms:identifier", Lit(f"doi:{data['doi']}")))
    if "eprint" in data:
        props.append(("dcterms:identifier", Lit(f"arXiv:{data['eprint']}")))
    if "lang" in data and data["lang"] in ("en", "zh"):
        props.append(("dcterms:language", Lit(data["lang"])))
    for src in creators:
        props.append(("dcterms:creator", node_iri(src)))
    for tgt in references:
        props.append(("dcterms:references", node_iri(tgt)))
    return node_iri(node), ["dcterms:BibliographicResource", "prov:Entity"], props


def claim(
    node: str,
    data: dict[str, Any],
    doc: str | None,
    defs: Sequence[str],
    out_edges: Iterable[tuple[str, dict[str, Any]]],
) -> Iterator[Resource]:
    """A claim (an annotation of its document's span) and its target and selectors;
    ``out_edges`` are its (target node, edge attributes) in order."""
    iri = node_iri(node)
    lang = data.get("lang")
    props: list[tuple[str, Obj]] = [
        ("rdfs:label", _text(data.get("label", ""), lang)),
        ("emlit:text", _text(data.get("text", ""), lang)),
        ("oa:hasTarget", iri + "#target"),
    ]
    if doc:
        props.append(("prov:wasDerivedFrom", node_iri(doc)))
    for d in defs:
        props.append(("dcterms:subject", node_iri(d)))
    for key in ("section", "provenance"):
        if key in data:
            props.append((f"emlit:{key}", Lit(str(data[key]))))
    if "page" in data:
        props.append(("emlit:page", Lit(str(int(data["page"])), datatype="xsd:integer")))
    if "stance" in data:  # contract 9: affirms | disputes | neutral, and its probability
        props.append(("emlit:stance", Lit(str(data["stance"]))))
        if "stance_score" in data:
            score = repr(float(data["stance_score"]))
            props.append(("emlit:stanceScore", Lit(score, datatype="xsd:double")))
    for tgt, e in out_edges:
        if e.get("kind") in PREDICATE:
            props.append((PREDICATE[e["kind"]], node_iri(tgt)))
        elif e.get("kind") == "comments_on":  # the researcher's comment on a highlight
            props.append(("emlit:commentsOn", node_iri(tgt)))
    yield iri, ["oa:Annotation", "emlit:Claim", "prov:Entity"], props
    target: list[tuple[str, Obj]] = [
        ("oa:hasSelector", iri + "#quote"),
        ("oa:hasSelector", iri + "#position"),
    ]
    if doc:
        target.insert(0, ("oa:hasSource", node_iri(doc)))
    yield iri + "#target", ["oa:SpecificResource"], target
    yield iri + "#quote", ["oa:TextQuoteSelector"], [("oa:exact", Lit(data.get("text", "")))]
    yield (
        iri + "#position",
        ["oa:TextPositionSelector"],
        [
            ("oa:start", Lit(str(int(data.get("start", 0))), datatype="xsd:nonNegativeInteger")),
            ("oa:end", Lit(str(int(data.get("end", 0))), datatype="xsd:nonNegativeInteger")),
        ],
    )


# -- Turtle -------------------------------------------------------------------------------------

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


# One translation table (str.translate runs in C): the escapes above, other control
# characters as \uXXXX.
_TTL_TABLE = {
    **{c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
    **{ord(k): v for k, v in _ESCAPES.items()},
}


def ttl_plain(value: str) -> bool:
    """True when ``value`` needs no escape in a Turtle string: no quote, no backslash, and
    printable (isprintable is False for every control character). Most text: cheaper to
    check (in C, no per-character dict lookups) than to translate."""
    return '"' not in value and "\\" not in value and value.isprintable()


def ttl_escape(value: str) -> str:
    """The body of a Turtle string literal: quotes, backslashes and control characters
    escaped; everything else (Chinese, emoji) as it is."""
    return value if ttl_plain(value) else value.translate(_TTL_TABLE)


def _ttl_string(value: str) -> str:
    return '"' + ttl_escape(value) + '"'


def _ttl_term(obj: Obj) -> str:
    if isinstance(obj, Lit):
        s = _ttl_string(obj.value)
        if obj.lang:
            return f"{s}@{obj.lang}"
        if obj.datatype:
            return f"{s}^^{obj.datatype}"
        return s
    return f"<{obj}>" if obj.startswith("http") else obj


def write_turtle(g: nx.MultiDiGraph, out: IO[str]) -> int:
    """Write Turtle; returns the number of triples."""
    return write_turtle_resources(resources(g), out)


def write_turtle_resources(items: Iterable[Resource], out: IO[str]) -> int:
    """Write Turtle of a resource stream; returns the number of triples."""
    write_prefixes(out)
    return write_resources(items, out)


def write_prefixes(out: IO[str]) -> None:
    for prefix, ns in PREFIXES.items():
        out.write(f"@prefix {prefix}: <{ns}> .\n")


def write_resources(items: Iterable[Resource], out: IO[str]) -> int:
    """Write Turtle of resources, one subject block each, after the prefixes; returns the
    number of triples. (``emlit.graph.stream`` writes claims and links in this layout
    from templates: the two must change together.)"""
    n = 0
    for subject, types, props in items:
        parts = ["a " + ", ".join(types)] if types else []
        parts += [f"{p} {_ttl_term(o)}" for p, o in props]
        out.write(f"\n{_ttl_term(subject)} " + " ;\n    ".join(parts) + " .\n")
        n += len(types) + len(props)
    return n


# -- JSON-LD ------------------------------------------------------------------------------------


def _jsonld_term(obj: Obj) -> dict[str, str]:
    if isinstance(obj, Lit):
        v: dict[str, str] = {"@value": obj.value}
        if obj.lang:
            v["@language"] = obj.lang
        elif obj.datatype:
            v["@type"] = obj.datatype
        return v
    return {"@id": obj}


def write_jsonld(g: nx.MultiDiGraph, out: IO[str]) -> int:
    """Write JSON-LD (a @context of prefixes and a flat @graph); returns the number of triples."""
    n = 0
    out.write('{"@context": ' + json.dumps(PREFIXES) + ',\n "@graph": [')
    first = True
    for subject, types, props in resources(g):
        obj: dict[str, Any] = {"@id": subject, "@type": types}
        for p, o in props:
            obj.setdefault(p, []).append(_jsonld_term(o))
        out.write(("\n  " if first else ",\n  ") + json.dumps(obj, ensure_ascii=False))
        first = False
        n += len(types) + len(props)
    out.write("\n]}\n")
    return n
