"""Batch commands read JSON lines: one object per line, or the reason a line is not one."""

from __future__ import annotations

import json
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
    return obj, None
