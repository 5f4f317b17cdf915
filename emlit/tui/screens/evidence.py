"""The evidence neighbourhood of a claim: a tree of supports and counters, and its balance."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Tree

from emlit.evidence.balance import balance, stance_counts, with_stances
from emlit.store import EvidenceNode, tree_links
from emlit.tui.widgets.balance_chart import BalanceChart
from emlit.tui.widgets.evidence_list import evidence_label

if TYPE_CHECKING:
    from emlit.tui.app import EmlitApp

MAX_DEPTH = 6


class EvidenceScreen(Screen[None]):
    """Supports and counters around one claim, to a depth you choose with + and -."""

    app: EmlitApp
    AUTO_FOCUS = "#evidence-tree"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("plus,equals_sign", "depth(1)", "Deeper"),
        Binding("minus", "depth(-1)", "Shallower"),
        Binding("d", "detail", "Claim detail"),
    ]

    def __init__(self, claim_id: str, depth: int = 2) -> None:
        super().__init__()
        self.claim_id = claim_id
        self.depth = depth

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="evidence-body"):
            yield Tree[str]("", id="evidence-tree")
            with Vertical(id="balance-pane"):
                yield Label("", id="balance-title", classes="section-title")
                yield BalanceChart(id="balance")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Evidence"
        self.rebuild()
        self.query_one(Tree).focus()

    def rebuild(self) -> None:
        q = self.app.queries
        claim = q.claim(self.claim_id)
        tree: Tree[str] = self.query_one(Tree)
        tree.clear()
        if claim is None:
            tree.root.set_label(Text(f"Claim {self.claim_id} is no longer in the store."))
            return
        root_label = Text()
        root_label.append(f"[{' '.join(claim['labels']) or '–'}] ", "cyan")
        root_label.append(" ".join(claim["text"].split()), "bold")
        tree.root.set_label(root_label)
        tree.root.data = self.claim_id
        nodes = q.evidence_tree(self.claim_id, self.depth)
        self._add(tree.root, nodes)
        tree.root.expand_all()
        title = f"Balance per definition (depth {self.depth}, {self._count(nodes)} links)"
        self.query_one("#balance-title", Label).update(title)
        labels = tree_labels(self.claim_id, claim["labels"], nodes)
        stances = stance_counts(q.stances_for(list(labels)), labels)
        self.query_one(BalanceChart).show(
            with_stances(balance(tree_links(self.claim_id, nodes), labels), stances),
            self.app.definition_labels,
        )

    def _add(self, parent: object, nodes: list[EvidenceNode]) -> None:
        for node in nodes:
            child = parent.add(evidence_label(node.item), data=node.item.claim_id)  # type: ignore[attr-defined]
            if node.children:
                self._add(child, node.children)
            else:
                child.allow_expand = False

    def _count(self, nodes: list[EvidenceNode]) -> int:
        return sum(1 + self._count(n.children) for n in nodes)

    def action_depth(self, delta: int) -> None:
        self.depth = max(1, min(MAX_DEPTH, self.depth + delta))
        self.rebuild()

    def action_detail(self) -> None:
        node = self.query_one(Tree).cursor_node
        if node is not None and node.data:
            self.app.open_claim(node.data)

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data and event.node is not event.node.tree.root:
            self.app.open_claim(event.node.data)


def tree_labels(
    root_id: str, root_labels: list[str], nodes: list[EvidenceNode]
) -> dict[str, list[str]]:
    """Labels of every claim in the tree (the root's included), by claim id."""
    out = {root_id: root_labels}
    stack = list(nodes)
    while stack:
        node = stack.pop()
        out[node.item.claim_id] = node.item.labels
        stack.extend(node.children)
    return out
