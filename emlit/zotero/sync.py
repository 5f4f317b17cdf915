"""Bring the store in line with a Zotero library, rebuilding only the documents that changed.

A document whose ``content_hash`` is the one stored is unchanged and not even built (no PDF
is parsed); one whose metadata part alone changed (re-filed, re-tagged) gets its metadata
refreshed; the others are rebuilt. Documents of items that left the library or went to the
trash are removed. With ``--zotero-collection`` the items outside the collection are left
as they are in the store (they were not read), unless they are gone from Zotero.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from emlit.errors import EmlitError, ReadError
from emlit.zotero import DB_NAME, ZoteroOptions, prefs
from emlit.zotero.documents import Context, DocPlan, item_identity, plan_item
from emlit.zotero.library import load
from emlit.zotero.model import Collection, Item, ZoteroData

if TYPE_CHECKING:
    from emlit.ingest import IngestReport, Progress
    from emlit.store import Store


@dataclass
class ZoteroLibrary:
    """A library read from its database, with the items this ingest covers."""

    db: Path
    data: ZoteroData
    scope: list[Item]
    restricted: bool
    ctx: Context

    @property
    def size(self) -> int:
        return len(self.scope)

    def sync(self, store: Store, report: IngestReport, progress: Progress) -> None:
        sync_library(store, self, report, progress)


def open_library(data_dir: Path, options: ZoteroOptions) -> ZoteroLibrary:
    """Read the library at ``data_dir`` (a ReadError names zotero.sqlite and the reason)."""
    db = data_dir / DB_NAME
    data = load(db)
    scope = data.items
    if options.collection:
        scope = items_in_collection(data, options.collection, db)
    ctx = Context(
        prefix=str(db.resolve()),
        data_dir=data_dir.resolve(),
        base_dir=options.base_dir or prefs.base_dir_for(data_dir),
        libraries=data.libraries,
        collections=data.collections,
    )
    return ZoteroLibrary(db, data, scope, bool(options.collection), ctx)


def items_in_collection(data: ZoteroData, name: str, db: Path) -> list[Item]:
    """Items filed in the collections called ``name`` (or with that path, "A/B"), or in their
    sub-collections, in every library of the database."""
    wanted = name.strip().strip("/").casefold()
    chosen = {
        cid
        for cid, c in data.collections.items()
        if wanted in (c.name.casefold(), _path(c, data.collections).casefold())
    }
    if not chosen:
        names = sorted({_path(c, data.collections) for c in data.collections.values()})
        listed = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "") or "none"
        raise ReadError(str(db), f"no collection named {name!r} (collections: {listed})")
    grew = True
    while grew:  # add sub-collections until none is left out
        more = {cid for cid, c in data.collections.items() if c.parent_id in chosen} - chosen
        chosen |= more
        grew = bool(more)
    return [item for item in data.items if chosen.intersection(item.collection_ids)]


def _path(c: Collection, collections: dict[int, Collection]) -> str:
    names = [c.name]
    while c.parent_id is not None and c.parent_id in collections and len(names) < 64:
        c = collections[c.parent_id]
        names.insert(0, c.name)
    return "/".join(names)


def sync_library(
    store: Store, lib: ZoteroLibrary, report: IngestReport, progress: Progress
) -> None:
    """Save what changed in ``lib`` into ``store``; one bad document never stops the others."""
    stored = {row["path"]: row["content_hash"] for row in store.documents_under(lib.ctx.prefix)}
    kept: set[str] = set()
    for item in lib.scope:
        plans, skipped = plan_item(lib.ctx, item)
        for skip in skipped:
            kept.add(skip.identity)  # a stored copy stays until the item says otherwise
            if skip.failed:
                report.failed.append((skip.display, skip.reason))
            else:
                report.skipped.append(f"{skip.display}: {skip.reason}")
        for plan in plans:
            kept.add(plan.identity)
            try:
                _apply(store, plan, stored.get(plan.identity), report)
            except ReadError as exc:
                where = plan.display if exc.path == plan.display else f"{plan.display} ({exc.path})"
                report.failed.append((where, exc.reason))
            except EmlitError:
                raise  # the store itself is unusable: stop here
            except Exception as exc:  # a reader bug must not lose the rest of the library
                report.failed.append((plan.display, f"unexpected {type(exc).__name__}: {exc}"))
        progress.file_done(f"zotero:{item.key}")
    live = {item_identity(lib.ctx, item) for item in lib.data.items}
    covered = {item_identity(lib.ctx, item) for item in lib.scope}
    for path in sorted(set(stored) - kept):
        owner = _owner(path, lib.ctx.prefix)
        if lib.restricted and owner in live and owner not in covered:
            continue  # outside the collection asked for, still in Zotero: not ours to judge
        store.delete_document(path)
        report.removed.append(_display(path, lib.ctx.prefix))


def _apply(store: Store, plan: DocPlan, previous: str | None, report: IngestReport) -> None:
    if previous == plan.content_hash:
        report.unchanged.append(plan.display)
        return
    if previous is not None and previous.partition(":")[0] == plan.own_hash:
        store.refresh_document(
            plan.identity, title=plan.title, metadata=plan.metadata, content_hash=plan.content_hash
        )
        report.updated.append(plan.display)
        return
    built = plan.build()
    saved = store.save_document(
        built.doc,
        path=plan.identity,
        display_path=plan.display,
        content_hash=plan.content_hash,
        claims=built.claims,
    )
    (report.updated if saved.status == "updated" else report.added).append(plan.display)
    report.claims_found += saved.claim_count
    report.new_claim_ids.extend(saved.new_claim_ids)


def _owner(path: str, prefix: str) -> str:
    """The identity of the item a document belongs to: ``prefix#lib/KEY``."""
    lib_key = path[len(prefix) + 1 :].split("/")[:2]
    return f"{prefix}#{'/'.join(lib_key)}"


def _display(path: str, prefix: str) -> str:
    parts = path[len(prefix) + 1 :].split("/")
    return f"zotero:{parts[1]}" + (f"#{parts[2]}" if len(parts) > 2 else "")
