"""Human decisions on links (the TUI's review mode) override the map and the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from emlit.errors import EmlitError
from tests.evidence_support import curated_store, local_ids


def test_confirm_correct_reject_and_undo(tmp_path: Path) -> None:
    store = curated_store(tmp_path / "h.db")
    ids = local_ids(store)
    a, b = ids["schaeffer2023.metric"], ids["wei2022.sharp"]
    base = store.stats()["links_by_relation"]

    store.set_human_link(a, b, None, True)  # confirm what the map says
    assert store.stats()["links_by_relation"] == base
    row = store.conn.execute(
        "SELECT relation, state FROM links WHERE provenance = 'human'"
    ).fetchone()
    assert row == ("COUNTERS", "confirmed")

    store.set_human_link(a, b, "SUPPORTS", True)  # correct it
    after = store.stats()["links_by_relation"]
    assert after == {"SUPPORTS": base["SUPPORTS"] + 1, "COUNTERS": base["COUNTERS"] - 1}
    assert (
        store.conn.execute("SELECT count(*) FROM links WHERE provenance = 'human'").fetchone()[0]
        == 1
    )

    store.set_human_link(a, b, None, False)  # reject: the pair is no evidence at all
    assert store.stats()["links_by_relation"] == {
        "SUPPORTS": base["SUPPORTS"],
        "COUNTERS": base["COUNTERS"] - 1,
    }

    store.clear_human_link(a, b)
    assert store.stats()["links_by_relation"] == base


def test_add_a_new_link(tmp_path: Path) -> None:
    store = curated_store(tmp_path / "h.db")
    ids = local_ids(store)
    base = store.stats()["links"]
    store.set_human_link(ids["hu2024.zh"], ids["wei2022.sharp"], "COUNTERS", True)
    assert store.stats()["links"] == base + 1


@pytest.mark.parametrize(
    ("source", "target", "relation", "confirmed", "message"),
    [
        ("nope", "wei2022.sharp", "SUPPORTS", True, "source: no claim with id 'nope'"),
        ("hu2024.zh", "nope", "SUPPORTS", True, "target: no claim or document with id 'nope'"),
        ("hu2024.zh", "wei2022.sharp", "AGREES", True, "relation: 'AGREES' is not one of"),
        ("hu2024.zh", "wei2022.sharp", None, True, "no link from .* to confirm"),
    ],
)
def test_bad_decisions_are_refused(
    tmp_path: Path, source: str, target: str, relation: str | None, confirmed: bool, message: str
) -> None:
    store = curated_store(tmp_path / "h.db")
    ids = local_ids(store)
    before = store.stats()
    with pytest.raises(EmlitError, match=message):
        store.set_human_link(ids.get(source, source), ids.get(target, target), relation, confirmed)
    assert store.stats() == before
