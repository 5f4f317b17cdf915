"""The stance items: ``corpus/devset/tagger_v2.jsonl`` (its "stance" field), split by work.

The train split is what the stance model learns from and is cross-validated on (folds
grouped by source work), together with the stance-only items of
``corpus/devset/stance_extra_v2.jsonl`` and ``stance_extra_v3.jsonl`` (same fields, train only). **The test split is
frozen**: it is scored, never fitted, tuned or selected on (corpus/devset/tagger_v2.md).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from emlit.errors import EmlitError
from emlit.jsonl import file_objects
from emlit.paths import corpus_dir
from emlit.vocab import STANCES


@dataclass(frozen=True)
class StanceItem:
    id: str
    text: str
    lang: str
    stance: str
    source: str
    split: str

    @property
    def work(self) -> str:
        return work_key(self.source)


def items_path() -> Path:
    return corpus_dir() / "devset" / "tagger_v2.jsonl"


def extra_items_paths() -> tuple[Path, ...]:
    """Stance-only train items written for the registers the devset lacks (v2: neutral
    background that mentions emergence, hedged affirmations, reported disputes, Chinese news
    voice; v3: hedged academic and reported disputes, Chinese commentary disputes, neutral
    methods and background that mention scale); corpus/devset/stance_extra.md. Always split
    "train"; no work of the frozen test split."""
    devset = corpus_dir() / "devset"
    return (devset / "stance_extra_v2.jsonl", devset / "stance_extra_v3.jsonl")


_COVERAGE = re.compile(r"^chinese (tech-)?media coverage of ", re.I)
_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")


def work_key(source: str) -> str:
    """First author's surname and year ("schaeffer 2023"): press coverage of a paper and the
    paper fall in one group, as the split by work does."""
    s = _COVERAGE.sub("", source.strip())
    year = _YEAR.search(s)
    first = re.split(r"[\s,(（]", s, maxsplit=1)[0].lower()
    return f"{first} {year.group(0) if year else ''}".strip()


def load_items(path: Path | None = None, *, split: str | None = None) -> list[StanceItem]:
    out = []
    for _n, where, row in file_objects(path or items_path()):
        if row.get("stance") not in STANCES:
            raise EmlitError(f"{where}: field 'stance' must be one of {', '.join(STANCES)}")
        for key in ("id", "text", "lang", "source", "split"):
            if not isinstance(row.get(key), str) or not row[key]:
                raise EmlitError(f"{where}: field {key!r} missing or not a string")
        item = StanceItem(
            row["id"], row["text"], row["lang"], row["stance"], row["source"], row["split"]
        )
        if split is None or item.split == split:
            out.append(item)
    return out


def rows_hash(items: list[StanceItem]) -> str:
    """sha256 of the training rows as training reads them: id, text, lang, stance, work."""
    rows = [[it.id, it.text, it.lang, it.stance, it.work] for it in items]
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
