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
from collections.abc import Iterator
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


def node_iri(node: str) -> str:
    kind, _, rest = node.partition(":")
    folder = {"claim": "claim", "doc": "doc", "def": "definition", "author": "author"}[kind]
    return f"{BASE}{folder}/{quote(rest, safe='')}"


def _text(value: str, lang: str | None) -> Lit:
    return Lit(value, lang if lang in ("en", "zh") else None)


def resources(g: nx.MultiDiGraph) -> Iterator[Resource]:
    """The graph as RDF resources, one subject at a time."""
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
    uses: dict[str, list[str]] = {}
    for s, t, data in g.edges(data=True):
        if data.get("kind") == "uses_definition":
            uses.setdefault(s, []).append(t)
    for node, data in g.nodes(data=True):
        kind = data.get("kind")
        if kind == "definition":
            yield _definition(node, data)
        elif kind == "author":
            yield node_iri(node), ["foaf:Person", "prov:Agent"], [("foaf:name", Lit(data["label"]))]
        elif kind == "document":
            yield _document(g, node, data)
        elif kind == "claim":
            yield from _claim(g, node, data, uses.get(node, []))
    for i, (s, t, data) in enumerate(
        e for e in g.edges(data=True) if e[2].get("kind") in PREDICATE
    ):
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


def _definition(node: str, data: dict[str, Any]) -> Resource:
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


def _document(g: nx.MultiDiGraph, node: str, data: dict[str, Any]) -> Resource:
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
    for src, _, e in g.in_edges(node, data=True):
        if e.get("kind") == "authored":
            props.append(("dcterms:creator", node_iri(src)))
    for _, tgt, e in g.out_edges(node, data=True):
        if e.get("kind") == "links_to":
            props.append(("dcterms:references", node_iri(tgt)))
    return node_iri(node), ["dcterms:BibliographicResource", "prov:Entity"], props


def _claim(
    g: nx.MultiDiGraph, node: str, data: dict[str, Any], defs: list[str]
) -> Iterator[Resource]:
    iri = node_iri(node)
    doc = next((s for s, _, e in g.in_edges(node, data=True) if e.get("kind") == "contains"), None)
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
    for _, tgt, e in g.out_edges(node, data=True):
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


def _ttl_string(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


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
    n = 0
    for prefix, ns in PREFIXES.items():
        out.write(f"@prefix {prefix}: <{ns}> .\n")
    for subject, types, props in resources(g):
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
