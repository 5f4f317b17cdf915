"""Approximate nearest neighbours for candidate search in large stores.

Below ``EXACT_BELOW`` vectors the linking stage compares new claims with every stored
vector (``emlit.evidence.index``: exact, and faster at that size). From there on it asks an
HNSW graph (usearch; chosen by measurement, see BENCHMARKS.md and ``bench/bench_ann.py``)
kept beside the store, so the cost per new claim no longer grows with the store:

    emlit.db.ann/<encoder identity>/meta.json         what the index holds (see below)
    emlit.db.ann/<encoder identity>/base-<seq>.usearch the graph and its vectors

One folder per encoder identity, so a model change never mixes vectors. The index labels
each vector with its row number ``seq`` in ``claim_embeddings`` (never reused), and the
store maps labels back to live claims (``Store.claims_of_seqs``): a deleted claim's vector
may stay in the graph but is dropped on read, and no second copy of the claim ids is kept.

**Base and delta.** ``meta.json`` names the base file and its high-water mark: every vector
with ``seq <= high_water`` is in the graph. The vectors added since (new claims) are read
from the store by ``seq`` and searched exactly beside the graph, so an ingest never
rewrites the big file. When more than ``DELTA_MAX`` vectors have piled up, they are added
to the graph (incrementally: the graph is loaded, extended and saved under a new name) and
the high-water mark moves. The base is opened memory-mapped (``view``), so opening costs
nothing however large the store is; only the pages a search touches are read.

**Consistency.** The index is rebuilt from the embeddings table when its folder or files
are missing or unreadable, when the encoder or width differ, when the store's seq counter
is below the high-water mark or sampled labels name other claims (the database was
replaced), when the table has more rows up to the high-water mark than the graph holds, or
when more than a quarter of the graph's vectors are gone from the table.

**Processes.** The ingest process (``emlit ingest``, ``emlit watch``, ``emlit demo``) is
the only writer of the folder. Files are written under new names and ``meta.json`` is
replaced atomically, so a reader sees the old index or the new one, never half of one; an
old base stays readable by a process that has it mapped. Building and merging hold an
exclusive ``flock`` on ``.lock``, so two writers never build at once: one waiting to build
finds the other's index when it gets the lock, one that would merge skips it (the delta
just grows until the next run).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from emlit.errors import EmlitError

if TYPE_CHECKING:
    import numpy as np

    from emlit.evidence.index import EmbeddingMatrix
    from emlit.store import Store

EXACT_BELOW = 20_000  # fewer vectors than this: exact search (faster, and exact)
DELTA_MAX = 20_000  # vectors searched exactly beside the graph before they are merged in
FETCH = 4  # ask the graph for k * FETCH neighbours, then drop same-document and gone ones
MAX_FETCH = 4096
MARGIN = 0.05  # how far an 8-bit cosine may be below the exact one
CHECKS = 32  # labels sampled into meta.json to recognise the database they came from
STALE = 0.25  # rebuild when this share of the graph's vectors left the table
FORMAT = 1
# HNSW settings: recall@10 0.999 on 100,000 clustered vectors, re-scored (bench/bench_ann.py).
CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 128
BATCH = 20_000  # vectors read from the store at a time while building


def folder_for(db_path: str, model: str) -> Path:
    """Where the index of the store at ``db_path`` for encoder ``model`` lives."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_") or "default"
    return Path(db_path + ".ann") / slug


@dataclass
class Meta:
    encoder: str
    dim: int
    file: str  # the base graph, relative to the folder
    count: int  # vectors in the graph
    high_water: int  # every vector with seq <= high_water is in the graph
    checks: list[tuple[int, str]]  # sampled (seq, claim id) the graph was built from
    claims_rowid: int = 0  # claims up to this rowid were checked for a missing vector
    engine: str = ""
    built: float = field(default_factory=time.time)

    def to_json(self) -> str:
        data = {"format": FORMAT, **self.__dict__}
        data["checks"] = [list(c) for c in self.checks]
        return json.dumps(data, indent=1)

    @classmethod
    def read(cls, path: Path) -> Meta | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.pop("format", None) != FORMAT:
                return None
            data["checks"] = [(int(s), str(c)) for s, c in data["checks"]]
            return cls(**data)
        except (OSError, ValueError, TypeError, KeyError):
            return None


def engine_version() -> str:
    import usearch

    return f"usearch {usearch.__version__}"


class AnnIndex:
    """The graph of one store and encoder, plus the delta searched exactly beside it."""

    def __init__(self, store: Store, model: str, folder: Path, meta: Meta, graph: Any) -> None:
        self.store = store
        self.model = model
        self.folder = folder
        self.meta = meta
        self.graph = graph
        self.merged = 0  # vectors merged into the graph by this open (for reports)
        self.rebuilt = False
        self._delta: EmbeddingMatrix | None = None

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, store: Store, model: str, *, build_at: int = EXACT_BELOW) -> AnnIndex | None:
        """The store's index for ``model``, brought up to date; None when the store is small
        (fewer than ``build_at`` vectors and no index yet) or in memory: search exactly."""
        if store.path == ":memory:":
            return None
        folder = folder_for(store.path, model)
        meta = Meta.read(folder / "meta.json")
        if meta is None or not _consistent(store, model, meta, folder):
            if meta is None and store.embedding_counts(model)[0] < build_at:
                return None
            with _locked(folder):
                meta = Meta.read(folder / "meta.json")  # another writer may have built it
                if meta is None or not _consistent(store, model, meta, folder):
                    meta = _build(store, model, folder)
                    index = cls(store, model, folder, meta, _view(folder / meta.file))
                    index.rebuilt = True
                    return index
        pending = store.embedding_counts(model, after_seq=meta.high_water)[0]
        merged = 0
        if pending > DELTA_MAX:
            with _locked(folder, wait=False) as got:
                if got:
                    fresh = Meta.read(folder / "meta.json")
                    if fresh is not None and fresh.file == meta.file:
                        meta, merged = _merge(store, model, folder, fresh)
                    elif fresh is not None:
                        meta = fresh
        try:
            graph = _view(folder / meta.file)
        except (OSError, RuntimeError, ValueError):
            return cls.rebuild(store, model)
        index = cls(store, model, folder, meta, graph)
        index.merged = merged
        return index

    @classmethod
    def rebuild(cls, store: Store, model: str) -> AnnIndex:
        """Build the graph afresh from every vector under ``model`` in the store."""
        folder = folder_for(store.path, model)
        with _locked(folder):
            meta = _build(store, model, folder)
        index = cls(store, model, folder, meta, _view(folder / meta.file))
        index.rebuilt = True
        return index

    def __len__(self) -> int:
        return int(self.meta.count)

    def note_claims_checked(self, rowid: int) -> None:
        """Claims up to ``rowid`` have a vector (the linking stage's backfill looked)."""
        if rowid <= self.meta.claims_rowid:
            return
        with _locked(self.folder, wait=False) as got:
            if not got:
                return
            fresh = Meta.read(self.folder / "meta.json")
            if fresh is None or fresh.file != self.meta.file:
                return
            fresh.claims_rowid = rowid
            _write_meta(self.folder, fresh)
            self.meta = fresh

    # -- searching -------------------------------------------------------------------------

    def delta(self) -> EmbeddingMatrix:
        """The live vectors added since the graph's high-water mark (read once per open:
        the linking stage embeds its claims before it opens the index)."""
        import numpy as np

        from emlit.evidence.index import EmbeddingMatrix

        if self._delta is None:
            rows = self.store.live_embeddings_after(self.model, self.meta.high_water)
            dim = rows[0][3] if rows else self.meta.dim
            self._delta = EmbeddingMatrix(
                ids=[r[1] for r in rows],
                doc_ids=np.fromiter((r[2] for r in rows), dtype=np.int64, count=len(rows)),
                vecs=np.frombuffer(b"".join(r[4] for r in rows), dtype=np.float32).reshape(
                    len(rows), dim
                ),
            )
        return self._delta

    def search(
        self,
        queries: np.ndarray,
        query_docs: Sequence[int],
        k: int,
        min_similarity: float,
        read: dict[str, tuple[int, bytes]] | None = None,
    ) -> list[list[tuple[str, int, float]]]:
        """For each query: up to ``k`` (claim id, document id, cosine) of live claims of
        other documents with cosine >= ``min_similarity``, best first; the graph answers for
        the vectors up to the high-water mark, an exact product for those added since.
        ``read``, if given, receives claim id -> (document id, float32 bytes) of the stored
        vectors the graph's answers were re-scored with (the linker need not read them again)."""
        import numpy as np

        from emlit.evidence.index import top_k

        n = len(queries)
        found: list[dict[str, tuple[int, float]]] = [{} for _ in range(n)]
        if n == 0:
            return []
        # The graph: ask for more than k, since same-document and deleted claims drop out,
        # and score what it finds exactly (its own vectors are 8-bit: ranks, not scores).
        todo = list(range(n))
        fetch = min(k * FETCH, max(1, self.meta.count))
        while todo:
            res = self.graph.search(queries[todo], fetch, threads=_threads())
            keys = np.asarray(res.keys).reshape(len(todo), -1)
            dists = np.asarray(res.distances).reshape(len(todo), -1)
            counts = np.asarray(getattr(res, "counts", [len(keys[0])])).reshape(-1)
            owners = self.store.live_vectors(
                self.model, [int(x) for row, c in zip(keys, counts, strict=True) for x in row[:c]]
            )
            if read is not None:
                read.update((cid, (doc, vec)) for cid, doc, vec in owners.values())
            again = []
            for row, qi in enumerate(todo):
                kept = found[qi]
                got = int(counts[row])
                # More may be above the cut if the graph gave all it was asked for and its
                # last answer was not clearly below the cut.
                full = got == fetch and 1.0 - float(dists[row][got - 1]) >= min_similarity - MARGIN
                others = [
                    owners[key]
                    for key in map(int, keys[row][:got])
                    if key in owners and owners[key][1] != query_docs[qi]
                ]
                if others:
                    mat = np.frombuffer(b"".join(v for _, _, v in others), dtype=np.float32)
                    sims = mat.reshape(len(others), -1) @ queries[qi]
                    for (cid, doc, _), sim in zip(others, sims.tolist(), strict=True):
                        if sim >= min_similarity and (cid not in kept or kept[cid][1] < sim):
                            kept[cid] = (doc, sim)
                # Too few left, and the graph may hold more above the cut: ask for more.
                if len(kept) < k and full and fetch < min(MAX_FETCH, self.meta.count):
                    again.append(qi)
            todo = again
            fetch = min(fetch * 4, MAX_FETCH, self.meta.count)
        # The delta: vectors added since the graph's high-water mark, searched exactly.
        delta = self.delta()
        if delta.ids:
            docs = np.asarray(query_docs, dtype=np.int64)
            for qi, hits in enumerate(top_k(queries, docs, delta, k, min_similarity)):
                kept = found[qi]
                for j, sim in hits:
                    cid = delta.ids[j]
                    if cid not in kept or kept[cid][1] < sim:
                        kept[cid] = (int(delta.doc_ids[j]), sim)
        out = []
        for kept in found:
            best = sorted(kept.items(), key=lambda item: (-item[1][1], item[0]))[:k]
            out.append([(cid, doc, sim) for cid, (doc, sim) in best])
        return out


# -- building, merging, checking --------------------------------------------------------------


def _threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _new_graph(dim: int) -> Any:
    from usearch.index import Index

    return Index(
        ndim=dim,
        metric="cos",  # distance 1 - cosine (for 8-bit vectors the scale is taken care of)
        # 8-bit vectors in the graph: a quarter of the memory and file, and on this machine
        # 5x faster to search than float32; candidates are re-scored exactly from the store.
        dtype="i8",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )


def _view(path: Path) -> Any:
    from usearch.index import Index

    if not path.is_file():
        raise OSError(f"{path}: missing")
    graph = Index.restore(str(path), view=True, expansion_search=EXPANSION_SEARCH)
    if graph is None:
        raise ValueError(f"{path}: not a usearch index")
    return graph


def _vectors(
    store: Store, model: str, after_seq: int, upto_seq: int | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(labels, vectors) from the store in batches of seq order."""
    import numpy as np

    for rows in store.embedding_vectors(model, after_seq, upto_seq, batch=BATCH):
        dims = {r[1] for r in rows}
        if len(dims) > 1:
            raise EmlitError(f"claim_embeddings: vectors of sizes {sorted(dims)} under {model}")
        dim = dims.pop()
        labels = np.fromiter((r[0] for r in rows), dtype=np.uint64, count=len(rows))
        vecs = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float32).reshape(-1, dim)
        yield labels, vecs


def _build(store: Store, model: str, folder: Path) -> Meta:
    """A new graph of every vector under ``model``; written, then named in meta.json."""
    _, high = store.embedding_counts(model)
    graph = None
    dim = 0
    added = 0
    for labels, vecs in _vectors(store, model, 0, high):
        if graph is None:
            dim = vecs.shape[1]
            graph = _new_graph(dim)
        graph.add(labels, vecs, threads=_threads())
        added += len(labels)
    if graph is None:
        raise EmlitError(f"claim_embeddings: no vectors under {model} to index")
    name = f"base-{high}-{int(time.time() * 1000)}.usearch"
    graph.save(str(folder / (name + ".tmp")))
    os.replace(folder / (name + ".tmp"), folder / name)
    meta = Meta(
        encoder=model,
        dim=dim,
        file=name,
        count=added,
        high_water=high,
        checks=_sample_checks(store, model, high),
        engine=engine_version(),
    )
    _write_meta(folder, meta)
    _remove_others(folder, name)
    return meta


def _merge(store: Store, model: str, folder: Path, meta: Meta) -> tuple[Meta, int]:
    """Add the vectors above the high-water mark to the graph, saved under a new name."""
    from usearch.index import Index

    graph = Index.restore(
        str(folder / meta.file),
        view=False,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )
    if graph is None:
        raise ValueError(f"{meta.file}: not a usearch index")
    _, high = store.embedding_counts(model)
    added = 0
    for labels, vecs in _vectors(store, model, meta.high_water, high):
        graph.add(labels, vecs, threads=_threads())
        added += len(labels)
    name = f"base-{high}-{int(time.time() * 1000)}.usearch"
    graph.save(str(folder / (name + ".tmp")))
    os.replace(folder / (name + ".tmp"), folder / name)
    new = Meta(
        encoder=model,
        dim=meta.dim,
        file=name,
        count=meta.count + added,
        high_water=high,
        checks=_sample_checks(store, model, high, meta.checks),
        claims_rowid=meta.claims_rowid,
        engine=engine_version(),
    )
    _write_meta(folder, new)
    _remove_others(folder, name)
    return new, added


def _sample_checks(
    store: Store, model: str, high: int, keep: list[tuple[int, str]] | None = None
) -> list[tuple[int, str]]:
    """Up to CHECKS (seq, claim id) spread over 1..high: the database's fingerprint."""
    seqs = sorted({max(1, round(high * (i + 1) / CHECKS)) for i in range(CHECKS)})
    owners = store.embedding_owners(seqs)
    found = [(s, owners[s][0]) for s in seqs if s in owners and owners[s][1] == model]
    return found or list(keep or [])


def _consistent(store: Store, model: str, meta: Meta, folder: Path) -> bool:
    if meta.encoder != model or not (folder / meta.file).is_file():
        return False
    if store.embedding_seq_counter() < meta.high_water:
        return False  # a younger database than the index
    owners = store.embedding_owners([s for s, _ in meta.checks])
    if any(s in owners and owners[s] != (cid, model) for s, cid in meta.checks):
        return False  # labels name other vectors: another database
    present, _ = store.embedding_counts(model, upto_seq=meta.high_water)
    if present > meta.count:
        return False  # vectors the graph should hold but does not
    return present >= meta.count * (1 - STALE)


def _write_meta(folder: Path, meta: Meta) -> None:
    tmp = folder / "meta.json.tmp"
    tmp.write_text(meta.to_json(), encoding="utf-8")
    os.replace(tmp, folder / "meta.json")


def _remove_others(folder: Path, keep: str) -> None:
    for path in folder.glob("base-*.usearch*"):
        if path.name != keep:
            path.unlink(missing_ok=True)


@contextmanager
def _locked(folder: Path, *, wait: bool = True) -> Iterator[bool]:
    """An exclusive lock on the folder's ``.lock``: yields whether it was taken."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EmlitError(f"{folder}: cannot create the index folder ({exc.strerror})") from None
    with open(folder / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
