"""The nearest-neighbour index beside the store (emlit.evidence.ann): built when the store is
large, persisted, updated as claims arrive, rebuilt when it no longer fits the store, one per
encoder identity, and as good as exact search where it matters."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from emlit.evidence import ann
from emlit.evidence.ann import AnnIndex, folder_for
from emlit.evidence.index import EmbeddingMatrix, top_k
from emlit.models import Block, Claim, ParsedDocument
from emlit.store import Store

MODEL = "test-encoder@256:00000000"
DIM = 24


def clustered(n: int, seed: int, centres: np.ndarray) -> np.ndarray:
    """Unit vectors around shared centres (claims making the same point), as in bench_ann."""
    rng = np.random.default_rng(seed)
    c = centres[rng.integers(len(centres), size=n)]
    v = c + 0.6 * rng.standard_normal((n, centres.shape[1]))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


CENTRES = np.random.default_rng(0).standard_normal((40, DIM))


def add_docs(
    store: Store, prefix: str, n_docs: int, per_doc: int, seed: int, model: str = MODEL
) -> list[str]:
    """Documents of ``per_doc`` claims each, with vectors under ``model``."""
    vecs = clustered(n_docs * per_doc, seed, CENTRES)
    ids: list[str] = []
    for d in range(n_docs):
        text, claims, blocks = "", [], []
        for k in range(per_doc):
            body = f"{prefix} claim {d}.{k}."
            start = len(text) + (2 if text else 0)
            text += ("\n\n" if text else "") + body
            blocks.append(Block(start, len(text), "paragraph"))
            claims.append(Claim(f"{prefix}{d}-{k}", body, "en", start, len(text)))
        doc = ParsedDocument(f"/t/{prefix}{d}.md", "markdown", text, blocks, title=f"{prefix}{d}")
        store.save_document(
            doc,
            path=f"/t/{prefix}{d}.md",
            display_path=f"{prefix}{d}.md",
            content_hash=f"{prefix}{d}",
            claims=claims,
        )
        ids += [c.id for c in claims]
    store.put_embeddings(model, ((cid, DIM, v.tobytes()) for cid, v in zip(ids, vecs, strict=True)))
    return ids


def vectors(store: Store, ids: list[str]) -> tuple[np.ndarray, list[int]]:
    rows = {r[0]: r for r in store.embedding_rows(MODEL, ids)}
    vecs = np.stack([np.frombuffer(rows[c][3], dtype=np.float32) for c in ids])
    return vecs, [rows[c][1] for c in ids]


def exact(store: Store, queries: np.ndarray, docs: list[int], k: int) -> list[list[str]]:
    rows = store.embedding_rows(MODEL)
    m = EmbeddingMatrix(
        ids=[r[0] for r in rows],
        doc_ids=np.array([r[1] for r in rows]),
        vecs=np.stack([np.frombuffer(r[3], dtype=np.float32) for r in rows]),
    )
    found = top_k(queries, np.array(docs), m, k, -1.0)
    return [[m.ids[j] for j, _ in hits] for hits in found]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "big.db")
    add_docs(s, "base", 60, 20, seed=1)  # 1,200 claims
    return s


def test_small_or_in_memory_stores_search_exactly(store: Store) -> None:
    assert AnnIndex.open(store, MODEL) is None  # 1,200 < EXACT_BELOW: no index, no folder
    assert not folder_for(store.path, MODEL).exists()
    with Store(":memory:") as mem:
        add_docs(mem, "m", 2, 3, seed=2)
        assert AnnIndex.open(mem, MODEL, build_at=1) is None


def test_built_persisted_and_reopened(store: Store) -> None:
    index = AnnIndex.open(store, MODEL, build_at=1000)
    assert index is not None and index.rebuilt
    folder = folder_for(store.path, MODEL)
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["encoder"] == MODEL and meta["count"] == 1200 and meta["dim"] == DIM
    assert (folder / meta["file"]).is_file()
    again = AnnIndex.open(store, MODEL, build_at=1000)
    assert again is not None and not again.rebuilt and again.meta.file == meta["file"]


def test_recall_against_exact_search(store: Store) -> None:
    index = AnnIndex.open(store, MODEL, build_at=1000)
    assert index is not None
    new = add_docs(store, "q", 10, 10, seed=3)  # 100 new claims: the delta
    queries, docs = vectors(store, new)
    truth = exact(store, queries, docs, 10)
    found = index.search(queries, docs, 10, -1.0)
    hits = sum(len({c for c, _, _ in f} & set(t)) for f, t in zip(found, truth, strict=True))
    assert hits / (10 * len(new)) >= 0.95
    for f, d in zip(found, docs, strict=True):
        assert all(doc != d for _, doc, _ in f)  # never a claim of the query's own document
        sims = [s for _, _, s in f]
        assert sims == sorted(sims, reverse=True)


def test_new_claims_found_after_reopening_and_merged_into_the_graph(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = AnnIndex.open(store, MODEL, build_at=1000)
    assert first is not None
    new = add_docs(store, "n", 5, 10, seed=4)
    probe, _ = vectors(store, new[:5])
    # Reopened: the new claims are above the high-water mark and searched exactly.
    index = AnnIndex.open(store, MODEL, build_at=1000)
    assert index is not None and index.meta.high_water == first.meta.high_water
    other = add_docs(store, "o", 1, 5, seed=5)
    ov, od = vectors(store, other)
    found = index.search(ov, od, 50, -1.0)
    assert any(c in new for f in found for c, _, _ in f)
    # More than DELTA_MAX of them: added to the graph, which is saved under a new name.
    monkeypatch.setattr(ann, "DELTA_MAX", 10)
    merged = AnnIndex.open(store, MODEL, build_at=1000)
    assert merged is not None and merged.merged == 55 and not merged.rebuilt
    assert merged.meta.count == 1255 and merged.meta.file != first.meta.file
    assert not (folder_for(store.path, MODEL) / first.meta.file).exists()
    assert len(merged.graph) == 1255
    # Its own vector is the nearest thing to each new claim, from another document's view.
    hits = merged.search(probe, [-1] * 5, 1, -1.0)
    assert [h[0][0] for h in hits] == new[:5]


def test_deleted_claims_are_never_candidates(store: Store) -> None:
    index = AnnIndex.open(store, MODEL, build_at=1000)
    assert index is not None
    victim = store.document_by_path("/t/base7.md")
    assert victim is not None
    gone = {c["id"] for c in store.document_claims(victim["id"])}
    store.delete_document("/t/base7.md")
    queries, _ = vectors(store, ["base8-0", "base9-0"])
    found = index.search(queries, [-1, -1], 200, -1.0)
    assert all(c not in gone for f in found for c, _, _ in f)
    assert all(len(f) == 200 for f in found)  # asked the graph for more to make up for them


def test_missing_or_broken_index_is_rebuilt(store: Store) -> None:
    index = AnnIndex.open(store, MODEL, build_at=1000)
    assert index is not None
    folder = folder_for(store.path, MODEL)
    (folder / index.meta.file).unlink()
    again = AnnIndex.open(store, MODEL, build_at=1000)
    assert again is not None and again.rebuilt and len(again.graph) == 1200
    (folder / "meta.json").write_text("{not json")
    third = AnnIndex.open(store, MODEL, build_at=1000)
    assert third is not None and third.rebuilt


def test_index_of_another_database_is_rebuilt(tmp_path: Path, store: Store) -> None:
    """The store file was replaced (deleted and ingested again) but the folder stayed."""
    AnnIndex.open(store, MODEL, build_at=1000)
    store.close()
    for p in tmp_path.glob("big.db*"):
        if p.is_file():
            p.unlink()
    with Store(tmp_path / "big.db") as fresh:
        add_docs(fresh, "other", 70, 20, seed=6)  # more rows than before: the seq check passes
        index = AnnIndex.open(fresh, MODEL, build_at=1000)
        assert index is not None and index.rebuilt and index.meta.count == 1400


def test_vectors_the_graph_lacks_mean_a_rebuild(store: Store) -> None:
    index = AnnIndex.open(store, MODEL, build_at=1000)
    assert index is not None
    folder = folder_for(store.path, MODEL)
    meta = json.loads((folder / "meta.json").read_text())
    meta["count"] -= 100  # the table holds vectors up to the mark that the graph does not
    (folder / "meta.json").write_text(json.dumps(meta))
    again = AnnIndex.open(store, MODEL, build_at=1000)
    assert again is not None and again.rebuilt and again.meta.count == 1200


def test_another_encoder_gets_its_own_index(store: Store) -> None:
    other = "other-encoder@256:11111111"
    add_docs(store, "x", 55, 20, seed=7, model=other)  # 1,100 claims embedded by the other
    a = AnnIndex.open(store, MODEL, build_at=1000)
    b = AnnIndex.open(store, other, build_at=1000)
    assert a is not None and b is not None and a.folder != b.folder
    assert a.meta.count == 1200 and b.meta.count == 1100
    queries, docs = vectors(store, ["base1-0"])
    found = b.search(queries, docs, 30, -1.0)
    assert all(c.startswith("x") for f in found for c, _, _ in f)  # only the other's vectors
