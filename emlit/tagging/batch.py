"""Contract 1: JSON lines in, one JSON line out per input line, same order."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from emlit.jsonl import read_object
from emlit.vocab import DEFINITIONS

BATCH = 256


@dataclass
class Parsed:
    id: Any
    text: str | None
    lang: str | None
    error: str | None


def parse_line(line: str | bytes) -> Parsed:
    """One input line: a tagging request, or the reason it cannot be one."""
    obj, error = read_object(line)
    if obj is None:
        return Parsed(None, None, None, error)
    rid = obj.get("id")
    text = obj.get("text")
    lang = obj.get("lang")
    if "text" not in obj:
        return Parsed(rid, None, None, "missing field 'text'")
    if not isinstance(text, str):
        return Parsed(rid, None, None, "field 'text' must be a string")
    if not text.strip():
        return Parsed(rid, None, None, "text is empty")
    if lang is not None and not isinstance(lang, str):
        return Parsed(rid, None, None, "field 'lang' must be a string")
    return Parsed(rid, text, lang or None, None)


def _chunks(lines: Iterable[str | bytes]) -> Iterator[list[str | bytes]]:
    chunk: list[str | bytes] = []
    for line in lines:
        chunk.append(line.rstrip(b"\r\n") if isinstance(line, bytes) else line.rstrip("\r\n"))
        if len(chunk) >= BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def tag_lines(
    lines: Iterable[str | bytes],
    out: IO[str],
    tag: Callable[[list[str], list[str | None]], list[Any]],
    *,
    explain: bool = False,
    stance: Callable[[list[str], list[str | None]], list[Any]] | None = None,
) -> int:
    """Tag every line with ``tag`` (a Tagger.tag); return the number of error lines.

    With ``stance`` (a StanceModel.predict) each line also gets "stance" and "stance_scores"
    (contract 9), and with ``explain`` a "stance_explain" object.

    Blank lines are input lines too: they get an error line, so output line N always
    answers input line N. Lines may be bytes: one that is not UTF-8 gets an error line.
    """
    errors = 0
    for chunk in _chunks(lines):
        parsed = [parse_line(line) for line in chunk]
        ok = [p for p in parsed if p.error is None]
        results = iter(tag([p.text or "" for p in ok], [p.lang for p in ok]) if ok else [])
        stances = iter(
            stance([p.text or "" for p in ok], [p.lang for p in ok]) if ok and stance else []
        )
        for p in parsed:
            row: dict[str, Any]
            if p.error is not None:
                errors += 1
                row = {"id": p.id, "error": p.error}
            else:
                r = next(results)
                row = {
                    "id": p.id,
                    "labels": r.labels,
                    "scores": {d: r.scores[d] for d in DEFINITIONS},
                }
                if stance is not None:
                    st = next(stances)
                    row["stance"] = st.stance
                    row["stance_scores"] = st.scores
                if explain:
                    row["explain"] = r.explain
                    if stance is not None:
                        row["stance_explain"] = st.explain
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
    return errors
