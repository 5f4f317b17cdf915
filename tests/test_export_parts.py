"""A streamed export written in parts, one process each (emlit/graph/parts.py): the file is
byte for byte what one process writes, in every streamed format, on the store of every
kind of node and edge and on the store of awkward text; the parts are cut between
documents; a worker that fails or is killed costs its part being written again, never a
wrong file; nothing temporary is left beside the output."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner

from emlit.cli.main import cli
from emlit.graph import parts, stream
from emlit.graph.parts import Part, in_parts, plan
from emlit.store import Store, StoreReader
from tests.test_export_stream import _note, awkward, store  # noqa: F401  (fixtures)

WRITERS: dict[str, Callable[..., object]] = {
    "json": stream.write_json,
    "graphml": stream.write_graphml,
    "turtle": stream.write_turtle,
}


def _written(s: Store, fmt: str, workers: int, path: Path) -> tuple[bytes, object]:
    with open(path, "w", encoding="utf-8") as fh:
        counted = WRITERS[fmt](stream.MapStream(s), fh, workers, min_claims=1)
    return path.read_bytes(), counted


@pytest.mark.parametrize("fmt", list(WRITERS))
@pytest.mark.parametrize("which", ["store", "awkward"])
def test_parts_write_the_file_one_process_writes(
    fmt: str, which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    s = request.getfixturevalue(which)
    assert len(plan(s, 3, min_claims=1)) >= 2  # the claims really are cut into parts
    one, counted_one = _written(s, fmt, 1, tmp_path / "one")
    three, counted_three = _written(s, fmt, 3, tmp_path / "three")
    assert three == one and counted_three == counted_one
    if fmt == "turtle":  # the reified links are numbered 0, 1, ... across the parts
        numbers = [int(n) for n in re.findall(rb"/link/(\d+)> a rdf:Statement", three)]
        assert numbers == list(range(len(numbers))) and len(numbers) >= 4
    assert sorted(os.listdir(tmp_path)) == ["one", "three"]  # no part left behind


@pytest.fixture()
def library(tmp_path: Path) -> Store:
    """Ten documents of 1 to 10 claims."""
    s = Store(tmp_path / "lib.db")
    for i in range(10):
        _note(s, f"doc{i}", [f"Claim {j} of document {i} about scale." for j in range(i + 1)])
    return s


def test_parts_are_cut_between_documents_in_about_equal_sizes(library: Store) -> None:
    per_document = dict(library.claims_per_document())
    assert sum(per_document.values()) == 55
    cut = plan(library, 2, min_claims=1)
    assert len(cut) == 2
    sizes = [sum(n for d, n in per_document.items() if p.holds(d)) for p in cut]
    assert sum(sizes) == 55 and abs(sizes[0] - sizes[1]) <= 10  # a document is not split
    for d in per_document:  # every document in exactly one part
        assert sum(p.holds(d) for p in cut) == 1
    three = plan(library, 3, min_claims=1)
    assert len(three) == 3 and three[0].first < three[1].first < three[2].first
    # The claims read for the parts are the claims, each once, in the same order.
    ids = [r[0] for p in three for r in library.iter_map_claims(text=False, documents=p.documents)]
    assert ids == [r[0] for r in library.iter_map_claims(text=False)]


def test_one_part_when_one_worker_a_small_store_or_no_file(library: Store) -> None:
    assert plan(library, 1, min_claims=1) == [Part(*parts._ALL)]
    assert len(plan(library, 4, min_claims=30)) == 1  # 55 claims: one part of at least 30
    assert len(plan(library, 4, min_claims=10)) == 4
    assert len(plan(library, 4)) == 1  # the default minimum is far above 55
    memory = Store(":memory:")
    _note(memory, "m", [f"Claim {j}." for j in range(50)])
    assert len(plan(memory, 4, min_claims=1)) == 1


def _ids_section(reader: StoreReader, part: Part, files: list[IO[str]]) -> tuple[int, int]:
    """A small section: the part's claim ids to the body, its documents to the trailer."""
    rows = list(reader.iter_map_claims(text=False, documents=part.documents))
    files[0].write("".join(f"{r[0]}\n" for r in rows))
    files[1].write("".join(f"{r[1]}\n" for r in rows))
    return len(rows), len({r[1] for r in rows})


def _joined(
    s: Store, section: Callable[..., tuple[int, int]], out: Path, warnings: list[str]
) -> tuple[str, list]:
    cut = plan(s, 3, min_claims=1)
    with (
        open(out, "w", encoding="utf-8") as fh,
        in_parts(s, cut, section, fh, 1, warnings) as (counts, trails),
    ):
        fh.write("--\n")
        for f in trails[0]:
            parts.append(fh, f)
    return out.read_text(encoding="utf-8"), counts


@pytest.mark.parametrize("how", ["raises", "killed"])
def test_a_failed_or_killed_worker_costs_its_part_written_again(
    library: Store, tmp_path: Path, how: str
) -> None:
    parent = os.getpid()

    def breaking(reader: StoreReader, part: Part, files: list[IO[str]]) -> tuple[int, int]:
        if os.getpid() != parent:  # only in the workers: the parent writes their parts
            files[0].write("half a part")
            if how == "killed":
                os.kill(os.getpid(), signal.SIGKILL)
            raise RuntimeError("a worker broke")
        return _ids_section(reader, part, files)

    fine: list[str] = []
    warned: list[str] = []
    expected, counts = _joined(library, _ids_section, tmp_path / "good.txt", fine)
    got, got_counts = _joined(library, breaking, tmp_path / "broken.txt", warned)
    assert got == expected and got_counts == counts
    assert fine == [] and len(warned) == 2  # each broken worker is said, with why
    why = "killed by signal 9" if how == "killed" else "RuntimeError: a worker broke"
    assert all(why in w and "this process wrote that part" in w for w in warned), warned
    assert sum(c[0] for c in counts) == 55 and len(counts) == 3
    assert "half a part" not in got


def test_cli_export_with_workers_writes_the_same_file(
    library: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts, "MIN_CLAIMS_PER_PART", 1)
    db = library.path
    files = {}
    for workers in ("1", "2"):
        out = tmp_path / f"g{workers}.json"
        result = CliRunner().invoke(
            cli, ["--db", db, "export", "--format", "json", "--out", str(out), "--workers", workers]
        )
        assert result.exit_code == 0, result.output
        assert "streamed" in result.output
        files[workers] = out.read_bytes()
    assert files["2"] == files["1"] and b"doc9-9" in files["2"]
    bad = CliRunner().invoke(
        cli,
        ["--db", db, "export", "--format", "json", "--out", str(tmp_path / "x"), "--workers", "0"],
    )
    assert bad.exit_code == 2 and "--workers" in bad.output
