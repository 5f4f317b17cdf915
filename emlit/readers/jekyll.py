"""Jekyll/Hugo extras that are markup, not text: Liquid tags, kramdown attribute lists, shortcodes.

Each function works on one source line outside code; ``md_source.clean_source`` drives them.
"""

from __future__ import annotations

import re

LIQUID_TAG = re.compile(r"\{%-?\s*(\w+)[^%]*?-?%\}")
# ``{{ site.url }}`` (Liquid output), ``{{< figure >}}`` (Hugo shortcodes), Logseq macros.
DOUBLE_BRACES = re.compile(r"\{\{.*?\}\}")
# A kramdown attribute list alone on its line (``{:toc}``, ``{: .note}``) or an extension.
IAL_LINE = re.compile(r"^\s*\{:{1,2}[^}]*\}\s*$")
TOC_IAL = re.compile(r"^\s*\{:\s*\.?toc\b[^}]*\}\s*$", re.IGNORECASE)
TRAILING_IAL = re.compile(r"\s*\{:\s*[^}]*\}\s*$")
LIST_ITEM_LINE = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s+\S")
HIGHLIGHT_OPEN = re.compile(r"^(\s*)\{%-?\s*highlight\s+([\w+#.-]*)[^%]*%\}\s*$")
HIGHLIGHT_CLOSE = re.compile(r"^(\s*)\{%-?\s*endhighlight\s*-?%\}\s*$")


def highlight_fence(line: str) -> str | None:
    """``{% highlight py %}`` / ``{% endhighlight %}`` become code fences; else None."""
    found = HIGHLIGHT_OPEN.match(line)
    if found:
        return f"{found.group(1)}```{found.group(2)}"
    found = HIGHLIGHT_CLOSE.match(line)
    if found:
        return f"{found.group(1)}```"
    return None


def liquid_tags(line: str) -> list[str]:
    """Names of the Liquid tags on a line (``comment``, ``endcomment``, ``include``, ...)."""
    return [found.group(1) for found in LIQUID_TAG.finditer(line)]


def strip_markup(line: str) -> str:
    """Drop Liquid tags and output, Hugo shortcodes and a trailing kramdown attribute list."""
    line = LIQUID_TAG.sub("", line)
    line = DOUBLE_BRACES.sub("", line)
    return TRAILING_IAL.sub("", line) if "{:" in line else line


def is_ial_line(line: str) -> bool:
    return bool(IAL_LINE.match(line))


def is_toc_marker(line: str) -> bool:
    """``{:toc}``: kramdown replaces the list item just above it with a table of contents."""
    return bool(TOC_IAL.match(line))


def is_list_item_line(line: str) -> bool:
    return bool(LIST_ITEM_LINE.match(line))
