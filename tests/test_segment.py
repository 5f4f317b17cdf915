from __future__ import annotations

from emlit.models import Block
from emlit.segment import segment, segment_block


def _sentences(text: str, kind: str = "paragraph") -> list[str]:
    return [s.text for s in segment_block(text, Block(0, len(text), kind))]


def test_chinese_sentences_end_on_chinese_punctuation():
    text = "涌现能力具备不可预测性。为什么计算机的涌现能力不可预测呢？根本上还是因为模型的黑盒性！"
    assert _sentences(text) == [
        "涌现能力具备不可预测性。",
        "为什么计算机的涌现能力不可预测呢？",
        "根本上还是因为模型的黑盒性！",
    ]


def test_english_quote_inside_chinese_is_not_cut_at_its_periods():
    text = "物理学中的定义是：“Emergence is when quantitative changes in a system result in qualitative changes in behavior.” 这一定义来自 Anderson 1972。另一句话。"
    assert _sentences(text) == [
        "物理学中的定义是：“Emergence is when quantitative changes in a system result in qualitative changes in behavior.” 这一定义来自 Anderson 1972。",
        "另一句话。",
    ]


def test_closing_quote_stays_with_its_sentence():
    text = "他们称之为“涌现能力。”随后的工作提出了质疑。"
    assert _sentences(text) == ["他们称之为“涌现能力。”", "随后的工作提出了质疑。"]


def test_english_abbreviations_do_not_end_sentences():
    text = "As shown by Wei et al. 2022, few-shot prompting is emergent, e.g. in GPT-3.5 models. Schaeffer et al. disagree."
    assert _sentences(text) == [
        "As shown by Wei et al. 2022, few-shot prompting is emergent, e.g. in GPT-3.5 models.",
        "Schaeffer et al. disagree.",
    ]


def test_short_list_item_is_one_unit_and_long_one_is_split():
    item = "scaling law：与具体的任务类型相关；涌现能力具备不可预测性。"
    assert _sentences(item, "list_item") == [item]
    long_item = "模型的性能在规模较小的时候是随机的。" * 9 + "直到达到了某个阈值。"
    assert len(_sentences(long_item, "list_item")) == 10


def test_offsets_index_the_document_text_and_only_claimable_blocks_count():
    text = "# 定义\n\n涌现是量变引起质变。它不可预测。\n\n```\ncode. here.\n```"
    blocks = [
        Block(0, 4, "heading"),
        Block(6, 22, "paragraph", "定义"),
        Block(24, len(text), "code"),
    ]
    sentences = segment(text, blocks)
    assert [s.text for s in sentences] == ["涌现是量变引起质变。", "它不可预测。"]
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.section == "定义" and s.lang == "zh"


def test_mixed_language_block_gets_language_per_sentence():
    text = "这是一个关于涌现能力的中文句子。This sentence is entirely English and fairly long."
    sents = segment_block(text, Block(0, len(text), "paragraph"))
    assert sents[0].lang == "zh"
