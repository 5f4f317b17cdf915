"""Language detection good enough for routing: Chinese, English, or something else."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_OTHER_LETTER = re.compile(r"[^\W\d_A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_cjk(char: str) -> bool:
    return bool(_CJK.match(char))


def detect_lang(text: str) -> str:
    """Return ``zh``, ``en``, ``other`` (letters of another script) or ``und`` (no letters).

    Chinese notes quote English freely, so a handful of Han characters is enough to make a
    line Chinese: a sentence with 5 Han characters among 200 Latin letters still reads as a
    Chinese sentence with an English quote only when Han characters make up a fair share.
    """
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    other = len(_OTHER_LETTER.findall(text))
    if cjk == 0 and latin == 0 and other == 0:
        return "und"
    # One Han character carries about as much as a 3-4 letter word.
    if cjk * 3 >= latin * 0.5 and cjk >= 2:
        return "zh"
    if latin >= other:
        return "en"
    return "other"
