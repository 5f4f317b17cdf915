"""Benchmark: linking new claims against a 100,000-claim store, and exporting that store.

    python bench/bench_linking.py [--claims 100000] [--new 1000 2000 4000] [--db PATH]
    python bench/bench_linking.py --claims 1000000 --no-export     # a million claims
    python bench/bench_linking.py --new 4000 --link-workers 1 2     # one process, then two

The store is generated: 2,000 documents of 50 claims each, English and Chinese sentences
built from debate phrases, random definition tags and 50,000 random evidence links.
Encoding 100,000 sentences with MiniLM is a one-time ingest cost (measured below per
claim), so the store's embeddings are built from 1,500 really encoded template sentences
plus a little noise. The new claims of each run are encoded for real (column "encode"),
then linked: candidate search over the whole store plus the classifier (column "link").
A real store holds the cue profile of every claim text (the link stage saves each new
claim's); a generated one has none, so they are computed once (in `--fill-workers`
processes) and saved before the runs, timed on their own, and each run's new claims
lose theirs again when they are removed.
Prints: per run the linking time and time per new claim (roughly flat = linear in new
claims), once per ``--link-workers`` count (processes that search and classify blocks of new
claims side by side; the links written must be the same); GraphML and Turtle export times of
the whole store.

From 20,000 stored vectors on, candidates come from the nearest-neighbour index beside the
store (emlit/evidence/ann.py): its one-time build is timed on its own, then the link runs
(which find it on disk, search it and the vectors added since exactly), and its recall@10
against exact search for the first run's new claims. Run it at 100,000 and at 1,000,000
claims: link ms per new claim should be the same (flat), not ten times as much.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import itertools
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emlit.encoder import get_encoder, identity
from emlit.evidence import cues
from emlit.evidence.ann import AnnIndex, folder_for
from emlit.evidence.index import ensure_embeddings, load_matrix, top_k
from emlit.evidence.profile import (
    compute_text_info,
    encode_text_info,
    forget_text_infos,
    profile_version,
    text_hash,
)
from emlit.evidence.stage import link_claims
from emlit.graph.build import build_graph
from emlit.graph.export import write_graph
from emlit.stance.stage import stance_claims
from emlit.store import Store, now

NOISE = np.random.default_rng(7)
SUBJECTS_EN = [
    "Chain-of-thought prompting",
    "Few-shot arithmetic",
    "In-context learning",
    "Theory-of-mind performance",
    "Multi-step reasoning",
    "Translation ability",
    "Code generation",
    "Instruction following",
    "Analogy solving",
    "Word unscrambling",
]
CLAIMS_EN = [
    "appears suddenly once models pass 100B parameters",
    "improves smoothly when scored with a continuous metric",
    "is explained by patterns in the training data",
    "was never an explicit training objective",
    "can be predicted from much smaller models",
    "collapses on counterfactual variants of the task",
    "only shows up in the largest models",
    "tracks the pre-training loss rather than the parameter count",
    "is an artefact of exact-match scoring",
    "surprised the developers of the model",
]
SUBJECTS_ZH = [
    "思维链提示",
    "少样本算术",
    "上下文学习",
    "心智理论表现",
    "多步推理",
    "翻译能力",
    "代码生成",
    "指令遵循",
    "类比推理",
    "单词重组",
]
CLAIMS_ZH = [
    "在模型超过千亿参数后突然出现",
    "在连续指标下随规模平滑提升",
    "可以用训练数据中的模式解释",
    "从来不是显式的训练目标",
    "可以从小得多的模型预测",
    "在任务的反事实变体上失效",
    "只出现在最大的模型中",
    "与预训练损失而不是参数量相关",
    "是精确匹配评分造成的假象",
    "出乎模型开发者的意料",
]
CONTEXTS = [
    "on BIG-bench",
    "on GSM8K",
    "in our replication",
    "according to the survey",
    "in the original paper",
    "for GPT-3",
    "for PaLM",
    "for LLaMA",
    "in the 2023 follow-up",
    "on held-out tasks",
    "under greedy decoding",
    "with eight demonstrations",
    "across five seeds",
    "in the appendix",
    "for instruction-tuned models",
    "for base models",
    "on multilingual tasks",
    "at every checkpoint",
    "in the ablation",
    "on the hardest split",
]


def templates() -> list[tuple[str, str]]:
    out = []
    for s, c, ctx in itertools.product(SUBJECTS_EN, CLAIMS_EN, CONTEXTS[:10]):
        out.append((f"{s} {c} {ctx}.", "en"))
    for s, c, ctx in itertools.product(SUBJECTS_ZH, CLAIMS_ZH, CONTEXTS[10:15]):
        out.append((f"{ctx}：{s}{c}。", "zh"))
    return out  # 1,000 English + 500 Chinese


def add_documents(
    store: Store,
    rng: random.Random,
    prefix: str,
    n_docs: int,
    per_doc: int,
    tpl: list[tuple[str, str]],
    vecs: np.ndarray | None,
) -> list[str]:
    """Insert documents whose text is their claims; cache noisy template embeddings if given."""
    ids: list[str] = []
    stamp = now()
    conn = store.conn
    with store.transaction():
        for d in range(n_docs):
            picks = [rng.randrange(len(tpl)) for _ in range(per_doc)]
            texts = [f"{tpl[i][0]} [{prefix}{d}.{k}]" for k, i in enumerate(picks)]
            doc_text = "\n\n".join(texts)
            cur = conn.execute(
                "INSERT INTO documents (path, display_path, format, title, lang, content_hash, text, metadata, ingested_at) "
                "VALUES (?, ?, 'text', ?, 'en', ?, ?, '{}', ?)",
                [
                    f"/bench/{prefix}{d}.md",
                    f"{prefix}{d}.md",
                    f"{prefix} document {d}",
                    prefix + str(d),
                    doc_text,
                    stamp,
                ],
            )
            doc_id = cur.lastrowid
            pos, rows, emb_rows = 0, [], []
            if vecs is not None:  # the templates' vectors plus a little noise, one matrix
                noisy = vecs[picks] + NOISE.normal(0, 0.02, (len(picks), vecs.shape[1]))
                noisy = (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)
            for k, (i, t) in enumerate(zip(picks, texts, strict=True)):
                cid = hashlib.sha1(f"{prefix}{d}.{k}".encode()).hexdigest()[:16]
                rows.append((cid, doc_id, t, tpl[i][1], pos, pos + len(t), stamp))
                pos += len(t) + 2
                ids.append(cid)
                if vecs is not None:
                    emb_rows.append((cid, noisy.shape[1], noisy[k].tobytes()))
            conn.executemany(
                'INSERT INTO claims (id, document_id, text, lang, start, "end", created_at) VALUES (?,?,?,?,?,?,?)',
                rows,
            )
            store.put_embeddings(identity(), emb_rows)  # joins this transaction
    return ids


def add_tags_and_links(store: Store, rng: random.Random, ids: list[str], n_links: int) -> None:
    stamp = now()
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO tags (claim_id, label, provenance, assigned, score, model, created_at) VALUES (?,?,'model',1,0.9,'bench',?)",
            [(cid, f"D{rng.randint(1, 6)}", stamp) for cid in ids],
        )
        rows: set[tuple[str, str, str]] = set()
        while len(rows) < n_links:
            a, b = rng.sample(ids, 2)
            rows.add((a, b, rng.choice(["SUPPORTS", "COUNTERS"])))
        conn.executemany(
            "INSERT INTO links (source_id, target_id, target_kind, relation, score, provenance, model, created_at) "
            "VALUES (?, ?, 'claim', ?, 0.9, 'model', 'bench', ?)",
            [(a, b, r, stamp) for a, b, r in rows],
        )


def add_stances(store: Store, rng: random.Random, ids: list[str]) -> None:
    """Random machine stances, as random as the tags: in a real store the tag stage has given
    every claim a stance before linking, so the link stage reads them instead of predicting."""
    rows: dict[str, dict[str, object]] = {}
    for cid in ids:
        stance = rng.choice(["affirms", "disputes", "neutral"])
        rest = [s for s in ("affirms", "disputes", "neutral") if s != stance]
        scores = {stance: 0.8, rest[0]: 0.1, rest[1]: 0.1}
        rows[cid] = {"stance": stance, "scores": scores, "model": "bench"}
    store.save_machine_stances(rows)


def _profile(text: str) -> str:
    return encode_text_info(compute_text_info(text))


def fill_profiles(store: Store, workers: int) -> None:
    """Give every stored claim text its saved cue profile, as the link stage of a real ingest
    leaves them (it profiles each new claim); a one-off cost, timed on its own. Then forget
    everything this process computed, so the link runs start as a fresh ingest would."""
    t = time.perf_counter()
    version = profile_version()
    texts = list(dict.fromkeys(store.all_texts().values()))
    computed = 0
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        for i in range(0, len(texts), 20_000):
            chunk = {text_hash(x): x for x in texts[i : i + 20_000]}
            saved = store.cue_profiles(list(chunk), version)
            missing = [(h, x) for h, x in chunk.items() if h not in saved]
            rows = pool.map(_profile, [x for _, x in missing], chunksize=500)
            store.put_cue_profiles(version, zip([h for h, _ in missing], rows, strict=True))
            computed += len(missing)
    dt = time.perf_counter() - t
    if computed:
        print(
            f"cue profiles: {computed:,} of {len(texts):,} stored texts computed and saved in "
            f"{dt:.1f} s ({1000 * dt / computed:.2f} ms a text, {workers} process(es); "
            "one-off: an ingested store has them)"
        )
    else:
        print(f"cue profiles: all {len(texts):,} stored texts have theirs (checked in {dt:.1f} s)")
    forget_text_infos()
    cues._text_cues.cache_clear()


def remove(store: Store, ids: list[str], prefix: str) -> None:
    # The new claims' saved profiles go too: the next run profiles its new claims afresh.
    hashes = [text_hash(x) for x in store.texts(ids).values()]
    with store.transaction() as conn:
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            conn.execute(
                f"DELETE FROM cue_profiles WHERE text_hash IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            conn.execute(
                f"DELETE FROM links WHERE source_id IN ({marks}) OR target_id IN ({marks})",
                chunk + chunk,
            )
            conn.execute(f"DELETE FROM claim_embeddings WHERE claim_id IN ({marks})", chunk)
            conn.execute(f"DELETE FROM stances WHERE claim_id IN ({marks})", chunk)
        conn.execute(
            "DELETE FROM claims WHERE document_id IN (SELECT id FROM documents WHERE path LIKE ?)",
            [f"/bench/{prefix}%"],
        )
        conn.execute("DELETE FROM documents WHERE path LIKE ?", [f"/bench/{prefix}%"])


def recall_at_10(store: Store, ids: list[str]) -> tuple[float, float, float]:
    """Recall@10 of the index's candidates (other documents, no similarity cut) against the
    exact top 10 of the whole store, and ms per claim of each search."""
    model = identity()
    matrix = load_matrix(store)
    row_of = {c: i for i, c in enumerate(matrix.ids)}
    rows = [row_of[c] for c in ids]
    q, docs = matrix.vecs[rows], matrix.doc_ids[rows]
    t = time.perf_counter()
    exact = top_k(q, docs, matrix, 10, -1.0)
    exact_ms = 1000 * (time.perf_counter() - t) / len(ids)
    index = AnnIndex.open(store, model)
    assert index is not None
    t = time.perf_counter()
    found = index.search(q, [int(d) for d in docs], 10, -1.0)
    ann_ms = 1000 * (time.perf_counter() - t) / len(ids)
    hits = sum(
        len({matrix.ids[j] for j, _ in e} & {c for c, _, _ in f})
        for e, f in zip(exact, found, strict=True)
    )
    return hits / (10 * len(ids)), ann_ms, exact_ms


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--new", type=int, nargs="+", default=[1000, 2000, 4000])
    ap.add_argument("--db", default=None, help="where to build the store (default: a temp folder)")
    ap.add_argument("--no-export", action="store_true", help="skip the export figures")
    ap.add_argument(
        "--reuse", action="store_true", help="reuse the store at --db (and its index) if it exists"
    )
    ap.add_argument(
        "--weights", default=None, help="relation weights to link with (default: the shipped ones)"
    )
    ap.add_argument(
        "--link-workers",
        type=int,
        nargs="+",
        default=[1],
        help="link each run with this many processes, in turn (default: 1)",
    )
    ap.add_argument(
        "--fill-workers",
        type=int,
        default=1,
        help="processes that compute the stored claims' missing cue profiles (one-off)",
    )
    args = ap.parse_args()
    if args.weights:
        from emlit.evidence import learn
        from emlit.evidence import model as relation_model

        # The link stage asks learn.model_for_store for the store's model at each run.
        learn.model_for_store = lambda store_path: relation_model.load_model(args.weights)
    rng = random.Random(7)
    np.random.seed(7)
    tmp = tempfile.mkdtemp(prefix="emlit-bench-")
    db = Path(args.db or Path(tmp) / "bench.db")
    reuse = args.reuse and db.exists()
    if not reuse:
        db.unlink(missing_ok=True)
    store = Store(db)
    tpl = templates()
    if reuse:  # a store this script generated before (a million claims take a while)
        print(
            f"reusing the generated store {db}: {store.embedding_counts(identity())[0]:,} vectors"
        )
        if missing := store.claims_without_stance():  # stores generated before stances
            add_stances(store, rng, missing)
            print(f"  gave {len(missing):,} claims a random stance")
    else:
        t = time.perf_counter()
        vecs = get_encoder().encode([x for x, _ in tpl])
        enc = time.perf_counter() - t
        print(
            f"encoder: {len(tpl)} sentences in {enc:.1f} s ({1000 * enc / len(tpl):.2f} ms/claim)"
        )
        t = time.perf_counter()
        per_doc = 50
        ids = add_documents(store, rng, "base", args.claims // per_doc, per_doc, tpl, vecs)
        add_tags_and_links(store, rng, ids, args.claims // 2)
        add_stances(store, rng, ids)
        print(
            f"generated store: {len(ids):,} claims, {args.claims // 2:,} links in {time.perf_counter() - t:.1f} s ({db})"
        )
    fill_profiles(store, args.fill_workers)

    model = identity()
    t = time.perf_counter()
    index = AnnIndex.open(store, model)
    if index is not None:
        size = sum(p.stat().st_size for p in folder_for(str(db), model).glob("base-*"))
        print(
            f"nearest-neighbour index: {len(index):,} vectors {'built' if index.rebuilt else 'opened'} in "
            f"{time.perf_counter() - t:.1f} s ({size / 1e6:.0f} MB, {index.meta.engine})"
        )
    else:
        print("store below the index threshold: exact candidate search")

    print("\nlinking new claims against the store (encoding included):")
    # CPU beside wall time: on a shared machine the load moves wall times by 2x and more.
    print(
        f"  {'new':>6} {'encode+stance s':>15} {'workers':>7} {'link s':>7} {'link ms/claim':>14} "
        f"{'CPU ms/claim':>13} {'links':>7}"
    )
    for n in args.new:
        prefix = f"new{n}-"
        new_ids = add_documents(store, rng, prefix, n // 20, 20, tpl, None)
        t = time.perf_counter()
        ensure_embeddings(store, new_ids)
        # The tag stage's stance (real model), as ingest has it before the link stage runs.
        stance_claims(store, new_ids, lambda k: None)
        enc = time.perf_counter() - t
        for workers in args.link_workers:  # each run replaces the previous run's model links
            t, cpu = time.perf_counter(), time.process_time()
            written = link_claims(store, new_ids, workers=workers)
            dt, cpu = time.perf_counter() - t, time.process_time() - cpu  # this process's CPU
            print(
                f"  {n:>6} {enc:>15.1f} {workers:>7} {dt:>7.1f} {1000 * dt / n:>14.2f} "
                f"{1000 * cpu / n:>13.2f} {written:>7}",
                flush=True,
            )
        if n == args.new[0] and index is not None:
            recall = recall_at_10(store, new_ids[:1000])
        remove(store, new_ids, prefix)
    if index is not None:
        print(
            f"\nrecall@10 of the index against exact search ({min(1000, args.new[0])} new claims):"
        )
        print(
            f"  {recall[0]:.4f}  (search {recall[1]:.2f} ms/claim, exact {recall[2]:.2f} ms/claim)"
        )
    if args.no_export:
        store.close()
        return

    print("\nexport of the whole store:")
    t = time.perf_counter()
    g = build_graph(store)
    print(
        f"  build graph: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges in {time.perf_counter() - t:.1f} s"
    )
    for fmt in ("graphml", "turtle", "jsonld", "json", "html"):
        out = Path(tmp) / f"graph.{fmt}"
        t = time.perf_counter()
        write_graph(g, fmt, out)
        print(f"  {fmt:<8} {time.perf_counter() - t:6.1f} s  {out.stat().st_size / 1e6:7.1f} MB")
    for fmt in ("graphml", "turtle"):
        out = Path(tmp) / f"total.{fmt}"
        t = time.perf_counter()
        write_graph(build_graph(store), fmt, out)
        print(f"  {fmt} end to end (build + write): {time.perf_counter() - t:.1f} s")
    store.close()


if __name__ == "__main__":
    main()
