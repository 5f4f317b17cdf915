"""The relation classifier's cue lexicons as data (corpus/lexicon/relation_cues.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from emlit.errors import EmlitError
from emlit.evidence.cues import relation_cues_path, relation_lexicon, text_cues
from emlit.evidence.model import WEIGHTS_PATH, RelationModel, StaleWeightsWarning
from emlit.paths import corpus_dir


def _bundled() -> dict:
    return yaml.safe_load(relation_cues_path().read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: object, name: str = "relation_cues.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_bundled_cues_are_found_in_the_corpus() -> None:
    assert relation_cues_path() == corpus_dir() / "lexicon" / "relation_cues.yaml"
    lex = relation_lexicon()
    assert [a[0] for a in lex.axes][:2] == ["smooth_vs_sudden", "data_vs_untrained"]
    assert set(lex.definitions) == {"D1", "D2", "D3", "D4", "D5", "D6"}
    assert relation_lexicon() is lex  # read and compiled once per process


def test_cues_read_a_text_in_both_languages() -> None:
    c = text_cues("然而，所谓的涌现只是评价指标造成的假象，换用连续指标后性能平滑提升。")
    assert {"emergence", "metric"} <= c.topics
    assert "artefact_vs_real" in c.side_a and c.contrast >= 1
    c = text_cues("Performance jumps suddenly once the model passes a critical size.")
    assert "smooth_vs_sudden" in c.side_b and "D4" in c.definitions


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["axes"][1]["b"].__setitem__(3, "(unclosed"),
            r"axes\.data_vs_untrained\.b\[3\]: not a valid regular expression",
        ),
        (lambda d: d["topics"].__setitem__("scale", "scale"), r"topics\.scale: expected a list"),
        (lambda d: d["definitions"].__setitem__("D9", ["x"]), r"definitions\.D9: not one of D1"),
        (lambda d: d.pop("denial"), r"denial: missing"),
        (lambda d: d["negation"].__setitem__(0, ""), r"negation\[0\]: expected a non-empty string"),
        (lambda d: d["axes"][0].pop("a"), r"axes\[0\]: expected a mapping with name, a and b"),
        (lambda d: d.__setitem__("stances", []), r"stances: unknown key"),
    ],
)
def test_malformed_cues_name_file_and_field(tmp_path: Path, edit, message: str) -> None:
    data = _bundled()
    edit(data)
    with pytest.raises(EmlitError, match=r"relation_cues\.yaml: " + message):
        relation_lexicon(_write(tmp_path, data))


def test_not_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "relation_cues.yaml"
    path.write_text("topics: {a: [x]\n", encoding="utf-8")
    with pytest.raises(EmlitError, match=r"relation_cues\.yaml: not valid YAML"):
        relation_lexicon(path)


def test_digest_follows_content_not_comments(tmp_path: Path) -> None:
    text = relation_cues_path().read_text(encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    commented = tmp_path / "a" / "relation_cues.yaml"
    commented.write_text("# a note\n" + text, encoding="utf-8")
    edited = tmp_path / "b" / "relation_cues.yaml"
    edited.write_text(text.replace("'\\bemerg',", "'\\bemerg', 'emergent',", 1), encoding="utf-8")
    assert relation_lexicon(commented).digest == relation_lexicon().digest
    assert relation_lexicon(edited).digest != relation_lexicon().digest


def test_model_version_names_the_cues_and_warns_on_other_cues() -> None:
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    model = RelationModel(data)
    assert model.version == f"{data['version']}+cues.{relation_lexicon().digest[:8]}"
    data["relation_cues_sha256"] = "0" * 64
    with pytest.warns(StaleWeightsWarning, match="retrain"):
        RelationModel(data)
