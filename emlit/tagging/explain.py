"""Explanations of tags: what is stored with each tag row, and how it is printed."""

from __future__ import annotations

import json
from typing import Any


def label_explanation(result: dict[str, Any], label: str, model_version: str) -> dict[str, Any]:
    """The explanation stored with one definition's tag row (JSON-able)."""
    ex = result.get("explain") or {}
    return {
        "label": label,
        "score": result["scores"][label],
        "threshold": (ex.get("thresholds") or {}).get(label),
        "cues": (ex.get("cues") or {}).get(label, []),
        "nearest": ex.get("nearest", []),
        "similarity_space": ex.get("similarity_space"),
        "model": model_version,
    }


def format_explanation(row: dict[str, Any]) -> str:
    """One tag row (from ``tags``/``effective_tags``) as a short readable paragraph.

    ``row`` needs label, assigned, score, provenance, and explanation (JSON text or dict).
    """
    label = row.get("label", "?")
    verdict = "uses" if row.get("assigned") else "does not use"
    score = row.get("score")
    head = f"{label}: {verdict}"
    if row.get("provenance") == "human":
        return f"{head} (decided by a human)"
    exp = row.get("explanation")
    if isinstance(exp, str):
        try:
            exp = json.loads(exp)
        except json.JSONDecodeError:
            exp = None
    if not isinstance(exp, dict):
        return f"{head} (score {score}, {row.get('provenance')}, no explanation stored)"
    lines = [
        f"{head} (score {exp.get('score', score):.2f}, threshold {exp.get('threshold')}, "
        f"{row.get('provenance')} {exp.get('model', '')})".rstrip()
    ]
    cues = exp.get("cues") or []
    lines.append("  cues: " + (", ".join(f"“{c}”" for c in cues) if cues else "none matched"))
    for n in exp.get("nearest", [])[:3]:
        labels = ",".join(n.get("labels") or []) or "none"
        lines.append(f"  ~{n.get('similarity', 0):.2f} [{labels}] {n.get('text', '')}")
    return "\n".join(lines)
