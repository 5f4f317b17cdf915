"""The store owns the data: no module outside emlit/store/ (and the poll's own persistence)
runs SQL, and no read of the core tables is written twice."""

from __future__ import annotations

import ast
from pathlib import Path

EMLIT = Path(__file__).resolve().parents[1] / "emlit"
# The poll keeps its own persistence module (design.md); its writer owns its connection.
POLL_PERSISTENCE = {"poll/store.py", "poll/writer.py", "poll/schema.py"}
# Not the emlit database at all: reads Zotero's database, read-only (contract 13).
OTHER_DATABASES = {"zotero/library.py"}
SQL_CALLS = {"execute", "executemany", "executescript", "query", "table"}


def _sql_calls(path: Path, root: Path = EMLIT) -> list[str]:
    """``x.execute(...)``-style calls whose receiver is a connection or a sqlite-utils db."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            receiver = ast.unparse(node.func.value)
            if receiver.split(".")[-1] in {"conn", "_conn", "db", "connection"}:
                found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)[:70]}")
    return found


def test_only_the_store_and_the_poll_persistence_run_sql() -> None:
    offenders = []
    for path in sorted(EMLIT.rglob("*.py")):
        rel = path.relative_to(EMLIT).as_posix()
        if rel.startswith("store/") or rel in POLL_PERSISTENCE or rel in OTHER_DATABASES:
            continue
        offenders += _sql_calls(path)
    assert offenders == []


def test_the_guard_sees_sql(tmp_path: Path) -> None:
    """The check above would notice a stage writing through the store's connection."""
    sample = tmp_path / "stage.py"
    sample.write_text(
        "def f(store):\n    store.conn.execute('DELETE FROM links')\n    store.db.table('t')\n"
    )
    assert len(_sql_calls(sample, tmp_path)) == 2
