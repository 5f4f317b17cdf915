"""What every reader shares: building the stored text block by block, and decoding bytes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from emlit.errors import ReadError
from emlit.models import Block

# A file bigger than this is refused rather than read into memory whole.
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass
class TextBuilder:
    """Appends blocks to a document's text and remembers where each one lies."""

    parts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    length: int = 0

    def add(
        self, text: str, kind: str, section: str | None = None, page: int | None = None
    ) -> None:
        text = text.strip()
        if not text:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        self.blocks.append(Block(start, self.length, kind, section, page))

    @property
    def text(self) -> str:
        return "".join(self.parts)


def decode_text(data: bytes, path: str) -> str:
    """Decode a text file strictly as UTF-8 (with or without BOM); refuse binary data."""
    if b"\x00" in data[:8192]:
        raise ReadError(path, "binary data in a text file (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(path, f"not valid UTF-8 (byte {exc.start}: {exc.reason})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReadError(
                str(path), f"file too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})"
            )
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(str(path), exc.strerror or str(exc)) from None
