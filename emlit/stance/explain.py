"""A stored stance in words: the stance, its scores, who decided, and why (cue, example)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emlit.vocab import STANCES


def scores_text(scores: Any) -> str:
    """``affirms 0.08 · disputes 0.83 · neutral 0.09`` (empty when there are no scores)."""
    if not isinstance(scores, Mapping):
        return ""
    return " · ".join(
        f"{s} {float(scores[s]):.2f}" for s in STANCES if isinstance(scores.get(s), int | float)
    )


def why(explanation: Any) -> list[str]:
    """The deciding cue and the nearest labelled example, as short phrases."""
    if not isinstance(explanation, Mapping):
        return [str(explanation)] if explanation else []
    out = []
    if explanation.get("cue"):
        out.append(f"cue: {explanation['cue']}")
    nearest = explanation.get("nearest")
    if isinstance(nearest, list) and nearest and isinstance(nearest[0], Mapping):
        n = nearest[0]
        text = " ".join(str(n.get("text", "")).split())
        text = text if len(text) <= 90 else text[:89] + "…"
        out.append(f'like: "{text}" ({n.get("stance")}, {float(n.get("similarity", 0)):.2f})')
    return out


def format_stance(row: Mapping[str, Any] | None) -> str:
    """One line for ``emlit claims --explain``: ``stance: disputes (model; affirms 0.08 ·
    disputes 0.83 · neutral 0.09) — cue: mirage (artefact); like: "..." (disputes, 0.41)``."""
    if not row:
        return "stance: not decided yet (the stance model has not run on this claim)"
    head = f"stance: {row['stance']} ({row['provenance']}"
    scores = scores_text(row.get("scores"))
    head += f"; {scores})" if scores else ")"
    reasons = why(row.get("explanation"))
    return head + (" — " + "; ".join(reasons) if reasons else "")
