"""The CLI as users and scripts see it: real subprocesses, stdout, stderr and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def emlit(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200", **(env or {})}
    full_env.pop("EMLIT_DB", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "emlit", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ingest_claims_stats_roundtrip(seed_dir: Path, tmp_path: Path):
    done = emlit("--db", "e.db", "ingest", "--no-stages", str(seed_dir), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "5 added" in done.stdout and "0 failed" in done.stdout
    again = emlit("ingest", "--no-stages", str(seed_dir), "--db", "e.db", cwd=tmp_path)
    assert "0 added, 5 unchanged" in again.stdout

    stats = json.loads(emlit("stats", "--json", cwd=tmp_path, env={"EMLIT_DB": "e.db"}).stdout)
    assert stats["documents"] == 5 and stats["claims"] > 40
    assert set(stats) >= {
        "documents",
        "claims",
        "claims_by_lang",
        "claims_by_definition",
        "links",
        "links_by_relation",
    }

    lines = emlit(
        "--db",
        "e.db",
        "claims",
        "--lang",
        "zh",
        "--search",
        "涌现能力",
        "--format",
        "jsonl",
        cwd=tmp_path,
    ).stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert rows and all("涌现能力" in r["text"] and r["lang"] == "zh" for r in rows)
    assert set(rows[0]) == {
        "id",
        "text",
        "lang",
        "document",
        "section",
        "page",
        "start",
        "end",
        "labels",
        "stance",  # contract 9
        "supports",
        "counters",
    }
    assert all(r["stance"] is None for r in rows)  # --no-stages: no stance model ran

    table = emlit("--db", "e.db", "claims", "--document", "wei2022-notes.md", cwd=tmp_path)
    assert table.returncode == 0 and "claims" in table.stdout.splitlines()[-1]


def test_exit_codes_and_one_line_errors(seed_dir: Path, tmp_path: Path):
    (seed_dir / "broken.pdf").write_bytes(b"not a pdf at all")
    partial = emlit("--db", "e.db", "ingest", "--no-stages", str(seed_dir), cwd=tmp_path)
    assert partial.returncode == 1
    assert "1 failed" in partial.stdout
    assert f"failed: {seed_dir / 'broken.pdf'}:" in partial.stdout
    assert "Traceback" not in partial.stderr + partial.stdout

    usage = emlit("ingest", cwd=tmp_path)
    assert usage.returncode == 2 and "Missing argument" in usage.stderr

    (tmp_path / "notes.db").write_text("plain text, not a database " * 50)
    bad_db = emlit("--db", "notes.db", "stats", cwd=tmp_path)
    assert bad_db.returncode == 1
    assert (
        bad_db.stderr.strip()
        == "emlit: error: notes.db: not an SQLite database (is --db pointing at the right file?)"
    )

    bad_def = emlit("--db", "e.db", "claims", "--definition", "D9", cwd=tmp_path)
    assert bad_def.returncode == 2 and "D9" in bad_def.stderr


@pytest.mark.parametrize("args", [("claims",), ("stats", "--json"), ("analyze",)])
def test_reading_a_missing_store_says_so_and_creates_nothing(args: tuple[str, ...], tmp_path):
    # a mistyped --db must not leave an empty database behind or pass silently
    done = emlit("--db", "typo.db", *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "emlit: no store at typo.db yet" in done.stderr
    assert not (tmp_path / "typo.db").exists()


def test_export_from_a_missing_store_writes_nothing(tmp_path: Path):
    # an empty export would replace a good graph file (or empty a synced vault folder)
    (tmp_path / "graph.json").write_text("the researcher's earlier export", encoding="utf-8")
    done = emlit(
        "--db", "typo.db", "export", "--format", "json", "--out", "graph.json", cwd=tmp_path
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith("emlit: error: no store at typo.db, so nothing was")
    assert (tmp_path / "graph.json").read_text(
        encoding="utf-8"
    ) == "the researcher's earlier export"
    assert not (tmp_path / "typo.db").exists()


def test_ingest_still_creates_the_store(seed_dir: Path, tmp_path: Path):
    done = emlit("--db", "new.db", "ingest", "--no-stages", str(seed_dir), cwd=tmp_path)
    assert done.returncode == 0 and "no store" not in done.stderr
    assert (tmp_path / "new.db").exists()


@pytest.mark.parametrize(
    "module", ["torch", "spacy", "sentence_transformers", "textual", "starlette"]
)
def test_help_starts_without_heavy_imports(module: str, tmp_path: Path):
    code = (
        "import sys\nfrom emlit.cli.main import cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "for name in ['ingest', 'claims', 'stats', 'demo']:\n    cli.get_command(None, name)\n"
        f"print({module!r} in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


def test_claims_explain_says_why(seed_dir: Path, tmp_path: Path):
    from emlit.store import Store

    assert (
        emlit("--db", "e.db", "ingest", "--no-stages", str(seed_dir), cwd=tmp_path).returncode == 0
    )
    with Store(tmp_path / "e.db") as store:
        first, second, third = (r["id"] for r in store.claims(document="wei2022-notes.md", limit=3))
        why = {"cues": ["小模型中没有"], "threshold": 0.4, "score": 0.93, "model": "m1"}
        why["nearest"] = [{"similarity": 0.81, "labels": ["D3"], "text": "只在大模型中出现"}]
        store.set_machine_tags(
            first,
            [
                {"label": "D3", "assigned": True, "score": 0.93, "model": "m1", "explanation": why},
                {"label": "D4", "assigned": False, "score": 0.1, "model": "m1"},
            ],
        )
        store.set_machine_tags(
            second, [{"label": "D4", "assigned": True, "score": 0.7, "model": "m1"}]
        )
        store.set_human_tag(second, "D4", False)

    text = emlit(
        "--db",
        "e.db",
        "claims",
        "--document",
        "wei2022-notes.md",
        "--limit",
        "3",
        "--explain",
        cwd=tmp_path,
    ).stdout
    blocks = {b.split()[0]: b for b in text.strip().split("\n\n")}
    assert "D3: uses (score 0.93, threshold 0.4" in blocks[first]
    assert "“小模型中没有”" in blocks[first] and "~0.81 [D3] 只在大模型中出现" in blocks[first]
    assert "D4: does not use (decided by a human)" in blocks[second]
    assert "not tagged yet" in blocks[third]

    jsonl = emlit(
        "--db",
        "e.db",
        "claims",
        "--limit",
        "3",
        "--document",
        "wei2022-notes.md",
        "--explain",
        "--format",
        "jsonl",
        cwd=tmp_path,
    ).stdout.splitlines()
    rows = {r["id"]: r for r in map(json.loads, jsonl)}
    d3 = next(t for t in rows[first]["explain"] if t["label"] == "D3")
    assert d3["assigned"] is True and d3["explanation"]["cues"] == ["小模型中没有"]
    assert rows[second]["explain"] == [
        {
            "label": "D4",
            "assigned": False,
            "score": 0.0,
            "provenance": "human",
            "model": None,
            "explanation": None,
        }
    ]


@pytest.mark.slow
def test_demo_without_terminal_prints_summary(tmp_path: Path):
    done = emlit("--db", "demo.db", "demo", cwd=tmp_path)  # stdin is not a terminal here
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "5 added, 0 unchanged, 0 updated, 0 failed" in out
    # The notes, and the starter evidence map grouped as one BibTeX file.
    for name in ("rogers2024-sanity-check.md", "wei2022-notes.md", "hit-scir-wechat.txt"):
        assert f"notes/{name}  (" in out
    assert "evidence/bibliography.bib  (" in out and "bibliography.bib#" not in out
    assert "emlit --db demo.db tui" in out
    stats = json.loads(emlit("--db", "demo.db", "stats", "--json", cwd=tmp_path).stdout)
    assert stats["links_by_relation"]["COUNTERS"] > 0 and stats["claims_by_lang"]["zh"] > 100
    assert all(stats["claims_by_definition"][d] > 0 for d in ("D1", "D2", "D3", "D4"))
