"""Bilingual cue lexicons for the relation classifier: topics, opposing stances, negation.

The embedding model is English-only, so Chinese (and mixed) pairs lean on these cues. Each
*axis* is a pair of opposing positions in the debate (smooth vs sudden, learned from data vs
never trained, ...): one claim on each side of an axis is a strong sign of COUNTERS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts), re.IGNORECASE)


# Topics: a claim mentions a concept in either language; shared concepts mean relatedness.
TOPICS: dict[str, re.Pattern[str]] = {
    "emergence": _rx(r"\bemerg", r"涌现", r"突现"),
    "scale": _rx(
        r"\bscal",
        r"\blarge(r|st)? (language )?models?",
        r"\bsize",
        r"parameters?\b",
        r"\b\d+(\.\d+)?\s?[BM]\b",
        r"flops",
        r"compute",
        r"规模",
        r"参数",
        r"大模型",
        r"小模型",
        r"计算量",
    ),
    "metric": _rx(
        r"metric",
        r"exact[- ]match",
        r"scor",
        r"edit distance",
        r"partial credit",
        r"log-?likelihood",
        r"resolution",
        r"指标",
        r"评分",
        r"度量",
        r"评测",
        r"得分",
        r"评价",
    ),
    "data": _rx(
        r"training (data|set|corpus)",
        r"pre-?training corpus",
        r"web text",
        r"internet",
        r"memori[sz]",
        r"contaminat",
        r"seen",
        r"frequen",
        r"训练数据",
        r"训练集",
        r"记忆",
        r"污染",
        r"见过",
        r"网络上",
    ),
    "icl": _rx(
        r"in-context",
        r"few-shot",
        r"demonstration",
        r"prompt",
        r"examples?\b",
        r"上下文学习",
        r"少样本",
        r"示例",
        r"提示",
    ),
    "cot": _rx(r"chain[- ]of[- ]thought", r"step[- ]by[- ]step", r"思维链", r"逐步推理"),
    "reasoning": _rx(
        r"reason",
        r"arithmetic",
        r"planning",
        r"analog",
        r"counterfactual",
        r"推理",
        r"算术",
        r"反事实",
        r"类比",
    ),
    "tom": _rx(
        r"theory[- ]of[- ]mind",
        r"false[- ]belief",
        r"mental state",
        r"social intelligence",
        r"心智理论",
        r"错误信念",
        r"心理状态",
    ),
    "grokking": _rx(
        r"grok",
        r"generali[sz]",
        r"overfit",
        r"circuit",
        r"progress measure",
        r"顿悟",
        r"泛化",
        r"过拟合",
        r"电路",
    ),
    "loss": _rx(r"\bloss\b", r"power law", r"损失", r"幂律"),
    "poll": _rx(
        r"survey",
        r"poll",
        r"researchers",
        r"respondents",
        r"consensus",
        r"colleagues",
        r"belie",
        r"调查",
        r"研究者",
        r"共识",
        r"同行",
        r"受访",
        r"信念",
    ),
    "definition": _rx(r"\bdefin", r"\bterm\b", r"\bsense", r"\bmean", r"定义", r"含义", r"一词"),
    "predict": _rx(
        r"predict", r"forecast", r"extrapolat", r"anticipat", r"foresee", r"预测", r"预见"
    ),
    "cipher": _rx(r"cipher", r"rot-?\d+", r"密码"),
}

# Opposing positions: (name, side A pattern, side B pattern). Negated forms of a side-B word
# ("unpredictable", "不可预测") are matched first and removed before side A is looked for.
AXES: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    (
        "smooth_vs_sudden",
        _rx(
            r"\bsmooth",
            r"gradual",
            r"steadil",
            r"steady",
            r"continuous",
            r"linear metric",
            r"(?<!un)predictabl",
            r"(?<!un)predicted",
            r"can be (predicted|forecast|extrapolated)",
            r"hidden progress",
            r"no (sudden )?jump",
            r"forecast",
            r"progress measure",
            r"平滑",
            r"渐进",
            r"稳步",
            r"稳定",
            r"连续",
            r"可以预测",
            r"预测出",
        ),
        _rx(
            r"sudden",
            r"abrupt",
            r"sharp",
            r"\bjumps?\b",
            r"phase (transition|change)",
            r"breakthrough",
            r"discontinuous",
            r"unpredictab",
            r"cannot be (predicted|extrapolated)",
            r"instant",
            r"critical (scale|size|point)",
            r"(nobody|no one) can predict",
            r"cannot predict",
            r"hard to (anticipate|predict)",
            r"could not foresee",
            r"surpris",
            r"突然",
            r"跃升",
            r"跳跃",
            r"跃迁",
            r"不连续",
            r"无法预测",
            r"不可预测",
            r"临界",
            r"瞬间",
        ),
    ),
    (
        "data_vs_untrained",
        _rx(
            r"training data",
            r"learned from",
            r"memori[sz]",
            r"contaminat",
            r"near-duplicate",
            r"web text",
            r"internet",
            r"frequen",
            r"inherited",
            r"in-context learning",
            r"训练数据中",
            r"记忆",
            r"重复样本",
            r"上下文学习",
            r"污染",
            r"学到的模式",
        ),
        _rx(
            r"never (trained|seen|exposed|designed)",
            r"not (explicitly )?trained",
            r"without (any )?(training|having seen)",
            r"spontaneous",
            r"never saw",
            r"was never",
            r"not a training objective",
            r"genuinely new",
            r"从未",
            r"自发",
            r"没有.{0,6}训练",
            r"并没有经过",
            r"全新",
        ),
    ),
    (
        "fails_vs_succeeds",
        _rx(
            r"\bfail",
            r"collapse",
            r"\bdrops?\b",
            r"worse",
            r"below",
            r"short of",
            r"shortcut",
            r"not robust",
            r"spurious",
            r"disappear",
            r"vanish",
            r"失败",
            r"下降",
            r"更差",
            r"捷径",
            r"消失",
        ),
        _rx(
            r"\bsolves?\b",
            r"succe",
            r"outperform",
            r"understand",
            r"general[- ]purpose",
            r"robust(?! )",
            r"human level",
            r"acquired",
            r"new abilit",
            r"reliably",
            r"spontaneously",
            r"已经",
            r"解决",
            r"成功",
            r"理解",
            r"已经具备",
            r"获得",
        ),
    ),
    (
        "dissent_vs_consensus",
        _rx(
            r"did not agree",
            r"disagree",
            r"only \d+%",
            r"minority",
            r"far from",
            r"misjudge",
            r"overestimat",
            r"differ",
            r"不同意",
            r"只有",
            r"远未",
            r"差距",
            r"差别",
        ),
        _rx(r"consensus", r"widely", r"broad", r"accurately perceive", r"普遍", r"共识"),
    ),
    (
        "small_too_vs_only_large",
        _rx(
            r"small(er)? models? (\w+ )?(already|also|too)",
            r"even (\d+(\.\d+)?B|small)",
            r"outperforms the \d+",
            r"worse than small",
            r"小模型(上)?也",
            r"小模型.{0,4}已经",
        ),
        _rx(
            r"only (very |sufficiently )?large",
            r"only in (sufficiently )?large",
            r"absent in small",
            r"only (appears|emerges) at",
            r"只有.{0,8}(大|足够)",
            r"足够大",
            r"超过.{0,6}临界",
        ),
    ),
    (
        "artefact_vs_real",
        _rx(
            r"mirage",
            r"artefact",
            r"artifact",
            r"illusion",
            r"not evidence",
            r"adds nothing",
            r"no evidence",
            r"假象",
            r"海市蜃楼",
            r"并非",
            r"不过是",
            r"没有比",
            r"并没有增加",
        ),
        _rx(
            r"genuine",
            r"real change",
            r"qualitative",
            r"new (scientific )?phenomenon",
            r"truly",
            r"真正的",
            r"质变",
            r"全新的科学",
        ),
    ),
]

NEGATION = _rx(
    r"\bnot\b",
    r"\bno\b",
    r"\bnever\b",
    r"n't\b",
    r"\bcannot\b",
    r"\bneither\b",
    r"\bnor\b",
    r"\bwithout\b",
    r"不",
    r"没有",
    r"并非",
    r"无法",
    r"未",
)
CONTRAST = _rx(
    r"\bhowever\b",
    r"\bbut\b",
    r"\byet\b",
    r"\balthough\b",
    r"\bthough\b",
    r"\brather than\b",
    r"\binstead\b",
    r"\bwhereas\b",
    r"\bin contrast\b",
    r"\bcontrary\b",
    r"\bdespite\b",
    r"然而",
    r"但是",
    r"但",
    r"却",
    r"而是",
    r"相反",
    r"尽管",
    r"质疑",
    r"反驳",
)
# Words of the skeptical side of the debate in either language.
SKEPTIC = _rx(
    r"mirage",
    r"artefact",
    r"artifact",
    r"illusion",
    r"metric",
    r"memori[sz]",
    r"contaminat",
    r"shortcut",
    r"spurious",
    r"counterfactual",
    r"smooth",
    r"gradual",
    r"in-context learning",
    r"training data",
    r"假象",
    r"海市蜃楼",
    r"指标",
    r"度量",
    r"记忆",
    r"污染",
    r"捷径",
    r"反事实",
    r"平滑",
    r"上下文学习",
    r"训练数据",
    r"质疑",
)
PROPONENT = _rx(
    r"emerg",
    r"sudden",
    r"abrupt",
    r"sharp",
    r"phase transition",
    r"breakthrough",
    r"spontaneous",
    r"unpredictab",
    r"new abilit",
    r"unlock",
    r"涌现",
    r"突然",
    r"跃升",
    r"自发",
    r"新的能力",
    r"无法预测",
)

# A rough reading of which definition a claim's wording invokes, used when the tagger has not
# labelled it (e.g. `emlit relate`, which gets bare texts).
DEFINITION_CUES: dict[str, re.Pattern[str]] = {
    "D1": _rx(
        r"not (explicitly )?trained",
        r"never trained",
        r"without (being )?trained",
        r"spontaneous",
        r"not a training objective",
        r"没有.{0,6}训练",
        r"自发",
        r"未经",
    ),
    "D2": _rx(
        r"training data", r"learned from", r"memori[sz]", r"pre-?training", r"训练数据", r"学到"
    ),
    "D3": _rx(
        r"larger? models?",
        r"small(er)? models?",
        r"\bscale",
        r"parameters",
        r"\bsize",
        r"大模型",
        r"小模型",
        r"规模",
        r"参数",
    ),
    "D4": _rx(
        r"sudden",
        r"abrupt",
        r"sharp",
        r"jump",
        r"phase",
        r"unpredictab",
        r"breakthrough",
        r"突然",
        r"跃",
        r"跳跃",
        r"无法预测",
        r"不可预测",
    ),
    "D5": _rx(
        r"never (seen|saw|exposed)",
        r"not in the training",
        r"absent from",
        r"从未见过",
        r"不在训练",
    ),
    "D6": _rx(
        r"developers? (were|was)? ?(unaware|did not know)",
        r"closed training data",
        r"训练数据是封闭",
    ),
}


# A denial outside the matched span turns a claim's side around: "the jump disappears",
# "the sharp jumps are an artefact", "无法复现这种跳跃".
DENIAL = _rx(
    r"\bnot\b",
    r"\bno\b",
    r"\bnever\b",
    r"n't\b",
    r"\bcannot\b",
    r"could not",
    r"disappear",
    r"vanish",
    r"mirage",
    r"artefact",
    r"artifact",
    r"illusion",
    r"rather than",
    r"instead of",
    r"supposed",
    r"apparent",
    r"不",
    r"没有",
    r"并非",
    r"无法",
    r"假象",
    r"海市蜃楼",
    r"消失",
    r"所谓",
)


@dataclass(frozen=True)
class TextCues:
    """What the lexicons find in one text."""

    topics: frozenset[str]
    side_a: frozenset[str]  # axes on whose first side the text stands
    side_b: frozenset[str]
    negation: int
    contrast: int
    skeptic: int
    proponent: int
    definitions: frozenset[str]


@lru_cache(maxsize=200_000)
def text_cues(text: str) -> TextCues:
    topics = frozenset(name for name, rx in TOPICS.items() if rx.search(text))
    side_a, side_b = set(), set()
    for name, rx_a, rx_b in AXES:
        rest = rx_b.sub(" ", text)
        in_a, in_b = bool(rx_a.search(rest)), bool(rx_b.search(text))
        # A claim that names the other side only to deny it stands on this side.
        if in_b and DENIAL.search(rx_a.sub(" ", rest)):
            in_a, in_b = True, False
        if in_a:
            side_a.add(name)
        if in_b:
            side_b.add(name)
    return TextCues(
        topics=topics,
        side_a=frozenset(side_a),
        side_b=frozenset(side_b),
        negation=len(NEGATION.findall(text)),
        contrast=len(CONTRAST.findall(text)),
        skeptic=len(SKEPTIC.findall(text)),
        proponent=len(PROPONENT.findall(text)),
        definitions=frozenset(d for d, rx in DEFINITION_CUES.items() if rx.search(text)),
    )
