"""The balance of evidence per definition: one rule, used by ``emlit analyze``, the TUI and
the HTML view (see docs/evidence.md, "Balance").

A link is counted under each definition its *target* uses (the claim that receives the
evidence). A COUNTERS link between two claims that both say which sense they use and share
none is "talking past each other": it is not evidence against the target in the sense the
target uses the word, so it is counted apart from the genuine counters.

Beside the links, the claims themselves: per definition, how many of the claims that use it
affirm, dispute or are neutral toward emergence (their effective stance, contract 9; a claim
without a stance yet is not counted). ``with_stances`` puts both in one row per definition,
which is what ``emlit analyze``, the TUI and the HTML view show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from emlit.vocab import DEFINITIONS, STANCES, SUPPORTS

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


def stance_counts(
    stances: Mapping[str, str | None], labels: Mapping[str, Iterable[str]]
) -> dict[str, dict[str, int]]:
    """Per definition: how many claims using it affirm, dispute or are neutral. ``stances``
    maps claim ids to their effective stance (None or missing: not decided yet)."""
    out = {d: dict.fromkeys(STANCES, 0) for d in DEFINITIONS}
    for claim, used in labels.items():
        stance = stances.get(claim)
        if stance not in STANCES:
            continue
        for d in set(used):
            if d in out:
                out[d][stance] += 1
    return out


def with_stances(
    links: Mapping[str, Mapping[str, int]], stances: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, int]]:
    """One row per definition: the evidence received (``balance``) and the claims' stances
    (``stance_counts``)."""
    return {d: {**links[d], **stances[d]} for d in links}
