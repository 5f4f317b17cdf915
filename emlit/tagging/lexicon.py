"""The tagger's bilingual cue lexicon, loaded from ``corpus/lexicon/definition_cues.yaml``.

The file holds the cues (phrases that signal each sense of "emergence") and documents their
syntax; emlit.tagging.cues compiles them. Groups starting with a definition id feed that
definition; the other groups (``NONE_*``) mark senses of "emergent" that are none of the six.
The tagger's model version hashes the file, so editing it refits the heads and re-tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from emlit.definitions import LANGS
from emlit.errors import EmlitError
from emlit.paths import corpus_dir
from emlit.vocab import DEFINITIONS


@dataclass(frozen=True)
class Lexicon:
    path: str
    groups: tuple[str, ...]  # feature column order
    cues: dict[str, dict[str, tuple[str, ...]]]  # lang -> group -> cues, in file order


def lexicon_path() -> Path:
    return corpus_dir() / "lexicon" / "definition_cues.yaml"


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The cue lexicon (read and checked once per file and process)."""
    return _load(str(path or lexicon_path()))


@lru_cache(maxsize=4)
def _load(path: str) -> Lexicon:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise EmlitError(f"{path}: expected a mapping with 'en' and 'zh'")
    cues: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang in LANGS:
        table = data.get(lang)
        if not isinstance(table, dict) or not table:
            raise EmlitError(f"{path}: {lang}: expected a mapping of cue groups")
        cues[lang] = {}
        for group, items in table.items():
            where = f"{path}: {lang}.{group}"
            if not isinstance(group, str) or not (
                group.startswith("NONE_") or group.split("_")[0] in DEFINITIONS
            ):
                raise EmlitError(f"{where}: group names start with D1..D6 or NONE_")
            if not isinstance(items, list) or not items:
                raise EmlitError(f"{where}: expected a list of cues")
            for j, cue in enumerate(items):
                if not isinstance(cue, str) or not cue.strip():
                    raise EmlitError(f"{where}[{j}]: expected a non-empty string")
            cues[lang][group] = tuple(items)
    unknown = sorted(str(k) for k in data if k not in LANGS)
    if unknown:
        raise EmlitError(f"{path}: {unknown[0]}: unknown key (expected en, zh)")
    groups = tuple(cues[LANGS[0]])
    for lang in LANGS[1:]:
        if tuple(cues[lang]) != groups:
            raise EmlitError(
                f"{path}: {lang}: groups must be those of {LANGS[0]}, in the same order "
                f"({', '.join(groups)})"
            )
    return Lexicon(path, groups, cues)


def _read_yaml(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except OSError as exc:
        raise EmlitError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise EmlitError(f"{path}: not valid YAML ({first})") from None
