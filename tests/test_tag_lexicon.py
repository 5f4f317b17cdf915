"""The tagger's cue lexicon as data (corpus/lexicon/definition_cues.yaml): loading and errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from emlit.errors import EmlitError
from emlit.paths import corpus_dir
from emlit.tagging.cues import compile_lexicon
from emlit.tagging.lexicon import lexicon_path, load_lexicon


def _bundled() -> dict:
    return yaml.safe_load(lexicon_path().read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "definition_cues.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_bundled_lexicon_is_found_in_the_corpus() -> None:
    assert lexicon_path() == corpus_dir() / "lexicon" / "definition_cues.yaml"
    lex = load_lexicon()
    assert lex.groups[:3] == ("D1", "D1_implicit", "D2") and "NONE_metric" in lex.groups
    assert list(lex.cues) == ["en", "zh"]
    assert load_lexicon() is lex  # read once per process


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["en"].__setitem__("D3", "small model"), r"en\.D3: expected a list of cues"),
        (lambda d: d["zh"]["D4"].__setitem__(1, 42), r"zh\.D4\[1\]: expected a non-empty string"),
        (lambda d: d["en"].__setitem__("D7", ["x"]), r"en\.D7: group names start with"),
        (lambda d: d["zh"].pop("NONE_word"), r"zh: groups must be those of en"),
        (lambda d: d.pop("zh"), r"zh: expected a mapping of cue groups"),
        (lambda d: d.__setitem__("fr", {}), r"fr: unknown key"),
    ],
)
def test_malformed_lexicon_names_file_and_field(tmp_path: Path, edit, message: str) -> None:
    data = _bundled()
    edit(data)
    path = _write(tmp_path, data)
    with pytest.raises(EmlitError, match=r"definition_cues\.yaml: " + message):
        load_lexicon(path)


def test_bad_regular_expression_cue_names_file_and_field(tmp_path: Path) -> None:
    data = _bundled()
    data["en"]["D3"][2] = "re:[0-9"
    lex = load_lexicon(_write(tmp_path, data))
    with pytest.raises(EmlitError, match=r"definition_cues\.yaml: en\.D3\[2\]: not a valid cue"):
        compile_lexicon(lex)


def test_not_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "definition_cues.yaml"
    path.write_text("en: [unclosed\n", encoding="utf-8")
    with pytest.raises(EmlitError, match=r"definition_cues\.yaml: not valid YAML"):
        load_lexicon(path)


def test_editing_the_lexicon_changes_the_model_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from emlit.tagging import tagger

    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir(), corpus)
    before = tagger.model_version()
    monkeypatch.setenv("EMLIT_CORPUS", str(corpus))
    tagger._code_hash.cache_clear()
    assert tagger.model_version() == before  # same files, same version
    lexicon = corpus / "lexicon" / "definition_cues.yaml"
    lexicon.write_text(
        lexicon.read_text(encoding="utf-8").replace("'flops|billion'", "'flops|billion|亿'"),
        encoding="utf-8",
    )
    tagger._code_hash.cache_clear()
    try:
        assert tagger.model_version() != before
    finally:
        tagger._code_hash.cache_clear()  # recomputed for the bundled corpus after this test
