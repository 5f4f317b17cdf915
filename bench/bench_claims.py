"""Claim precision and recall on a generated library of two-column papers and notes.

    python bench/bench_claims.py                       # generate 40 papers + 20 notes, measure
    python bench/bench_claims.py --library bench/out/library --papers 100 --notes 40 --seed 7

The library comes from ``bench/make_library.py`` (generated into ``--library`` if it holds no
``gold.jsonl`` yet). It is ingested as a user would (``ingest_paths`` into a fresh store,
``run_stages=False``: reading, segmenting and claim detection only); each stored claim is then
matched to the gold sentences of its document by normalised text overlap (NFKC, lower case,
everything but letters and digits removed, shared 6-character shingles), which is robust to PDF
line breaks, hyphenation and spacing. A stored claim counts as a true claim when most of its
matched text comes from gold claim sentences; otherwise it is a false positive of the kind it
overlaps most (caption, methods, reference, ...), or "unmatched". A gold claim sentence is
recalled when the stored claims of its document cover at least half of its shingles.

Precision and recall are micro-averaged; their 95% intervals are percentile bootstraps over
documents (resampled with replacement). ``--cache FILE`` keeps the parsed documents in a
pickle and measures with ``read_document`` -> ``segment`` -> ``detect_claims`` directly, for
quick iterations on the detector (not for reported figures: delete the cache when a reader
changes).
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

K = 6
COVER = 0.5


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())


def shingles(text: str) -> set[str]:
    n = norm(text)
    if len(n) <= K:
        return {n} if n else set()
    return {n[i : i + K] for i in range(len(n) - K + 1)}


@dataclass
class DocResult:
    doc: str
    lang: str
    kind: str  # paper | note
    stored: int = 0
    true: int = 0
    gold_claims: int = 0
    found: int = 0
    fp: Counter[str] = field(default_factory=Counter)
    fp_examples: list[tuple[str, str]] = field(default_factory=list)
    fn_examples: list[str] = field(default_factory=list)


def score_document(doc: str, lang: str, gold: list[dict[str, Any]], claims: list[str]) -> DocResult:
    res = DocResult(doc, lang, "paper" if doc.endswith(".pdf") else "note")
    gold_sh = [shingles(g["text"]) for g in gold]
    index: dict[str, list[int]] = defaultdict(list)
    for i, sh in enumerate(gold_sh):
        for s in sh:
            index[s].append(i)
    covered: set[str] = set()
    for text in claims:
        sh = shingles(text)
        covered |= sh
        by_kind: Counter[str] = Counter()
        for s in sh:
            kinds = {gold[i]["kind"] for i in index.get(s, ())}
            for k in kinds:
                by_kind[k] += 1
        res.stored += 1
        if not sh or not by_kind or max(by_kind.values()) < 0.3 * len(sh):
            kind = "unmatched"
        else:
            kind = by_kind.most_common(1)[0][0]
            if by_kind["claim"] >= 0.5 * len(sh):
                kind = "claim"
        if kind == "claim":
            res.true += 1
        else:
            res.fp[kind] += 1
            res.fp_examples.append((kind, text))
    for g, sh in zip(gold, gold_sh, strict=True):
        if g["kind"] != "claim":
            continue
        res.gold_claims += 1
        if sh and len(sh & covered) >= COVER * len(sh):
            res.found += 1
        else:
            res.fn_examples.append(g["text"])
    return res


def bootstrap(results: list[DocResult], reps: int, seed: int = 0) -> dict[str, tuple[float, float]]:
    rng = random.Random(seed)
    precisions, recalls = [], []
    n = len(results)
    for _ in range(reps):
        sample = [results[rng.randrange(n)] for _ in range(n)]
        stored = sum(r.stored for r in sample)
        gold = sum(r.gold_claims for r in sample)
        precisions.append(sum(r.true for r in sample) / stored if stored else 1.0)
        recalls.append(sum(r.found for r in sample) / gold if gold else 1.0)

    def ci(xs: list[float]) -> tuple[float, float]:
        xs = sorted(xs)
        return xs[int(0.025 * len(xs))], xs[min(len(xs) - 1, int(0.975 * len(xs)))]

    return {"precision": ci(precisions), "recall": ci(recalls)}


def summary(results: list[DocResult]) -> tuple[float, float, int, int]:
    stored = sum(r.stored for r in results)
    gold = sum(r.gold_claims for r in results)
    p = sum(r.true for r in results) / stored if stored else 1.0
    r = sum(r.found for r in results) / gold if gold else 1.0
    return p, r, stored, gold


def claims_via_ingest(library: Path, db: Path | None) -> tuple[dict[str, list[str]], float, int]:
    """Ingest the library into a fresh store (detection only) and read the claims back.

    With ``db`` the store is kept there; an existing ``db`` is read back without ingesting."""
    from emlit.ingest import ingest_paths
    from emlit.segment import warm_up
    from emlit.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        path = db or Path(tmp) / "bench.db"
        seconds, found = 0.0, -1
        reuse = db is not None and db.exists()
        store = Store(path)
        if not reuse:
            warm_up()
            t0 = time.perf_counter()
            report = ingest_paths(store, [library / "papers", library / "notes"], run_stages=False)
            seconds = time.perf_counter() - t0
            found = report.claims_found
            if report.failed:
                print("failed:", report.failed, file=sys.stderr)
        out: dict[str, list[str]] = {}
        for row in store.documents():
            doc = store.document(row["id"])
            assert doc is not None
            rel = "/".join(Path(row["display_path"]).parts[-2:])
            out[rel] = [
                doc["text"][c["start"] : c["end"]] for c in store.document_claims(row["id"])
            ]
        store.close()
    return out, seconds, found if found >= 0 else sum(len(v) for v in out.values())


def claims_direct(library: Path, cache: Path) -> tuple[dict[str, list[str]], float, int]:
    """read_document -> segment -> detect_claims, with parsed documents cached (dev loop)."""
    from emlit.claims import detect_claims
    from emlit.readers import read_document
    from emlit.segment import segment, warm_up

    warm_up()
    parsed: dict[str, Any] = pickle.loads(cache.read_bytes()) if cache.exists() else {}
    files = sorted([*library.glob("papers/*.pdf"), *library.glob("notes/*.md")])
    changed = False
    for path in files:
        rel = path.relative_to(library).as_posix()
        if rel not in parsed:
            parsed[rel] = read_document(path)
            changed = True
    if changed:
        cache.write_bytes(pickle.dumps(parsed))
    t0 = time.perf_counter()
    out: dict[str, list[str]] = {}
    total = 0
    for rel, docs in parsed.items():
        texts: list[str] = []
        for doc in docs:
            texts += [c.text for c in detect_claims(rel, segment(doc.text, doc.blocks))]
        out[rel] = texts
        total += len(texts)
    return out, time.perf_counter() - t0, total


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--library", type=Path, default=Path("bench/out/library"))
    ap.add_argument("--papers", type=int, default=40)
    ap.add_argument("--notes", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument("--show", type=int, default=0, help="print N false positives and misses")
    ap.add_argument("--cache", type=Path, help="parsed-document cache (dev loop, see above)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--db", type=Path, help="keep the store here (an existing one is reused)")
    args = ap.parse_args(argv)

    library: Path = args.library
    if not (library / "gold.jsonl").exists():
        import make_library

        t0 = time.perf_counter()
        meta = make_library.build(library, args.papers, args.notes, args.seed)
        print(
            f"generated {args.papers} papers ({meta['pages']} pages) and {args.notes} notes "
            f"in {time.perf_counter() - t0:.1f} s -> {library}"
        )
    meta = json.loads((library / "library.json").read_text(encoding="utf-8"))
    langs = {d["doc"]: d["lang"] for d in meta["documents"]}
    gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in (library / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold[row["doc"]].append(row)

    if args.cache:
        claims, seconds, total = claims_direct(library, args.cache)
        how = "direct (cached parse)"
    else:
        claims, seconds, total = claims_via_ingest(library, args.db)
        how = "ingest_paths(run_stages=False)" if seconds else f"store {args.db} (reused)"
    results = [
        score_document(doc, langs[doc], gold[doc], claims.get(doc, [])) for doc in sorted(gold)
    ]
    p, r, stored, ngold = summary(results)
    ci = bootstrap(results, args.boot)
    print(
        f"library: {library} (seed {meta['seed']}): {meta['papers']} papers, {meta['pages']} "
        f"pages, {meta['notes']} notes; {how} in {seconds:.1f} s, {total} claims stored"
    )
    print(
        f"claim precision {p:.3f} [{ci['precision'][0]:.3f}, {ci['precision'][1]:.3f}]  "
        f"recall {r:.3f} [{ci['recall'][0]:.3f}, {ci['recall'][1]:.3f}]  "
        f"(stored {stored}, gold claim sentences {ngold}; 95% bootstrap over "
        f"{len(results)} documents, {args.boot} resamples)"
    )
    figures: dict[str, Any] = {
        "precision": p,
        "recall": r,
        "ci": ci,
        "stored": stored,
        "gold_claims": ngold,
        "groups": {},
    }
    for name, pick in [
        ("papers en", lambda x: x.kind == "paper" and x.lang == "en"),
        ("papers zh", lambda x: x.kind == "paper" and x.lang == "zh"),
        ("notes en", lambda x: x.kind == "note" and x.lang == "en"),
        ("notes zh", lambda x: x.kind == "note" and x.lang == "zh"),
    ]:
        group = [x for x in results if pick(x)]
        if not group:
            continue
        gp, gr, gs, gg = summary(group)
        figures["groups"][name] = {"precision": gp, "recall": gr, "stored": gs, "gold": gg}
        print(
            f"  {name:10s} ({len(group):3d} docs): precision {gp:.3f}  recall {gr:.3f}  "
            f"(stored {gs}, gold {gg})"
        )
    fp: Counter[str] = Counter()
    for x in results:
        fp.update(x.fp)
    total_fp = sum(fp.values())
    print(
        f"false positives by kind ({total_fp}): "
        + (", ".join(f"{k} {v}" for k, v in fp.most_common()) or "none")
    )
    figures["false_positives"] = dict(fp)
    if args.show:
        rng = random.Random(1)
        fps = [(x.doc, k, t) for x in results for k, t in x.fp_examples]
        fns = [(x.doc, t) for x in results for t in x.fn_examples]
        print(f"\n-- {min(args.show, len(fps))} of {len(fps)} false positives")
        for doc, k, t in sorted(rng.sample(fps, min(args.show, len(fps)))):
            print(f"[{k}] {doc}: {t[:300]}")
        print(f"\n-- {min(args.show, len(fns))} of {len(fns)} missed claim sentences")
        for doc, t in sorted(rng.sample(fns, min(args.show, len(fns)))):
            print(f"{doc}: {t[:300]}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
