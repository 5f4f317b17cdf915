"""Property-based tests of the vote API: every bad request is a 4xx with a JSON error, and
the database is unchanged; every good one is stored exactly once.

Generated bodies are a mix: fuzz (almost never a valid vote) and valid votes (good tokens,
known question ids, answers that fit, the current phase). An independent model of the
store, keyed as contract 5 says (voter, phase, question; a repeat replaces), predicts the
exact rows after every request, so a server that rejected or dropped every vote would fail.
"""

from __future__ import annotations

import json
import random
import sqlite3
import string
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from emlit.poll.server import BODY_LIMIT, create_app
from tests.poll_support import new_poll

MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}",
    "'; DROP TABLE poll_votes; --",
    '=HYPERLINK("http://evil")',
    "\u202egnp.exe",
    "\x00",
    "agree ",
    "AGREE",
]
GOOD_VOTER = "fuzz-voter-0000000001"
OPTIONS = {"belief": {"agree", "disagree", "unsure"}, "consensus": {"agree", "disagree", "unsure"}}
DEFINITION_OPTIONS = {"D1", "D2", "D3", "D4", "D5", "D6", "other"}
NUMBER_QUESTIONS = {"consensus_pct"}
PHASE = "pre"  # the fixture's poll is never moved out of pre
VOTER_CHARS = string.ascii_letters + string.digits + "_-"
# A few voters come back often, so repeats (which replace) happen within and across examples;
# the 16- and 128-character tokens sit on the contract's bounds.
REPEAT_VOTERS = [GOOD_VOTER, "fuzz-voter-0000000002", "Z" * 16, "y-" * 64]

Key = tuple[str, str, str]  # voter, phase, question: one stored row (contract 5)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from(MARKUP),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, Path]:
    db = tmp_path_factory.mktemp("fuzz") / "poll.db"
    poll_id, _ = new_poll(db)
    return TestClient(create_app(str(db), poll_id), raise_server_exceptions=False), db


def snapshot(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT * FROM poll_votes ORDER BY 1, 2, 3, 4").fetchall()


def _value(question: str, answer: object) -> object:
    """An answer compared by meaning: numbers as floats (the store keeps text), choices as is."""
    return float(answer) if question in NUMBER_QUESTIONS else answer  # type: ignore[arg-type]


def stored(db: Path) -> dict[Key, object]:
    """What the store holds now, one entry per (voter, phase, question)."""
    return {(r[1], r[2], r[3]): _value(r[3], r[4]) for r in snapshot(db)}


def model(before: dict[Key, object], accepted: Iterable[dict]) -> dict[Key, object]:
    """The store after `accepted` votes: a new key adds a row, a known key replaces its answer."""
    after = dict(before)
    for body in accepted:
        after[(body["voter"], PHASE, body["question"])] = _value(body["question"], body["answer"])
    return after


def is_valid(body: object) -> bool:
    """An independent oracle of contract 5 for the emergence template."""
    if not isinstance(body, dict) or "answer" not in body:
        return False
    voter, question, answer = body.get("voter"), body.get("question"), body.get("answer")
    if not (
        isinstance(voter, str)
        and 16 <= len(voter) <= 128
        and all(c.isascii() and (c.isalnum() or c in "_-") for c in voter)
    ):
        return False
    if body.get("phase", "pre") != "pre" or not isinstance(question, str):
        return False
    if question in OPTIONS:
        return isinstance(answer, str) and answer in OPTIONS[question]
    if question == "consensus_pct":
        return (
            isinstance(answer, int | float) and not isinstance(answer, bool) and 0 <= answer <= 100
        )
    if question == "definition":
        return isinstance(answer, str) and answer in DEFINITION_OPTIONS
    return False


def assert_rejected(res, db: Path, before: list[tuple]) -> None:
    assert 400 <= res.status_code < 500, (res.status_code, res.text)
    assert isinstance(res.json()["error"], str) and res.json()["error"]
    assert snapshot(db) == before


fields = st.fixed_dictionaries(
    {},
    optional={
        "voter": st.sampled_from(
            [GOOD_VOTER, "short", "x" * 129, "bad voter with spaces!", *MARKUP]
        )
        | json_values,
        "question": st.sampled_from(
            ["belief", "consensus", "consensus_pct", "definition", "nope", *MARKUP]
        )
        | json_values,
        "answer": st.sampled_from(["agree", "D7", -1, 100.5, 1e309, 50, True, *MARKUP])
        | json_values,
        "phase": st.sampled_from(["pre", "post", "closed", *MARKUP]),
    },
)


# Valid votes: good tokens, known questions, an answer that fits, the current phase or none.
numbers = st.integers(0, 100) | st.integers(0, 10_000).map(lambda k: k / 100)
answers = {
    "belief": st.sampled_from(sorted(OPTIONS["belief"])),
    "consensus": st.sampled_from(sorted(OPTIONS["consensus"])),
    "consensus_pct": numbers,
    "definition": st.sampled_from(sorted(DEFINITION_OPTIONS)),
}
voters = st.sampled_from(REPEAT_VOTERS) | st.text(VOTER_CHARS, min_size=16, max_size=128)
valid_votes = st.sampled_from(sorted(answers)).flatmap(
    lambda q: st.fixed_dictionaries(
        {"voter": voters, "question": st.just(q), "answer": answers[q]},
        optional={"phase": st.just(PHASE)},
    )
)


def post(client: TestClient, body: object):
    res = client.post("/api/vote", content=json.dumps(body, allow_nan=True))
    assert res.status_code < 500, (res.status_code, res.text)  # never a 5xx (contract 5)
    return res


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=fields | valid_votes)
def test_votes_are_stored_only_when_valid(api, body: dict) -> None:
    client, db = api
    before, rows_before = stored(db), snapshot(db)
    res = post(client, body)
    event("valid vote" if is_valid(body) else "rejected body")  # --hypothesis-show-statistics
    if is_valid(body):
        assert res.status_code == 200, res.text
        after = stored(db)
        key = (body["voter"], PHASE, body["question"])
        assert len(after) == len(before) + (key not in before)  # one row, or a replacement
        assert after == model(before, [body])
    else:
        assert_rejected(res, db, rows_before)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    valid=st.lists(valid_votes, min_size=1, max_size=12),
    noise=st.lists(fields, max_size=12),
    rnd=st.randoms(use_true_random=False),
)
def test_a_mixed_stream_stores_exactly_the_valid_votes(
    api, valid: list[dict], noise: list[dict], rnd: random.Random
) -> None:
    """Every example has at least one valid vote among the fuzz, in a random order."""
    client, db = api
    bodies = valid + noise
    rnd.shuffle(bodies)
    before = stored(db)
    statuses = [post(client, body).status_code for body in bodies]
    expected = [b for b in bodies if is_valid(b)]
    assert [b for b, s in zip(bodies, statuses, strict=True) if s == 200] == expected
    assert all(400 <= s < 500 for b, s in zip(bodies, statuses, strict=True) if not is_valid(b))
    after = stored(db)
    new_keys = {(b["voter"], PHASE, b["question"]) for b in expected} - set(before)
    assert len(after) == len(before) + len(new_keys)  # repeats replaced, nothing doubled
    assert after == model(before, expected)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=600) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes_are_rejected(api, raw: bytes) -> None:
    client, db = api
    before = snapshot(db)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        body = None
    res = client.post("/api/vote", content=raw, headers={"content-type": "application/json"})
    if body is not None and is_valid(body):
        assert res.status_code == 200
    else:
        assert_rejected(res, db, before)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=json_values)
def test_non_object_json_is_rejected(api, body: object) -> None:
    client, db = api
    if isinstance(body, dict):
        body = [body]
    before = snapshot(db)
    assert_rejected(client.post("/api/vote", content=json.dumps(body)), db, before)


@pytest.mark.parametrize("size", [BODY_LIMIT + 1, 64 * 1024, 2 * 1024 * 1024])
def test_huge_bodies_get_413(api, size: int) -> None:
    client, db = api
    before = snapshot(db)
    padding = "x" * size
    res = client.post(
        "/api/vote",
        content=json.dumps(
            {"voter": GOOD_VOTER, "question": "belief", "answer": "agree", "pad": padding}
        ),
    )
    assert res.status_code == 413
    assert_rejected(res, db, before)


def test_chunked_body_without_length_is_limited_too(api) -> None:
    client, db = api
    before = snapshot(db)

    def chunks():
        for _ in range(100):
            yield b"x" * 1024

    res = client.post("/api/vote", content=chunks())
    assert res.status_code == 413
    assert_rejected(res, db, before)


def test_deeply_nested_json_is_a_400(api) -> None:
    client, db = api
    before = snapshot(db)
    assert_rejected(client.post("/api/vote", content=b"[" * 2000 + b"]" * 2000), db, before)


def test_unknown_routes_and_methods_are_json_4xx(api) -> None:
    client, _ = api
    for res in (client.get("/api/nothing"), client.get("/api/vote"), client.delete("/api/poll")):
        assert 400 <= res.status_code < 500
        assert "error" in res.json()


def test_admin_endpoints_need_the_token(api) -> None:
    client, db = api
    before = snapshot(db)
    for headers in ({}, {"X-Emlit-Token": "wrong"}, {"Authorization": "Bearer <script>"}):
        assert (
            client.post("/api/admin/phase", json={"phase": "closed"}, headers=headers).status_code
            == 403
        )
        assert (
            client.post("/api/admin/results", json={"hidden": True}, headers=headers).status_code
            == 403
        )
    assert client.get("/projector").status_code == 403
    assert client.get("/api/poll").json()["phase"] == "pre"
    assert snapshot(db) == before


def test_repeat_vote_replaces_the_earlier_answer(api) -> None:
    client, db = api
    voter = "repeat-voter-000000000"
    for answer in ("agree", "unsure", "unsure"):
        assert (
            client.post(
                "/api/vote", json={"voter": voter, "question": "belief", "answer": answer}
            ).status_code
            == 200
        )
    rows = [r for r in snapshot(db) if r[1] == voter]
    assert [(r[3], r[4]) for r in rows] == [("belief", "unsure")]


def test_a_bug_is_a_json_500_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "poll.db"
    poll_id, _ = new_poll(db)
    app = create_app(str(db), poll_id)

    def broken() -> dict:
        raise ZeroDivisionError("injected fault")

    app.state.service.results = broken  # fault injection into a real app
    res = TestClient(app, raise_server_exceptions=False).get("/api/results")
    assert res.status_code == 500
    assert res.json() == {"error": "internal error (a bug): nothing was stored; try again"}
