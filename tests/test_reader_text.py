"""The plain-text reader: scraped articles (chrome dropped), notes, frontmatter, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from emlit.errors import ReadError
from emlit.readers import base, boilerplate, text


def blocks(doc):
    return [(b.kind, doc.text[b.start : b.end], b.section) for b in doc.blocks]


def test_seed_002_keeps_article_and_drops_ads_and_link_farm(seed_dir: Path):
    [doc] = text.read(seed_dir / "hit-scir-wechat.txt")
    assert doc.format == "text"
    assert doc.title == "大模型的涌现能力介绍"
    body = blocks(doc)
    assert any("这种无法通过小规模模型的实验结果观察到的相变" in t for _, t, _ in body)
    mirage = [t for k, t, s in body if s == "涌现能力是海市蜃楼?" and k == "paragraph"]
    assert len(mirage) >= 4 and "不连续的评价指标" in mirage[0]
    assert any(k == "heading" and t == "缩放法则(Scaling Law)" for k, t, _ in body)
    junk_words = ["芋道", "项目地址", "视频教程", "知识星球", "设为星标", "相关阅读", "微信扫码"]
    junk_words += ["谷歌找到大模型能力涌现机制", "隐私协议", "Redian.news", "Spring Boot"]
    for junk in junk_words:
        assert not any(junk in t for _, t, _ in body), junk
    # The article's last paragraph survives the footer trimming.
    assert body[-1][2] == "结语" and body[-1][1].startswith("本文简要介绍了涌现能力")


def test_seed_004_keeps_bullets_as_list_items_and_drops_skip_to_content(seed_dir: Path):
    [doc] = text.read(seed_dir / "interview-notes.txt")
    body = blocks(doc)
    assert not any("Skip to content" in t for _, t, _ in body)
    items = [(t, s) for k, t, s in body if k == "list_item"]
    assert ("评价指标不够平滑", "产生原因") in items
    assert ("Grokking = 薄弱知识积累到临界点后突然理解整章内容。", "举例类比记忆") in items
    assert all(not t.startswith(("•", "-", "1.")) for t, _ in items)
    headings = [t for k, t, _ in body if k == "heading"]
    assert headings[:4] == [
        "大模型涌现能力及其产生原因",
        "主要内容拆解",
        "涌现能力的定义",
        "产生原因",
    ]
    assert any(k == "table" and t.startswith("维度普通程序") for k, t, _ in body)
    assert doc.title == "大模型涌现能力及其产生原因"


def test_bullet_styles_become_list_items(tmp_path: Path):
    path = tmp_path / "bullets.txt"
    path.write_text(
        "Notes on emergence\n\n"
        "- dash item about scaling\n* star item about loss\n1. numbered item\n"
        "（1）中文编号的条目\n① 圈号条目\n• 圆点条目\n\n"
        "A closing paragraph that ends the note.\n"
    )
    [doc] = text.read(path)
    assert blocks(doc) == [
        ("heading", "Notes on emergence", "Notes on emergence"),
        ("list_item", "dash item about scaling", "Notes on emergence"),
        ("list_item", "star item about loss", "Notes on emergence"),
        ("list_item", "numbered item", "Notes on emergence"),
        ("list_item", "中文编号的条目", "Notes on emergence"),
        ("list_item", "圈号条目", "Notes on emergence"),
        ("list_item", "圆点条目", "Notes on emergence"),
        ("paragraph", "A closing paragraph that ends the note.", "Notes on emergence"),
    ]


def test_hard_wrapped_lines_are_joined_cjk_without_spaces(tmp_path: Path):
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "Emergent abilities are not present in smaller models but are present\n"
        "in larger models, and they cannot be predicted from the smaller ones.\n\n"
        "大模型的涌现能力是指在小模型中没有表现出来但是在大模型\n"
        "中表现出来的能力，这种能力无法从小模型外推。\n"
    )
    [doc] = text.read(path)
    assert [t for _, t, _ in blocks(doc)] == [
        "Emergent abilities are not present in smaller models but are present in larger "
        "models, and they cannot be predicted from the smaller ones.",
        "大模型的涌现能力是指在小模型中没有表现出来但是在大模型中表现出来的能力，这种能力无法从小模型外推。",
    ]


def test_link_farm_without_marker_and_english_chrome(tmp_path: Path):
    farm = "".join(
        f"Ten Surprising Facts About Model Number {i} That Nobody Expected" for i in range(12)
    )
    path = tmp_path / "scraped.txt"
    path.write_text(
        "Skip to content\n\nMenu\n\n"
        "Emergent abilities appear in large models. Smaller models do not show them at all.\n\n"
        "Subscribe to our newsletter for weekly updates!\n\n"
        "The mirage argument says the metric makes the jump. Smooth metrics remove it.\n\n"
        f"{farm}\n\n© 2024 Example Media. All rights reserved.\n"
    )
    [doc] = text.read(path)
    assert [t for _, t, _ in blocks(doc)] == [
        "Emergent abilities appear in large models. Smaller models do not show them at all.",
        "The mirage argument says the metric makes the jump. Smooth metrics remove it.",
    ]
    assert boilerplate.is_link_farm(farm)
    assert not boilerplate.is_link_farm(doc.text)


def test_related_reading_marker_drops_following_titles_but_not_prose(tmp_path: Path):
    path = tmp_path / "related.txt"
    path.write_text(
        "Scaling makes some abilities appear suddenly. This is what people call emergence.\n\n"
        "Related reading\n"
        "GPT-5 rumours\nWhy scaling laws matter\nTop 10 prompts\n\n"
        "The article goes on after the box. It discusses the mirage argument.\n\n"
        "Smooth metrics remove the jump. The abilities are then predictable.\n"
    )
    [doc] = text.read(path)
    assert [t for _, t, _ in blocks(doc)] == [
        "Scaling makes some abilities appear suddenly. This is what people call emergence.",
        "The article goes on after the box. It discusses the mirage argument.",
        "Smooth metrics remove the jump. The abilities are then predictable.",
    ]


def test_offsets_index_the_stored_text(seed_dir: Path):
    [doc] = text.read(seed_dir / "hit-scir-wechat.txt")
    assert doc.text.count("\n\n") == len(doc.blocks) - 1 - sum(
        doc.text[b.start : b.end].count("\n\n") for b in doc.blocks
    )
    for prev, nxt in zip(doc.blocks, doc.blocks[1:], strict=False):
        assert doc.text[prev.end : nxt.start] == "\n\n"


def test_frontmatter_in_txt_goes_to_markdown_reader(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text("---\ntitle: 涌现笔记\ntags: [涌现]\n---\n# 定义\n\n**涌现**是量变导致质变。\n")
    [doc] = text.read(path)
    assert doc.format == "markdown"
    assert doc.title == "涌现笔记"
    assert "涌现是量变导致质变。" in doc.text  # bold markup removed by the Markdown reader


def test_broken_frontmatter_is_a_read_error(tmp_path: Path):
    path = tmp_path / "broken.txt"
    path.write_text("---\ntitle: [unclosed\ntags: x\n---\nbody\n")
    with pytest.raises(ReadError, match=r"broken\.txt: .*YAML"):
        text.read(path)


def test_dashes_without_frontmatter_stay_text(tmp_path: Path):
    path = tmp_path / "rule.txt"
    path.write_text("---\n\nJust a horizontal rule above a sentence about emergence.\n")
    [doc] = text.read(path)
    assert doc.format == "text"
    assert [t for _, t, _ in blocks(doc)] == [
        "Just a horizontal rule above a sentence about emergence."
    ]


def test_empty_file_is_an_empty_document(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    [doc] = text.read(path)
    assert doc.text == "" and doc.blocks == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (bytes(range(256)) * 4, "binary data"),
        ("涌现能力".encode("gbk"), "not valid UTF-8"),
    ],
)
def test_binary_and_invalid_utf8(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=rf"bad\.txt: {reason}"):
        text.read(path)


def test_missing_and_huge_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with pytest.raises(ReadError, match=r"nowhere\.txt: No such file"):
        text.read(tmp_path / "nowhere.txt")
    path = tmp_path / "huge.txt"
    path.write_text("涌现 " * 100)
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 50)
    with pytest.raises(ReadError, match=r"huge\.txt: file too large"):
        text.read(path)


def test_short_unpunctuated_note_lines_stay_paragraphs(tmp_path: Path):
    path = tmp_path / "note.txt"
    lines = [
        "涌现能力是大模型才有的能力",
        "小模型上观察不到",
        "规模超过阈值后突然出现",
        "这被称为相变",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [doc] = text.read(path)
    assert [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks] == [
        ("paragraph", line) for line in lines
    ]


@pytest.mark.parametrize(
    "line",
    [
        "点击上方“某某公众号”，选择“设为星标”",
        "长按下方二维码关注我们",
        "Subscribe to our newsletter for weekly updates!",
        "© 2024 Example Media. All rights reserved.",
        "如发现稿件侵权，请联系我们删除。",
        "Skip to content",
        "项目地址：https://example.org/project",
    ],
)
def test_chrome_lines(line: str):
    assert boilerplate.is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "训练数据可能涉及版权侵权问题，这也是大模型争议的一部分。",
        "扫描二维码这种任务对小模型来说很难，但大模型可以完成。",
        "Emergent abilities appear in large models. Smaller models do not show them.",
        "涌现能力是海市蜃楼?",
        "这个观点在我们的[ICML’24 立场文件](https://openreview.net/forum?id=M2cwkGleRL&x=1)中"
        "讨论过，也见 https://arxiv.org/abs/2206.07682 的第二节。",
    ],
)
def test_article_lines_are_not_chrome(line: str):
    assert not boilerplate.is_chrome(line)


def test_markdown_note_saved_as_txt_goes_to_markdown_reader(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text("# 涌现笔记\n\n**涌现**是[量变](https://x.org)导致质变。\n", encoding="utf-8")
    [doc] = text.read(path)
    assert doc.format == "markdown"
    assert "涌现是量变导致质变。" in doc.text
