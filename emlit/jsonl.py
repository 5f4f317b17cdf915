"""JSON lines: batch commands read one object per line or the reason a line is not one;
data files (development sets, real-text checks) are read whole, with clear errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def read_object(line: str | bytes) -> tuple[dict[str, Any] | None, str | None]:
    """(object, None) for a line holding a JSON object, else (None, why it is not one)."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, f"line is not UTF-8 (byte {exc.start + 1})"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} (column {exc.colno})"
    if not isinstance(obj, dict):
        return None, "expected a JSON object"
    bad = _lone_surrogate(obj)
    if bad:
        return None, bad
    return obj, None


def _lone_surrogate(obj: dict[str, Any]) -> str | None:
    """Why a field is not Unicode text: a \\ud800-style escape with no partner decodes to a
    lone surrogate, which no encoder or output file can take."""
    for key, value in obj.items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                code = f"\\u{ord(value[exc.start]):04x}"
                return f"field {key!r} is not valid Unicode: lone surrogate {code} at character {exc.start + 1}"
    return None


def file_objects(path: Path) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """The JSON objects of a JSON-lines data file, each with its line number and where it
    stands ("path:line");
    blank lines skipped. A file that cannot be read, or a line that is not an object, stops
    with an error naming the file and line (a data file is fixed, not skipped around)."""
    from emlit.errors import EmlitError

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
        if not isinstance(row, dict):
            raise EmlitError(f"{where}: not a JSON object")
        yield n, where, row
