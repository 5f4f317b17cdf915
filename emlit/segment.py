"""Sentence segmentation of claimable blocks with spaCy, for English, Chinese and mixed text.

We use spaCy's blank pipelines (no model download): ``zh`` tokenises character by character,
``en`` with its rule-based tokenizer, each followed by a ``sentencizer``. The Chinese
sentencizer ends sentences only on Chinese enders (。！？ and their ASCII forms ! ?) and on
full-width semicolons, never on "." — Chinese notes quote English ("Wei et al. 2022",
"GPT-3.5") and a period inside a quote must not cut the Chinese sentence around it.
Closing quotes and brackets after an ender stay with their sentence (the sentencizer keeps
trailing punctuation).

A list item is a unit of its own: it is split into sentences only when it is long.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from emlit.lang import detect_lang
from emlit.models import Block, Sentence

if TYPE_CHECKING:
    from spacy.language import Language

ZH_ENDERS = ["。", "！", "？", "!", "?", "｡"]
EN_ENDERS = [".", "!", "?", "。", "！", "？"]
# A list item shorter than this (characters) is kept whole even if it has several sentences.
LIST_ITEM_WHOLE = 160


@cache
def _pipeline(lang: str) -> Language:
    import spacy

    if lang == "zh":
        nlp = spacy.blank("zh")  # character segmentation: no jieba or pkuseg model needed
        nlp.add_pipe("sentencizer", config={"punct_chars": ZH_ENDERS})
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer", config={"punct_chars": EN_ENDERS})
    return nlp


_ABBREVIATIONS = re.compile(
    r"(?:\bet al|\be\.g|\bi\.e|\bcf|\bvs|\bFig|\bfig|\bEq|\bSec|\bpp?|\bNo|\bapprox|"
    r"\bDr|\bProf|\bMr|\bMs|\bSt|\bJ|\b[A-Z])\.$"
)


_OPENERS = ("(", "（", "“", "「", "《", "[")
_YEAR_CLOSING = re.compile(r"(?:19|20)\d{2}[a-z]?(?:, p+\. ?\d+)?[)）]")


def _raw_spans(text: str, lang: str) -> Iterator[tuple[int, int]]:
    doc = _pipeline("zh" if lang == "zh" else "en")(text)
    for sent in doc.sents:
        start = sent.start_char
        end = sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield start, end


def _spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans, re-joining the splits the sentencizer makes after abbreviations
    ("Wei et al. 2022") or before a lower-case continuation."""
    merged: list[tuple[int, int]] = []
    for start, end in _raw_spans(text, lang):
        if merged:
            prev_start, prev_end = merged[-1]
            first = text[start]
            previous = text[prev_start:prev_end]
            if (
                _ABBREVIATIONS.search(previous)
                or previous.endswith(_OPENERS)  # split between a bracket and its content
                or first.islower()
                or first in ",;:)，；：）"
                or _YEAR_CLOSING.match(text, start)  # "(Wei et al., | 2022)." is one citation
            ):
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged


def segment_block(doc_text: str, block: Block) -> list[Sentence]:
    """The sentences of one block, with offsets into the document's text."""
    text = doc_text[block.start : block.end]
    lang = detect_lang(text)
    if block.kind == "list_item" and len(text) <= LIST_ITEM_WHOLE:
        spans: list[tuple[int, int]] = [(0, len(text))]
    else:
        spans = _spans(text, lang)
    out: list[Sentence] = []
    for start, end in spans:
        piece = text[start:end]
        out.append(
            Sentence(
                start=block.start + start,
                end=block.start + end,
                text=piece,
                lang=detect_lang(piece) if len(spans) > 1 else lang,
                section=block.section,
                page=block.page,
                block_kind=block.kind,
                block_start=block.start,
            )
        )
    return out


def segment(doc_text: str, blocks: list[Block]) -> list[Sentence]:
    """Sentences of every claimable block, in document order."""
    sentences: list[Sentence] = []
    for block in blocks:
        if block.claimable:
            sentences.extend(segment_block(doc_text, block))
    return sentences


def warm_up() -> Any:
    """Build both pipelines now (for benchmarks that time steady-state work)."""
    return _pipeline("zh"), _pipeline("en")
