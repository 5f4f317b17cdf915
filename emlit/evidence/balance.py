"""The balance of evidence per definition: one rule, used by ``emlit analyze``, the TUI and
the HTML view (see docs/evidence.md, "Balance").

A link is counted under each definition its *target* uses (the claim that receives the
evidence). A COUNTERS link between two claims that both say which sense they use and share
none is "talking past each other": it is not evidence against the target in the sense the
target uses the word, so it is counted apart from the genuine counters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from emlit.vocab import DEFINITIONS, SUPPORTS

Labels = str | Iterable[str] | None


def _labels(value: Labels) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str):
        return {x for x in value.split(",") if x}
    return set(value)


def talking_past(labels_a: Labels, labels_b: Labels) -> bool:
    """Both claims say which sense they use, and no sense is shared."""
    a, b = _labels(labels_a), _labels(labels_b)
    return bool(a) and bool(b) and not (a & b)


def empty_balance() -> dict[str, dict[str, int]]:
    return {d: {"supports": 0, "counters": 0, "talking_past": 0} for d in DEFINITIONS}


def balance(
    links: Iterable[tuple[str, str, str]], labels: Mapping[str, Iterable[str]]
) -> dict[str, dict[str, int]]:
    """Per definition: supports, genuine counters and talking-past counters received by the
    claims that use it. ``links`` are (source, target, relation) evidence links."""
    out = empty_balance()
    for source, target, relation in links:
        received = labels.get(target, ())
        if relation == SUPPORTS:
            kind = "supports"
        elif talking_past(labels.get(source), received):
            kind = "talking_past"
        else:
            kind = "counters"
        for d in received:
            if d in out:
                out[d][kind] += 1
    return out


def ratio(counts: Mapping[str, int]) -> float | None:
    """(supports - counters) / (supports + counters), None without evidence; talking-past
    counters are left out, as they are not evidence in the target's sense."""
    sup, cnt = counts["supports"], counts["counters"]
    return round((sup - cnt) / (sup + cnt), 3) if sup + cnt else None
