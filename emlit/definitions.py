"""The six senses of "emergence" (D1-D6) as data, loaded from ``corpus/definitions.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from emlit.errors import EmlitError
from emlit.paths import corpus_dir
from emlit.vocab import DEFINITIONS

LANGS = ("en", "zh")


@dataclass(frozen=True)
class Example:
    text: str
    lang: str
    source: str


@dataclass(frozen=True)
class Definition:
    id: str
    label_en: str
    label_zh: str
    definition_en: str
    definition_zh: str
    source: str
    positives: tuple[Example, ...]
    negatives: tuple[Example, ...]


def definitions_path() -> Path:
    return corpus_dir() / "definitions.yaml"


def load_definitions(path: Path | None = None) -> list[Definition]:
    """The six definitions in order D1..D6 (cached per file)."""
    return list(_load(str(path or definitions_path())))


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[Definition, ...]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except OSError as exc:
        raise EmlitError(f"{path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise EmlitError(f"{path}: not valid YAML ({_first_line(exc)})") from None
    if not isinstance(data, dict) or not isinstance(data.get("definitions"), list):
        raise EmlitError(f"{path}: expected a top-level 'definitions:' list")
    defs = [_definition(path, i, item) for i, item in enumerate(data["definitions"])]
    ids = [d.id for d in defs]
    if sorted(ids) != list(DEFINITIONS):
        raise EmlitError(f"{path}: definitions must be exactly D1..D6 once each, found {ids}")
    return tuple(sorted(defs, key=lambda d: d.id))


def _definition(path: str, i: int, item: Any) -> Definition:
    where = f"{path}: definitions[{i}]"
    if not isinstance(item, dict):
        raise EmlitError(f"{where}: expected a mapping")
    did = item.get("id")
    if did not in DEFINITIONS:
        raise EmlitError(f"{where}.id: {did!r} is not one of {', '.join(DEFINITIONS)}")
    where = f"{path}: {did}"
    label = _bilingual(where, "label", item.get("label"))
    definition = _bilingual(where, "definition", item.get("definition"))
    source = item.get("source")
    if not isinstance(source, str) or not source.strip():
        raise EmlitError(f"{where}.source: missing citation")
    examples = item.get("examples") or {}
    if not isinstance(examples, dict):
        raise EmlitError(f"{where}.examples: expected a mapping with positive/negative")
    return Definition(
        id=did,
        label_en=label["en"],
        label_zh=label["zh"],
        definition_en=definition["en"],
        definition_zh=definition["zh"],
        source=source.strip(),
        positives=_examples(f"{where}.examples.positive", examples.get("positive")),
        negatives=_examples(f"{where}.examples.negative", examples.get("negative")),
    )


def _bilingual(where: str, field: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise EmlitError(f"{where}.{field}: expected a mapping with 'en' and 'zh'")
    out = {}
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise EmlitError(f"{where}.{field}.{lang}: missing text")
        out[lang] = " ".join(text.split())
    return out


def _examples(where: str, value: Any) -> tuple[Example, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise EmlitError(f"{where}: expected a list")
    out = []
    for j, ex in enumerate(value):
        if not isinstance(ex, dict) or not isinstance(ex.get("text"), str):
            raise EmlitError(f"{where}[{j}].text: missing text")
        lang = ex.get("lang")
        if lang not in LANGS:
            raise EmlitError(f"{where}[{j}].lang: {lang!r} is not one of en, zh")
        out.append(Example(ex["text"].strip(), lang, str(ex.get("source") or "")))
    return tuple(out)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
