"""The development set, the cue lexicon and text preparation (no model needed)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from emlit.errors import EmlitError
from emlit.lang import detect_lang
from emlit.tagging.cues import match_cues
from emlit.tagging.devset import load_devset, training_items
from emlit.tagging.lexicon import load_lexicon
from emlit.tagging.textprep import MAX_CHARS, clean_text


def test_devset_size_languages_and_splits() -> None:
    items = load_devset()
    assert len(items) >= 300
    langs = Counter(it.lang for it in items)
    assert langs["zh"] * 3 >= len(items)
    assert len({it.id for it in items}) == len(items)
    held = [it for it in items if it.split == "heldout"]
    assert 0.25 <= len(held) / len(items) <= 0.35
    for split in ("train", "heldout"):
        for lang in ("en", "zh"):
            part = [it for it in items if it.split == split and it.lang == lang]
            covered = {lab for it in part for lab in it.labels}
            assert covered == {"D1", "D2", "D3", "D4", "D5", "D6"}, (split, lang)
            assert any(not it.labels for it in part)  # hard negatives
            assert any(len(it.labels) > 1 for it in part)  # mixtures
    for it in items:
        assert detect_lang(it.text) == it.lang, it.id
        assert it.source.strip()


def test_training_items_never_include_heldout() -> None:
    held = {it.text for it in load_devset() if it.split == "heldout"}
    assert not held & {it.text for it in training_items()}


def test_bad_devset_line_names_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "d.jsonl"
    row = {"id": "a", "text": "t", "lang": "en", "labels": ["D9"], "source": "s", "split": "train"}
    bad.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(EmlitError, match=r"d\.jsonl:1: field 'labels'"):
        load_devset(bad)


def test_lexicon_groups_are_the_same_in_both_languages() -> None:
    lex = load_lexicon()
    assert list(lex.cues["en"]) == list(lex.cues["zh"]) == list(lex.groups)


@pytest.mark.parametrize(
    ("text", "group", "span"),
    [
        ("It was not explicitly trained for arithmetic.", "D1", "not explicitly trained"),
        ("模型没有针对该特性进行明确的训练。", "D1", "没有针对该特性进行明确的训练"),
        ("The 540B model solves it.", "D3", "540B"),
        ("这一结论来自scaling law的拟合", "NONE_scaling_law", "scaling law"),
        ("性能急剧上升", "D4", "急剧"),
    ],
)
def test_cues_match(text: str, group: str, span: str) -> None:
    assert (group, span) in {(h.group, h.text) for h in match_cues(text)}


def test_guarded_cue_does_not_fire_before_training_data() -> None:
    groups = {h.group for h in match_cues("模型没有训练数据中的样例")}
    assert "D1" not in groups
    assert "D1" not in {h.group for h in match_cues("There was no training data for it.")}


def test_clean_text_strips_markup_and_bounds_length() -> None:
    raw = "## 标题\n> **涌现**是指 [Wei](https://x.org) ![a.png|700](https://y) <span>小模型</span> [[Note|别名]]"
    assert clean_text(raw) == "标题 涌现是指 Wei 小模型 别名"
    assert len(clean_text("word " * 5000)) == MAX_CHARS
