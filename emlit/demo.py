"""What ``emlit demo`` does beyond ingesting: the curated evidence map, and a summary."""

from __future__ import annotations

import importlib
from pathlib import Path

from emlit.store import Store

# Extra loaders for the bundled corpus, "module:function(store, corpus_dir)"; a feature that
# ships curated data (the starter evidence map) registers its loader here.
EXTRA_LOADERS: list[str] = [
    "emlit.evidence.curated:load_and_link",
    "emlit.stance.stage:stance_missing",  # the curated claims' stance (contract 9)
]


def load_extras(store: Store, corpus: Path) -> None:
    for spec in EXTRA_LOADERS:
        module_name, _, func = spec.partition(":")
        getattr(importlib.import_module(module_name), func)(store, corpus)


def summary(store: Store, per_document: int = 2) -> str:
    """A short plain-text overview: counts, then a sample of claims per document."""
    data = store.stats()
    lines = [
        f"{data['documents']} documents, {data['claims']} claims "
        f"({', '.join(f'{k}: {v}' for k, v in data['claims_by_lang'].items())}), "
        f"{data['links']} evidence links",
        "claims by definition: "
        + ", ".join(f"{k} {v}" for k, v in data["claims_by_definition"].items()),
    ]
    # A BibTeX file holds many one-claim documents ("bib#key"): show it as one group.
    groups: dict[str, list[tuple[str, int]]] = {}
    for shown, n in store.claim_counts_by_document():
        if n:
            groups.setdefault(shown.split("#")[0], []).append((shown, n))
    for name, members in groups.items():
        n_claims = sum(n for _, n in members)
        entries = f"{len(members)} entries, " if len(members) > 1 else ""
        lines.append(f"\n{name}  ({entries}{n_claims} claims)")
        for claim in store.claims(document=name, limit=per_document):
            labels = ",".join(claim["labels"]) or "-"
            text = claim["text"] if len(claim["text"]) < 110 else claim["text"][:107] + "..."
            lines.append(f"  [{labels}] {text}")
    return "\n".join(lines)
