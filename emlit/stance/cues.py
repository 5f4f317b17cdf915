"""The stance cues (``corpus/lexicon/stance_cues.yaml``): loaded, checked, compiled once.

Each group is one feature column of the stance model (its match count, capped) and names the
stance it usually points to; the explanation of a decision quotes the words that matched.
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
from emlit.vocab import STANCES

LANGS = ("en", "zh")


@dataclass(frozen=True)
class CueGroup:
    name: str
    points: str  # the stance this group usually signals
    patterns: dict[str, re.Pattern[str] | None]  # lang -> one pattern (None: no cues)


@dataclass(frozen=True, eq=False)
class StanceLexicon:
    path: str
    digest: str  # sha256 of the content (not of comments or layout); in the weights file
    groups: tuple[CueGroup, ...]  # feature column order

    @property
    def names(self) -> list[str]:
        return [g.name for g in self.groups]


@dataclass(frozen=True)
class StanceCue:
    group: str
    points: str
    text: str  # the words that matched


def stance_cues_path() -> Path:
    return corpus_dir() / "lexicon" / "stance_cues.yaml"


def stance_lexicon(path: Path | None = None) -> StanceLexicon:
    """The stance cues (read, checked and compiled once per file and process)."""
    return _load(str(path or stance_cues_path()))


@lru_cache(maxsize=4)
def _load(path: str) -> StanceLexicon:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except OSError as exc:
        raise EmlitError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise EmlitError(f"{path}: not valid YAML ({first})") from None
    if (
        not isinstance(data, dict)
        or set(data) != {"groups"}
        or not isinstance(data["groups"], dict)
    ):
        raise EmlitError(f"{path}: expected one key, 'groups', mapping names to cue groups")
    groups = []
    for name, spec in data["groups"].items():
        where = f"{path}: groups.{name}"
        if not isinstance(spec, dict) or set(spec) != {"points", *LANGS}:
            raise EmlitError(f"{where}: expected points, en and zh")
        if spec["points"] not in STANCES:
            raise EmlitError(f"{where}.points: not one of {', '.join(STANCES)}")
        patterns = {lang: _pattern(f"{where}.{lang}", spec[lang]) for lang in LANGS}
        groups.append(CueGroup(str(name), spec["points"], patterns))
    if not groups:
        raise EmlitError(f"{path}: groups: expected at least one group")
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return StanceLexicon(path, hashlib.sha256(text.encode("utf-8")).hexdigest(), tuple(groups))


def _pattern(where: str, parts: Any) -> re.Pattern[str] | None:
    if parts is None or parts == []:
        return None
    if not isinstance(parts, list):
        raise EmlitError(f"{where}: expected a list of regular expressions")
    for j, part in enumerate(parts):
        if not isinstance(part, str) or not part:
            raise EmlitError(f"{where}[{j}]: expected a non-empty string")
        try:
            re.compile(part)
        except re.error as exc:
            raise EmlitError(f"{where}[{j}]: not a valid regular expression ({exc})") from None
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


def find_cues(text: str, lang: str, lex: StanceLexicon | None = None) -> list[StanceCue]:
    """Every cue match in ``text``. Chinese text is also read with the English cues, as
    Chinese writing on this debate quotes English terms ("mirage", "in-context learning")."""
    lex = lex or stance_lexicon()
    langs = ("zh", "en") if lang == "zh" else ("en",)
    found = []
    for group in lex.groups:
        for code in langs:
            rx = group.patterns[code]
            if rx is None:
                continue
            for m in rx.finditer(text):
                if m.group(0).strip():
                    found.append(StanceCue(group.name, group.points, m.group(0).strip()))
    return found
