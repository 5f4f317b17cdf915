"""The development set, the cue lexicon and text preparation (no model needed)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from emlit.errors import EmlitError
from emlit.lang import detect_lang
from emlit.tagging import devset
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


def test_v2_test_split_is_frozen_and_never_trained_on() -> None:
    """The headline test split is the one committed with the set (its sha256 is recorded in
    corpus/devset/tagger_v2.md), and no training item paraphrases one of its works."""
    assert devset.v2_test_sha256() == devset.V2_TEST_SHA256
    test = devset.frozen_test_items()
    train = training_items()
    assert len(test) == 336 and {it.split for it in test} == {"test"}
    assert not {it.text for it in test} & {it.text for it in train}
    assert not {it.work for it in test} & {it.work for it in train}
    # v1 items citing a test work (author-year) are left out of training, not leaked.
    left_out = devset.excluded_for_leakage()
    assert left_out and all(it.work in devset.frozen_test_works() for it in left_out)
    assert not {it.id for it in left_out} & {it.id for it in train}
    assert {it.origin for it in train} == {"v1", "v2", "definitions", "extra"}


def test_extra_set_is_training_only_bilingual_and_cited() -> None:
    """corpus/devset/tagger_extra.jsonl: training items only, at least 40% Chinese, every
    item cited, none paraphrasing a work of the frozen test split."""
    extra = devset.extra_items()
    assert len(extra) >= 100
    assert {it.split for it in extra} == {"train"}
    assert sum(it.lang == "zh" for it in extra) >= 0.4 * len(extra)
    assert all(it.source.strip() and it.register for it in extra)
    assert not {it.work for it in extra} & devset.frozen_test_works()
    assert {it.id for it in extra} <= {it.id for it in training_items()}
    for it in extra:
        assert detect_lang(it.text) == it.lang, it.id
    covered = {lab for it in extra for lab in it.labels}
    assert {"D2", "D5", "D6"} <= covered and any(not it.labels for it in extra)
    dev = {it.text for it in devset.v2_items()} | {it.text for it in load_devset()}
    assert not dev & {it.text for it in extra}


def test_round3_items_are_cited_and_kept_out_of_training() -> None:
    """corpus/devset/tagger_extra_r3.jsonl: cited, bilingual, no test work, and not trained
    on (grouped CV chose the model without them)."""
    unused = devset.unused_items()
    assert len(unused) >= 200
    assert sum(it.lang == "zh" for it in unused) >= 0.4 * len(unused)
    assert all(it.source.strip() and it.register for it in unused)
    assert not {it.work for it in unused} & devset.frozen_test_works()
    trained = {it.text for it in training_items()}
    assert not trained & {it.text for it in unused}
    assert not {it.id for it in devset.extra_items()} & {it.id for it in unused}


def test_v2_set_size_languages_and_works() -> None:
    items = devset.v2_items()
    assert len(items) >= 1000
    assert sum(it.lang == "zh" for it in items) >= 0.4 * len(items)
    assert all(it.source.strip() and it.register for it in items)
    # Wei et al. 2022 names works on both sides: the emergent-abilities paper (train) and
    # chain-of-thought (test) keep their titles apart.
    wei = {it.work for it in items if it.work.startswith("wei 2022")}
    assert len(wei) >= 2


def test_grouped_folds_keep_each_work_in_one_fold() -> None:
    items = training_items()
    folds = devset.grouped_folds(items, 5)
    assert sorted(i for f in folds for i in f) == list(range(len(items)))
    fold_of = {i: k for k, f in enumerate(folds) for i in f}
    works: dict[str, set[int]] = {}
    for i, it in enumerate(items):
        works.setdefault(it.work, set()).add(fold_of[i])
    assert all(len(f) == 1 for f in works.values())
    sizes = [len(f) for f in folds]
    assert max(sizes) - min(sizes) < 0.1 * len(items)


def test_author_year_keys() -> None:
    assert devset.author_year("Wei et al. 2022") == "wei 2022"
    assert devset.author_year("Berti, Giorgi & Kasneci 2025, A Survey") == "berti 2025"
    assert (
        devset.author_year("Chinese tech-media coverage of Kosinski 2023 (e.g. QbitAI)")
        == "kosinski 2023"
    )
    assert devset.author_year("张俊林 2023, 大语言模型的涌现能力") == "张俊林 2023"


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


def test_bootstrap_intervals_resample_works() -> None:
    from emlit.tagging.evaluate import bootstrap, paired_difference, score

    items = [
        devset.Item(f"i{i}", "t", "en", labs, f"w{i % 4}", "test", work=f"w{i % 4}")
        for i, labs in enumerate([("D1",), ("D3", "D4"), (), ("D2",), ("D5",), ("D6",), ()] * 3)
    ]
    gold = [list(it.labels) for it in items]
    macro, per = bootstrap(items, gold)
    assert (macro.value, macro.lo, macro.hi) == (1.0, 1.0, 1.0)
    assert per["none"].value == 1.0
    worse = [[] for _ in items]  # always "none"
    diff = paired_difference(items, worse, gold)
    assert diff.value > 0.5 and diff.lo > 0
    assert paired_difference(items, gold, gold).value == 0.0
    # A subset without D6 items: D6 counts as 0 in the macro; "classes with support" skips it.
    s = score([("D1",), ()], [["D1"], []])
    assert s.macro_f1 == 2 / 7 and s.macro_f1_present == 1.0
