"""Text as the tagger sees it: markup stripped, whitespace folded, length bounded, and
Chinese in one script."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# Cues and character n-grams read this much of a claim; the encoder reads its own first
# 256 word pieces. A whole page pasted as one "claim" is still tagged, from its beginning.
MAX_CHARS = 4000

_SUBS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"```.*?```", re.S), " "),  # fenced code blocks
    (re.compile(r"!\[\[[^\]]*\]\]|!\[[^\]]*\]\([^)]*\)"), " "),  # image embeds
    (re.compile(r"\[\[([^\]|]*\|)?([^\]]*)\]\]"), r"\2"),  # [[wikilink|alias]]
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"<[^>]{1,200}>"), " "),  # HTML tags
    (re.compile(r"https?://\S+"), " "),
    (re.compile(r"&(nbsp|amp|lt|gt|quot);"), " "),
    (re.compile(r"(\*\*|__|`|~~)"), ""),  # bold, code, strike
    (re.compile(r"(?m)^\s*(#{1,6}|>|[-*+]|\d+[.)])\s+"), ""),  # headings, quotes, bullets
    (re.compile(r"\s+"), " "),
]


def clean_text(text: str) -> str:
    """Drop Markdown/HTML markup and links, keep the words; bounded to MAX_CHARS."""
    for pattern, repl in _SUBS:
        text = pattern.sub(repl, text)
    return text.strip()[:MAX_CHARS]


@lru_cache(maxsize=1)
def _traditional_to_simplified() -> Callable[[str], str]:
    import opencc  # lazy: only Chinese text needs it

    convert: Callable[[str], str] = opencc.OpenCC("t2s.json").convert
    return convert


def fold_script(text: str) -> str:
    """Traditional Chinese characters as their simplified forms (OpenCC's t2s table). Most
    training items are simplified, a quarter of real Chinese writing about emergence is not,
    and the character n-grams, cues and nearest examples should read both alike."""
    return _traditional_to_simplified()(text)
