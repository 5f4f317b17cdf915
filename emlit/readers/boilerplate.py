"""Telling page chrome (ads, share prompts, footers, link farms) from article text.

Scraped text and HTML carry the same noise: subscription prompts, sponsored project ads,
"related reading" lists glued into one line, copyright footers. These rules are general
(marker words, link-only lines, punctuation density, where the noise sits in the page); no
rule names a particular site.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# A heading-like line that opens a list of links to other articles.
RELATED_MARKER = re.compile(
    r"^(相关阅读|推荐阅读|延伸阅读|相关推荐|相关文章|往期推荐|往期回顾|往期精选|热门推荐|热门文章|"
    r"猜你喜欢|更多阅读|精彩推荐|"
    r"related( reading| articles| posts| stories| content)?|read more|"
    r"more (stories|articles|posts)|"
    r"you (may|might) also like|recommended( for you| reading| articles)?|popular posts|"
    r"trending( now)?)\s*[:：]?$",
    re.IGNORECASE,
)

# Prompts to subscribe, share, scan a code or join a paid group; sponsored-content labels.
_PROMOTION = re.compile(
    r"点击上方|设为星标|星标公众号|关注公众号|关注我们|公众号作者|扫码关注|"
    r"(长按|扫码|识别).{0,4}(下方|上方|图中|文末)二维码|二维码.{0,6}(关注|加入|领取|下载|进群)|"
    r"长按(识别|关注)|知识星球|点赞.{0,4}在看|在看.{0,4}(转发|分享)|(转发|分享).{0,4}在看|"
    r"点.?在看|欢迎(关注|投稿|加入|转发)|提交新闻线索|阅读原文|原文链接|"
    r"^【?广告】?$|【广告】|\[广告\]|^广告\s*[:：]|赞助商|"
    r"\bsponsored\b|\badvertisement\b|subscribe to|sign up for|our newsletter|follow us on|"
    r"share (this|on)\b|we use cookies|accept (all )?cookies|使用\s*cookies?",
    re.IGNORECASE,
)

# Site footers: copyright lines, legal links, disclaimers.
_FOOTER = re.compile(
    r"©|\(c\)\s*\d{4}|copyright\s+(©\s*)?\d{4}|all rights reserved|版权所有|隐私(协议|政策)|"
    r"用户协议|privacy policy|terms of (use|service)|联系我们|关于我们|免责声明|"
    r"不代表.{0,12}(观点|立场|同意)|侵权.{0,10}(删除|联系|通知)|请.{0,8}通知本(网|站)|"
    r"\bdisclaimer\b",
    re.IGNORECASE,
)

# Whole lines that are navigation widgets of the scraped page.
_NAV_LINE = re.compile(
    r"^(skip to (main )?content|skip navigation|跳到主要内容|跳转到内容|toggle navigation|"
    r"back to top|返回顶部|menu|菜单|search|搜索|home|首页|log ?in|sign ?in|sign ?up|登录|注册|"
    r"share|分享|logo|print|打印|next|previous|上一篇.*|下一篇.*)$",
    re.IGNORECASE,
)

# A list item that is only a label and a URL ("项目地址: https://...", "Video: https://...").
_LINK_ITEM = re.compile(r"^([^\s:：]{1,16}\s*[:：]\s*)?(https?://|www\.)\S+$", re.IGNORECASE)

# A URL ends at whitespace, a bracket, a quote or Chinese text (no spaces in Chinese).
_URL = re.compile(
    r"(https?://|www\.)[^\s<>()\[\]{}\"'“”‘’\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+",
    re.IGNORECASE,
)
_LINK_SYNTAX = re.compile(r"[\s\[\]()（）<>:：|*_>#-]+")
_FULL_STOP = re.compile(r"。|\.(\s|$)")
_SENTENCE_END = re.compile(r"[。！？!?.]")
_SENTENCE_STOP = re.compile(r"[。！？!?]|\.(\s|$)")

# A line this long with fewer full stops than one per this many characters is not prose.
FARM_MIN_CHARS = 200
FARM_CHARS_PER_STOP = 400
# Contains-patterns are only trusted on short blocks; a long paragraph is content even if
# it happens to mention "版权" or "cookies".
MAX_CHROME_CHARS = 300


def is_link_farm(text: str) -> bool:
    """A long line of concatenated headlines: long, but with almost no full stops."""
    text = _URL.sub("", text).strip()  # URLs would make a short line look long
    if len(text) < FARM_MIN_CHARS or "\n" in text:  # a multi-line block is a table or list
        return False
    stops = len(_FULL_STOP.findall(text))
    return stops * FARM_CHARS_PER_STOP < len(text)


def is_link_item(text: str) -> bool:
    return bool(_LINK_ITEM.match(text.strip()))


def is_chrome(text: str) -> bool:
    """A block that is page furniture on its own: a promotion, a footer, a nav widget."""
    text = text.strip()
    if not text:
        return False
    if _NAV_LINE.match(text) or RELATED_MARKER.match(text) or is_link_item(text):
        return True
    if is_link_farm(text):
        return True
    if len(text) <= MAX_CHROME_CHARS and (_PROMOTION.search(text) or _FOOTER.search(text)):
        return True
    # A bare link line: take the URLs and link syntax away and hardly any words are left.
    if not _URL.search(text):
        return False
    return len(_LINK_SYNTAX.sub("", _URL.sub("", text))) < 12


def is_prose(text: str) -> bool:
    """Article-like: a sentence or more of real text."""
    text = text.strip()
    return len(text) >= 40 and bool(_SENTENCE_END.search(text)) and not is_chrome(text)


@dataclass
class Candidate:
    """What the chrome filter needs to know about one block."""

    text: str
    kind: str  # paragraph | list_item | heading | ...


def chrome_mask(blocks: Sequence[Candidate]) -> list[bool]:
    """Which blocks to drop: chrome blocks, ad intros, and chrome-dominated head and tail.

    Each block scores +1 when it is chrome, -1 when it is a sentence of prose, -2 when it
    is two or more, 0 otherwise (headings, short lines). The longest tail that starts with
    chrome and scores >= 2 is dropped whole (share prompts, paid-group ads, related
    reading, footer). Likewise the best-scoring head that ends with chrome (site name,
    breadcrumb, "star this account"), looking no further than the first prose.
    """
    n = len(blocks)
    drop = [is_chrome(b.text) for b in blocks]
    # A related-reading marker takes the link titles after it along, up to the next prose.
    for i, b in enumerate(blocks):
        if RELATED_MARKER.match(b.text.strip()):
            j = i + 1
            while j < n and not is_prose(blocks[j].text):
                drop[j] = True
                j += 1
    # A project ad: a run of label+URL list items, and the sentence-less blurb before it.
    for i, b in enumerate(blocks):
        if b.kind == "list_item" and is_link_item(b.text):
            j = i - 1
            while j >= 0 and blocks[j].kind == "list_item" and drop[j]:
                j -= 1
            if j >= 0 and blocks[j].kind == "paragraph" and _ends_without_stop(blocks[j].text):
                drop[j] = True
    score = [1 if d else -_sentences(b.text) for b, d in zip(blocks, drop, strict=True)]
    # Tail: earliest start among the best-scoring suffixes that begin with chrome.
    best, best_start, total = 1, n, 0
    for i in range(n - 1, -1, -1):
        total += score[i]
        if drop[i] and total >= best:
            best, best_start = total, i
    if best >= 2:
        for i in range(best_start, n):
            drop[i] = True
    # Head: earliest end among the best-scoring prefixes that end with chrome, before any prose.
    best, best_end, total = 0, -1, 0
    for i in range(n):
        if score[i] < 0:
            break
        total += score[i]
        if drop[i] and total > best:
            best, best_end = total, i
    for i in range(best_end + 1):
        # Headings there stay (the page title, usually); they hold no claims anyway.
        drop[i] = drop[i] or blocks[i].kind != "heading"
    # Taglines right after a dropped head ("daily updates!") go with it, up to the first
    # heading or sentence of the article.
    i = best_end + 1
    while best_end >= 0 and i < n and blocks[i].kind == "paragraph" and score[i] == 0:
        drop[i] = True
        i += 1
    return drop


def _sentences(text: str) -> int:
    """How strongly a block reads as article text: 0 (not prose), 1 or 2 (two+ sentences)."""
    if not is_prose(text):
        return 0
    return min(2, max(1, len(_SENTENCE_STOP.findall(text))))


def _ends_without_stop(text: str) -> bool:
    text = text.rstrip()
    return bool(text) and text[-1] not in "。.！!？?：:;；"
