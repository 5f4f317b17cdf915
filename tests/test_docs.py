"""The docs are tested, as sqlite-utils does: every command is documented and shows an example
in its help, and every "contract N" named in the docs, code or tests exists.

The contracts live outside the repository, in ``../shared/contracts.md`` beside the checkout
(as the seed documents do, see README "Two commands"); the test fails if that file is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from emlit.cli.main import COMMANDS, cli

REPO = Path(__file__).resolve().parents[1]
CONTRACTS = REPO.parent / "shared" / "contracts.md"
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# Where a contract may be named: the docs, the package (code and bundled text) and the tests.
CITING = [
    *REPO.glob("*.md"),
    *(REPO / "docs").rglob("*.md"),
    *(p for p in (REPO / "emlit").rglob("*") if p.suffix in {".py", ".md", ".html", ".yaml"}),
    *(REPO / "tests").rglob("*.py"),
    *(REPO / "bench").rglob("*.py"),
]


def command_paths() -> list[tuple[str, ...]]:
    """("ingest",), ("poll",), ("poll", "create"), ...: every command and subcommand."""
    paths: list[tuple[str, ...]] = []
    ctx = click.Context(cli)
    for name in sorted(COMMANDS):
        command = cli.get_command(ctx, name)
        assert command is not None, f"COMMANDS names {name!r} but it does not load"
        paths.append((name,))
        if isinstance(command, click.Group):
            paths += [(name, sub) for sub in sorted(command.commands)]
    return paths


def _param(path: tuple[str, ...]) -> object:
    return pytest.param(path, id=" ".join(path))


def mentions(text: str, path: tuple[str, ...]) -> bool:
    """Does ``text`` show the command run, e.g. ``emlit poll create`` or ``emlit --db x tui``?"""
    words = r"\s+".join(map(re.escape, path))
    return re.search(rf"\bemlit(\s+--db\s+\S+)?\s+{words}\b", text) is not None


def test_every_command_loads_and_is_found() -> None:
    paths = command_paths()
    assert ("poll", "create") in paths and ("ingest",) in paths
    assert len(paths) >= len(COMMANDS) + 5


@pytest.mark.parametrize("path", [pytest.param(p, id=" ".join(p)) for p in command_paths()])
def test_command_is_documented(path: tuple[str, ...]) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in DOCS)
    assert mentions(text, path), (
        f"`emlit {' '.join(path)}` is in no doc: add it to README.md or docs/*.md"
    )


@pytest.mark.parametrize("path", [_param(p) for p in command_paths()])
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_shows_an_example(path: tuple[str, ...], flag: str) -> None:
    result = CliRunner().invoke(cli, [*path, flag], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    head, _, _ = result.output.partition("\nOptions:")
    # The house convention: an "Example:" (or "Examples:") block in the docstring, with a
    # line that runs this very command.
    marker = re.search(r"^\s*Examples?\b[^\n]*:(.*)", head, re.MULTILINE | re.DOTALL)
    assert marker, f"`emlit {' '.join(path)} {flag}` shows no 'Example:' block"
    assert mentions(marker[1], path), f"the example does not run `emlit {' '.join(path)}`"


# "contract 6", "Contract 4", "contracts 1 and 2", "contracts 1-14", "contracts 3, 5 & 8".
_NUMBERS = r"\d+(?:\s*(?:-|–|to)\s*\d+)?"
CONTRACT_REF = re.compile(
    rf"\bcontracts?\s+({_NUMBERS}(?:\s*(?:,|and|&|or)\s*{_NUMBERS})*)", re.IGNORECASE
)


def contract_numbers(text: str) -> set[int]:
    return {n for _, n in contract_refs(text)}


def contract_refs(text: str) -> list[tuple[int, int]]:
    """(line, contract number) of every reference in ``text``; ranges are expanded."""
    refs = []
    for match in CONTRACT_REF.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        for part in re.findall(_NUMBERS, match[1]):
            ends = [int(n) for n in re.findall(r"\d+", part)]
            refs += [(line, n) for n in range(ends[0], ends[-1] + 1)]
    return refs


def test_contract_reference_parser() -> None:
    assert contract_numbers("as in contract 6 (`emlit stats --json`)") == {6}
    assert contract_numbers("Contracts 1 and 2; contracts 3-5, 8 & 9") == {1, 2, 3, 4, 5, 8, 9}
    assert contract_numbers("contracts 1–3") == {1, 2, 3}
    assert contract_numbers("(contract 2 and held-out macro-F1)") == {2}
    assert contract_numbers("legal contracts, yet") == set()
    assert contract_refs("see the\ncontract\n5 and 7") == [(2, 5), (2, 7)]


def existing_contracts() -> set[int]:
    if not CONTRACTS.is_file():
        pytest.fail(
            f"{CONTRACTS} is missing: the tests need ../shared beside the checkout "
            "(the contracts and the seed documents live there)"
        )
    text = CONTRACTS.read_text(encoding="utf-8")
    return {int(n) for n in re.findall(r"^## (\d+)\.", text, re.MULTILINE)}


def test_every_contract_reference_exists() -> None:
    contracts = existing_contracts()
    assert len(contracts) >= 14, f"{CONTRACTS}: expected '## N.' headings, found {contracts}"
    cited: dict[int, list[str]] = {}
    for path in CITING:
        for line, n in contract_refs(path.read_text(encoding="utf-8")):
            cited.setdefault(n, []).append(f"{path.relative_to(REPO)}:{line}")
    assert len(cited) >= 5, f"the scan found almost no references ({sorted(cited)})"
    unknown = {n: where for n, where in cited.items() if n not in contracts}
    assert unknown == {}, f"no such contract in {CONTRACTS}: {unknown}"


def test_docs_paths_named_in_the_repository_exist() -> None:
    """``docs/evidence.md`` and the like, named anywhere, are real files."""
    missing = []
    for path in CITING:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name in re.findall(r"\bdocs/[\w./-]*\w", line):
                if not (REPO / name).exists():
                    missing.append(f"{path.relative_to(REPO)}:{lineno}: {name}")
    assert missing == []
