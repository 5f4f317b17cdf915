"""A Zotero data directory as a source (contract 13), on databases built with Zotero's schema."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from emlit.cli.main import cli
from emlit.ingest import IngestReport, ingest_paths
from emlit.store import Store
from emlit.zotero import ZoteroOptions
from emlit.zotero.prefs import base_dir_for
from emlit.zotero.snapshot import JOURNAL_MAGIC
from tests.tui_data import anyio_backend  # noqa: F401  (the TUI test runs on asyncio)
from tests.zotero_support import (
    COMMENT,
    HIGHLIGHT,
    MIRAGE,
    NOTE_ANNOTATION,
    UNDERLINE,
    SampleLibrary,
    ZoteroBuilder,
    pdfs,
    sample_library,
)

ALL_DOCUMENTS = {
    "zotero:WEIABC22",
    "zotero:WEIABC22#PDF1WEI2",
    "zotero:WEIABC22#NOTE1WEI",
    "zotero:MIRAGE23",
    "zotero:MIRAGE23#LINKPDF1",
    "zotero:MIRAGE23#LINKSUP1",
    "zotero:NOTE2XYZ",
    "zotero:GRP12345",
    "zotero:GRP12345#GRPNOTE1",
}


@pytest.fixture
def lib(tmp_path: Path) -> SampleLibrary:
    return sample_library(tmp_path)


def _ingest(store: Store, lib: SampleLibrary, collection: str | None = None) -> IngestReport:
    zotero = ZoteroOptions(collection=collection, base_dir=lib.base_dir)
    return ingest_paths(store, [lib.data_dir], run_stages=False, zotero=zotero)


def _documents(store: Store) -> dict[str, dict]:
    return {d["display_path"]: d for d in store.db.query("SELECT * FROM documents")}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _beside(lib: SampleLibrary) -> list[str]:
    return sorted(p.name for p in lib.data_dir.iterdir() if p.name.startswith("zotero.sqlite"))


def test_items_become_documents_and_claims(store: Store, lib: SampleLibrary) -> None:
    report = _ingest(store, lib)
    assert report.failed == []
    assert set(report.added) == ALL_DOCUMENTS
    assert report.skipped == ["zotero:MIRAGE23#WEBLINK1: no file (a link to a web page)"]
    docs = _documents(store)
    assert set(docs) == ALL_DOCUMENTS  # no trash, no feed, no storage/ file walked loose

    wei = json.loads(docs["zotero:WEIABC22"]["metadata"])
    assert docs["zotero:WEIABC22"]["title"] == "Emergent Abilities of Large Language Models"
    assert wei["authors"] == ["Wei, Jason", "Tay, Yi"]
    assert wei["editors"] == ["Google"]
    assert (wei["year"], wei["doi"], wei["key"]) == (
        "2022",
        "10.48550/arXiv.2206.07682",
        "wei2022emergent",
    )
    assert wei["venue"] == "Transactions on Machine Learning Research"
    assert wei["tags"] == ["emergence", "scaling"]
    assert wei["zotero"]["collections"] == ["Emergence/Metrics"]
    assert wei["zotero"]["uri"] == "zotero://select/library/items/WEIABC22"
    mirage = json.loads(docs["zotero:MIRAGE23"]["metadata"])
    assert mirage["venue"] == "Advances in Neural Information Processing Systems"  # base field
    assert mirage["year"] == "2023"
    group = json.loads(docs["zotero:GRP12345"]["metadata"])
    assert group["zotero"]["library"] == "Emergence Reading Group"
    assert group["zotero"]["uri"] == "zotero://select/groups/4242/items/GRP12345"

    # Every claim quotes its document exactly.
    texts = {d["id"]: d["text"] for d in docs.values()}
    for row in store.db.query('SELECT document_id, text, start, "end" FROM claims'):
        assert texts[row["document_id"]][row["start"] : row["end"]] == row["text"]


def test_annotations_are_claims_quoted_to_their_page(store: Store, lib: SampleLibrary) -> None:
    _ingest(store, lib)
    claims = store.claims(document="zotero:WEIABC22")
    documents = {c["document"] for c in claims}
    assert documents == {"zotero:WEIABC22", "zotero:WEIABC22#PDF1WEI2", "zotero:WEIABC22#NOTE1WEI"}
    own = {c["text"]: c for c in claims if c["document"] == "zotero:WEIABC22"}
    assert (own[HIGHLIGHT]["kind"], own[HIGHLIGHT]["page"]) == ("quote", 2)
    assert (own[UNDERLINE]["kind"], own[UNDERLINE]["page"]) == ("quote", 2)  # label "iv": index
    assert (own[COMMENT]["kind"], own[COMMENT]["page"]) == ("comment", 2)
    assert own[NOTE_ANNOTATION]["kind"] == "note"
    assert own[HIGHLIGHT]["section"] == "Full Text PDF"
    assert (own[COMMENT]["id"], own[HIGHLIGHT]["id"]) in store.comment_links()
    mirage = {c["text"]: c for c in store.claims(document="zotero:MIRAGE23")}
    comment = mirage["同意：换成线性指标后，涌现的跳跃就消失了。"]
    assert comment["lang"] == "zh"
    assert store.comment_links([comment["id"]]) == [
        (
            comment["id"],
            mirage["Nonlinear or discontinuous metrics produce apparent emergent abilities"]["id"],
        )
    ]
    meta = json.loads(_documents(store)["zotero:WEIABC22"]["metadata"])
    colours = {a["key"]: a["color"] for a in meta["annotations"]}
    assert colours == {"ANNHIGH1": "#ffd400", "ANNUNDR1": "#2ea8e5", "ANNNOTE1": "#ffd400"}

    pdf = store.claims(document="zotero:WEIABC22#PDF1WEI2")
    assert pdf and {c["page"] for c in pdf} == {1, 2}
    assert any("not present in smaller models" in c["text"] for c in pdf)
    note = store.claims(document="zotero:WEIABC22#NOTE1WEI")
    assert any("threshold of scale" in c["text"] for c in note)
    assert store.claims(search="trash") == []


def test_collection_and_tag_filters(store: Store, lib: SampleLibrary) -> None:
    report = _ingest(store, lib, collection="Emergence")
    assert report.failed == []
    assert {d.split("#")[0] for d in report.added} == {"zotero:WEIABC22", "zotero:MIRAGE23"}

    _ingest(store, lib)  # the whole library: the rest comes in, nothing is read twice
    in_metrics = {c["document"].split("#")[0] for c in store.claims(collection="Metrics")}
    assert in_metrics == {"zotero:WEIABC22"}
    in_emergence = {c["document"].split("#")[0] for c in store.claims(collection="emergence")}
    assert in_emergence == {"zotero:WEIABC22", "zotero:MIRAGE23"}  # sub-collections count
    assert store.count_claims(collection="Emergence/Metrics") == len(
        store.claims(collection="Metrics")
    )
    todo = {c["document"] for c in store.claims(tag="#todo")}
    assert todo == {"zotero:NOTE2XYZ"}
    assert store.claims(collection="No such collection") == []


def test_unknown_collection_is_named(store: Store, lib: SampleLibrary) -> None:
    report = _ingest(store, lib, collection="Nope")
    assert report.failed == [
        (
            str(lib.db),
            "no collection named 'Nope' (collections: Emergence, Emergence/Metrics, Other)",
        )
    ]
    assert store.stats()["documents"] == 0


def test_read_while_zotero_holds_the_lock(store: Store, lib: SampleLibrary) -> None:
    """Zotero keeps an exclusive lock while it runs; emlit reads anyway and writes nothing."""
    before = _digest(lib.db)
    zotero = sqlite3.connect(lib.db, isolation_level=None)
    zotero.execute("PRAGMA locking_mode = EXCLUSIVE")
    zotero.execute("PRAGMA cache_size = 1")  # spill: the write reaches the file before commit
    zotero.execute("BEGIN EXCLUSIVE")
    # A write in flight (hot journal): emlit must see the last committed state, not this.
    zotero.execute(
        "UPDATE itemDataValues SET value = 'UNCOMMITTED' "
        "WHERE value LIKE 'Emergent Abilities of Large%'"
    )
    zotero.execute(
        "INSERT INTO itemDataValues (value) SELECT hex(randomblob(2000)) FROM "
        "(WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300) "
        "SELECT x FROM n)"
    )
    assert lib.db.with_name("zotero.sqlite-journal").read_bytes()[:8] == JOURNAL_MAGIC
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        sqlite3.connect(lib.db, timeout=0.1).execute("SELECT count(*) FROM items").fetchone()
    files = _beside(lib)
    report = _ingest(store, lib)
    assert report.failed == []
    assert _beside(lib) == files  # nothing new beside it
    assert (
        _documents(store)["zotero:WEIABC22"]["title"]
        == "Emergent Abilities of Large Language Models"
    )
    zotero.execute("ROLLBACK")
    zotero.close()
    assert _digest(lib.db) == before
    assert _beside(lib) == ["zotero.sqlite"]  # no -wal, no -journal


def test_read_while_locked_after_a_commit(store: Store, lib: SampleLibrary) -> None:
    """Zotero's steady state: exclusive lock kept, a zeroed journal beside the database."""
    zotero = sqlite3.connect(lib.db, isolation_level=None)
    zotero.execute("PRAGMA locking_mode = EXCLUSIVE")
    zotero.execute(
        "UPDATE itemDataValues SET value = 'Emergent Abilities (v2)' "
        "WHERE value LIKE 'Emergent Abilities of Large%'"
    )
    zotero.execute("UPDATE items SET version = version + 1 WHERE key = 'WEIABC22'")
    committed, files = _digest(lib.db), _beside(lib)
    report = _ingest(store, lib)
    assert report.failed == []
    assert _documents(store)["zotero:WEIABC22"]["title"] == "Emergent Abilities (v2)"
    assert (_digest(lib.db), _beside(lib)) == (committed, files)
    zotero.close()
    assert _beside(lib) == ["zotero.sqlite"]


def test_read_with_a_wal(tmp_path: Path, store: Store) -> None:
    """Committed data still in a WAL is read (from a private copy); the original is untouched."""
    ZoteroBuilder(tmp_path / "Zotero").close()
    db = tmp_path / "Zotero" / "zotero.sqlite"
    writer = sqlite3.connect(db)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute(
        "INSERT INTO items (itemID, itemTypeID, libraryID, key, version) "
        "VALUES (900, 28, 1, 'WALNOTE1', 1)"
    )
    writer.execute(
        "INSERT INTO itemNotes VALUES (900, NULL, "
        "'<p>Emergent abilities appear at scale, says the WAL.</p>', 'WAL note')"
    )
    writer.commit()
    wal = db.with_name("zotero.sqlite-wal")
    before = (_digest(db), _digest(wal))
    report = ingest_paths(store, [tmp_path / "Zotero"], run_stages=False)
    assert report.failed == [] and report.added == ["zotero:WALNOTE1"]
    assert (_digest(db), _digest(wal)) == before
    writer.close()


def test_second_ingest_reads_only_what_changed(
    store: Store, lib: SampleLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _ingest(store, lib)
    ids = {c["id"] for c in store.claims()}
    second = _ingest(store, lib)
    assert (second.added, second.updated, second.failed) == ([], [], [])
    assert sorted(second.unchanged) == sorted(ALL_DOCUMENTS)
    assert second.claims_found == 0 and {c["id"] for c in store.claims()} == ids
    assert first.claims_found == len(ids)

    # Zotero saves an edited note: new HTML, a new version and modification time.
    db = sqlite3.connect(lib.db)
    db.execute(
        "UPDATE itemNotes SET note = ? WHERE itemID = ?",
        [
            '<div data-schema-version="8"><p>Emergent abilities are a mirage of the metric.</p></div>',
            lib.ids["NOTE1WEI"],
        ],
    )
    db.execute(
        "UPDATE items SET version = version + 1, clientDateModified = '2024-03-02 09:00:00' "
        "WHERE itemID = ?",
        [lib.ids["NOTE1WEI"]],
    )
    db.commit()
    third = _ingest(store, lib)
    assert third.updated == ["zotero:WEIABC22#NOTE1WEI"]
    assert len(third.unchanged) == len(ALL_DOCUMENTS) - 1
    note = [c["text"] for c in store.claims(document="zotero:WEIABC22#NOTE1WEI")]
    assert note == ["Emergent abilities are a mirage of the metric."]

    # Re-tagged: the PDF's metadata is refreshed, the PDF is not read again.
    def no_pdf(path: Path) -> list:
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr("emlit.readers.pdf.read", no_pdf)
    db.execute("INSERT INTO tags (name) VALUES ('read')")
    db.execute(
        "INSERT INTO itemTags SELECT ?, tagID, 0 FROM tags WHERE name = 'read'",
        [lib.ids["WEIABC22"]],
    )
    db.commit()
    fourth = _ingest(store, lib)
    assert fourth.failed == []
    assert set(fourth.updated) == {
        "zotero:WEIABC22",
        "zotero:WEIABC22#PDF1WEI2",
        "zotero:WEIABC22#NOTE1WEI",
    }
    tagged = {c["document"] for c in store.claims(tag="read")}
    assert "zotero:WEIABC22#PDF1WEI2" in tagged

    # A paper moved to the trash leaves the store with its files and annotations.
    db.execute("INSERT INTO deletedItems (itemID) VALUES (?)", [lib.ids["MIRAGE23"]])
    db.commit()
    db.close()
    fifth = _ingest(store, lib)
    assert sorted(fifth.removed) == [
        "zotero:MIRAGE23",
        "zotero:MIRAGE23#LINKPDF1",
        "zotero:MIRAGE23#LINKSUP1",
    ]
    assert store.claims(document="zotero:MIRAGE23") == []
    alive = {c["id"] for c in store.claims()}
    assert store.comment_links() and all(
        c in alive and a in alive for c, a in store.comment_links()
    )


def test_collection_ingest_keeps_other_items(store: Store, lib: SampleLibrary) -> None:
    _ingest(store, lib)
    report = _ingest(store, lib, collection="Metrics")
    assert report.removed == []
    assert store.stats()["documents"] == len(ALL_DOCUMENTS)


def test_linked_files_under_the_base_directory(
    tmp_path: Path, lib: SampleLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The base of "attachments:..." paths comes from the prefs.js of the profile that uses
    this data directory, or from --zotero-base-dir; without it the file is named as failed."""
    profiles = tmp_path / "profiles"
    monkeypatch.setattr("emlit.zotero.prefs.profile_roots", lambda: [profiles])
    with Store(":memory:") as store:
        report = ingest_paths(store, [lib.data_dir], run_stages=False)
    assert report.failed == [
        (
            "zotero:MIRAGE23#LINKSUP1",
            "linked file 'attachments:papers/mirage-supp.pdf' lies under Zotero's base "
            "directory, which is not known: give it with --zotero-base-dir",
        )
    ]
    (profiles / "abcd1234.default").mkdir(parents=True)
    (profiles / "abcd1234.default" / "prefs.js").write_text(
        f'user_pref("extensions.zotero.baseAttachmentPath", {json.dumps(str(lib.base_dir))});\n'
        f'user_pref("extensions.zotero.dataDir", {json.dumps(str(lib.data_dir))});\n'
        'user_pref("extensions.zotero.useDataDir", true);\n',
        encoding="utf-8",
    )
    assert base_dir_for(lib.data_dir) == lib.base_dir
    assert base_dir_for(tmp_path / "another") is None
    with Store(":memory:") as store:
        report = ingest_paths(store, [lib.data_dir], run_stages=False)
        assert report.failed == []
        assert store.claims(document="zotero:MIRAGE23#LINKSUP1")


def test_missing_attachment_file_is_named(store: Store, lib: SampleLibrary) -> None:
    (lib.elsewhere / "mirage.pdf").unlink()
    report = _ingest(store, lib)
    assert report.failed == [
        (
            f"zotero:MIRAGE23#LINKPDF1 ({lib.elsewhere / 'mirage.pdf'})",
            "attachment file not found (not synced or moved?)",
        )
    ]
    assert "zotero:MIRAGE23" in _documents(store)  # the rest of the item is stored


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"this is not a database", "not an SQLite database (is this a Zotero data directory?)"),
        (
            None,
            "not a Zotero database (missing tables: items, itemData, itemDataValues, "
            "itemCreators, creators, creatorTypes, collections, collectionItems, tags, "
            "itemTags, itemAttachments, itemNotes, deletedItems, libraries, fields, itemTypes)",
        ),
    ],
)
def test_bad_database_is_one_clear_line(tmp_path: Path, content: bytes | None, reason: str) -> None:
    folder = tmp_path / "Zotero"
    folder.mkdir()
    db = folder / "zotero.sqlite"
    if content is None:
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE other (x)")
        conn.commit()
        conn.close()
    else:
        db.write_bytes(content)
    before = _digest(db)
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "e.db"), "ingest", "--no-stages", str(folder)]
    )
    assert result.exit_code == 1
    assert f"failed: {db}: {reason}\n" in result.output
    assert "Traceback" not in result.output
    assert _digest(db) == before


def test_cli_filters_and_usage(tmp_path: Path, lib: SampleLibrary) -> None:
    runner = CliRunner()
    db = str(tmp_path / "e.db")
    result = runner.invoke(
        cli,
        [
            "--db",
            db,
            "ingest",
            "--no-stages",
            str(lib.data_dir),
            "--zotero-base-dir",
            str(lib.base_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "documents: 9 added, 0 unchanged, 0 updated, 0 failed" in result.output
    result = runner.invoke(
        cli, ["--db", db, "claims", "--document", "zotero:WEIABC22", "--format", "jsonl"]
    )
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {r["document"] for r in rows} == {
        "zotero:WEIABC22",
        "zotero:WEIABC22#PDF1WEI2",
        "zotero:WEIABC22#NOTE1WEI",
    }
    assert any(r["text"] == HIGHLIGHT and r["page"] == 2 for r in rows)
    result = runner.invoke(cli, ["--db", db, "claims", "--tag", "todo", "--format", "jsonl"])
    assert [json.loads(line)["document"] for line in result.output.splitlines()] == [
        "zotero:NOTE2XYZ"
    ]
    result = runner.invoke(
        cli, ["--db", db, "claims", "--zotero-collection", "Metrics", "--format", "jsonl"]
    )
    assert {json.loads(line)["document"].split("#")[0] for line in result.output.splitlines()} == {
        "zotero:WEIABC22"
    }
    result = runner.invoke(
        cli, ["--db", db, "ingest", str(lib.elsewhere), "--zotero-collection", "Metrics"]
    )
    assert result.exit_code == 2
    assert "--zotero-collection: none of the paths is a Zotero data directory" in result.output


def test_a_folder_holding_a_library_is_not_walked_loose(store: Store, lib: SampleLibrary) -> None:
    report = ingest_paths(store, [lib.data_dir.parent], run_stages=False)
    # The library is read as one; only elsewhere/ and linked-base/ PDFs come in as files.
    loose = {d for d in report.added if not d.startswith("zotero:")}
    assert all("storage" not in d for d in loose)
    assert "zotero:WEIABC22" in report.added


@pytest.mark.slow
def test_end_to_end_with_tagging(tmp_path: Path, lib: SampleLibrary) -> None:
    """The whole pipeline on a library: claims of an item tagged and linked like any other."""
    runner = CliRunner()
    db = str(tmp_path / "e.db")
    args = ["--db", db, "ingest", str(lib.data_dir), "--zotero-base-dir", str(lib.base_dir)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--db", db, "stats", "--json"])
    stats = json.loads(result.output)
    assert stats["documents"] == len(ALL_DOCUMENTS)
    assert sum(stats["claims_by_definition"].values()) > 0
    result = runner.invoke(
        cli, ["--db", db, "claims", "--document", "zotero:WEIABC22", "--format", "jsonl"]
    )
    rows = {json.loads(line)["text"]: json.loads(line) for line in result.output.splitlines()}
    assert rows[HIGHLIGHT]["labels"], rows[HIGHLIGHT]
    result = runner.invoke(cli, args)
    assert "0 added, 9 unchanged, 0 updated, 0 failed" in result.output


def test_standalone_file_with_annotations(tmp_path: Path, store: Store) -> None:
    """A PDF dropped into Zotero without a parent item is an item of its own."""
    b = ZoteroBuilder(tmp_path / "Zotero")
    (tmp_path / "Zotero" / "storage" / "LONEPDF1").mkdir(parents=True)
    pdfs.one_column(
        tmp_path / "Zotero" / "storage" / "LONEPDF1" / "lone.pdf", "Lone", "Abstract", MIRAGE
    )
    att = b.attachment(None, "LONEPDF1", link_mode=1, path="storage:lone.pdf", title="lone.pdf")
    b.annotation(att, "LONEANN1", 1, text="apparent emergent abilities", comment="Metric!")
    b.close()
    report = ingest_paths(store, [tmp_path / "Zotero"], run_stages=False)
    assert report.failed == []
    assert sorted(report.added) == ["zotero:LONEPDF1", "zotero:LONEPDF1#LONEPDF1"]
    kinds = {c["text"]: c["kind"] for c in store.claims(document="zotero:LONEPDF1")}
    assert kinds["apparent emergent abilities"] == "quote" and kinds["Metric!"] == "comment"


def test_a_comment_is_linked_to_its_highlight_in_the_exports(
    tmp_path: Path, lib: SampleLibrary
) -> None:
    """The comment claim points at the highlight claim it comments on (GraphML and Turtle)."""
    import networkx as nx
    import rdflib

    from emlit.graph.build import build_graph
    from emlit.graph.export import export_graph

    with Store(tmp_path / "z.db") as store:
        _ingest(store, lib)
        pairs = store.comment_links()
        texts = store.texts([c for pair in pairs for c in pair])
        graph = build_graph(store)
        export_graph(store, "graphml", tmp_path / "g.graphml")
        export_graph(store, "turtle", tmp_path / "g.ttl")
    assert pairs
    assert any(COMMENT in texts[comment] for comment, _ in pairs)
    comment, highlight = pairs[0]
    assert texts[comment] != texts[highlight]
    assert graph.has_edge(f"claim:{comment}", f"claim:{highlight}")
    assert not graph.has_edge(f"claim:{highlight}", f"claim:{comment}")
    kinds = [d["kind"] for _, _, d in nx.read_graphml(tmp_path / "g.graphml").edges(data=True)]
    assert kinds.count("comments_on") == len(pairs)
    rdf = rdflib.Graph().parse(tmp_path / "g.ttl")
    pred = rdflib.URIRef("https://w3id.org/emlit/vocab#commentsOn")
    assert len(list(rdf.triples((None, pred, None)))) == len(pairs)


@pytest.mark.anyio
async def test_the_tui_filters_by_collection_and_tag(tmp_path: Path, lib: SampleLibrary) -> None:
    """The claims screen offers the library's collections and tags, and narrows to them."""
    from emlit.store import ClaimFilter
    from emlit.tui.app import make_app
    from emlit.tui.widgets.claims_table import ClaimsTable
    from emlit.tui.widgets.filter_bar import FilterBar

    db = tmp_path / "z.db"
    with Store(db) as store:
        _ingest(store, lib)
        expected = {c["id"] for c in store.claims(collection="Metrics")}
        tagged = {c["id"] for c in store.claims(tag="todo")}
    assert expected and tagged and expected != tagged
    app = make_app(str(db), deterministic=True)
    async with app.run_test(size=(150, 36)) as pilot:
        bar = app.screen.query_one(FilterBar)
        shelf = bar.query_one("#shelf")
        assert shelf.display  # shown because the store holds collections and tags
        offered = {value for _, value in shelf._options}  # type: ignore[attr-defined]
        assert {"collection:Emergence/Metrics", "tag:todo"} <= offered
        table = app.screen.query_one(ClaimsTable)
        for f, ids in (
            (ClaimFilter(collection="Emergence/Metrics"), expected),
            (ClaimFilter(tag="todo"), tagged),
        ):
            bar.set_value(f)
            await pilot.pause()
            shown = {table.row(i).id for i in range(table.total)}  # type: ignore[union-attr]
            assert shown == ids, f
