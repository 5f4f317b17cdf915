"""`emlit watch`: which changes matter (in-process), applying them to the store, and the real
command in a subprocess following real file changes until SIGINT / SIGTERM."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from watchfiles import Change

from emlit.store import Store
from emlit.watch import (
    FOLDER,
    INGEST,
    LIBRARY,
    REMOVE,
    Action,
    Watcher,
    WatchEvent,
    WatchRoot,
    classify,
    identity_exists,
    plan,
)

REPO = Path(__file__).resolve().parents[1]

CLAIM_A = "Emergent abilities are not present in smaller models but are present in larger models."
CLAIM_B = "Few-shot performance on many tasks jumps sharply and unpredictably at a certain scale."
CLAIM_C = "Schaeffer et al. argue that emergent abilities are a mirage caused by the metric."

BIB = f"""@article{{wei2022,
  title = {{Emergent Abilities of Large Language Models}},
  author = {{Wei, Jason}},
  year = {{2022}},
  abstract = {{{CLAIM_A}}}
}}

@article{{schaeffer2023,
  title = {{Are Emergent Abilities of Large Language Models a Mirage?}},
  author = {{Schaeffer, Rylan}},
  year = {{2023}},
  abstract = {{{CLAIM_C}}}
}}
"""


# -- which changes matter -----------------------------------------------------------------


def _kinds(actions: list[Action], base: Path) -> list[tuple[str, str]]:
    return [(a.kind, a.path.relative_to(base).as_posix()) for a in actions]


def test_plan_keeps_supported_files_and_drops_temp_hidden_and_unsupported(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "node_modules").mkdir(parents=True)
    (notes / ".obsidian").mkdir()
    names = [
        "a.md",
        "b.pdf",
        "c.xyz",
        "a.md~",
        ".a.md.swp",
        "#a.md#",
        ".#a.md",
        "a.md.tmp",
        "4913",
        ".hidden.md",
        "node_modules/x.md",
        ".obsidian/workspace.md",
    ]
    for name in names:
        (notes / name).write_text("x", encoding="utf-8")
    roots = [WatchRoot.of(notes)]
    changes = {(Change.modified, str(notes / n)) for n in names}
    assert _kinds(plan(changes, roots), notes) == [(INGEST, "a.md"), (INGEST, "b.pdf")]


def test_the_state_on_disk_decides_not_the_event(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "saved.md").write_text("x", encoding="utf-8")
    roots = [WatchRoot.of(notes)]
    changes = {
        # an editor's save by rename: deleted, then created again
        (Change.deleted, str(notes / "saved.md")),
        (Change.added, str(notes / "saved.md")),
        # created and deleted within one burst, and deleted: both are gone now
        (Change.added, str(notes / "gone.md")),
        (Change.deleted, str(notes / "deleted.md")),
    }
    assert _kinds(plan(changes, roots), notes) == [
        (REMOVE, "deleted.md"),
        (REMOVE, "gone.md"),
        (INGEST, "saved.md"),
    ]


def test_a_new_folder_is_read_whole_but_a_modified_one_is_not(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "moved-in").mkdir(parents=True)
    (notes / "moved-in" / "x.md").write_text("x", encoding="utf-8")
    roots = [WatchRoot.of(notes)]
    added = {
        (Change.added, str(notes / "moved-in")),
        (Change.added, str(notes / "moved-in" / "x.md")),
    }
    assert _kinds(plan(added, roots), notes) == [(FOLDER, "moved-in")]
    assert plan({(Change.modified, str(notes / "moved-in"))}, roots) == []


def test_a_zotero_library_is_one_path(tmp_path: Path) -> None:
    zotero = tmp_path / "Zotero"
    (zotero / "storage" / "ABCD1234").mkdir(parents=True)
    for name in ("zotero.sqlite", "zotero.sqlite-wal", "zotero.sqlite-journal", "prefs.md"):
        (zotero / name).write_text("x", encoding="utf-8")
    (zotero / "storage" / "ABCD1234" / "paper.pdf").write_text("x", encoding="utf-8")
    for roots in ([WatchRoot.of(zotero)], [WatchRoot.of(tmp_path)]):
        for name, expected in [
            ("zotero.sqlite", [(LIBRARY, "Zotero")]),
            ("zotero.sqlite-wal", [(LIBRARY, "Zotero")]),
            ("storage/ABCD1234/paper.pdf", [(LIBRARY, "Zotero")]),
            ("zotero.sqlite-journal", []),
            ("prefs.md", []),  # not a loose note: the library is read from its database
        ]:
            changes = {(Change.modified, str(zotero / name))}
            assert _kinds(plan(changes, roots), tmp_path) == expected, (roots, name)
    # a library named by its database is watched as its folder
    assert WatchRoot.of(zotero / "zotero.sqlite") == WatchRoot(zotero.resolve(), True)


def test_a_file_root_sees_only_that_file_and_the_database_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text("x", encoding="utf-8")
    (tmp_path / "other.md").write_text("x", encoding="utf-8")
    roots = [WatchRoot.of(tmp_path / "refs.bib")]
    assert classify(tmp_path / "other.md", roots) is None
    assert classify(tmp_path / "refs.bib", roots) == Action(
        INGEST, tmp_path / "refs.bib", tmp_path / "refs.bib"
    )
    (tmp_path / "refs.bib").unlink()
    assert classify(tmp_path / "refs.bib", roots) == Action(
        REMOVE, tmp_path / "refs.bib", tmp_path / "refs.bib"
    )
    folder_roots = [WatchRoot.of(tmp_path)]
    db = str(tmp_path / "emlit.db")
    assert plan({(Change.modified, db)}, folder_roots, ignore={db}) == []


def test_log_lines() -> None:
    at = datetime(2024, 5, 1, 12, 3, 4)
    assert (
        WatchEvent("updated", "notes/wei2022.md", 14, 2, at=at).line()
        == "12:03:04 updated notes/wei2022.md: 14 claims (2 new)"
    )
    assert WatchEvent("added", "a.md", 1, 1, at=at).line() == "12:03:04 added a.md: 1 claim (1 new)"
    assert WatchEvent("removed", "a.md", 3, at=at).line() == "12:03:04 removed a.md: 3 claims"
    assert (
        WatchEvent("removed", "refs.bib", 5, documents=2, at=at).line()
        == "12:03:04 removed refs.bib: 2 documents, 5 claims"
    )
    assert WatchEvent("removed", "zotero:ABCD1234", None, at=at).line() == (
        "12:03:04 removed zotero:ABCD1234"
    )
    assert (
        WatchEvent("failed", "b.pdf", reason="not a readable PDF", at=at).line()
        == "12:03:04 failed b.pdf: not a readable PDF"
    )


def test_identity_exists(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text("x", encoding="utf-8")
    (tmp_path / "C#.md").write_text("x", encoding="utf-8")
    assert identity_exists(str(tmp_path / "refs.bib") + "#wei2022")
    assert identity_exists(str(tmp_path / "C#.md"))
    assert not identity_exists(str(tmp_path / "gone.md"))
    assert not identity_exists(str(tmp_path / "gone.bib") + "#wei2022")


# -- applying them to the store (in process, no watching) ---------------------------------


def _note(path: Path, *sentences: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")


def test_actions_update_and_remove_documents(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    notes = tmp_path / "notes"
    _note(notes / "a.md", CLAIM_A)
    _note(notes / "sub" / "b.md", CLAIM_B)
    _note(notes / "sub" / "c.md", CLAIM_C)
    events: list[WatchEvent] = []
    with Store(tmp_path / "emlit.db") as store:
        watcher = Watcher(store, [notes], run_stages=False, on_event=events.append)
        report = watcher.initial_ingest()
        assert len(report.added) == 3 and store.stats()["claims"] == 3

        _note(notes / "a.md", CLAIM_A, CLAIM_C)
        watcher.apply(Action(INGEST, notes / "a.md", notes))
        assert [(e.kind, e.path, e.claims, e.new) for e in events] == [
            ("updated", "notes/a.md", 2, 1)
        ]

        # a folder deleted at once: everything stored from it goes, as one line
        for name in ("b.md", "c.md"):
            (notes / "sub" / name).unlink()
        (notes / "sub").rmdir()
        events.clear()
        watcher.apply(Action(REMOVE, notes / "sub", notes))
        assert [e.line()[9:] for e in events] == [
            f"removed notes{os.sep}sub{os.sep}: 2 documents, 2 claims"
        ]
        assert [d["display_path"] for d in store.documents()] == ["notes/a.md"]

        # a folder moved in is read whole; a BibTeX file deleted takes all its entries along
        _note(tmp_path / "elsewhere" / "e.md", CLAIM_B)
        (tmp_path / "elsewhere" / "e.md~").write_text(CLAIM_C, encoding="utf-8")
        (tmp_path / "elsewhere").rename(notes / "moved")
        (notes / "refs.bib").write_text(BIB, encoding="utf-8")
        events.clear()
        watcher.apply(Action(FOLDER, notes / "moved", notes))
        watcher.apply(Action(INGEST, notes / "refs.bib", notes))
        assert [(e.kind, e.path, e.claims) for e in events] == [
            ("added", "notes/moved/e.md", 1),
            ("added", "notes/refs.bib", 2),
        ]
        (notes / "refs.bib").unlink()
        (notes / "moved" / "e.md").unlink()
        events.clear()
        watcher.apply(Action(REMOVE, notes / "refs.bib", notes))
        assert [e.line()[9:] for e in events] == ["removed notes/refs.bib: 2 documents, 2 claims"]
        watcher.apply(Action(REMOVE, notes / "moved" / "e.md", notes))

        # a path that held nothing: no line
        events.clear()
        watcher.apply(Action(REMOVE, notes / "never.md", notes))
        assert events == []

        # a file deleted while nobody watched is removed by the next start
        (notes / "a.md").unlink()
        _note(notes / "d.md", CLAIM_B)
        events.clear()
        report = Watcher(store, [notes], run_stages=False, on_event=events.append).initial_ingest()
        assert report.added == [str(notes / "d.md")]
        assert [(e.kind, e.path, e.claims) for e in events] == [("removed", "notes/a.md", 2)]
        assert [d["display_path"] for d in store.documents()] == ["notes/d.md"]


def test_a_busy_store_is_reported_once_and_retried(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    notes = tmp_path / "notes"
    _note(notes / "a.md", CLAIM_A)
    events: list[WatchEvent] = []
    with Store(tmp_path / "emlit.db", busy_timeout=0.05) as store:
        watcher = Watcher(store, [notes], run_stages=False, on_event=events.append)
        blocker = Store(tmp_path / "emlit.db")
        blocker.conn.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        action = Action(INGEST, notes / "a.md", notes)
        watcher.apply(action)
        assert [e.kind for e in events] == ["failed"] and "will retry" in events[0].reason
        assert watcher._pending([]) == [action]
        watcher.apply(action)  # still locked: no second line
        assert len(events) == 1
        blocker.conn.rollback()
        blocker.close()
        for pending in watcher._pending([]):
            watcher.apply(pending)
        assert [e.kind for e in events] == ["failed", "added"]
        assert watcher.retry == {}


# -- the real command ----------------------------------------------------------------------


class Running:
    """``emlit watch`` in a subprocess, its stdout read line by line in a thread."""

    def __init__(self, cwd: Path, db: Path, *paths: str) -> None:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "emlit",
                "--db",
                str(db),
                "watch",
                "--no-stages",
                "--debounce",
                "200",
                *paths,
            ],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert self.proc.stdout is not None
        stdout = self.proc.stdout

        def read() -> None:
            for line in stdout:
                self.lines.put(line.rstrip("\n"))

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()

    def next_line(self, timeout: float = 30.0) -> str:
        """The next line on stdout; fails after ``timeout`` seconds."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.proc.kill()
            raise AssertionError(f"no line within {timeout} s; so far: {self.seen}") from None
        self.seen.append(line)
        return line

    def wait_for(self, fragment: str, timeout: float = 30.0) -> list[str]:
        """Lines up to and including the first that contains ``fragment``."""
        deadline = time.monotonic() + timeout
        got = []
        while True:
            got.append(self.next_line(max(0.1, deadline - time.monotonic())))
            if fragment in got[-1]:
                return got

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str, list[str]]:
        """Send ``sig``; the exit status, stderr, and the lines printed since the last read."""
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        self.reader.join(timeout=10)  # stdout is closed: the reader ends
        assert self.proc.stderr is not None
        rest = [self.lines.get_nowait() for _ in range(self.lines.qsize())]
        return code, self.proc.stderr.read(), rest


def _claims(db: Path) -> list[tuple[str, str]]:
    with Store(db) as store:
        return sorted((c["document"], c["text"]) for c in store.claims())


def test_watch_follows_real_file_changes_until_sigint(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    _note(notes / "wei2022.md", CLAIM_A)
    db = tmp_path / "emlit.db"
    run = Running(tmp_path, db, "notes")
    try:
        first = run.wait_for("watching")
        assert first[0].startswith("documents: 1 added") and first[-1].startswith("watching notes/")
        assert _claims(db) == [("notes/wei2022.md", CLAIM_A)]

        _note(notes / "new.md", CLAIM_B)
        line = run.next_line()
        assert line.endswith("added notes/new.md: 1 claim (1 new)"), line
        assert ("notes/new.md", CLAIM_B) in _claims(db)

        _note(notes / "new.md", CLAIM_B, CLAIM_C)
        line = run.next_line()
        assert line.endswith("updated notes/new.md: 2 claims (1 new)"), line
        assert ("notes/new.md", CLAIM_C) in _claims(db)

        # temp, hidden and unsupported files make no line: the next line is the next note's
        for name in ("new.md~", ".new.md.swp", "#new.md#", ".hidden.md", "data.xyz", "4913"):
            (notes / name).write_text(CLAIM_A, encoding="utf-8")
        (notes / "node_modules").mkdir()
        (notes / "node_modules" / "x.md").write_text(CLAIM_A, encoding="utf-8")
        _note(notes / "z-last.md", CLAIM_C)
        line = run.next_line()
        assert line.endswith("added notes/z-last.md: 1 claim (1 new)"), line

        (notes / "new.md").unlink()
        line = run.next_line()
        assert line.endswith("removed notes/new.md: 2 claims"), line
        assert [doc for doc, _ in _claims(db)] == ["notes/wei2022.md", "notes/z-last.md"]
    finally:
        code, stderr, rest = run.stop(signal.SIGINT)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert len(rest) == 1 and rest[0].startswith("stopped after "), rest
    assert rest[0].endswith(": 2 added, 1 updated, 1 removed, 0 failed"), rest


def test_watch_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()  # nothing to read: no language models to load, a quick start
    run = Running(tmp_path, tmp_path / "emlit.db", "empty")
    try:
        run.wait_for("watching")
    finally:
        code, stderr, rest = run.stop(signal.SIGTERM)
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert rest[-1].startswith("stopped after "), rest


@pytest.mark.parametrize("args", [[], ["does-not-exist"]])
def test_watch_needs_existing_paths(tmp_path: Path, args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "emlit", "--db", str(tmp_path / "x.db"), "watch", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


def test_watch_rereads_a_zotero_library_when_zotero_writes(tmp_path: Path) -> None:
    from tests.zotero_support import sample_library

    lib = sample_library(tmp_path / "home")
    db = tmp_path / "emlit.db"
    run = Running(tmp_path, db, str(lib.data_dir))
    try:
        run.wait_for("watching")
        with Store(db) as store:
            before = {c["id"] for c in store.claims()}
        assert before
        # Zotero saves an edited child note: new HTML, a new version and modification time
        zotero = sqlite3.connect(lib.db)
        zotero.execute(
            "UPDATE itemNotes SET note = ? WHERE itemID = ?",
            ['<div data-schema-version="8"><p>Emergent abilities are a mirage of the metric.</p></div>',
             lib.ids["NOTE1WEI"]],
        )  # fmt: skip
        zotero.execute(
            "UPDATE items SET version = version + 1, clientDateModified = '2024-03-02 09:00:00' "
            "WHERE itemID = ?",
            [lib.ids["NOTE1WEI"]],
        )
        zotero.commit()
        zotero.close()
        line = run.next_line()
        assert " updated zotero:WEIABC22#NOTE1WEI: " in line and "(1 new)" in line, line
        with Store(db) as store:
            texts = {c["text"] for c in store.claims()}
        assert "Emergent abilities are a mirage of the metric." in texts
    finally:
        code, stderr, rest = run.stop(signal.SIGINT)
    assert code == 0 and "Traceback" not in stderr, stderr
    assert rest[-1].endswith(": 0 added, 1 updated, 0 removed, 0 failed"), rest
