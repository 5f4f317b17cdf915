"""Poll statistics on hand-built data, checked against numbers worked out independently."""

from __future__ import annotations

import numpy as np
import pytest

from emlit.poll.stats import analyse, pct_gap, pool_results
from emlit.poll.store import create_poll, upsert_votes
from emlit.poll.templates import load_template


def rows(spec: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, str, str]]:
    return [(v, p, q, a, "2026-01-01T00:00:00.000+00:00") for v, p, q, a in spec]


def test_surprisingly_popular_and_gap_on_same_respondents() -> None:
    q = load_template("emergence")
    data = []
    # 4 voters: 1 agrees, but 3 think most others agree
    for i, (own, perceived, pct) in enumerate(
        [
            ("agree", "agree", "80"),
            ("disagree", "agree", "70"),
            ("unsure", "agree", "60"),
            ("unsure", "unsure", "30"),
        ]
    ):
        data += [
            (f"v{i}", "pre", "belief", own),
            (f"v{i}", "pre", "consensus", perceived),
            (f"v{i}", "pre", "consensus_pct", pct),
        ]
    data.append(("v9", "pre", "consensus", "disagree"))  # answered only the consensus question
    r = analyse(q, rows(data))
    gap = r["gap"]["pre"]["consensus"]
    assert gap["n_same_respondents"] == 4
    assert (gap["own_share"], gap["perceived_share"], gap["gap"]) == (0.25, 0.75, 0.5)
    sp = r["surprisingly_popular"]["pre"]
    # predicted shares come from all 5 consensus answers: agree 3/5, disagree 1/5, unsure 1/5
    assert sp["by_option"]["unsure"]["difference"] == pytest.approx(0.5 - 0.2, abs=1e-4)
    assert sp["by_option"]["agree"]["difference"] == pytest.approx(0.25 - 0.6, abs=1e-4)
    assert sp["answer"] == "unsure"
    pct = r["gap"]["pre"]["consensus_pct"]
    assert pct["mean_predicted"] == 0.6 and pct["actual"] == 0.25 and pct["gap"] == 0.35


def test_bootstrap_interval_is_reproducible_and_covers_the_gap() -> None:
    rng = np.random.default_rng(1)
    agree = list(rng.random(300) < 0.4)
    predicted = list(np.clip(rng.normal(0.7, 0.15, 300), 0, 1))
    a, b = pct_gap(agree, predicted, seed=3), pct_gap(agree, predicted, seed=3)
    assert a == b
    lo, hi = a["ci95_bootstrap"]
    assert lo < a["gap"] < hi
    # the normal-approximation standard error of a difference of means, for scale
    se = np.sqrt(np.var(predicted, ddof=1) / 300 + np.var(agree, ddof=1) / 300)
    assert (hi - lo) == pytest.approx(2 * 1.96 * se, rel=0.35)


def test_dropout_counts_pre_post_and_new_voters() -> None:
    q = load_template("emergence")
    data = [
        ("a" * 16, "pre", "belief", "agree"),
        ("b" * 16, "pre", "belief", "agree"),
        ("a" * 16, "post", "belief", "unsure"),
        ("c" * 16, "post", "belief", "agree"),
    ]
    d = analyse(q, rows(data))["dropout"]
    assert (
        d["pre_voters"],
        d["post_voters"],
        d["paired"],
        d["dropped"],
        d["new_in_post"],
        d["dropout_rate"],
    ) == (2, 2, 1, 1, 1, 0.5)


def test_square_tests_drop_options_nobody_chose() -> None:
    q = load_template("emergence")
    data = []
    for i in range(10):
        data += [
            (f"v{i:02d}", "pre", "belief", "agree"),
            (f"v{i:02d}", "post", "belief", "agree" if i < 3 else "disagree"),
        ]
    t = analyse(q, rows(data))["transitions"]["belief"]
    assert t["tested_options"] == ["agree", "disagree"]
    assert t["mcnemar"]["table"] == [[3, 7], [0, 0]]
    assert t["mcnemar"]["p_value"] == pytest.approx(2 * 0.5**7, rel=1e-3)
    assert t["bowker"]["df"] == 1 and t["bowker"]["statistic"] == pytest.approx(7.0)


def test_pooling_two_talks_keeps_per_talk_figures(store) -> None:
    tmpl = load_template("emergence")
    ids = []
    for title, answers in (
        ("Talk 1", ["agree"] * 8 + ["disagree"] * 2),
        ("Talk 2", ["agree"] * 2 + ["unsure"] * 8),
    ):
        poll = create_poll(store, tmpl, title=title)
        with store.transaction() as conn:
            upsert_votes(
                conn,
                poll.id,
                [(f"{title}-{i:012d}", "pre", "belief", a, "t") for i, a in enumerate(answers)],
            )
        ids.append(poll.id)
    pooled = pool_results(store, ids)["phases"]["pre"]["belief"]
    assert pooled["n"] == 20 and pooled["counts"] == {"agree": 10, "disagree": 2, "unsure": 8}
    assert pooled["by_poll"][ids[0]]["share"]["agree"] == 0.8
    assert pooled["homogeneity"]["p_value"] < 0.01  # the two talks clearly differ
    assert pooled["wording_differs"] is False
