"""Bring the store in line with a Zotero library, rebuilding only the documents that changed.

A document whose ``content_hash`` is the one stored is unchanged and not even built (no PDF
is parsed); one whose metadata part alone changed (re-filed, re-tagged) gets its metadata
refreshed; the others are rebuilt. Documents of items that left the library or went to the
trash are removed. With ``--zotero-collection`` the items outside the collection are left
as they are in the store (they were not read), unless they are gone from Zotero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from emlit.errors import EmlitError, ReadError
from emlit.zotero import DB_NAME, ZoteroOptions, prefs
from emlit.zotero.documents import Context, DocPlan, Skipped, item_identity, plan_item
from emlit.zotero.library import load
from emlit.zotero.model import Collection, Item, ZoteroData

if TYPE_CHECKING:
    from emlit.filework import FileRecord, FileTask
    from emlit.ingest import IngestReport, Progress
    from emlit.store import Store

    # Runs ingest's per-file work on the tasks, yielding their records in order.
    Runner = Callable[[list[FileTask]], Iterator[FileRecord]]


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

    def sync(
        self,
        store: Store,
        report: IngestReport,
        progress: Progress,
        runner: Runner | None = None,
        stages: bool = False,
    ) -> None:
        sync_library(store, self, report, progress, runner, stages)


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
    store: Store,
    lib: ZoteroLibrary,
    report: IngestReport,
    progress: Progress,
    runner: Runner | None = None,
    stages: bool = False,
) -> None:
    """Save what changed in ``lib`` into ``store``; one bad document never stops the others.

    Documents to build (their PDF read, their claims found, and with ``stages`` tagged and
    embedded) go to ``runner`` all at once: ingest's per-file work, in this process or on
    its workers; their records come back in order and are written here, item by item."""
    from emlit.filework import FileTask

    stored = {row["path"]: row["content_hash"] for row in store.documents_under(lib.ctx.prefix)}
    where = store.path if store.path == ":memory:" else str(Path(store.path).resolve())
    kept: set[str] = set()
    steps: list[tuple[Item, list[Skipped], list[tuple[DocPlan, str]]]] = []
    tasks: list[FileTask] = []
    for item in lib.scope:
        plans, skipped = plan_item(lib.ctx, item)
        kept.update(skip.identity for skip in skipped)  # a stored copy stays until the item says
        actions = []
        for plan in plans:
            kept.add(plan.identity)
            action = _action(plan, stored.get(plan.identity))
            if action == BUILD:
                location = str(plan.metadata.get("file") or "")
                tasks.append(
                    FileTask(
                        len(tasks),
                        plan.display,
                        location,
                        plan.identity,
                        plan.display,
                        stages,
                        where,
                        build=plan.build,
                    )
                )
            actions.append((plan, action))
        steps.append((item, skipped, actions))
    records = (runner or _in_process)(tasks)
    tag_version = _tag_version(store) if stages and tasks else None
    for item, skipped, actions in steps:
        for skip in skipped:
            if skip.failed:
                report.failed.append((skip.display, skip.reason))
            else:
                report.skipped.append(f"{skip.display}: {skip.reason}")
        pages = claims = 0
        for plan, action in actions:
            try:
                if action == BUILD:
                    record = next(records)
                    pages, claims = pages + record.pages, claims + record.claims
                    _save_built(store, plan, record, report, tag_version)
                else:
                    _apply(store, plan, action, report)
            except ReadError as exc:
                shown = plan.display if exc.path == plan.display else f"{plan.display} ({exc.path})"
                report.failed.append((shown, exc.reason))
            except EmlitError:
                raise  # the store itself is unusable: stop here
            except Exception as exc:  # a reader bug must not lose the rest of the library
                if type(exc).__name__ == "StageCrash":
                    raise  # a bug in tagging, not in the document: stop, as the stage would
                report.failed.append((plan.display, f"unexpected {type(exc).__name__}: {exc}"))
        progress.file_done(f"zotero:{item.key}", pages=pages, claims=claims)
    live = {item_identity(lib.ctx, item) for item in lib.data.items}
    covered = {item_identity(lib.ctx, item) for item in lib.scope}
    for path in sorted(set(stored) - kept):
        owner = _owner(path, lib.ctx.prefix)
        if lib.restricted and owner in live and owner not in covered:
            continue  # outside the collection asked for, still in Zotero: not ours to judge
        store.delete_document(path)
        report.removed.append(_display(path, lib.ctx.prefix))


UNCHANGED, REFRESH, BUILD = "unchanged", "refresh", "build"


def _action(plan: DocPlan, previous: str | None) -> str:
    """Unchanged (same hash), refresh (only the metadata part changed) or build."""
    if previous == plan.content_hash:
        return UNCHANGED
    if previous is not None and previous.partition(":")[0] == plan.own_hash:
        return REFRESH
    return BUILD


def _apply(store: Store, plan: DocPlan, action: str, report: IngestReport) -> None:
    if action == UNCHANGED:
        report.unchanged.append(plan.display)
        return
    store.refresh_document(
        plan.identity, title=plan.title, metadata=plan.metadata, content_hash=plan.content_hash
    )
    report.updated.append(plan.display)


def _save_built(
    store: Store,
    plan: DocPlan,
    record: FileRecord,
    report: IngestReport,
    tag_version: str | None,
) -> None:
    """Write one built document (and its tags and vectors, when the per-file work made
    them), as ``emlit.ingest.save_record`` does for a file."""
    from emlit.ingest import StageCrash, save_tags_and_vectors

    if record.fatal:
        raise EmlitError(record.fatal)
    if record.crash:
        raise StageCrash(f"the per-file work on {plan.display} failed:\n{record.crash}")
    if record.error is not None:
        raise ReadError(record.error_path or plan.display, record.error)
    [d] = record.docs
    with store.transaction():
        saved = store.save_document(
            d.doc,
            path=plan.identity,
            display_path=plan.display,
            content_hash=plan.content_hash,
            claims=d.claims,
        )
        tagged = []
        if d.tags is not None and saved.new_claim_ids:
            tags_fit = record.tag_version == tag_version
            tagged = save_tags_and_vectors(store, record, d, saved.new_claim_ids, tags_fit)
    (report.updated if saved.status == "updated" else report.added).append(plan.display)
    report.claims_found += saved.claim_count
    report.new_claim_ids.extend(saved.new_claim_ids)
    report.tagged.update(tagged)
    report.pages += record.pages


def _in_process(tasks: list[FileTask]) -> Iterator[FileRecord]:
    from emlit.filework import process_file

    return (process_file(task) for task in tasks)


def _tag_version(store: Store) -> str:
    from emlit.tagging.learn import store_model_version

    return store_model_version(store.path)


def _owner(path: str, prefix: str) -> str:
    """The identity of the item a document belongs to: ``prefix#lib/KEY``."""
    lib_key = path[len(prefix) + 1 :].split("/")[:2]
    return f"{prefix}#{'/'.join(lib_key)}"


def _display(path: str, prefix: str) -> str:
    parts = path[len(prefix) + 1 :].split("/")
    return f"zotero:{parts[1]}" + (f"#{parts[2]}" if len(parts) > 2 else "")
