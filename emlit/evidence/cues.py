"""Bilingual cue lexicons for the relation classifier: topics, opposing stances, negation.

The cues are data, in ``corpus/lexicon/relation_cues.yaml``; this module loads, checks and
compiles them (once per process) and reads one text with them. The embedding model is
English-only, so Chinese (and mixed) pairs lean on these cues. Each *axis* is a pair of
opposing positions in the debate (smooth vs sudden, learned from data vs never trained, ...):
one claim on each side of an axis is a strong sign of COUNTERS.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from emlit.errors import EmlitError
from emlit.paths import corpus_dir
from emlit.vocab import DEFINITIONS

_COUNTED = ("negation", "contrast", "skeptic", "proponent", "denial")
_KEYS = ("topics", "axes", *_COUNTED, "definitions")


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key of text_cues
class RelationLexicon:
    """The compiled relation cues; each entry is one case-insensitive pattern."""

    path: str
    digest: str  # sha256 of the content (not of comments or layout); see relation_weights.json
    topics: dict[str, re.Pattern[str]]
    # Opposing positions: (name, side A, side B). Negated forms of a side-B word
    # ("unpredictable", "不可预测") are matched first and removed before side A is looked for.
    axes: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]
    negation: re.Pattern[str]
    contrast: re.Pattern[str]
    skeptic: re.Pattern[str]  # words of the skeptical side of the debate
    proponent: re.Pattern[str]
    denial: re.Pattern[str]  # a denial outside the matched span turns a claim's side around
    definitions: dict[str, re.Pattern[str]]  # a rough reading of the definitions a text invokes


def relation_cues_path() -> Path:
    return corpus_dir() / "lexicon" / "relation_cues.yaml"


def relation_lexicon(path: Path | None = None) -> RelationLexicon:
    """The relation cues (read, checked and compiled once per file and process)."""
    return _load(str(path or relation_cues_path()))


def data_hash() -> str:
    """Changes whenever the relation cues' content changes."""
    return relation_lexicon().digest


@lru_cache(maxsize=4)
def _load(path: str) -> RelationLexicon:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise EmlitError(f"{path}: expected a mapping with {', '.join(_KEYS)}")
    for key in _KEYS:
        if key not in data:
            raise EmlitError(f"{path}: {key}: missing")
    unknown = sorted(str(k) for k in data if k not in _KEYS)
    if unknown:
        raise EmlitError(f"{path}: {unknown[0]}: unknown key (expected {', '.join(_KEYS)})")
    axes = data["axes"]
    if not isinstance(axes, list) or not axes:
        raise EmlitError(f"{path}: axes: expected a list of {{name, a, b}}")
    compiled_axes = []
    for i, axis in enumerate(axes):
        where = f"{path}: axes[{i}]"
        if not isinstance(axis, dict) or set(axis) != {"name", "a", "b"}:
            raise EmlitError(f"{where}: expected a mapping with name, a and b")
        if not isinstance(axis["name"], str) or not axis["name"].strip():
            raise EmlitError(f"{where}.name: expected a name")
        where = f"{path}: axes.{axis['name']}"
        compiled_axes.append(
            (axis["name"], _pattern(f"{where}.a", axis["a"]), _pattern(f"{where}.b", axis["b"]))
        )
    names = [a[0] for a in compiled_axes]
    if len(set(names)) != len(names):
        raise EmlitError(f"{path}: axes: names must be unique, found {names}")
    definitions = _table(path, "definitions", data["definitions"])
    for did in definitions:
        if did not in DEFINITIONS:
            raise EmlitError(f"{path}: definitions.{did}: not one of {', '.join(DEFINITIONS)}")
    return RelationLexicon(
        path=path,
        digest=_content_hash(data),
        topics=_table(path, "topics", data["topics"]),
        axes=tuple(compiled_axes),
        definitions=definitions,
        **{key: _pattern(f"{path}: {key}", data[key]) for key in _COUNTED},
    )


def _table(path: str, key: str, value: Any) -> dict[str, re.Pattern[str]]:
    if not isinstance(value, dict) or not value:
        raise EmlitError(f"{path}: {key}: expected a mapping of names to lists of patterns")
    return {str(name): _pattern(f"{path}: {key}.{name}", parts) for name, parts in value.items()}


def _pattern(where: str, parts: Any) -> re.Pattern[str]:
    """One pattern from a list of alternatives (joined with ``|``, matched ignoring case)."""
    if not isinstance(parts, list) or not parts:
        raise EmlitError(f"{where}: expected a list of regular expressions")
    for j, part in enumerate(parts):
        if not isinstance(part, str) or not part:
            raise EmlitError(f"{where}[{j}]: expected a non-empty string")
        try:
            re.compile(part)
        except re.error as exc:
            raise EmlitError(f"{where}[{j}]: not a valid regular expression ({exc})") from None
    return re.compile("|".join(parts), re.IGNORECASE)


def _read_yaml(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except OSError as exc:
        raise EmlitError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise EmlitError(f"{path}: not valid YAML ({first})") from None


def _content_hash(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TextCues:
    """What the lexicons find in one text."""

    topics: frozenset[str]
    side_a: frozenset[str]  # axes on whose first side the text stands
    side_b: frozenset[str]
    negation: int
    contrast: int
    skeptic: int
    proponent: int
    definitions: frozenset[str]


def text_cues(text: str) -> TextCues:
    return _text_cues(text, relation_lexicon())


@lru_cache(maxsize=200_000)
def _text_cues(text: str, lex: RelationLexicon) -> TextCues:
    topics = frozenset(name for name, rx in lex.topics.items() if rx.search(text))
    side_a, side_b = set(), set()
    for name, rx_a, rx_b in lex.axes:
        rest = rx_b.sub(" ", text)
        in_a, in_b = bool(rx_a.search(rest)), bool(rx_b.search(text))
        # A claim that names the other side only to deny it stands on this side.
        if in_b and lex.denial.search(rx_a.sub(" ", rest)):
            in_a, in_b = True, False
        if in_a:
            side_a.add(name)
        if in_b:
            side_b.add(name)
    return TextCues(
        topics=topics,
        side_a=frozenset(side_a),
        side_b=frozenset(side_b),
        negation=len(lex.negation.findall(text)),
        contrast=len(lex.contrast.findall(text)),
        skeptic=len(lex.skeptic.findall(text)),
        proponent=len(lex.proponent.findall(text)),
        definitions=frozenset(d for d, rx in lex.definitions.items() if rx.search(text)),
    )
