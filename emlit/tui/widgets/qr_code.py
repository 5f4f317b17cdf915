"""A QR code drawn with half-block characters, dark on light whatever the theme."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

_HALF = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_text(url: str) -> Text:
    """Two QR modules per character cell (upper and lower half), with a quiet zone."""
    import segno

    rows = [[bool(v) for v in row] for row in segno.make(url, error="m").matrix_iter(border=2)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    text = Text(style="black on white")
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        text.append("".join(_HALF[(a, b)] for a, b in zip(top, bottom, strict=True)) + "\n")
    text.rstrip()
    return text


class QRCode(Static):
    """The voter URL as a scannable code."""

    def show(self, url: str) -> None:
        self.update(qr_text(url))
