"""Rich renderables for one claim: its source context, and its definition tags."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text


def context_text(claim: dict[str, Any]) -> Text:
    """The paragraph around the claim, the claim itself highlighted."""
    ctx = claim["context"]
    text = Text(ctx["text"])
    text.stylize("bold reverse", ctx["start"], ctx["end"])
    return text


def source_line(claim: dict[str, Any]) -> Text:
    parts = [claim["document"]]
    if claim.get("section"):
        parts.append(f"§ {claim['section']}")
    if claim.get("page") is not None:
        parts.append(f"p. {claim['page']}")
    parts.append(f"{claim['lang']} · chars {claim['start']}–{claim['end']}")
    return Text("  ·  ".join(parts), "dim")


def _explain(explanation: Any) -> str:
    """One line from the tagger's JSON explanation (matched cue, nearest example)."""
    if not explanation:
        return ""
    if isinstance(explanation, str):
        return explanation
    if isinstance(explanation, dict):
        bits = []
        for key in ("cue", "matched", "matched_cue", "rule"):
            if explanation.get(key):
                bits.append(f"cue: {explanation[key]}")
                break
        nearest = explanation.get("nearest") or explanation.get("nearest_examples")
        if isinstance(nearest, list) and nearest:
            first = nearest[0]
            ex = first.get("text") if isinstance(first, dict) else str(first)
            bits.append(f"like: {ex}")
        return "; ".join(bits) or ", ".join(f"{k}={v}" for k, v in explanation.items())
    return str(explanation)


def tags_table(tags: list[dict[str, Any]], labels: dict[str, str]) -> RenderableType:
    """Every tag row: label, decision, score, provenance, whether it is in effect, why."""
    if not tags:
        return Text("No definition tags yet (the tagger has not run on this claim).", "dim")
    table = Table(expand=True, box=None, pad_edge=False, show_edge=False)
    for title, kw in (
        ("Def", {"width": 4}),
        ("Name", {"ratio": 2}),
        ("Uses", {"width": 5}),
        ("Score", {"width": 6}),
        ("By", {"width": 6}),
        ("In effect", {"width": 9}),
        ("Why", {"ratio": 3}),
    ):
        table.add_column(title, no_wrap=title != "Why", **kw)  # type: ignore[arg-type]
    for t in tags:
        style = "" if t["effective"] else "dim strike"
        table.add_row(
            Text(t["label"], "bold cyan"),
            labels.get(t["label"], ""),
            Text("yes", "green") if t["assigned"] else Text("no", "red"),
            "" if t["score"] is None else f"{t['score']:.2f}",
            Text(t["provenance"], "bold magenta" if t["provenance"] == "human" else ""),
            "✓" if t["effective"] else "overridden",
            _explain(t["explanation"]),
            style=style,
        )
    return Group(table)
