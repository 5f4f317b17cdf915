"""Fitting text into a fixed number of terminal cells without cutting a Chinese character."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"


def fit(text: str, width: int) -> str:
    """``text`` on one line, exactly ``width`` cells: padded, or cut with an ellipsis.

    Chinese characters are two cells wide; a cut never splits one (rich pads the gap).
    """
    if width <= 0:
        return ""
    text = " ".join(text.split())
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1).rstrip() + ELLIPSIS + " " * _gap(text, width)


def _gap(text: str, width: int) -> int:
    """Cells left over after the cut text and its ellipsis (0, or 1 when a wide char did not fit)."""
    cut = set_cell_size(text, width - 1).rstrip()
    return width - cell_len(cut) - 1
