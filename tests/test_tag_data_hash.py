"""The tagger's data hash follows what the tagger learns from, not the stance labels that share
its development file (a stance fix must not make a new tagger version and re-tag stores)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from emlit.paths import corpus_dir
from emlit.tagging import devset


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(corpus_dir(), copy)
    monkeypatch.setenv("EMLIT_CORPUS", str(copy))
    return copy


def _edit_first_row(path: Path, **fields: object) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[0])
    row.update(fields)
    lines[0] = json.dumps(row, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_hash_is_of_the_contents_not_the_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = devset.data_hash()
    shutil.copytree(corpus_dir(), tmp_path / "corpus")
    monkeypatch.setenv("EMLIT_CORPUS", str(tmp_path / "corpus"))
    assert devset.data_hash() == bundled


def test_a_stance_edit_keeps_the_hash(corpus: Path) -> None:
    before = devset.data_hash()
    v2 = corpus / "devset" / "tagger_v2.jsonl"
    row = json.loads(v2.read_text(encoding="utf-8").splitlines()[0])
    other = "affirms" if row.get("stance") != "affirms" else "disputes"
    _edit_first_row(v2, stance=other)
    assert devset.data_hash() == before


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("tagger_v2.jsonl", "labels", ["D6"]),
        ("tagger_v2.jsonl", "text", "A sentence changed by hand."),
        ("tagger_extra.jsonl", "labels", []),
        ("tagger.jsonl", "split", "heldout"),
    ],
)
def test_a_tagger_edit_changes_the_hash(corpus: Path, name: str, field: str, value: object) -> None:
    before = devset.data_hash()
    path = corpus / "devset" / name
    row = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    if row.get(field) == value:  # make the edit a real change whatever the first row holds
        value = ["D1"] if field == "labels" else "train"
    _edit_first_row(path, **{field: value})
    assert devset.data_hash() != before
