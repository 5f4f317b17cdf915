"""The Markdown reader: normalised text, blocks, frontmatter, links, tags, seeds, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emlit.errors import ReadError
from emlit.models import ParsedDocument
from emlit.readers import read_document
from emlit.readers.frontmatter import split_frontmatter
from emlit.readers.markdown import read

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
SEEDS = Path(__file__).parents[2] / "shared" / "seeds"


def check_spans(doc: ParsedDocument) -> None:
    """Every block is exact, trimmed, in order; the text is the blocks joined by blank lines."""
    pieces = []
    end = 0
    for block in doc.blocks:
        piece = doc.text[block.start : block.end]
        assert piece, block
        assert piece == piece.strip(), block
        assert block.start >= end
        end = block.end
        pieces.append(piece)
    assert "\n\n".join(pieces) == doc.text


def texts(doc: ParsedDocument, kind: str | None = None) -> list[str]:
    return [doc.text[b.start : b.end] for b in doc.blocks if kind is None or b.kind == kind]


def note(tmp_path: Path, source: str, name: str = "note.md") -> ParsedDocument:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    (doc,) = read(path)
    check_spans(doc)
    return doc


def seed(tmp_path: Path, prefix: str) -> ParsedDocument:
    (source,) = SEEDS.glob(f"{prefix}_*.txt")
    path = tmp_path / "x.md"
    shutil.copy(source, path)
    (doc,) = read_document(path)
    check_spans(doc)
    return doc


# --- the Obsidian fixture: inline markup, links, tags, lists, tables, code ------------------


@pytest.fixture(scope="module")
def obsidian() -> ParsedDocument:
    (doc,) = read(FIXTURES / "obsidian_note.md")
    check_spans(doc)
    return doc


def test_frontmatter_goes_to_metadata_and_title(obsidian: ParsedDocument) -> None:
    assert obsidian.title == "Emergence reading notes"  # frontmatter beats the H1
    assert obsidian.metadata["aliases"] == ["Emergent abilities", "涌现笔记"]
    assert obsidian.metadata["date"] == "2024-03-05"
    assert obsidian.metadata["created"] == "2024-03-01T09:30:00"
    assert obsidian.format == "markdown"
    assert "title:" not in obsidian.text


def test_inline_markup_removed(obsidian: ParsedDocument) -> None:
    first = texts(obsidian, "paragraph")[0]
    assert first.startswith(
        "Opening paragraph on Wei et al. with bold, em, highlighted and inline code text."
    )
    assert "scale thresholds" in obsidian.text
    for markup in ("**", "==", "`", "<span", "](", "[[", "^para1", "^def1"):
        assert markup not in obsidian.text.replace("[[not a link]]", ""), markup


def test_body_tags_join_frontmatter_tags(obsidian: ParsedDocument) -> None:
    tags = obsidian.metadata["tags"]
    assert tags[:2] == ["emergence", "llm/scaling"]
    assert {"涌现", "debate/definitions", "tagged"} <= set(tags)
    # not issue numbers, URL fragments, C#, code comments or markdown headings
    for wrong in ("123", "fragment", "not", "page2", "定义"):
        assert wrong not in tags


def test_wikilinks_embeds_and_urls(obsidian: ParsedDocument) -> None:
    links = {(ln.target, ln.kind) for ln in obsidian.links}
    assert ("Wei 2022", "wikilink") in links
    assert ("Schaeffer 2023", "wikilink") in links  # heading part dropped from the target
    assert ("Rogers 2024", "wikilink") in links
    assert ("Scaling laws note", "embed") in links  # a note embed is kept as a link
    assert ("https://arxiv.org/abs/2206.07682#page2", "url") in links
    assert ("https://example.org/blog", "url") in links
    targets = {ln.target for ln in obsidian.links}
    assert not any(t.endswith(".png") for t in targets)  # image embeds are dropped
    assert "the mirage paper" in obsidian.text and "Schaeffer 2023" not in obsidian.text
    assert "pic.png" not in obsidian.text and "chart" not in obsidian.text


def test_headings_are_sections(obsidian: ParsedDocument) -> None:
    assert texts(obsidian, "heading") == [
        "Ignored heading title",
        "定义",
        "Heading with #tagged text",
    ]
    by_text = {obsidian.text[b.start : b.end]: b for b in obsidian.blocks}
    assert by_text["Emergence is defined by scale thresholds."].section == "定义"
    assert by_text["Last paragraph."].section == "Heading with #tagged text"


def test_each_list_item_is_a_block(obsidian: ParsedDocument) -> None:
    assert texts(obsidian, "list_item") == [
        "Emergence is defined by scale thresholds.",
        "Math stays: $\\log N$ grows.",
        "Nested point about 相变",
        "Deeper point",
        "An open task",
        "A finished task",
    ]


def test_inline_fields_leave_the_text(obsidian: ParsedDocument) -> None:
    assert obsidian.metadata["fields"] == {"status": ["draft"], "source": ["Wei 2022"]}
    assert "status" not in obsidian.text and "::" not in obsidian.text


def test_comments_dropped(obsidian: ParsedDocument) -> None:
    assert "hidden HTML comment" not in obsidian.text
    assert "Obsidian comment" not in obsidian.text and "two lines" not in obsidian.text


def test_tables_and_code_are_blocks_that_hold_no_claims(obsidian: ParsedDocument) -> None:
    assert texts(obsidian, "table") == ["Model | Params\nGPT-3 | 175B"]
    assert texts(obsidian, "code") == [
        '# not a #tag\nprint("[[not a link]]")',
        "indented code block",
    ]
    assert not any(b.claimable for b in obsidian.blocks if b.kind in ("table", "code", "heading"))
    assert all(b.claimable for b in obsidian.blocks if b.kind in ("paragraph", "list_item"))


def test_quotes_and_callouts(obsidian: ParsedDocument) -> None:
    assert texts(obsidian, "quote") == ["A plain quotation."]
    assert texts(obsidian, "callout")[:2] == [
        "Callout title",
        "Callout body says emergence is sharp.",
    ]
    assert "[!note]" not in obsidian.text


# --- smaller cases ----------------------------------------------------------------------------


def test_title_falls_back_to_h1_then_sole_link_then_stem(tmp_path: Path) -> None:
    assert note(tmp_path, "Intro.\n\n# The H1\n\nText.").title == "The H1"
    linked = "[A paper title](https://example.org/p)\n\n## Notes\n- x"
    assert note(tmp_path, linked).title == "A paper title"
    assert note(tmp_path, "Just some text.", name="my-note.md").title == "my-note"


def test_images_inside_links_and_empty_links_vanish(tmp_path: Path) -> None:
    doc = note(tmp_path, "[![Avatar](a.png)](https://x.org/u)[](https://x.org) Name\n\n![](b.png)")
    assert doc.text == "Name"
    assert [b.kind for b in doc.blocks] == ["paragraph"]


def test_html_blocks_keep_their_text(tmp_path: Path) -> None:
    doc = note(tmp_path, '<div class="x">\n<b>Bold</b> words &amp; more\n</div>\n\nAfter.')
    assert texts(doc) == ["Bold words & more", "After."]


def test_footnotes_html_links_and_escaped_pipes(tmp_path: Path) -> None:
    doc = note(
        tmp_path,
        'A note[^1] and <a href="https://x.org/a">an html link</a>.\n\n'
        "| Col | Link |\n|-----|------|\n| a | [[note\\|alias]] |\n\n"
        "[^1]: The footnote says emergence.\n",
    )
    assert [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks] == [
        ("paragraph", "A note and an html link."),
        ("table", "Col | Link\na | alias"),
        ("paragraph", "The footnote says emergence."),
    ]
    assert [(ln.target, ln.kind) for ln in doc.links] == [
        ("https://x.org/a", "url"),
        ("note", "wikilink"),
    ]


def test_markdown_file_link_is_a_file_link(tmp_path: Path) -> None:
    doc = note(tmp_path, "See [other](notes/Other%20Note.md#part) and [here](#local).")
    assert [(ln.target, ln.kind) for ln in doc.links] == [("notes/Other Note.md", "file")]
    assert doc.text == "See other and here."


def test_display_math_is_not_prose(tmp_path: Path) -> None:
    doc = note(tmp_path, "Loss falls.\n\n$$\nL(N) = (N_c/N)^{\\alpha}\n$$\n\nPrice is $5 and $6.")
    assert [b.kind for b in doc.blocks] == ["paragraph", "code", "paragraph"]
    assert texts(doc)[2] == "Price is $5 and $6."


def test_empty_file_is_a_document_without_blocks(tmp_path: Path) -> None:
    doc = note(tmp_path, "", name="empty.md")
    assert doc.blocks == [] and doc.text == "" and doc.title == "empty"
    only_front = note(tmp_path, "---\ntitle: Only metadata\n---\n", name="front.md")
    assert only_front.blocks == [] and only_front.title == "Only metadata"


# --- frontmatter ------------------------------------------------------------------------------


def test_split_frontmatter_returns_body_and_its_offset() -> None:
    text = "---\ntitle: T\ndate: 2022-08-01\ntags: a, b\n---\nBody line\n"
    meta, body, offset = split_frontmatter(text)
    assert meta == {"title": "T", "date": "2022-08-01", "tags": ["a", "b"]}
    assert body == "Body line\n" and text[offset:] == body


def test_split_frontmatter_without_frontmatter() -> None:
    assert split_frontmatter("Plain text\n---\nmore") == (None, "Plain text\n---\nmore", 0)
    # A text that merely opens with a horizontal rule is not frontmatter.
    text = "---\nA thought, not YAML.\n---\nmore"
    assert split_frontmatter(text) == (None, text, 0)


def test_split_frontmatter_toml() -> None:
    meta, body, _ = split_frontmatter('+++\ntitle = "Hugo"\ntags = ["a"]\n+++\nBody')
    assert meta == {"title": "Hugo", "tags": ["a"]} and body == "Body"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "---\ntitle: ok\ntags: [unclosed\n---\nBody",
            "invalid YAML frontmatter (line 3: expected ',' or ']', but got '<stream end>')",
        ),
        (
            "---\ntitle: a: b\n---\n",
            "invalid YAML frontmatter (line 2: mapping values are not allowed here)",
        ),
        ("---\ntitle: never closed\n\nBody", "invalid YAML frontmatter (line 1: no closing"),
        ('+++\ntitle = "x\n+++\n', "invalid TOML frontmatter (line 2:"),
    ],
)
def test_broken_frontmatter_names_file_line_and_reason(
    tmp_path: Path, source: str, message: str
) -> None:
    path = tmp_path / "broken.md"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read(path)
    assert str(info.value).startswith(f"{path}: {message}")
    assert "\n" not in str(info.value)


# --- bad input --------------------------------------------------------------------------------


def test_invalid_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes("# Titel\n\nGrößenordnung\n".encode("latin-1"))
    with pytest.raises(ReadError, match=r"latin1\.md: not valid UTF-8 \(byte \d+"):
        read(path)


def test_binary_file_named_md_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ReadError, match=r"image\.md: binary data"):
        read(path)


def test_missing_file_is_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"gone\.md: No such file"):
        read(tmp_path / "gone.md")


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "win.md"
    path.write_bytes("\ufeff---\r\ntitle: Win\r\n---\r\n# H\r\n\r\nText.\r\n".encode())
    (doc,) = read(path)
    assert doc.title == "Win" and texts(doc) == ["H", "Text."]


# --- the seeds --------------------------------------------------------------------------------


def test_seed_000_obsidian_note(tmp_path: Path) -> None:
    doc = seed(tmp_path, "000")
    assert doc.metadata["tags"] == ["涌现能力"]
    assert doc.metadata["date"] == "2022-08-01"
    assert doc.title == "[2206.07682] Emergent Abilities of Large Language Models"
    sections = texts(doc, "heading")
    assert sections[:3] == ["核心", "引言", "定义"]
    assert "潜在解释" in sections and "未来工作" in sections
    quote = (
        "Emergence is when quantitative changes in a system result in qualitative changes"
        " in behavior"
    )
    assert quote in doc.text and f"**定义：{quote}" not in doc.text
    assert "**" not in doc.text
    assert "image.png" not in doc.text and "raw.githubusercontent" not in doc.text
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert len(items) == 25
    first = doc.text[items[0].start : items[0].end]
    assert first == "提出了涌现能力的概念：小模型中没有出现但是大模型中出现的能力；"
    assert items[0].section == "核心"
    definition = next(b for b in items if quote in doc.text[b.start : b.end])
    assert definition.section == "引言"


def test_seed_003_translated_post(tmp_path: Path) -> None:
    doc = seed(tmp_path, "003")
    assert doc.title == "《大型语言模型中‘突现特性’的理性检查》"
    quotes = texts(doc, "quote")
    numbered = [q for q in quotes if q[:2] in {"1.", "2.", "3.", "5.", "6."}]
    assert [q[:2] for q in numbered] == ["1.", "2.", "3.", "5.", "6."]
    assert any(q.startswith("定义（3）的一个版本") for q in quotes)  # definition 4
    assert numbered[0].startswith("1. 模型表现出的特性，即使它没有针对该特性进行明确的训练。")
    assert numbered[-1].startswith("6. 即使模型已暴露于相关的训练数据中")
    assert "../Images/" not in doc.text and ".png" not in doc.text
    assert "![" not in doc.text and "](" not in doc.text
    sections = texts(doc, "heading")
    assert "对LLM中“涌现特性”的反证" in sections
    counter = [b for b in doc.blocks if b.section == "对LLM中“涌现特性”的反证"]
    assert sum(b.kind == "list_item" for b in counter) == 6


def test_wikilink_display_text(tmp_path: Path) -> None:
    doc = note(tmp_path, "[[Note#Section]], [[Note#^blk1]], [[#Local]] and [[a|b]].")
    assert doc.text == "Note Section, Note, Local and b."
    assert [(ln.target, ln.kind) for ln in doc.links] == [("Note", "wikilink"), ("a", "wikilink")]


# --- any mix of markup: never a crash, spans always exact ------------------------------------

_PIECES = [
    "\n", "\n\n", "> ", "- ", "  ", "\t", "# ", "## ", "[[", "]]", "![[", "|", "#tag ", "**",
    "*", "==", "`", "```\n", "$", "$$", "[!note] ", "[!PDF|y] ", "[x](http://a.b#page=2)",
    "“q” ([A, p. 2](zotero://open-pdf/a?page=2))", "key:: v", " ^id1", "%%", "{% x %}", "{{",
    "}}", "{:toc}", "* content\n", "<span>", "</span>", "<!--", "-->", "<div>", "text ",
    "中文", "1. ", "| a | b |\n|--|--|\n", "---\n", "((abc123))", "\\", "&amp;", "[^1]",
    "    code\n",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_any_markup_gives_exact_spans_or_a_read_error(
    tmp_path_factory: pytest.TempPathFactory, pieces: list[str]
) -> None:
    path = tmp_path_factory.getbasetemp() / "fuzz.md"
    path.write_text("".join(pieces), encoding="utf-8")
    try:
        (doc,) = read(path)
    except ReadError as exc:
        assert "frontmatter" in str(exc)
        return
    check_spans(doc)


@pytest.mark.parametrize(
    "source",
    [
        # a "billion laughs" alias bomb: 9 levels of 9 references
        "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
            for i in range(8)
        )
        + "---\nBody",
        "---\nloop: &l [*l]\n---\nBody",  # a list that contains itself
    ],
)
def test_frontmatter_alias_bombs_and_cycles_are_refused(tmp_path: Path, source: str) -> None:
    path = tmp_path / "bomb.md"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(ReadError, match=r"bomb\.md: invalid YAML frontmatter \(line 2: too large"):
        read(path)


def test_frontmatter_surrogate_escapes_keep_the_note(tmp_path: Path) -> None:
    # YAML allows "\ud83d\ude00" (a pair: one emoji) and "\ud800" (a half: not Unicode text)
    path = tmp_path / "escaped.md"
    path.write_text(
        '---\ntitle: "smile \\ud83d\\ude00"\ntags: ["bad\\ud800"]\n---\n\nThe body survives.\n',
        encoding="utf-8",
    )
    (doc,) = read(path)
    assert doc.metadata["title"] == "smile \N{GRINNING FACE}"
    assert doc.metadata["tags"] == ["bad\N{REPLACEMENT CHARACTER}"]
    assert "The body survives." in doc.text
    for value in (doc.metadata["title"], *doc.metadata["tags"]):
        value.encode("utf-8")  # storable: raises on a lone surrogate
