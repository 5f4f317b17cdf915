"""The stance model: a claim's stance toward emergence (contract 9), with calibrated scores
and an explanation.

A multinomial logistic regression over the sentence embedding of the claim (the process's one
encoder, ``emlit.encoder.get_encoder``), its character n-grams and the counts of the stance cues
(``corpus/lexicon/stance_cues.yaml``: mirage, metric artefact, "just in-context learning",
"in the data", predictable, 海市蜃楼, 并非, 只是, 可预测, ...; sudden, unlock, never trained,
...; defined as, whether, 是否, ...). Its logits are divided by a temperature fitted on
out-of-fold predictions, so the three scores are calibrated probabilities that sum to 1, and
shifted by the class prior of real writing (estimated without labels on the seed documents'
claims; the training rows are weighted to balanced classes, real text is not balanced).

The weights ship in ``stance_weights.json`` (``python -m emlit.stance.train`` writes them, with
a hash of the training rows and of the cue data; tests/test_stance_weights.py ties them
together). They hold for the encoder they were fitted with; with another encoder the model is
fitted once from the same training rows and kept in the user's cache folder.

The explanation names the cue that pushed hardest toward the stance chosen, every cue that
fired, and the nearest labelled training examples (cosine of the character n-grams).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from emlit.stance.cues import StanceCue, find_cues, stance_cues_path, stance_lexicon
from emlit.stance.data import StanceItem, extra_items_paths, items_path, load_items, rows_hash
from emlit.vocab import STANCES

if TYPE_CHECKING:
    import numpy as np

    from emlit.encoder import Encoder

WEIGHTS_PATH = Path(__file__).with_name("stance_weights.json")
CODE_VERSION = "2"
_MODEL_FILES = ("model.py", "cues.py", "data.py")  # under emlit/stance/
CUE_CAP = 2  # a cue group counts at most twice
CUE_WEIGHT = 1.0  # feature scales (the regularisation sees them); chosen by grouped CV
EMB_WEIGHT = 1.5
NGRAM_WEIGHT = 1.5
# Character 1-3-grams (both scripts; Chinese words are 1-3 characters), the most frequent
# NGRAMS of the training texts, TF-IDF weighted; their vocabulary ships with the weights.
NGRAMS = 3000
NGRAM_RANGE = (1, 3)
NEAREST = 3


@dataclass
class StanceResult:
    stance: str
    scores: dict[str, float]  # affirms, disputes, neutral: probabilities summing to 1
    explain: dict[str, Any] = field(default_factory=dict)


@dataclass
class Weights:
    """A fitted stance model: what stance_weights.json holds."""

    classes: list[str]
    coef: Any  # classes x features
    intercept: Any
    temperature: float
    encoder: str  # identity of the encoder the embedding weights belong to
    cue_groups: list[str]
    vocabulary: list[str] = field(default_factory=list)  # character n-grams, column order
    idf: list[float] = field(default_factory=list)
    cue_weight: float = CUE_WEIGHT
    emb_weight: float = EMB_WEIGHT
    ngram_weight: float = NGRAM_WEIGHT
    # log(prior of real writing) - log(balanced prior), added to the calibrated logits: the
    # model is fitted on class-balanced weights, real text has fewer disputes (train.py, "prior")
    prior_bias: Any = None
    meta: dict[str, Any] = field(default_factory=dict)
    _vectorizer: Any = None

    @property
    def vectorizer(self) -> Any:
        """The TF-IDF transform of the shipped vocabulary (no refit)."""
        if self._vectorizer is None:
            self._vectorizer = ngram_vectorizer(self.vocabulary, self.idf)
        return self._vectorizer

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Weights:
        import numpy as np

        return cls(
            classes=list(data["classes"]),
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=np.asarray(data["intercept"], dtype=np.float64),
            temperature=float(data["temperature"]),
            encoder=str(data["encoder"]),
            cue_groups=list(data["cue_groups"]),
            vocabulary=list(data["ngrams"]["vocabulary"]),
            idf=[float(v) for v in data["ngrams"]["idf"]],
            cue_weight=float(data["cue_weight"]),
            emb_weight=float(data["emb_weight"]),
            ngram_weight=float(data["ngram_weight"]),
            prior_bias=np.asarray(data.get("prior_bias") or [0.0] * len(data["classes"]), float),
            meta=data,
        )


# -- identity ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """The modules, the cue data and the shipped weights: editing any changes the version."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in _MODEL_FILES:
        h.update((here / name).read_bytes())
    h.update(stance_cues_path().read_bytes())
    if WEIGHTS_PATH.exists():
        h.update(WEIGHTS_PATH.read_bytes())
    return h.hexdigest()[:6]


@lru_cache(maxsize=1)
def _train_hash() -> str:
    return rows_hash(training_items())[:8] if items_path().exists() else "none"


def stance_version(encoder: str | None = None) -> str:
    """Names the stance model's behaviour: code, cues and weights, encoder identity, training
    rows. Stored with every machine stance; cheap (loads no model)."""
    from emlit.encoder import identity

    return f"emlit-stance/{CODE_VERSION}.{_code_hash()}+{identity(encoder)}+{_train_hash()}"


def training_parts() -> tuple[list[StanceItem], list[StanceItem]]:
    """The train split of the v2 items (never the test split) and the stance-only extra train
    items; cross-validation is reported on the first, so figures stay comparable."""
    extra = [
        item
        for path in extra_items_paths()
        if path.exists()
        for item in load_items(path, split="train")
    ]
    return load_items(split="train"), extra


def training_items() -> list[StanceItem]:
    """What the model learns from: the devset's train split, then the extra train items."""
    dev, extra = training_parts()
    return dev + extra


# -- features ---------------------------------------------------------------------------------


def prepare(texts: list[str], langs: list[str | None]) -> tuple[list[str], list[str]]:
    """Texts as the model reads them (markup stripped) and their languages."""
    from emlit.lang import detect_lang
    from emlit.tagging.textprep import clean_text

    cleaned = [clean_text(t) for t in texts]
    return cleaned, [lang or detect_lang(c) for c, lang in zip(cleaned, langs, strict=True)]


def cue_rows(texts: list[str], langs: list[str]) -> tuple[np.ndarray, list[list[StanceCue]]]:
    import numpy as np

    lex = stance_lexicon()
    index = {name: j for j, name in enumerate(lex.names)}
    counts = np.zeros((len(texts), len(index)), dtype=np.float64)
    hits = []
    for i, (text, lang) in enumerate(zip(texts, langs, strict=True)):
        found = find_cues(text, lang, lex)
        for cue in found:
            counts[i, index[cue.group]] += 1
        hits.append(found)
    return np.minimum(counts, CUE_CAP), hits


def embed(encoder: Encoder, texts: list[str], langs: list[str]) -> np.ndarray:
    """Unit embeddings; a zero row where the encoder cannot read the text (Chinese for an
    English-only encoder) or there is no text."""
    import numpy as np

    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    use = [
        i
        for i, (t, lang) in enumerate(zip(texts, langs, strict=True))
        if t and (lang != "zh" or encoder.reads_chinese)
    ]
    if use:
        distinct = sorted({texts[i] for i in use})
        vectors = dict(zip(distinct, encoder.encode(distinct), strict=True))
        for i in use:
            out[i] = vectors[texts[i]]
    return out


def ngram_vectorizer(vocabulary: list[str] | None = None, idf: list[float] | None = None) -> Any:
    """Character n-gram TF-IDF: unfitted (to fit on the training texts), or the shipped one."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if vocabulary is None:
        return TfidfVectorizer(
            analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True, max_features=NGRAMS
        )
    import numpy as np

    vec = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        sublinear_tf=True,
        vocabulary={t: i for i, t in enumerate(vocabulary)},
    )
    vec.idf_ = np.asarray(idf, dtype=np.float64)
    return vec


def features(
    cues: np.ndarray,
    langs: list[str],
    emb: np.ndarray,
    ngrams: Any,
    weights: tuple[float, float, float] = (CUE_WEIGHT, EMB_WEIGHT, NGRAM_WEIGHT),
) -> np.ndarray:
    """One row per text: Chinese or not, the cue counts, the embedding, the n-grams."""
    import numpy as np

    zh = np.array([[1.0 if lang == "zh" else 0.0] for lang in langs]).reshape(len(langs), 1)
    cue_w, emb_w, ngram_w = weights
    dense = ngrams.toarray() if hasattr(ngrams, "toarray") else np.asarray(ngrams)
    return np.hstack([zh, cues * cue_w, emb.astype(np.float64) * emb_w, dense * ngram_w])


def softmax(z: np.ndarray) -> np.ndarray:
    import numpy as np

    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


# -- the model --------------------------------------------------------------------------------


class StanceModel:
    """Load the weights for the process's encoder once; then predict batches of texts."""

    def __init__(self, encoder: Encoder | None = None, weights: Weights | None = None) -> None:
        from emlit.encoder import get_encoder

        self.encoder = encoder or get_encoder()
        self.version = stance_version(self.encoder.name)
        self.weights = weights or load_weights(self.encoder)
        self._neighbours: Any = None

    def predict(
        self, texts: list[str], langs: list[str | None] | None = None, *, prior: bool = True
    ) -> list[StanceResult]:
        """One result per text; ``langs`` items may be None (detected). ``prior=False`` scores
        without the real-writing prior (for the reports on the balanced test split)."""
        if not texts:
            return []
        cleaned, langs_ = prepare(list(texts), list(langs or [None] * len(texts)))
        cues, hits = cue_rows(cleaned, langs_)
        emb = embed(self.encoder, cleaned, langs_)
        w = self.weights
        ngrams = w.vectorizer.transform(cleaned)
        x = features(cues, langs_, emb, ngrams, (w.cue_weight, w.emb_weight, w.ngram_weight))
        probs = softmax(self.logits(x, prior=prior))
        nearest = self.nearest(ngrams)
        out = []
        for i, text in enumerate(cleaned):
            row = {c: round(float(probs[i, k]), 4) for k, c in enumerate(w.classes)}
            scores = {s: row[s] for s in STANCES}
            stance = max(STANCES, key=lambda s: scores[s])
            explain: dict[str, Any] = {
                "model": self.version,
                "lang": langs_[i],
                "cue": self._deciding_cue(x[i], hits[i], stance),
                "cues": _cue_list(hits[i]),
                "nearest": nearest[i],
                "embedded": bool(emb[i].any()),
            }
            if not text:
                stance, scores = "neutral", {"affirms": 0.0, "disputes": 0.0, "neutral": 1.0}
                explain["note"] = "no text left after stripping markup"
            out.append(StanceResult(stance, scores, explain))
        return out

    def logits(self, x: np.ndarray, *, prior: bool = True) -> np.ndarray:
        """Calibrated logits of feature rows; with the real-writing prior unless told not to."""
        w = self.weights
        z = (x @ w.coef.T + w.intercept) / w.temperature
        if prior and w.prior_bias is not None:
            z = z + w.prior_bias
        out: np.ndarray = z
        return out

    def _deciding_cue(self, x: np.ndarray, hits: list[StanceCue], stance: str) -> str | None:
        """The matched words of the cue group that pushed hardest toward ``stance``."""
        w = self.weights
        k = w.classes.index(stance)
        best, best_push = None, 0.0
        for j, group in enumerate(w.cue_groups, start=1):  # column 0 is the language
            if not x[j]:
                continue
            push = float((w.coef[k, j] - w.coef[:, j].mean()) * x[j])
            if push > best_push:
                words = [c.text for c in hits if c.group == group]
                best, best_push = (f"{words[0]} ({group})" if words else group), push
        return best

    def nearest(self, ngrams: Any) -> list[list[dict[str, Any]]]:
        """The most similar labelled training examples of each text (n-gram cosine)."""
        matrix, items = self._neighbour_index()
        sims = (ngrams @ matrix.T).toarray()
        out = []
        for row in sims:
            order = row.argsort()[::-1][:NEAREST]
            out.append(
                [
                    {
                        "id": items[j].id,
                        "text": items[j].text,
                        "stance": items[j].stance,
                        "similarity": round(float(row[j]), 3),
                    }
                    for j in order
                    if row[j] > 0
                ]
            )
        return out

    def _neighbour_index(self) -> tuple[Any, list[StanceItem]]:
        if self._neighbours is None:
            items = training_items()
            cleaned, _ = prepare([it.text for it in items], [it.lang for it in items])
            self._neighbours = (self.weights.vectorizer.transform(cleaned), items)
        matrix, items = self._neighbours
        return matrix, items


def _cue_list(hits: list[StanceCue]) -> list[dict[str, str]]:
    seen: set[tuple[str, str]] = set()
    out = []
    for c in hits:
        if (c.group, c.text.lower()) not in seen:
            seen.add((c.group, c.text.lower()))
            out.append({"group": c.group, "points": c.points, "text": c.text})
    return out


# -- weights ----------------------------------------------------------------------------------


def shipped_weights() -> dict[str, Any]:
    """stance_weights.json: the training rows' and cues' hashes, and one fitted model per
    encoder it was trained for (the two bundled ones)."""
    data: dict[str, Any] = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    return data


def load_weights(encoder: Encoder) -> Weights:
    """The shipped weights when they fit this encoder and the current cues; otherwise weights
    fitted once from the same training rows for this encoder, kept in the cache folder."""
    lex = stance_lexicon()
    if WEIGHTS_PATH.exists():
        data = shipped_weights()
        if (
            data.get("stance_cues_sha256") == lex.digest
            and data.get("train_rows_sha256", "")[:8] == _train_hash()
        ):
            for entry in data.get("models", []):
                if entry.get("encoder") == encoder.identity:
                    return Weights.from_json(entry)
    from emlit.tagging.tagger import cache_dir

    key = hashlib.sha256(
        f"{stance_version(encoder.name)}|{encoder.reads_chinese}".encode()
    ).hexdigest()[:20]
    path = cache_dir() / f"stance-weights-{key}.json"
    with _fit_lock:
        if path.exists():
            try:
                return Weights.from_json(json.loads(path.read_text(encoding="utf-8")))
            except (ValueError, KeyError):
                pass  # a broken cache file is refitted
        from emlit.stance.train import fit

        entry = fit(encoder)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(entry) + "\n", encoding="utf-8")
        tmp.replace(path)
    return Weights.from_json(entry)


_fit_lock = threading.Lock()
_MODELS: dict[str, StanceModel] = {}


def get_stance_model(encoder: str | None = None) -> StanceModel:
    """One stance model per encoder identity, on the process's shared encoder."""
    from emlit.encoder import get_encoder

    enc = get_encoder(encoder)
    with _fit_lock:
        model = _MODELS.get(enc.identity)
    if model is None:
        model = StanceModel(enc)
        with _fit_lock:
            model = _MODELS.setdefault(enc.identity, model)
    return model
