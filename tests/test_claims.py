from __future__ import annotations

import pytest

from emlit.claims import claim_id, detect_claims, is_claim
from emlit.models import Sentence


@pytest.mark.parametrize(
    "text",
    [
        "An ability is emergent if it is not present in smaller models but is present in larger models.",
        "Emergent abilities appear to be a mirage caused by the researcher's choice of metric.",
        "The model was never explicitly trained for arithmetic, yet it can add numbers.",
        "Performance is near random until a critical threshold of scale is reached.",
        "小模型中没有出现但是大模型中出现的能力被称为涌现能力。",
        "这种质变也被称为相变。",
        "模型表现出的特性，即使它没有针对该特性进行明确的训练。",
        "模型从训练数据中学到的特性。",
        "Grokking(顿悟)现象解释了为什么小模型未表现出的能力会在大模型中突然出现。",
        "当模型规模增加时，模型可能突然达到能够满足严格指标的能力。",
    ],
)
def test_claims_about_emergence_and_its_explanations_are_kept(text):
    assert is_claim(text)


@pytest.mark.parametrize(
    "text",
    [
        "项目地址：https://github.com/YunaiV/ruoyi-vue-pro 基于 Spring Boot 的后台管理系统",
        "欢迎加入我的知识星球，一起探讨架构，交流源码。",
        "什么任务容易出现涌现能力?",
        "这道题对于10岁的孩子很容易。",
        "The weather in Copenhagen was lovely during the conference dinner.",
        "涌现",
        "https://arxiv.org/abs/2206.07682",
        "Subscribe to our newsletter to get emergent AI news.",
        "大模型" * 500,
        "[2206.07682] Emergent Abilities of Large Language Models",
    ],
)
def test_boilerplate_questions_and_off_topic_text_are_dropped(text):
    assert not is_claim(text)


def test_list_lead_ins_and_title_lines_are_dropped_but_short_list_items_kept():
    assert not is_claim("只有大型模型才有的三种突现能力：")
    assert not is_claim("大型语言模型中的能力与一致性", block_kind="paragraph")
    assert is_claim("小模型未达到能力临界点", block_kind="list_item")


def test_list_item_with_statement_then_question_is_a_claim():
    assert is_claim(
        "涌现能力的存在使得对于模型能力的预测造成了挑战；能否通过进一步的scaling来扩大能力范围？"
    )


def test_claim_ids_are_stable_and_distinguish_repeats():
    s = "涌现能力具备不可预测性。"
    sentences = [
        Sentence(0, len(s), s, "zh", None, None, "paragraph"),
        Sentence(20, 20 + len(s), s, "zh", None, None, "list_item"),
    ]
    claims = detect_claims("/n.md", sentences)
    assert [c.id for c in claims] == [claim_id("/n.md", s, 0), claim_id("/n.md", s, 1)]
    assert claims[0].id != claims[1].id
    assert claims[1].kind == "list_item"
    assert detect_claims("/n.md", sentences)[0].id == claims[0].id
