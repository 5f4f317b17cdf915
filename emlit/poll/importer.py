"""Import answers exported from other poll tools (CSV) as a closed poll, so talks can be pooled.

Two shapes are understood, chosen by the column mapping:

- long: one row per answer; map ``voter``, ``question``, ``answer`` and optionally ``phase``
  and ``time`` to columns;
- wide: one row per respondent (Mentimeter, Slido, Google Forms); map each question id to its
  column (``belief=Q1``), plus optionally ``voter``, ``phase`` and ``time``.

Answers are matched to option ids or to option labels (English or Chinese, any case). The
whole file is checked before anything is stored: one bad cell names line and column, and
nothing is imported.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from emlit.errors import EmlitError
from emlit.poll import store as polls
from emlit.poll.templates import Question, Questionnaire
from emlit.store import Store

PHASE_WORDS = {
    "pre": "pre", "before": "pre", "1": "pre", "前": "pre", "讲座前": "pre",
    "post": "post", "after": "post", "2": "post", "后": "post", "讲座后": "post",
}  # fmt: skip
META_FIELDS = ("voter", "phase", "time", "question", "answer")


@dataclass(frozen=True)
class ImportSummary:
    poll_id: str
    rows: int
    answers: int
    voters: int


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        key, sep, column = item.partition("=")
        if not sep or not key.strip() or not column.strip():
            raise EmlitError(f"--map: {item!r} is not FIELD=COLUMN")
        mapping[key.strip()] = column.strip()
    return mapping


def import_csv(
    store: Store,
    path: str,
    questionnaire: Questionnaire,
    *,
    title: str,
    mapping: dict[str, str],
    phase: str | None = None,
) -> ImportSummary:
    rows, header = _read(path)
    for key, column in mapping.items():
        if column not in header:
            raise EmlitError(
                f"{path}: --map {key}={column}: no column {column!r} (columns: {', '.join(header)})"
            )
        if key not in META_FIELDS and questionnaire.question(key) is None:
            raise EmlitError(
                f"--map: {key!r} is neither {', '.join(META_FIELDS)} nor a question of {questionnaire.name!r}"
            )
    long = "question" in mapping or "answer" in mapping
    if long and not ("question" in mapping and "answer" in mapping):
        raise EmlitError("--map: a long file needs both question=COLUMN and answer=COLUMN")
    wide = {k: v for k, v in mapping.items() if k not in META_FIELDS}
    if not long and not wide:
        raise EmlitError(
            "--map: map question=/answer= columns, or question ids to columns (belief=Q1)"
        )
    stamp = polls.now_ms()
    found: dict[tuple[str, str, str], tuple[str, str, str, str, str]] = {}
    for line, row in rows:
        voter = _voter(row.get(mapping["voter"], "") if "voter" in mapping else "", line)
        row_phase = _phase(path, line, mapping, row, phase)
        when = (row.get(mapping["time"]) or stamp).strip() if "time" in mapping else stamp
        cells = (
            [(row[mapping["question"]].strip(), row[mapping["answer"]], mapping["answer"])]
            if long
            else [(qid, row[col], col) for qid, col in wide.items()]
        )
        for qid, raw, column in cells:
            if not (raw or "").strip():
                continue
            question = questionnaire.question(qid)
            if question is None:
                raise EmlitError(
                    f"{path}: line {line}: question {qid!r} is not in template {questionnaire.name!r}"
                )
            answer = _answer(question, raw.strip(), f"{path}: line {line}, column {column!r}")
            found[(voter, row_phase, qid)] = (voter, row_phase, qid, answer, when)
    if not found:
        raise EmlitError(f"{path}: no answers found with this mapping")
    poll = polls.create_poll(
        store, questionnaire, title=title, phase="closed", source=f"import:{Path(path).name}"
    )
    with store.transaction() as conn:
        polls.upsert_votes(conn, poll.id, list(found.values()))
    return ImportSummary(poll.id, len(rows), len(found), len({k[0] for k in found}))


def _read(path: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            try:
                dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
                    sample, delimiters=",;\t"
                )
            except csv.Error:
                dialect = csv.excel
            reader = csv.DictReader(fh, dialect=dialect)
            header = list(reader.fieldnames or [])
            rows = [
                (i + 2, {k: (v or "") for k, v in r.items() if k is not None})
                for i, r in enumerate(reader)
            ]
    except FileNotFoundError:
        raise EmlitError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise EmlitError(f"{path}: cannot read as UTF-8 CSV: {exc}") from None
    if not header:
        raise EmlitError(f"{path}: empty file (no header row)")
    return rows, header


def _voter(raw: str, line: int) -> str:
    """Imported respondent ids become tokens of the API's shape, without keeping the original."""
    source = raw.strip() or f"row-{line}"
    return "import-" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:32]


def _phase(
    path: str, line: int, mapping: dict[str, str], row: dict[str, str], fixed: str | None
) -> str:
    if "phase" not in mapping:
        return fixed or "pre"
    raw = row.get(mapping["phase"], "").strip().lower()
    if raw not in PHASE_WORDS:
        raise EmlitError(
            f"{path}: line {line}, column {mapping['phase']!r}: phase {raw!r} is not pre/before or post/after"
        )
    return PHASE_WORDS[raw]


def _answer(question: Question, raw: str, where: str) -> str:
    if question.kind == "choice":
        wanted = raw.casefold()
        for option in question.options:
            if wanted == option.id.casefold() or any(
                wanted == label.casefold() for label in option.label.values()
            ):
                return option.id
        raise EmlitError(
            f"{where}: {raw!r} is not an option of {question.id!r} ({', '.join(question.option_ids)})"
        )
    value: object = raw
    if question.kind == "number":
        try:
            value = float(raw.rstrip("%").strip())
        except ValueError:
            raise EmlitError(f"{where}: {raw!r} is not a number") from None
    try:
        return question.check_answer(value)
    except EmlitError as exc:
        raise EmlitError(f"{where}: {exc}") from None
