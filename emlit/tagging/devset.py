"""The labelled development set (``corpus/devset/tagger.jsonl``) and its splits."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from emlit.definitions import definitions_path, load_definitions
from emlit.errors import EmlitError
from emlit.paths import corpus_dir
from emlit.vocab import DEFINITIONS


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    lang: str
    labels: tuple[str, ...]
    source: str
    split: str  # train | heldout | definitions (examples from definitions.yaml)


def devset_path() -> Path:
    return corpus_dir() / "devset" / "tagger.jsonl"


def load_devset(path: Path | None = None) -> list[Item]:
    path = path or devset_path()
    items: list[Item] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EmlitError(f"{path}: cannot read ({exc.strerror})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EmlitError(f"{where}: not valid JSON ({exc.msg})") from None
        for field in ("id", "text", "lang", "source", "split"):
            if not isinstance(row.get(field), str) or not row[field]:
                raise EmlitError(f"{where}: field {field!r} missing or not a string")
        labels = row.get("labels")
        if not isinstance(labels, list) or any(lab not in DEFINITIONS for lab in labels):
            raise EmlitError(f"{where}: field 'labels' must be a list of D1..D6")
        if row["split"] not in ("train", "heldout"):
            raise EmlitError(f"{where}: field 'split' must be train or heldout")
        items.append(
            Item(
                row["id"],
                row["text"],
                row["lang"],
                tuple(sorted(labels)),
                row["source"],
                row["split"],
            )
        )
    return items


def training_items() -> list[Item]:
    """What the tagger learns from: the train split plus the examples in definitions.yaml.

    A definition's negative example is a negative for that definition only; we do not know
    its other labels, so negatives are left out rather than guessed as "none".
    """
    items = [it for it in load_devset() if it.split == "train"]
    for d in load_definitions():
        for i, ex in enumerate(d.positives):
            items.append(Item(f"{d.id}+{i}", ex.text, ex.lang, (d.id,), ex.source, "definitions"))
    return items


def data_hash() -> str:
    """Changes whenever the development set or the definitions change."""
    h = hashlib.sha256()
    for p in (devset_path(), definitions_path()):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]
