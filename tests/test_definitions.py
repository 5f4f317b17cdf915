from __future__ import annotations

from pathlib import Path

import pytest

from emlit.definitions import load_definitions
from emlit.errors import EmlitError
from emlit.vocab import DEFINITIONS


def test_bundled_definitions_are_complete_and_bilingual() -> None:
    defs = load_definitions()
    assert [d.id for d in defs] == list(DEFINITIONS)
    for d in defs:
        assert d.label_en and d.label_zh and d.definition_en and d.definition_zh
        assert d.source
        assert {e.lang for e in d.positives} == {"en", "zh"}
    # Loaded once: the same objects come back.
    assert load_definitions()[0] is defs[0]


def test_bad_definitions_file_names_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "definitions.yaml"
    bad.write_text(
        "definitions:\n  - id: D1\n    label: {en: X}\n    definition: {en: a, zh: b}\n"
        "    source: s\n",
        encoding="utf-8",
    )
    with pytest.raises(EmlitError, match=r"definitions\.yaml: D1\.label\.zh: missing text"):
        load_definitions(bad)


def test_unknown_id_and_broken_yaml_are_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "a.yaml"
    bad.write_text("definitions:\n  - id: D9\n", encoding="utf-8")
    with pytest.raises(EmlitError, match=r"definitions\[0\]\.id: 'D9'"):
        load_definitions(bad)
    broken = tmp_path / "b.yaml"
    broken.write_text("definitions: [\n", encoding="utf-8")
    with pytest.raises(EmlitError, match="not valid YAML"):
        load_definitions(broken)
    with pytest.raises(EmlitError, match="cannot read"):
        load_definitions(tmp_path / "missing.yaml")
