"""Claim detection on whole papers: what is not a claim even when it talks about emergence.

Every non-claim below carries a strong cue ("emergent", 涌现, a threshold, ...) or two weak
ones, so it would be stored if the rule for its kind were missing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from emlit.claims import detect_claims, is_claim, verdict
from emlit.ingest import ingest_paths
from emlit.models import Block, Sentence
from emlit.segment import segment
from emlit.store import Store

_spec = importlib.util.spec_from_file_location(
    "pdfs", Path(__file__).parent / "fixtures" / "other" / "pdfs.py"
)
assert _spec and _spec.loader
pdfs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pdfs)

NOT_CLAIMS = [
    # captions: the label starts the block
    (
        "caption",
        "Figure 3: Accuracy against model scale for 9 tasks; emergent abilities appear late.",
    ),
    ("caption", "Fig. 2. Emergent abilities under few-shot prompting across model scales."),
    ("caption", "Table 1: Smallest model that performs above chance on each emergent task."),
    ("caption", "图 3：9 个任务上准确率随模型规模的变化，涌现能力在大模型中出现。"),
    ("caption", "表2 各规模模型在涌现任务上的准确率。"),
    # methods and setup
    ("methods", "We train models from 37M to 318B parameters on a deduplicated web corpus."),
    (
        "methods",
        "To test whether emergent abilities appear, we evaluate 8 model sizes on 23 BIG-Bench tasks.",
    ),
    ("methods", "All models are trained for 143,000 steps with a batch size of 2M tokens."),
    ("methods", "We use a peak learning rate of 3e-4 with cosine decay and 2,000 warmup steps."),
    ("methods", "模型参数规模从37M到318B不等，均在同一个去重后的网页语料上训练。"),
    ("methods", "为检验涌现能力，我们在23个 BIG-Bench 任务上评测了8个规模的模型。"),
    ("methods", "学习率设为 3e-4，批大小为 2M 个词元，采用余弦衰减。"),
    # reference entries
    (
        "reference",
        "Wei, J., Tay, Y., Bommasani, R., et al. Emergent abilities of large language models. "
        "Transactions on Machine Learning Research, 2022.",
    ),
    ("reference", "Scaling laws for neural language models. arXiv:2001.08361."),
    (
        "reference",
        "[7] R. Schaeffer, B. Miranda, and S. Koyejo, Are emergent abilities of large language "
        "models a mirage? In Advances in Neural Information Processing Systems, 2023.",
    ),
    ("reference", "王磊，刘洋. 大语言模型涌现能力的度量问题[J]. 中文信息学报，2024，38(3)：1-12."),
    # running heads and footers that reached the text
    ("header", "Published as a conference paper at ICLR 2024 Emergent abilities and scale"),
    (
        "header",
        "arXiv:2206.07682v2 [cs.CL] 26 Oct 2022 emergent abilities of large language models",
    ),
    ("header", "第 3 页 大模型涌现能力综述"),
    # questions and reminders to oneself
    ("question", "compare with the mirage argument?"),
    ("question", "TODO: check whether the emergent threshold at 62B holds for PaLM 2"),
    ("question", "check whether the 62B threshold holds for PaLM 2"),
    ("question", "Does emergence survive when models are compared at equal loss?"),
    ("question", "记得对比一下海市蜃楼那篇关于涌现能力的论证"),
    ("question", "待读：Schaeffer 2023 关于涌现能力的附录"),
    # boilerplate
    ("boilerplate", "We thank the anonymous reviewers for discussions on emergent abilities."),
    (
        "boilerplate",
        "Code and data for our emergence experiments are available at https://example.org.",
    ),
    ("boilerplate", "Keywords: emergent abilities, scaling, large language models"),
    ("boilerplate", "Correspondence to: jason@example.edu; emergent abilities group."),
    ("boilerplate", "本工作得到国家自然科学基金资助，感谢审稿人对涌现能力部分的意见。"),
    ("boilerplate", "关键词：涌现能力；规模；大语言模型"),
]

CLAIMS = [
    "An ability is emergent if it is not present in smaller models but is present in larger models.",
    "Figure 2 shows that accuracy on modular arithmetic jumps once models pass 10^22 FLOPs.",
    "We find that the apparent threshold moves by an order of magnitude when the metric changes.",
    "The model was never explicitly trained for arithmetic, yet it adds three-digit numbers.",
    "Bigger networks pick up tricks that their smaller siblings never show.",
    "Only the 540B model solves the task; the 62B model does no better than random guessing.",
    "Models trained on more data reach the same accuracy at a smaller size.",
    "所谓涌现能力，是指在小模型中不存在、而在大模型中出现的能力。",
    "把指标换成词元编辑距离之后，跳变基本消失了。",
    "只有175B的模型才能可靠地完成三位数加法，6.7B的模型和随机猜测差不多。",
    "我们发现，随着指标不同，表面上的阈值会移动一个数量级。",
]


@pytest.mark.parametrize(("kind", "text"), NOT_CLAIMS)
def test_non_claims_of_each_kind_are_rejected(kind, text):
    assert verdict(text) == kind
    assert not is_claim(text)


@pytest.mark.parametrize("text", CLAIMS)
def test_clear_claims_are_kept(text):
    assert verdict(text) == "claim"


def _sentences(doc_text: str, blocks: list[Block]) -> list[Sentence]:
    return segment(doc_text, blocks)


def _doc(*blocks: tuple[str, str | None]) -> tuple[str, list[Block]]:
    """Blocks of text (with their section) laid out as a reader stores them."""
    text, out = "", []
    for body, section in blocks:
        start = len(text)
        text += body
        out.append(Block(start, len(text), "paragraph", section))
        text += "\n\n"
    return text, out


def test_every_sentence_of_a_caption_block_is_caption_but_not_the_next_block():
    claim = "Models below 10B stay at chance, and the jump appears abruptly at larger scales."
    text, blocks = _doc(
        (f"Figure 4: Accuracy on three emergent tasks. {claim}", "4 Results"),
        (claim.replace("10B", "13B"), "4 Results"),
    )
    claims = detect_claims("/p.pdf", _sentences(text, blocks))
    assert [c.text for c in claims] == [claim.replace("10B", "13B")]


def test_reference_list_under_a_heading_or_after_a_references_line():
    entry = "Emergent abilities of large language models."
    prose = "Emergent abilities appear abruptly once models pass a threshold of scale."
    # Under a "References" heading (the section), and after a references line in body type.
    text, blocks = _doc(
        (entry, "References"), ("References", "5 Discussion"), (entry, "5 Discussion")
    )
    assert detect_claims("/p.pdf", _sentences(text, blocks)) == []
    # A new section ends the reference list.
    text, blocks = _doc(("References", "5 Discussion"), (prose, "A Additional results"))
    assert [c.text for c in detect_claims("/p.pdf", _sentences(text, blocks))] == [prose]


def test_pieces_of_an_acl_style_reference_are_not_claims():
    """Names, year, title, venue: the segmenter cuts the entry; the title alone would pass."""
    entry = (
        "Jared Kaplan, Sam McCandlish, Tom Henighan, and Dario Amodei. 2020. Scaling laws for "
        "neural language models. Emergent abilities follow from them."
    )
    text, blocks = _doc((entry, "5 Discussion"))
    sentences = _sentences(text, blocks)
    assert len(sentences) >= 3
    assert detect_claims("/p.pdf", sentences) == []


def test_reminders_under_a_todo_heading_are_not_claims():
    item = "Emergent abilities at 62B parameters versus the loss threshold of Du et al."
    text, blocks = _doc((item, "TODO"))
    assert detect_claims("/n.md", _sentences(text, blocks)) == []
    text, blocks = _doc((item, "Main claims"))
    assert len(detect_claims("/n.md", _sentences(text, blocks))) == 1


# --- a two-column paper ingested end to end -----------------------------------------------

LEFT = [
    "Emergent abilities are abilities that are not present in smaller models but are present "
    "in larger models, and they cannot be predicted by extrapolating smaller models.",
    "We train models from 37M to 318B parameters on a deduplicated web corpus. All models are "
    "trained for 143,000 steps with a batch size of 2M tokens.",
    "Figure 3: Accuracy against model scale for 9 tasks. Emergent abilities appear abruptly "
    "above 62B parameters.",
]
RIGHT = [
    "The apparent jump largely disappears under token edit distance, which suggests that the "
    "metric rather than the model produces the discontinuity.",
    "Table 1: Smallest model with emergent performance above chance on each task.",
    "Below 10^22 training FLOPs every model stays at chance on modular arithmetic, and the "
    "largest models then climb steeply.",
]
REFERENCES = [
    "Wei, J., Tay, Y., Bommasani, R., Raffel, C., Zoph, B., et al. Emergent abilities of large "
    "language models. Transactions on Machine Learning Research, 2022.",
    "Schaeffer, R., Miranda, B., and Koyejo, S. Are emergent abilities of large language "
    "models a mirage? In Advances in Neural Information Processing Systems, 2023.",
    "Kaplan, J., McCandlish, S., Henighan, T., et al. Scaling laws for neural language "
    "models. arXiv:2001.08361, 2020.",
    "Du, Z., Zeng, A., Dong, Y., and Tang, J. Understanding emergent abilities of language "
    "models from the loss perspective. In Advances in Neural Information Processing Systems, "
    "2024.",
    "Power, A., Burda, Y., Edwards, H., Babuschkin, I., and Misra, V. Grokking: Generalization "
    "beyond overfitting on small algorithmic datasets. arXiv:2201.02177, 2022.",
    "Ganguli, D., Hernandez, D., Lovitt, L., et al. Predictability and surprise in large "
    "generative models. In ACM Conference on Fairness, Accountability, and Transparency, 2022.",
]
HEADER = "Emergent Abilities and the Threshold of Scale"


def _two_column_paper(path: Path) -> Path:
    """Two pages: a title, two columns with a caption, methods and claims; then a reference
    list in two columns under a "References" line in body type. A running header and page
    numbers on both pages."""
    c = canvas.Canvas(str(path), pagesize=(pdfs.PAGE_W, pdfs.PAGE_H), invariant=1)
    col_w = (pdfs.PAGE_W - 120 - 30) / 2
    for page in (1, 2):
        c.setFont("Helvetica", 8)
        c.drawString(60, pdfs.PAGE_H - 30, HEADER)
        c.drawString(pdfs.PAGE_W / 2, 30, str(page))
        if page == 1:
            c.setFont("Helvetica-Bold", 16)
            c.drawString(60, 780, "Sharp or Smooth? Emergent Abilities Revisited")
            pdfs.draw_column(c, LEFT, 60, 740, col_w, "Helvetica", 10)
            pdfs.draw_column(c, RIGHT, 60 + col_w + 30, 740, col_w, "Helvetica", 10)
        else:
            c.setFont("Helvetica", 10)
            c.drawString(60, 780, "References")
            pdfs.draw_column(c, REFERENCES[:3], 60, 755, col_w, "Helvetica", 9)
            pdfs.draw_column(c, REFERENCES[3:], 60 + col_w + 30, 755, col_w, "Helvetica", 9)
        c.showPage()
    c.save()
    return path


def test_two_column_paper_end_to_end_stores_no_caption_reference_or_header(tmp_path):
    pdf_path = _two_column_paper(tmp_path / "paper.pdf")
    store = Store(tmp_path / "e.db")
    report = ingest_paths(store, [pdf_path], run_stages=False)
    assert report.ok
    [row] = store.documents()
    doc = store.document(row["id"])
    assert doc is not None
    texts = [doc["text"][c["start"] : c["end"]] for c in store.document_claims(row["id"])]
    store.close()
    joined = "\n".join(texts)
    for marker in ("Figure 3", "Table 1", "above 62B parameters", "Smallest model", HEADER):
        assert marker not in joined  # captions (both sentences) and the running header
    for marker in ("Wei, J.", "Schaeffer, R.", "arXiv:", "Grokking:", "Predictability and"):
        assert marker not in joined  # reference entries
    assert not any(t.startswith(("We train", "All models are trained")) for t in texts)
    # ... while the claims of both columns are kept
    assert any(t.startswith("Emergent abilities are abilities") for t in texts)
    assert any(t.startswith("The apparent jump largely disappears") for t in texts)
    assert any(t.startswith("Below 10^22 training FLOPs") for t in texts)
