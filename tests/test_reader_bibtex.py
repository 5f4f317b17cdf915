"""The BibTeX reader: one document per entry, metadata, attached PDFs, broken files."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from emlit.errors import ReadError
from emlit.readers import base, bibtex

_spec = importlib.util.spec_from_file_location(
    "pdfs", Path(__file__).parent / "fixtures" / "other" / "pdfs.py"
)
assert _spec and _spec.loader
pdfs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pdfs)

PAPER = [
    "We argue that emergent abilities of large language models are created by the choice of "
    "metric. Nonlinear or discontinuous metrics produce apparent emergent abilities.",
]

BIB = r"""
% a comment line
@inproceedings{schaeffer2023mirage,
  author = {Schaeffer, Rylan and Miranda, Brando and Koyejo, Sanmi},
  title = {Are Emergent Abilities of {Large Language Models} a Mirage?},
  booktitle = {Advances in Neural Information Processing Systems},
  year = 2023,
  doi = {10.48550/arXiv.2304.15004},
  url = {https://arxiv.org/abs/2304.15004},
  abstract = {Recent work claims that large language models display \emph{emergent abilities},
    abilities not present in smaller-scale models that are present in larger-scale models.},
  note = {Read for the reading group; 50\% of the argument is about metrics.},
}

@article{wei2022,
  author = {Wei, Jason and G{\"o}del, Kurt and {Barnes and Noble}},
  title = {Emergent Abilities of Large Language Models},
  journal = {TMLR},
  year = {2022},
  file = {:papers/wei2022.pdf:PDF}
}

@misc{zotero2023,
  title = {A Zotero Entry},
  file = {Snapshot:files/1/page.html:text/html;Full Text PDF:files/2/paper.pdf:application/pdf}
}

@misc{gone2024,
  title = {An Entry Whose PDF Was Moved},
  file = {missing/elsewhere.pdf}
}
"""


def test_one_document_per_entry_with_metadata(tmp_path: Path):
    (tmp_path / "papers").mkdir()
    pdfs.one_column(tmp_path / "papers" / "wei2022.pdf", "Emergent Abilities", "Abstract", PAPER)
    (tmp_path / "files" / "2").mkdir(parents=True)
    pdfs.one_column(tmp_path / "files" / "2" / "paper.pdf", "Zotero Paper", "Intro", PAPER)
    bib = tmp_path / "library.bib"
    bib.write_text(BIB, encoding="utf-8")
    docs = {d.key: d for d in bibtex.read(bib)}
    assert list(docs) == ["schaeffer2023mirage", "wei2022", "zotero2023", "gone2024"]
    assert all(d.path == str(bib) and d.format == "bibtex" for d in docs.values())

    mirage = docs["schaeffer2023mirage"]
    meta = mirage.metadata
    assert meta["authors"] == ["Schaeffer, Rylan", "Miranda, Brando", "Koyejo, Sanmi"]
    assert (
        meta["title"] == mirage.title == "Are Emergent Abilities of Large Language Models a Mirage?"
    )
    assert meta["year"] == "2023" and meta["doi"] == "10.48550/arXiv.2304.15004"
    assert meta["venue"] == "Advances in Neural Information Processing Systems"
    assert meta["url"] == "https://arxiv.org/abs/2304.15004"
    assert meta["entry_type"] == "inproceedings" and "booktitle" in meta["fields"]
    blocks = [(b.kind, mirage.text[b.start : b.end], b.section) for b in mirage.blocks]
    assert blocks[0] == ("heading", meta["title"], meta["title"])
    assert blocks[1][0] == "paragraph" and blocks[1][2] == "Abstract"
    assert blocks[1][1].startswith("Recent work claims that large language models display emergent")
    assert blocks[2] == (
        "paragraph",
        "Read for the reading group; 50% of the argument is about metrics.",
        "note",
    )

    # The attached PDF is the entry's text, page numbers and all, with the bib metadata on top.
    wei = docs["wei2022"]
    assert wei.metadata["authors"] == ["Wei, Jason", "Gödel, Kurt", "Barnes and Noble"]
    assert wei.title == "Emergent Abilities of Large Language Models"
    assert wei.metadata["file"] == str(tmp_path / "papers" / "wei2022.pdf")
    assert wei.metadata["pages"] == 1 and wei.metadata["venue"] == "TMLR"
    assert PAPER[0] in wei.text and all(b.page == 1 for b in wei.blocks)

    # Zotero style: the PDF among several attachments is the one read.
    assert PAPER[0] in docs["zotero2023"].text

    gone = docs["gone2024"]
    assert "missing/elsewhere.pdf" in gone.metadata["warning"]
    assert gone.metadata["warning"].endswith("not found")
    assert gone.text == "An Entry Whose PDF Was Moved"


def test_attachment_styles(tmp_path: Path):
    assert bibtex.attachments("a/b.pdf", tmp_path) == [(tmp_path / "a/b.pdf", True)]
    assert bibtex.attachments(":rel/x.pdf:PDF", tmp_path) == [(tmp_path / "rel/x.pdf", True)]
    assert bibtex.attachments(r"Full:C\:\\papers\\x.pdf:application/pdf", tmp_path)[0][1]
    assert bibtex.attachments("/abs/y.PDF", tmp_path) == [(Path("/abs/y.PDF"), True)]
    both = bibtex.attachments("Snap:s.html:text/html;Doc:d.pdf:application/pdf", tmp_path)
    assert both == [(tmp_path / "s.html", False), (tmp_path / "d.pdf", True)]


def test_unreadable_attachment_is_a_warning_not_a_failure(tmp_path: Path):
    (tmp_path / "broken.pdf").write_bytes(b"this is not a pdf")
    bib = tmp_path / "one.bib"
    bib.write_text("@misc{k1, title={Broken attachment}, file={broken.pdf}}\n")
    [doc] = bibtex.read(bib)
    assert "not a readable PDF" in doc.metadata["warning"]
    assert doc.text == "Broken attachment"


def test_syntax_error_names_the_line_and_refuses_the_file(tmp_path: Path):
    bib = tmp_path / "broken.bib"
    bib.write_text(
        "@misc{ok1, title={Fine}}\n\n"
        "@article{bad,\n  title = {Unclosed\n  author = {X}\n\n"
        "@misc{ok2, title={Also fine}}\n"
    )
    with pytest.raises(ReadError) as info:
        bibtex.read(bib)
    message = str(info.value)
    assert message.startswith(f"{bib}: BibTeX syntax error in the entry starting on line 3")
    assert "(@article{bad,)" in message and "Unexpected block start" in message


def test_duplicate_key_is_refused(tmp_path: Path):
    bib = tmp_path / "dup.bib"
    bib.write_text("@misc{same, title={One}}\n@misc{same, title={Two}}\n")
    with pytest.raises(ReadError, match=r"dup\.bib: duplicate citation key .*line 2"):
        bibtex.read(bib)


def test_empty_bib_is_an_empty_document(tmp_path: Path):
    bib = tmp_path / "empty.bib"
    bib.write_text("% nothing here yet\n")
    [doc] = bibtex.read(bib)
    assert doc.text == "" and doc.blocks == [] and doc.key is None


def test_bad_bytes_missing_and_huge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    binary = tmp_path / "binary.bib"
    binary.write_bytes(bytes(range(256)))
    with pytest.raises(ReadError, match=r"binary\.bib: binary data"):
        bibtex.read(binary)
    latin = tmp_path / "latin.bib"
    latin.write_bytes("@misc{k, title={Gödel}}".encode("latin-1"))
    with pytest.raises(ReadError, match=r"latin\.bib: not valid UTF-8"):
        bibtex.read(latin)
    with pytest.raises(ReadError, match=r"nope\.bib: No such file"):
        bibtex.read(tmp_path / "nope.bib")
    big = tmp_path / "big.bib"
    big.write_text(BIB)
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 100)
    with pytest.raises(ReadError, match=r"big\.bib: file too large"):
        bibtex.read(big)


def test_bundled_bibliography_reads(tmp_path: Path):
    bib = Path(__file__).resolve().parents[1] / "corpus" / "evidence" / "bibliography.bib"
    docs = bibtex.read(bib)
    keys = [d.key for d in docs]
    assert "wei2022emergent" in keys and len(keys) == len(set(keys))
    wei = docs[keys.index("wei2022emergent")]
    assert wei.metadata["authors"][0] == "Wei, Jason" and wei.metadata["year"] == "2022"
