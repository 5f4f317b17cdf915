"""Contract 1: `emlit tag --in F --out F`, error lines and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from emlit.cli.main import cli

pytestmark = pytest.mark.slow

LINES = [
    json.dumps(
        {"id": "g1", "text": "Only models above 100B parameters solve it; smaller ones fail."}
    ),
    "this is not json",
    json.dumps({"id": "g2"}),
    json.dumps({"id": "g3", "text": 7}),
    json.dumps({"id": "g4", "text": "   "}),
    json.dumps(
        {"id": "g5", "text": "模型并没有针对翻译进行专门训练，却学会了翻译。", "lang": "zh"}
    ),
    "",
    json.dumps(["a", "list"]),
    json.dumps({"id": 6, "text": "<p>Une capacité qui apparaît <b>soudainement</b>.</p>"}),
]


def run(args: list[str], stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout


def test_one_output_line_per_input_line_with_errors(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    code, _ = run(["tag", "--in", str(src), "--out", str(dst)])
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert code == 1
    assert len(out) == len(LINES)
    assert out[0]["id"] == "g1" and out[0]["labels"] == ["D3"]
    assert set(out[0]["scores"]) == {"D1", "D2", "D3", "D4", "D5", "D6"}
    assert all(0 <= v <= 1 for v in out[0]["scores"].values())
    assert out[1] == {"id": None, "error": "invalid JSON: Expecting value (column 1)"}
    assert out[2] == {"id": "g2", "error": "missing field 'text'"}
    assert out[3] == {"id": "g3", "error": "field 'text' must be a string"}
    assert out[4] == {"id": "g4", "error": "text is empty"}
    assert out[5]["id"] == "g5" and out[5]["labels"] == ["D1"]
    assert out[6]["id"] is None and "invalid JSON" in out[6]["error"]
    assert out[7] == {"id": None, "error": "expected a JSON object"}
    assert out[8]["id"] == 6 and "labels" in out[8]  # other language: tagged, not an error


def test_stdin_stdout_and_explain_exit_zero() -> None:
    line = json.dumps(
        {"id": "x", "text": "The jump in accuracy was sudden and nobody predicted it."}
    )
    code, stdout = run(["tag", "--in", "-", "--out", "-", "--explain"], stdin=line + "\n")
    assert code == 0
    [row] = [json.loads(s) for s in stdout.splitlines()]
    assert row["labels"] == ["D4"]
    assert row["explain"]["cues"]["D4"]
    assert len(row["explain"]["nearest"]) == 3
    assert "explain" not in run(["tag", "--in", "-", "--out", "-"], stdin=line)[1]


def test_line_that_is_not_utf8_gets_an_error_line(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    good = json.dumps({"id": "ok", "text": "Larger models can do it; smaller ones cannot."})
    src.write_bytes(b'{"id": "bad", "text": "\xff\xfe"}\n' + good.encode() + b"\r\n")
    code, _ = run(["tag", "--in", str(src), "--out", str(dst)])
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert code == 1
    assert out[0] == {"id": None, "error": "line is not UTF-8 (byte 24)"}
    assert out[1]["id"] == "ok" and out[1]["labels"] == ["D3"]


def test_missing_input_file_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["tag", "--in", str(tmp_path / "nope.jsonl"), "--out", "-"])
    assert result.exit_code != 0
    assert "nope.jsonl: cannot read" in str(result.exception)


def test_lone_surrogate_gets_an_error_line_not_a_traceback(tmp_path: Path) -> None:
    # "\ud800" with no partner is valid JSON but not Unicode text: no encoder can read it.
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    good = json.dumps({"id": "ok", "text": "Larger models can do it; smaller ones cannot."})
    src.write_text('{"id": "bad", "text": "model \\ud800 size"}\n' + good + "\n", "utf-8")
    code, _ = run(["tag", "--in", str(src), "--out", str(dst)])
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert code == 1
    assert out[0] == {
        "id": None,
        "error": "field 'text' is not valid Unicode: lone surrogate \\ud800 at character 7",
    }
    assert out[1]["id"] == "ok" and out[1]["labels"] == ["D3"]
