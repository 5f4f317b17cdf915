"""The bilingual cue lexicon: phrases that signal each sense of "emergence".

Written from the six definitions (Rogers & Luccioni 2024) and the labelling convention,
not from the development set's wording. Syntax of one cue (compiled by emlit.tagging.cues):

- segments separated by `` ... `` may have a few tokens between them (English: up to 4
  words; Chinese: up to 8 characters);
- ``a|b`` inside a segment are alternatives;
- an English word ending in ``*`` matches any word starting with it;
- a cue starting with ``re:`` is a raw regular expression (e.g. parameter counts "62B");
- a trailing ``!x|y`` means the match does not count when the text right after it starts
  with x or y (so "没有专门训练" is a D1 cue but "没有...训练数据" is not).

Groups starting with a definition id feed that definition; the other groups (``NONE_*``)
mark senses of "emergent" that are none of the six.
"""

from __future__ import annotations

EN: dict[str, list[str]] = {
    "D1": [
        "not|never|n't|without|no|nobody|neither|nor ... explicit*|specific*|direct*|deliberate*"
        "|dedicated|task-specific|intentional* ... train*|program*|taught|teach*|optimi*"
        "|supervis*|instruct*|target*|design* !data|set|corpus|corpora",
        "not|never|n't|nobody|no one|neither|nor ... train*|taught|teach*|program*|instruct*"
        " !data|set|corpus|corpora|text",
        "no|not|never|without ... training objective|training signal|training target"
        "|training goal|objective|supervision|supervisory",
        "untrained|untaught|by-product|byproduct|side effect|spontaneous*|on its own"
        "|on their own|for free",
        "beyond|outside ... what ... trained|taught",
    ],
    "D2": [
        "learn*|acquir*|absorb*|pick*|extract*|inherit*|derive*|come|comes|came|stem*|trace*"
        "|induced|owe* ... from|in|to|by ... data|corpus|corpora|text"
        "|pre-training|pretraining|pre-trained|pretrained|exposure",
        "pre-training|pretraining advantage|advantage*",
        "learn*|acquir*|absorb*|gain*|internali*|pick* up|obtain* ... during|through|via|while"
        " ... training|pre-training|pretraining|exposure",
        "training distribution|data distribution|seen during training|present in the data"
        "|present in the training data|grounded in",
        "patterns|regularities|statistics|frequen* ... in|of ... data|corpus|corpora|text",
        "memori*|memoriz*|memory|reproduc*|regurgitat*|knowledge acquired|linguistic knowledge",
        "resemble|similar ... to ... training",
        "exposure|exposed ... to ... data|text|corpus|examples",
    ],
    "D3": [
        "smaller|small|smallest|tiny ... model*|network*|variant*|version*|lm|lms|counterpart*",
        "larger|bigger|largest|biggest ... model*|network*|variant*|version*|lm|lms|one|ones",
        "at|with|beyond|above|past|exceed*|cross*|reach* ... scale|size|threshold|billion"
        "|parameters",
        "scale up|scaled up|scaling up|scaled|sufficient* large|sufficient* scale|enough scale"
        "|large enough|big enough|enough parameters|critical size|critical scale|certain size"
        "|certain scale|model size|model scale|parameter count|number of parameters",
        "threshold|thresholds|flops|billion|trillion|loss threshold|pre-training loss"
        "|pretraining loss",
        "only ... large|largest|big|biggest|bigger|larger",
        r"re:[0-9]+(?:\.[0-9]+)?\s?[bm]\b|[0-9]+(?:\.[0-9]+)?[\s-]?(?:billion|million)",
    ],
    "D4": [
        "sudden*|abrupt*|sharp*|jump*|leap*|spike*|discontinu*|breakthrough|instant*"
        "|snap*|surge*|dramatic*|steep*",
        "phase transition|phase transitions|phase change|all at once|step function"
        "|shoot* up|out of nowhere|from absent to present",
        "unpredictab*|unforeseen|unanticipated|unforeseeable",
        "cannot|can't|not|impossible|hard|difficult|unable|nobody|no one ... predict*"
        "|anticipate*|forecast*|foresee*|extrapolat*|inferred|infer",
        "mirage|nonlinear metric|non-linear metric|discontinuous metric",
    ],
    # Denials of sharpness ("smooth", "gradual") use D4 too, but scaling-law statements say
    # "smooth" of the loss: a group of its own lets the heads weigh it against NONE_* cues.
    "D4_smooth": [
        "smooth*|gradual*|continuous*|linear metric|incremental*|predictabl*",
    ],
    "D5": [
        "never|not|no|nothing|absent|without|zero ... seen|encounter*|exposed|exposure"
        "|appear*|occur*|support|counterpart|basis ... training|data|corpus|web|text",
        "not|never|no|absent|nothing ... in|from ... training set|training data"
        "|training corpus|pretraining corpus|pre-training corpus|pretraining data"
        "|pre-training data|the data",
        "unseen|held-out|newly written|handwritten|hand-written|training cutoff"
        "|contamination|contaminated|leak*|leaked|novel",
        "absence|absent ... from ... training|data|corpus",
        "never|not ... seen|encountered|exposed|observed ... before|during|in training|these|such",
    ],
    "D6": [
        "unaware|not aware|did not know|didn't know|do not know|don't know|does not know"
        "|not realis*|not realiz*|without realis*|without realiz*|ignoran*|cannot tell"
        "|can't tell|could not know|cannot know|unknown to|forget|forgot|no idea",
        "undisclosed|undocumented|proprietary|audit*|what data|contents of|what is in",
        "developer*|builder*|creator*|maker*|designer*|engineer*",
    ],
    "NONE_nature": [
        "physics|particle*|molecul*|electron*|brain|neuron*|consciousness|bird*|ant|ants"
        "|colony|colonies|flock*|biology|biological|chemistry|superconduct*|condensed matter"
        "|gravity|spacetime|multi-agent|agents|philosoph*|water|life",
    ],
    "NONE_verb": [
        "have|has|had ... emerged",
        "emerged as|emerged from the|new consensus|startups",
    ],
    "NONE_scaling_law": [
        "power law|power-law|scaling law*|compute-optimal|compute optimal|undertrained"
        "|sample-efficient|batch size|cross-entropy|loss|losses|perplexity",
    ],
    "NONE_metric": [
        "metric*|accuracy|edit distance|brier|log-likelihood*|pass@k|benchmark*|scenario*"
        "|evaluat*|score*|scoring",
    ],
    "NONE_word": [
        "the term|the word|this term|a term|misnomer|ambiguity|ambiguous|senses|definition*"
        "|what they mean|we mean",
    ],
}

ZH: dict[str, list[str]] = {
    "D1": [
        "没有|并未|未|从未|没|未经|并没有|不是|并非|无需|不需要|无须|非 ... 专门|明确|显式|刻意"
        "|直接|特意|针对|特别 ... 训练|教|设计|优化|监督|要求 !数据|集|语料|文本|样本",
        "没有|并未|未|从未|没|未经|无人|没有人|没人|从来没有 ... 训练|教过|教会|教它|编程|指令要求"
        " !数据|集|语料|文本|样本",
        "训练目标|训练信号|监督信号",
        "自发|顺带|副产品|冒出来|凭空|自己出现|自行出现|无师自通",
    ],
    "D2": [
        "从|自|在 ... 数据|语料|文本|预训练|棋谱|文件 ... 学|习得|获得|吸收|提取|掌握",
        "来自|源于|来源于|归功于|得益于|追溯到|继承|取决于 ... 数据|语料|预训练|文本|棋谱|文件",
        "学到|学会|习得|吸收|继承|提取 ... 数据|语料|文本|规律|模式",
        "预训练|训练数据|训练|语料|数据 ... 中|阶段|里|时 ... 学到|学会|习得|获得|吸收|掌握|学来|内化",
        "训练分布|数据分布|建立在 ... 数据",
        "预训练优势|预训练带来|统计规律|记住|记忆|复现|背诵",
        "与训练数据 ... 相似",
        "接触过 ... 数据",
    ],
    "D3": [
        "小模型|较小的模型|更小的模型|小型模型|小型语言模型|较小模型|小规模|较小的|更小的|最小的"
        "|小尺寸|小参数|参数较少|参数更少|小版本",
        "更大的|较大的|最大的|大规模时|规模更大|越大|大尺寸|百亿级|千亿级|万亿级",
        "规模|参数量|参数规模|尺寸|临界|阈值|门槛|千亿|百亿|万亿|亿参数|计算量|预训练损失",
        "足够大|扩展到|扩大|超过 ... 规模|参数",
        "只有 ... 大|最大",
        "flops|billion",
    ],
    "D4": [
        "突然|骤然|陡然|急剧|剧烈|跃升|跃迁|飞跃|跳跃|突变|相变|突破性|瞬间|一下子|猛然|陡增"
        "|陡峭|质变|一跃",
        "不可预测|无法预测|难以预测|不可预见|无法预见|无法预料|难以预料|不可预料|不能预测|无法推断"
        "|出乎意料|始料未及",
        "无法|不能|不可|难以|没有人|没人|无从|未能|不可能|很难 ... 预测|预料|预见|外推|推断|预估",
        "海市蜃楼|假象|幻觉|mirage|不连续|非连续|非线性指标",
    ],
    "D4_smooth": [
        "平滑|逐步|渐进|连续|线性指标|逐渐|可预测|可以预测|能够预测",
    ],
    "D5": [
        "从未|没有|未|没|不存在|不在|并不在|毫无|完全没有|不可能|并未 ... 见过|接触|出现"
        "|训练数据|训练集|语料|数据|依据|样例|来源",
        "新编写|新构造|手写|截止日期|数据污染|污染|泄露|未见过|没见过|从未见过|从未出现|从未接触",
        "训练集中|训练数据中|语料中 ... 没有|不存在|缺失|毫无",
    ],
    "D6": [
        "不知道|不清楚|没有意识到|未意识到|并未意识到|不知情|毫不知情|无从知晓|无法知道|说不清"
        "|无知|忘了|忘记|审查|未公开|不公开|没有文档|不了解|了解多少|有哪些数据|到底有什么",
        "开发者|创造者|研究者|研究人员|设计者|开发人员|制造者",
    ],
    "NONE_nature": [
        "物理|粒子|分子|大脑|神经活动|意识|鸟群|蚁群|生命|生物|化学|哲学|智能体|凝聚态|水分子",
    ],
    "NONE_verb": [
        "纷纷涌现|大量涌现|涌现出|雨后春笋|不断涌现|层出不穷|共识",
    ],
    "NONE_scaling_law": [
        "幂律|缩放定律|扩展定律|规模定律|缩放法则|扩展法则|规模法则|尺度定律|计算最优|训练不足|样本效率|交叉熵|损失|困惑度",
    ],
    "NONE_metric": [
        "指标|准确率|编辑距离|打分|评估|评测|基准|分数|似然|场景",
    ],
    "NONE_word": [
        "一词|术语|这个词|名称|定义|含义|用法|模糊",
    ],
}

GROUPS: tuple[str, ...] = tuple(EN)
