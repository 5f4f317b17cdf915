"""A simulated reviewer: does `emlit train` learn a new kind of document from 50 corrections?

The kind: Chinese blog posts, forum threads and notes (registers zh-blog, zh-forum and
zh-notes of the v2 train split; the frozen test split is not touched). To make the kind new
to the tagger, the base model is fitted on the bundled training items *without* any item of
that kind. Then, in a fresh store whose documents are the kind's source works:

1. every claim is tagged by the base model (machine rows);
2. the reviewer goes through whole documents in a random order and corrects 50 claims as the
   TUI does: a wrong definition is toggled, then the claim's labels are accepted (human rows);
3. ``emlit.tagging.learn.train`` (what `emlit train` runs) refits on the base items plus the
   store's human decisions and re-tags the store;
4. macro-F1 (D1-D6 and none) on the *rest* of the kind (documents the reviewer never opened)
   before and after, with bootstrap 95% intervals over documents, and of the difference.

Repeated for several reviewer orders (seeds). Human rows are checked to be unchanged by the
re-tag.

    python bench/bench_learning.py [--seeds 3] [--n 50]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from emlit.models import Block, Claim, ParsedDocument
from emlit.store import Store
from emlit.tagging import devset, learn
from emlit.tagging.devset import Item
from emlit.tagging.evaluate import bootstrap, paired_difference, tagger_predict
from emlit.tagging.head import DEFAULT_RECIPE
from emlit.tagging.stage import _rows, result_dict
from emlit.tagging.tagger import Tagger
from emlit.vocab import DEFINITIONS

KIND = ("zh-blog", "zh-forum", "zh-notes")


def build_store(path: Path, kind: list[Item]) -> tuple[Store, dict[str, str]]:
    """One document per source work; claim ids are the item ids. Returns the store and
    item id -> document path."""
    store = Store(path)
    by_work: dict[str, list[Item]] = {}
    for it in kind:
        by_work.setdefault(it.work, []).append(it)
    doc_of = {}
    for k, (work, items) in enumerate(sorted(by_work.items())):
        text, claims, pos = "", [], 0
        for it in items:
            claims.append(
                Claim(id=it.id, text=it.text, lang=it.lang, start=pos, end=pos + len(it.text))
            )
            text += it.text + "\n"
            pos = len(text)
            doc_of[it.id] = f"kind/{k:03d}.md"
        doc = ParsedDocument(
            path=f"kind/{k:03d}.md",
            format="markdown",
            text=text,
            blocks=[Block(0, len(text), "paragraph")],
        )
        store.save_document(
            doc,
            path=f"/kind/{k:03d}.md",
            display_path=f"kind/{k:03d}.md",
            content_hash=work,
            claims=claims,
        )
    return store, doc_of


def review(store: Store, items: list[Item]) -> int:
    """Correct each claim as the TUI does; returns how many labels were wrong."""
    wrong = 0
    for it in items:
        now = set(store.labels_for([it.id])[it.id])
        for lab in DEFINITIONS:
            if (lab in it.labels) != (lab in now):
                store.set_human_tag(it.id, lab, lab in it.labels)  # toggle (1-6)
                wrong += 1
        for lab in it.labels:  # accept (a)
            store.set_human_tag(it.id, lab, True)
    return wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument(
        "--human-weight", type=float, default=None, help="weight of a decision (default: Recipe)"
    )
    args = ap.parse_args()

    train = devset.training_items()
    # The kind is the v2 train split's; items of those registers in the training-only extra
    # set are left out of both sides, so the base model still never saw the kind.
    kind = [it for it in train if it.register in KIND and it.origin == "v2"]
    base = [it for it in train if it.register not in KIND]
    print(
        f"kind: {', '.join(KIND)} of the v2 train split: {len(kind)} claims in "
        f"{len({it.work for it in kind})} works; base model fitted on {len(base)} other items"
    )
    t0 = time.time()
    base_tagger = Tagger(train=base)
    print(f"base model fitted in {time.time() - t0:.0f} s")
    for seed in range(args.seeds):
        works = sorted({it.work for it in kind})
        random.Random(seed).shuffle(works)
        reviewed: list[Item] = []
        opened: set[str] = set()
        for w in works:
            if len(reviewed) >= args.n:
                break
            opened.add(w)
            reviewed += [it for it in kind if it.work == w][: args.n - len(reviewed)]
        rest = [it for it in kind if it.work not in opened]
        with tempfile.TemporaryDirectory() as tmp:
            store, _ = build_store(Path(tmp) / "k.db", kind)
            results = base_tagger.tag([it.text for it in kind], [it.lang for it in kind])
            store.save_machine_tags(
                {
                    it.id: _rows(result_dict(r), base_tagger.model_version)
                    for it, r in zip(kind, results, strict=True)
                }
            )
            wrong = review(store, reviewed)
            human_before = sorted(
                store.conn.execute(
                    "SELECT claim_id, label, assigned FROM tags WHERE provenance = 'human'"
                ).fetchall()
            )
            t1 = time.time()
            recipe = None
            if args.human_weight is not None:
                recipe = dataclasses.replace(DEFAULT_RECIPE, human_weight=args.human_weight)
            rep = learn.train(
                store, base_items=base, before=base_tagger, holdout=0.2, recipe=recipe
            )
            human_after = sorted(
                store.conn.execute(
                    "SELECT claim_id, label, assigned FROM tags WHERE provenance = 'human'"
                ).fetchall()
            )
            assert human_before == human_after, "a re-tag changed a human decision"
            # Every human decision is still in effect (labels the reviewer neither accepted
            # nor toggled stay the machine's, as in the TUI).
            eff = store.labels_for([it.id for it in reviewed])
            for cid, label, assigned in human_after:
                assert (label in eff[cid]) == bool(assigned), (cid, label)
            after_tagger = learn.tagger_for_store(store.path)
            pred_before = tagger_predict(base_tagger)(rest)
            pred_after = tagger_predict(after_tagger)(rest)
            store.close()
        b, _ = bootstrap(rest, pred_before)
        a, _ = bootstrap(rest, pred_after)
        d = paired_difference(rest, pred_before, pred_after)
        print(
            f"seed {seed}: reviewed {len(reviewed)} claims in {len(opened)} documents "
            f"({wrong} wrong labels corrected); rest: {len(rest)} claims in "
            f"{len({it.work for it in rest})} documents; train {time.time() - t1:.0f} s"
        )
        print(
            f"  rest of the kind, macro-F1: before {b}  after {a}  change {d.value:+.3f} "
            f"[{d.lo:+.3f}, {d.hi:+.3f}]"
        )
        if rep.before:
            print(
                f"  emlit train's own held-out report ({rep.n_held} of the 50): before "
                f"{rep.before['macro_f1']:.3f} after {rep.after['macro_f1']:.3f}"
            )


if __name__ == "__main__":
    main()
