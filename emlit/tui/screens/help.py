"""The help screen: what each screen shows and its keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# emlit: keys

**Everywhere**: `F1` or `?` this help · `F2` claims · `F3` documents · `F4` polls ·
`Ctrl+P` command palette · `Ctrl+T` light/dark · `Esc` back · `q` quit.
The mouse works too: click a row to select it, click again to open it; scroll with the wheel.

## Claims (F2)
`/` search (English or 中文; every whole word must appear, Chinese matches any part) · `↑↓ PgUp PgDn Home End` move ·
`Enter` claim detail · `e` evidence tree · `o` open the document at the claim ·
`r` review from here · `x` clear filters. The filters beside the search box narrow by
definition, language, document, *has counter evidence* and *not yet reviewed*.

## Claim detail
Source context (the paragraph, section, page), definition tags with scores and provenance,
**talking past each other** flags (a COUNTERS link between claims using different
definitions), the **stance** (affirms / disputes / neutral, the model's scores and why) and
evidence: `Enter` follows a link. `s` sets the stance (affirms → disputes → neutral →
cleared, stored as *human*) · `u` undo · `o` document · `e` evidence tree · `r` review.

## Evidence tree
`+`/`-` depth · `Enter` or `d` opens the highlighted claim. The chart counts, per definition,
the supporting and countering links in the tree whose evidence uses that definition, and
how many claims of the tree using it affirm, dispute or are neutral.

## Documents (F3) and reader
`Enter` read · `c` the document's claims. In the reader: `n`/`p` next/previous claim,
`Enter` its detail.

## Review (r)
`1`–`6` toggle D1–D6 (adds the tag, or rejects it) · `a` accept the current tags ·
`s` the stance (affirms → disputes → neutral → cleared) ·
`↑↓` choose a link, `c` confirm, `x` reject · `u` undo · `n`/`Space` next · `p` previous.
Each decision is stored at once with provenance *human*; machine re-runs never overwrite it.

## Polls (F4)
Live results, refreshed every second: bars with 95% Wilson intervals, n, own belief versus
perceived consensus, pre versus post. `1` pre · `2` post · `0` close the poll · `[`/`]` other polls.
"""


class HelpScreen(ModalScreen[None]):
    """Every key, screen by screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "app.pop_screen", "Close")
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
