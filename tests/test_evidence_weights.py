"""The shipped relation weights are tied to their train split and to the cue data.

emlit/evidence/relation_weights.json records a hash of the exact training rows and of the
relation cue data it was fitted with (python -m emlit.evidence.train writes both). Editing a
train row of corpus/devset/pairs_v2.jsonl, moving a pair between splits or editing
corpus/lexicon/relation_cues.yaml without retraining fails here; so does any other change that
makes retraining give other weights (features, encoder, and since issue 10 the stance model,
whose predictions are features), in the slow test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emlit.evidence.cues import relation_lexicon
from emlit.evidence.devset import load_pairs, pairs_path
from emlit.evidence.features import FEATURES
from emlit.evidence.model import WEIGHTS_PATH
from emlit.evidence.train import rows_hash

RETRAIN = "python -m emlit.evidence.train"


def _shipped() -> dict:
    return json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))


def test_shipped_weights_match_the_current_train_split() -> None:
    shipped, train = _shipped(), load_pairs(split="train")
    assert shipped["n_train"] == len(train), f"train split changed; run {RETRAIN}"
    assert shipped["train_rows_sha256"] == rows_hash(train), (
        f"train rows of {pairs_path()} differ from those the weights were fitted on; run {RETRAIN}"
    )


def test_shipped_weights_match_the_current_features_and_cues() -> None:
    shipped = _shipped()
    assert shipped["features"] == list(FEATURES), f"feature list changed; run {RETRAIN}"
    assert shipped["relation_cues_sha256"] == relation_lexicon().digest, (
        f"{relation_lexicon().path} changed since the weights were fitted; run {RETRAIN}"
    )


def test_one_edited_train_row_changes_the_hash(tmp_path: Path) -> None:
    lines = pairs_path().read_text(encoding="utf-8").splitlines()
    k = next(i for i, line in enumerate(lines) if line and json.loads(line)["split"] == "train")
    row = json.loads(lines[k])
    row["b"] = row["b"].rstrip(".") + "!"
    lines[k] = json.dumps(row, ensure_ascii=False)
    edited = tmp_path / "pairs.jsonl"
    edited.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert rows_hash(load_pairs(edited, split="train")) != _shipped()["train_rows_sha256"]


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_weights() -> None:
    """Deterministic refit (CV folds seeded): same C, weights equal to within float noise."""
    import numpy as np

    from emlit.evidence.train import train

    shipped, fresh = _shipped(), train()
    assert fresh["train_rows_sha256"] == shipped["train_rows_sha256"]
    assert fresh["relation_cues_sha256"] == shipped["relation_cues_sha256"]
    assert fresh["classes"] == shipped["classes"] and fresh["C"] == shipped["C"]
    for key in ("mean", "scale", "coef", "intercept", "stance_direction"):
        np.testing.assert_allclose(
            fresh[key], shipped[key], rtol=0, atol=1e-4, err_msg=f"{key}: run {RETRAIN}"
        )
