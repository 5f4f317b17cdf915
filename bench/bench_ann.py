"""Benchmark: which nearest-neighbour library serves the linking stage's candidate search.

    pip install hnswlib faiss-cpu sqlite-vec apsw      # the contenders (usearch comes with emlit)
    python bench/bench_ann.py [--sizes 100000 1000000] [--libs hnswlib usearch faiss sqlite-vec exact]
    python bench/bench_ann.py --quick                   # 100,000 vectors, emlit's choice vs exact

Candidates measured (all permissively licensed): hnswlib (Apache-2.0), usearch (Apache-2.0),
faiss-cpu (MIT), sqlite-vec (MIT/Apache-2.0, brute force in SQLite; loaded through apsw,
since this Python's sqlite3 cannot load extensions), and the exact blocked matrix product
emlit used before (numpy). A library that is not installed is skipped.

The vectors are "random but realistic": unit vectors of dimension 384 with the structure
of sentence embeddings of a debate — a shared domain direction (random pairs have cosine
about 0.2), 64 topics and clusters of claims making the same point (cluster sizes are
log-normal; claims in one cluster have cosine about 0.65), plus each claim's own part. The
queries are new claims of the same clusters, not in the index. Recall@10 is measured
against the exact top 10 (inner product); every library is asked for the same 10.

Each library runs in a subprocess of its own, so "memory" is the resident set the index
adds to a process that already holds the vectors, and "open" is the time from nothing to
a usable index read from its file (what every `emlit ingest` pays before linking). "query"
is milliseconds per new claim, in a batch of 1,000 on both cores; "1-by-1" asks one claim
at a time on one thread; "add 1k + save" is an incremental update of the opened index.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DIM = 384
K = 10
THREADS = os.cpu_count() or 2


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def clustered(n: int, dim: int = DIM, seed: int = 7) -> np.ndarray:
    """``n`` unit vectors with the structure described in the module docstring."""
    rng = np.random.default_rng(seed)
    n_clusters = max(1, n // 40)
    domain = unit(rng.standard_normal(dim))
    topics = unit(rng.standard_normal((64, dim)))
    centres = unit(rng.standard_normal((n_clusters, dim)))
    topic_of = rng.integers(64, size=n_clusters)
    weight = rng.lognormal(0, 1, n_clusters)
    cluster = rng.choice(n_clusters, size=n, p=weight / weight.sum())
    out = np.empty((n, dim), dtype=np.float32)
    for s in range(0, n, 100_000):
        c = cluster[s : s + 100_000]
        own = unit(rng.standard_normal((len(c), dim), dtype=np.float32))
        out[s : s + 100_000] = unit(
            np.sqrt(0.20) * domain
            + np.sqrt(0.15) * topics[topic_of[c]]
            + np.sqrt(0.30) * centres[c]
            + np.sqrt(0.35) * own
        )
    return out


def exact_top(base: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Exact top-k ids by inner product, blocked over the base."""
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    for s in range(0, len(base), 100_000):
        sims = queries @ base[s : s + 100_000].T
        kk = min(k, sims.shape[1])
        part = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        best_s = np.hstack([best_s, np.take_along_axis(sims, part, 1)])
        best_i = np.hstack([best_i, part + s])
        keep = np.argsort(-best_s, axis=1)[:, :k]
        best_s = np.take_along_axis(best_s, keep, 1)
        best_i = np.take_along_axis(best_i, keep, 1)
    return best_i


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[:K]) & set(t)) / K for f, t in zip(found, truth, strict=True)]))


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# -- one library, in its own process -------------------------------------------------------


class Lib:
    name = ""
    efs: tuple[int, ...] = (32, 64, 128)

    def build(self, data: np.ndarray, labels: np.ndarray) -> None: ...
    def save(self, path: Path) -> None: ...
    def open(self, path: Path) -> None: ...
    def query(self, q: np.ndarray, k: int, ef: int, threads: int) -> np.ndarray: ...
    def add(self, data: np.ndarray, labels: np.ndarray) -> None: ...
    def file_size(self, path: Path) -> int:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


class Hnswlib(Lib):
    name = "hnswlib"

    def build(self, data: np.ndarray, labels: np.ndarray) -> None:
        import hnswlib

        self.ix = hnswlib.Index(space="ip", dim=DIM)
        self.ix.init_index(max_elements=len(data), M=16, ef_construction=100)
        self.ix.add_items(data, labels, num_threads=THREADS)

    def save(self, path: Path) -> None:
        self.ix.save_index(str(path))

    def open(self, path: Path) -> None:
        import hnswlib

        self.ix = hnswlib.Index(space="ip", dim=DIM)
        self.ix.load_index(str(path))

    def query(self, q: np.ndarray, k: int, ef: int, threads: int) -> np.ndarray:
        self.ix.set_ef(max(ef, k))
        return self.ix.knn_query(q, k=k, num_threads=threads)[0]

    def add(self, data: np.ndarray, labels: np.ndarray) -> None:
        self.ix.resize_index(self.ix.get_current_count() + len(data))
        self.ix.add_items(data, labels, num_threads=THREADS)


class Usearch(Lib):
    name = "usearch"

    def __init__(self, dtype: str = "f32", view: bool = False, rerank: bool = False) -> None:
        self.dtype, self.view, self.rerank = dtype, view, rerank
        self.name = f"usearch {dtype}" + (" view" if view else "") + (" + rerank" if rerank else "")

    def build(self, data: np.ndarray, labels: np.ndarray) -> None:
        from usearch.index import Index

        self.ix = Index(
            ndim=DIM, metric="cos", dtype=self.dtype, connectivity=16, expansion_add=128
        )
        self.ix.add(labels, data, threads=THREADS)

    def save(self, path: Path) -> None:
        self.ix.save(str(path))
        self.path = path

    def open(self, path: Path) -> None:
        from usearch.index import Index

        self.path = path
        self.ix = Index.restore(str(path), view=self.view)

    def query(self, q: np.ndarray, k: int, ef: int, threads: int) -> np.ndarray:
        self.ix.expansion_search = max(ef, k)
        if not self.rerank:
            return np.asarray(self.ix.search(q, k, threads=threads).keys).reshape(len(q), -1)
        # What emlit does: ask for 4k, score them exactly with the float32 vectors (which
        # emlit reads from the store as it maps labels to claims), keep the best k.
        keys = np.asarray(self.ix.search(q, 4 * k, threads=threads).keys).reshape(len(q), -1)
        sims = np.einsum("qkd,qd->qk", self.data[keys - 1], q)
        return np.take_along_axis(keys, np.argsort(-sims, axis=1)[:, :k], 1)

    def add(self, data: np.ndarray, labels: np.ndarray) -> None:
        from usearch.index import Index

        # A view cannot grow: load the graph, add, save (emlit's merge of its delta).
        ix = Index.restore(str(self.path), view=False) if self.view else self.ix
        ix.add(labels, data, threads=THREADS)
        self.ix = ix
        self.view = False


class Faiss(Lib):
    name = "faiss HNSW32"

    def build(self, data: np.ndarray, labels: np.ndarray) -> None:
        import faiss

        faiss.omp_set_num_threads(THREADS)
        base = faiss.IndexHNSWFlat(DIM, 32, faiss.METRIC_INNER_PRODUCT)
        base.hnsw.efConstruction = 80
        self.ix = faiss.IndexIDMap2(base)
        self.ix.add_with_ids(data, labels)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.ix, str(path))

    def open(self, path: Path) -> None:
        import faiss

        self.ix = faiss.read_index(str(path))

    def query(self, q: np.ndarray, k: int, ef: int, threads: int) -> np.ndarray:
        import faiss

        faiss.omp_set_num_threads(threads)
        faiss.downcast_index(self.ix.index).hnsw.efSearch = max(ef, k)
        return self.ix.search(q, k)[1]

    def add(self, data: np.ndarray, labels: np.ndarray) -> None:
        self.ix.add_with_ids(data, labels)


class SqliteVec(Lib):
    name = "sqlite-vec"
    efs = (0,)  # brute force: no search parameter

    def _connect(self, path: Path) -> None:
        import apsw
        import sqlite_vec

        self.conn = apsw.Connection(str(path))
        self.conn.enable_load_extension(True)
        self.conn.load_extension(sqlite_vec.loadable_path())

    def build(self, data: np.ndarray, labels: np.ndarray) -> None:
        self.path = Path(tempfile.mkdtemp()) / "vec.db"
        self._connect(self.path)
        self.conn.execute("CREATE VIRTUAL TABLE v USING vec0(embedding float[384])")
        with self.conn:
            self.conn.executemany(
                "INSERT INTO v (rowid, embedding) VALUES (?, ?)",
                ((int(i), v.tobytes()) for i, v in zip(labels, data, strict=True)),
            )

    def save(self, path: Path) -> None:
        self.conn.close()
        if self.path != path:
            os.replace(self.path, path)
        self._connect(path)

    def open(self, path: Path) -> None:
        self.path = path
        self._connect(path)

    def query(self, q: np.ndarray, k: int, ef: int, threads: int) -> np.ndarray:
        out = [
            [
                r[0]
                for r in self.conn.execute(
                    "SELECT rowid FROM v WHERE embedding MATCH ? AND k = ? ORDER BY distance",
                    (v.tobytes(), k),
                )
            ]
            for v in q
        ]
        return np.array(out)

    def add(self, data: np.ndarray, labels: np.ndarray) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT INTO v (rowid, embedding) VALUES (?, ?)",
                ((int(i), v.tobytes()) for i, v in zip(labels, data, strict=True)),
            )


class Exact(Lib):
    name = "exact (numpy, before)"
    efs = (0,)

    def build(self, data: np.ndarray, labels: np.ndarray) -> None:
        self.vecs = data.copy()

    def save(self, path: Path) -> None:
        np.save(path, self.vecs)

    def open(self, path: Path) -> None:
        self.vecs = np.load(str(path) + ".npy")

    def query(self, q: np.ndarray, k: int, ef: int, threads: int) -> np.ndarray:
        return exact_top(self.vecs, q, k) + 1  # labels count from 1

    def add(self, data: np.ndarray, labels: np.ndarray) -> None:
        self.vecs = np.vstack([self.vecs, data])


def make_lib(name: str) -> Lib:
    return {
        "hnswlib": Hnswlib,
        "usearch": Usearch,
        "usearch-i8": lambda: Usearch("i8"),
        "usearch-i8-view-rerank": lambda: Usearch("i8", view=True, rerank=True),
        "faiss": Faiss,
        "sqlite-vec": SqliteVec,
        "exact": Exact,
    }[name]()


def worker(lib_name: str, work: Path, n: int) -> dict[str, object]:
    data = np.load(work / f"base{n}.npy")
    queries = np.load(work / f"queries{n}.npy")
    truth = np.load(work / f"truth{n}.npy")
    extra = np.load(work / f"extra{n}.npy")
    labels = np.arange(1, n + 1, dtype=np.int64)
    lib = make_lib(lib_name)
    out: dict[str, object] = {"lib": lib.name, "n": n}
    before = rss_mb()
    t = time.perf_counter()
    lib.build(data, labels)
    out["build_s"] = time.perf_counter() - t
    out["memory_mb"] = rss_mb() - before
    path = work / f"index-{lib_name}-{n}"
    t = time.perf_counter()
    lib.save(path)
    out["save_s"] = time.perf_counter() - t
    out["file_mb"] = lib.file_size(path) / 1e6
    del lib
    lib = make_lib(lib_name)
    lib.data = data  # type: ignore[attr-defined]  # for re-ranking
    t = time.perf_counter()
    lib.open(path)
    out["open_s"] = time.perf_counter() - t
    nq = len(queries) if lib_name != "sqlite-vec" or n <= 100_000 else 50
    q, tr = queries[:nq], truth[:nq]
    runs = []
    for ef in lib.efs:
        lib.query(q[:20], K, ef, THREADS)  # warm the pages the queries touch
        t = time.perf_counter()
        found = lib.query(q, K, ef, THREADS)
        batch = time.perf_counter() - t
        r = recall(found - 1, tr)
        t = time.perf_counter()
        single = q[: min(100, nq)]
        for v in single:
            lib.query(v[None, :], K, ef, 1)
        one = (time.perf_counter() - t) / len(single)
        runs.append({"ef": ef, "recall": r, "ms": 1000 * batch / nq, "ms_1by1": 1000 * one})
    out["runs"] = runs
    t = time.perf_counter()
    lib.add(extra, np.arange(n + 1, n + 1 + len(extra), dtype=np.int64))
    lib.save(path)
    out["add_s"] = time.perf_counter() - t
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for p in work.glob(f"index-{lib_name}-{n}*"):
        p.unlink()
    return out


# -- the driver ----------------------------------------------------------------------------


def prepare(work: Path, n: int, nq: int) -> None:
    if (work / f"truth{n}.npy").exists():
        return
    t = time.perf_counter()
    allv = clustered(n + nq + 1000)
    rng = np.random.default_rng(11)
    perm = rng.permutation(len(allv))
    base, queries, extra = allv[perm[:n]], allv[perm[n : n + nq]], allv[perm[n + nq :]]
    np.save(work / f"base{n}.npy", base)
    np.save(work / f"queries{n}.npy", queries)
    np.save(work / f"extra{n}.npy", extra)
    truth = exact_top(base, queries, K)
    np.save(work / f"truth{n}.npy", truth)
    top1 = np.sum(queries[:200] * base[truth[:200, 0]], axis=1)
    rand = float(np.mean(np.sum(base[:1000] * base[1000:2000], axis=1)))
    print(
        f"data {n:,} x {DIM}: generated with exact top-{K} of {nq} queries in "
        f"{time.perf_counter() - t:.1f} s; cosine of random pairs {rand:.2f}, "
        f"of a query and its nearest neighbour {float(np.mean(top1)):.2f}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument(
        "--libs",
        nargs="+",
        default=[
            "exact",
            "hnswlib",
            "usearch",
            "usearch-i8",
            "usearch-view",
            "faiss",
            "sqlite-vec",
        ],
    )
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument(
        "--quick", action="store_true", help="100,000 vectors, exact and emlit's usearch only"
    )
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.libs = [100_000], ["exact", "usearch-i8-view-rerank"]
    work = args.work or Path(tempfile.mkdtemp(prefix="emlit-ann-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.worker:
        print(json.dumps(worker(args.worker[0], work, int(args.worker[1]))))
        return
    print(f"{THREADS} threads; work folder {work}")
    for n in args.sizes:
        prepare(work, n, args.queries)
        print(
            f"\n{n:,} vectors: {'library':<22} {'build s':>8} {'memory MB':>10} {'file MB':>8} "
            f"{'open s':>7} {'add 1k+save s':>14}   ef: recall@10, query ms/claim (batch | 1-by-1)"
        )
        for name in args.libs:
            cmd = [sys.executable, __file__, "--work", str(work), "--worker", name, str(n)]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                last = (proc.stderr.strip().splitlines() or ["?"])[-1]
                if "ModuleNotFoundError" in last:
                    print(f"  {name:<22} skipped: {last.split(': ', 1)[-1]}", flush=True)
                    continue
                print(f"  {name:<22} failed: {last}", flush=True)
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            runs = "  ".join(
                f"{x['ef']}: {x['recall']:.3f}, {x['ms']:.3f} | {x['ms_1by1']:.3f}"
                for x in r["runs"]
            )
            add = f"{r['add_s']:.2f}" if "add_s" in r else "-"
            print(
                f"  {r['lib']:<31} {r['build_s']:>8.1f} {r['memory_mb']:>10.0f} {r['file_mb']:>8.0f} "
                f"{r['open_s']:>7.2f} {add:>14}   {runs}",
                flush=True,
            )


if __name__ == "__main__":
    main()
