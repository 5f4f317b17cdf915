"""``emlit relate``: batch evidence relation of claim pairs (contract 2); no database."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from emlit.cli.options import encoder_option
from emlit.jsonl import read_object

BATCH = 256


def _parse(line: str) -> tuple[Any, str | None, str | None, str | None]:
    """(id, a, b, error) for one input line."""
    obj, error = read_object(line)
    if obj is None:
        return None, None, None, error
    rid = obj.get("id")
    for field in ("a", "b"):
        if field not in obj:
            return rid, None, None, f"missing field {field!r}"
        if not isinstance(obj[field], str):
            return rid, None, None, f"field {field!r} must be a string"
        if not obj[field].strip():
            return rid, None, None, f"field {field!r} is empty"
    return rid, obj["a"], obj["b"], None


def relate_lines(lines: Any, out: Any) -> int:
    """Answer every input line with one output line, same order; return the error count."""
    from emlit.evidence.model import classify_texts

    errors = 0
    chunk: list[str] = []

    def flush() -> None:
        nonlocal errors
        parsed = [_parse(line) for line in chunk]
        ok = [p for p in parsed if p[3] is None]
        preds = iter(
            classify_texts([p[1] or "" for p in ok], [p[2] or "" for p in ok]) if ok else []
        )
        for rid, _, _, error in parsed:
            if error is not None:
                errors += 1
                row: dict[str, Any] = {"id": rid, "error": error}
            else:
                pred = next(preds)
                row = {"id": rid, "relation": pred.relation, "score": round(pred.score, 4)}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
        chunk.clear()

    for line in lines:
        chunk.append(line.rstrip("\n").rstrip("\r"))
        if len(chunk) >= BATCH:
            flush()
    if chunk:
        flush()
    return errors


@click.command("relate")
@click.option("--in", "in_path", required=True, help="JSON lines {id, a, b}; '-' = stdin.")
@click.option("--out", "out_path", required=True, help="Output JSON lines; '-' = stdout.")
@encoder_option
def relate(in_path: str, out_path: str) -> None:
    """Does claim a give evidence for (SUPPORTS) or against (COUNTERS) claim b, or neither?

    One output line per input line, same order:
    {"id": ..., "relation": "SUPPORTS" | "COUNTERS" | "UNRELATED", "score": 0.0-1.0}.
    A line that is not valid JSON or lacks a or b gets {"id": ..., "error": "..."} and the
    run goes on; the exit status is then 1.

    \b
    Example:
        emlit relate --in pairs.jsonl --out related.jsonl
    """
    from emlit.errors import EmlitError

    try:
        src = sys.stdin if in_path == "-" else open(in_path, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise EmlitError(f"{in_path}: cannot read ({exc.strerror})") from None
    try:
        dst = sys.stdout if out_path == "-" else open(out_path, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise EmlitError(f"{out_path}: cannot write ({exc.strerror})") from None
    try:
        errors = relate_lines(src, dst)
    except UnicodeDecodeError:
        raise EmlitError(f"{in_path}: not UTF-8 text") from None
    finally:
        if dst is not sys.stdout:
            dst.close()
        if src is not sys.stdin:
            src.close()
    if errors:
        click.echo(
            f"emlit relate: {errors} line(s) could not be related (see their 'error')", err=True
        )
        sys.exit(1)
