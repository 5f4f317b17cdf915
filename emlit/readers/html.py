"""HTML pages: the main text only (no navigation, ads, cookie banners or related links).

trafilatura finds the main content (offline: it is handed the page, it fetches nothing) and
returns it as XML, whose headings, paragraphs, lists, quotes, tables and code map onto
blocks. Pages it returns nothing for (very short ones) go through a selectolax fallback
that removes page furniture by tag and class name and skips link-heavy lists. Both paths
end with the same chrome filter as scraped text.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from emlit.errors import ReadError
from emlit.lang import detect_lang
from emlit.models import ParsedDocument
from emlit.readers.base import TextBuilder, read_bytes
from emlit.readers.boilerplate import Candidate, chrome_mask

FORMAT = "html"

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# Chinese pages that say gb2312 or gbk are routinely written in the superset gb18030.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}
_FURNITURE_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "input",
    "label",
    "dialog",
]
_FURNITURE_NAME = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|footer|header|sidebar|cookies?|consent|banner|ads?|advert\w*|"
    r"promo\w*|sponsor\w*|related|share|social|subscribe|newsletter|breadcrumbs?|comments?|"
    r"popup|modal)([-_\s]|$)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*(作者|文|by|author)\s*[:：]?\s*", re.IGNORECASE)
_BLOCK_TAGS = "h1,h2,h3,h4,h5,h6,p,li,blockquote,pre,table"
# A list item or paragraph whose text is mostly link text is navigation or related links.
MAX_LINK_SHARE = 0.6


def read(path: Path) -> list[ParsedDocument]:
    data = read_bytes(path)
    if not data.strip():
        return [ParsedDocument(path=str(path), format=FORMAT, text="", blocks=[], title=None)]
    html = decode_html(data, str(path))
    return [parse_html(html, str(path), default_title=path.stem)]


def decode_html(data: bytes, path: str) -> str:
    """Decode by BOM, then the declared charset (<meta charset>, XML declaration), else UTF-8."""
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError(path, "binary data in an HTML file (NUL bytes)")
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode(data, codec, path, "by its byte-order mark")
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match:
        declared = match.group(1).decode("ascii").lower()
        try:
            codec = codecs.lookup(_CHARSET_ALIASES.get(declared, declared)).name
        except LookupError:
            raise ReadError(path, f"unknown charset {declared!r} declared in the page") from None
        return _decode(data, codec, path, f"as declared ({declared})")
    return _decode(data, "utf-8", path, "(no charset declared)")


def _decode(data: bytes, codec: str, path: str, how: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if codec.startswith("utf-8") else codec
        raise ReadError(path, f"not valid {name} {how} (byte {exc.start}: {exc.reason})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_html(html: str, path: str, default_title: str | None = None) -> ParsedDocument:
    main, meta = _with_trafilatura(html)
    items = merge_structure(main, fallback_items(html))
    drop = chrome_mask([Candidate(text, kind) for kind, text in items])
    builder = TextBuilder()
    section: str | None = None
    for (kind, text), dropped in zip(items, drop, strict=True):
        if dropped:
            continue
        if kind == "heading":
            section = text
        builder.add(text, kind, section)
    metadata: dict[str, Any] = {k: v for k, v in meta.items() if k != "title" and v}
    if "author" in metadata:  # trafilatura may take the byline whole: "作者：张三", "By Jane"
        metadata["author"] = _BYLINE.sub("", metadata["author"]).strip()
    if builder.text:
        metadata["lang"] = detect_lang(builder.text)
    title = meta.get("title") or _page_title(html) or default_title
    return ParsedDocument(
        path=path,
        format=FORMAT,
        text=builder.text,
        blocks=builder.blocks,
        title=title,
        metadata=metadata,
    )


def merge_structure(
    main: list[tuple[str, str]], page: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """trafilatura's paragraphs with the headings and lists of the page around them.

    trafilatura decides what the main text is, but on pages without <article>/<main> it
    can flatten the structure (headings and list items lost). When every paragraph it kept
    is found in the page's own blocks, the page's blocks from its first to its last kept
    paragraph are used instead: headings, list items, quotes, tables and code as the page
    has them, paragraphs only where trafilatura kept them.
    """
    if not main or not page:
        return main or page
    kept = {_squeeze(text) for kind, text in main if kind == "paragraph"}
    where = [i for i, (_, text) in enumerate(page) if _squeeze(text) in kept]
    found = {_squeeze(page[i][1]) for i in where}
    if not where or found != kept:
        return main
    first, last = where[0], where[-1]
    while first > 0 and page[first - 1][0] == "heading":
        first -= 1
    return [
        (kind, text)
        for kind, text in page[first : last + 1]
        if kind != "paragraph" or _squeeze(text) in kept
    ]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _with_trafilatura(html: str) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    import trafilatura  # heavy (lxml, justext, courlan); only when an HTML file turns up
    from lxml import etree

    xml = trafilatura.extract(
        html,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_precision=True,
        with_metadata=True,
        deduplicate=False,
        # No date guessed from "© 2024" in the footer: only dates the page states.
        date_extraction_params={"extensive_search": False},
    )
    if not xml:
        return [], {}
    root = etree.fromstring(xml.encode("utf-8"))
    meta = {
        key: root.get(key)
        for key in ("title", "author", "date", "sitename", "url", "description", "categories")
        if root.get(key)
    }
    items: list[tuple[str, str]] = []
    main = root.find("main")
    for element in main if main is not None else []:
        _walk(element, items)
    return items, meta


def _walk(element: Any, items: list[tuple[str, str]]) -> None:
    """Map trafilatura's XML elements onto block kinds."""
    tag = element.tag
    if tag == "head":
        items.append(("heading", _text(element)))
    elif tag == "p":
        items.append(("paragraph", _text(element)))
    elif tag == "list":
        for item in element.findall("item"):
            nested = item.findall("list")
            for sub in nested:
                item.remove(sub)  # text of the item itself, then its sub-list
            items.append(("list_item", _text(item)))
            for sub in nested:
                _walk(sub, items)
    elif tag == "quote":
        items.append(("quote", _text(element)))
    elif tag == "code":
        items.append(("code", "".join(element.itertext()).strip()))
    elif tag == "table":
        rows = [
            " | ".join(_text(cell) for cell in row.findall("cell"))
            for row in element.findall("row")
        ]
        items.append(("table", "\n".join(r for r in rows if r.strip())))
    elif tag == "div":
        for child in element:
            _walk(child, items)


def _text(element: Any) -> str:
    """Element text with <lb/> as a line break and whitespace runs squeezed."""
    parts: list[str] = []
    _collect(element, parts)
    text = "".join(parts)
    return "\n".join(re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n"))


def _collect(node: Any, parts: list[str]) -> None:
    parts.append("\n" if node.tag == "lb" else node.text or "")
    for child in node:
        _collect(child, parts)
        parts.append(child.tail or "")


def fallback_items(html: str) -> list[tuple[str, str]]:
    """(kind, text) blocks of a page without trafilatura: furniture removed by name."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    body = tree.body
    if body is None:
        return []
    for node in body.css(",".join(_FURNITURE_TAGS)):
        node.decompose()
    for node in body.css("[class],[id],[role]"):
        names = " ".join(filter(None, (node.attributes.get(a) for a in ("class", "id", "role"))))
        if _FURNITURE_NAME.search(names):
            node.decompose()
    items: list[tuple[str, str]] = []
    for node in body.css(_BLOCK_TAGS):
        if _inside(node, {"li", "blockquote", "table", "pre"}):
            continue  # its text is in the enclosing block
        text = " ".join(node.text().split())
        if not text or _link_share(node, text) > MAX_LINK_SHARE:
            continue
        tag = node.tag or ""
        kind = {"li": "list_item", "blockquote": "quote", "pre": "code", "table": "table"}.get(
            tag, "heading" if tag[0] == "h" and tag[1:].isdigit() else "paragraph"
        )
        if tag == "pre":
            text = node.text().strip()
        items.append((kind, text))
    if not items:  # text outside any block element (bare text, nested divs)
        for para in re.split(r"\n\s*\n", body.text()):
            if para.strip():
                items.append(("paragraph", " ".join(para.split())))
    return items


def _inside(node: Any, tags: set[str]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _link_share(node: Any, text: str) -> float:
    linked = sum(len(" ".join(a.text().split())) for a in node.css("a"))
    return linked / max(len(text), 1)


def _page_title(html: str) -> str | None:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    og = tree.css_first('meta[property="og:title"]')
    if og is not None and (og.attributes.get("content") or "").strip():
        return (og.attributes.get("content") or "").strip()
    title = tree.css_first("title")
    text = title.text().strip() if title is not None else ""
    return text or None
