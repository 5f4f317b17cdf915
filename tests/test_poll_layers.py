"""The poll core never imports the web framework; only emlit.poll.server does."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "emlit.poll.templates",
    "emlit.poll.store",
    "emlit.poll.writer",
    "emlit.poll.stats",
    "emlit.poll.report",
    "emlit.poll.importer",
    "emlit.poll.charts",
    "emlit.poll.lan",
    "emlit.cli.poll",
]


def loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_core_modules_do_not_import_starlette_or_uvicorn() -> None:
    code = "\n".join(f"import {m}" for m in CORE)
    code += "\nfrom emlit.poll.stats import analyse, poll_results, pool_results"
    mods = loaded_after(code)
    assert "emlit.poll.stats" in mods
    web = sorted(m for m in mods if m.split(".")[0] in ("starlette", "uvicorn", "textual"))
    assert web == []


def test_server_module_is_where_starlette_lives() -> None:
    mods = loaded_after("import emlit.poll.server")
    assert "starlette.applications" in mods
    assert "torch" not in mods and "spacy" not in mods and "sentence_transformers" not in mods
