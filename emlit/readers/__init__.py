"""Readers turn a file into one or more ParsedDocuments; which one runs depends on the suffix.

Each reader is a module with ``read(path: Path) -> list[ParsedDocument]`` that raises
``ReadError`` (naming the file and the reason) for anything it cannot read. Readers are
imported only when a file of their kind turns up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from emlit.errors import ReadError
from emlit.models import ParsedDocument

READERS: dict[str, str] = {
    ".md": "emlit.readers.markdown:read",
    ".markdown": "emlit.readers.markdown:read",
    ".txt": "emlit.readers.text:read",
    ".text": "emlit.readers.text:read",
    ".html": "emlit.readers.html:read",
    ".htm": "emlit.readers.html:read",
    ".pdf": "emlit.readers.pdf:read",
    ".bib": "emlit.readers.bibtex:read",
}


def supported(path: Path) -> bool:
    return path.suffix.lower() in READERS


def reader_for(path: Path) -> Callable[[Path], list[ParsedDocument]]:
    spec = READERS.get(path.suffix.lower())
    if spec is None:
        raise ReadError(str(path), f"unsupported file type {path.suffix or '(none)'}")
    module_name, _, func = spec.partition(":")
    reader: Callable[[Path], list[ParsedDocument]] = getattr(
        importlib.import_module(module_name), func
    )
    return reader


def read_document(path: Path) -> list[ParsedDocument]:
    """Read ``path`` with the reader for its suffix."""
    return reader_for(path)(path)
