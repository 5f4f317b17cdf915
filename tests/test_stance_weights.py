"""The shipped stance weights are tied to their train split and to the cue data.

emlit/stance/stance_weights.json records a hash of the exact training rows (the train split
of corpus/devset/tagger_v2.jsonl) and of corpus/lexicon/stance_cues.yaml; editing a train
row, moving an item between splits or editing the cues without retraining fails here (run
``python -m emlit.stance.train``). The frozen test split is never part of the training rows.
"""

from __future__ import annotations

import json
from pathlib import Path

from emlit.stance.cues import stance_lexicon
from emlit.stance.data import items_path, load_items, rows_hash
from emlit.stance.model import shipped_weights, training_items
from emlit.vocab import STANCES

RETRAIN = "python -m emlit.stance.train"


def test_shipped_weights_match_the_current_train_split_and_cues() -> None:
    shipped, train = shipped_weights(), training_items()
    assert shipped["n_train"] == len(train), f"train split changed; run {RETRAIN}"
    assert shipped["train_rows_sha256"] == rows_hash(train), (
        f"train rows of {items_path()} differ from those the weights were fitted on; run {RETRAIN}"
    )
    assert shipped["stance_cues_sha256"] == stance_lexicon().digest, (
        f"{stance_lexicon().path} changed since the weights were fitted; run {RETRAIN}"
    )


def test_every_shipped_model_is_complete_and_calibrated_on_cv() -> None:
    names = stance_lexicon().names
    models = shipped_weights()["models"]
    assert {m["encoder"].split("@")[0] for m in models} >= {"all-MiniLM-L6-v2"}
    for m in models:
        assert m["classes"] == list(STANCES) and m["cue_groups"] == names
        dim = int(m["features"][-2].split("[")[1].rstrip("]"))
        n_ngrams = len(m["ngrams"]["vocabulary"])
        assert n_ngrams == len(m["ngrams"]["idf"]) and m["features"][0] == "lang_zh"
        assert len(m["coef"]) == 3
        assert all(len(row) == 1 + len(names) + dim + n_ngrams for row in m["coef"])
        assert m["train_rows_sha256"] == shipped_weights()["train_rows_sha256"]
        cv = m["cv"]
        assert "grouped by source work" in cv["folds"]
        assert cv["ece_calibrated"] <= cv["ece_uncalibrated"] + 1e-9


def test_the_frozen_test_split_is_not_trained_on() -> None:
    test = load_items(split="test")
    train = training_items()
    assert len(test) == 336 and {it.split for it in train} == {"train"}
    assert not {it.source for it in test} & {it.source for it in train}  # split by work


def test_one_edited_train_row_changes_the_hash(tmp_path: Path) -> None:
    lines = items_path().read_text(encoding="utf-8").splitlines()
    k = next(i for i, line in enumerate(lines) if json.loads(line)["split"] == "train")
    row = json.loads(lines[k])
    row["stance"] = next(s for s in STANCES if s != row["stance"])
    lines[k] = json.dumps(row, ensure_ascii=False)
    edited = tmp_path / "tagger_v2.jsonl"
    edited.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert rows_hash(load_items(edited, split="train")) != shipped_weights()["train_rows_sha256"]
