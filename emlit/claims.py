"""Claim detection: which sentences and list items say something about emergence.

A sentence is a claim when it is about emergence, emergent abilities, scaling or their
explanations. We decide with a bilingual cue lexicon: one *strong* cue (涌现, emergent,
phase transition, 顿悟/grokking, 质变, mirage, "not explicitly trained", ...) is enough; *weak*
cues (scale, 大模型, abilities, training data, metric, ...) count only when two different ones
meet in the sentence. Boilerplate is dropped before that: questions on their own, fragments,
link lists, and advertising / social-media chrome.

The detector is deliberately a transparent rule set, not a model: a researcher can read why a
sentence was kept, and the definition tagger downstream does the fine-grained work.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from emlit.lang import detect_lang
from emlit.models import Claim, Sentence

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
    r"\b(?:not|never|without(?: being)?)(?: been)?(?: explicitly| specifically| directly)? "
    r"(?:trained|programmed|taught)\b",
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
    r"(?:没有|未|并未|未曾|并没有|没)(?:经过|被|接受过|针对\S{0,8}进行)?(?:明确|专门|显式|直接)?的?(?:训练|编程|教)",
    r"阈值|临界",
    r"跳跃式|突飞猛进|突然(?:出现|显现|提升|获得)",
]

WEAK_CUES = [
    # English
    r"\bscal(?:e|es|ed|ing)\b",
    r"\b(?:larger|smaller|bigger|large|small) (?:language )?models?\b",
    r"\bmodel (?:size|scale)s?\b",
    r"\bparameters?\b",
    r"\b(?:compute|flops)\b",
    r"\babilit(?:y|ies)\b|\bcapabilit(?:y|ies)\b",
    r"\btraining (?:data|set|corpus|distribution)\b",
    r"\bmetrics?\b",
    r"\bin-context learning\b|\bfew-shot\b|\bchain[- ]of[- ]thought\b",
    r"\bpredict(?:able|ed|ion|ions)?\b",
    r"\bsudden(?:ly)?\b|\bjumps?\b|\bdiscontinu",
    r"\bpropert(?:y|ies)\b",
    r"\bLLMs?\b",  # "large language models" is already counted by the size cue above
    # Chinese
    r"规模",
    r"大模型|大型(?:语言)?模型|较大的?模型",
    r"小模型|小型(?:语言)?模型|较小的?模型",
    r"参数",
    r"能力",
    r"训练数据|预训练|训练",
    r"指标",
    r"思维链|上下文学习|少样本|小样本|提示",
    r"预测",
    r"突然|突变|跳跃",
    r"特性|属性",
    r"计算量",
]

# Advertising, social-media chrome and navigation: never a claim.
BOILERPLATE = re.compile(
    r"项目地址|视频教程|扫码|二维码|关注(?:公众号|我们)|公众号|点赞|在看|转发|星标|知识星球|"
    r"版权|隐私|投稿|原文链接|阅读原文|广告|"
    r"\bsubscribe\b|\bnewsletter\b|\bcookies?\b|\bsign up\b|\bshare this\b|\bcopyright\b",
    re.IGNORECASE,
)
URL = re.compile(r"https?://\S+")

_STRONG = [re.compile(p, re.IGNORECASE) for p in STRONG_CUES]
_WEAK = [re.compile(p, re.IGNORECASE) for p in WEAK_CUES]

MIN_ZH_CHARS = 8
MIN_EN_WORDS = 5
MAX_CLAIM_CHARS = 1200


def matched_cues(text: str) -> tuple[list[str], list[str]]:
    """The strong and weak cue patterns that match ``text`` (for explanations and tests)."""
    strong = [p.pattern for p in _STRONG if p.search(text)]
    weak = [p.pattern for p in _WEAK if p.search(text)]
    return strong, weak


def is_boilerplate(text: str, lang: str) -> bool:
    if BOILERPLATE.search(text):
        return True
    without_urls = URL.sub("", text)
    if len(without_urls) < 0.5 * len(text):
        return True
    if lang == "zh":
        han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
        if han < MIN_ZH_CHARS:
            return True
    elif len(re.findall(r"[A-Za-z]+", text)) < MIN_EN_WORDS:
        return True
    if lang == "en" and _looks_like_title(text):
        return True
    if len(text) > MAX_CLAIM_CHARS:
        return True  # a wall of text with no sentence ends is a link list or a scrape error
    # A bare question states nothing; a list item that poses a question after a statement does.
    stripped = text.rstrip("）) ")
    return stripped.endswith(("?", "？")) and not re.search(r"[；;。.!！]\s*\S", stripped[:-1])


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


def is_claim(text: str, lang: str | None = None, block_kind: str = "paragraph") -> bool:
    lang = lang or detect_lang(text)
    if lang in ("und", "other") or is_boilerplate(text, lang) or _is_fragment(text, block_kind):
        return False
    strong, weak = matched_cues(text)
    return bool(strong) or len(weak) >= 2


def claim_id(document_path: str, text: str, occurrence: int) -> str:
    """A stable id: the same text in the same document keeps its id across re-ingestion."""
    digest = hashlib.sha1(f"{document_path}\0{text}\0{occurrence}".encode()).hexdigest()
    return "c" + digest[:15]


def detect_claims(document_path: str, sentences: Iterable[Sentence]) -> list[Claim]:
    """The claims among ``sentences``, with ids stable for unchanged text."""
    seen: Counter[str] = Counter()
    claims: list[Claim] = []
    for s in sentences:
        if not is_claim(s.text, s.lang, s.block_kind):
            continue
        occurrence = seen[s.text]
        seen[s.text] += 1
        kind = {
            "list_item": "list_item",
            "quote": "quote",
            "callout": "quote",
            "annotation": "quote",
        }
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
