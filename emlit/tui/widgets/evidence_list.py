"""A list of evidence links you can follow: Enter opens the other claim."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from emlit.store import EvidenceItem

RELATION_STYLE = {"SUPPORTS": "bold green", "COUNTERS": "bold red"}


def evidence_label(item: EvidenceItem) -> Text:
    """'◀ COUNTERS [D3] text (model 0.82)': the arrow says which way the link points."""
    arrow = "◀" if item.incoming else "▶"
    text = Text()
    text.append(f"{arrow} {item.relation:<8} ", RELATION_STYLE.get(item.relation, ""))
    text.append(f"[{' '.join(item.labels) or '–'}] ", "cyan")
    rejected = item.provenance == "human" and item.state == "rejected"
    text.append(" ".join(item.text.split()), "strike dim" if rejected else "")
    detail = item.provenance if item.score is None else f"{item.provenance} {item.score:.2f}"
    if item.provenance == "human":
        detail = f"human {item.state or 'confirmed'}"
    text.append(f"  ({detail})", "dim")
    return text


class EvidenceList(OptionList):
    """Supporting and counter evidence of one claim."""

    @dataclass
    class Follow(Message):
        """The user chose to open the claim at the other end of a link."""

        claim_id: str

    def __init__(self, items: list[EvidenceItem], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[EvidenceItem] = []
        self.set_items(items)

    def set_items(self, items: list[EvidenceItem]) -> None:
        highlighted = self.highlighted
        self.items = items
        self.clear_options()
        if items:
            self.add_options([Option(evidence_label(i)) for i in items])
            self.highlighted = min(highlighted or 0, len(items) - 1)
        else:
            self.add_option(Option(Text("no evidence links", "dim"), disabled=True))

    @property
    def current(self) -> EvidenceItem | None:
        if self.highlighted is None or not self.items:
            return None
        return self.items[self.highlighted]

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.items:
            self.post_message(self.Follow(self.items[event.option_index].claim_id))
