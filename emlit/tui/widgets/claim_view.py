"""Rich renderables for one claim: its source context, its definition tags and its stance."""

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


def _explain(explanation: Any, label: str) -> str:
    """One line from the tagger's JSON explanation: its cues, and the nearest example that
    carries this label (the tagger stores cues, nearest examples and the threshold)."""
    if not explanation:
        return ""
    if not isinstance(explanation, dict):
        return str(explanation)
    bits = []
    cues = explanation.get("cues") or explanation.get("cue")
    if cues:
        bits.append("cue: " + (", ".join(map(str, cues)) if isinstance(cues, list) else str(cues)))
    nearest = explanation.get("nearest")
    if isinstance(nearest, list):
        same = [n for n in nearest if isinstance(n, dict) and label in (n.get("labels") or [])]
        if same:
            sim = same[0].get("similarity")
            near = f"like: {same[0].get('text', '')}"
            bits.append(near + (f" ({sim:.2f})" if isinstance(sim, int | float) else ""))
    if "threshold" in explanation:
        bits.append(f"threshold {explanation['threshold']}")
    return "; ".join(bits)


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
        table.add_column(title, no_wrap=True, overflow="ellipsis", **kw)  # type: ignore[arg-type]
    for t in tags:
        style = "" if t["effective"] else "dim strike"
        table.add_row(
            Text(t["label"], "bold cyan"),
            labels.get(t["label"], ""),
            Text("yes", "green") if t["assigned"] else Text("no", "red"),
            "" if t["score"] is None else f"{t['score']:.2f}",
            Text(t["provenance"], "bold magenta" if t["provenance"] == "human" else ""),
            "✓" if t["effective"] else "overridden",
            _explain(t["explanation"], t["label"]),
            style=style,
        )
    return Group(table)


STANCE_STYLES = {"affirms": "bold green", "disputes": "bold red", "neutral": "bold"}


def stance_text(rows: list[dict[str, Any]]) -> Text:
    """The claim's stance rows (human first): stance, who decided, scores, and why."""
    from emlit.stance.explain import scores_text, why

    if not rows:
        return Text("No stance yet (the stance model has not run on this claim).", "dim")
    text = Text()
    for r in rows:
        style = STANCE_STYLES.get(r["stance"], "") if r["effective"] else "dim strike"
        text.append(r["stance"], style)
        text.append(" · by ")
        text.append(r["provenance"], "bold magenta" if r["provenance"] == "human" else "")
        text.append(" · ✓ in effect" if r["effective"] else " · overridden", "dim")
        scores = scores_text(r.get("scores"))
        if scores:
            text.append(f"  ({scores})", "dim" if not r["effective"] else "")
        for reason in why(r.get("explanation")):
            text.append(f"\n    {reason}", "dim")
        text.append("\n")
    text.rstrip()
    return text
