"""Helpers for the evidence and graph tests: a store holding the bundled evidence map."""

from __future__ import annotations

from pathlib import Path

from emlit.store import Store

REPO = Path(__file__).resolve().parents[1]
EVIDENCE = REPO / "corpus" / "evidence"


def curated_store(path: Path) -> Store:
    """A file store with the starter evidence map loaded (no model needed)."""
    from emlit.evidence.curated import load_curated_map

    store = Store(path)
    load_curated_map(store, EVIDENCE)
    return store


def local_ids(store: Store) -> dict[str, str]:
    """claims.yaml id -> stored claim id, via the claim texts."""
    import yaml

    from emlit.evidence.curated import evidence_folder

    data = yaml.safe_load((evidence_folder(EVIDENCE) / "claims.yaml").read_text(encoding="utf-8"))
    by_text = dict(store.conn.execute("SELECT text, id FROM claims WHERE provenance = 'curated'"))
    return {c["id"]: by_text[" ".join(c["text"].split())] for c in data["claims"]}
