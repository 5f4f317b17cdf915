"""What one text brings to pair features and candidate ranking (its ``TextInfo``): the relation
cues it matches, its content words, whether it is Chinese.

``text_info`` is a pure function of the text, of this module and emlit/evidence/cues.py, and
of the relation lexicon (corpus/lexicon/relation_cues.yaml). It costs about a millisecond a
text (dozens of regular expressions), and linking a new claim needs it for every candidate:
every stored text is distinct, so an in-process memo alone misses, and the cost per claim grew
with the store (issue 11). So the link stage keeps each text's info in the store too (table
``cue_profiles``, by text hash, read in bulk for a block of candidates; emlit.evidence.stage),
under ``profile_version()``, a hash of the two modules and the lexicon: a row computed under
another version is never read, and is replaced when the text is next profiled.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from emlit.evidence import cues as cues_module
from emlit.evidence.cues import TextCues, relation_lexicon, text_cues

_WORD = re.compile(r"[a-z][a-z\-]{2,}")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "that",
        "this",
        "with",
        "are",
        "was",
        "were",
        "from",
        "has",
        "have",
        "had",
        "its",
        "their",
        "they",
        "them",
        "than",
        "then",
        "into",
        "only",
        "also",
        "can",
        "not",
        "but",
        "yet",
        "such",
        "which",
        "when",
        "what",
        "who",
        "more",
        "most",
        "some",
        "any",
        "all",
        "been",
        "being",
        "does",
        "did",
        "our",
        "out",
        "one",
        "two",
        "per",
    ]
)


@dataclass(frozen=True)
class TextInfo:
    """Everything about one text that pair features need (besides its embedding)."""

    cues: TextCues
    terms: frozenset[str]
    zh: bool


def compute_text_info(text: str) -> TextInfo:
    """The info of one text, from its words and the relation lexicon in use."""
    low = text.lower()
    terms = {w for w in _WORD.findall(low) if w not in _STOP}
    zh = False
    for run in _CJK_RUN.findall(text):
        zh = zh or len(run) >= 2
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    return TextInfo(cues=text_cues(text), terms=frozenset(terms), zh=zh)


# The per-process memo (text -> info), emptied when full: a plain dict rather than an
# lru_cache so that infos read from the store can be put in it.
MEMORY_SIZE = 200_000
_MEMORY: dict[str, TextInfo] = {}


def text_info(text: str) -> TextInfo:
    info = _MEMORY.get(text)
    if info is None:
        info = compute_text_info(text)
        remember_text_info(text, info)
    return info


def known_text_info(text: str) -> TextInfo | None:
    """The info of ``text`` if this process has it at hand, else None."""
    return _MEMORY.get(text)


def remember_text_info(text: str, info: TextInfo) -> None:
    if len(_MEMORY) >= MEMORY_SIZE:
        _MEMORY.clear()
    _MEMORY[text] = info


def forget_text_infos() -> None:
    """Empty the per-process memo (tests: make the next ``text_info`` compute or read again)."""
    _MEMORY.clear()


def text_hash(text: str) -> str:
    """The key of a text's saved info (sha256 of its UTF-8, as ``tag_cache`` keys texts)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def profile_version() -> str:
    """Changes whenever ``text_info`` could answer differently: its code or the lexicon."""
    return _version(relation_lexicon().digest)


@lru_cache(maxsize=4)
def _version(lexicon_digest: str) -> str:
    h = hashlib.sha256()
    for module in (Path(__file__), Path(cues_module.__file__)):
        h.update(module.read_bytes())
    h.update(lexicon_digest.encode("ascii"))
    return h.hexdigest()[:16]


def encode_text_info(info: TextInfo) -> str:
    """One text's info as compact JSON (sets sorted, so one info has one encoding)."""
    c = info.cues
    return json.dumps(
        [
            sorted(c.topics),
            sorted(c.side_a),
            sorted(c.side_b),
            c.negation,
            c.contrast,
            c.skeptic,
            c.proponent,
            sorted(c.definitions),
            sorted(info.terms),
            int(info.zh),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_text_info(raw: str) -> TextInfo | None:
    """The info ``encode_text_info`` wrote; None for a row that is not one (recomputed)."""
    try:
        topics, side_a, side_b, neg, con, skep, prop, defs, terms, zh = json.loads(raw)
        return TextInfo(
            cues=TextCues(
                topics=frozenset(topics),
                side_a=frozenset(side_a),
                side_b=frozenset(side_b),
                negation=int(neg),
                contrast=int(con),
                skeptic=int(skep),
                proponent=int(prop),
                definitions=frozenset(defs),
            ),
            terms=frozenset(terms),
            zh=bool(zh),
        )
    except (ValueError, TypeError):
        return None
