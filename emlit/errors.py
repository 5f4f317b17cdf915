"""The one exception type the CLI turns into a one-line message."""

from __future__ import annotations


class EmlitError(Exception):
    """A user-facing error: its message names the file or field and the reason."""


class ReadError(EmlitError):
    """A file could not be read as the document type its name promises."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
