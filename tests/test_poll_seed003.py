"""Seed 003 (Rogers 2024) rebuilt end to end through the HTTP API, then the JSON report checked.

Published: 259 answered "do you believe ..." (39% agree); 360 answered the perceived-consensus
question (70% think most others agree); after the talk 70 answered again and 83% of those who
first agreed moved, 13.9% to disagree and 69.4% to unsure.

Whole counts chosen to match (survey/reference/rogers2024.json explains which are inferred):
- belief (pre): 101 agree / 80 disagree / 78 unsure = 259 (101/259 = 39.0%);
- consensus (pre): the same 259 plus 101 who answered only this question = 360, 252 agree (70.0%);
- post: 70 of the 259 answer again. 36 had agreed: 6 stay, 5 disagree (13.9%), 25 unsure (69.4%);
  18 had disagreed: 16 stay, 2 unsure; 16 had been unsure: 12 stay, 3 disagree, 1 agree.
"""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from scipy.stats import binomtest, chi2
from starlette.testclient import TestClient

from emlit.poll.server import create_app
from tests.poll_support import CLI, new_poll

BELIEF_PRE = ["agree"] * 101 + ["disagree"] * 80 + ["unsure"] * 78
# (before, after, how many) for the 70 who answered after the talk
MOVES = [
    ("agree", "agree", 6), ("agree", "disagree", 5), ("agree", "unsure", 25),
    ("disagree", "disagree", 16), ("disagree", "unsure", 2),
    ("unsure", "unsure", 12), ("unsure", "disagree", 3), ("unsure", "agree", 1),
]  # fmt: skip


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval, written out independently of statsmodels."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def token(i: int) -> str:
    return f"seed003-voter-{i:06d}"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    db = tmp_path_factory.mktemp("seed003") / "poll.db"
    poll_id, admin = new_poll(db, "Rogers 2024 (seed 003)")
    client = TestClient(create_app(str(db), poll_id))

    def vote(voter: str, question: str, answer: object) -> None:
        res = client.post(
            "/api/vote", json={"voter": voter, "question": question, "answer": answer}
        )
        assert res.status_code == 200, res.text

    consensus = ["agree"] * 252 + ["disagree"] * 60 + ["unsure"] * 48
    for i, answer in enumerate(BELIEF_PRE):
        vote(token(i), "belief", answer)
    for i, answer in enumerate(consensus):  # voters 259..359 answered only this question
        vote(token(i), "consensus", answer)
    for i in range(0, 259, 3):  # a third also guessed the share of colleagues who agree
        vote(token(i), "consensus_pct", 40 + (i % 50))

    res = client.post("/api/admin/phase", json={"phase": "post"}, headers={"X-Emlit-Token": admin})
    assert res.status_code == 200, res.text
    firsts = {
        "agree": iter(range(0, 101)),
        "disagree": iter(range(101, 181)),
        "unsure": iter(range(181, 259)),
    }
    for before, after, count in MOVES:
        for _ in range(count):
            vote(token(next(firsts[before])), "belief", after)
    res = client.post(
        "/api/admin/phase", json={"phase": "closed"}, headers={"Authorization": f"Bearer {admin}"}
    )
    assert res.status_code == 200
    assert (
        client.post(
            "/api/vote", json={"voter": token(1), "question": "belief", "answer": "agree"}
        ).status_code
        == 409
    )

    out = subprocess.run(
        [*CLI, "--db", str(db), "poll", "report", poll_id, "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_own_belief_is_39_percent_with_wilson_interval(report: dict) -> None:
    belief = report["phases"]["pre"]["questions"]["belief"]
    assert belief["n"] == 259
    assert belief["counts"] == {"agree": 101, "disagree": 80, "unsure": 78}
    assert round(belief["share"]["agree"], 2) == 0.39
    for option, count in belief["counts"].items():
        lo, hi = wilson(count, 259)
        assert belief["ci95"][option] == pytest.approx([lo, hi], abs=1e-4)
    assert belief["ci95"]["agree"] == pytest.approx(
        [0.333, 0.451], abs=1e-3
    )  # contract 5's example


def test_perceived_consensus_is_70_percent(report: dict) -> None:
    consensus = report["phases"]["pre"]["questions"]["consensus"]
    assert consensus["n"] == 360
    assert consensus["share"]["agree"] == pytest.approx(0.70, abs=1e-4)
    assert consensus["ci95"]["agree"] == pytest.approx(wilson(252, 360), abs=1e-4)
    gap = report["gap"]["pre"]["consensus"]
    assert gap["n_same_respondents"] == 259  # the gap is taken on people who answered both
    assert gap["own_share"] == pytest.approx(101 / 259, abs=1e-4)


def test_post_talk_moves_of_initial_agreers(report: dict) -> None:
    t = report["transitions"]["belief"]
    assert t["n_paired"] == 70
    assert t["matrix"]["agree"] == {"agree": 6, "disagree": 5, "unsure": 25}
    moved = t["moved_from"]["agree"]
    assert moved["n"] == 36
    assert round(100 * moved["share"]["disagree"], 1) == 13.9
    assert round(100 * moved["share"]["unsure"], 1) == 69.4
    assert round(100 * moved["moved"]) == 83
    post = report["phases"]["post"]["questions"]["belief"]
    assert post["n"] == 70
    assert post["counts"] == {"agree": 7, "disagree": 24, "unsure": 39}


def test_mcnemar_matches_an_exact_binomial_test(report: dict) -> None:
    m = report["transitions"]["belief"]["mcnemar"]
    # agree -> not agree: 30; not agree -> agree: 1
    assert m["table"] == [[6, 30], [1, 33]]
    expected = binomtest(1, 31, 0.5).pvalue
    assert m["p_value"] == pytest.approx(expected, rel=1e-4)
    assert m["p_value"] < 0.001
    assert report["transitions"]["belief"]["stuart_maxwell"]["p_value"] < 0.001


def test_bowker_symmetry_matches_the_hand_computation(report: dict) -> None:
    """Bowker's statistic is the sum over pairs i < j of (n_ij - n_ji)^2 / (n_ij + n_ji).

    Transition matrix (rows before, columns after), from MOVES:
                  agree  disagree  unsure
        agree       6       5        25
        disagree    0      16         2
        unsure      1       3        12
    agree/disagree:    (5 - 0)^2 / (5 + 0)   = 25 / 5   = 5
    agree/unsure:     (25 - 1)^2 / (25 + 1)  = 576 / 26 = 22.153846...
    disagree/unsure:   (2 - 3)^2 / (2 + 3)   = 1 / 5    = 0.2
    sum = 27.353846..., df = 3 pairs; p = P(chi2_3 > 27.3538) = 4.963e-06.
    """
    bowker = report["transitions"]["belief"]["bowker"]
    assert bowker["statistic"] == pytest.approx(5 + 576 / 26 + 1 / 5, abs=1e-4)  # 27.3538
    assert bowker["df"] == 3
    assert bowker["p_value"] == pytest.approx(chi2.sf(27.353846, 3), rel=1e-3)  # 4.963e-06


def test_dropout_and_reference_comparison(report: dict) -> None:
    d = report["dropout"]
    assert (d["pre_voters"], d["post_voters"], d["paired"], d["new_in_post"]) == (360, 70, 70, 0)
    rows = {r["what"]: r for r in report["reference"]["rows"]}
    assert rows["agree themselves"]["reference"] == {"n": 259, "share": 0.39}
    assert rows["first agreed, then unsure"]["this_talk"]["share"] == pytest.approx(
        25 / 36, abs=1e-4
    )
    assert "Wilson" in report["methods"] and "McNemar" in report["methods"]


def test_consensus_pct_gap_has_a_bootstrap_interval(report: dict) -> None:
    """The percentile bootstrap interval is about as wide as the normal-theory one.

    Respondents i = 0, 3, ..., 258 (87 of them) predicted p_i = (40 + i % 50) / 100; the 34
    with i <= 99 agree themselves (a_i = 1). The gap is mean(p) - mean(a) = 0.6383 - 34/87
    = 0.6383 - 0.3908 = 0.2475. The paired differences d_i = p_i - a_i have sd 0.5074, so the
    standard error is 0.5074 / sqrt(87) = 0.0544 and the normal 95% interval is
    2 * 1.96 * 0.0544 = 0.213 wide. 2000 resamples of 87 pairs land within 15% of that. A
    50% interval (percentiles 25/75) would be about 0.07 wide, one that resamples only the
    predictions 0.06 (their sd is 0.148), a degenerate one 0: all fail.
    """
    pct = report["gap"]["pre"]["consensus_pct"]
    assert pct["n_same_respondents"] == 87
    answered = range(0, 259, 3)
    predicted = [(40 + i % 50) / 100 for i in answered]
    agree = [1.0 if i < 101 else 0.0 for i in answered]  # voters 0..100 agreed (BELIEF_PRE)
    assert sum(agree) == 34
    assert pct["actual"] == pytest.approx(34 / 87, abs=1e-4)
    assert pct["mean_predicted"] == pytest.approx(statistics.fmean(predicted), abs=1e-4)
    assert pct["gap"] == pytest.approx(0.2475, abs=1e-4)
    diffs = [p - a for p, a in zip(predicted, agree, strict=True)]
    normal_width = 2 * 1.959964 * statistics.stdev(diffs) / math.sqrt(87)
    assert normal_width == pytest.approx(0.2133, abs=1e-3)
    lo, hi = pct["ci95_bootstrap"]
    assert lo < pct["gap"] < hi
    assert 0.85 * normal_width < hi - lo < 1.15 * normal_width, (lo, hi, normal_width)


def test_reference_file_records_what_was_published() -> None:
    ref = json.loads(
        (
            Path(__file__).resolve().parents[1] / "survey" / "reference" / "rogers2024.json"
        ).read_text()
    )
    pub = ref["published"]
    assert (pub["belief"]["n"], pub["belief"]["share"]["agree"]) == (259, 0.39)
    assert (pub["consensus"]["n"], pub["consensus"]["share"]["agree"]) == (360, 0.70)
    assert pub["post_belief"]["moved_from_agree"] == {
        "moved": 0.83,
        "to_disagree": 0.139,
        "to_unsure": 0.694,
    }
    assert ref["inferred"]["initial_agreers_in_post"] == 36
    assert sys.version_info >= (3, 11)
