"""Generate a large emlit database (default 100,000 claims) for the TUI and export benchmarks.

Everything is written through the Store API (its bulk loader: ``bulk_add_documents``,
``bulk_add_machine_tags``, ``bulk_add_model_links``, each an ``executemany`` in one big
transaction per batch of documents), so the schema, FTS index and views are the real ones.
Per claim: one to two assigned definitions and one rejected; one model link per two claims.

    python bench/make_big_db.py --out /tmp/big.db --claims 100000
    python bench/make_big_db.py --out /tmp/big1m.db --claims 1000000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from emlit.models import Block, Claim, ParsedDocument
from emlit.store import DEFINITIONS, BulkDocument, Store

EN_SUBJECTS = [
    "Chain-of-thought reasoning",
    "Few-shot arithmetic",
    "In-context learning",
    "Multi-step reasoning",
    "Word unscrambling",
    "Instruction following",
    "Translation between rare languages",
    "Code synthesis",
    "Theory-of-mind tasks",
    "Three-digit addition",
    "Truthful answering",
]
EN_PREDICATES = [
    "appears only in models above {n}B parameters",
    "jumps sharply and unpredictably at a scale of {n}B parameters",
    "was never an explicit training objective yet shows up at {n}B",
    "is learned from the training data rather than emergent",
    "improves smoothly with scale when measured with a linear metric",
    "is absent in smaller models and present in larger ones",
    "was not in the training set, according to the authors of the {n}B model",
    "may have been seen in pre-training data the developers did not know about",
]
ZH_SUBJECTS = [
    "思维链推理",
    "少样本算术",
    "上下文学习",
    "多步推理",
    "指令遵循",
    "代码生成",
    "心智理论任务",
]
ZH_PREDICATES = [
    "只在超过{n}B参数的模型中出现",
    "在{n}B参数规模时突然且不可预测地跃升",
    "并不是显式的训练目标，却在{n}B规模出现",
    "其实是从训练数据中习得的",
    "在线性度量下随规模平滑提升",
    "在小模型中不存在、但在大模型中出现",
]


def sentence(rng: random.Random, i: int) -> tuple[str, str]:
    n = rng.choice([8, 13, 62, 100, 175, 540])
    if rng.random() < 0.4:
        text = rng.choice(ZH_SUBJECTS) + rng.choice(ZH_PREDICATES).format(n=n) + f"（实验{i}）。"
        return text, "zh"
    text = f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_PREDICATES).format(n=n)} (experiment {i})."
    return text, "en"


def build(out: Path, claims: int, per_doc: int, seed: int) -> None:
    rng = random.Random(seed)
    if out.exists():
        sys.exit(f"{out}: already exists; choose another --out or delete it")
    store = Store(out)
    started = time.perf_counter()
    ids: list[str] = []
    docs = (claims + per_doc - 1) // per_doc
    batch: list[BulkDocument] = []
    for d in range(docs):
        text, blocks, found = "", [], []
        for k in range(min(per_doc, claims - d * per_doc)):
            body, lang = sentence(rng, d * per_doc + k)
            if text:
                text += "\n\n"
            start = len(text)
            text += body
            section = f"Section {k // 10 + 1}"
            blocks.append(Block(start, len(text), "paragraph", section, None))
            found.append(Claim(f"big{d:05d}-{k:03d}", body, lang, start, len(text), section))
        doc = ParsedDocument(
            path=f"doc{d}", format="markdown", text=text, blocks=blocks, title=f"doc {d}"
        )
        name = f"library/doc{d:05d}.md"
        batch.append(BulkDocument(doc, "/big/" + name, name, str(d), found))
        ids.extend(c.id for c in found)
        if len(batch) == 200 or d == docs - 1:
            store.bulk_add_documents(batch)
            batch = []
    print(f"documents: {docs}, claims: {len(ids)} in {time.perf_counter() - started:.1f}s")
    tags = []
    for cid in ids:
        labels = rng.sample(DEFINITIONS, rng.choice([1, 1, 2]))
        tags += [(cid, lab, True, round(rng.uniform(0.5, 1), 2), "bench") for lab in labels]
        other = rng.choice([d for d in DEFINITIONS if d not in labels])
        tags.append((cid, other, False, round(rng.uniform(0, 0.5), 2), None))
        if len(tags) >= 300_000:
            store.bulk_add_machine_tags(tags)
            tags = []
    store.bulk_add_machine_tags(tags)
    links = set()
    for _ in range(len(ids) // 2):
        a, b = rng.sample(ids, 2)
        links.add((a, b, rng.choice(["SUPPORTS", "SUPPORTS", "COUNTERS"])))
    store.bulk_add_model_links((a, b, r, 0.7, None) for a, b, r in links)
    print(f"tags and {len(links)} links done in {time.perf_counter() - started:.1f}s total")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--per-doc", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    build(args.out, args.claims, args.per_doc, args.seed)


if __name__ == "__main__":
    main()
