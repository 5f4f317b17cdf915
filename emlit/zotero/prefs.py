"""The base folder of relative linked files, from Zotero's prefs.js.

Zotero stores a linked file under the "Linked Attachment Base Directory" as
``attachments:sub/paper.pdf``; the base itself is a preference in the profile folder
(``extensions.zotero.baseAttachmentPath``), not in the data directory. We look in the
usual profile folders for the profile whose data directory is the one being read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

_PREF = re.compile(r'user_pref\("extensions\.zotero\.(\w+)",\s*("(?:[^"\\]|\\.)*"|true|false)\);')


def profile_roots() -> list[Path]:
    """Where Zotero keeps its profiles on Linux, macOS and Windows."""
    home = Path.home()
    roots = [home / ".zotero" / "zotero", home / "Library/Application Support/Zotero/Profiles"]
    if os.environ.get("APPDATA"):
        roots.append(Path(os.environ["APPDATA"]) / "Zotero" / "Zotero" / "Profiles")
    return roots


def read_prefs(path: Path) -> dict[str, str | bool]:
    """The ``extensions.zotero.*`` preferences of a prefs.js (strings and booleans)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    out: dict[str, str | bool] = {}
    for name, raw in _PREF.findall(text):
        out[name] = raw == "true" if raw in ("true", "false") else json.loads(raw)
    return out


def base_dir_for(data_dir: Path, roots: Iterable[Path] | None = None) -> Path | None:
    """The linked-attachment base folder of the profile that uses ``data_dir``, if any."""
    target = _resolved(data_dir)
    for root in profile_roots() if roots is None else roots:
        for prefs_js in sorted(root.glob("*/prefs.js")):
            prefs = read_prefs(prefs_js)
            base = prefs.get("baseAttachmentPath")
            if not isinstance(base, str) or not base:
                continue
            custom = prefs.get("dataDir") if prefs.get("useDataDir") else None
            used = Path(custom) if isinstance(custom, str) and custom else Path.home() / "Zotero"
            if _resolved(used) == target:
                return Path(base)
    return None


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except OSError:
        return path
