"""Definition-aware reading of the evidence: who is really disagreeing with whom.

- A COUNTERS link between claims that use *different* definitions (both tagged, no label in
  common) is flagged as "talking past each other": it is not evidence against the claim in
  the sense the claim uses the word.
- For each definition: the supporting and (genuine) counter evidence received by the claims
  that use it.
- The most contested claims: those with the most genuine counter-evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from emlit.definitions import DEFINITION_IDS

if TYPE_CHECKING:
    from emlit.store import Store


def _labels(value: str | Iterable[str] | None) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str):
        return {x for x in value.split(",") if x}
    return set(value)


def talking_past(
    labels_a: str | Iterable[str] | None, labels_b: str | Iterable[str] | None
) -> bool:
    """Both claims say which sense they use, and no sense is shared."""
    a, b = _labels(labels_a), _labels(labels_b)
    return bool(a) and bool(b) and not (a & b)


def analyze(store: Store, top: int = 10) -> dict[str, Any]:
    conn = store.conn
    labels: dict[str, set[str]] = defaultdict(set)
    for cid, label in conn.execute("SELECT claim_id, label FROM effective_tags WHERE assigned = 1"):
        labels[cid].add(label)
    texts = dict(conn.execute("SELECT id, text FROM claims"))
    links = conn.execute(
        "SELECT source_id, target_id, relation, provenance, score FROM effective_links "
        "WHERE target_kind = 'claim' AND relation IN ('SUPPORTS', 'COUNTERS')"
    ).fetchall()
    past, genuine, undetermined = [], 0, 0
    received: dict[str, dict[str, int]] = defaultdict(
        lambda: {"supports": 0, "counters": 0, "past": 0}
    )
    for src, tgt, rel, prov, score in links:
        if src not in texts or tgt not in texts:
            continue
        r = received[tgt]
        if rel == "SUPPORTS":
            r["supports"] += 1
            continue
        if talking_past(labels[src], labels[tgt]):
            r["past"] += 1
            past.append(
                {
                    "source": src,
                    "target": tgt,
                    "source_text": texts[src],
                    "target_text": texts[tgt],
                    "source_labels": sorted(labels[src]),
                    "target_labels": sorted(labels[tgt]),
                    "provenance": prov,
                    "score": score,
                }
            )
        else:
            r["counters"] += 1
            if labels[src] and labels[tgt]:
                genuine += 1
            else:
                undetermined += 1
    balance = {}
    for d in DEFINITION_IDS:
        users = [c for c, ls in labels.items() if d in ls and c in texts]
        sup = sum(received[c]["supports"] for c in users if c in received)
        cnt = sum(received[c]["counters"] for c in users if c in received)
        pst = sum(received[c]["past"] for c in users if c in received)
        balance[d] = {
            "claims": len(users),
            "supports": sup,
            "counters": cnt,
            "talking_past": pst,
            "balance": round((sup - cnt) / (sup + cnt), 3) if sup + cnt else None,
        }
    contested = sorted(
        ((c, r) for c, r in received.items() if r["counters"]),
        key=lambda cr: (-cr[1]["counters"], -cr[1]["supports"], cr[0]),
    )[:top]
    return {
        "counters": {
            "total": sum(1 for _, _, rel, _, _ in links if rel == "COUNTERS"),
            "same_definition": genuine,
            "talking_past": len(past),
            "undetermined": undetermined,
        },
        "talking_past": past,
        "by_definition": balance,
        "most_contested": [
            {"id": c, "text": texts[c], "labels": sorted(labels[c]), **r} for c, r in contested
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
        "Balance of evidence per definition (claims using it; supports vs genuine counters received):",
        f"  {'def':<4} {'claims':>6} {'supports':>8} {'counters':>8} {'past':>5} {'balance':>8}",
    ]
    for d, b in rep["by_definition"].items():
        bal = "-" if b["balance"] is None else f"{b['balance']:+.2f}"
        lines.append(
            f"  {d:<4} {b['claims']:>6} {b['supports']:>8} {b['counters']:>8} {b['talking_past']:>5} {bal:>8}"
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
