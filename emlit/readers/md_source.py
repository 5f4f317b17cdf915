"""Line-level clean-up of a note's body before Markdown parsing.

Removes what is markup for other tools rather than text, leaving code untouched:
Obsidian ``%% comments %%`` (and the Annotator plugin's markers), Liquid tags and output,
Jekyll ``{% highlight %}`` blocks (turned into code fences), kramdown ``{:toc}`` with the list
item it replaces and other attribute lists, Hugo shortcodes, Logseq macros and block refs.
Lines are blanked, never deleted, so line numbers stay those of the body.
"""

from __future__ import annotations

import re

from emlit.readers import jekyll, obsidian

# A code fence, possibly inside a quote or a list: ``> ```python``, ``  ~~~``.
FENCE = re.compile(r"^([ \t>]*?)(`{3,}|~{3,})(.*)$")


def clean_source(body: str) -> str:
    out: list[str] = []
    fence: str | None = None
    in_comment = False  # Obsidian %% comment
    in_liquid_comment = False  # {% comment %} ... {% endcomment %}
    lines = body.split("\n")
    i = -1
    while i + 1 < len(lines):
        i += 1
        line = lines[i]
        starts_annotator = i + 1 < len(lines) and obsidian.is_annotator_start(line, lines[i + 1])
        if fence is None and not in_comment and starts_annotator:
            i = _annotator_json(lines, i, out)
            continue
        if fence is not None:
            found = FENCE.match(line)
            if found and found.group(2).startswith(fence) and not found.group(3).strip():
                fence = None
            elif jekyll.HIGHLIGHT_CLOSE.match(line) and fence == "```":
                line = jekyll.highlight_fence(line) or line
                fence = None
            out.append(line)
            continue
        if not in_comment:
            highlight = jekyll.highlight_fence(line)
            if highlight is not None:
                line = highlight
            found = FENCE.match(line)
            if found and not (found.group(2)[0] == "`" and "`" in found.group(3)):
                fence = found.group(2)
                out.append(line)
                continue
        line = obsidian.annotator_line(line)
        line, in_comment = obsidian.strip_comments(line, in_comment)
        tags = jekyll.liquid_tags(line)
        if in_liquid_comment:
            in_liquid_comment = "endcomment" not in tags
            out.append("")
            continue
        if "comment" in tags and "endcomment" not in tags:
            in_liquid_comment = True
        if jekyll.is_toc_marker(line):
            if out and jekyll.is_list_item_line(out[-1]):
                out[-1] = ""
            out.append("")
            continue
        if jekyll.is_ial_line(line):
            out.append("")
            continue
        line = jekyll.strip_markup(line)
        line = obsidian.BLOCK_REF.sub("", line)
        out.append(line)
    return "\n".join(out)


def _annotator_json(lines: list[str], i: int, out: list[str]) -> int:
    """Replace an Annotator block's hidden JSON with a callout header; return its last line."""
    end = i + 1
    while end + 1 < len(lines) and not obsidian.ANNOTATOR_OPEN.match(lines[end]):
        end += 1
    out.append(obsidian.annotator_header(lines[i + 1 : end]))
    out.extend(">" for _ in range(i + 1, end + 1))
    return end
