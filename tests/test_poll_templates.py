"""Questionnaire templates: the bundled one keeps contract 5's ids; bad ones name the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from emlit.errors import EmlitError
from emlit.poll.templates import Questionnaire, load_template


def test_emergence_template_has_the_contract_questions() -> None:
    q = load_template("emergence")
    belief, consensus, pct, definition = (
        q.question(i) for i in ("belief", "consensus", "consensus_pct", "definition")
    )
    assert (
        belief and belief.kind == "choice" and belief.option_ids == ["agree", "disagree", "unsure"]
    )
    assert consensus and consensus.option_ids == ["agree", "disagree", "unsure"]
    assert pct and pct.kind == "number" and (pct.min, pct.max) == (0, 100)
    assert definition and definition.option_ids == ["D1", "D2", "D3", "D4", "D5", "D6", "other"]
    assert all({"en", "zh"} <= set(x.text) for x in q.questions)
    assert all({"en", "zh"} <= set(o.label) for x in q.questions for o in x.options)
    assert q.question("comment") is not None and q.question("comment").kind == "text"  # type: ignore[union-attr]


def test_questionnaire_survives_the_json_round_trip() -> None:
    q = load_template("emergence")
    again = Questionnaire.from_json(q.to_json())
    assert again == q
    assert [x.wording_sha256() for x in again.questions] == [
        x.wording_sha256() for x in q.questions
    ]


def test_wording_hash_changes_with_the_wording(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text(
        'name: t\nquestions:\n  - {id: q, kind: choice, text: "Is it?", options: ["yes", "no"]}\n'
    )
    b = tmp_path / "b.yaml"
    b.write_text(
        'name: t\nquestions:\n  - {id: q, kind: choice, text: "Is it really?", options: ["yes", "no"]}\n'
    )
    qa, qb = load_template(str(a)).question("q"), load_template(str(b)).question("q")
    assert qa and qb and qa.wording_sha256() != qb.wording_sha256()


@pytest.mark.parametrize(
    ("yaml_text", "needle"),
    [
        ("[1, 2]", "top level"),
        ("name: t\nquestions: []\n", "questions: expected a non-empty list"),
        (
            "name: t\nquestions:\n  - {id: 1x, kind: choice, text: a, options: [a, b]}\n",
            "questions[0].id",
        ),
        ("name: t\nquestions:\n  - {id: q, kind: slider, text: a}\n", "questions[0].kind"),
        (
            "name: t\nquestions:\n  - {id: q, kind: choice, text: a, options: [a]}\n",
            "at least two options",
        ),
        (
            "name: t\nquestions:\n  - {id: q, kind: number, text: a, min: 5, max: 1}\n",
            "questions[0].max",
        ),
        ("name: t\nquestions:\n  - {id: q, kind: number, text: a}\n", "numeric min and max"),
        (
            "name: t\nquestions:\n  - {id: q, kind: text, text: {fr: bonjour}}\n",
            "unknown language 'fr'",
        ),
        (
            "name: t\nquestions:\n  - {id: q, kind: text, text: a, max_length: 99999}\n",
            "max_length",
        ),
        ("name: t\nquestions:\n  - {id: q, kind: text, text: a, phases: [during]}\n", "phases"),
        (
            "name: t\nquestions:\n  - {id: q, kind: text, text: a}\n  - {id: q, kind: text, text: b}\n",
            "duplicate id 'q'",
        ),
        (
            "name: t\nanalysis: {belief: nope}\nquestions:\n  - {id: q, kind: text, text: a}\n",
            "analysis.belief",
        ),
        ("name: t\nquestions: [\n", "cannot read template"),
    ],
)
def test_bad_templates_name_the_file_and_field(tmp_path: Path, yaml_text: str, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text)
    with pytest.raises(EmlitError) as err:
        load_template(str(path))
    assert str(path) in str(err.value) and needle in str(err.value)


def test_answers_are_checked_by_kind() -> None:
    q = load_template("emergence")
    pct, belief, comment = q.question("consensus_pct"), q.question("belief"), q.question("comment")
    assert pct and belief and comment
    assert pct.check_answer(42) == "42" and pct.check_answer(12.5) == "12.5"
    for bad in (-0.1, 100.01, True, "50", float("nan"), float("inf"), 10**400):
        with pytest.raises(EmlitError):
            pct.check_answer(bad)
    with pytest.raises(EmlitError, match="not an option"):
        belief.check_answer("Agree")
    assert comment.check_answer("  <b>hi</b>  ") == "<b>hi</b>"
    with pytest.raises(EmlitError, match="longer than 500"):
        comment.check_answer("x" * 501)
