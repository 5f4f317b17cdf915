"""Frontmatter at the top of a note: YAML between ``---`` lines, or Hugo's TOML between ``+++``.

``split_frontmatter(text, path=...)`` is shared by the Markdown and the plain-text readers;
its signature and return value are a stable interface:

    metadata, body, body_offset = split_frontmatter(text, path="notes/a.md")

- ``metadata`` is ``None`` when the text has no frontmatter, else a dict of JSON-safe values
  (dates and datetimes become ISO strings, other odd YAML types become strings).
- ``body`` is ``text[body_offset:]``: what follows the closing delimiter line.
- Broken frontmatter raises ``ReadError(path, "invalid YAML frontmatter (line N: reason)")``
  (or ``invalid TOML frontmatter``), N being the line in the file.

A block between two ``---`` lines counts as frontmatter only if its first content line looks
like ``key:`` (or it is empty): a text note that merely starts with a horizontal rule is left
alone, while a real frontmatter with a YAML mistake in it is reported, never silently read
as text.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Any

import yaml

from emlit.errors import ReadError

_YAML_FENCE = "---"
_TOML_FENCE = "+++"
# ``key:`` at the start of a line (YAML keys may be quoted); comments are skipped before it.
_YAML_KEY = re.compile(r"""^(?:[\w\-. ]+|"[^"\n]*"|'[^'\n]*')\s*:(?:\s|$)""")
_TOML_LINE = re.compile(r"(?:at )?line (\d+)")
# Jekyll writes dates PyYAML does not take as timestamps: ``2023-06-10 12:00:00 +0800``.
_JEKYLL_DATE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)
_DATE_KEYS = frozenset({"date", "created", "updated", "modified", "lastmod", "publishdate"})


def split_frontmatter(text: str, path: str = "<text>") -> tuple[dict[str, Any] | None, str, int]:
    """Split ``text`` into (frontmatter metadata or None, body, offset of the body in text)."""
    first_line = text.split("\n", 1)[0].rstrip()
    if first_line == _YAML_FENCE:
        return _split(text, _YAML_FENCE, path)
    if first_line == _TOML_FENCE:
        return _split(text, _TOML_FENCE, path)
    return None, text, 0


def _split(text: str, fence: str, path: str) -> tuple[dict[str, Any] | None, str, int]:
    lines = text.split("\n")
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == fence), None)
    if close is None:
        if fence == _YAML_FENCE and _looks_like_yaml(lines[1:]):
            raise ReadError(path, "invalid YAML frontmatter (line 1: no closing '---' line)")
        if fence == _TOML_FENCE:
            raise ReadError(path, "invalid TOML frontmatter (line 1: no closing '+++' line)")
        return None, text, 0
    inner = "\n".join(lines[1:close])
    if fence == _YAML_FENCE:
        if not _looks_like_yaml(lines[1:close]):
            return None, text, 0
        data = _load_yaml(inner, path)
    else:
        data = _load_toml(inner, path)
    offset = sum(len(line) + 1 for line in lines[: close + 1])
    offset = min(offset, len(text))
    try:
        metadata = normalise_metadata(data)
    except _TooBig:
        kind = "YAML" if fence == _YAML_FENCE else "TOML"
        raise ReadError(
            path, f"invalid {kind} frontmatter (line 2: too large or self-referencing)"
        ) from None
    return metadata, text[offset:], offset


def _looks_like_yaml(lines: list[str]) -> bool:
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        return bool(_YAML_KEY.match(line))
    return True


def _load_yaml(inner: str, path: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(inner)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 2  # +1 for 1-based, +1 for '---'
        reason = exc.problem or exc.context or "syntax error"
        raise ReadError(path, f"invalid YAML frontmatter (line {line}: {reason})") from None
    except yaml.YAMLError as exc:
        raise ReadError(path, f"invalid YAML frontmatter (line 2: {exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ReadError(
            path,
            f"invalid YAML frontmatter (line 2: expected key: value pairs, "
            f"got a {type(data).__name__})",
        )
    return data


def _load_toml(inner: str, path: str) -> dict[str, Any]:
    try:
        return tomllib.loads(inner)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_LINE.search(message)
        line = int(found.group(1)) + 1 if found else 2
        reason = re.sub(r"\s*\(at [^)]*\)$", "", message) or "syntax error"
        raise ReadError(path, f"invalid TOML frontmatter (line {line}: {reason})") from None


class _TooBig(Exception):
    """YAML aliases can make a tiny frontmatter expand to billions of values, or to a cycle."""


# Frontmatter holds a few dozen values; more than this is an alias bomb or a cycle.
_MAX_VALUES = 100_000
_MAX_DEPTH = 50


def normalise_metadata(data: dict[str, Any]) -> dict[str, Any]:
    """Make frontmatter JSON-safe: string keys, ISO dates, lists for tags/categories/aliases."""
    out: dict[str, Any] = {}
    budget = [_MAX_VALUES]
    for key, value in data.items():
        name = _unicode(str(key))
        value = _json_safe(value, budget, 0)
        if name.lower() in _DATE_KEYS and isinstance(value, str):
            value = _jekyll_date(value)
        if name.lower() in ("tags", "tag", "categories", "category", "keywords"):
            value = as_list(value, split_spaces=True)
            if name.lower().startswith("tag"):
                value = [tag.lstrip("#") for tag in value if tag.lstrip("#")]
        elif name.lower() in ("aliases", "alias"):
            value = as_list(value, split_spaces=False)
        out[name] = value
    return out


def as_list(value: Any, *, split_spaces: bool) -> list[str]:
    """Frontmatter lists come as YAML lists or as ``a, b`` / ``a b`` strings (Jekyll)."""
    if value is None:
        return []
    if isinstance(value, list):
        items = [str(item).strip() for item in value if item is not None]
    elif "," in str(value) or not split_spaces:
        items = [part.strip() for part in str(value).split(",")]
    else:
        items = str(value).split()
    return [item for item in items if item]


def _jekyll_date(value: str) -> str:
    found = _JEKYLL_DATE.match(value.strip())
    if not found:
        return value
    day, clock, zone = found.groups()
    if not clock:
        return day
    if clock.count(":") == 1:
        clock += ":00"
    if len(clock) == 7:
        clock = "0" + clock
    if zone and zone != "Z" and ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    return f"{day}T{clock}{zone or ''}"


def _json_safe(value: Any, budget: list[int], depth: int) -> Any:
    budget[0] -= 1
    if budget[0] < 0 or depth > _MAX_DEPTH:
        raise _TooBig
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {_unicode(str(k)): _json_safe(v, budget, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_safe(v, budget, depth + 1) for v in value]
    if isinstance(value, str):
        return _unicode(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return _unicode(str(value))


def _unicode(text: str) -> str:
    """Text that can be stored: YAML's ``"\\ud83d\\ude00"`` escapes arrive as two surrogate
    halves, which UTF-16 joins back into one character; a half with no partner cannot be
    stored or written out and becomes U+FFFD, so the note is kept instead of failing whole."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
