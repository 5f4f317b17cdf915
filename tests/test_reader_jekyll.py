"""Jekyll and Hugo posts: frontmatter metadata, Liquid/kramdown/shortcode markup dropped."""

from __future__ import annotations

import shutil
from pathlib import Path

from emlit.models import ParsedDocument
from emlit.readers.markdown import read

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
SEEDS = Path(__file__).parents[2] / "shared" / "seeds"


def texts(doc: ParsedDocument, kind: str | None = None) -> list[str]:
    return [doc.text[b.start : b.end] for b in doc.blocks if kind is None or b.kind == kind]


def test_jekyll_post_fixture() -> None:
    (doc,) = read(FIXTURES / "jekyll_post.md")
    assert doc.title == "Emergence post"
    meta = doc.metadata
    assert meta["layout"] == "post"
    assert meta["categories"] == ["深度学习", "自然语言处理"]
    assert meta["tags"] == ["gpt", "评测"]
    assert meta["permalink"] == "/emergence"
    assert meta["date"] == "2023-06-10T12:00:00+08:00"
    assert [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks] == [
        ("paragraph", "Intro paragraph with output removed."),
        ("code", 'print("code stays")'),
        ("paragraph", "Raw text kept."),
        ("paragraph", "Emergent abilities appear at scale."),
    ]
    for gone in ("content", "{:", "{%", "{{", "draft text", ".lead"):
        assert gone not in doc.text, gone


def test_hugo_toml_post() -> None:
    (doc,) = read(FIXTURES / "hugo_post.md")
    assert doc.title == "Hugo emergence post"
    assert doc.metadata["frontmatter"] == "toml"
    assert doc.metadata["date"] == "2024-01-02T10:00:00+00:00"
    assert doc.metadata["tags"] == ["emergence", "hugo"]
    assert texts(doc) == ["Body with a shortcode removed.", "Emergence at scale."]


def test_toc_marker_removes_only_the_list_item_above_it(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text("- kept item\n\n1. TOC\n{:toc}\n\nText.\n", encoding="utf-8")
    (doc,) = read(path)
    assert texts(doc) == ["kept item", "Text."]


def test_seed_001_jekyll_post(tmp_path: Path) -> None:
    (source,) = SEEDS.glob("001_*.txt")
    path = tmp_path / "x.md"
    shutil.copy(source, path)
    (doc,) = read(path)
    for block in doc.blocks:
        piece = doc.text[block.start : block.end]
        assert piece and piece == piece.strip()
    meta = doc.metadata
    assert doc.title == "大语言模型（LLM）沉思录"
    assert meta["layout"] == "post"
    assert meta["categories"] == ["深度学习", "自然语言处理"]
    assert meta["permalink"] == "/llm"
    assert meta["date"] == "2023-06-10T12:00:00"
    assert meta["tags"][:3] == ["gpt", "ChatGPT", "评测"]
    assert "{:toc}" not in doc.text and "content" not in texts(doc)
    assert doc.text.startswith("LLM 大语言模型")  # the toc list item is gone too
    (code,) = texts(doc, "code")
    assert code.startswith("问题：\n克莱儿每天早饭都用 3 颗蛋做蛋卷")
    assert code.endswith("答案是7。")
    (table,) = texts(doc, "table")
    assert table.splitlines()[0] == "构建 | 推理"
    assert table.splitlines()[3].startswith("语言模型 | 容易构建")
    assert "（4）突现能力推翻比例定律" in texts(doc, "paragraph")
    assert "<span" not in doc.text and "color:" not in doc.text
    assert "pic2.zhimg.com" not in doc.text and "![" not in doc.text
    assert "GPT-3的token字典中就有超过5万token" in doc.text
    assert "$50000^8000$" in doc.text  # math kept as written
    links = {ln.target for ln in doc.links}
    assert "https://mp.weixin.qq.com/s/liLVlhzBnQ8WwtvgSYoQkA" in links
    sections = {b.section for b in doc.blocks}
    assert {"LLM 突现能力", "LLM 为什么会有涌现能力"} <= sections
