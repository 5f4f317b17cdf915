"""BibTeX: one document per entry, keyed by its citation key.

An entry's text is its title (a heading), its abstract and its note fields. When its
``file`` field (Zotero / JabRef / BibDesk style) points to a PDF that exists, the entry's
document is that paper's text instead, with the BibTeX metadata laid over the PDF's. A
missing or unreadable attachment leaves the entry stored with ``metadata["warning"]``.

A syntax error anywhere refuses the whole file: storing the entries that parsed and
silently losing the broken one would look like a complete import when it is not.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from emlit.errors import ReadError
from emlit.lang import detect_lang
from emlit.models import ParsedDocument
from emlit.readers.base import TextBuilder, decode_text, read_bytes

FORMAT = "bibtex"

# Fields whose value is prose in LaTeX markup; everything else is kept as written.
_TEXT_FIELDS = frozenset(
    {
        "title",
        "booktitle",
        "journal",
        "abstract",
        "note",
        "annote",
        "annotation",
        "comment",
        "review",
        "author",
        "editor",
        "publisher",
        "school",
        "institution",
        "howpublished",
        "series",
        "keywords",
    }
)
_NOTE_FIELDS = ("note", "annote", "annotation", "comment", "review")
_VENUE_FIELDS = ("journal", "booktitle", "howpublished", "school", "institution", "publisher")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def read(path: Path) -> list[ParsedDocument]:
    text = decode_text(read_bytes(path), str(path))
    entries = parse_entries(text, str(path))
    if not entries:
        return [
            ParsedDocument(
                path=str(path),
                format=FORMAT,
                text="",
                blocks=[],
                metadata={"warning": "no BibTeX entries"},
            )
        ]
    return [_entry_document(path, key, fields) for key, fields in entries]


def parse_entries(text: str, path: str) -> list[tuple[str, dict[str, str]]]:
    """(citation key, fields) per entry; field names lower-case, LaTeX kept as written.

    ``fields`` also holds ``ENTRYTYPE``. Any block bibtexparser could not parse (a syntax
    error, a duplicate key) raises ReadError naming its line.
    """
    import bibtexparser  # only when a .bib turns up

    # bibtexparser logs each broken block as a warning; the ReadError below says it once.
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        library = bibtexparser.parse_string(text)
    finally:
        logger.setLevel(level)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        line = (block.start_line or 0) + 1
        head = (block.raw or "").strip().split("\n", 1)[0][:60]
        kind = type(block).__name__
        if "Duplicate" in kind:
            reason = f"duplicate citation key in {head!r} (line {line})"
        else:
            error = getattr(block, "error", None)
            detail = str(getattr(error, "abort_reason", "") or error or "").strip()
            detail = detail.replace("`", "'") or "syntax error"
            reason = f"BibTeX syntax error in the entry starting on line {line} ({head}): {detail}"
        more = len(library.failed_blocks) - 1
        if more:
            reason += f"; {more} more broken entr{'y' if more == 1 else 'ies'}"
        raise ReadError(path, reason)
    out = []
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value).strip() for f in entry.fields}
        fields["ENTRYTYPE"] = entry.entry_type.lower()
        out.append((entry.key, fields))
    return out


def entry_metadata(key: str, fields: dict[str, str]) -> dict[str, Any]:
    """Normalised metadata of one entry: authors as a list, plain-text title and venue."""
    plain = {
        name: _plain(value) if name in _TEXT_FIELDS else value
        for name, value in fields.items()
        if name != "ENTRYTYPE"
    }
    meta: dict[str, Any] = {"key": key, "entry_type": fields["ENTRYTYPE"], "fields": plain}
    for role in ("author", "editor"):
        if fields.get(role):
            meta[role + "s"] = split_names(fields[role])
    for name in ("title", "year", "doi", "url", "abstract", "keywords", "eprint"):
        if plain.get(name):
            meta[name] = plain[name]
    venue = next((plain[f] for f in _VENUE_FIELDS if plain.get(f)), None)
    if venue:
        meta["venue"] = venue
    return meta


def split_names(value: str) -> list[str]:
    """Split an author list on ' and ' outside braces ({Barnes and Noble} is one name)."""
    names, depth, start = [], 0, 0
    for i, char in enumerate(value):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and (m := _AND.match(value, i)) and i > start:
            names.append(value[start:i])
            start = m.end()
    names.append(value[start:])
    return [_plain(n) for n in names if n.strip()]


def attachments(value: str, base: Path) -> list[tuple[Path, bool]]:
    """Files named by a ``file`` field, as (path, is_pdf), relative paths under ``base``.

    Styles: ``path.pdf``; ``:path.pdf:PDF`` (JabRef); ``desc:path:application/pdf``
    (Zotero); several joined by ``;``; ``\\:`` and ``\\;`` escapes.
    """
    found = []
    for part in re.split(r"(?<!\\);", value):
        part = part.strip()
        if not part:
            continue
        pieces = re.split(r"(?<!\\):", part)
        file_type = ""
        if len(pieces) >= 3:
            file_type = pieces[-1]
            name = ":".join(pieces[1:-1])
        elif len(pieces) == 2 and len(pieces[0]) != 1:  # "desc:path", not "C:\\path"
            name = pieces[1]
        else:
            name = part
        name = name.replace("\\:", ":").replace("\\;", ";").replace("\\\\", "\\").strip()
        if not name:
            continue
        path = Path(name).expanduser()
        if not path.is_absolute():
            path = base / path
        is_pdf = file_type.strip().lower() in ("pdf", "application/pdf") or (
            name.lower().endswith(".pdf")
        )
        found.append((path, is_pdf))
    return found


def _entry_document(path: Path, key: str, fields: dict[str, str]) -> ParsedDocument:
    meta = entry_metadata(key, fields)
    pdfs = [p for p, is_pdf in attachments(fields.get("file", ""), path.parent) if is_pdf]
    doc: ParsedDocument | None = None
    for pdf_path in pdfs[:1]:
        if not pdf_path.is_file():
            meta["warning"] = f"attached file {pdf_path} not found"
            break
        from emlit.readers import pdf

        try:
            [doc] = pdf.read(pdf_path)
        except ReadError as exc:
            meta["warning"] = f"attached file could not be read: {exc}"
            break
        meta = {**doc.metadata, **meta, "file": str(pdf_path)}
        if doc.metadata.get("warning"):
            meta["warning"] = f"attached file {pdf_path}: {doc.metadata['warning']}"
    if doc is None:
        doc = _entry_text(path, meta)
    else:
        doc.path, doc.format = str(path), FORMAT
    doc.key = key
    doc.title = meta.get("title") or doc.title or key
    if doc.text:
        meta["lang"] = detect_lang(doc.text)
    doc.metadata = meta
    return doc


def _entry_text(path: Path, meta: dict[str, Any]) -> ParsedDocument:
    builder = TextBuilder()
    title = meta.get("title")
    if title:
        builder.add(title, "heading", title)
    builder.add(meta.get("abstract", ""), "paragraph", "Abstract")
    for name in _NOTE_FIELDS:
        builder.add(meta["fields"].get(name, ""), "paragraph", name)
    return ParsedDocument(path=str(path), format=FORMAT, text=builder.text, blocks=builder.blocks)


def _plain(value: str) -> str:
    """LaTeX to plain text: accents decoded, braces and \\emph{} removed, spaces squeezed."""
    if not any(c in value for c in "\\{}$~"):
        return " ".join(value.split())
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        text = LatexNodes2Text(math_mode="verbatim").latex_to_text(value)
    except Exception:  # pylatexenc gives up on some malformed markup; keep the raw value
        text = value.replace("{", "").replace("}", "")
    return " ".join(text.split())
