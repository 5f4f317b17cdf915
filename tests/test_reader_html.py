"""The HTML reader: main text only, structure kept, charsets honoured, bad files refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from emlit.errors import ReadError
from emlit.readers import base, html

FIXTURES = Path(__file__).parent / "fixtures" / "other"


def blocks(doc):
    return [(b.kind, doc.text[b.start : b.end], b.section) for b in doc.blocks]


def test_english_page_main_text_with_structure():
    [doc] = html.read(FIXTURES / "article_en.html")
    assert doc.format == "html"
    assert doc.title == "Are Emergent Abilities a Mirage?"
    assert doc.metadata["author"] == "Jane Doe" and doc.metadata["date"] == "2023-05-01"
    body = blocks(doc)
    assert body[0] == ("heading", "Are Emergent Abilities a Mirage?", body[0][2])
    assert ("heading", "Smooth metrics", "Smooth metrics") in body
    assert (
        "list_item",
        "Nonlinear metrics create apparent sharpness in the curves.",
        "Smooth metrics",
    ) in body
    assert any(k == "quote" and "choice of metric" in t for k, t, _ in body)
    assert body[-1][1].startswith("This matters for forecasting")
    for junk in ("Home", "cookies", "GPU cloud", "Related reading", "Ten things", "©", "Privacy"):
        assert junk not in doc.text, junk


def test_chinese_page_without_article_tag_keeps_headings_and_lists():
    [doc] = html.read(FIXTURES / "article_zh.html")
    assert doc.title == "大模型的涌现能力是海市蜃楼吗？"
    assert doc.metadata["author"] == "张三" and doc.metadata["lang"] == "zh"
    body = blocks(doc)
    assert ("heading", "涌现能力的定义", "涌现能力的定义") in body
    assert (
        "list_item",
        "涌现能力往往在模型的计算量超过某个阈值之后突然出现。",
        "涌现能力的定义",
    ) in body
    assert any("这种无法通过小规模模型的实验结果观察到的相变" in t for _, t, _ in body)
    assert any(k == "quote" and s == "海市蜃楼的观点" for k, _, s in body)
    for junk in ("首页", "Cookie", "广告", "扫码", "相关阅读", "谷歌找到", "隐私政策", "版权所有"):
        assert junk not in doc.text, junk


def test_gbk_page_decoded_by_its_meta_charset(tmp_path: Path):
    page = (FIXTURES / "article_zh.html").read_text(encoding="utf-8")
    page = page.replace('<meta charset="utf-8">', '<meta charset="gbk">')
    path = tmp_path / "gbk.html"
    path.write_bytes(page.encode("gbk"))
    [doc] = html.read(path)
    assert "涌现能力被定义为在小模型中没有表现出来" in doc.text
    assert doc.title == "大模型的涌现能力是海市蜃楼吗？"


def test_http_equiv_charset(tmp_path: Path):
    path = tmp_path / "equiv.html"
    path.write_bytes(
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=GB2312">'
        + "<title>涌现</title></head><body><p>涌现能力是量变导致的质变。</p></body></html>".encode(
            "gb2312"
        )
    )
    [doc] = html.read(path)
    assert doc.text == "涌现能力是量变导致的质变。"


def test_fallback_removes_furniture_and_link_lists():
    page = (FIXTURES / "article_zh.html").read_text(encoding="utf-8")
    items = html.fallback_items(page)
    texts = [t for _, t in items]
    assert ("heading", "海市蜃楼的观点") in items
    assert not any("首页" in t or "Cookie" in t or "扫码" in t or "谷歌找到" in t for t in texts)


def test_bare_heading_page_falls_back_to_page_blocks(tmp_path: Path):
    path = tmp_path / "bare.html"
    path.write_text("<html><body><h1>Emergence</h1></body></html>", encoding="utf-8")
    [doc] = html.read(path)
    assert blocks(doc) == [("heading", "Emergence", "Emergence")]


def test_invalid_utf8_without_charset(tmp_path: Path):
    path = tmp_path / "latin.html"
    path.write_bytes("<html><body><p>涌现能力</p></body></html>".encode("gbk"))
    with pytest.raises(ReadError, match=r"latin\.html: not valid UTF-8 \(no charset declared\)"):
        html.read(path)


def test_bytes_not_matching_declared_charset(tmp_path: Path):
    path = tmp_path / "liar.html"
    path.write_bytes(b'<meta charset="utf-8"><p>' + "涌现".encode("gbk") + b"</p>")
    with pytest.raises(ReadError, match=r"liar\.html: not valid UTF-8 as declared \(utf-8\)"):
        html.read(path)


def test_unknown_charset(tmp_path: Path):
    path = tmp_path / "odd.html"
    path.write_bytes(b'<meta charset="klingon-8"><p>x</p>')
    with pytest.raises(ReadError, match=r"odd\.html: unknown charset 'klingon-8'"):
        html.read(path)


def test_binary_data_named_html(tmp_path: Path):
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ReadError, match=r"image\.html: binary data"):
        html.read(path)


def test_empty_missing_and_huge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    [doc] = html.read(empty)
    assert doc.text == "" and doc.blocks == []
    with pytest.raises(ReadError, match=r"gone\.html: No such file"):
        html.read(tmp_path / "gone.html")
    big = tmp_path / "big.html"
    shutil.copy(FIXTURES / "article_en.html", big)
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 200)
    with pytest.raises(ReadError, match=r"big\.html: file too large"):
        html.read(big)


def test_text_outside_block_elements_is_kept(tmp_path: Path):
    path = tmp_path / "bare.html"
    path.write_text(
        "<html><body>"
        + "<div>" * 300
        + "Emergence is a sharp jump in ability at scale."
        + "</div>" * 300
        + "</body></html>",
        encoding="utf-8",
    )
    [doc] = html.read(path)
    assert doc.text == "Emergence is a sharp jump in ability at scale."
