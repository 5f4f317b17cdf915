"""Contract 10: the per-file work on local worker processes and on Dask gives exactly the
store one process gives; a Dask worker killed mid-run loses or duplicates nothing."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from emlit.ingest import ingest_paths
from emlit.store import Store, StoreReader

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from store_digest import digest  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "pdfs", Path(__file__).parent / "fixtures" / "other" / "pdfs.py"
)
assert _spec and _spec.loader
pdfs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pdfs)

EN = [
    "Emergent abilities are abilities that are not present in smaller models but are present "
    "in larger models. They cannot be predicted by extrapolating the performance of smaller "
    "models, which is why they surprised the community.",
    "Schaeffer and colleagues argue that emergent abilities are a mirage created by the choice "
    "of a nonlinear metric; with token edit distance the curves become smooth.",
]
ZH = [
    "大模型的涌现能力是指在小模型中没有表现出来，但是在大模型中表现出来的能力。",
    "斯坦福大学的研究人员认为涌现能力是海市蜃楼，它来自于研究者选择的不连续的评价指标。",
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five seeds, two two-column papers (English, Chinese) and a bad PDF."""
    from conftest import SEED_FILES, SEEDS

    folder = tmp_path_factory.mktemp("library")
    for source, name in SEED_FILES.items():
        shutil.copy(SEEDS / source, folder / name)
    papers = folder / "papers"
    papers.mkdir()
    pdfs.two_column(papers / "en.pdf", "Emergence Revisited", EN, EN[::-1], "Helvetica")
    pdfs.two_column(papers / "zh.pdf", "大模型涌现能力综述", ZH, ZH[::-1], pdfs.CJK_FONT)
    (papers / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage <<>> endobj\ntrailer\n%%EOF\n")
    return folder


def ingest(db: Path, paths: list[Path], **kw: object) -> dict[str, object]:
    with Store(db) as store:
        report = ingest_paths(store, paths, **kw)  # type: ignore[arg-type]
    return {
        "added": sorted(report.added),
        "failed": sorted(report.failed),
        "claims": report.claims_found,
        "ran_on": report.ran_on,
    }


@pytest.fixture(scope="module")
def one_process(library: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    """The reference: everything in this process (--workers 1)."""
    db = tmp_path_factory.mktemp("one") / "one.db"
    report = ingest(db, [library], workers=1)
    assert report["ran_on"] == "this process"
    return report, digest(str(db))


@pytest.mark.slow
def test_two_worker_processes_give_the_store_of_one(
    library: Path, one_process: tuple[dict, dict], tmp_path: Path
) -> None:
    reference, expected = one_process
    assert reference["claims"] > 40 and len(reference["failed"]) == 1
    report = ingest(tmp_path / "two.db", [library], workers=2)
    assert report["ran_on"] == "2 worker processes"
    assert {k: v for k, v in report.items() if k != "ran_on"} == {
        k: v for k, v in reference.items() if k != "ran_on"
    }
    got = digest(str(tmp_path / "two.db"))
    assert got == expected  # claims, offsets, tags, scores, links, embeddings, stances
    assert got["tags"][0] > 0 and got["claim_embeddings"][0] == got["claims"][0]
    assert got["stances"][0] == got["claims"][0]
    # Unchanged files are skipped by their hash before any worker starts.
    with Store(tmp_path / "two.db") as store:
        again = ingest_paths(store, [library], workers=2)
    assert again.ran_on == "this process" and len(again.unchanged) == 7
    assert again.new_claim_ids == [] and digest(str(tmp_path / "two.db")) == expected


def test_a_bad_file_is_named_and_the_others_stored_by_the_workers(
    library: Path, tmp_path: Path
) -> None:
    with Store(tmp_path / "e.db") as store:
        report = ingest_paths(store, [library], workers=2, run_stages=False)
        assert report.ran_on == "2 worker processes"
        assert report.failed == [
            (str(library / "papers" / "broken.pdf"), "not a readable PDF (Data format error)")
        ]
        assert len(report.added) == 7 and store.stats()["documents"] == 7
        assert report.pages == 2


def test_automatic_worker_count_keeps_a_small_batch_in_this_process(
    library: Path, tmp_path: Path
) -> None:
    report = ingest(tmp_path / "a.db", [library], workers=None, run_stages=False)
    assert report["ran_on"] == "this process"


@pytest.mark.slow
def test_dask_local_cluster_gives_the_store_of_one_process(
    library: Path, one_process: tuple[dict, dict], tmp_path: Path
) -> None:
    from distributed import LocalCluster

    reference, expected = one_process
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        report = ingest(tmp_path / "dask.db", [library], dask=address)
    assert report["ran_on"] == f"Dask cluster at {address}"
    assert reference["claims"] > 40 and report["claims"] == reference["claims"]
    assert report["failed"] == reference["failed"] and report["added"] == reference["added"]
    assert digest(str(tmp_path / "dask.db")) == expected


# -- a real cluster: `dask scheduler` and two `dask worker` processes, one killed ----------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A scheduler and two single-threaded workers on 127.0.0.1 (no nanny: a killed worker
    stays dead), each file made to take 0.3 s so that a run can be interrupted."""
    dask = str(Path(sys.executable).with_name("dask"))
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "EMLIT_INGEST_TEST_DELAY": "0.3", "HF_HUB_OFFLINE": "1"}
    log = (tmp_path / "dask.log").open("wb")
    procs = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=log,
            stderr=log,
            env=env,
        )
    ]
    try:
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        *(dask, "worker", address, "--nthreads", "1", "--no-nanny"),
                        *("--no-dashboard", "--host", "127.0.0.1"),
                    ],
                    stdout=log,
                    stderr=log,
                    env=env,
                )
            )
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address, procs
    finally:
        for proc in reversed(procs):
            _stop(proc)
        log.close()


def stored(db: Path) -> int:
    """Documents stored so far by another process (0 while it is still creating the store)."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return int(StoreReader(conn).stats()["documents"])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


@pytest.mark.slow
def test_a_dask_worker_killed_mid_run_loses_and_duplicates_nothing(
    cluster: tuple[str, list[subprocess.Popen[bytes]]], tmp_path: Path
) -> None:
    address, procs = cluster
    from conftest import SEED_FILES, SEEDS

    notes = tmp_path / "notes"
    notes.mkdir()
    texts = [(SEEDS / source).read_text(encoding="utf-8") for source in SEED_FILES]
    for i in range(24):  # 24 notes, each a seed with its own first line
        (notes / f"n{i:02d}.txt").write_text(f"Note {i}.\n\n{texts[i % 5]}", encoding="utf-8")
    db = tmp_path / "dask.db"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("EMLIT_DB", None)
    run = subprocess.Popen(
        [
            *(sys.executable, "-m", "emlit", "--db", str(db), "ingest", "--no-stages"),
            *(str(notes), "--dask", address),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    victim = procs[1]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and run.poll() is None:
            if stored(db) >= 4:
                break
            time.sleep(0.1)
        if run.poll() is not None:
            out, err = run.communicate()
            pytest.fail(f"the run ended before a worker could be killed: {out!r} {err!r}")
        victim.send_signal(signal.SIGKILL)  # mid-run: it holds a file in work
        out, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0, err.decode()
    assert victim.poll() is not None
    assert "24 added" in out.decode() and "0 failed" in out.decode()

    clean = tmp_path / "clean.db"
    ingest(clean, [notes], workers=1, run_stages=False)
    assert digest(str(db)) == digest(str(clean))


# -- the command line -----------------------------------------------------------------------


def emlit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}
    env.pop("EMLIT_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "emlit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_workers_option_summary_line_and_quiet_progress(library: Path, tmp_path: Path) -> None:
    done = emlit(
        "--db", "e.db", "ingest", "--no-stages", "--workers", "2", str(library), cwd=tmp_path
    )
    assert done.returncode == 1, done.stderr  # the broken PDF
    lines = done.stdout.splitlines()
    assert lines[0].startswith("documents: 7 added, 0 unchanged, 0 updated, 1 failed; claims")
    summary = [ln for ln in lines if ln.startswith("ingested ")]
    assert len(summary) == 1 and " files (2 pages, " in summary[0]
    assert "on 2 worker processes: " in summary[0] and summary[0].endswith(" claims/s")
    assert "reading" not in done.stderr  # no progress bars when not on a terminal

    bad = emlit("--db", "e.db", "ingest", "--workers", "0", str(library), cwd=tmp_path)
    assert bad.returncode == 2 and "--workers" in bad.stderr
    both = emlit("ingest", "--workers", "2", "--dask", "tcp://127.0.0.1:1", ".", cwd=tmp_path)
    assert both.returncode == 2 and "choose one" in both.stderr


def test_worker_processes_leave_when_the_ingest_is_killed(tmp_path: Path) -> None:
    """SIGKILL skips the pool's shutdown: the spawned workers must not outlive their parent."""
    import psutil
    from conftest import SEED_FILES, SEEDS

    notes = tmp_path / "notes"
    notes.mkdir()
    for i, source in enumerate(list(SEED_FILES) * 2):
        (notes / f"n{i:02d}.txt").write_text((SEEDS / source).read_text("utf-8"), "utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "EMLIT_INGEST_TEST_DELAY": "2"}
    env.pop("EMLIT_DB", None)
    run = subprocess.Popen(
        [
            *(sys.executable, "-m", "emlit", "--db", str(tmp_path / "k.db"), "ingest"),
            *("--no-stages", "--workers", "2", str(notes)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        parent = psutil.Process(run.pid)
        deadline = time.monotonic() + 120
        workers: list[psutil.Process] = []
        while time.monotonic() < deadline and len(workers) < 2 and run.poll() is None:
            time.sleep(0.2)
            workers = [
                p
                for p in parent.children(recursive=True)
                if "resource_tracker" not in " ".join(p.cmdline())
            ]
        assert len(workers) >= 2, "the pool's workers never started"
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        _gone, alive = psutil.wait_procs(workers, timeout=20)
    finally:
        if run.poll() is None:
            run.kill()
    for proc in alive:  # do not leave them behind whatever the verdict
        proc.kill()
    assert not alive, f"{len(alive)} worker process(es) outlived the killed ingest"


def test_a_zotero_library_on_two_workers_gives_the_store_of_one(tmp_path: Path) -> None:
    """Contract 13's source goes through the same per-file work: its attachments, notes and
    items are built on the workers and written in order."""
    from emlit.zotero import ZoteroOptions
    from tests.zotero_support import sample_library

    lib = sample_library(tmp_path / "zotero")
    options = ZoteroOptions(base_dir=lib.base_dir)
    digests, reports = [], []
    for workers in (1, 2):
        db = tmp_path / f"z{workers}.db"
        with Store(db) as store:
            report = ingest_paths(
                store, [lib.data_dir], workers=workers, run_stages=False, zotero=options
            )
        reports.append((sorted(report.added), sorted(report.failed), report.claims_found))
        digests.append(digest(str(db)))
    assert reports[0] == reports[1] and reports[0][2] > 0
    assert digests[0] == digests[1]
