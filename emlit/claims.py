"""Claim detection: which sentences and list items say something about emergence.

A claim is a statement in the emergence debate: what models can or cannot do at which scale,
why, whether that is emergent, definitions, evidence and rebuttals. The decision is a
transparent rule set in two steps, so a researcher can read why a sentence was kept or not
(``verdict`` names the reason; the definition tagger downstream does the fine-grained work).

1. **What the sentence is** (each rule names a kind of non-claim):

   - ``caption``: a block that starts "Figure 3:", "Fig. 2.", "Table 1 |", "图 3", "表 2：" — every
     sentence of that block, not only the first;
   - ``reference``: an entry of a reference list (author list with initials, venue, year,
     arXiv id, GB/T 7714 tags such as ``[J]``), and everything in a "References"/"参考文献"
     section that is not long prose;
   - ``header``: running heads and footers that reached the text ("Published as a conference
     paper at ...", "arXiv:2206.07682v2 [cs.CL] ...", "Page 3 of 8");
   - ``methods``: setup rather than findings — what the authors trained or evaluated, model
     sizes trained, hyperparameters, data sets, prompts ("We train models from 37M to 318B
     parameters on a deduplicated web corpus", "学习率设为 3e-4") — unless the sentence also
     reports a finding ("we find that ...", "结果表明");
   - ``question``: questions, and reminders to oneself ("compare with the mirage argument?",
     "TODO: ...", "check whether ...", "待读：...", "查一下 ...");
   - ``boilerplate``: advertising and social-media chrome, acknowledgements, funding, code
     availability, author lines and e-mail addresses, keywords, licences, link lists;
   - ``roadmap``: text about the text ("Section 4 reports the results", "Figure 2 plots
     accuracy against FLOPs") unless it states a finding;
   - ``fragment``: too short, a title line, a lead-in to a list.

2. **Whether it is about emergence** (``off_topic`` otherwise): one *strong* cue (涌现,
   emergent, phase transition, 顿悟/grokking, 质变, mirage, "not explicitly trained", ...) is
   enough; otherwise *weak* cues from two different groups must meet (scale, abilities,
   performance, chance level, the shape of a curve, predictability, metrics, training data
   and prompting, language models, properties).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from emlit.lang import detect_lang
from emlit.models import Claim, Sentence

# "not explicitly trained for it": a strong cue, and never a methods sentence
D1_EN = (
    r"\b(?:not|never|without(?: being)?)(?: been)?(?: explicitly| specifically| directly)? "
    r"(?:trained|programmed|taught)\b|\b(?:nobody|no one) (?:\w+ly )?(?:trained|taught|programmed)\b"
)
D1_ZH = (
    r"(?:没有|未|并未|未曾|并没有|没)(?:经过|被|接受过|针对\S{0,8}进行)?(?:明确|专门|显式|直接)?的?"
    r"(?:训练|编程|教)"
)

STRONG_CUES = [
    # English
    r"\bemergen(?:t|ce|ces)\b",
    r"\bemerg(?:e|es|ed|ing)\b",
    r"\bphase[- ]transitions?\b",
    r"\bgrokk?(?:ing|ed)?\b",
    r"\bscaling[- ]laws?\b",
    r"\bmirage\b",
    r"\bunpredictab(?:le|ility|ly)\b",
    r"\bsharp(?:ness|ly)?\b.*\b(?:jump|transition|increase|change|improvement)s?\b",
    r"\bbreakthrough (?:behaviou?r|performance|abilit)",
    r"\bqualitative(?:ly)? (?:change|different|new)",
    D1_EN,
    r"\bmore is different\b",
    r"\bthreshold\b",
    # Chinese
    r"涌现",
    r"突现",
    r"相变",
    r"顿悟",
    r"质变",
    r"海市蜃楼",
    r"不可预测",
    r"(?:缩放|规模|扩展|比例)(?:定律|法则)",
    D1_ZH,
    r"阈值|临界",
    r"跳跃式|突飞猛进|突然(?:出现|显现|提升|获得)",
]

# Weak cues by group: a sentence needs cues from two different groups.
WEAK_GROUPS: dict[str, str] = {
    "scale": (
        r"\bscal(?:e|es|ed|ing)\b|\b(?:larger|smaller|bigger|largest|smallest|large|small)"
        r"(?: language)? (?:models?|networks?|checkpoints?|LMs?|systems?|siblings?|variants?)\b|"
        r"\bmodel (?:size|scale)s?\b|\b(?:larger|smaller|bigger|same|every|any) (?:size|scale)s?\b|"
        r"\bparameters?\b|\b(?:compute|flops)\b|"
        r"\b\d+(?:\.\d+)?\s?[MBT]\b(?! tokens)|\borders? of magnitude\b|\bat scale\b|"
        r"规模|大模型|大型(?:语言)?模型|较大的?模型|更大的?(?:模型|网络)|小模型|小型(?:语言)?模型|"
        r"较小的?模型|更小的?(?:模型|网络)|参数|计算量|数量级|\d+(?:\.\d+)?[MBT](?![a-z])"
    ),
    "ability": (
        r"\babilit(?:y|ies)\b|\bcapabilit(?:y|ies)\b|\bskills?\b|\bcompeten(?:ce|t)\b|"
        r"\bbehaviou?rs?\b|\bcan(?:not|'t)? (?:do|solve|perform|handle|learn)\b|"
        r"能力|本领|技能|行为|做不到|做得到|能做到|学不会|学会"
    ),
    "performance": (
        r"\baccura(?:cy|te)\b|\bperformance\b|\bperform(?:s|ed)?\b|\bscores?\b|\bloss\b|"
        r"\berror rates?\b|\bpass rates?\b|\bsolv(?:e|es|ed|ing)\b|\bfail(?:s|ed)?\b|"
        r"\bcorrect(?:ly)?\b|\bright\b|准确率|性能|表现|得分|损失|做对|答对|完成|解决"
    ),
    "chance": (
        r"\bchance\b|\brandom(?: guess\w*| baseline| performance| level)\b|\bbaseline\b|"
        r"\bnear[- ]zero\b|随机|基线"
    ),
    "shape": (
        r"\bsudden(?:ly)?\b|\bjumps?\b|\bjumped\b|\babrupt(?:ly)?\b|\bdiscontinu\w*|"
        r"\bcontinuous(?:ly)?\b|\bsmooth(?:ly)?\b|\bgradual(?:ly)?\b|\bsteep(?:ly)?\b|"
        r"\bstep\b|\bknee\b|\btakes? off\b|\bplateau\w*|\blog-?linear\b|\bpower[- ]law\b|"
        r"\bsaturat\w*|突然|突变|跳跃|跳变|跃升|平滑|渐进|陡峭|台阶|斜坡|饱和|幂律"
    ),
    "predict": (
        r"\bpredict(?:able|ed|ion|ions|s|ing)?\b|\bextrapolat\w*|\bforecast\w*|"
        r"\bsurpris\w*|\bunexpected\w*|\bunforeseen\b|\banticipat\w*|预测|外推|意外|预料|预见"
    ),
    "metric": (
        r"\bmetrics?\b|\bexact[- ](?:string )?match\b|\bedit distance\b|\bmultiple[- ]choice\b|"
        r"\bbrier\b|\blog-?(?:likelihood|probabilit\w*)\b|\bpartial credit\b|\bscor(?:ed|ing)\b|"
        r"指标|精确匹配|编辑距离|打分|对数概率|对数似然"
    ),
    "data": (
        r"\btraining (?:data|set|corpus|distribution)\b|\bpre-?training\b|\bmemori[sz]\w*|"
        r"\btrained on\b|\b(?:more|less|better|fewer|cleaner) (?:training )?data\b|"
        r"\bcontaminat\w*|\bgenerali[sz]\w*|\bin-context learning\b|\bfew-shot\b|\bzero-shot\b|"
        r"\bchain[- ]of[- ]thought\b|\bprompting\b|\binstruction tuning\b|\bscratchpad\b|"
        r"训练|记忆|污染|泛化|思维链|上下文学习|少样本|零样本|小样本|提示|指令微调"
    ),
    "models": (
        r"\bLLMs?\b|\blanguage models?\b|\bGPT-\d\b|\bPaLM\b|\bLaMDA\b|\bGopher\b|\bChinchilla\b|"
        r"语言模型|大语言模型"
    ),
    "property": (r"\bpropert(?:y|ies)\b|\bphenomen(?:on|a)\b|特性|属性|现象"),
    "comparison": (
        r"\bbetter\b|\bworse\b|\bimprov\w*|\bgains?\b|\bgap\b|\badvantage\b|\boutperform\w*|"
        r"\bbeats?\b|\bsurpass\w*|\bexceed\w*|\blags?\b|\bcloses?\b|\bprogress\b|"
        r"提升|提高|改进|进步|差距|优于|不如|超过|超越|追平|落后|更好|更差"
    ),
    "task": (
        r"\btasks?\b|\barithmetic\b|\breasoning\b|\bpuzzles?\b|\bproblems?\b|\bbenchmarks?\b|"
        r"\bBIG-?Bench\b|\bMMLU\b|\bGSM8K\b|\binstructions?\b|"
        r"任务|算术|推理|题目|基准|测试题|指令"
    ),
    "novelty": (
        r"\bnew\b|\bnovel\b|\bnever\b|\bnobody\b|\bno one\b|\bout of nowhere\b|"
        r"\bnothing (?:like|resembling)\b|全新|新的|从未|从来|凭空|没有人"
    ),
    "explanation": (
        r"\bbecause\b|\bexplain\w*|\bdue to\b|\bcaused? by\b|\bartefacts?\b|\bartifacts?\b|"
        r"\billusor\w*|\billusion\b|\bwhy\b|\bdepends? on\b|\bdecides?\b|\bdetermines?\b|"
        r"解释|原因|导致|由于|因为|所以|假象|错觉|取决于|决定了"
    ),
    "debate": (
        r"\bsuggests?\b|\bindicates?\b|\bevidence\b|\bargu\w*|\bclaims?\b|\bdoubt\w*|"
        r"\bdebate\w*|\bcritics?\b|\bsceptic\w*|\bskeptic\w*|\bobjection\b|"
        r"证据|认为|争论|怀疑|批评|反驳|质疑|结论"
    ),
}

# Advertising, social-media chrome and navigation: never a claim.
BOILERPLATE = re.compile(
    r"项目地址|视频教程|扫码|二维码|关注(?:公众号|我们)|公众号|点赞|在看|转发|星标|知识星球|"
    r"版权|隐私|投稿|原文链接|阅读原文|广告|转载|"
    r"\bsubscribe\b|\bnewsletter\b|\bcookies?\b|\bsign up\b|\bshare this\b|\bcopyright\b",
    re.IGNORECASE,
)
# Paper furniture: acknowledgements, funding, author lines, availability, keywords, licences.
PAPER_BOILERPLATE = re.compile(
    r"\bwe (?:would like to )?(?:thank|are grateful|gratefully acknowledge)|\backnowledge?ments?\b|"
    r"\b(?:this|the) (?:work|research|project|paper) (?:was|is) (?:partly |partially )?"
    r"(?:supported|funded)|\bfunded by\b|\bgrant (?:no\.?|number)|"
    r"\b(?:equal contribution|corresponding author|correspondence to|work done (?:while|during)|"
    r"competing interests?|conflicts? of interest)\b|"
    r"\b(?:code|data|models?|checkpoints?|prompts?|outputs?)(?: and \w+)? (?:is|are|will be) "
    r"(?:publicly |freely |openly )?(?:available|released)\b|\bavailable at\s*:?\s*(?:https?://|$)|"
    r"\bsocietal consequences?\b|\blicen[cs]ed? under\b|\bCC[- ]BY\b|"
    r"[\w.+}-]+@[\w-]+\.[a-z]{2,}|"
    r"感谢|致谢|资助|基金项目|基金(?:资助|支持)|通讯作者|电子邮箱|收稿日期|作者简介|中图分类号|文献标识码|"
    r"引用格式|利益冲突|代码(?:和数据)?(?:已|将)?(?:开源|公开)",
    re.IGNORECASE,
)
# A leading "label:" that marks a line of metadata rather than prose.
META_LINE = re.compile(
    r"^\s*(?:keywords?|key words|index terms|tags?|source|sources|created|updated|status|"
    r"see also|related(?: notes?| reading)?|links?|url|doi|author\(?s?\)?|date|rating|"
    r"关键词|关键字|标签|来源|出处|创建于|更新于|相关(?:笔记|阅读|链接)?|链接|作者|日期)\s*[:：]",
    re.IGNORECASE,
)
# Running heads and footers that the reader could not drop.
HEADER = re.compile(
    r"^\s*(?:published as a (?:conference )?paper at|under review as a conference paper|"
    r"published in transactions on|proceedings of the\b|preprint\b|"
    r"arxiv:\d{4}\.\d{4,5}(?:v\d+)?\s*\[|page \d+ of \d+|第\s*\d+\s*页|"
    r"(?:vol\.|volume) \d+,? no\. \d+)",
    re.IGNORECASE,
)
URL = re.compile(r"https?://\S+")

# --- captions ---------------------------------------------------------------------------
# "Figure 3:", "Fig. 3.", "Table 2 |", "FIGURE 1 —", "Figure S4:"; "图 3", "表2：", "图3-1".
CAPTION_START = re.compile(
    r"^\s*(?:(?:figure|fig\.|table|tab\.|exhibit|chart|plate)\s*(?:S|A)?\d+[a-z]?(?:\.\d+)?"
    r"\s*(?:[:.|—–]|-\s)"
    r"|(?:图|表)\s*\d+(?:[-.．]\d+)?\s*(?:[：:．.|]|\s+(?!(?:显示|表明|给出|展示|说明|中|所示|可见|列出|是|为|的|和|与)))"
    r")",
    re.IGNORECASE,
)
# "Table 1: ..." in the middle of a sentence (a caption glued to a running head), or a label
# ending a sentence after the text of a plot ("0 10 18 Model scale 10 22 Figure 3.").
CAPTION_INLINE = re.compile(
    r"\b(?:figure|fig\.|table)\s*\d+[a-z]?\s*:\s|"
    r"(?:^|\s)(?:figure|fig\.|table|tab\.)\s*(?:S|A)?\d+[a-z]?\s*[:.|]?\s*$|"
    r"(?:^|[\s\d])(?:图|表)\s*\d+(?:[-.．]\d+)?(?:\s*[：:．.]|\s+)(?!(?:所示|中|显示|表明|给出|展示|说明|可见|列出))",
    re.IGNORECASE,
)

# --- references -------------------------------------------------------------------------
REFERENCES_SECTION = re.compile(
    r"^\s*(?:\d+\.?\s*)?(?:references?|bibliography|works cited|literature cited|"
    r"参考文献|参考资料|引用文献)\s*$",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)?"
_INITIALS = r"(?:[A-Z]\.\s?(?:-?[A-Z]\.\s?)*)"
REF_AUTHORS = re.compile(
    rf"^\s*(?:\[\d{{1,3}}\]\s*)?(?:{_NAME},\s{_INITIALS}(?:,\s*|\s+and\s+|\s*&\s*)){{1,}}"
    rf"|^\s*(?:\[\d{{1,3}}\]\s*)?(?:{_INITIALS}{_NAME},\s)+"
    rf"|^\s*(?:\[\d{{1,3}}\]\s*)?{_NAME},\s{_INITIALS}(?:,?\s*et al\.|\s*\(\d{{4}}\)|\s*[A-Z\d])"
)
REF_NUMBERED = re.compile(r"^\s*\[\d{1,3}\]\s+\S")
# ACL style: full names, then the year on its own ("Jared Kaplan, Sam McCandlish, and Dario
# Amodei. 2020. Scaling laws for ..."); the segmenter cuts it after the names and the year.
_FULL_NAME = r"[A-Z][\w'’-]+(?: [A-Z]\.)*(?: (?:van |von |de |der )?[A-Z][\w'’-]+)+"
REF_NAMES_ONLY = re.compile(rf"^\s*(?:{_FULL_NAME}, ){{1,}}(?:and )?{_FULL_NAME}\.?\s*$")
REF_NAMES_YEAR = re.compile(
    rf"^\s*(?:{_FULL_NAME},? )+(?:and )?{_FULL_NAME}\.\s(?:19|20)\d{{2}}[a-z]?\."
)
REF_VENUE = re.compile(
    r"\barxiv(?: preprint)?\s*:?\s*(?:abs/)?\d{4}\.\d{4,5}|\bin (?:proceedings|advances in)\b|"
    r"\bproceedings of\b|\bconference on\b|\btransactions on\b|\bjournal of\b|\bworkshop on\b|"
    r"\bpp\.\s*\d|\bvol\.\s*\d|\bdoi\s*:|\bdoi\.org/|\bisbn\b|\bpreprint\b|\bopenreview\.net\b|"
    r"\b(?:NeurIPS|ICML|ICLR|ACL|EMNLP|NAACL|TMLR|JMLR|AAAI|IJCAI|FAccT)\b\s*,?\s*(?:19|20)\d{2}|"
    r"\d+\s*\(\d+\)\s*:\s*\d+|:\s*\d+\s*[-–]\s*\d+",
    re.IGNORECASE,
)
REF_YEAR_END = re.compile(r"(?:,|\.|\()\s*(?:19|20)\d{2}[a-z]?\)?\.?\s*$")
REF_GBT = re.compile(r"\[(?:J|C|M|D|R|N|P|S|Z|A|G|EB/OL|DB/OL|J/OL|M/OL|C/OL)\]")

# --- methods and setup ------------------------------------------------------------------
FINDING = re.compile(
    r"\bwe (?:also |further |then |first |now |additionally |consistently |indeed )?"
    r"(?:find|found|show|showed|shown|observe[ds]?|observed|note that|argue[ds]?|argued|"
    r"conclude[ds]?|demonstrate[ds]?|discover(?:ed)?|confirm(?:ed)?|see|saw|notice[ds]?|"
    r"hypothesi[sz]e[ds]?|suggest(?:ed)?|believe|expect|predict(?:ed)?|identify|identified|"
    r"establish(?:ed)?|verif(?:y|ied)|prove[ds]?|emphasi[sz]e)\b|"
    r"\b(?:results?|findings?|experiments?|analys[ie]s|evidence|curves?|data)"
    r" (?:also )?(?:show|shows|suggest|suggests|indicate|indicates|reveal|reveals|demonstrate|"
    r"demonstrates|confirm|confirms|imply|implies)\b|"
    r"发现|表明|显示出?|说明|证明|证实|揭示|观察到|认为|指出|推测|意味着|可见",
    re.IGNORECASE,
)
# A clause that opens the sentence, or follows a short lead-in ("For each task, we ...",
# "Following Kaplan et al. (2020), we ...", "For multiple-choice tasks we ...").
_LEAD = (
    r"^\s*(?:(?:\d+(?:\.\d+)*|[A-H])\.?\s+(?:[A-Z][\w-]*\s+){1,5})?"  # a heading run into the text
    r"(?:[^,;:!?]{0,90}?,\s*|(?:for|in|on|to|following|using|with|after|before|during|"
    r"across|at|throughout|unlike|like|per)\b[^,;:!?]{0,50}?\s)?"
)
PROCEDURAL = re.compile(
    _LEAD
    + r"(?:we|they|the authors|our models?|our runs?)\s+(?:first |then |also |further |additionally |"
    r"separately |additionally |are able to |can |could |will |instead )?"
    r"(?:train|trained|pre-?train(?:ed)?|fine-?tune[ds]?|finetune[ds]?|use|used|employ(?:ed)?|"
    r"adopt(?:ed)?|evaluate[ds]?|sample[ds]?|prompt(?:ed)?|report(?:ed)?(?! that)|"
    r"compute[ds]?|average[ds]?|run|ran|follow(?:ed)?|set|fix(?:ed)?|vary|varied|sweep|swept|"
    r"select(?:ed)?|choose|chose|collect(?:ed)?|construct(?:ed)?|build|built|release[ds]?|"
    r"implement(?:ed)?|filter(?:ed)?|deduplicate[ds]?|tokeni[sz]e[ds]?|plot(?:ted)?|"
    r"fit|fitted|estimate[ds]?(?! that)|draw|drew|hold out|held out|exclude[ds]?|include[ds]?|"
    r"reuse[ds]?|replicate[ds]?|score[ds]?|restrict(?:ed)?|split|measure[ds]?|introduce[ds]?|"
    r"propose[ds]? (?:to|a|an)\b|conduct(?:ed)?|perform(?:ed)?|study|studied|focus(?:ed)? on|"
    r"examine[ds]?|investigate[ds]?|test(?:ed)?|obtain(?:ed)?|treat(?:ed)?|randomi[sz]e[ds]?|"
    r"retrain(?:ed)?|benchmark(?:ed)?|apply|applied|initiali[sz]e[ds]?|save[ds]?|"
    r"checkpoint(?:ed)?|truncate[ds]?|normali[sz]e[ds]?)\b",
    re.IGNORECASE,
)
PASSIVE_SETUP = re.compile(
    _LEAD + r"(?:all|each|every|the|our|these|both|remaining|other)\s+(?:[\w-]+\s+){0,3}"
    r"(?:models?|runs?|checkpoints?|experiments?|networks?|configurations?|sizes?|variants?)\s+"
    r"(?:are|is|were|was|have been|has been)\s+(?:\w+ly\s+)?"
    r"(?:trained|pre-?trained|fine-?tuned|finetuned|evaluated|optimi[sz]ed|initiali[sz]ed|"
    r"sampled|prompted|run|tested|scored|decoded|saved|selected)\b(?!\s+(?:to|for)\s+(?!\d))|"
    r"\b(?:is|are|was|were) (?:set|fixed) to\b|\b(?:is|are) (?:computed|estimated|measured|"
    r"averaged|reported|defined) (?:as|over|by|with|in)\b|\b(?:are|is) drawn from\b|"
    r"\bmodels? (?:sizes? )?(?:range|ranging|vary|varying|span|spanning) (?:from|between)\b|"
    r"\bdecoding is\b|\bsampling uses\b|\bevaluation uses\b|\bprompts follow\b|"
    r"\bthe training (?:mixture|data|corpus|set) (?:contains|consists|comprises|includes)\b",
    re.IGNORECASE,
)
# Setup details, each with the literal words it needs (lower case): a detail is only looked
# for when one of them occurs, which keeps the check cheap on sentences without any.
_HYPER_RULES: list[tuple[tuple[str, ...], str]] = [
    (("learning",), r"\blearning[- ]rates?\b"),
    (("batch",), r"\bbatch ?sizes?\b"),
    (("warm",), r"\bwarm-?up\b"),
    (("decay",), r"\bweight decay\b"),
    (("optimi", "adam", "sgd"), r"\boptimi[sz]er\b|\bAdamW?\b|\bSGD\b"),
    (("dropout",), r"\bdropout\b"),
    (("epoch",), r"\bepochs?\b"),
    (("step",), r"\b\d[\d,.]*\s?[kKM]?\s+(?:training |gradient |optimi[sz]ation )?steps\b"),
    (("context", "sequence"), r"\bcontext (?:length|window)\b|\bsequence length\b"),
    (("seed",), r"\brandom seeds?\b|\b\d+ seeds\b"),
    (
        ("temperature", "greedy", "beam", "top-", "nucleus"),
        r"\btemperature (?:of|=|is)\b|\bgreedy decoding\b|\bbeam search\b|\btop-[pk]\b|"
        r"\bnucleus sampling\b",
    ),
    (("cosine", "linear"), r"\bcosine (?:decay|schedule|annealing)\b|\blinear (?:decay|warm)"),
    (("precision", "bfloat", "fp16"), r"\bmixed precision\b|\bbfloat16\b|\bfp16\b"),
    (("tpu", "gpu", "100"), r"\b(?:TPU|GPU)s?\b|\b[AHV]100s?\b"),
    (
        ("byte", "bpe", "vocabulary", "tokeni"),
        r"\bbyte-level\b|\bBPE\b|\bvocabulary of\b|\btokeni[sz]er\b",
    ),
    (("minhash", "deduplicat"), r"\bMinHash\b|\bdeduplicat\w*"),
    (("split", "held"), r"\b(?:train|test|validation|dev) split\b|\bheld[- ]out\b"),
    (("exemplar", "shot"), r"\bexemplars?\b|\b\d+-shot prompts?\b"),
    (("hyper",), r"\bhyper-?parameters?\b"),
    (("token",), r"\b\d[\d.,]*\s?[BMT]? tokens\b"),
    # Chinese
    (("学习率",), r"学习率"),
    (("批",), r"批(?:量|次)?大小"),
    (("预热",), r"预热"),
    (("权重衰减",), r"权重衰减"),
    (("优化器",), r"优化器"),
    (("随机种子",), r"随机种子"),
    (("步", "轮", "epoch"), r"\d+\s*(?:步|个\s*epoch|轮)"),
    (("长度",), r"上下文长度|序列长度"),
    (("温度", "贪心", "核采样"), r"(?:采样)?温度(?:设为|为)|贪心(?:解码|策略)|核采样"),
    (("余弦",), r"余弦(?:退火|衰减)"),
    (("超参数",), r"超参数"),
    (("去重",), r"去重"),
    (("shot",), r"\d+\s*-?\s*shot"),
    (("词元",), r"\d+\s*(?:个|亿|万)?词元"),
]
HYPER = [re.compile(p, re.IGNORECASE) for _, p in _HYPER_RULES]
_HYPER_GATED = [(t, rx) for (t, _), rx in zip(_HYPER_RULES, HYPER, strict=True)]
PROCEDURAL_ZH = re.compile(
    r"我们(?:首先|随后|然后|还|也|共|分别|进一步|同样|另外)?"
    r"(?:训练|预训练|微调|使用|采用|选用|选取|选择|设置|设定|采样|构建|收集|报告|计算|遵循|沿用|固定|"
    r"测试|考察|评测|评估|统计|过滤|去重|参照|按照|借鉴|引入|实现|复现|抽取|保留|剔除|衡量|度量)(?!的)|"
    r"我们提出了?一种(?:新的)?(?:方法|评测|指标|框架|策略)|"
    r"(?:均|都|统一)(?:在[^，。]{0,24}上)?(?:训练|预训练|微调)|参数(?:规模|量)?从\S{1,12}到\S{1,12}不等|"
    r"(?:设为|设置为|设定为|取值为)\s*[\d.]|(?:示例|样例)(?:从|取自)|"
    r"(?:参照|按照|遵循)\S{0,12}(?:的做法|的设置)|规模用[^，。]{0,20}衡量|用[^，。]{0,20}(?:来)?衡量规模|"
    r"按[^，。]{0,20}(?:估计|计算|统计)|"
    r"(?:评测|评估|解码|采样)(?:采用|使用)|(?:见|参见)(?:表|附录)\s*\S|"
    r"^(?:评测|评估|测试|训练|微调|预训练)了|(?:做法|设置)与\S{0,20}相同|由人工(?:编写|标注)|"
    r"我们用\S{0,20}(?:打分|衡量|评估|计算|估计|度量|训练|评测)|"
    r"我们(?:在|对|从)[^，。；]{0,40}(?:上|中)?(?:训练|预训练|微调|评测|评估|测试|采样|抽取)(?:了|得到)"
)
# A note's line about the setup ("Setup: 8 sizes ...", "Metrics: exact match ...", "数据集：...").
SETUP_LABEL = re.compile(
    r"^\s*(?:setup|experimental setup|metrics?|data ?sets?|data|training|evaluation|"
    r"hyper-?parameters?|prompts?|models? trained|实验设置|设置|数据集?|训练设置|评测设置|指标|超参数)\s*[:：]",
    re.IGNORECASE,
)
# Worked examples and prompt templates ("Q: ... A: ...", "Input: ... Output: ...").
EXAMPLE = re.compile(
    r"^\s*(?:q|question|input|prompt(?: template)?|问|问题|输入|提示模板)\s*[:：].{0,300}?"
    r"(?:\b(?:a|answer|output)\s*[:：]|(?:答|答案|输出)\s*[:：])",
    re.IGNORECASE,
)
OUTCOME = re.compile(
    r"\bemerg\w*|\bjump\w*|\babrupt\w*|\bsudden\w*|\bsharp\w*|\bsmooth\w*|\bthreshold\b|"
    r"\bchance\b|\brandom (?:guess\w*|baseline|performance)|\bnear[- ]zero\b|\boutperform\w*|"
    r"\bimprov\w*|\bris(?:e|es|ing)\b|\brose\b|\bclimb\w*|\bfail\w*|\bsolv\w*|\bbetter\b|"
    r"\bworse\b|\bunpredict\w*|\bextrapolat\w*|\bmirage\b|\bonly\b|\buntil\b|\bonce\b|"
    r"涌现|跳变|跃升|突然|陡|平滑|阈值|临界|随机|优于|不如|提升|提高|上升|失败|做对|答对|更好|更差|"
    r"只有|才|直到|一旦|海市蜃楼|假象",
    re.IGNORECASE,
)

# --- questions and reminders to oneself -------------------------------------------------
REMINDER = re.compile(
    r"^\s*(?:\[[ x]\]\s*)?(?:todo|to-?do|tbd|fixme|nb|note to self|to read|reading list|"
    r"follow[- ]up|待办|待读|待查|待补|待确认|待定|备忘|todo)\s*[:：]|"
    r"^\s*(?:\[[ x]\]\s*)?(?:compare|check|look (?:up|into|at)|re-?read|read up|find|ask|email|"
    r"remember to|follow up|double-check|verify|figure out|see (?:whether|if)|try|cite|add|"
    r"dig into|revisit|skim|plot|maybe (?:compare|check|email|ask|look|read|plot|add|cite))\b|"
    r"\b(?:need|needs|have|has|want) to (?:check|compare|read|look|verify|ask|find|confirm|cite|"
    r"follow|figure out)\b|\bnote to self\b|\bnot sure (?:whether|if)\b|"
    r"^\s*(?:记得|回头|有空|改天|下次|之后再|需要确认|需要查|查一下|问一下|问问|看看|再读|再看)|"
    r"(?:查一下|查查|看一下|对比一下|比较一下|问一下|确认一下|核实一下|读一下|补充一下|画一下)",
    re.IGNORECASE,
)
REMINDER_SECTION = re.compile(
    r"^\s*(?:todo|to-?dos?|tasks?|reading list|to read|questions?|open questions?|"
    r"待办|待读|待办事项|问题|疑问|备忘)\s*$",
    re.IGNORECASE,
)

# --- text about the text ----------------------------------------------------------------
ROADMAP = re.compile(
    r"\b(?:the rest|the remainder) of (?:this|the) (?:paper|section|article|chapter)\b|"
    r"\bis (?:organi[sz]ed|structured) as follows\b|"
    r"^\s*(?:in )?(?:section|appendix|sec\.) [\dA-H]+(?:\.\d+)*,? (?:we )?(?:describes?|presents?|"
    r"introduces?|reviews?|discuss(?:es)?|reports?|concludes?|summari[sz]es?|gives?|lists?|"
    r"details?|covers?|turns? to)\b|"
    r"\b(?:are|is) (?:described|given|listed|detailed|provided) in (?:section|appendix|sec\.|"
    r"table) [\dA-H]+|"
    r"^\s*(?:figure|fig\.|table) \d+[a-z]? (?:plots?|shows?|lists?|summari[sz]es|reports?|gives?|"
    r"presents?|compares?|displays?|illustrates?|depicts?)\b(?! that| how)|"
    r"\bin the (?:next|following|previous) section\b|\bwe (?:now )?turn to\b|"
    # what the paper does, not what it finds ("In this work, we review ...", "We then explore ...")
    r"^\s*(?:in|with) this (?:work|paper|study|survey|article|review|note),?\s+we\s+(?!find|show|found|"
    r"showed|demonstrate|argue|discover|conclude|identify|observe|present)|"
    r"^\s*(?:we|our (?:review|survey|paper|work|study|analysis))\s+(?:first |then |next |also |finally |"
    r"further )?(?:critically )?(?:explore|review|survey|discuss|outline|summari[sz]e|describe|cover|"
    r"extends?|highlight|examine|investigate|analy[sz]e|revisit|shed light)\b|"
    r"本文(?:其余|剩余)部分|本文结构如下|安排如下|第\s*\d+\s*节(?:介绍|描述|讨论|给出|总结|报告)|"
    r"^\s*(?:图|表)\s*\d+\s*(?:给出|列出|展示)了|(?:见|详见)附录|"
    r"(?:在|于)(?:下文|后文|下一节|后面)(?:中)?(?:分类|逐一|详细)?(?:介绍|讨论|展开|说明)|"
    r"以下(?:的)?(?:介绍|讨论)|^\s*(?:参见|详见)|^\s*see (?:also )?(?:[A-Z]|section|appendix)",
    re.IGNORECASE,
)

# Literal words that a group's pattern needs (lower case): a group is only tried when one of
# them occurs in the lower-cased sentence. Substring tests are cheap; the patterns are not.
WEAK_TRIGGERS: dict[str, tuple[str, ...]] = {
    "scale": (
        "scal",
        "larg",
        "small",
        "bigg",
        "model size",
        "model scale",
        "size",
        "parameter",
        "compute",
        "flop",
        "magnitude",
        "规模",
        "大模型",
        "大型",
        "较大",
        "更大",
        "小模型",
        "小型",
        "较小",
        "更小",
        "参数",
        "计算量",
        "数量级",
        # sizes: 62B, 1.3 B, 70M, 1T
        *(f"{d}{gap}{unit}" for d in "0123456789" for gap in ("", " ") for unit in "mbt"),
    ),
    "ability": (
        "abilit",
        "capabilit",
        "skill",
        "competen",
        "behavio",
        "can",
        "能力",
        "本领",
        "技能",
        "行为",
        "做不到",
        "做得到",
        "能做到",
        "学不会",
        "学会",
    ),
    "performance": (
        "accura",
        "perform",
        "score",
        "loss",
        "error rate",
        "pass rate",
        "solv",
        "fail",
        "correct",
        "right",
        "准确率",
        "性能",
        "表现",
        "得分",
        "损失",
        "做对",
        "答对",
        "完成",
        "解决",
    ),
    "chance": ("chance", "random", "baseline", "near zero", "near-zero", "随机", "基线"),
    "shape": (
        "sudden",
        "jump",
        "abrupt",
        "discontinu",
        "continuous",
        "smooth",
        "gradual",
        "steep",
        "step",
        "knee",
        "take off",
        "takes off",
        "plateau",
        "linear",
        "power law",
        "power-law",
        "saturat",
        "突然",
        "突变",
        "跳跃",
        "跳变",
        "跃升",
        "平滑",
        "渐进",
        "陡峭",
        "台阶",
        "斜坡",
        "饱和",
        "幂律",
    ),
    "predict": (
        "predict",
        "extrapolat",
        "forecast",
        "surpris",
        "unexpected",
        "unforeseen",
        "anticipat",
        "预测",
        "外推",
        "意外",
        "预料",
        "预见",
    ),
    "metric": (
        "metric",
        "match",
        "edit distance",
        "multiple",
        "brier",
        "log",
        "partial credit",
        "scor",
        "指标",
        "精确匹配",
        "编辑距离",
        "打分",
        "对数概率",
        "对数似然",
    ),
    "data": (
        "training",
        "train",
        "memori",
        "contaminat",
        "generali",
        "in-context",
        "few-shot",
        "zero-shot",
        "chain",
        "prompting",
        "instruction tuning",
        "scratchpad",
        "data",
        "训练",
        "记忆",
        "污染",
        "泛化",
        "思维链",
        "上下文学习",
        "少样本",
        "零样本",
        "小样本",
        "提示",
        "指令微调",
    ),
    "models": (
        "llm",
        "language model",
        "gpt-",
        "palm",
        "lamda",
        "gopher",
        "chinchilla",
        "语言模型",
    ),
    "property": ("propert", "phenomen", "特性", "属性", "现象"),
    "comparison": (
        "better",
        "worse",
        "improv",
        "gain",
        "gap",
        "advantage",
        "outperform",
        "beat",
        "surpass",
        "exceed",
        "lag",
        "close",
        "progress",
        "提升",
        "提高",
        "改进",
        "进步",
        "差距",
        "优于",
        "不如",
        "超过",
        "超越",
        "追平",
        "落后",
        "更好",
        "更差",
    ),
    "task": (
        "task",
        "arithmetic",
        "reasoning",
        "puzzle",
        "problem",
        "benchmark",
        "big-bench",
        "bigbench",
        "mmlu",
        "gsm8k",
        "instruction",
        "任务",
        "算术",
        "推理",
        "题目",
        "基准",
        "测试题",
        "指令",
    ),
    "novelty": (
        "new",
        "novel",
        "never",
        "nobody",
        "no one",
        "out of nowhere",
        "nothing like",
        "nothing resembling",
        "全新",
        "新的",
        "从未",
        "从来",
        "凭空",
        "没有人",
    ),
    "explanation": (
        "because",
        "explain",
        "due to",
        "cause",
        "artefact",
        "artifact",
        "illusor",
        "illusion",
        "why",
        "depend",
        "decide",
        "determine",
        "解释",
        "原因",
        "导致",
        "由于",
        "因为",
        "所以",
        "假象",
        "错觉",
        "取决于",
        "决定了",
    ),
    "debate": (
        "suggest",
        "indicate",
        "evidence",
        "argu",
        "claim",
        "doubt",
        "debate",
        "critic",
        "sceptic",
        "skeptic",
        "objection",
        "证据",
        "认为",
        "争论",
        "怀疑",
        "批评",
        "反驳",
        "质疑",
        "结论",
    ),
}
_BOILER_GATE = re.compile(
    "项目|视频|扫码|二维码|关注|公众号|点赞|在看|转发|星标|知识星球|版权|隐私|投稿|原文|广告|转载|"
    "subscribe|newsletter|cookie|sign up|share this|copyright|thank|grateful|acknowledg|support|"
    "fund|grant|contribution|correspond|work done|competing|conflict|available|release|"
    "societal|licen|cc-by|cc by|@|感谢|致谢|资助|基金|通讯作者|电子邮箱|收稿|作者简介|中图分类号|"
    "文献标识码|引用格式|利益冲突|代码"
)
_VENUE_GATE = re.compile(
    "arxiv|proceeding|advances in|conference|transactions|journal|workshop|pp.|vol.|doi|isbn|"
    "preprint|openreview|neurips|icml|iclr|acl|emnlp|naacl|tmlr|jmlr|aaai|ijcai|facct|:"
)

_PASSIVE_GATE = re.compile(
    "train|tuned|evaluat|optimi|initiali|sampl|prompt|run|test|scor|decod|saved|select|set to|"
    "fixed to|comput|estimat|measur|averag|report|defin|drawn|rang|vary|varying|span|uses|"
    "contains|consists|comprises|includes"
)
_ROADMAP_GATE = re.compile(
    "rest of|remainder|organi|structur|section|appendix|sec.|figure|fig.|table|next|following|"
    "previous|turn to|this|we |our |本文|安排|节|图|表|附录|下文|后文|下一节|后面|以下|参见|详见|see "
)
_REMINDER_GATE = re.compile(
    "todo|to-do|to do|tbd|fixme|nb|note|read|follow|compare|check|look|find|ask|email|remember|"
    "double|verify|figure out|see |try|cite|add|dig|revisit|skim|plot|maybe|need|have to|has to|"
    "want to|not sure|[x ]\\]|待|备忘|记得|回头|有空|改天|下次|之后|确认|查|问|看|再读|再看|一下|画"
)

_STRONG = [re.compile(p, re.IGNORECASE) for p in STRONG_CUES]
# The literal words each strong cue needs (lower case), in the order of STRONG_CUES.
_STRONG_TRIGGERS: list[tuple[str, ...]] = [
    ("emergen",),
    ("emerg",),
    ("phase",),
    ("grok",),
    ("scaling",),
    ("mirage",),
    ("unpredictab",),
    ("sharp",),
    ("breakthrough",),
    ("qualitativ",),
    ("trained", "programmed", "taught"),
    ("more is different",),
    ("threshold",),
    ("涌现",),
    ("突现",),
    ("相变",),
    ("顿悟",),
    ("质变",),
    ("海市蜃楼",),
    ("不可预测",),
    ("定律", "法则"),
    ("训练", "编程", "教"),
    ("阈值", "临界"),
    ("跳跃式", "突飞猛进", "突然"),
]
_STRONG_GATED = list(zip(_STRONG_TRIGGERS, _STRONG, strict=True))
_WEAK = {name: re.compile(p, re.IGNORECASE) for name, p in WEAK_GROUPS.items()}
# kept for callers that ask for the cue list (explanations, tests)
WEAK_CUES = list(WEAK_GROUPS.values())
_D1 = re.compile(D1_EN, re.IGNORECASE)
_ZH_D1 = re.compile(D1_ZH)

MIN_ZH_CHARS = 8
MIN_EN_WORDS = 5
MAX_CLAIM_CHARS = 1200
# Inside a reference list, long prose (an appendix the reader did not see begin) is judged
# as a sentence; anything shorter is an entry or a piece of one.
REFERENCE_PROSE_WORDS = 30

NOT_CLAIM_KINDS = (
    "caption",
    "table",
    "reference",
    "header",
    "methods",
    "question",
    "boilerplate",
    "roadmap",
    "fragment",
    "off_topic",
)


def _setup_details(text: str, low: str, enough: int = 99) -> int:
    """How many kinds of setup detail (learning rate, batch size, ...) ``text`` names."""
    found = 0
    for triggers, rx in _HYPER_GATED:
        if any(t in low for t in triggers) and rx.search(text):
            found += 1
            if found >= enough:
                break
    return found


def _weak_groups(text: str, low: str, enough: int = 99) -> int:
    """How many weak cue groups match ``text`` (``low`` is its lower case), up to ``enough``."""
    found = 0
    for name, triggers in WEAK_TRIGGERS.items():
        if any(t in low for t in triggers) and _WEAK[name].search(text):
            found += 1
            if found >= enough:
                break
    return found


def matched_cues(text: str) -> tuple[list[str], list[str]]:
    """The strong cue patterns and the weak cue groups that match ``text``."""
    strong = [p.pattern for p in _STRONG if p.search(text)]
    weak = [name for name, p in _WEAK.items() if p.search(text)]
    return strong, weak


def is_boilerplate(text: str, lang: str) -> bool:
    """Chrome, furniture, metadata lines, link lists (language-independent)."""
    if META_LINE.match(text):
        return True
    if _BOILER_GATE.search(text.lower()) and (
        BOILERPLATE.search(text) or PAPER_BOILERPLATE.search(text)
    ):
        return True
    without_urls = URL.sub("", text)
    if len(without_urls) < 0.5 * len(text):
        return True
    return len(text) > MAX_CLAIM_CHARS  # a wall of text: a link list or a scrape error


def _too_short(text: str, lang: str) -> bool:
    if lang == "zh":
        return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") < MIN_ZH_CHARS
    return len(re.findall(r"[A-Za-z]+", text)) < MIN_EN_WORDS


def _is_question(text: str) -> bool:
    """A bare question states nothing; a list item that poses a question after a statement
    does. Reminders to oneself are questions too."""
    if _REMINDER_GATE.search(text.lower()) and REMINDER.search(text):
        return True
    stripped = text.rstrip("）) ")
    return stripped.endswith(("?", "？")) and not re.search(
        r"[；;。!！]\s*\S|\.\s+\S", stripped[:-1]
    )


def _looks_like_title(text: str) -> bool:
    """A paper or section title ("Emergent Abilities of Large Language Models") states nothing."""
    if text.rstrip().endswith((".", "!", "?", "。", ";", "；")):
        return False
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]*", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _is_fragment(text: str, block_kind: str) -> bool:
    """A lead-in to a list ("三种突现能力：") or an unpunctuated title-like paragraph line."""
    stripped = text.rstrip()
    if stripped.endswith(("：", ":")) and len(stripped) < 60:
        return True
    return (
        block_kind == "paragraph"
        and len(stripped) < 24
        and not re.search(r"[。！？.!?；;，,]", stripped)
    )


_NUMBER = re.compile(r"^[-+±~≈<>]?\(?\d[\d.,]*(?:[eE][-+]?\d+)?[%×^]?\d*[MBTK]?\)?[%,;]?$")


def looks_like_table(text: str) -> bool:
    """A table that reached the text as a paragraph: rows of numbers and short labels."""
    tokens = text.split()
    numbers = sum(1 for t in tokens if _NUMBER.match(t))
    if numbers >= 4 and numbers >= 0.4 * len(tokens):
        return True
    ended = text.rstrip().endswith((".", "!", "?", "。", "！", "？", ";", "；"))
    return not ended and numbers >= 6 and numbers >= 0.25 * len(tokens)


def looks_like_reference(text: str) -> bool:
    """An entry (or a piece of one) of a reference list, wherever it turns up."""
    if REF_GBT.search(text) and re.search(r"(?:19|20)\d{2}", text):
        return True
    if REF_NAMES_ONLY.match(text) or REF_NAMES_YEAR.match(text):
        return True
    head = REF_AUTHORS.match(text) or REF_NUMBERED.match(text)
    year_end = REF_YEAR_END.search(text[-16:])
    venue = _VENUE_GATE.search(text.lower()) and REF_VENUE.search(text)
    tail = year_end or venue
    if head and tail:
        return True
    words = len(text.split())
    initials = len(re.findall(r"(?:^|[\s,])[A-Z]\.(?=[\s,-])", text))
    if head and (initials >= 3 or (words <= 25 and re.search(r"\bet al\.", text))):
        return True  # an author list, with the title but cut off before venue and year
    # "Scaling laws for neural language models. arXiv:2001.08361, 2020." / "In NeurIPS, 2023."
    return bool(year_end and words <= 40 and venue) or bool(
        re.search(r"\barxiv(?: preprint)?\s*:?\s*\d{4}\.\d{4,5}", text, re.I) and words <= 25
    )


def _reference_piece(text: str) -> bool:
    """Inside a reference list: anything but long prose is (part of) an entry."""
    if looks_like_reference(text):
        return True
    return len(text.split()) < REFERENCE_PROSE_WORDS and not re.search(r"[。！？]", text)


def is_methods(text: str) -> bool:
    """Setup rather than findings: what was trained or evaluated, and how."""
    if FINDING.search(text) or _D1.search(text) or _ZH_D1.search(text):
        return False
    if (
        PROCEDURAL.match(text)
        or (_PASSIVE_GATE.search(text.lower()) and PASSIVE_SETUP.search(text))
        or PROCEDURAL_ZH.search(text)
        or EXAMPLE.search(text)
        or SETUP_LABEL.search(text)
    ):
        return True
    hyper = _setup_details(text, text.lower(), enough=2)
    return hyper >= 2 or (hyper == 1 and not OUTCOME.search(text))


def verdict(
    text: str,
    lang: str | None = None,
    block_kind: str = "paragraph",
    section: str | None = None,
) -> str:
    """``"claim"`` or the kind of non-claim the sentence is (see ``NOT_CLAIM_KINDS``).

    This judges one sentence; ``detect_claims`` adds what only the neighbours tell (a caption
    block's later sentences, a reference list whose heading the reader did not see)."""
    lang = lang or detect_lang(text)
    if lang in ("und", "other"):
        return "fragment"
    if HEADER.search(text):
        return "header"
    if CAPTION_START.search(text) or CAPTION_INLINE.search(text):
        return "caption"
    if section and REFERENCES_SECTION.match(section) and _reference_piece(text):
        return "reference"
    if looks_like_reference(text):
        return "reference"
    if is_boilerplate(text, lang):
        return "boilerplate"
    if looks_like_table(text):
        return "table"
    if _too_short(text, lang) or (lang == "en" and _looks_like_title(text)):
        return "fragment"
    if _is_question(text) or (section and REMINDER_SECTION.match(section)):
        return "question"
    if _is_fragment(text, block_kind):
        return "fragment"
    if _ROADMAP_GATE.search(text.lower()) and ROADMAP.search(text) and not FINDING.search(text):
        return "roadmap"
    if is_methods(text):
        return "methods"
    low = text.lower()
    if any(any(t in low for t in triggers) and rx.search(text) for triggers, rx in _STRONG_GATED):
        return "claim"
    return "claim" if _weak_groups(text, low, enough=2) >= 2 else "off_topic"


def is_claim(text: str, lang: str | None = None, block_kind: str = "paragraph") -> bool:
    return verdict(text, lang, block_kind) == "claim"


def claim_id(document_path: str, text: str, occurrence: int) -> str:
    """A stable id: the same text in the same document keeps its id across re-ingestion."""
    digest = hashlib.sha1(f"{document_path}\0{text}\0{occurrence}".encode()).hexdigest()
    return "c" + digest[:15]


def verdicts(sentences: Iterable[Sentence]) -> list[tuple[Sentence, str]]:
    """Every sentence with its verdict, in order, judged with its neighbours:

    - a caption block: the sentences after "Figure 3: ..." in the same block are caption too;
    - a reference entry: the pieces the segmenter cut it into after the authors (the year,
      the title, the venue) belong to the entry;
    - a reference list: after a "References" / "参考文献" line that reached the text as a
      paragraph (a heading in body-size type), entries are recognised until the section
      changes."""
    out: list[tuple[Sentence, str]] = []
    block: object = None
    block_is_caption = False
    block_is_reference = False
    refs_from: tuple[str | None] | None = None  # the section in which a references line stood
    prev_end = -10
    for s in sentences:
        key = s.block_start if s.block_start is not None else None
        new_block = (key != block) if key is not None else (s.start - prev_end > 1)
        if new_block:
            block = key
            block_is_caption = False
            block_is_reference = False
        prev_end = s.end
        if refs_from is not None and refs_from != (s.section,):
            refs_from = None
        if REFERENCES_SECTION.match(s.text):
            refs_from = (s.section,)
            out.append((s, "fragment"))
            continue
        v = verdict(s.text, s.lang, s.block_kind, s.section)
        if v == "caption" or (v in ("table", "fragment") and CAPTION_INLINE.search(s.text)):
            v = "caption"  # and so is the rest of the block
            block_is_caption = True
        elif block_is_caption and v != "header":
            v = "caption"
        if refs_from is not None and v != "header" and _reference_piece(s.text):
            v = "reference"
        # an entry's pieces after its authors (the year, the title, the venue) are the entry
        if v == "reference":
            block_is_reference = True
        elif block_is_reference and v != "header":
            v = "reference"
        out.append((s, v))
    return out


def detect_claims(document_path: str, sentences: Iterable[Sentence]) -> list[Claim]:
    """The claims among ``sentences``, with ids stable for unchanged text."""
    seen: Counter[str] = Counter()
    claims: list[Claim] = []
    kind = {
        "list_item": "list_item",
        "quote": "quote",
        "callout": "quote",
        "annotation": "quote",
    }
    for s, v in verdicts(sentences):
        if v != "claim":
            continue
        occurrence = seen[s.text]
        seen[s.text] += 1
        claims.append(
            Claim(
                id=claim_id(document_path, s.text, occurrence),
                text=s.text,
                lang=s.lang,
                start=s.start,
                end=s.end,
                section=s.section,
                page=s.page,
                kind=kind.get(s.block_kind, "sentence"),
            )
        )
    return claims
