"""A font for Chinese text in matplotlib figures (the debate map, poll charts).

matplotlib's default fonts have no Han glyphs, and its font list is cached when it is first
built, so a CJK font installed later is not in it. ``find_cjk_font`` looks among the fonts
matplotlib knows, then among the system's font files whose names say CJK, and adds those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from emlit.errors import EmlitError

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Source Han Sans",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
)
CJK_FILE_RE = re.compile(
    r"notosanscjk|notoserifcjk|notosanssc|sourcehan|wqy|wenquanyi|simhei|msyh|pingfang|"
    r"hiragino.*gb|droidsansfallback|uming|ukai",
    re.IGNORECASE,
)
HAN_RE = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff00-\uffef\U00020000-\U0002ffff]"
)
INSTALL_HINT = (
    "install one, e.g. `apt-get install fonts-noto-cjk` (Noto Sans CJK), or WenQuanYi Micro "
    "Hei (fonts-wqy-microhei), Source Han Sans or SimHei"
)


def has_han(text: str) -> bool:
    return bool(HAN_RE.search(text))


def find_cjk_font() -> str | None:
    """The family name of a font with Chinese glyphs that matplotlib can use, or None.

    matplotlib's font list is cached, so a font installed after it was built is found by
    looking at the system's font files and adding the ones whose names say CJK.
    """
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((f for f in CJK_FAMILIES if f in names), None)

    found = known()
    if found:
        return found
    for path in sorted(font_manager.findSystemFonts()):
        if CJK_FILE_RE.search(Path(path).name):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    return known()


def cjk_font_for(texts: Iterable[str], what: str | Path) -> str | None:
    """The CJK font family to add to the font list when ``texts`` hold Chinese, else None.

    Raises an EmlitError naming fonts to install when there is Chinese and no such font."""
    if not any(has_han(t) for t in texts):
        return None
    found = find_cjk_font()
    if found is None:
        raise EmlitError(
            f"{what}: the figure has Chinese text but no font with Chinese glyphs was found; "
            + INSTALL_HINT
        )
    return found
