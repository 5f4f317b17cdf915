"""Poll results as text bars: share, 95% Wilson interval, n; pre versus post side by side.

Input is the dict of ``emlit.poll.stats.poll_results`` (contract 5's json report, numbers only).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from emlit.vocab import VOTE_PHASES

BAR_WIDTH = 30


def interval_bar(share: float, ci: list[float] | None, width: int = BAR_WIDTH) -> Text:
    """█ up to the interval's low end, ▓ on to the share, ░ on to the high end."""
    lo, hi = ci if ci else (share, share)
    cells = [round(x * width) for x in (lo, share, hi)]
    text = Text()
    text.append("█" * cells[0], "bold")
    text.append("▓" * (cells[1] - cells[0]))
    text.append("░" * (cells[2] - cells[1]), "dim")
    text.append(" " * (width - cells[2]))
    return text


def choice_block(title: str, summary: dict[str, Any] | None) -> Text:
    """One question in one phase: a bar per option, its share, interval and count."""
    text = Text()
    n = summary["n"] if summary else 0
    text.append(f"{title}  ", "bold")
    text.append(f"n = {n}\n", "dim")
    if not summary or not n:
        text.append("  no answers yet\n", "dim")
        return text
    for option, count in summary["counts"].items():
        share = summary["share"][option] or 0.0
        ci = summary["ci95"].get(option)
        text.append(f"  {option:<9}")
        text.append_text(interval_bar(share, ci))
        interval = f" [{ci[0]:.0%}–{ci[1]:.0%}]" if ci else ""
        text.append(f" {share:5.1%}{interval} ({count})\n")
    return text


def number_block(title: str, summary: dict[str, Any] | None) -> Text:
    text = Text()
    text.append(f"{title}  ", "bold")
    n = summary["n"] if summary else 0
    text.append(f"n = {n}\n", "dim")
    if summary and n:
        ci = summary.get("ci95_mean")
        interval = f" [{ci[0]:.1f}–{ci[1]:.1f}]" if ci else ""
        text.append(f"  mean {summary['mean']:.1f}{interval}, median {summary['median']:.1f}\n")
    else:
        text.append("  no answers yet\n", "dim")
    return text


def question_text(result: dict[str, Any], qid: str) -> str:
    for q in result.get("questions", []):
        if q["id"] == qid:
            text = q.get("text")
            return (
                str(text.get("en") or next(iter(text.values())))
                if isinstance(text, dict)
                else str(text)
            )
    return qid


def results_text(result: dict[str, Any]) -> Text:
    """Belief versus perceived consensus, then every question pre versus post."""
    phases = result.get("phases", {})
    kinds = {q["id"]: q["kind"] for q in result.get("questions", [])}
    out = Text()
    for qid, kind in kinds.items():
        if kind not in ("choice", "number"):
            continue
        out.append(f"{qid}: {question_text(result, qid)}\n", "bold underline")
        for phase in VOTE_PHASES:
            summary = phases.get(phase, {}).get("questions", {}).get(qid)
            block = choice_block if kind == "choice" else number_block
            out.append_text(block(f" {phase}", summary))
        trans = result.get("transitions", {}).get(qid)
        if trans and trans.get("n_paired"):
            out.append(f"  {trans['n_paired']} voters answered both pre and post\n", "dim")
        out.append("\n")
    out.rstrip()
    return out


def gap_text(result: dict[str, Any]) -> Text:
    """Own belief versus what people think most others believe (share agreeing), per phase."""
    out = Text()
    out.append("Belief vs perceived consensus (agree)\n", "bold")
    for phase in VOTE_PHASES:
        qs = result.get("phases", {}).get(phase, {}).get("questions", {})
        belief = (qs.get("belief") or {}).get("share", {}).get("agree")
        consensus = (qs.get("consensus") or {}).get("share", {}).get("agree")
        if belief is None and consensus is None:
            out.append(f"  {phase}: no answers yet\n", "dim")
            continue
        b = "–" if belief is None else f"{belief:.0%}"
        c = "–" if consensus is None else f"{consensus:.0%}"
        out.append(f"  {phase}: own belief {b}  ·  think most others agree {c}\n")
    out.rstrip()
    return out
