"""Compile the cue lexicon (corpus/lexicon/definition_cues.yaml) into regexes and match them.

Regular expressions rather than spaCy matchers: the cues need gaps, word prefixes and
"not followed by" checks in both scripts, and spaCy's blank Chinese pipeline splits text
into single characters anyway, so a matcher would add a dependency and time, not power.
Both languages' cues run on every text, because Chinese notes quote English freely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from emlit.errors import EmlitError
from emlit.tagging.lexicon import Lexicon, lexicon_path, load_lexicon

_EN_GAP = r"(?:[\s\-,;:'’\"“”()]+[\w\-'’]+){0,4}?[\s\-,;:'’\"“”()]+"
_ZH_GAP = r"[^。！？!?；;]{0,8}?"


@dataclass(frozen=True)
class CueHit:
    group: str  # e.g. "D3" or "NONE_metric"
    text: str  # the matched span
    start: int


def _en_alternative(alt: str) -> str:
    words = []
    for word in alt.split():
        if word.endswith("*"):
            words.append(re.escape(word[:-1]) + r"[A-Za-z0-9\-]*")
        else:
            words.append(re.escape(word))
    return r"[\s\-]+".join(words)


def _compile(cue: str, lang: str) -> re.Pattern[str]:
    if cue.startswith("re:"):
        return re.compile(r"(?<![A-Za-z0-9\-])(?:" + cue[3:] + ")", re.IGNORECASE)
    body, _, not_followed = cue.partition(" !")
    segments = [s.strip() for s in body.split(" ... ")]
    parts = []
    for seg in segments:
        alts = [a.strip() for a in seg.split("|") if a.strip()]
        if lang == "en":
            parts.append("(?:" + "|".join(_en_alternative(a) for a in alts) + ")")
        else:
            parts.append("(?:" + "|".join(re.escape(a) for a in alts) + ")")
    gap = _EN_GAP if lang == "en" else _ZH_GAP
    pattern = gap.join(parts)
    if lang == "en":
        # ASCII boundaries: an English cue right after a Han character still counts.
        pattern = r"(?<![A-Za-z0-9\-])" + pattern + r"(?![A-Za-z0-9])"
    if not_followed:
        stops = "|".join(
            _en_alternative(s) if lang == "en" else re.escape(s) for s in not_followed.split("|")
        )
        pattern += r"(?!\s*(?:" + stops + "))"
    return re.compile(pattern, re.IGNORECASE)


def compile_lexicon(lex: Lexicon) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(group, pattern) for every cue: English cues first, then Chinese, in file order."""
    out: list[tuple[str, re.Pattern[str]]] = []
    for lang, table in lex.cues.items():
        for group, cues in table.items():
            for j, cue in enumerate(cues):
                try:
                    out.append((group, _compile(cue, lang)))
                except re.error as exc:
                    raise EmlitError(
                        f"{lex.path}: {lang}.{group}[{j}]: not a valid cue ({exc})"
                    ) from None
    return tuple(out)


@lru_cache(maxsize=4)
def _compiled(path: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return compile_lexicon(load_lexicon(Path(path)))


def compiled() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The bundled lexicon, compiled once per process."""
    return _compiled(str(lexicon_path()))


def match_cues(text: str) -> list[CueHit]:
    """Every cue that matches ``text`` (already cleaned), in lexicon order."""
    hits = []
    for group, pattern in compiled():
        m = pattern.search(text)
        if m:
            hits.append(CueHit(group, m.group(0), m.start()))
    return hits


def cue_counts(hits: list[CueHit]) -> dict[str, int]:
    counts = dict.fromkeys(load_lexicon().groups, 0)
    for h in hits:
        counts[h.group] += 1
    return counts
