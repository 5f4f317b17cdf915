"""The evidence graph as Obsidian notes (contract 14): one note per claim, work and
definition, with YAML frontmatter and wikilinks, so Obsidian's graph view, backlinks and
Dataview show the evidence map.

``vault_notes(g)`` renders every note as bytes (a pure function of the graph: same store,
same bytes); ``emlit.graph.vault.sync_folder`` writes them safely.

Field names are lowercase with underscores (Dataview reads them as written). Frontmatter holds
the claim's own facts; the evidence links are Dataview inline fields in the body,
``[supports:: [[note]]]``, one list item each, so a query can follow them and a link is never
stated twice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import yaml

from emlit.graph.notenames import note_names, stem
from emlit.vocab import DEFINITIONS

if TYPE_CHECKING:
    import networkx as nx

UNKNOWN_STANCE = "unknown"  # the store has no stance yet (contract 9 adds it)
HEADER = (
    "%% Written by `emlit export --format obsidian`. If you edit this note, emlit leaves it "
    "as it is from then on. %%\n"
)
# Markdown and Obsidian syntax that claim text must not trigger: links, tags, embeds,
# comments, highlights, math, emphasis, HTML.
_MARKUP = re.compile(r"([\\`*_\[\]#<>|%=^~$])")
# (inline field for the note that has the edge, for the note at its other end)
FIELDS = {"supports": ("supports", "supported_by"), "counters": ("counters", "countered_by")}


def md_text(text: str) -> str:
    """Plain text as inert Markdown on one line."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def link(path: str, alias: str | None = None) -> str:
    return f"[[{stem(path)}|{md_text(alias)}]]" if alias else f"[[{stem(path)}]]"


class _Dumper(yaml.SafeDumper):
    """Double-quotes wikilinks, so a name reads the same in the file as in Obsidian: a single-
    quoted YAML string would double every apostrophe (``AI''s``). Names hold no " or \\."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if value.startswith("[[") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def frontmatter(fields: dict[str, Any]) -> str:
    body = yaml.dump(
        fields,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10**6,
    )
    return f"---\n{body}---\n"


def vault_notes(g: nx.MultiDiGraph) -> dict[str, bytes]:
    """Relative path (``claims/NAME.md`` ...) -> note content, for the whole graph."""
    names = note_names(g)
    by_key = {
        str(d["key"]): names[n]
        for n, d in g.nodes(data=True)
        if d.get("kind") == "document" and d.get("key")
    }
    established = _established(g, names, by_key)
    out: dict[str, str] = {}
    for node, path in names.items():
        data = g.nodes[node]
        kind = data["kind"]
        if kind == "claim":
            text = _claim_note(g, node, names, by_key)
        elif kind == "document":
            text = _work_note(g, node, names, established.get(str(data.get("key")), []))
        else:
            text = _definition_note(node, data)
        out[f"{path}.md"] = text
    return {p: out[p].encode("utf-8") for p in sorted(out)}


def _claim_note(
    g: nx.MultiDiGraph, node: str, names: dict[str, str], by_key: dict[str, str]
) -> str:
    d = g.nodes[node]
    work = next((s for s, _, e in g.in_edges(node, data=True) if e["kind"] == "contains"), None)
    defs = [x for x in str(d.get("labels", "")).split(",") if x in DEFINITIONS]
    fields = {
        "id": node.split(":", 1)[1],
        "type": "claim",
        "definitions": defs,
        "stance": d.get("stance", UNKNOWN_STANCE),
        "work": link(names[work]) if work else None,
        "page": d.get("page"),
        "section": d.get("section"),
        "lang": d.get("lang"),
        "provenance": d.get("provenance"),
        "document": d.get("document"),
        "start": d.get("start"),
        "end": d.get("end"),
        "tags": ["emlit/claim", *(f"emlit/{x}" for x in defs)],
    }
    where = [f"From {link(names[work])}" if work else "From an unknown work"]
    if d.get("section"):
        where.append(f"section {md_text(str(d['section']))}")
    if d.get("page") is not None:
        where.append(f"p. {md_text(str(d['page']))}")
    lines = [frontmatter(fields), HEADER, f"> {md_text(str(d.get('text', '')))}", ""]
    lines.append(" · ".join(where))
    if defs:
        lines.append("Definitions: " + ", ".join(link(names[f"def:{x}"]) for x in defs))
    sections: dict[str, list[str]] = defaultdict(list)
    for _, other, e in g.out_edges(node, data=True):
        if e["kind"] in FIELDS:
            sections[FIELDS[e["kind"]][0]].append(_evidence_item(e, names[other], 0, by_key))
        elif e["kind"] == "cites_as_evidence":
            sections["cites"].append(f"- [cites:: {link(names[other])}]")
    for other, _, e in g.in_edges(node, data=True):
        if e["kind"] in FIELDS:
            sections[FIELDS[e["kind"]][1]].append(_evidence_item(e, names[other], 1, by_key))
    for key, title in (
        ("supports", "Supports"),
        ("supported_by", "Supported by"),
        ("counters", "Counters"),
        ("countered_by", "Countered by"),
        ("cites", "Cites as evidence"),
    ):
        if sections[key]:
            lines += ["", f"## {title}", *sorted(sections[key])]
    return "\n".join(lines) + "\n"


def _evidence_item(e: dict[str, Any], other: str, side: int, by_key: dict[str, str]) -> str:
    """``- [counters:: [[note]]] · curated 0.90 · [[work|key]]: why``."""
    item = f"- [{FIELDS[e['kind']][side]}:: {link(other)}]"
    how = " ".join(
        str(x)
        for x in (e.get("provenance"), f"{e['score']:.2f}" if "score" in e else None)
        if x is not None
    )
    if how:
        item += f" · {how}"
    note = str(e.get("source_note", ""))
    key, _, why = note.partition(": ")
    if key in by_key:  # curated links name the work that establishes them: "key: why"
        item += f" · {link(by_key[key], key)}" + (f": {md_text(why)}" if why else "")
    elif note:
        item += f" · {md_text(note)}"
    return item


def _work_note(g: nx.MultiDiGraph, node: str, names: dict[str, str], established: list[str]) -> str:
    d = g.nodes[node]
    authors = [a for a in str(d.get("authors", "")).split("; ") if a]
    year = str(d.get("year", ""))
    fields = {
        "id": d.get("key") or d.get("path"),
        "type": "work",
        "title": d.get("label"),
        "authors": authors,
        "year": int(year) if year.isdigit() else (year or None),
        "venue": d.get("venue"),
        "doi": d.get("doi"),
        "eprint": d.get("eprint"),
        "url": d.get("url"),
        "document": d.get("path"),
        "format": d.get("format"),
        "lang": d.get("lang"),
        "tags": ["emlit/work"],
    }
    lines = [frontmatter(fields), HEADER, f"# {md_text(str(d.get('label', '')))}", ""]
    facts = [md_text("; ".join(authors))] if authors else []
    facts += [md_text(str(d[k])) for k in ("year", "venue") if d.get(k)]
    if d.get("doi"):
        facts.append(f"[doi:{md_text(str(d['doi']))}](https://doi.org/{d['doi']})")
    if d.get("eprint"):
        facts.append(f"[arXiv:{md_text(str(d['eprint']))}](https://arxiv.org/abs/{d['eprint']})")
    lines.append(" · ".join(facts) or md_text(str(d.get("path", ""))))
    claims, cited_by, links_to = [], [], []
    for _, other, e in g.out_edges(node, data=True):
        if e["kind"] == "contains":
            claims.append((g.nodes[other].get("start", 0), f"- [claims:: {link(names[other])}]"))
        elif e["kind"] == "links_to" and other in names:
            links_to.append(f"- [links_to:: {link(names[other])}]")
    for other, _, e in g.in_edges(node, data=True):
        if e["kind"] == "cites_as_evidence":
            cited_by.append(f"- [cited_by:: {link(names[other])}]")
    for title, items in (
        ("Claims", [line for _, line in sorted(claims)]),
        ("Cited as evidence by", sorted(set(cited_by))),
        ("Evidence links it establishes", established),
        ("Links to", sorted(set(links_to))),
    ):
        if items:
            lines += ["", f"## {title}", *items]
    return "\n".join(lines) + "\n"


def _established(
    g: nx.MultiDiGraph, names: dict[str, str], by_key: dict[str, str]
) -> dict[str, list[str]]:
    """Work key -> the curated links whose source note names it: ``[[a]] supports [[b]]``."""
    items: dict[str, set[str]] = defaultdict(set)
    for s, t, e in g.edges(data=True):
        key = str(e.get("source_note", "")).partition(": ")[0]
        if e["kind"] in FIELDS and key in by_key:
            items[key].add(f"- {link(names[s])} {e['kind']} {link(names[t])}")
    return {key: sorted(lines) for key, lines in items.items()}


def _definition_note(node: str, d: dict[str, Any]) -> str:
    did = node.split(":", 1)[1]
    label = str(d.get("label", did))
    fields = {
        "id": did,
        "type": "definition",
        "label": label.split(": ", 1)[-1],
        "label_zh": d.get("label_zh"),
        "tags": ["emlit/definition"],
    }
    lines = [frontmatter(fields), HEADER, f"# {md_text(label)}"]
    for key in ("label_zh", "text", "text_zh"):
        if d.get(key):
            lines += ["", md_text(str(d[key]))]
    lines += ["", f"Claims using it link here (backlinks), and carry the tag #emlit/{did}."]
    return "\n".join(lines) + "\n"
