"""What a Zotero item becomes in emlit: documents and their claims, planned before they are built.

Per top-level item (``zotero:KEY`` is what users see; ``documents.path`` is
``<abs>/zotero.sqlite#<libraryID>/<KEY>[/<CHILD KEY>]``):

- ``zotero:KEY``: the work. Its metadata (title, creators, date, DOI, publication, URL,
  collections, tags, library) and its text: the title, the abstract (claims found the usual
  way) and the annotations made in Zotero's reader, in reading order. Each highlight or
  underline is a claim quoted to its page; each comment, note annotation and text box is the
  researcher's own claim. Which comment is about which highlight is kept in the document's
  ``metadata["annotations"]`` (``claim`` / ``comment`` ids), read back by
  ``StoreReader.comment_links``.
- ``zotero:KEY#ATTKEY``: an attachment's file (PDF, HTML snapshot, text), read by the usual
  reader, imported under ``storage/ATTKEY/`` or linked elsewhere.
- ``zotero:KEY#NOTEKEY``: a child note (HTML to text, claims found the usual way). A
  standalone note is ``zotero:NOTEKEY`` itself.

Every document carries ``content_hash = "<own>:<meta>"``: ``own`` changes with what its text
is made of (Zotero's item version and modification time, the file's size and mtime), ``meta``
with the collections, tags and title it is filed under, so a re-filed item is a metadata
update, not a re-read of its PDF.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from emlit.claims import claim_id, detect_claims
from emlit.errors import ReadError
from emlit.lang import detect_lang
from emlit.models import Claim, ParsedDocument
from emlit.readers.base import TextBuilder
from emlit.segment import segment
from emlit.zotero.model import QUOTE_TYPES, Attachment, Collection, Item, Library, Note

# Bump when what a document is built from changes, so stored documents are rebuilt once.
BUILD_VERSION = "1"
FORMAT_WORK, FORMAT_NOTE = "zotero", "zotero-note"
# Readers for attachment files, by content type, else by suffix. EPUB, images: not read.
READABLE_TYPES = {"application/pdf": ".pdf", "text/html": ".html", "text/plain": ".txt"}
READABLE_SUFFIXES = frozenset({".pdf", ".html", ".htm", ".txt"})
VENUE_FIELDS = ("publicationTitle", "proceedingsTitle", "bookTitle", "websiteTitle", "university")
_SQL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?: (.*))?$")
_CITATION_KEY = re.compile(r"^\s*Citation Key:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


@dataclass
class Built:
    doc: ParsedDocument
    claims: list[Claim]


@dataclass
class DocPlan:
    """One document of an item: how to tell whether it changed, and how to build it."""

    identity: str  # documents.path
    display: str  # documents.display_path, e.g. zotero:ABCD1234
    title: str
    own_hash: str
    meta_hash: str
    metadata: dict[str, Any]  # what Zotero says about it (laid over a reader's metadata)
    build: Callable[[], Built]  # picklable: ingest's workers (processes, Dask) may run it

    @property
    def content_hash(self) -> str:
        return f"{self.own_hash}:{self.meta_hash}"


@dataclass
class Skipped:
    """An attachment that is not read (a web link, an EPUB, a base folder not known)."""

    identity: str
    display: str
    reason: str
    failed: bool = False  # a file that should be read but cannot be: reported as a failure


@dataclass
class Context:
    """What planning an item needs besides the item."""

    prefix: str  # absolute path of zotero.sqlite: every identity starts with it + "#"
    data_dir: Path
    base_dir: Path | None
    libraries: dict[int, Library]
    collections: dict[int, Collection]


def item_identity(ctx: Context, item: Item) -> str:
    return f"{ctx.prefix}#{item.library_id}/{item.key}"


def plan_item(ctx: Context, item: Item) -> tuple[list[DocPlan], list[Skipped]]:
    """The documents of ``item`` (not built yet) and the attachments that are not read."""
    identity = item_identity(ctx, item)
    shared = _shared_metadata(ctx, item)
    if item.type == "note" and item.notes:
        note = item.notes[0]
        return [_note_plan(note, identity, f"zotero:{item.key}", shared)], []
    plans = [_work_plan(item, identity, shared)]
    skipped: list[Skipped] = []
    for att in item.attachments:
        plan_or_skip = _attachment_plan(ctx, item, att, identity, shared)
        if isinstance(plan_or_skip, Skipped):
            skipped.append(plan_or_skip)
        else:
            plans.append(plan_or_skip)
    for note in item.notes:
        display = f"zotero:{item.key}#{note.key}"
        plans.append(_note_plan(note, f"{identity}/{note.key}", display, shared))
    return plans, skipped


# -- metadata ----------------------------------------------------------------------------


def collection_paths(ctx: Context, item: Item) -> tuple[list[str], list[str]]:
    """The item's collections as paths ("Emergence/Metrics"), and every name and path it is
    filed under, its collections' ancestors included (what ``--zotero-collection`` matches)."""
    paths, under = [], set()
    for cid in item.collection_ids:
        chain: list[str] = []
        c: Collection | None = ctx.collections.get(cid)
        while c is not None and len(chain) < 64:
            chain.insert(0, c.name)
            c = ctx.collections.get(c.parent_id) if c.parent_id is not None else None
        paths.append("/".join(chain))
        for i in range(len(chain)):
            under.add(chain[i])
            under.add("/".join(chain[: i + 1]))
    return sorted(paths), sorted(under)


def _shared_metadata(ctx: Context, item: Item) -> dict[str, Any]:
    lib = ctx.libraries[item.library_id]
    paths, under = collection_paths(ctx, item)
    where = f"groups/{lib.group_id}" if lib.group_id is not None else "library"
    zotero = {
        "item": item.key,
        "library": lib.name,
        "library_id": lib.library_id,
        "group_id": lib.group_id,
        "collections": paths,
        "in_collections": under,
        "uri": f"zotero://select/{where}/items/{item.key}",
    }
    return {"tags": list(item.tags), "zotero": {k: v for k, v in zotero.items() if v is not None}}


def work_metadata(item: Item) -> dict[str, Any]:
    """Bibliographic metadata under the names the other readers use (BibTeX: authors, year,
    doi, venue, url, key), so graphs and exports treat a Zotero item like a BibTeX entry."""
    f = item.fields
    meta: dict[str, Any] = {"item_type": item.type, "fields": dict(sorted(f.items()))}
    authors = [c.name for c in item.creators if c.role == "author"]
    editors = [c.name for c in item.creators if c.role == "editor"]
    if authors or item.creators:
        meta["authors"] = authors or [c.name for c in item.creators]
    if editors:
        meta["editors"] = editors
    year, date = _date(f.get("date", ""))
    if year:
        meta["year"] = year
    if date:
        meta["date"] = date
    for name, key in (("DOI", "doi"), ("url", "url"), ("title", "title")):
        if f.get(name):
            meta[key] = f[name]
    venue = next((f[n] for n in VENUE_FIELDS if f.get(n)), None)
    if venue:
        meta["venue"] = venue
    cite = _CITATION_KEY.search(f.get("extra", ""))
    if cite:  # Better BibTeX writes the citation key into Extra
        meta["key"] = cite.group(1)
    return meta


def _date(value: str) -> tuple[str | None, str | None]:
    """Zotero stores "2022-06-15 June 15, 2022" (SQL date, then the date as typed)."""
    m = _SQL_DATE.match(value.strip())
    if m:
        year = m.group(1) if m.group(1) != "0000" else None
        return year, (m.group(4) or value.split(" ")[0]).strip() or None
    found = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", value)
    return (found.group(1) if found else None), value.strip() or None


def _digest(*parts: Any) -> str:
    blob = json.dumps([BUILD_VERSION, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


# -- the work: metadata, abstract, annotations --------------------------------------------


def _work_plan(item: Item, identity: str, shared: dict[str, Any]) -> DocPlan:
    work = work_metadata(item)
    meta = {**shared, **work}
    annotations = [
        (att.key, att.title, asdict(a)) for att in item.attachments for a in att.annotations
    ]
    own = _digest("work", item.key, item.version, item.modified, work, annotations)
    return DocPlan(
        identity=identity,
        display=f"zotero:{item.key}",
        title=item.title or item.key,
        own_hash=own,
        meta_hash=_digest(shared),
        metadata=meta,
        build=partial(build_work, item, identity, meta),
    )


def page_number(label: str | None, index: int | None) -> int | None:
    """The printed page number when the label is one, else the page's place in the file."""
    if label and label.isdigit():
        return int(label)
    return index + 1 if index is not None else None


def build_work(item: Item, identity: str, meta: dict[str, Any]) -> Built:
    builder = TextBuilder()
    if item.title:
        builder.add(item.title, "heading", item.title)
    for para in re.split(r"\n\s*\n", item.fields.get("abstractNote", "")):
        builder.add(para, "paragraph", "Abstract")
    abstract_blocks = [b for b in builder.blocks if b.kind == "paragraph"]
    # Each annotation's text and comment, as (block index, claim kind) to make claims of.
    own: list[tuple[int, str]] = []
    records: list[dict[str, Any]] = []
    for att in item.attachments:
        section = att.title or (att.path or "").split(":")[-1] or "Annotations"
        for a in att.annotations:
            page = page_number(a.page_label, a.page_index)
            record: dict[str, Any] = {
                "source": "zotero",
                "key": a.key,
                "type": a.type,
                "attachment": att.key,
                "page": page,
                "page_label": a.page_label,
                "color": a.color,
                "external": a.external,
            }
            if a.type in QUOTE_TYPES and a.text:
                builder.add(a.text, "annotation", section, page)
                own.append((len(builder.blocks) - 1, "quote"))
                record["start"], record["end"] = builder.blocks[-1].start, builder.blocks[-1].end
                record["quote_block"] = len(builder.blocks) - 1
            if a.comment:
                builder.add(a.comment, "comment", section, page)
                about_region = "quote_block" in record or a.type in ("image", "ink")
                kind = "comment" if about_region else "note"
                own.append((len(builder.blocks) - 1, kind))
                record["comment_block"] = len(builder.blocks) - 1
            records.append(record)
    text = builder.text
    claims = detect_claims(identity, segment(text, abstract_blocks))
    seen = Counter(c.text for c in claims)  # one counter, so a highlighted abstract sentence
    by_block: dict[int, str] = {}  # gets an id of its own
    for index, kind in own:
        block = builder.blocks[index]
        quote = text[block.start : block.end]
        cid = claim_id(identity, quote, seen[quote])
        seen[quote] += 1
        by_block[index] = cid
        claims.append(
            Claim(
                id=cid,
                text=quote,
                lang=detect_lang(quote),
                start=block.start,
                end=block.end,
                section=block.section,
                page=block.page,
                kind=kind,
            )
        )
    for record in records:
        record["claim"] = by_block.get(record.pop("quote_block", -1))
        record["comment"] = by_block.get(record.pop("comment_block", -1))
    claims.sort(key=lambda c: c.start)
    doc_meta = {**meta, "annotations": records}
    if text:
        doc_meta["lang"] = detect_lang(text[:20000])
    doc = ParsedDocument(identity, FORMAT_WORK, text, builder.blocks, item.title or None, doc_meta)
    return Built(doc, claims)


# -- notes --------------------------------------------------------------------------------


def _note_plan(note: Note, identity: str, display: str, shared: dict[str, Any]) -> DocPlan:
    meta = {**shared, "zotero": {**shared["zotero"], "note": note.key}}
    return DocPlan(
        identity=identity,
        display=display,
        title=note.title or note.key,
        own_hash=_digest("note", note.key, note.version, note.modified, note.html),
        meta_hash=_digest(meta, note.title),
        metadata=meta,
        build=partial(build_note, note, identity, meta),
    )


def build_note(note: Note, identity: str, meta: dict[str, Any]) -> Built:
    from emlit.readers.html import fallback_items  # selectolax: only when a note turns up

    # Zotero's note editor writes clean HTML: no page furniture to find, so the main-text
    # extractor for web pages is not needed (and drops short notes).
    builder = TextBuilder()
    section: str | None = None
    for kind, text in fallback_items(f"<html><body>{note.html}</body></html>"):
        if kind == "heading":
            section = text
        builder.add(text, kind, section)
    doc_meta = dict(meta)
    if builder.text:
        doc_meta["lang"] = detect_lang(builder.text[:20000])
    doc = ParsedDocument(
        identity, FORMAT_NOTE, builder.text, builder.blocks, note.title or None, doc_meta
    )
    return Built(doc, _found_claims(doc, identity))


def _found_claims(doc: ParsedDocument, identity: str) -> list[Claim]:
    return detect_claims(identity, segment(doc.text, doc.blocks))


# -- attachment files ---------------------------------------------------------------------


def _attachment_plan(
    ctx: Context, item: Item, att: Attachment, identity: str, shared: dict[str, Any]
) -> DocPlan | Skipped:
    display, own_identity = f"zotero:{item.key}#{att.key}", f"{identity}/{att.key}"
    path = att.file(ctx.data_dir, ctx.base_dir)
    if path is None:
        if att.path and att.path.startswith("attachments:"):
            reason = (
                f"linked file {att.path!r} lies under Zotero's base directory, which is "
                "not known: give it with --zotero-base-dir"
            )
            return Skipped(own_identity, display, reason, failed=True)
        return Skipped(own_identity, display, "no file (a link to a web page)")
    suffix = READABLE_TYPES.get(att.content_type or "") or path.suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        kind = att.content_type or path.suffix or "this file type"
        return Skipped(own_identity, display, f"{kind} is not read")
    try:
        st = path.stat()
        stamp: tuple[int, int] | None = (st.st_size, st.st_mtime_ns)
    except OSError:
        stamp = None  # built below, where the missing file is reported
    both = item.title and att.title
    title = f"{item.title} — {att.title}" if both else (item.title or att.title)
    meta = {**shared, "zotero": {**shared["zotero"], "attachment": att.key}, "file": str(path)}
    return DocPlan(
        identity=own_identity,
        display=display,
        title=title or path.name,
        own_hash=_digest("file", att.key, att.version, att.path, stamp),
        meta_hash=_digest(meta, title),
        metadata=meta,
        build=partial(build_file, path, suffix, own_identity, meta, title),
    )


def build_file(path: Path, suffix: str, identity: str, meta: dict[str, Any], title: str) -> Built:
    from emlit.readers import reader_for

    if not path.is_file():
        raise ReadError(str(path), "attachment file not found (not synced or moved?)")
    docs = reader_for(Path(f"file{suffix}"))(path)  # the reader for its type, whatever its name
    doc = docs[0]
    doc.metadata = {**doc.metadata, **meta}
    doc.title = title or doc.title
    doc.metadata.setdefault("lang", detect_lang(doc.text[:20000]))
    return Built(doc, _found_claims(doc, identity))
