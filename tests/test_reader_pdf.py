"""The PDF reader: reading order, page numbers, joined lines, running headers, bad files."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from emlit.errors import ReadError
from emlit.readers import base, pdf

_spec = importlib.util.spec_from_file_location(
    "pdfs", Path(__file__).parent / "fixtures" / "other" / "pdfs.py"
)
assert _spec and _spec.loader
pdfs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pdfs)

EN_LEFT = [
    "Emergent abilities are abilities that are not present in smaller models but are present "
    "in larger models. They cannot be predicted simply by extrapolating the performance of "
    "smaller models, which is why they surprised the community.",
    "Scaling laws describe a smooth decrease of the loss as compute, data and parameters grow "
    "by orders of magnitude. Downstream accuracy on many tasks follows the same smooth trend.",
]
EN_RIGHT = [
    "The right column argues that the apparent sharpness is a mirage created by the metric, as "
    "Schaeffer and colleagues showed in 2023 with nonlinear and discontinuous measures.",
    "Using token edit distance instead of exact match makes the curves smooth and predictable, "
    "so the jump in accuracy is a property of the evaluation rather than of the model.",
]
ZH_LEFT = [
    "大模型的涌现能力是指在小模型中没有表现出来，但是在大模型中表现出来的能力。这种无法通过小规模"
    "模型的实验结果观察到的相变，被许多研究者视为大模型最重要的性质之一。",
    "研究者发现，当模型的训练计算量超过某个阈值之后，多步推理任务的准确率会突然上升，而在阈值以下"
    "模型的表现接近随机猜测。",
]
ZH_RIGHT = [
    "另一方面，斯坦福大学的研究人员认为涌现能力是海市蜃楼，它来自于研究者选择的不连续的评价指标，"
    "而不是模型本身的性质。",
    "如果换成更为平滑的连续指标，规模在阈值以下的模型的性能也会随着规模扩大而逐步提高，所谓的涌现"
    "现象也就随之消失了。",
]


def texts(doc):
    return [doc.text[b.start : b.end] for b in doc.blocks]


def test_one_column_title_heading_and_pages(tmp_path):
    path = pdfs.one_column(
        tmp_path / "one.pdf", "Emergence in Language Models", "1 Introduction", EN_LEFT + EN_RIGHT
    )
    [doc] = pdf.read(path)
    assert doc.format == "pdf"
    assert doc.title == "Emergence in Language Models"
    kinds = [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]
    assert kinds[0] == ("heading", "Emergence in Language Models")
    assert kinds[1] == ("heading", "1 Introduction")
    # Four paragraphs, each with its wrapped lines joined back into one line.
    assert texts(doc)[2:] == EN_LEFT + EN_RIGHT
    assert all(b.page == 1 for b in doc.blocks)
    assert doc.blocks[3].section == "1 Introduction"
    assert doc.metadata["lang"] == "en" and doc.metadata["pages"] == 1


def test_two_column_english_reads_left_then_right(tmp_path):
    path = pdfs.two_column(
        tmp_path / "two.pdf", "A Survey of Emergence", EN_LEFT, EN_RIGHT, "Helvetica"
    )
    [doc] = pdf.read(path)
    assert texts(doc) == ["A Survey of Emergence", *EN_LEFT, *EN_RIGHT]


def test_two_column_chinese_reads_in_order_without_spaces(tmp_path):
    path = pdfs.two_column(
        tmp_path / "zh.pdf", "大模型涌现能力综述", ZH_LEFT, ZH_RIGHT, pdfs.CJK_FONT
    )
    [doc] = pdf.read(path)
    assert texts(doc) == ["大模型涌现能力综述", *ZH_LEFT, *ZH_RIGHT]
    assert doc.title == "大模型涌现能力综述"
    assert doc.metadata["lang"] == "zh"


def test_running_header_and_page_numbers_dropped_pages_kept(tmp_path):
    header = "Journal of Emergence Studies, Vol. 3"
    path = pdfs.multi_page(tmp_path / "multi.pdf", header, [EN_LEFT, EN_RIGHT, EN_LEFT[1:]])
    [doc] = pdf.read(path)
    assert header not in doc.text
    assert texts(doc) == [*EN_LEFT, *EN_RIGHT, EN_LEFT[1]]
    assert [b.page for b in doc.blocks] == [1, 1, 2, 2, 3]
    assert doc.metadata["pages"] == 3
    # Nothing is left of the footer's page numbers.
    assert all(not doc.text[b.start : b.end].strip().isdigit() for b in doc.blocks)


def test_hyphen_at_line_end_is_joined(tmp_path):
    path = pdfs.hyphenated(
        tmp_path / "hy.pdf",
        [
            "Large language models show emer-",
            "gent abilities at scale, which were not",
            "anticipated by their developers.",
        ],
    )
    [doc] = pdf.read(path)
    assert texts(doc) == [
        "Large language models show emergent abilities at scale, which were not anticipated "
        "by their developers."
    ]


def test_scanned_pdf_gives_empty_document_with_warning(tmp_path):
    [doc] = pdf.read(pdfs.image_only(tmp_path / "scan.pdf"))
    assert doc.blocks == [] and doc.text == ""
    assert "no text layer" in doc.metadata["warning"]


def test_encrypted_pdf_is_refused(tmp_path):
    path = pdfs.encrypted(tmp_path / "locked.pdf", "Emergent abilities are a mirage.")
    with pytest.raises(ReadError, match=r"locked\.pdf: encrypted PDF"):
        pdf.read(path)


def test_pdf_with_owner_password_only_is_read(tmp_path):
    path = pdfs.encrypted(tmp_path / "restricted.pdf", "Emergent abilities are a mirage.", "")
    [doc] = pdf.read(path)
    assert doc.text == "Emergent abilities are a mirage."


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj garbage <<>> endobj\ntrailer\n%%EOF\n")
    with pytest.raises(ReadError, match=r"corrupt\.pdf: not a readable PDF \(.+\)"):
        pdf.read(path)


def test_truncated_pdf(tmp_path):
    good = pdfs.one_column(tmp_path / "good.pdf", "Title here", "Intro", EN_LEFT)
    data = good.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError, match=r"truncated\.pdf: not a readable PDF \(truncated"):
        pdf.read(path)


def test_non_pdf_bytes_named_pdf(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_text("Emergent abilities, just a text file with the wrong name.\n")
    with pytest.raises(ReadError, match=r"notes\.pdf: not a readable PDF \(no %PDF header\)"):
        pdf.read(path)


def test_empty_pdf_file_is_an_empty_document(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    [doc] = pdf.read(path)
    assert doc.blocks == [] and doc.text == ""


def test_missing_and_huge_pdf(tmp_path, monkeypatch):
    with pytest.raises(ReadError, match=r"absent\.pdf: No such file"):
        pdf.read(tmp_path / "absent.pdf")
    path = pdfs.one_column(tmp_path / "big.pdf", "Title here", "Intro", EN_LEFT)
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 100)
    with pytest.raises(ReadError, match=r"big\.pdf: file too large"):
        pdf.read(path)


def test_sentence_running_from_left_column_into_right_column(tmp_path):
    left = [
        "Scaling laws predict the loss of a model",
        "from its compute budget. Downstream tasks,",
        "however, can show sudden jumps in accu-",
        "racy once the model passes a threshold,",
        "and these jumps are what many papers call",
    ]
    right = [
        "emergent abilities of large language",
        "models. Whether they are real or an",
        "artefact of the metric is debated.",
        "Smooth metrics make the jumps vanish",
        "in most of the tasks that were studied.",
    ]
    [doc] = pdf.read(pdfs.two_column_lines(tmp_path / "run.pdf", left, right))
    assert texts(doc) == [
        "Scaling laws predict the loss of a model from its compute budget. Downstream tasks, "
        "however, can show sudden jumps in accuracy once the model passes a threshold, and these "
        "jumps are what many papers call emergent abilities of large language models. Whether "
        "they are real or an artefact of the metric is debated.",
        # A line ending a sentence well short of the column edge ends its paragraph.
        "Smooth metrics make the jumps vanish in most of the tasks that were studied.",
    ]
    assert [b.page for b in doc.blocks] == [1, 1]
