"""Obsidian callouts, PDF annotations (PDF++, Annotator, Zotero) and Logseq outlines."""

from __future__ import annotations

from pathlib import Path

from emlit.models import ParsedDocument
from emlit.readers.markdown import read

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"


def parse(tmp_path: Path, source: str) -> ParsedDocument:
    path = tmp_path / "note.md"
    path.write_text(source, encoding="utf-8")
    (doc,) = read(path)
    for block in doc.blocks:
        piece = doc.text[block.start : block.end]
        assert piece and piece == piece.strip()
    return doc


def blocks(doc: ParsedDocument) -> list[tuple[str, str, int | None]]:
    return [(b.kind, doc.text[b.start : b.end], b.page) for b in doc.blocks]


# --- callouts ---------------------------------------------------------------------------------


def test_callout_title_and_body(tmp_path: Path) -> None:
    doc = parse(tmp_path, "> [!tip]- Folded *title*\n> First line\n> second line\n>\n> Next para")
    assert blocks(doc) == [
        ("callout", "Folded title", None),
        ("callout", "First line\nsecond line", None),
        ("callout", "Next para", None),
    ]


def test_callout_without_title_and_list_inside(tmp_path: Path) -> None:
    doc = parse(tmp_path, "> [!quote]\n> - item one\n> - item two")
    assert blocks(doc) == [("callout", "item one", None), ("callout", "item two", None)]


def test_bracket_text_that_is_not_a_callout_stays_a_quote(tmp_path: Path) -> None:
    doc = parse(tmp_path, "> [1] Not a callout marker.")
    assert blocks(doc) == [("quote", "[1] Not a callout marker.", None)]


# --- PDF++ ------------------------------------------------------------------------------------


def test_pdf_plus_plus_nested_quote_is_the_annotation(tmp_path: Path) -> None:
    (doc,) = read(FIXTURES / "obsidian_note.md")
    annotation = next(b for b in doc.blocks if b.kind == "annotation")
    assert doc.text[annotation.start : annotation.end] == (
        "Emergent abilities are not present in smaller models."
    )
    assert annotation.page == 3
    comment = doc.blocks[doc.blocks.index(annotation) + 1]
    assert (comment.kind, doc.text[comment.start : comment.end]) == (
        "callout",
        "My comment on the highlight.",
    )
    assert ("wei2022.pdf", "wikilink") in {(ln.target, ln.kind) for ln in doc.links}
    assert doc.metadata["annotations"] == [
        {"start": annotation.start, "page": 3, "source": "pdf++", "target": "wei2022.pdf"}
    ]
    assert "wei2022, p.3" not in doc.text and "selection=" not in doc.text


def test_pdf_plus_plus_quote_without_nesting(tmp_path: Path) -> None:
    doc = parse(
        tmp_path,
        "> [!PDF|red] [[Rogers 2024.pdf#page=12&selection=3,0,5,9|Rogers 2024, p.12]]\n"
        "> Most respondents were sceptical of **emergent** properties.\n",
    )
    assert blocks(doc) == [
        ("annotation", "Most respondents were sceptical of emergent properties.", 12)
    ]
    assert [(ln.target, ln.kind) for ln in doc.links] == [("Rogers 2024.pdf", "wikilink")]


def test_pdf_plus_plus_markdown_link_header(tmp_path: Path) -> None:
    doc = parse(
        tmp_path,
        "> [!PDF|yellow] [paper, p.5](paper.pdf#page=5&selection=1,2,3,4)\n> > Quoted words.\n",
    )
    assert blocks(doc) == [("annotation", "Quoted words.", 5)]
    assert doc.metadata["annotations"][0]["target"] == "paper.pdf"


# --- the Annotator plugin ---------------------------------------------------------------------


def test_annotator_block_keeps_only_highlight_and_comment(tmp_path: Path) -> None:
    source = (
        ">%%\n"
        ">```annotation-json\n"
        '>{"text":"Emergence","target":[{"source":"vault:/paper.pdf"}]}\n'
        ">```\n"
        ">%%\n"
        ">*%%PREFIX%%before text%%HIGHLIGHT%% ==Emergent abilities are sharp.== "
        "%%POSTFIX%%after text*\n"
        ">%%LINK%%[[#^abc123|show annotation]]\n"
        ">%%COMMENT%%\n"
        ">I doubt it.\n"
        ">%%TAGS%%\n"
        ">#doubt\n"
        "^abc123\n"
    )
    doc = parse(tmp_path, source)
    assert [(k, t) for k, t, _ in blocks(doc)] == [
        ("annotation", "Emergent abilities are sharp."),
        ("callout", "I doubt it."),
        ("callout", "#doubt"),
    ]
    assert doc.metadata["tags"] == ["doubt"]
    assert [(ln.target, ln.kind) for ln in doc.links] == [("paper.pdf", "wikilink")]
    assert doc.metadata["annotations"] == [
        {"start": 0, "page": None, "source": "annotator", "target": "paper.pdf"}
    ]
    assert "before text" not in doc.text and "annotation-json" not in doc.text


# --- Zotero -----------------------------------------------------------------------------------


def test_zotero_export(tmp_path: Path) -> None:
    (doc,) = read(FIXTURES / "zotero_export.md")
    assert blocks(doc) == [
        ("heading", "Annotations (3/14/2024)", None),
        (
            "annotation",
            "Emergent abilities are not present in smaller models"
            " but are present in larger models.",
            3,
        ),
        ("paragraph", "This is the D3 definition.", None),
        ("annotation", "We call these sharp and unpredictable.", 7),
        ("annotation", "A list item highlight.", 12),
    ]
    assert "zotero" not in doc.text and "Wei et al." not in doc.text
    first = doc.metadata["annotations"][0]
    assert first == {
        "start": doc.blocks[1].start,
        "page": 3,
        "source": "zotero",
        "citation": "Wei et al., 2022, p. 3",
        "uri": "zotero://open-pdf/library/items/EFGH5678?page=3&annotation=XYZ12345",
    }
    urls = [ln.target for ln in doc.links if ln.kind == "url"]
    assert "zotero://select/library/items/ABCD1234" in urls
    assert "zotero://open-pdf/library/items/IJKL9012?page=7&annotation=MNOP3456" in urls


def test_zotero_citation_without_quote_is_still_removed(tmp_path: Path) -> None:
    doc = parse(
        tmp_path,
        "A note of mine ([Wei et al., 2022, p. 9](zotero://open-pdf/library/items/A?page=9))",
    )
    assert blocks(doc) == [("paragraph", "A note of mine", None)]


# --- Logseq -----------------------------------------------------------------------------------


def test_logseq_outline(tmp_path: Path) -> None:
    (doc,) = read(FIXTURES / "logseq_outline.md")
    assert blocks(doc) == [
        ("list_item", "Top block about emergent abilities", None),
        ("list_item", "Child block refers to and Page Ref", None),
        ("list_item", "Grandchild block with #logseq-tag", None),
        ("list_item", "TODO Second top block", None),
    ]
    assert doc.title == "Logseq page"  # the page's title:: property
    fields = doc.metadata["fields"]
    assert fields["id"] == ["64a0c1d2-0000-4000-8000-000000000001"]
    assert fields["collapsed"] == ["true"]
    assert doc.metadata["tags"] == ["emergence", "scaling", "logseq-tag"]
    assert {(ln.target, ln.kind) for ln in doc.links} == {
        ("scaling", "wikilink"),
        ("Page Ref", "wikilink"),
    }
    assert "((" not in doc.text and "{{" not in doc.text and "::" not in doc.text


def test_dataview_fields_inside_list_items(tmp_path: Path) -> None:
    doc = parse(
        tmp_path,
        "- Claim text\n  confidence:: high\n- std::vector is C++, not a field\n"
        "- The following::\n- Yes, so:: this stays\n",
    )
    assert [t for _, t, _ in blocks(doc)] == [
        "Claim text",
        "std::vector is C++, not a field",
        "The following::",
        "Yes, so:: this stays",
    ]
    assert doc.metadata["fields"] == {"confidence": ["high"]}


def test_block_ids_removed_but_math_carets_kept(tmp_path: Path) -> None:
    doc = parse(tmp_path, "Scaling as $N^{0.07}$ holds. ^blk-1\n\n- item ^x2\n\n2^10 is 1024.")
    assert [t for _, t, _ in blocks(doc)] == [
        "Scaling as $N^{0.07}$ holds.",
        "item",
        "2^10 is 1024.",
    ]
