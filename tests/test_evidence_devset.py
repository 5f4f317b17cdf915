"""The labelled pair set: size, languages, a held-out split, and the report arithmetic."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from emlit.errors import EmlitError
from emlit.evidence.devset import bootstrap_macro_f1, load_pairs, report, v1_pairs_path


def test_pair_set_shape() -> None:
    pairs = load_pairs()  # pairs_v2: what the relation model learns from
    assert len(pairs) >= 400
    assert len({p.id for p in pairs}) == len(pairs)
    assert Counter(p.lang for p in pairs).keys() >= {"en", "zh", "mixed"}
    test = [p for p in pairs if p.split == "test"]
    assert 0.2 <= len(test) / len(pairs) <= 0.3
    assert {p.relation for p in test} == {"SUPPORTS", "COUNTERS", "UNRELATED"}
    # Split by work: no work of a test pair is the first-named work of a train pair.
    assert not {p.work for p in test} & {p.work for p in pairs if p.split == "train"}
    assert all(p.a_stance and p.b_stance for p in pairs)


def test_v1_pair_set_still_loads() -> None:
    pairs = load_pairs(v1_pairs_path())
    held = [p for p in pairs if p.split == "heldout"]
    assert len(pairs) >= 150 and 0.25 <= len(held) / len(pairs) <= 0.35


def test_report_counts() -> None:
    gold = ["SUPPORTS", "SUPPORTS", "COUNTERS", "UNRELATED"]
    pred = ["SUPPORTS", "COUNTERS", "COUNTERS", "SUPPORTS"]
    rep = report(gold, pred)
    assert rep["accuracy"] == 0.5
    assert rep["per_relation"]["SUPPORTS"] == {
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "support": 2,
    }
    assert rep["per_relation"]["COUNTERS"]["precision"] == 0.5
    assert rep["per_relation"]["UNRELATED"]["f1"] == 0.0
    assert rep["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0) / 3)


def test_bootstrap_interval_brackets_the_figure() -> None:
    gold = ["SUPPORTS", "COUNTERS", "UNRELATED"] * 10
    pred = ["SUPPORTS", "COUNTERS", "COUNTERS"] * 10
    lo, hi = bootstrap_macro_f1(gold, pred)
    assert lo <= report(gold, pred)["macro_f1"] <= hi and hi - lo > 0
    assert bootstrap_macro_f1(gold, gold) == (1.0, 1.0)


def test_bad_pair_file_names_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "pairs.jsonl"
    bad.write_text(
        json.dumps({"id": "x", "a": "a", "b": "b", "relation": "MAYBE", "split": "train"}) + "\n"
    )
    with pytest.raises(EmlitError, match=r"pairs.jsonl:1: relation 'MAYBE' is not one of"):
        load_pairs(bad)
    bad.write_text('{"id": "x", "a": "a"}\n')
    with pytest.raises(EmlitError, match=r"pairs.jsonl:1: field 'b' missing"):
        load_pairs(bad)
