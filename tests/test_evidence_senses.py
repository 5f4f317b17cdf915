"""Where the relation model reads the senses of texts without labels: the relation cue
lexicon's per-definition reading (the shipped weights) or the definition tagger's labels, as
the weights say (``"senses"``; ``python -m emlit.evidence.train --senses tagger``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from emlit.errors import EmlitError
from emlit.evidence import model as model_mod
from emlit.evidence.features import FEATURES, text_info
from emlit.evidence.model import WEIGHTS_PATH, RelationModel

# Two neutral sentences (our own words) on which the cue lexicon reads no sense at all.
A = "The group ran the same prompts on four checkpoints and kept every output."
B = "Each answer was scored by two annotators who did not see the model's name."
# What a (fake) tagger says of them: two different senses.
FAKE_TAGS = {A: ["D1"], B: ["D5"]}
AFFIRMS, DISPUTES = (0.9, 0.05, 0.05), (0.05, 0.9, 0.05)
DISJOINT = FEATURES.index("definition_disjoint")
OPPOSED_DISJOINT = FEATURES.index("opposed_x_disjoint_sense")


def _weights(senses: str | None) -> dict[str, Any]:
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    data.pop("senses", None)
    if senses is not None:
        data["senses"] = senses
    return data


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Record what the model hands pair_features and what the fake tagger is asked."""
    seen: dict[str, list[Any]] = {"labels": [], "rows": [], "tagged": []}
    real = model_mod.pair_features

    def spy(a: str, b: str, *args: Any) -> list[float]:
        row = real(a, b, *args)
        seen["labels"].append((args[3], args[4]))
        seen["rows"].append(row)
        return row

    def fake_tagged(texts: Sequence[str]) -> dict[str, list[str]]:
        seen["tagged"].append(sorted(set(texts)))
        return {t: FAKE_TAGS[t] for t in set(texts)}

    monkeypatch.setattr(model_mod, "pair_features", spy)
    monkeypatch.setattr(model_mod, "tagged_senses", fake_tagged)
    return seen


def _predict(model: RelationModel, **labels: Any) -> list[model_mod.Prediction]:
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(2, len(model.direction))).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return model.predict(
        [A], [B], vecs[:1], vecs[1:], a_stances=[AFFIRMS], b_stances=[DISPUTES], **labels
    )


def test_the_lexicon_reads_no_sense_in_the_two_sentences() -> None:
    assert text_info(A).cues.definitions == frozenset()
    assert text_info(B).cues.definitions == frozenset()


def test_tagger_weights_put_the_taggers_senses_in_the_features(spied: dict) -> None:
    pred = _predict(RelationModel(_weights("tagger")))
    assert spied["tagged"] == [[B, A]]  # both texts, tagged in one batch
    assert spied["labels"] == [(["D1"], ["D5"])]
    row = spied["rows"][0]
    assert row[DISJOINT] == 1.0  # D1 vs D5: disjoint senses (the lexicon reads none)
    assert row[OPPOSED_DISJOINT] > 0.5
    assert pred[0].talking_past  # opposite stances on disjoint senses


def test_lexicon_weights_never_ask_the_tagger(spied: dict) -> None:
    for data in (_weights("lexicon"), _weights(None)):  # no "senses": weights from before
        model = RelationModel(data)
        assert model.senses == "lexicon"
        pred = _predict(model)
        assert not pred[0].talking_past
    assert spied["tagged"] == []
    assert spied["labels"] == [(None, None), (None, None)]
    assert all(row[DISJOINT] == 0.0 for row in spied["rows"])


def test_given_labels_win_over_the_tagger(spied: dict) -> None:
    """The link stage passes the store's tags: only claims without any are tagged."""
    _predict(RelationModel(_weights("tagger")), a_labels=[["D5"]], b_labels=[None])
    assert spied["tagged"] == [[B]]
    assert spied["labels"] == [(["D5"], ["D5"])]
    assert spied["rows"][0][DISJOINT] == 0.0


def test_unknown_senses_in_the_weights_is_a_clear_error() -> None:
    with pytest.raises(EmlitError, match="senses must be one of lexicon, tagger, not 'gold'"):
        RelationModel(_weights("gold"))


def test_training_and_relate_read_the_real_taggers_senses_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the real tagger: classify_texts (``emlit relate``) hands pair_features the
    tagger's labels, and the trainer's feature matrix has the same rows."""
    from emlit.evidence.model import classify_texts
    from emlit.evidence.train import feature_rows
    from emlit.tagging.stage import get_tagger

    seen: list[tuple[Any, Any, list[float]]] = []
    real = model_mod.pair_features

    def spy(a: str, b: str, *args: Any) -> list[float]:
        row = real(a, b, *args)
        seen.append((args[3], args[4], row))
        return row

    monkeypatch.setattr(model_mod, "pair_features", spy)
    model = RelationModel(_weights("tagger"))
    classify_texts([A, B], [B, A], model=model)
    tags = {t: r.labels for t, r in zip((A, B), get_tagger().tag([A, B]), strict=True)}
    assert [(la, lb) for la, lb, _ in seen] == [(tags[A], tags[B]), (tags[B], tags[A])]
    x = feature_rows([A, B], [B, A], model.direction, senses="tagger")
    np.testing.assert_allclose(x, [row for _, _, row in seen], rtol=0, atol=1e-5)
    lexicon = feature_rows([A, B], [B, A], model.direction, senses="lexicon")
    assert lexicon[0][DISJOINT] == 0.0  # no sense read: never disjoint
