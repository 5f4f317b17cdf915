"""Definition-aware reading of the evidence: who is really disagreeing with whom.

- A COUNTERS link between claims that use *different* definitions (both tagged, no label in
  common) is flagged as "talking past each other": it is not evidence against the claim in
  the sense the claim uses the word.
- For each definition: the balance of evidence received by the claims that use it, and how
  many of those claims affirm, dispute or are neutral (the one rule of
  ``emlit.evidence.balance``, which the TUI and the HTML view use too).
- The most contested claims: those with the most genuine counter-evidence.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from emlit.evidence.balance import balance, ratio, stance_counts, talking_past
from emlit.vocab import COUNTERS, DEFINITIONS, SUPPORTS

if TYPE_CHECKING:
    from emlit.store import StoreReader


def analyze(store: StoreReader, top: int = 10) -> dict[str, Any]:
    labels = store.all_labels()
    texts = store.all_texts()
    links = store.evidence_links()
    present = [(s, t, rel) for s, t, rel, _, _ in links if s in texts and t in texts]
    past, genuine, undetermined = [], 0, 0
    received: dict[str, dict[str, int]] = defaultdict(
        lambda: {"supports": 0, "counters": 0, "past": 0}
    )
    for src, tgt, rel, prov, score in links:
        if src not in texts or tgt not in texts:
            continue
        r = received[tgt]
        if rel == SUPPORTS:
            r["supports"] += 1
        elif talking_past(labels.get(src), labels.get(tgt)):
            r["past"] += 1
            past.append(
                {
                    "source": src,
                    "target": tgt,
                    "source_text": texts[src],
                    "target_text": texts[tgt],
                    "source_labels": labels.get(src, []),
                    "target_labels": labels.get(tgt, []),
                    "provenance": prov,
                    "score": score,
                }
            )
        else:
            r["counters"] += 1
            if labels.get(src) and labels.get(tgt):
                genuine += 1
            else:
                undetermined += 1
    per_definition = balance(present, labels)
    stances = stance_counts(store.stances_for(list(texts)), {c: labels.get(c, []) for c in texts})
    by_definition = {
        d: {
            "claims": sum(1 for c, ls in labels.items() if d in ls and c in texts),
            "supports": per_definition[d]["supports"],
            "counters": per_definition[d]["counters"],
            "talking_past": per_definition[d]["talking_past"],
            "balance": ratio(per_definition[d]),
            **stances[d],
        }
        for d in DEFINITIONS
    }
    contested = sorted(
        ((c, r) for c, r in received.items() if r["counters"]),
        key=lambda cr: (-cr[1]["counters"], -cr[1]["supports"], cr[0]),
    )[:top]
    return {
        "counters": {
            "total": sum(1 for _, _, rel, _, _ in links if rel == COUNTERS),
            "same_definition": genuine,
            "talking_past": len(past),
            "undetermined": undetermined,
        },
        "talking_past": past,
        "by_definition": by_definition,
        "most_contested": [
            {"id": c, "text": texts[c], "labels": labels.get(c, []), **r} for c, r in contested
        ],
    }


def format_analysis(rep: dict[str, Any], width: int = 100) -> str:
    def short(t: str, n: int = width - 12) -> str:
        return t if len(t) <= n else t[: n - 1] + "…"

    c = rep["counters"]
    lines = [
        f"COUNTERS links: {c['total']} — same definition {c['same_definition']}, "
        f"talking past each other {c['talking_past']}, definitions unknown {c['undetermined']}",
        "",
        "Balance per definition (claims using it: how many affirm / dispute / are neutral; "
        "evidence they receive: supports vs genuine counters, and counters talking past them):",
        f"  {'def':<4} {'claims':>6} {'affirm':>6} {'dispute':>7} {'neutral':>7}"
        f" {'supports':>8} {'counters':>8} {'past':>5} {'balance':>8}",
    ]
    for d, b in rep["by_definition"].items():
        bal = "-" if b["balance"] is None else f"{b['balance']:+.2f}"
        lines.append(
            f"  {d:<4} {b['claims']:>6} {b['affirms']:>6} {b['disputes']:>7} {b['neutral']:>7}"
            f" {b['supports']:>8} {b['counters']:>8} {b['talking_past']:>5} {bal:>8}"
        )
    lines += ["", "Most contested claims (genuine counters, supports):"]
    for r in rep["most_contested"]:
        lines.append(
            f"  -{r['counters']} +{r['supports']} [{','.join(r['labels']) or '-'}] {short(r['text'])}"
        )
    lines += ["", "Talking past each other (COUNTERS across definitions):"]
    for p in rep["talking_past"]:
        lines.append(f"  [{','.join(p['source_labels'])}] {short(p['source_text'])}")
        lines.append(f"    ✗ [{','.join(p['target_labels'])}] {short(p['target_text'])}")
    return "\n".join(lines)
