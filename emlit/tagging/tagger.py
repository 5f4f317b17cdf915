"""The definition tagger: text in, D1-D6 labels with calibrated scores and explanations out."""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from emlit.encoder import Encoder, get_encoder, identity
from emlit.lang import detect_lang
from emlit.tagging import devset
from emlit.tagging.cues import CueHit, match_cues
from emlit.tagging.features import cue_matrix, knn_votes, make_vectorizer, stack
from emlit.tagging.head import DEFAULT_RECIPE, Head, Recipe, fit_head
from emlit.tagging.lexicon import lexicon_path
from emlit.tagging.textprep import MAX_CHARS, clean_text, fold_script
from emlit.vocab import DEFINITIONS

# The model version (stored with every tag and keying both caches) names this, a hash of
# the modules below and the cue lexicon, the encoder and a hash of the training data.
CODE_VERSION = "6"
_MODEL_MODULES = (  # paths under emlit/
    "tagging/tagger.py",
    "tagging/head.py",
    "tagging/features.py",
    "tagging/lexicon.py",
    "tagging/cues.py",
    "tagging/textprep.py",
    "encoder.py",
)
NEAREST = 3
# Vectors of training texts by model version, so refitting in one process (cross-validation,
# `emlit train`) encodes them once; texts being tagged are not kept.
_TRAIN_VECTORS: dict[str, dict[str, np.ndarray]] = {}


def model_version(encoder: str | None = None) -> str:
    """Names the tagger's behaviour: code, encoder identity (model and settings) and
    training data. Cheap: loads nothing."""
    ident = identity(encoder)
    return f"emlit-tagger/{CODE_VERSION}.{_code_hash()}+{ident}+{devset.data_hash()[:8]}"


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """A hash of the modules that decide the tags, so editing them invalidates the caches."""
    here = Path(__file__).parents[1]
    h = hashlib.sha256()
    for module in _MODEL_MODULES:
        h.update((here / module).read_bytes())
    h.update(lexicon_path().read_bytes())  # the cue data (corpus/lexicon/definition_cues.yaml)
    return h.hexdigest()[:6]


def cache_dir() -> Path:
    base = os.environ.get("EMLIT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "emlit"
    )
    return Path(base)


@dataclass
class TagResult:
    labels: list[str]
    scores: dict[str, float]
    lang: str
    explain: dict[str, Any] = field(default_factory=dict)


@dataclass
class Prepared:
    text: str
    lang: str
    embedded: bool
    truncated: bool
    hits: list[CueHit]


class Tagger:
    """Load (or fit and cache) the heads once; then tag batches of texts."""

    def __init__(
        self,
        encoder: Encoder | None = None,
        *,
        disk_cache: bool = True,
        train: list[devset.Item] | None = None,
        recipe: Recipe | None = None,
        head: Head | None = None,
        version: str | None = None,
    ) -> None:
        """``train`` replaces the bundled training items (cross-validation, or the bundled
        items plus a researcher's decisions); not cached. ``head`` and ``version``: a model
        fitted before (``emlit train``)."""
        self.encoder = encoder or get_encoder()
        self.recipe = recipe or DEFAULT_RECIPE
        self.model_version = version or model_version(self.encoder.name)
        if head is not None:
            self.head = head
            self.recipe = head.recipe
        elif train is not None:
            self.head = self._fit(train)
        else:
            self.head = self._load_or_fit(disk_cache)

    # -- fitting --------------------------------------------------------------------

    def _load_or_fit(self, disk_cache: bool) -> Head:
        key = hashlib.sha256(
            f"{self.model_version}|{self.encoder.name}|{self.encoder.reads_chinese}".encode()
        ).hexdigest()[:20]
        path = cache_dir() / f"tagger-head-{key}.pkl"
        if disk_cache and path.exists():
            try:
                with path.open("rb") as fh:
                    head: Head = pickle.load(fh)
                return head
            except Exception:  # a stale or broken cache file is refitted, not fatal
                pass
        head = self._fit()
        if disk_cache:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with tmp.open("wb") as fh:
                pickle.dump(head, fh)
            tmp.replace(path)
        return head

    def _fit(self, items: list[devset.Item] | None = None) -> Head:
        items = items if items is not None else devset.training_items()
        prepared = self.prepare([it.text for it in items], [it.lang for it in items])
        vectorizer = make_vectorizer().fit([p.text for p in prepared])
        emb = self._embed(prepared)
        self._remember(prepared, emb)
        ngrams = vectorizer.transform([p.text for p in prepared])
        labels = [it.labels for it in items]
        works = [it.work or it.source for it in items]
        votes = None
        if self.recipe.knn_weight:
            votes = knn_votes(emb, emb, labels, self.recipe.knn_k, works, works)
        x = self._features(prepared, ngrams, emb, votes)
        weights = np.array([self._weight(it) for it in items])
        models, platt, thresholds = fit_head(
            x,
            labels,
            [p.lang for p in prepared],
            works,
            weights,
            self.recipe,
        )
        return Head(
            vectorizer=vectorizer,
            models=models,
            platt=platt,
            thresholds=thresholds,
            recipe=self.recipe,
            train_ids=[it.id for it in items],
            train_labels=labels,
            train_texts=[it.text for it in items],
            train_ngrams=ngrams,
            train_emb=emb,
        )

    def _weight(self, item: devset.Item) -> float:
        if item.origin == "human":
            return self.recipe.human_weight
        return self.recipe.v1_weight if item.origin in ("v1", "definitions") else 1.0

    def _features(
        self, prepared: list[Prepared], ngrams: Any, emb: np.ndarray, votes: Any = None
    ) -> Any:
        r = self.recipe
        if r.knn_weight and votes is None:
            votes = knn_votes(emb, self.head.train_emb, self.head.train_labels, r.knn_k)
        return stack(
            cue_matrix([p.hits for p in prepared], r.cue_weight) if r.cue_weight else None,
            ngrams if r.ngrams else None,
            emb if r.emb_weight else None,
            r.emb_weight,
            votes * r.knn_weight if r.knn_weight else None,
        )

    # -- tagging --------------------------------------------------------------------

    def prepare(self, texts: list[str], langs: list[str | None]) -> list[Prepared]:
        out = []
        for text, lang in zip(texts, langs, strict=True):
            cleaned = clean_text(text)
            lang = lang or detect_lang(cleaned)
            if lang == "zh":
                cleaned = fold_script(cleaned)
            embedded = bool(cleaned) and (lang != "zh" or self.encoder.reads_chinese)
            truncated = len(" ".join(text.split())) > MAX_CHARS
            out.append(Prepared(cleaned, lang, embedded, truncated, match_cues(cleaned)))
        return out

    def _embed(self, prepared: list[Prepared]) -> np.ndarray:
        emb = np.zeros((len(prepared), self.encoder.dim), dtype=np.float32)
        # Each distinct text is encoded once (claims repeat across notes and re-runs), and
        # the training items once per process (cross-validation and `emlit train` refit).
        memo = _TRAIN_VECTORS.setdefault(self.model_version, {})
        distinct = sorted({p.text for p in prepared if p.embedded and p.text not in memo})
        vectors = (
            dict(zip(distinct, self.encoder.encode(distinct), strict=True)) if distinct else {}
        )
        for i, p in enumerate(prepared):
            if p.embedded:
                emb[i] = memo[p.text] if p.text in memo else vectors[p.text]
        return emb

    def _remember(self, prepared: list[Prepared], emb: np.ndarray) -> None:
        memo = _TRAIN_VECTORS.setdefault(self.model_version, {})
        for p, v in zip(prepared, emb, strict=True):
            if p.embedded:
                memo[p.text] = v

    def tag(self, texts: list[str], langs: list[str | None] | None = None) -> list[TagResult]:
        """Tag a batch. ``langs`` items may be None (detected). Empty texts get no labels."""
        prepared = self.prepare(texts, langs or [None] * len(texts))
        if not prepared:
            return []
        emb = self._embed(prepared) if self.recipe.emb_weight else self._no_emb(prepared)
        ngrams = self.head.vectorizer.transform([p.text for p in prepared])
        x = self._features(prepared, ngrams, emb)
        text_langs = [p.lang for p in prepared]
        scores = self.head.scores(x, text_langs)
        decided = self.head.decide(scores, text_langs)
        sims = self._similarities(prepared, ngrams, emb)
        results = []
        for i, p in enumerate(prepared):
            row = {lab: round(float(scores[lab][i]), 4) for lab in DEFINITIONS}
            labels = decided[i]
            explain = self._explain(p, row, labels, sims[i])
            if "any" in scores:
                explain["uses_some_sense"] = round(float(scores["any"][i]), 4)
            if not p.text:  # nothing left after stripping markup: no evidence for any sense
                row, labels = dict.fromkeys(DEFINITIONS, 0.0), []
                explain["note"] = "no text left after stripping markup"
            results.append(TagResult(labels, row, p.lang, explain))
        return results

    def _no_emb(self, prepared: list[Prepared]) -> np.ndarray:
        for p in prepared:
            p.embedded = False
        return np.zeros((len(prepared), self.encoder.dim), dtype=np.float32)

    def _similarities(self, prepared: list[Prepared], ngrams: Any, emb: np.ndarray) -> np.ndarray:
        # Embedding cosine where both sides were encoded; character n-gram cosine otherwise.
        by_ngram = (ngrams @ self.head.train_ngrams.T).toarray()
        by_emb = emb @ self.head.train_emb.T
        use_emb = (
            np.array([p.embedded for p in prepared])[:, None]
            & (np.abs(self.head.train_emb).sum(axis=1) > 0)[None, :]
        )
        return np.where(use_emb, by_emb, by_ngram)

    def _explain(
        self, p: Prepared, row: dict[str, float], labels: list[str], sims: np.ndarray
    ) -> dict[str, Any]:
        order = np.argsort(-sims)[:NEAREST]
        nearest = [
            {
                "id": self.head.train_ids[j],
                "text": self.head.train_texts[j],
                "labels": list(self.head.train_labels[j]),
                "similarity": round(float(sims[j]), 3),
            }
            for j in order
        ]
        cues: dict[str, list[str]] = {}
        for h in p.hits:
            cues.setdefault(h.group, [])
            if h.text not in cues[h.group]:
                cues[h.group].append(h.text)
        out: dict[str, Any] = {
            "lang": p.lang,
            "encoder": self.encoder.name if p.embedded else None,
            "similarity_space": "embedding" if p.embedded else "char-ngram",
            "cues": cues,
            "nearest": nearest,
            "thresholds": self.head.thresholds_for(p.lang),
        }
        if p.truncated:
            out["note"] = f"text longer than {MAX_CHARS} characters: tagged from its beginning"
        if p.lang not in ("en", "zh"):
            out["note"] = f"language {p.lang!r} is not English or Chinese: scores are unreliable"
        return out
