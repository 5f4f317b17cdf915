"""Layering: the TUI never loads the model stack, and the core never loads Textual.

Both run in a fresh interpreter, because this test process has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
HEAVY = ("torch", "sentence_transformers", "spacy", "sklearn")

VISIT_EVERY_SCREEN = """
import asyncio, json, sys
sys.path.insert(0, {tests!r})
from tui_data import build_sample
from emlit.store import Store
from emlit.poll.store import create_poll
from emlit.poll.templates import load_template
from emlit.tui.app import make_app

with Store({db!r}) as store:
    build_sample(store)
    create_poll(store, load_template("emergence"), title="t")

async def visit():
    app = make_app({db!r}, deterministic=True, poll_url="http://192.0.2.1:8765/")
    async with app.run_test(size=(120, 36)) as pilot:
        for keys in (["enter"], ["e"], ["escape", "o"], ["escape", "escape", "r", "3", "u"],
                     ["escape", "f3", "enter"], ["escape", "f4"], ["f1"]):
            await pilot.press(*keys)
            await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        return type(app.screen).__name__

screen = asyncio.run(visit())
print(json.dumps({{"last": screen, "loaded": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def test_the_tui_never_imports_torch_sentence_transformers_or_spacy(tmp_path: Path) -> None:
    script = VISIT_EVERY_SCREEN.format(tests=str(TESTS), db=str(tmp_path / "t.db"), heavy=HEAVY)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["last"] == "HelpScreen"  # it really went through the screens
    assert result["loaded"] == []


CORE_IMPORTS = """
import importlib, json, pkgutil, sys
import emlit
names = sorted(
    m.name for m in pkgutil.walk_packages(emlit.__path__, "emlit.")
    if not (m.name == "emlit.tui" or m.name.startswith("emlit.tui."))
    and not m.name.endswith(".__main__")  # importing it would run the CLI
)
culprits, failed = [], {}
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = repr(exc)
        continue
    if "textual" in sys.modules and not culprits:
        culprits.append(name)
print(json.dumps({"checked": names, "culprits": culprits, "failed": failed}))
"""


def test_no_core_module_imports_textual() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CORE_IMPORTS], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "emlit.store" in result["checked"] and "emlit.cli.tui" in result["checked"]
    assert result["failed"] == {}
    assert result["culprits"] == []
