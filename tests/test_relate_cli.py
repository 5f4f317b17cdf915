"""Contract 2: `emlit relate --in F --out F`, and the classifier on the held-out pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from emlit.cli.main import cli
from emlit.evidence.devset import load_pairs, report
from emlit.vocab import PAIR_RELATIONS as RELATIONS

pytestmark = pytest.mark.slow

LINES = [
    json.dumps(
        {
            "id": "r1",
            "a": "With a continuous metric the curve is smooth and the jump disappears.",
            "b": "Performance jumps suddenly once the model passes a critical size.",
        }
    ),
    "not json at all",
    json.dumps({"id": "r2", "a": "only a"}),
    json.dumps({"id": "r3", "a": 5, "b": "x"}),
    json.dumps({"id": "r4", "a": "  ", "b": "x"}),
    "",
    json.dumps(
        {
            "id": "r5",
            "a": "然而，所谓的涌现只是评价指标造成的假象，换用连续指标后性能平滑提升。",
            "b": "模型规模超过临界点后，性能会突然大幅跃升。",
        }
    ),
    json.dumps(
        {
            "id": "r6",
            "a": "The poll was held at talks in eight countries.",
            "b": "Grokking happens on small algorithmic datasets.",
        }
    ),
]


def test_one_output_line_per_input_line_with_errors(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["relate", "--in", str(src), "--out", str(dst)], catch_exceptions=False
    )
    assert result.exit_code == 1
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert len(out) == len(LINES)
    assert [o.get("id") for o in out] == ["r1", None, "r2", "r3", "r4", None, "r5", "r6"]
    errors = {o["id"]: o["error"] for o in out if "error" in o}
    assert errors["r2"] == "missing field 'b'"
    assert errors["r3"] == "field 'a' must be a string"
    assert errors["r4"] == "field 'a' is empty"
    assert out[1]["error"].startswith("invalid JSON")
    ok = {o["id"]: o for o in out if "relation" in o}
    for o in ok.values():
        assert set(o) == {"id", "relation", "score"}
        assert o["relation"] in RELATIONS and 0.0 <= o["score"] <= 1.0
    assert ok["r1"]["relation"] == "COUNTERS"
    assert ok["r5"]["relation"] == "COUNTERS"
    assert ok["r6"]["relation"] == "UNRELATED"


def test_stdin_to_stdout_all_good_exits_zero() -> None:
    line = json.dumps(
        {
            "id": "s",
            "a": "Models fail on counterfactual variants of familiar tasks.",
            "b": "Large language models have acquired general reasoning.",
        }
    )
    result = CliRunner().invoke(
        cli, ["relate", "--in", "-", "--out", "-"], input=line + "\n", catch_exceptions=False
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "s"


def test_missing_input_file_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["relate", "--in", str(tmp_path / "nope.jsonl"), "--out", "-"])
    assert result.exit_code != 0
    assert "nope.jsonl: cannot read" in str(result.exception) + result.output


def test_frozen_test_split_beats_chance() -> None:
    """pairs_v2's frozen test split (117 pairs, works never seen in training). The floor is
    chance level for three classes: the figures with intervals are in docs/evidence.md."""
    from emlit.evidence.model import classify_texts

    pairs = load_pairs(split="test")
    assert (
        len(pairs) >= 100
        and len({p.id for p in pairs} & {p.id for p in load_pairs(split="train")}) == 0
    )
    preds = classify_texts([p.a for p in pairs], [p.b for p in pairs])
    rep = report([p.relation for p in pairs], [p.relation for p in preds])
    assert rep["macro_f1"] > 1 / 3, rep
    assert all(rep["per_relation"][r]["f1"] > 0.2 for r in RELATIONS), rep
